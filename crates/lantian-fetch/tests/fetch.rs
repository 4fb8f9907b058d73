//! End-to-end tests against a local HTTP server (loopback only) serving the real archive files
//! of `../shared/data/quotsoft_beijing/<year>/<name>`.

use chrono::NaiveDate;
use lantian_fetch::{
    FetchError, FetchOptions, FetchPlan, FileResult, Network, Outcome, fetch, fetch_with,
};
use lantian_ingest::RejectReason;
use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;
use tiny_http::{Header, Response, Server, StatusCode};

/// The Beijing archive folder, or `None` (and a message) when the shared data is absent.
fn archive() -> Option<PathBuf> {
    lantian_testdata::shared_path(
        "quotsoft_beijing",
        "the local server serves the real archive files",
    )
}

fn source_path(archive: &Path, name: &str) -> PathBuf {
    let digits = name.trim_end_matches(".csv").rsplit('_').next().unwrap();
    archive.join(&digits[..4]).join(name)
}

/// The downloaded file is byte-identical to the archive's.
fn assert_intact(out: &Path, archive: &Path, name: &str) {
    let got = std::fs::read(out.join(name)).unwrap();
    assert!(
        got == source(archive, name),
        "{name} differs from the archive"
    );
}

fn source(archive: &Path, name: &str) -> Vec<u8> {
    std::fs::read(source_path(archive, name)).unwrap()
}

/// How the server answers for one name, instead of serving the archive file.
#[derive(Clone)]
enum Special {
    /// This status and body, whatever the request.
    Body(u16, Vec<u8>),
    /// Answer the first `n` requests with `status` (empty body), then serve the file.
    FailFirst(usize, u16),
    /// On the first request, announce the full length, send the first half, then break the
    /// connection; serve normally afterwards.
    CutFirst,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Logged {
    name: String,
    range: Option<String>,
}

struct TestServer {
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
    log: Arc<Mutex<Vec<Logged>>>,
    base_url: String,
}

impl TestServer {
    fn start(archive: PathBuf, special: HashMap<String, Special>, ranges: bool) -> TestServer {
        let server = Arc::new(Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let server = Arc::clone(&server);
            let log = Arc::clone(&log);
            std::thread::spawn(move || serve(&server, &archive, special, ranges, &log))
        };
        TestServer {
            server,
            thread: Some(thread),
            log,
            base_url: format!("http://127.0.0.1:{port}/air/data"),
        }
    }

    fn requests(&self) -> Vec<Logged> {
        self.log.lock().unwrap().clone()
    }

    fn requests_for(&self, name: &str) -> Vec<Logged> {
        self.requests()
            .into_iter()
            .filter(|l| l.name == name)
            .collect()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap()
}

/// A reader that yields `data` and then fails, to break a response in the middle.
struct Cut(io::Cursor<Vec<u8>>);

impl Read for Cut {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.read(buf)? {
            0 => Err(io::Error::new(io::ErrorKind::ConnectionReset, "cut")),
            n => Ok(n),
        }
    }
}

fn serve(
    server: &Server,
    archive: &Path,
    mut special: HashMap<String, Special>,
    ranges: bool,
    log: &Mutex<Vec<Logged>>,
) {
    for request in server.incoming_requests() {
        let name = request
            .url()
            .strip_prefix("/air/data/")
            .unwrap_or("")
            .to_string();
        let range = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Range"))
            .map(|h| h.value.to_string());
        log.lock().unwrap().push(Logged {
            name: name.clone(),
            range: range.clone(),
        });
        let spec = special.get(&name).cloned();
        match spec {
            Some(Special::Body(status, body)) => {
                let _ = request.respond(Response::from_data(body).with_status_code(status));
                continue;
            }
            Some(Special::FailFirst(n, status)) if n > 0 => {
                special.insert(name, Special::FailFirst(n - 1, status));
                let _ = request.respond(Response::empty(status));
                continue;
            }
            Some(Special::CutFirst) => {
                special.remove(&name);
                let bytes = std::fs::read(source_path(archive, &name)).unwrap();
                let half = bytes[..bytes.len() / 2].to_vec();
                let response = Response::new(
                    StatusCode(200),
                    vec![header("Content-Type", "text/csv")],
                    Cut(io::Cursor::new(half)),
                    Some(bytes.len()),
                    None,
                );
                let _ = request.respond(response);
                continue;
            }
            _ => {}
        }
        let bytes = match std::fs::read(source_path(archive, &name)) {
            Ok(b) if name.starts_with("beijing_") && name.ends_with(".csv") => b,
            _ => {
                let _ = request.respond(Response::from_string("not found").with_status_code(404));
                continue;
            }
        };
        let start = range
            .filter(|_| ranges)
            .and_then(|r| r.strip_prefix("bytes=")?.strip_suffix('-')?.parse().ok());
        let response = match start {
            Some(start) if start >= bytes.len() => Response::from_data(Vec::new())
                .with_status_code(416)
                .with_header(header("Content-Range", &format!("bytes */{}", bytes.len()))),
            Some(start) => Response::from_data(bytes[start..].to_vec())
                .with_status_code(206)
                .with_header(header(
                    "Content-Range",
                    &format!("bytes {start}-{}/{}", bytes.len() - 1, bytes.len()),
                )),
            None => Response::from_data(bytes),
        };
        let _ = request.respond(response);
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn plan(base_url: &str, out: &Path, from: NaiveDate, to: NaiveDate) -> FetchPlan {
    FetchPlan {
        network: Network::Beijing,
        from,
        to,
        base_url: base_url.to_string(),
        out_dir: out.to_path_buf(),
    }
}

fn fast() -> FetchOptions {
    let mut o = FetchOptions::default();
    o.retry_delay = Duration::from_millis(5);
    o.timeout = Duration::from_secs(10);
    o
}

/// Run a plan, checking the callback sees every result in order with correct counters.
fn run(plan: &FetchPlan) -> Result<Vec<FileResult>, FetchError> {
    let mut seen = Vec::new();
    let out = fetch_with(plan, &fast(), &mut |r, done, total| {
        seen.push((r.clone(), done, total))
    })?;
    let total = out.len();
    assert_eq!(seen.len(), total);
    for (i, ((r, done, t), expected)) in seen.iter().zip(&out).enumerate() {
        assert_eq!((r, *done, *t), (expected, i + 1, total));
    }
    Ok(out)
}

/// The files of a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

const JAN_1_TO_3: [&str; 6] = [
    "beijing_all_20230101.csv",
    "beijing_extra_20230101.csv",
    "beijing_all_20230102.csv",
    "beijing_extra_20230102.csv",
    "beijing_all_20230103.csv",
    "beijing_extra_20230103.csv",
];

#[test]
fn downloads_a_range_then_rerun_requests_nothing() {
    let Some(archive) = archive() else { return };
    let server = TestServer::start(archive.clone(), HashMap::new(), true);
    let out = tempfile::tempdir().unwrap();
    let p = plan(
        &server.base_url,
        out.path(),
        day(2023, 1, 1),
        day(2023, 1, 3),
    );

    // 1. six files, byte-identical.
    let results = run(&p).unwrap();
    let names: Vec<&str> = results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, JAN_1_TO_3);
    for r in &results {
        let expected = source(&archive, &r.name);
        assert_eq!(
            r.outcome,
            Outcome::Downloaded {
                bytes: expected.len() as u64
            },
            "{}",
            r.name
        );
        let saved = std::fs::read(out.path().join(&r.name)).unwrap();
        assert!(saved == expected, "{} differs from the source", r.name);
    }
    let mut sorted = JAN_1_TO_3.map(String::from).to_vec();
    sorted.sort();
    assert_eq!(listing(out.path()), sorted, "no .part or extra file left");
    let first = server.requests();
    assert_eq!(first.len(), 6);
    assert!(first.iter().all(|l| l.range.is_none()));

    // 2. re-run: everything present, no request at all.
    let again = fetch(&p, &mut |_, _, _| {}).unwrap();
    assert_eq!(again.len(), 6);
    assert!(
        again.iter().all(|r| r.outcome == Outcome::AlreadyPresent),
        "{again:?}"
    );
    assert_eq!(server.requests().len(), 6, "the re-run made requests");
}

#[test]
fn resumes_from_a_part_file_with_a_range_request() {
    let Some(archive) = archive() else { return };
    let server = TestServer::start(archive.clone(), HashMap::new(), true);
    let out = tempfile::tempdir().unwrap();
    let name = "beijing_extra_20230102.csv";
    let full = source(&archive, name);
    let half = full.len() / 2;
    std::fs::write(out.path().join(format!("{name}.part")), &full[..half]).unwrap();

    let p = plan(
        &server.base_url,
        out.path(),
        day(2023, 1, 2),
        day(2023, 1, 2),
    );
    let results = run(&p).unwrap();
    assert_eq!(
        results,
        vec![
            FileResult {
                name: "beijing_all_20230102.csv".into(),
                outcome: Outcome::Downloaded {
                    bytes: source(&archive, "beijing_all_20230102.csv").len() as u64
                },
            },
            FileResult {
                name: name.into(),
                outcome: Outcome::Resumed {
                    bytes: full.len() as u64
                },
            },
        ]
    );
    assert_eq!(
        server.requests_for(name),
        vec![Logged {
            name: name.into(),
            range: Some(format!("bytes={half}-")),
        }]
    );
    assert_intact(out.path(), &archive, name);
    assert!(!out.path().join(format!("{name}.part")).exists());
}

#[test]
fn a_server_ignoring_ranges_restarts_from_zero() {
    let Some(archive) = archive() else { return };
    let server = TestServer::start(archive.clone(), HashMap::new(), false);
    let out = tempfile::tempdir().unwrap();
    let name = "beijing_all_20230103.csv";
    // Junk that must be discarded, not kept in front of the data.
    std::fs::write(out.path().join(format!("{name}.part")), b"JUNK").unwrap();

    let p = plan(
        &server.base_url,
        out.path(),
        day(2023, 1, 3),
        day(2023, 1, 3),
    );
    let results = run(&p).unwrap();
    let full = source(&archive, name);
    assert_eq!(
        results[0].outcome,
        Outcome::Downloaded {
            bytes: full.len() as u64
        }
    );
    assert_eq!(
        server.requests_for(name)[0].range.as_deref(),
        Some("bytes=4-")
    );
    assert_intact(out.path(), &archive, name);
    assert!(!out.path().join(format!("{name}.part")).exists());
}

#[test]
fn a_stalled_body_is_resumed_after_the_read_timeout() {
    let Some(archive) = archive() else { return };
    let name = "beijing_all_20230101.csv";
    let special = HashMap::from([(name.to_string(), Special::CutFirst)]);
    let server = TestServer::start(archive.clone(), special, true);
    let out = tempfile::tempdir().unwrap();

    let p = plan(
        &server.base_url,
        out.path(),
        day(2023, 1, 1),
        day(2023, 1, 1),
    );
    let mut options = fast();
    options.timeout = Duration::from_millis(500);
    let results = fetch_with(&p, &options, &mut |_, _, _| {}).unwrap();
    let full = source(&archive, name);
    assert_eq!(
        results[0].outcome,
        Outcome::Resumed {
            bytes: full.len() as u64
        }
    );
    let requests = server.requests_for(name);
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].range, None);
    assert_eq!(
        requests[1].range,
        Some(format!("bytes={}-", full.len() / 2))
    );
    assert_intact(out.path(), &archive, name);
    assert!(!out.path().join(format!("{name}.part")).exists());
}

/// A raw server for one file: the first connection announces the full length, sends half the
/// body and closes; later connections answer range requests. Returns the base URL, the request
/// heads it saw (recorded before answering), and the thread, which ends after `connections`
/// connections (not joined by the tests, so that a failing client cannot hang them).
fn closing_server(
    bytes: Vec<u8>,
    connections: usize,
) -> (String, Arc<Mutex<Vec<String>>>, JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/air/data", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&heads);
    let thread = std::thread::spawn(move || {
        for i in 0..connections {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let range_start: Option<usize> = head.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("range").then_some(())?;
                v.trim()
                    .strip_prefix("bytes=")?
                    .strip_suffix('-')?
                    .parse()
                    .ok()
            });
            seen.lock().unwrap().push(head);
            let mut stream = stream;
            let len = bytes.len();
            let _ = match range_start {
                Some(start) => {
                    let head = format!(
                        "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\n\
                         Content-Range: bytes {start}-{}/{len}\r\nConnection: close\r\n\r\n",
                        len - start,
                        len - 1
                    );
                    stream
                        .write_all(head.as_bytes())
                        .and_then(|()| stream.write_all(&bytes[start..]))
                }
                None if i == 0 => {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
                    );
                    stream
                        .write_all(head.as_bytes())
                        .and_then(|()| stream.write_all(&bytes[..len / 2]))
                }
                None => {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
                    );
                    stream
                        .write_all(head.as_bytes())
                        .and_then(|()| stream.write_all(&bytes))
                }
            };
            let _ = stream.flush();
            // Dropping the stream closes the connection.
        }
    });
    (base, heads, thread)
}

#[test]
fn a_connection_closed_mid_body_is_resumed() {
    let Some(archive) = archive() else { return };
    let name = "beijing_extra_20230101.csv";
    let full = source(&archive, name);
    // The raw server serves one file only: the other file of the day is already "present".
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("beijing_all_20230101.csv"), b"already here").unwrap();
    let (base, heads, _thread) = closing_server(full.clone(), 2);

    let p = plan(&base, out.path(), day(2023, 1, 1), day(2023, 1, 1));
    let results = run(&p).unwrap();
    assert_eq!(results[0].outcome, Outcome::AlreadyPresent);
    assert_eq!(
        results[1].outcome,
        Outcome::Resumed {
            bytes: full.len() as u64
        }
    );
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 2, "{heads:?}");
    assert!(
        heads[0].starts_with(&format!("GET /air/data/{name} ")),
        "{}",
        heads[0]
    );
    assert!(
        !heads[0].to_ascii_lowercase().contains("range:"),
        "{}",
        heads[0]
    );
    let range = format!("range: bytes={}-", full.len() / 2);
    assert!(
        heads[1].to_ascii_lowercase().contains(&range),
        "{}",
        heads[1]
    );
    assert_intact(out.path(), &archive, name);
    assert!(!out.path().join(format!("{name}.part")).exists());
}

#[test]
fn an_html_page_with_status_200_is_rejected_and_not_saved() {
    let Some(archive) = archive() else { return };
    let name = "beijing_all_20230102.csv";
    let page = b"<!DOCTYPE html>\n<html><head><title>Site Maintenance</title></head>\
                 <body><h1>Back soon</h1></body></html>\n"
        .to_vec();
    let special = HashMap::from([(name.to_string(), Special::Body(200, page))]);
    let server = TestServer::start(archive.clone(), special, true);
    let out = tempfile::tempdir().unwrap();
    // A stale partial download of the same name must not survive either.
    std::fs::write(out.path().join(format!("{name}.part")), b"date,hour,type").unwrap();

    let p = plan(
        &server.base_url,
        out.path(),
        day(2023, 1, 2),
        day(2023, 1, 2),
    );
    let results = run(&p).unwrap();
    let reason = RejectReason::Html {
        title: "Site Maintenance".into(),
    }
    .to_string();
    assert_eq!(results[0].name, name);
    assert_eq!(results[0].outcome, Outcome::Rejected { reason });
    assert!(!out.path().join(name).exists());
    assert!(!out.path().join(format!("{name}.part")).exists());
    // The other file of the day is unaffected.
    let extra = "beijing_extra_20230102.csv";
    assert!(std::fs::read(out.path().join(extra)).unwrap() == source(&archive, extra));
    assert_eq!(listing(out.path()), vec![extra.to_string()]);
}

#[test]
fn an_empty_body_is_rejected() {
    let Some(archive) = archive() else { return };
    let name = "beijing_extra_20230103.csv";
    let special = HashMap::from([(name.to_string(), Special::Body(200, Vec::new()))]);
    let server = TestServer::start(archive.clone(), special, true);
    let out = tempfile::tempdir().unwrap();

    let p = plan(
        &server.base_url,
        out.path(),
        day(2023, 1, 3),
        day(2023, 1, 3),
    );
    let results = run(&p).unwrap();
    assert_eq!(
        results[1],
        FileResult {
            name: name.into(),
            outcome: Outcome::Rejected {
                reason: RejectReason::Empty.to_string()
            },
        }
    );
    assert!(results[0].outcome.is_present());
    assert_eq!(listing(out.path()), vec!["beijing_all_20230103.csv"]);
}

#[test]
fn missing_days_are_reported_and_the_rest_downloaded() {
    let Some(archive) = archive() else { return };
    for name in ["beijing_all_20240610.csv", "beijing_extra_20240604.csv"] {
        assert!(
            !source_path(&archive, name).exists(),
            "{name} is in the data"
        );
    }
    let server = TestServer::start(archive.clone(), HashMap::new(), true);
    let out = tempfile::tempdir().unwrap();

    // 2024-06-04 has no extra file; 2024-06-10 has none at all.
    let p = plan(
        &server.base_url,
        out.path(),
        day(2024, 6, 3),
        day(2024, 6, 4),
    );
    let results = run(&p).unwrap();
    let summary: Vec<(&str, &Outcome)> = results
        .iter()
        .map(|r| (r.name.as_str(), &r.outcome))
        .collect();
    let size = |n: &str| source(&archive, n).len() as u64;
    assert_eq!(
        summary,
        vec![
            (
                "beijing_all_20240603.csv",
                &Outcome::Downloaded {
                    bytes: size("beijing_all_20240603.csv")
                }
            ),
            (
                "beijing_extra_20240603.csv",
                &Outcome::Downloaded {
                    bytes: size("beijing_extra_20240603.csv")
                }
            ),
            (
                "beijing_all_20240604.csv",
                &Outcome::Downloaded {
                    bytes: size("beijing_all_20240604.csv")
                }
            ),
            (
                "beijing_extra_20240604.csv",
                &Outcome::Missing { status: 404 }
            ),
        ]
    );
    for r in results.iter().filter(|r| r.outcome.is_present()) {
        assert!(std::fs::read(out.path().join(&r.name)).unwrap() == source(&archive, &r.name));
    }

    let p = plan(
        &server.base_url,
        out.path(),
        day(2024, 6, 10),
        day(2024, 6, 10),
    );
    let results = run(&p).unwrap();
    assert_eq!(
        results,
        vec![
            FileResult {
                name: "beijing_all_20240610.csv".into(),
                outcome: Outcome::Missing { status: 404 }
            },
            FileResult {
                name: "beijing_extra_20240610.csv".into(),
                outcome: Outcome::Missing { status: 404 }
            },
        ]
    );
    assert_eq!(
        listing(out.path()).len(),
        3,
        "a missing file left something"
    );
}

#[test]
fn server_errors_are_retried() {
    let Some(archive) = archive() else { return };
    let name = "beijing_all_20230101.csv";
    let special = HashMap::from([(name.to_string(), Special::FailFirst(2, 503))]);
    let server = TestServer::start(archive.clone(), special, true);
    let out = tempfile::tempdir().unwrap();

    let p = plan(
        &server.base_url,
        out.path(),
        day(2023, 1, 1),
        day(2023, 1, 1),
    );
    let results = run(&p).unwrap();
    let full = source(&archive, name);
    assert_eq!(
        results[0].outcome,
        Outcome::Downloaded {
            bytes: full.len() as u64
        }
    );
    assert_eq!(server.requests_for(name).len(), 3);
    assert_intact(out.path(), &archive, name);
}

#[test]
fn persistent_server_errors_stop_the_run_naming_the_url() {
    let Some(archive) = archive() else { return };
    let name = "beijing_extra_20230101.csv";
    let special = HashMap::from([(name.to_string(), Special::FailFirst(100, 500))]);
    let server = TestServer::start(archive, special, true);
    let out = tempfile::tempdir().unwrap();

    let p = plan(
        &server.base_url,
        out.path(),
        day(2023, 1, 1),
        day(2023, 1, 1),
    );
    let mut reported = Vec::new();
    let err = fetch_with(&p, &fast(), &mut |r, _, _| reported.push(r.name.clone())).unwrap_err();
    let url = format!("{}/{name}", server.base_url);
    assert!(
        matches!(&err, FetchError::Status { url: u, status: 500, attempts: 4 } if *u == url),
        "{err:?}"
    );
    assert!(err.to_string().contains(&url), "{err}");
    // The file before it was finished and reported.
    assert_eq!(reported, vec!["beijing_all_20230101.csv".to_string()]);
    assert_eq!(server.requests_for(name).len(), 4);
}

#[test]
fn an_unreachable_server_is_an_error_naming_the_url() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = tempfile::tempdir().unwrap();
    let base = format!("http://127.0.0.1:{port}/air/data/");
    let p = plan(&base, out.path(), day(2023, 1, 1), day(2023, 1, 1));
    let mut o = fast();
    o.retries = 1;
    let err = fetch_with(&p, &o, &mut |_, _, _| {}).unwrap_err();
    let url = format!("http://127.0.0.1:{port}/air/data/beijing_all_20230101.csv");
    match &err {
        FetchError::Transport {
            url: u, attempts, ..
        } => {
            assert_eq!((u.as_str(), *attempts), (url.as_str(), 2));
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.to_string().contains(&url), "{err}");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn a_reversed_range_is_an_error() {
    let out = tempfile::tempdir().unwrap();
    let p = plan(
        "http://127.0.0.1:9/unused",
        out.path(),
        day(2023, 1, 3),
        day(2023, 1, 1),
    );
    let err = fetch(&p, &mut |_, _, _| {}).unwrap_err();
    assert!(matches!(err, FetchError::InvalidRange { .. }), "{err:?}");
}
