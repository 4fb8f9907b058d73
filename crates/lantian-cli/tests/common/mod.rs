//! Running the real `lantian` binary from the integration tests (each test file uses a part).
#![allow(dead_code)]

pub mod bulletin;
pub mod serve;
pub mod store;

use std::path::Path;
use std::process::Command;

/// The binary under test: the one cargo built for this test, or `LANTIAN_BIN` (a copy run by
/// hand while the target directory is being rebuilt).
pub fn bin() -> std::path::PathBuf {
    std::env::var_os("LANTIAN_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_lantian").into())
}

/// `lantian --store STORE ARGS...`: (success, stdout, stderr).
pub fn lantian(store: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(bin())
        .arg("--store")
        .arg(store)
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The same, asserting success; stdout.
pub fn lantian_ok(store: &Path, args: &[&str]) -> String {
    let (ok, out, err) = lantian(store, args);
    assert!(ok, "lantian {args:?} failed: {err}");
    out
}

/// A fresh store holding the files `write` puts in a folder: (the temporary directory, which
/// must live as long as the store, and the store's path).
pub fn store_of(write: impl Fn(&Path)) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let st = dir.path().join("s");
    let input = dir.path().join("in");
    write(&input);
    lantian_ok(&st, &["ingest", "--quiet", input.to_str().unwrap()]);
    (dir, st)
}
