//! # lantian-fetch: resumable download of the public daily-file archive
//!
//! The public air-quality archive (the [quotsoft.net](https://quotsoft.net/air/) layout) is a flat
//! directory of one CSV file per day and network: `beijing_all_YYYYMMDD.csv` and
//! `beijing_extra_YYYYMMDD.csv` for the Beijing network ([`Network::Beijing`]), and
//! `china_sites_YYYYMMDD.csv` for the national network ([`Network::National`]). A file's URL is
//! `{base_url}/{file_name}`. The base URL is part of the [`FetchPlan`] and defaults to
//! [`DEFAULT_BASE_URL`]; it is configurable because the archive is run by volunteers, its layout
//! has changed before and may change again (a mirror, or a local test server, works the same).
//!
//! [`fetch`] downloads every file of a date range into one directory, one file at a time, and
//! reports each file to a callback as it is finished, so that a caller (the CLI) can draw its own
//! progress display. Downloads are **resumable** and **never leave a half file under a data
//! name**:
//!
//! - a file is written to `NAME.part` first. If a `.part` is already there (an interrupted run),
//!   the request carries `Range: bytes=N-` and the answer is appended when the server replies
//!   `206 Partial Content` with a matching `Content-Range`; a plain `200` restarts from zero;
//! - only when the body is complete *and* has been validated is `NAME.part` renamed to `NAME`
//!   (an atomic rename in the same directory, after an `fsync`);
//! - a final file that already exists is skipped ([`Outcome::AlreadyPresent`]) without a
//!   request, so running the same plan again completes an interrupted run and costs nothing
//!   once everything is there.
//!
//! Archives have gaps and sometimes serve error pages with status 200, so every body is validated
//! with [`lantian_ingest::detect::detect`] before it is kept: an empty body, an HTML page, text
//! that is neither UTF-8 nor GBK, or a header of the wrong format is reported as
//! [`Outcome::Rejected`] and its `.part` deleted. A `404` (or `410`) is [`Outcome::Missing`]: the
//! run goes on with the next day. Neither is an error. Transport failures (connection refused,
//! reset, time-out, a body cut short) and `5xx`/`429` answers are retried with exponential
//! back-off ([`FetchOptions`]); a retry of a body cut short resumes from the bytes already on
//! disk. Only when the retries are exhausted, or on a local I/O failure, does [`fetch`] stop with
//! a [`FetchError`] that names the URL or the path concerned.
//!
//! The client asks for `Accept-Encoding: identity`, so that byte ranges refer to the bytes that
//! are saved. Files are streamed to disk; a body larger than [`MAX_FILE_BYTES`] is rejected.
//!
//! ```no_run
//! use chrono::NaiveDate;
//! use lantian_fetch::{fetch, FetchPlan, Network, Outcome, DEFAULT_BASE_URL};
//!
//! let plan = FetchPlan {
//!     network: Network::Beijing,
//!     from: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
//!     to: NaiveDate::from_ymd_opt(2023, 1, 31).unwrap(),
//!     base_url: DEFAULT_BASE_URL.to_string(),
//!     out_dir: "data/beijing".into(),
//! };
//! let results = fetch(&plan, &mut |r, done, total| {
//!     eprintln!("[{done}/{total}] {}: {}", r.name, r.outcome);
//! })?;
//! let missing = results.iter().filter(|r| matches!(r.outcome, Outcome::Missing { .. })).count();
//! eprintln!("{missing} day files are not in the archive");
//! # Ok::<(), lantian_fetch::FetchError>(())
//! ```

use chrono::NaiveDate;
use lantian_ingest::detect::{Format, detect};
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// The default archive location. The archive layout is not under our control and may change:
/// pass another base URL in [`FetchPlan::base_url`] (a mirror, or a local copy served over HTTP).
pub const DEFAULT_BASE_URL: &str = "https://quotsoft.net/air/data";

/// Bodies larger than this are not daily files (the largest national file is a few MB); they
/// are rejected instead of being written to disk without end.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The suffix of a download in progress: `NAME.part` becomes `NAME` when complete and valid.
pub const PART_SUFFIX: &str = ".part";

/// A monitoring network of the archive, which decides the file names of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Network {
    /// Beijing (BJMEMC): two files a day, `beijing_all_YYYYMMDD.csv` (PM2.5, PM10, AQI...) and
    /// `beijing_extra_YYYYMMDD.csv` (SO2, NO2, O3, CO...).
    Beijing,
    /// National (CNEMC): one file a day, `china_sites_YYYYMMDD.csv`.
    National,
}

impl Network {
    /// The file-name prefixes of this network, in download order (`prefix_YYYYMMDD.csv`).
    pub fn prefixes(self) -> &'static [&'static str] {
        match self {
            Network::Beijing => &["beijing_all", "beijing_extra"],
            Network::National => &["china_sites"],
        }
    }

    /// The name used on the command line and in messages: `beijing` or `national`.
    pub fn as_str(self) -> &'static str {
        match self {
            Network::Beijing => "beijing",
            Network::National => "national",
        }
    }

    /// The format [`detect`] must recognise in this network's files.
    fn format(self) -> Format {
        match self {
            Network::Beijing => Format::Bjmemc,
            Network::National => Format::Cnemc,
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A network name that is neither `beijing` nor `national`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown network {0:?} (expected \"beijing\" or \"national\")")]
pub struct UnknownNetwork(pub String);

impl FromStr for Network {
    type Err = UnknownNetwork;

    /// Parses `beijing` or `national` (ASCII case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "beijing" => Ok(Network::Beijing),
            "national" => Ok(Network::National),
            _ => Err(UnknownNetwork(s.to_string())),
        }
    }
}

/// The names of the archive files of `network` from `from` to `to`, both inclusive, in date
/// order; for Beijing, `beijing_all_*` then `beijing_extra_*` for each day. Empty when `from` is
/// after `to`.
///
/// ```
/// use chrono::NaiveDate;
/// use lantian_fetch::{file_names, Network};
/// let d = |day| NaiveDate::from_ymd_opt(2023, 1, day).unwrap();
/// assert_eq!(
///     file_names(Network::Beijing, d(1), d(2)),
///     ["beijing_all_20230101.csv", "beijing_extra_20230101.csv",
///      "beijing_all_20230102.csv", "beijing_extra_20230102.csv"],
/// );
/// assert_eq!(file_names(Network::National, d(3), d(3)), ["china_sites_20230103.csv"]);
/// ```
pub fn file_names(network: Network, from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut names = Vec::new();
    let mut day = from;
    while day <= to {
        for prefix in network.prefixes() {
            names.push(format!("{prefix}_{}.csv", day.format("%Y%m%d")));
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    names
}

/// The URL of a file: `{base_url}/{name}`, with any trailing `/` of the base removed.
///
/// ```
/// assert_eq!(
///     lantian_fetch::file_url("https://example.org/air/", "china_sites_20230101.csv"),
///     "https://example.org/air/china_sites_20230101.csv",
/// );
/// ```
pub fn file_url(base_url: &str, name: &str) -> String {
    format!("{}/{name}", base_url.trim_end_matches('/'))
}

/// What to download and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPlan {
    /// Which network's files.
    pub network: Network,
    /// First day, inclusive.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// Where the archive is: usually [`DEFAULT_BASE_URL`]; files are `{base_url}/{name}`.
    pub base_url: String,
    /// The directory the files are saved to (created if absent). Files are saved under their
    /// archive name, flat.
    pub out_dir: PathBuf,
}

impl FetchPlan {
    /// The file names of this plan, as [`file_names`].
    pub fn file_names(&self) -> Vec<String> {
        file_names(self.network, self.from, self.to)
    }
}

/// How persistent the client is. [`fetch`] uses [`FetchOptions::default`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FetchOptions {
    /// How many times a failed request (transport error, `5xx`, `429`, a body cut short) is
    /// retried before [`fetch`] gives up with an error. Default 3 (so at most 4 attempts).
    pub retries: u32,
    /// The pause before the first retry; it doubles before each further retry. Default 1 s.
    pub retry_delay: Duration,
    /// Time-out for connecting, and for each read of the response. Default 30 s.
    pub timeout: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            retries: 3,
            retry_delay: Duration::from_secs(1),
            timeout: Duration::from_secs(30),
        }
    }
}

/// What happened to one file. Only [`FetchError`] stops a run; every outcome here lets it go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Downloaded from the start and saved; `bytes` is the size of the saved file.
    Downloaded { bytes: u64 },
    /// Completed from a partial download (a `.part` left by an earlier run, or a body cut short
    /// and resumed with a range request); `bytes` is the size of the saved file.
    Resumed { bytes: u64 },
    /// The file was already there; nothing was requested.
    AlreadyPresent,
    /// The archive does not have this file (HTTP `status`, `404` or `410`): archives have gaps.
    Missing { status: u16 },
    /// The server sent something that is not this file's data (empty body, HTML page, wrong
    /// format...). Nothing was saved and the `.part` was deleted. `reason` is readable text,
    /// usually the [`lantian_ingest::RejectReason`] display.
    Rejected { reason: String },
}

impl Outcome {
    /// Whether the file is on disk under its final name after this outcome.
    pub fn is_present(&self) -> bool {
        matches!(
            self,
            Outcome::Downloaded { .. } | Outcome::Resumed { .. } | Outcome::AlreadyPresent
        )
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Downloaded { bytes } => write!(f, "downloaded ({bytes} bytes)"),
            Outcome::Resumed { bytes } => write!(f, "resumed ({bytes} bytes)"),
            Outcome::AlreadyPresent => write!(f, "already present"),
            Outcome::Missing { status } => write!(f, "not in the archive (HTTP {status})"),
            Outcome::Rejected { reason } => write!(f, "rejected: {reason}"),
        }
    }
}

/// The outcome of one file of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileResult {
    /// The archive file name, e.g. `beijing_all_20230101.csv`.
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
}

/// A failure that stops a run. Files finished before it are saved (and were reported to the
/// callback); running the plan again resumes from there.
///
/// Messages name the URL or path; the underlying cause is the error's
/// [`source`](std::error::Error::source) (print the chain, e.g. with anyhow's `{:#}`).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// `from` is after `to`.
    #[error("empty date range: {from} is after {to}")]
    InvalidRange { from: NaiveDate, to: NaiveDate },
    /// The request could not be completed after all retries (or failed in a way retrying
    /// cannot fix, such as an invalid URL).
    #[error("GET {url}: failed after {attempts} attempt(s)")]
    Transport {
        url: String,
        attempts: u32,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// The server answered with a status that is neither data nor "missing" (e.g. `403`, or a
    /// `5xx` that persisted through all retries).
    #[error("GET {url}: unexpected HTTP status {status} after {attempts} attempt(s)")]
    Status {
        url: String,
        status: u16,
        attempts: u32,
    },
    /// A local file operation failed.
    #[error("cannot {action} {}", path.display())]
    Io {
        /// What was being done, e.g. `"write"`, `"rename to final name"`.
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> FetchError {
    move |source| FetchError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Download the files of `plan` with [`FetchOptions::default`]; see [`fetch_with`].
pub fn fetch(
    plan: &FetchPlan,
    on_file: &mut dyn FnMut(&FileResult, usize, usize),
) -> Result<Vec<FileResult>, FetchError> {
    fetch_with(plan, &FetchOptions::default(), on_file)
}

/// Download the files of `plan`, one after the other, into `plan.out_dir`.
///
/// After each file, `on_file(result, done, total)` is called, `done` counting from 1 to `total`
/// (the number of files in the plan), so that the caller can display progress. Returns the
/// results in plan order. See the [crate documentation](crate) for resumption and validation.
///
/// # Errors
///
/// [`FetchError::InvalidRange`] if `plan.from > plan.to`; [`FetchError::Transport`] or
/// [`FetchError::Status`] when a request still fails after `options.retries` retries;
/// [`FetchError::Io`] when the output directory or a file cannot be written.
pub fn fetch_with(
    plan: &FetchPlan,
    options: &FetchOptions,
    on_file: &mut dyn FnMut(&FileResult, usize, usize),
) -> Result<Vec<FileResult>, FetchError> {
    if plan.from > plan.to {
        return Err(FetchError::InvalidRange {
            from: plan.from,
            to: plan.to,
        });
    }
    let names = plan.file_names();
    let total = names.len();
    fs::create_dir_all(&plan.out_dir).map_err(io_err("create directory", &plan.out_dir))?;
    let client = Client::new(options);
    let mut results = Vec::with_capacity(total);
    for (i, name) in names.into_iter().enumerate() {
        let outcome = client.fetch_one(plan, &name)?;
        let result = FileResult { name, outcome };
        on_file(&result, i + 1, total);
        results.push(result);
    }
    Ok(results)
}

/// How one attempt ended, when it did not produce a complete `.part`.
enum Attempt {
    /// Done with this file (missing, rejected, or a definitive error).
    Finished(Result<Outcome, FetchError>),
    /// A failure worth retrying.
    Retry(RetryCause),
    /// The partial file cannot be resumed (416, or a mismatching range): start again at once.
    Restart,
}

enum RetryCause {
    Transport(Box<dyn std::error::Error + Send + Sync + 'static>),
    Status(u16),
}

struct Client<'a> {
    agent: ureq::Agent,
    options: &'a FetchOptions,
}

impl<'a> Client<'a> {
    fn new(options: &'a FetchOptions) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Byte ranges must refer to the bytes we save, so no transparent decompression.
            .accept_encoding("identity")
            .user_agent(concat!("lantian-fetch/", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(options.timeout))
            .timeout_per_read(Some(options.timeout))
            .build()
            .new_agent();
        Client { agent, options }
    }

    fn fetch_one(&self, plan: &FetchPlan, name: &str) -> Result<Outcome, FetchError> {
        let final_path = plan.out_dir.join(name);
        if final_path.exists() {
            return Ok(Outcome::AlreadyPresent);
        }
        let part_path = plan.out_dir.join(format!("{name}{PART_SUFFIX}"));
        let url = file_url(&plan.base_url, name);
        let mut failures = 0u32;
        let resumed = loop {
            match self.attempt(&url, &part_path) {
                Ok(resumed) => break resumed,
                Err(Attempt::Finished(mut result)) => {
                    if let Err(
                        FetchError::Status { attempts, .. }
                        | FetchError::Transport { attempts, .. },
                    ) = &mut result
                    {
                        *attempts = failures + 1;
                    }
                    return result;
                }
                // Only a non-empty .part can be refused, and it is deleted here: a second
                // restart needs a new partial body, i.e. a counted failure in between.
                Err(Attempt::Restart) => remove_if_exists(&part_path)?,
                Err(Attempt::Retry(cause)) => {
                    failures += 1;
                    if failures > self.options.retries {
                        return Err(match cause {
                            RetryCause::Transport(source) => FetchError::Transport {
                                url,
                                attempts: failures,
                                source,
                            },
                            RetryCause::Status(status) => FetchError::Status {
                                url,
                                status,
                                attempts: failures,
                            },
                        });
                    }
                    let factor = 1u32 << (failures - 1).min(16);
                    std::thread::sleep(self.options.retry_delay.saturating_mul(factor));
                }
            }
        };
        self.finish(plan.network, name, &part_path, &final_path, resumed)
    }

    /// One request. On success the `.part` holds the complete body; returns whether the last
    /// response appended to earlier bytes (206).
    fn attempt(&self, url: &str, part_path: &Path) -> Result<bool, Attempt> {
        let offset = match fs::metadata(part_path) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
            Err(e) => return Err(finished(io_err("inspect", part_path)(e))),
        };
        let mut request = self.agent.get(url);
        if offset > 0 {
            request = request.header("Range", format!("bytes={offset}-"));
        }
        let response = match request.call() {
            Ok(r) => r,
            Err(e) => return Err(transport(url, e)),
        };
        let status = response.status().as_u16();
        let append = match status {
            200 => false,
            206 if offset > 0 => {
                let start = response
                    .headers()
                    .get("Content-Range")
                    .and_then(|v| v.to_str().ok())
                    .and_then(content_range_start);
                if start != Some(offset) {
                    return Err(Attempt::Restart);
                }
                true
            }
            416 if offset > 0 => return Err(Attempt::Restart),
            404 | 410 => {
                if let Err(e) = remove_if_exists(part_path) {
                    return Err(finished(e));
                }
                return Err(Attempt::Finished(Ok(Outcome::Missing { status })));
            }
            429 | 500..=599 => return Err(Attempt::Retry(RetryCause::Status(status))),
            _ => {
                return Err(finished(FetchError::Status {
                    url: url.to_string(),
                    status,
                    attempts: 1,
                }));
            }
        };
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .append(append)
            .truncate(!append)
            .open(part_path)
            .map_err(|e| finished(io_err("create", part_path)(e)))?;
        let mut reader = response
            .into_body()
            .into_with_config()
            .limit(MAX_FILE_BYTES.saturating_sub(if append { offset } else { 0 }))
            .reader();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    // Whatever arrived stays in the .part: the retry resumes after it.
                    let _ = file.flush();
                    return Err(body_error(part_path, e));
                }
            };
            file.write_all(&buf[..n])
                .map_err(|e| finished(io_err("write", part_path)(e)))?;
        }
        file.sync_all()
            .map_err(|e| finished(io_err("write", part_path)(e)))?;
        Ok(append)
    }

    /// Validate the complete `.part` and rename it, or delete it and report the rejection.
    fn finish(
        &self,
        network: Network,
        name: &str,
        part_path: &Path,
        final_path: &Path,
        resumed: bool,
    ) -> Result<Outcome, FetchError> {
        let bytes = fs::read(part_path).map_err(io_err("read", part_path))?;
        if let Some(reason) = rejection(network, name, &bytes) {
            fs::remove_file(part_path).map_err(io_err("remove", part_path))?;
            return Ok(Outcome::Rejected { reason });
        }
        fs::rename(part_path, final_path).map_err(io_err("rename to final name", part_path))?;
        let bytes = bytes.len() as u64;
        Ok(if resumed {
            Outcome::Resumed { bytes }
        } else {
            Outcome::Downloaded { bytes }
        })
    }
}

fn finished(e: FetchError) -> Attempt {
    Attempt::Finished(Err(e))
}

/// A request that failed before a response: retried unless retrying cannot help.
fn transport(url: &str, e: ureq::Error) -> Attempt {
    match e {
        ureq::Error::BadUri(_) | ureq::Error::Http(_) | ureq::Error::RequireHttpsOnly(_) => {
            finished(FetchError::Transport {
                url: url.to_string(),
                attempts: 1,
                source: Box::new(e),
            })
        }
        e => Attempt::Retry(RetryCause::Transport(Box::new(e))),
    }
}

/// A body that could not be read to its end.
fn body_error(part_path: &Path, e: io::Error) -> Attempt {
    let too_large = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>())
        .is_some_and(|inner| matches!(inner, ureq::Error::BodyExceedsLimit(_)));
    if too_large {
        return Attempt::Finished(remove_if_exists(part_path).map(|()| Outcome::Rejected {
            reason: format!("larger than {MAX_FILE_BYTES} bytes: not a daily file"),
        }));
    }
    Attempt::Retry(RetryCause::Transport(Box::new(e)))
}

/// The start offset of a `Content-Range: bytes START-END/TOTAL` header.
fn content_range_start(value: &str) -> Option<u64> {
    let range = value.trim().strip_prefix("bytes")?.trim_start();
    let (start, _) = range.split_once('-')?;
    start.trim().parse().ok()
}

/// Why these bytes must not be saved as `name`, if they must not.
fn rejection(network: Network, name: &str, bytes: &[u8]) -> Option<String> {
    let detected = match detect(name, bytes) {
        Ok(d) => d,
        Err(reason) => return Some(reason.to_string()),
    };
    // `detect` already rejects HTML documents; this also refuses any markup, or a page that
    // mentions `<html` after a line of text, which can never be a valid daily file.
    let head = &bytes[..bytes.len().min(2048)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let trimmed = head.trim_ascii_start();
    if trimmed.starts_with(b"<") || contains_ignore_case(head, b"<html") {
        return Some(format!(
            "an HTML page, not data (the body {} in its first 2 KB)",
            if trimmed.starts_with(b"<") {
                "starts with '<'"
            } else {
                "contains \"<html\""
            }
        ));
    }
    let expected = network.format();
    if detected.format != expected {
        return Some(format!(
            "recognised as {} while a {network} file must be {expected}",
            detected.format
        ));
    }
    None
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn remove_if_exists(path: &Path) -> Result<(), FetchError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("remove", path)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parsing() {
        assert_eq!(content_range_start("bytes 100-199/200"), Some(100));
        assert_eq!(content_range_start("bytes 0-0/*"), Some(0));
        assert_eq!(content_range_start("items 1-2/3"), None);
        assert_eq!(content_range_start("bytes */200"), None);
    }

    #[test]
    fn network_names_round_trip() {
        for n in [Network::Beijing, Network::National] {
            assert_eq!(n.to_string().parse::<Network>(), Ok(n));
        }
        assert_eq!("Beijing".parse::<Network>(), Ok(Network::Beijing));
        assert!("shanghai".parse::<Network>().is_err());
    }

    #[test]
    fn reversed_range_has_no_files() {
        let d = |day| NaiveDate::from_ymd_opt(2023, 1, day).unwrap();
        assert!(file_names(Network::Beijing, d(3), d(1)).is_empty());
        assert_eq!(file_names(Network::Beijing, d(1), d(31)).len(), 62);
    }

    #[test]
    fn markup_is_rejected_even_if_detect_accepts_it() {
        let body = b"date,hour,type,A\n<html>\n";
        assert!(rejection(Network::Beijing, "beijing_all_20230101.csv", body).is_some());
    }
}
