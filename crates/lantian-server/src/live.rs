//! Live ingest from a watched folder: files that appear (or change) there are ingested while
//! the server runs, and the next snapshot serves them.
//!
//! A file is taken once its size and modification time have stayed the same over one polling
//! interval, so a file still being copied is not read half-written; hidden files (`.name`,
//! the usual temporary names of copy tools) are never taken. Polling rather than inotify: it
//! works the same on network shares and bind mounts, where change events are unreliable, and
//! an interval of seconds is nothing against data that arrive hourly.

use crate::routes::Shared;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

type Seen = HashMap<PathBuf, (u64, SystemTime)>;

fn scan(dir: &Path) -> Seen {
    let files = lantian_ingest::discover(&[dir.to_path_buf()]).unwrap_or_default();
    files
        .into_iter()
        .filter_map(|p| {
            let m = std::fs::metadata(&p).ok()?;
            Some((p, (m.len(), m.modified().ok()?)))
        })
        .collect()
}

/// Poll `dir` every `interval` until the process ends.
pub async fn watch(state: Shared, dir: PathBuf, interval: Duration) {
    let mut previous = Seen::new();
    let mut taken = Seen::new();
    let mut last_fault: Option<String> = None;
    loop {
        let d = dir.clone();
        let now = tokio::task::spawn_blocking(move || scan(&d))
            .await
            .unwrap_or_default();
        let ready: Vec<PathBuf> = now
            .iter()
            .filter(|(p, st)| previous.get(*p) == Some(st) && taken.get(*p) != Some(st))
            .map(|(p, _)| p.clone())
            .collect();
        if !ready.is_empty() {
            match state.ingest(&ready).await {
                Ok(summary) => {
                    if last_fault.take().is_some() {
                        eprintln!("lantian serve: watch: the store takes files again");
                    }
                    for p in &ready {
                        taken.insert(p.clone(), now[p]);
                    }
                    for f in summary.files.iter().filter(|f| !f.skipped_unchanged) {
                        eprintln!(
                            "lantian serve: watch: {}: {} new, {} revised values{}",
                            f.report.file,
                            f.values_new,
                            f.values_revised,
                            match &f.report.status {
                                lantian_ingest::diagnostic::FileStatus::Rejected(r) =>
                                    format!(" (rejected: {r})"),
                                _ => String::new(),
                            }
                        );
                    }
                }
                // Another process holds the store, or the disk is full or read-only: try again
                // at the next poll (said once, not at every poll, while it lasts).
                Err(e)
                    if e.status == axum::http::StatusCode::SERVICE_UNAVAILABLE
                        || e.status == axum::http::StatusCode::INSUFFICIENT_STORAGE =>
                {
                    if last_fault.as_ref() != Some(&e.body.error) {
                        eprintln!("lantian serve: watch: {} (retrying)", e.body.error);
                        last_fault = Some(e.body.error.clone());
                    }
                    previous = now;
                    tokio::time::sleep(interval).await;
                    continue;
                }
                Err(e) => {
                    // Not retried until the files change again.
                    eprintln!("lantian serve: watch: ingest failed: {}", e.body.error);
                    for p in &ready {
                        taken.insert(p.clone(), now[p]);
                    }
                }
            }
        }
        previous = now;
        tokio::time::sleep(interval).await;
    }
}
