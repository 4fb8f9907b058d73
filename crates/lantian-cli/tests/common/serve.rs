//! `lantian serve` from the tests: a server process on a free loopback port, an HTTP client that
//! reports every status (4xx included), and the hand-made store the API tests use.

use chrono::{Datelike, Duration, NaiveDate};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// A running `lantian serve`; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    /// Everything the server printed (stdout and stderr).
    log: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub etag: Option<String>,
    pub cache_control: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::config::Config::builder()
            .http_status_as_error(false)
            .build(),
    )
}

impl Server {
    /// `lantian --store STORE serve --addr 127.0.0.1:0 ARGS...` with `env`; waits for the
    /// address it prints.
    pub fn start(store: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(super::bin());
        cmd.arg("--store")
            .arg(store)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .env_remove("LANTIAN_TOKEN")
            .env_remove("LANTIAN_GEOJSON")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("starting lantian serve");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let l = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(a) = line.strip_prefix("lantian serve: listening on ") {
                    let _ = tx.send(a.to_string());
                }
                l.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let stderr = child.stderr.take().unwrap();
        let l = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                l.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let base = match rx.recv_timeout(std::time::Duration::from_secs(180)) {
            Ok(b) => b,
            Err(_) => {
                let _ = child.kill();
                panic!("lantian serve did not start: {}", log.lock().unwrap());
            }
        };
        Server {
            child,
            base,
            log,
            agent: agent(),
        }
    }

    /// The server's process id (for its memory in /proc).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn answer(mut r: ureq::http::Response<ureq::Body>) -> Answer {
        let h = |n: &str| {
            r.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (content_type, etag, cache_control) = (
            h("content-type").unwrap_or_default(),
            h("etag"),
            h("cache-control"),
        );
        let body = r
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .unwrap_or_default();
        Answer {
            status: r.status().as_u16(),
            content_type,
            etag,
            cache_control,
            body,
        }
    }

    pub fn get(&self, path: &str) -> Answer {
        Server::answer(self.agent.get(self.url(path)).call().expect("GET"))
    }

    pub fn get_with(&self, path: &str, header: (&str, &str)) -> Answer {
        Server::answer(
            self.agent
                .get(self.url(path))
                .header(header.0, header.1)
                .call()
                .expect("GET"),
        )
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &[u8]) -> Answer {
        let mut req = self.agent.post(self.url(path));
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        match req.send(body) {
            Ok(r) => Server::answer(r),
            // The server may close the connection on an oversized body before reading it.
            Err(e) => Answer {
                status: 0,
                content_type: String::new(),
                etag: None,
                cache_control: None,
                body: e.to_string().into_bytes(),
            },
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// PM2.5 at 东城东四 on day `d` (constant through the day): 40 + 5·(d mod 5) in January 2023,
/// 30 + 5·(d mod 5) in January 2024, except 75 on 2024-01-31 (the latest day). 海淀万柳 has
/// 40 more. PM10 = 1.5 × PM2.5. SO2 5, NO2 30, CO 0.5, O3 60 at every hour. 2024-01-10 has no
/// PM at 万柳 (a gap).
pub fn pm25(station: usize, d: NaiveDate) -> Option<f64> {
    if station == 1 && d == NaiveDate::from_ymd_opt(2024, 1, 10).unwrap() {
        return None;
    }
    let base = if d == NaiveDate::from_ymd_opt(2024, 1, 31).unwrap() {
        75.0
    } else if d.year() == 2023 {
        40.0 + 5.0 * (d.day() % 5) as f64
    } else {
        30.0 + 5.0 * (d.day() % 5) as f64
    };
    Some(base + if station == 1 { 40.0 } else { 0.0 })
}

/// The two files (`beijing_all_`, `beijing_extra_`) of file-day `fd` for the days in
/// `days` (hour 0 of a file ends the day before; hours 1..23 end on `fd`).
pub fn day_files(fd: NaiveDate, days: &dyn Fn(NaiveDate) -> bool) -> [(String, String); 2] {
    let d = fd.format("%Y%m%d").to_string();
    let mut all = String::from("date,hour,type,东城东四,海淀万柳");
    let mut extra = String::from("date,hour,type,东城东四,海淀万柳");
    for h in 0..24 {
        let nd = if h == 0 { fd.pred_opt().unwrap() } else { fd };
        if !days(nd) {
            continue;
        }
        let cell = |s: usize, k: f64| {
            pm25(s, nd)
                .map(|v| format!("{}", v * k))
                .unwrap_or_default()
        };
        all.push_str(&format!(
            "\n{d},{h},PM2.5,{},{}\n{d},{h},PM10,{},{}",
            cell(0, 1.0),
            cell(1, 1.0),
            cell(0, 1.5),
            cell(1, 1.5)
        ));
        for (t, v) in [("SO2", "5"), ("NO2", "30"), ("CO", "0.5"), ("O3", "60")] {
            extra.push_str(&format!("\n{d},{h},{t},{v},{v}"));
        }
    }
    [
        (format!("beijing_all_{d}.csv"), all),
        (format!("beijing_extra_{d}.csv"), extra),
    ]
}

/// January 2023 and January 2024 (the files of 1 January to 1 February of each year).
pub fn write_fixture(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for year in [2023, 2024] {
        for k in 0..32 {
            let fd = NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + Duration::days(k);
            for (name, text) in day_files(fd, &|nd| nd.year() == year && nd.month() == 1) {
                std::fs::write(dir.join(name), text).unwrap();
            }
        }
    }
}

/// Whether the browser test can run here: node, Debian's chromium, playwright-core and the
/// built dashboard. `Err` names what is missing.
pub fn browser_ready() -> Result<PathBuf, String> {
    let web =
        Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("../../web");
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("node is not installed".into());
    }
    if !Path::new("/usr/bin/chromium").exists() && std::env::var_os("CHROMIUM").is_none() {
        return Err(
            "chromium is not installed (apt-get install chromium; scripts/setup.sh)".into(),
        );
    }
    if !web.join("node_modules/playwright-core").is_dir() {
        return Err(
            "web/node_modules/playwright-core is missing (scripts/setup.sh runs npm ci)".into(),
        );
    }
    if !web.join("dist/index.html").is_file() {
        return Err("web/dist is not built (scripts/setup.sh runs npm run build)".into());
    }
    Ok(web)
}

/// Percent-encode what a URL cannot hold as is (non-ASCII, spaces, `+`, `%`, `&`, `#`).
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~=/?:,&".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
