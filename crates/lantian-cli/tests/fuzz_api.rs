//! The HTTP API on generated requests: every operation of the OpenAPI document the server
//! publishes, with each parameter given valid, boundary, wrong-typed, huge, unicode and
//! injection-like values, left out or repeated; unknown parameters; other methods; random
//! paths; posted files with and without the token, oversized; and clients that are slow or
//! silent. What must hold for every request:
//!
//! - no 5xx and no dropped connection (a panic in a handler would be either);
//! - an answer within a bound, and the server's memory within a bound;
//! - a refusal is JSON `{"error", "parameter"}` whose message is short, quotes no file of the
//!   server and names no command-line flag (an API user never typed one);
//! - `POST /ingest` without the right token is 401 and changes nothing.
//!
//! `LANTIAN_API_FUZZ_REQUESTS` sets how many requests are generated (default 1,500: the suite's
//! short form); the long runs in docs/reliability.md set it higher on a release build.

mod common;

use chrono::NaiveDate;
use common::serve::{Server, day_files, write_fixture};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const TOKEN: &str = "fuzz-test-token-3141";
/// The server's body limit in these tests (`--max-body`), so that "oversized" is cheap to send.
const MAX_BODY: usize = 200_000;
/// No request may take longer (a debug build; the slowest answer is a PDF report).
const REQUEST_BOUND: Duration = Duration::from_secs(60);
/// The server's resident memory may not grow by more than this over the run, once its
/// heaviest answers have been made once (a debug build; typesetting a bulletin takes about
/// 150 MB while it runs, and two may run at once).
const MEMORY_GROWTH_BOUND_KIB: u64 = 400 * 1024;

/// One request as sent on the wire.
#[derive(Clone)]
struct Req {
    method: String,
    /// Path and query, as raw bytes (not necessarily valid UTF-8 or a valid URI).
    target: Vec<u8>,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    /// What the request is, for the checks: `None` for a route of the document called with its
    /// method, or the kind of oddity.
    kind: Kind,
    /// The parameter names sent and those the document gives the operation (a refusal may
    /// only name one of these, or the token's header or the body).
    sent: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Route { path: String },
    OtherMethod,
    RandomPath,
    Ingest { token: Token },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Token {
    Missing,
    Wrong,
    Right,
}

impl std::fmt::Debug for Req {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

impl Req {
    fn summary(&self) -> String {
        let t = String::from_utf8_lossy(&self.target);
        let t: String = t.chars().take(200).collect();
        format!(
            "{} {t}{} ({} header(s), body {} bytes, {:?})",
            self.method,
            if self.target.len() > 200 { "…" } else { "" },
            self.headers.len(),
            self.body.len(),
            self.kind
        )
    }
}

struct Answer {
    status: u16,
    headers: String,
    body: Vec<u8>,
    elapsed: Duration,
}

/// Send `r` on a fresh connection (`Connection: close`) and read the whole answer.
fn send(addr: &str, r: &Req) -> Result<Answer, String> {
    let t0 = Instant::now();
    let mut s = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(REQUEST_BOUND + Duration::from_secs(5)))
        .unwrap();
    let mut head = Vec::new();
    head.extend_from_slice(r.method.as_bytes());
    head.push(b' ');
    head.extend_from_slice(&r.target);
    head.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (k, v) in &r.headers {
        head.extend_from_slice(k.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(v);
        head.extend_from_slice(b"\r\n");
    }
    if !r.body.is_empty() || r.method == "POST" {
        head.extend_from_slice(format!("Content-Length: {}\r\n", r.body.len()).as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    // The server may answer (413, 431) and close before it has read everything: a failed
    // write is then not an error, the answer is what counts.
    let _ = s.write_all(&head).and_then(|_| s.write_all(&r.body));
    let mut raw = Vec::new();
    let read = s.read_to_end(&mut raw);
    let elapsed = t0.elapsed();
    if raw.is_empty() {
        return Err(format!(
            "no answer ({read:?}) after {:.1} s",
            elapsed.as_secs_f64()
        ));
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("an answer without its head: {:?}", trunc(&raw)))?;
    let headers = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = headers
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no status in {headers:?}"))?;
    let mut body = raw[split + 4..].to_vec();
    if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body)?;
    }
    Ok(Answer {
        status,
        headers,
        body,
        elapsed,
    })
}

fn dechunk(mut b: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = b
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("a chunk without its size line")?;
        let size = usize::from_str_radix(
            std::str::from_utf8(&b[..eol])
                .map_err(|e| e.to_string())?
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .map_err(|e| e.to_string())?;
        if size == 0 {
            return Ok(out);
        }
        let start = eol + 2;
        out.extend_from_slice(b.get(start..start + size).ok_or("a chunk cut short")?);
        b = &b[(start + size + 2).min(b.len())..];
    }
}

fn trunc(b: &[u8]) -> String {
    String::from_utf8_lossy(&b[..b.len().min(300)]).into_owned()
}

/// Percent-encode every byte but the unreserved ones (RFC 3986 §2.3).
fn pct(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &b in s {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}

/// The parameter names of a query string, split and decoded as the server reads them.
fn names_in(query: &[u8]) -> Vec<String> {
    form_urlencoded::parse(query)
        .map(|(n, _)| n.into_owned())
        .collect()
}

#[test]
fn a_value_sent_unencoded_may_name_parameters() {
    // `to` sent unencoded with the value "&2024-01-31": the server sees a second parameter.
    assert_eq!(names_in(b"to=&2024-01-31"), ["to", "2024-01-31"]);
    assert_eq!(names_in(b"a%5Fb=1&c+d"), ["a_b", "c d"]);
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// One operation of the OpenAPI document.
#[derive(Clone, Debug)]
struct Op {
    method: String,
    path: String,
    /// (name, in, required)
    params: Vec<(String, String, bool)>,
}

/// The operations, and for every parameter name the values the document itself suggests: its
/// enums and the `code` words of its descriptions (`2023-H1`, `district`, `beijing`).
fn read_document(doc: &Value) -> (Vec<Op>, BTreeMap<String, Vec<String>>) {
    let mut ops = Vec::new();
    let mut pool: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().unwrap() {
            let mut params = Vec::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap().to_string();
                let entry = pool.entry(name.clone()).or_default();
                for e in p["schema"]["enum"].as_array().into_iter().flatten() {
                    entry.push(e.as_str().unwrap_or_default().to_string());
                }
                let desc = p["description"].as_str().unwrap_or_default();
                for (i, part) in desc.split('`').enumerate() {
                    if i % 2 == 1 && !part.contains(' ') && !part.is_empty() {
                        entry.push(part.to_string());
                    }
                }
                params.push((
                    name,
                    p["in"].as_str().unwrap().to_string(),
                    p["required"].as_bool().unwrap_or(false),
                ));
            }
            ops.push(Op {
                method: method.to_uppercase(),
                path: path.clone(),
                params,
            });
        }
    }
    (ops, pool)
}

const BOUNDARY: &[&str] = &[
    "",
    " ",
    "0",
    "-1",
    "2147483648",
    "18446744073709551616",
    "1e309",
    "-0",
    "NaN",
    "inf",
    "2024-00-01",
    "2024-02-30",
    "2023-02-29",
    "2024-02-29",
    "0000-01-01",
    "9999-12-31",
    "-2024-01-01",
    "2024-13",
    "2024-Q0",
    "2024-Q5",
    "2024-H3",
    "2024-YTD-02-30",
    "2024-YTD-13-01",
    "2024-01-31..2024-01-01",
    "2023-01-01..2024-01-01",
    "2023-01-01..2024-01-02",
    "1900-01-01..2100-12-31",
    "2024-01-01..",
    "..",
    "2024-01-01T00:00:00Z",
    "PM2.5=",
    "PM2.5=-1",
    "PM2.5=1e400",
    "good-days=367",
    "good-days=-5",
    "PM2.5=30,PM2.5=20",
    ",,,",
];

const WRONG_TYPED: &[&str] = &[
    "true",
    "null",
    "[]",
    "{}",
    "[1,2]",
    "{\"a\":1}",
    "1.5",
    "0x1F",
    "2024.5",
    "Ⅻ",
];

const UNICODE: &[&str] = &[
    "海淀",
    "海淀区",
    "东城东四",
    "Ｈａｉｄｉａｎ",
    "ＰＭ２.５=30",
    "\u{202e}gnijieb",
    "bei\u{200b}jing",
    "e\u{301}",
    "🌫️",
    "\u{0}",
    "\u{feff}beijing",
    "ß",
    "İ",
    "\u{1d400}",
];

const INJECTION: &[&str] = &[
    "' OR '1'='1",
    "beijing'; DROP TABLE observations; --",
    "1 UNION SELECT * FROM observations",
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "<script>alert(1)</script>",
    "${jndi:ldap://example.invalid/a}",
    "{{7*7}}",
    "%00",
    "beijing\r\nX-Injected: 1",
    "$(touch /tmp/lantian-pwned)",
    "`id`",
    "*",
    "%",
    "beijing%",
];

/// A parameter's value: mostly what the document suggests, else every kind of trouble.
fn value(pool: Vec<String>) -> BoxedStrategy<Vec<u8>> {
    let pool = if pool.is_empty() {
        vec!["x".to_string()]
    } else {
        pool
    };
    let valid = proptest::sample::select(pool.clone()).prop_map(String::into_bytes);
    let mutated = (
        proptest::sample::select(pool),
        any::<proptest::sample::Index>(),
        "\\PC{0,3}",
        0..3u8,
    )
        .prop_map(|(v, at, ins, how)| {
            let mut chars: Vec<char> = v.chars().collect();
            let i = if chars.is_empty() {
                0
            } else {
                at.index(chars.len())
            };
            match how {
                0 => {
                    if !chars.is_empty() {
                        chars.remove(i);
                    }
                }
                1 => {
                    for (k, c) in ins.chars().enumerate() {
                        chars.insert(i + k, c);
                    }
                }
                _ => chars.extend(v.chars()),
            }
            chars.into_iter().collect::<String>().into_bytes()
        });
    let huge = prop_oneof![
        Just(1_000usize),
        Just(50_000),
        Just(100_000),
        Just(1_000_000)
    ]
    .prop_map(|n| "9".repeat(n).into_bytes());
    let raw = proptest::collection::vec(any::<u8>(), 0..24);
    prop_oneof![
        8 => valid,
        2 => mutated,
        2 => proptest::sample::select(BOUNDARY).prop_map(|s| s.as_bytes().to_vec()),
        1 => proptest::sample::select(WRONG_TYPED).prop_map(|s| s.as_bytes().to_vec()),
        2 => proptest::sample::select(UNICODE).prop_map(|s| s.as_bytes().to_vec()),
        2 => proptest::sample::select(INJECTION).prop_map(|s| s.as_bytes().to_vec()),
        1 => huge,
        1 => raw,
        1 => "\\PC{0,40}".prop_map(String::into_bytes),
    ]
    .boxed()
}

/// How a parameter is sent: left out, once, twice, or once without percent-encoding.
#[derive(Clone, Copy, Debug)]
enum Presence {
    Absent,
    Once,
    Twice,
    Unencoded,
}

fn presence(required: bool) -> BoxedStrategy<Presence> {
    if required {
        prop_oneof![1 => Just(Presence::Absent), 14 => Just(Presence::Once),
            1 => Just(Presence::Twice), 1 => Just(Presence::Unencoded)]
        .boxed()
    } else {
        prop_oneof![6 => Just(Presence::Absent), 6 => Just(Presence::Once),
            1 => Just(Presence::Twice), 1 => Just(Presence::Unencoded)]
        .boxed()
    }
}

/// How much of a request is fuzzed: nothing (every parameter valid, to reach the
/// computations), one parameter (the others valid: each refusal is that parameter's), or all.
#[derive(Clone, Copy, Debug)]
enum Mode {
    AllValid,
    One(proptest::sample::Index),
    All,
}

fn route_request(op: &Op, pool: &BTreeMap<String, Vec<String>>) -> BoxedStrategy<Req> {
    type Param = (String, String, Presence, Vec<u8>, Vec<u8>, Vec<u8>);
    let params: Vec<BoxedStrategy<Param>> = op
        .params
        .iter()
        .map(|(name, place, required)| {
            let p = pool.get(name).cloned().unwrap_or_default();
            let valid = proptest::sample::select(if p.is_empty() {
                vec!["x".to_string()]
            } else {
                p.clone()
            })
            .prop_map(String::into_bytes);
            let (n, pl) = (name.clone(), place.clone());
            (presence(*required), valid, value(p.clone()), value(p))
                .prop_map(move |(pr, ok, v, v2)| (n.clone(), pl.clone(), pr, ok, v, v2))
                .boxed()
        })
        .collect();
    let mode = prop_oneof![
        Just(Mode::AllValid),
        any::<proptest::sample::Index>().prop_map(Mode::One),
        Just(Mode::All),
    ];
    let unknown = proptest::option::weighted(
        0.1,
        (
            prop_oneof![
                Just("year".to_string()),
                Just("__proto__".to_string()),
                "[a-z_]{1,12}",
                Just("p".repeat(50_000))
            ],
            "\\PC{0,10}",
        ),
    );
    let method = prop_oneof![
        20 => Just(None),
        1 => proptest::sample::select(vec!["POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
            .prop_map(Some),
    ];
    let op = op.clone();
    (params, mode, unknown, method, any::<bool>())
        .prop_map(move |(params, mode, unknown, other_method, gzip)| {
            let fuzzed = match mode {
                Mode::One(i) if !params.is_empty() => Some(i.index(params.len())),
                _ => None,
            };
            let unknown = if matches!(mode, Mode::All) {
                unknown
            } else {
                None
            };
            let params: Vec<_> = params
                .into_iter()
                .enumerate()
                .map(|(k, (name, place, pr, ok, v, v2))| {
                    let required = op.params[k].2;
                    match mode {
                        Mode::All => (name, place, pr, v, v2),
                        _ if fuzzed == Some(k) => (name, place, pr, v, v2),
                        // Valid: present once when required, else as it fell.
                        _ => {
                            let pr = match pr {
                                Presence::Absent if !required => Presence::Absent,
                                _ => Presence::Once,
                            };
                            (name, place, pr, ok, v2)
                        }
                    }
                })
                .collect();
            let mut path = op.path.clone();
            let mut query: Vec<u8> = Vec::new();
            let mut sent: Vec<String> = op.params.iter().map(|p| p.0.clone()).collect();
            for (name, place, pr, v, v2) in params {
                if place == "path" {
                    let v = if matches!(pr, Presence::Absent) {
                        Vec::new()
                    } else {
                        v
                    };
                    path = path.replace(&format!("{{{name}}}"), &String::from_utf8_lossy(&pct(&v)));
                    continue;
                }
                let mut add = |val: &[u8], encode: bool| {
                    if !query.is_empty() {
                        query.push(b'&');
                    }
                    query.extend_from_slice(name.as_bytes());
                    query.push(b'=');
                    if encode {
                        query.extend_from_slice(&pct(val));
                    } else {
                        // Only what the request line can carry: no spaces or line ends.
                        query.extend(val.iter().filter(|b| !b" \r\n\t".contains(b)));
                    }
                };
                match pr {
                    Presence::Absent => continue,
                    Presence::Once => add(&v, true),
                    Presence::Twice => {
                        add(&v, true);
                        add(&v2, true);
                    }
                    Presence::Unencoded => add(&v, false),
                }
            }
            if let Some((n, v)) = unknown {
                if !query.is_empty() {
                    query.push(b'&');
                }
                query.extend_from_slice(&pct(n.as_bytes()));
                query.push(b'=');
                query.extend_from_slice(&pct(v.as_bytes()));
                sent.push(n);
            }
            // A value sent unencoded may carry `&` and `=`: whatever names the query holds
            // as the server splits it were sent too.
            sent.extend(names_in(&query));
            let mut target = format!("/api/v1{path}").into_bytes();
            if !query.is_empty() {
                target.push(b'?');
                target.extend_from_slice(&query);
            }
            let mut headers = Vec::new();
            if gzip {
                headers.push(("Accept-Encoding".into(), b"gzip".to_vec()));
            }
            let (method, kind) = match other_method {
                Some(m) => (m.to_string(), Kind::OtherMethod),
                None => (
                    op.method.clone(),
                    Kind::Route {
                        path: op.path.clone(),
                    },
                ),
            };
            Req {
                method,
                target,
                headers,
                body: Vec::new(),
                kind,
                sent,
            }
        })
        .boxed()
}

fn random_path() -> BoxedStrategy<Req> {
    let segment = prop_oneof![
        proptest::sample::select(vec![
            "..",
            "%2e%2e",
            "%2F",
            ".",
            "",
            "api",
            "v1",
            "etc",
            "passwd",
            "assets",
            "index.html",
            "openapi.json",
            "aqi",
            "latest",
            "%00",
            "%ff",
            "~root",
            ".git",
            "Cargo.toml",
            "%252e%252e"
        ])
        .prop_map(str::to_string),
        "[a-zA-Z0-9._~-]{0,12}",
        "\\PC{0,6}".prop_map(|s| String::from_utf8(pct(s.as_bytes())).unwrap()),
        Just("a".repeat(20_000)),
    ];
    (
        any::<bool>(),
        proptest::collection::vec(segment, 0..8),
        proptest::option::of("[a-z=&%0-9]{0,20}"),
    )
        .prop_map(|(api, segs, q)| {
            let mut t = if api {
                "/api/v1/".to_string()
            } else {
                "/".into()
            };
            t.push_str(&segs.join("/"));
            if let Some(q) = q {
                t.push('?');
                t.push_str(&q);
            }
            Req {
                method: "GET".into(),
                target: t.into_bytes(),
                headers: vec![],
                body: vec![],
                kind: Kind::RandomPath,
                sent: vec![],
            }
        })
        .boxed()
}

fn ingest_request(good_files: Vec<(String, Vec<u8>)>) -> BoxedStrategy<Req> {
    let token = prop_oneof![
        2 => Just((Token::Missing, None)),
        1 => Just((Token::Wrong, Some(b"Bearer wrong".to_vec()))),
        1 => Just((Token::Wrong, Some(format!("Bearer {TOKEN}x").into_bytes()))),
        1 => Just((Token::Wrong, Some(TOKEN.as_bytes().to_vec()))),
        1 => Just((Token::Wrong, Some(format!("Basic {TOKEN}").into_bytes()))),
        1 => Just((Token::Wrong, Some(format!("Bearer {}", "A".repeat(10_000)).into_bytes()))),
        1 => Just((Token::Wrong, Some(vec![b'B', b'e', 0xff, 0xfe]))),
        3 => Just((Token::Right, Some(format!("Bearer {TOKEN}").into_bytes()))),
    ];
    let names: Vec<String> = good_files.iter().map(|(n, _)| n.clone()).collect();
    let name = prop_oneof![
        4 => proptest::sample::select(names).prop_map(String::into_bytes),
        1 => value(vec!["beijing_all_20240201.csv".into()]),
        1 => Just(b"../../etc/passwd".to_vec()),
        1 => Just(b".hidden.csv".to_vec()),
        1 => Just("x".repeat(129).into_bytes()),
    ];
    let body = prop_oneof![
        3 => proptest::sample::select(good_files.clone()).prop_map(|(_, b)| b),
        2 => (proptest::sample::select(good_files), any::<proptest::sample::Index>(),
            any::<u8>()).prop_map(|((_, mut b), at, x)| {
                let i = at.index(b.len());
                b[i] = x;
                b
            }),
        1 => Just(Vec::new()),
        1 => Just(vec![b'1'; MAX_BODY + 1]),
        1 => proptest::collection::vec(any::<u8>(), 0..2000),
    ];
    (token, name, body, any::<bool>())
        .prop_map(|((token, auth), name, body, with_name)| {
            let mut target = b"/api/v1/ingest".to_vec();
            if with_name {
                target.extend_from_slice(b"?name=");
                target.extend_from_slice(&pct(&name));
            }
            let mut headers = vec![("Content-Type".to_string(), b"text/csv".to_vec())];
            if let Some(a) = auth {
                headers.push(("Authorization".into(), a));
            }
            Req {
                method: "POST".into(),
                target,
                headers,
                body,
                kind: Kind::Ingest { token },
                sent: vec!["name".into()],
            }
        })
        .boxed()
}

/// What must hold for one answer.
fn check(
    r: &Req,
    a: &Answer,
    uploads_before: Option<usize>,
    uploads_now: usize,
) -> Result<(), String> {
    if a.status >= 500 {
        return Err(format!("status {}: {}", a.status, trunc(&a.body)));
    }
    if a.elapsed > REQUEST_BOUND {
        return Err(format!("took {:.1} s", a.elapsed.as_secs_f64()));
    }
    let text = String::from_utf8_lossy(&a.body);
    if text.contains("root:x:0:0") || text.contains("[workspace]") {
        return Err(format!(
            "a file of the server was served: {}",
            trunc(&a.body)
        ));
    }
    // A request line with bytes no URI may hold (RFC 3986 §2) is refused by the HTTP layer
    // before the API sees it: a bare 400.
    let uri_ok = r
        .target
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(b));
    if let Kind::Ingest { token } = r.kind
        && token != Token::Right
    {
        // Only the HTTP layer may refuse first (a request line or header too long, bytes no
        // URI holds): it refuses before any route is chosen, so the caller learns nothing.
        let http_layer = [414, 431].contains(&a.status) || (!uri_ok && a.status == 400);
        if a.status != 401 && !http_layer {
            return Err(format!(
                "a write without the token was answered {}: {}",
                a.status,
                trunc(&a.body)
            ));
        }
        if uploads_before != Some(uploads_now) {
            return Err("a write without the token left a file in uploads/".into());
        }
    }
    let api = uri_ok
        && r.method != "HEAD"
        && r.target.starts_with(b"/api/v1/")
        && !matches!(r.kind, Kind::RandomPath);
    // Refusals of the API itself are JSON naming their parameter; the HTTP layer's own
    // (405 wrong method, 414/431 a request line or header too long) have no body, nor has any
    // answer to HEAD.
    if api && (400..500).contains(&a.status) && ![405, 414, 431].contains(&a.status) {
        let v: Value = serde_json::from_slice(&a.body)
            .map_err(|e| format!("a {} that is not JSON ({e}): {}", a.status, trunc(&a.body)))?;
        let msg = v["error"]
            .as_str()
            .ok_or_else(|| format!("no `error` in {v}"))?;
        if msg.chars().count() > 1200 {
            return Err(format!(
                "an error of {} characters: {}…",
                msg.chars().count(),
                msg.chars().take(200).collect::<String>()
            ));
        }
        // A command-line flag in an answer to an API user: `--target`, `--by <BY>`.
        let flag = msg
            .match_indices("--")
            .any(|(i, _)| msg[i + 2..].starts_with(|c: char| c.is_ascii_lowercase()));
        if flag {
            return Err(format!("an error naming a command-line flag: {msg}"));
        }
        if let Some(p) = v["parameter"].as_str() {
            // A long name is named by its first characters: `ppp… (50000 characters)`.
            let head = p.split_once('…').map_or(p, |(h, _)| h);
            let known = ["authorization", "body"].contains(&p)
                || r.sent
                    .iter()
                    .any(|s| s == p || (head != p && s.starts_with(head)));
            if !known {
                return Err(format!("names parameter {p:?}, not sent: {msg}"));
            }
        }
    }
    if a.status == 200
        && r.method != "HEAD"
        && a.headers
            .to_ascii_lowercase()
            .contains("content-type: application/json")
    {
        serde_json::from_slice::<Value>(&a.body)
            .map_err(|e| format!("a 200 whose JSON does not parse ({e})"))?;
    }
    Ok(())
}

fn requests() -> u32 {
    std::env::var("LANTIAN_API_FUZZ_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500)
}

fn uploads(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

#[test]
fn generated_requests_get_no_5xx_and_clear_bounded_refusals() {
    let (_dir, st) = common::store_of(write_fixture);
    let s = Server::start(
        &st,
        &["--max-body", &MAX_BODY.to_string()],
        &[("LANTIAN_TOKEN", TOKEN)],
    );
    let addr = s.base.trim_start_matches("http://").to_string();
    let doc = s.get("/api/v1/openapi.json").json();
    let (ops, mut pool) = read_document(&doc);
    assert!(ops.len() >= 12, "{} operations", ops.len());
    // Values of this store's own, so that valid requests reach the computations.
    let stations: Vec<String> = s
        .get("/api/v1/stations")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["code"].as_str().map(str::to_string))
        .take(6)
        .collect();
    for (name, extra) in [
        (
            "period",
            vec![
                "2024-01",
                "2024-01-01..2024-01-31",
                "2024-YTD-01-31",
                "2023-01",
            ],
        ),
        ("compare", vec!["2023-01", "none"]),
        ("from", vec!["2024-01-01", "2024-01-15", "2023-12-31"]),
        ("to", vec!["2024-01-31", "2024-01-16", "2024-02-01"]),
        ("region", vec!["beijing", "海淀", "Haidian", "dongcheng"]),
        ("target", vec!["PM2.5=30", "PM2.5=30,good-days=280"]),
        ("lang", vec!["zh", "en"]),
    ] {
        pool.entry(name.into())
            .or_default()
            .extend(extra.into_iter().map(str::to_string));
    }
    pool.entry("station".into())
        .or_default()
        .extend(stations.iter().cloned());
    let feb = NaiveDate::from_ymd_opt(2024, 2, 1).unwrap();
    let good_files: Vec<(String, Vec<u8>)> = (0..3)
        .flat_map(|k| day_files(feb + chrono::Duration::days(k), &|_| true))
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();

    let routes: Vec<BoxedStrategy<Req>> = ops
        .iter()
        .filter(|o| o.path != "/ingest")
        .map(|o| route_request(o, &pool))
        .collect();
    let n_routes = routes.len() as u32;
    let routes = proptest::strategy::Union::new(routes);
    let strategy = prop_oneof![
        8 * n_routes => routes,
        n_routes => random_path(),
        n_routes => ingest_request(good_files),
    ];

    let uploads_dir = st.join("uploads");
    let pid = s.pid();
    // The working set of the heaviest answers (a PDF bulletin, an assessment) is taken once
    // before the run: what is bounded is the growth beyond it.
    for warm in [
        "/api/v1/report?period=2024-01&format=pdf",
        "/api/v1/report?period=2024-01&format=pdf&lang=zh",
        "/api/v1/assessment?period=2024-01",
    ] {
        assert_eq!(s.get(warm).status, 200, "{warm}");
    }
    let rss_start = rss_kib(pid);
    // What was sent and seen (the runner's closure is `Fn`: kept in a cell).
    let seen = std::cell::RefCell::new((
        0u32,
        rss_start,
        BTreeMap::<String, (u32, u32, Duration)>::new(),
        BTreeMap::<u16, u32>::new(),
    ));
    let mut runner = TestRunner::new(Config {
        cases: requests(),
        failure_persistence: None,
        ..Config::default()
    });
    let t0 = Instant::now();
    let result = runner.run(&strategy, |r| {
        let before = matches!(r.kind, Kind::Ingest { .. }).then(|| uploads(&uploads_dir));
        let a =
            send(&addr, &r).map_err(|e| TestCaseError::fail(format!("{}: {e}", r.summary())))?;
        let mut g = seen.borrow_mut();
        let (sent, rss_peak, by_kind, statuses) = &mut *g;
        *sent += 1;
        *statuses.entry(a.status).or_default() += 1;
        let key = match &r.kind {
            Kind::Route { path } => path.clone(),
            Kind::Ingest { token } => format!("/ingest ({token:?} token)"),
            k => format!("{k:?}"),
        };
        let e = by_kind.entry(key).or_default();
        e.0 += 1;
        e.1 += u32::from(a.status == 200);
        e.2 = e.2.max(a.elapsed);
        let rss = rss_kib(pid);
        *rss_peak = (*rss_peak).max(rss);
        if *sent % (requests() / 10).max(1) == 0 {
            let threads = std::fs::read_to_string(format!("/proc/{pid}/status"))
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("Threads:"))
                        .map(str::to_string)
                })
                .unwrap_or_default();
            eprintln!("fuzz_api: after {sent} requests the server holds {rss} kB ({threads})");
        }
        drop(g);
        check(&r, &a, before, uploads(&uploads_dir))
            .map_err(|e| TestCaseError::fail(format!("{}: {e}", r.summary())))
    });
    let (sent, rss_peak, by_kind, statuses) = seen.into_inner();
    eprintln!(
        "fuzz_api: {sent} requests in {:.1} s; statuses {statuses:?}; server memory {rss_start} → peak {rss_peak} kB",
        t0.elapsed().as_secs_f64()
    );
    for (k, (n, ok, max)) in &by_kind {
        eprintln!(
            "  {k}: {n} requests, {ok} answered 200, slowest {:.2} s",
            max.as_secs_f64()
        );
    }
    if let Err(e) = result {
        panic!("{e}\nserver log (end): {}", {
            let l = s.log();
            l[l.len().saturating_sub(3000)..].to_string()
        });
    }
    assert!(
        rss_peak - rss_start < MEMORY_GROWTH_BOUND_KIB,
        "server memory grew from {rss_start} to {rss_peak} kB"
    );
    // Every kind of request was tried, and refusals as well as answers were seen.
    assert!(by_kind.len() >= 10, "{by_kind:?}");
    for code in [200, 400, 401, 404] {
        assert!(statuses.contains_key(&code), "no {code} in {statuses:?}");
    }
    let h = s.get("/api/v1/health").json();
    assert!(
        h["cache"]["bytes"].as_u64().unwrap() <= h["cache"]["max_bytes"].as_u64().unwrap(),
        "{h}"
    );
}

/// Read from `c` until it is closed; how long that took (`None`: still open at `within`).
fn closed_within(c: &mut TcpStream, within: Duration) -> Option<Duration> {
    let t0 = Instant::now();
    c.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match c.read(&mut buf) {
            Ok(0) => return Some(t0.elapsed()),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(t0.elapsed());
            }
            Err(_) => return None,
        }
    }
}

#[test]
fn slow_and_silent_clients_are_cut_off_and_others_are_served_meanwhile() {
    let (_dir, st) = common::store_of(write_fixture);
    let s = Server::start(
        &st,
        &["--header-timeout", "1", "--body-timeout", "2"],
        &[("LANTIAN_TOKEN", TOKEN)],
    );
    let addr = s.base.trim_start_matches("http://").to_string();
    // 300 clients that send half a request line, and 50 that send nothing at all.
    let mut slow: Vec<TcpStream> = (0..350)
        .map(|i| {
            let mut c = TcpStream::connect(&addr).unwrap();
            if i < 300 {
                c.write_all(b"GET /api/v1/hea").unwrap();
            }
            c
        })
        .collect();
    // Meanwhile others are served at once.
    for _ in 0..20 {
        let t = Instant::now();
        let r = s.get("/api/v1/health");
        assert_eq!(r.status, 200);
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    }
    // One byte every 300 ms keeps no head alive past the timeout: cut off at ~1 s.
    let mut trickle = TcpStream::connect(&addr).unwrap();
    let t0 = Instant::now();
    let mut cut = false;
    for b in b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaa" {
        if trickle.write_all(&[*b]).is_err() {
            cut = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
        if t0.elapsed() > Duration::from_secs(4) {
            break;
        }
    }
    let cut = cut || closed_within(&mut trickle, Duration::from_secs(3)).is_some();
    assert!(cut, "a trickled head was not cut off");
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
    for (i, c) in slow.iter_mut().enumerate() {
        let closed = closed_within(c, Duration::from_secs(3));
        assert!(closed.is_some(), "slow client {i} still open");
    }
    // An idle kept-alive connection is closed too.
    let mut idle = TcpStream::connect(&addr).unwrap();
    idle.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(closed_within(&mut idle, Duration::from_secs(4)).is_some());
    // A body sent a byte at a time is answered 408 once its deadline passes, and nothing is
    // ingested.
    let mut body = TcpStream::connect(&addr).unwrap();
    body.write_all(
        format!(
            "POST /api/v1/ingest?name=beijing_all_20240201.csv HTTP/1.1\r\nHost: x\r\n\
             Authorization: Bearer {TOKEN}\r\nContent-Length: 5000\r\n\r\n"
        )
        .as_bytes(),
    )
    .unwrap();
    let t0 = Instant::now();
    body.set_read_timeout(Some(Duration::from_millis(250)))
        .unwrap();
    let mut answer = Vec::new();
    while t0.elapsed() < Duration::from_secs(8) {
        let _ = body.write_all(b"d");
        let mut buf = [0u8; 4096];
        match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
        if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"parameter\":\"body\""), "{text}");
    assert!(t0.elapsed() < Duration::from_secs(4), "{:?}", t0.elapsed());
    assert!(!st.join("uploads/beijing_all_20240201.csv").exists());
    assert_eq!(s.get("/api/v1/health").json()["generation"], 1);
}
