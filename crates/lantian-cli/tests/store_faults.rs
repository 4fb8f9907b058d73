//! Faults during writes, through the real `lantian` binary: a disk that fills up in the middle
//! of an ingest, a store on a read-only file system, and a second writer started while an
//! ingest runs. Each gets a clear error (no panic, no backtrace), the store stays readable and
//! consistent (no duplicate, no partial file), and a rerun completes it to exactly what a clean
//! ingest gives.
//!
//! The full and read-only disks are real file systems: a small tmpfs and a read-only bind mount,
//! made in a user and mount namespace of their own (`unshare -Urm`), so no privilege is needed
//! where unprivileged user namespaces are allowed; where they are not, those two tests say so
//! and skip.

mod common;

use common::store::{assert_whole_files, digest, duplicates, spawn_ingest, write_fixture};
use std::process::Command;
use std::time::{Duration, Instant};

/// Run `script` with `sh` in a new user and mount namespace (mounts made there vanish with it)
/// and check that it succeeded; `false` when this machine does not allow that namespace.
fn in_namespace(script: &str) -> bool {
    let probe = Command::new("unshare")
        .args(["-Urm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "SKIP: this machine does not allow a user and mount namespace (`unshare -Urm`), \
             which the full and read-only disks are made in"
        );
        return false;
    }
    let out = Command::new("unshare")
        .args(["-Urm", "sh", "-eu", "-c", script])
        .env("LANTIAN", common::bin())
        .env("RUST_BACKTRACE", "0")
        .env_remove("LANTIAN_STORE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// The digest of a clean, one-shot ingest of `data` into a fresh store under `dir`: what every
/// store must equal once its rerun completes.
fn clean_digest(dir: &std::path::Path, data: &std::path::Path) -> String {
    let clean = dir.join("clean");
    common::lantian_ok(&clean, &["ingest", "--quiet", data.to_str().unwrap()]);
    digest(&clean)
}

/// What a failed command printed, checked for a clear error: a first line that says what
/// happened, and no panic or backtrace.
fn assert_clear_error(stderr: &str, words: &[&str]) {
    assert!(!stderr.contains("panicked"), "a panic: {stderr}");
    assert!(!stderr.contains("backtrace"), "a backtrace: {stderr}");
    for w in words {
        assert!(stderr.contains(w), "{w:?} not in {stderr}");
    }
}

#[test]
fn a_disk_that_fills_up_fails_clearly_and_a_rerun_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let counts = write_fixture(&data, 40);
    let want = clean_digest(tmp.path(), &data);
    let mnt = tmp.path().join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    // Disks of several sizes, so the space runs out at different points: in the first files'
    // Parquet, in the transaction log, in the file log, late in the run. The script keeps a
    // copy of the store as the failed ingest left it (to be read after the namespace is gone),
    // then grows the disk and runs the same ingest again.
    let sizes = ["48k", "96k", "160k", "320k", "640k"];
    let mut script = String::new();
    for (i, size) in sizes.iter().enumerate() {
        script.push_str(&format!(
            "mount -t tmpfs -o size={size} tmpfs {m}\n\
             if \"$LANTIAN\" --store {m}/st ingest --quiet --batch-files 2 {d} 2> {t}/err{i}; \
             then echo ok > {t}/status{i}; else echo failed > {t}/status{i}; fi\n\
             cp -a {m}/st {t}/after_fault{i} 2>/dev/null || mkdir -p {t}/after_fault{i}\n\
             mount -o remount,size=64m {m}\n\
             \"$LANTIAN\" --store {m}/st ingest --quiet --batch-files 2 {d} 2> {t}/rerun_err{i}\n\
             cp -a {m}/st {t}/after_rerun{i}\n\
             umount {m}\n",
            m = mnt.display(),
            d = data.display(),
            t = tmp.path().display(),
        ));
    }
    if !in_namespace(&script) {
        return;
    }
    let mut failed = 0;
    for (i, size) in sizes.iter().enumerate() {
        let t = tmp.path();
        let status = std::fs::read_to_string(t.join(format!("status{i}"))).unwrap();
        let err = std::fs::read_to_string(t.join(format!("err{i}"))).unwrap();
        if status.trim() == "failed" {
            failed += 1;
            assert_clear_error(
                &err,
                &[
                    "the disk is full",
                    "No space left on device",
                    "run the same ingest again",
                ],
            );
        }
        // As the fault left it: readable, no duplicate, no partial file.
        let after = t.join(format!("after_fault{i}"));
        if after.join("observation_rows/_delta_log").is_dir() {
            assert_eq!(duplicates(&after), "0", "size {size}");
            assert_whole_files(&after, &counts);
        }
        // The rerun on a disk with room gives exactly the clean store.
        let rerun_err = std::fs::read_to_string(t.join(format!("rerun_err{i}"))).unwrap();
        assert!(rerun_err.trim().is_empty(), "{rerun_err}");
        assert_eq!(
            digest(&t.join(format!("after_rerun{i}"))),
            want,
            "size {size}"
        );
    }
    eprintln!(
        "{failed} of {} disks filled up during the ingest",
        sizes.len()
    );
    assert!(
        failed >= 3,
        "only {failed} of {} disks filled up; the test proved little",
        sizes.len()
    );
}

#[test]
fn a_read_only_store_is_read_and_refuses_writes_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    write_fixture(&data, 20);
    let first = tmp.path().join("first");
    std::fs::create_dir_all(&first).unwrap();
    for f in std::fs::read_dir(&data).unwrap().take(10) {
        let f = f.unwrap();
        std::fs::copy(f.path(), first.join(f.file_name())).unwrap();
    }
    let st = tmp.path().join("st");
    common::lantian_ok(&st, &["ingest", "--quiet", first.to_str().unwrap()]);
    let before = digest(&st);
    let script = format!(
        "mount --bind {s} {s}\nmount -o remount,bind,ro {s}\n\
         if \"$LANTIAN\" --store {s} ingest --quiet {d} 2> {t}/err; then echo ok > {t}/status; \
         else echo failed > {t}/status; fi\n\
         \"$LANTIAN\" --store {s} sql --format csv \"SELECT COUNT(*) AS n FROM current\" > {t}/read\n",
        s = st.display(),
        d = data.display(),
        t = tmp.path().display(),
    );
    if !in_namespace(&script) {
        return;
    }
    let t = tmp.path();
    assert_eq!(
        std::fs::read_to_string(t.join("status")).unwrap().trim(),
        "failed"
    );
    let err = std::fs::read_to_string(t.join("err")).unwrap();
    assert_clear_error(
        &err,
        &["cannot write", "Read-only file system", "can still be read"],
    );
    // Read while read-only: the values of the first ingest.
    let n = before.lines().nth(1).unwrap().split(',').next().unwrap();
    assert_eq!(
        std::fs::read_to_string(t.join("read"))
            .unwrap()
            .lines()
            .nth(1),
        Some(n)
    );
    // Nothing changed; once writable again, the ingest completes.
    assert_eq!(digest(&st), before);
    common::lantian_ok(&st, &["ingest", "--quiet", data.to_str().unwrap()]);
    assert_eq!(digest(&st), clean_digest(tmp.path(), &data));
}

#[test]
fn a_second_writer_is_refused_clearly_and_a_rerun_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let counts = write_fixture(&data, 60);
    let st = tmp.path().join("st");
    // The first writer commits one file at a time, so it holds the store for a while.
    let mut first = spawn_ingest(&st, &data, 1);
    let log = st.join("observation_rows/_delta_log");
    let t0 = Instant::now();
    while !log.is_dir() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let (ok, _, err) = common::lantian(&st, &["ingest", "--quiet", data.to_str().unwrap()]);
    let first_done = first.try_wait().unwrap().is_some();
    if first_done {
        eprintln!("the first ingest ended before the second started; nothing to show");
    } else {
        assert!(!ok, "a second writer was let in");
        assert_clear_error(&err, &["is locked by another writer", "LOCK"]);
    }
    // Readers are not writers: a query while the first runs is answered.
    let (read_ok, _, read_err) = common::lantian(
        &st,
        &["sql", "--format", "csv", "SELECT COUNT(*) FROM current"],
    );
    assert!(read_ok, "{read_err}");
    assert!(first.wait().unwrap().success());
    assert_eq!(duplicates(&st), "0");
    assert_whole_files(&st, &counts);
    // The refused ingest, run again, finds everything in and changes nothing.
    let again = common::lantian_ok(&st, &["ingest", data.to_str().unwrap()]);
    assert!(again.contains("60 unchanged since last ingest"), "{again}");
    assert_eq!(digest(&st), clean_digest(tmp.path(), &data));
}

#[test]
fn a_watching_server_waits_out_a_full_disk_and_takes_the_files_once_there_is_room() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    write_fixture(&data, 30);
    let want = clean_digest(tmp.path(), &data);
    let mnt = tmp.path().join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    // In the namespace: a server on a store of 96 kB watching a folder; the files arrive; the
    // server says the disk is full and keeps serving; the disk grows; it takes the files.
    let script = format!(
        "mount -t tmpfs -o size=96k tmpfs {m}\n\
         mkdir {m}/in\n\
         \"$LANTIAN\" --store {m}/st serve --addr 127.0.0.1:0 --watch {m}/in --watch-interval 0.2 \
           > {t}/log 2>&1 &\n\
         pid=$!\n\
         wait_for() {{ i=0; until grep -q \"$1\" {t}/log; do i=$((i+1)); \
           if [ $i -gt 600 ]; then echo \"timeout: $1\" >&2; cat {t}/log >&2; kill $pid; exit 1; fi; sleep 0.1; done; }}\n\
         wait_for 'listening on'\n\
         cp {d}/* {m}/in/ 2>/dev/null || true\n\
         wait_for 'the disk is full'\n\
         sleep 1\n\
         mount -o remount,size=64m {m}\n\
         cp {d}/* {m}/in/\n\
         wait_for 'takes files again'\n\
         sleep 2\n\
         kill $pid; wait $pid || true\n\
         cp -a {m}/st {t}/after\n",
        m = mnt.display(),
        d = data.display(),
        t = tmp.path().display(),
    );
    if !in_namespace(&script) {
        return;
    }
    let log = std::fs::read_to_string(tmp.path().join("log")).unwrap();
    assert!(!log.contains("panicked"), "{log}");
    // Said once while it lasted, not at every poll.
    assert_eq!(log.matches("the disk is full").count(), 1, "{log}");
    assert_eq!(digest(&tmp.path().join("after")), want, "{log}");
}
