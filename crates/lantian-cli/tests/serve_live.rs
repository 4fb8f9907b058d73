//! Live ingest while serving: a new day's files dropped into the watched folder, and another
//! posted with the token, while a client polls the latest AQI the way the dashboard does. The
//! new hours appear, no request fails, and nothing already served changes.

mod common;

use chrono::NaiveDate;
use common::serve::{Server, agent, day_files, enc, pm25, write_fixture};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "live-test-token-77";

/// What a poller saw: statuses that were not 200/304, the hours seen, requests made.
type Seen = (Vec<String>, Vec<String>, usize);

/// A client polling `/api/v1/aqi/latest` (revalidating with its ETag) until told to stop:
/// (statuses that were not 200/304, the hours seen, requests made).
struct Poller {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Poller {
    fn start(base: String) -> Poller {
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new((Vec::new(), Vec::new(), 0usize)));
        let (s, v) = (stop.clone(), seen.clone());
        let handle = std::thread::spawn(move || {
            let a = agent();
            let mut tag: Option<String> = None;
            while !s.load(Ordering::Relaxed) {
                let mut req = a.get(format!("{base}/api/v1/aqi/latest"));
                if let Some(t) = &tag {
                    req = req.header("If-None-Match", t);
                }
                let mut g = v.lock().unwrap();
                g.2 += 1;
                match req.call() {
                    Ok(mut r) if r.status() == 200 => {
                        tag = r
                            .headers()
                            .get("etag")
                            .map(|t| t.to_str().unwrap().to_string());
                        let body: serde_json::Value =
                            serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
                        let t = body["time"].as_str().unwrap_or("").to_string();
                        if g.1.last() != Some(&t) {
                            g.1.push(t);
                        }
                    }
                    Ok(r) if r.status() == 304 => {}
                    Ok(r) => g.0.push(format!("status {}", r.status())),
                    Err(e) => g.0.push(e.to_string()),
                }
                drop(g);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        Poller {
            stop,
            seen,
            handle: Some(handle),
        }
    }

    fn wait_for(&self, time: &str, within: Duration) {
        let t0 = Instant::now();
        while t0.elapsed() < within {
            if self.seen.lock().unwrap().1.iter().any(|t| t == time) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{time} never appeared: {:?}", self.seen.lock().unwrap());
    }

    fn finish(mut self) -> (Vec<String>, Vec<String>, usize) {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.take().unwrap().join().unwrap();
        self.seen.lock().unwrap().clone()
    }
}

/// A server on the hand-made store watching `<dir>/incoming` every `interval` seconds: (the
/// temporary directory, the store, the watched folder, the server).
fn watching_server(
    interval: &str,
    env: &[(&str, &str)],
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::path::PathBuf,
    Server,
) {
    let (dir, st) = common::store_of(write_fixture);
    let watch = dir.path().join("incoming");
    std::fs::create_dir_all(&watch).unwrap();
    let s = Server::start(
        &st,
        &[
            "--watch",
            watch.to_str().unwrap(),
            "--watch-interval",
            interval,
        ],
        env,
    );
    (dir, st, watch, s)
}

#[test]
fn new_files_are_served_while_clients_poll_and_nothing_is_lost() {
    let (_dir, _st, watch, s) = watching_server("0.2", &[("LANTIAN_TOKEN", TOKEN)]);
    let before = s
        .get("/api/v1/series/hourly?region=beijing&from=2024-01-01&to=2024-01-31")
        .json();
    let before_days = s
        .get("/api/v1/series/daily?region=beijing&from=2024-01-01&to=2024-01-31")
        .json();
    let poller = Poller::start(s.base.clone());
    std::thread::sleep(Duration::from_millis(300));

    // 1. A day arrives in the watched folder: the extra pollutants at once, the PM file in two
    // writes 100 ms apart (a slow copy; taken only once unchanged over an interval).
    let feb1 = NaiveDate::from_ymd_opt(2024, 2, 1).unwrap();
    let [(all_name, all), (extra_name, extra)] = day_files(feb1, &|_| true);
    std::fs::write(watch.join(&extra_name), extra).unwrap();
    let half = all.len() / 2;
    let cut = (half..all.len())
        .find(|&i| all.is_char_boundary(i))
        .unwrap();
    std::fs::write(watch.join(&all_name), &all[..cut]).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(watch.join(&all_name))
            .unwrap();
        f.write_all(&all.as_bytes()[cut..]).unwrap();
    }
    poller.wait_for("2024-02-01T23:00:00+08:00", Duration::from_secs(60));

    // 2. The next day is posted with the token.
    let feb2 = NaiveDate::from_ymd_opt(2024, 2, 2).unwrap();
    for (name, text) in day_files(feb2, &|_| true) {
        let r = s.post(
            &format!("/api/v1/ingest?name={name}"),
            Some(TOKEN),
            text.as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    }
    poller.wait_for("2024-02-02T23:00:00+08:00", Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(200));
    let (failures, times, requests) = poller.finish();
    assert!(failures.is_empty(), "failed requests: {failures:?}");
    assert!(requests > 20, "{requests} requests");
    // The hours seen move forward only, through both new days.
    assert_eq!(
        times,
        [
            "2024-02-01T00:00:00+08:00",
            "2024-02-01T23:00:00+08:00",
            "2024-02-02T23:00:00+08:00"
        ],
        "{times:?}"
    );

    // Nothing lost or changed: January is served exactly as before.
    let after = s
        .get("/api/v1/series/hourly?region=beijing&from=2024-01-01&to=2024-01-31")
        .json();
    assert_eq!(before, after);
    let after_days = s
        .get("/api/v1/series/daily?region=beijing&from=2024-01-01&to=2024-01-31")
        .json();
    assert_eq!(before_days, after_days);
    // The new hours are the files' values: 东四 PM2.5 on 1 February = 30 + 5·1 = 35 and on
    // 2 February 40, every hour; 24:00 of 2 February is in the 3 February file, not sent.
    // The latest hour moves as soon as either file of a day is in (the extra file's SO2 has
    // 23:00 too); the PM file of 1 February, written in two parts, is taken once it has stayed
    // unchanged over a polling interval, and when the POST of 2 February holds the store's lock
    // at that moment, at the next poll. Wait for it rather than for the latest hour.
    let url = enc("/api/v1/series/hourly?station=东城东四&from=2024-02-01&to=2024-02-02");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let feb = loop {
        let feb = s.get(&url).json();
        let complete = feb.as_array().is_some_and(|rows| {
            rows.iter()
                .take(47)
                .all(|r| r["concentrations"]["PM2.5"].as_f64().is_some())
        });
        if complete || std::time::Instant::now() > deadline {
            break feb;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let feb = feb.as_array().unwrap();
    assert_eq!(feb.len(), 48);
    for (i, row) in feb.iter().enumerate() {
        let day = if i < 24 { feb1 } else { feb2 };
        let expected = if i == 47 { None } else { pm25(0, day) };
        assert_eq!(
            row["concentrations"]["PM2.5"].as_f64(),
            expected,
            "{}",
            row["time"]
        );
    }
    let h = s.get("/api/v1/health").json();
    assert!(h["generation"].as_u64().unwrap() >= 3, "{h}");
    // The watcher said what it took.
    let log = s.log();
    assert!(log.contains("watch: ") && log.contains(&all_name), "{log}");
}

/// The first `hours + 1` hours (0..=hours) of a day file: header and rows, as published so far.
fn published(text: &str, hours: u32) -> String {
    let mut lines = text.lines();
    let mut out = lines.next().unwrap().to_string();
    for l in lines.filter(|l| l.split(',').nth(1).unwrap().parse::<u32>().unwrap() <= hours) {
        out.push('\n');
        out.push_str(l);
    }
    out
}

/// The short form of the long live run (bench/live_run.sh): a day published hour by hour into
/// the watched folder, each time the whole file so far (as BJMEMC's site does), while a client
/// polls. Every hour is stored exactly once: no value written twice, the same values as a
/// one-shot ingest of the final files.
#[test]
fn a_day_published_hour_by_hour_is_ingested_exactly_once() {
    let (dir, st, watch, s) = watching_server("0.1", &[]);
    let poller = Poller::start(s.base.clone());
    // The file of 2 February: its hour 0 ends 1 February, which the store does not hold yet
    // (the fixture's 1 February file has only the hour ending 31 January), so every value is new.
    let feb2 = NaiveDate::from_ymd_opt(2024, 2, 2).unwrap();
    let files = day_files(feb2, &|_| true);
    for hour in 0..24 {
        for (name, text) in &files {
            // Written under a hidden name and renamed, as a copy tool does.
            let tmp = watch.join(format!(".{name}.part"));
            std::fs::write(&tmp, published(text, hour)).unwrap();
            std::fs::rename(&tmp, watch.join(name)).unwrap();
        }
        let time = format!("2024-02-02T{hour:02}:00:00+08:00");
        poller.wait_for(&time, Duration::from_secs(30));
    }
    let (failures, times, _) = poller.finish();
    assert!(failures.is_empty(), "failed requests: {failures:?}");
    // The latest hour moved forward from the store's through every hour of the day, one at a
    // time.
    let mut expected = vec!["2024-02-01T00:00:00+08:00".to_string()];
    expected.extend((0..24).map(|h| format!("2024-02-02T{h:02}:00:00+08:00")));
    assert_eq!(times, expected);
    let sql = |store: &std::path::Path, q: &str| {
        common::lantian_ok(store, &["sql", "--format", "csv", q])
            .lines()
            .nth(1)
            .unwrap()
            .to_string()
    };
    let reference = dir.path().join("reference");
    common::lantian_ok(&reference, &["ingest", "--quiet", watch.to_str().unwrap()]);
    let once = sql(&reference, "SELECT COUNT(*), SUM(value) FROM current");
    // 24 hours × (2 PM types + 4 gases) × 2 stations.
    assert_eq!(once.split(',').next(), Some("288"), "{once}");
    // The latest hour moves as soon as either file of the hour is in; the other is taken once
    // it has stayed unchanged over an interval. Wait for it (at most 30 s).
    let current_of = || {
        sql(
            &st,
            "SELECT COUNT(*), SUM(value) FROM current WHERE source_file LIKE '%incoming%'",
        )
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut current = current_of();
    while current != once && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        current = current_of();
    }
    assert_eq!(current, once);
    let live = sql(
        &st,
        "SELECT COUNT(*), SUM(value), MAX(revision) FROM observations \
         WHERE source_file LIKE '%incoming%'",
    );
    assert_eq!(live, format!("{once},0"), "a value was written twice");
}
