//! `lantian migrate` through the real binary: a store of the earlier string layout is refused
//! with a message by everything but SQL, upgraded in place, and then answers byte for byte as
//! the store it was copied from; a migration killed at random points leaves a store that the
//! next run completes.

mod common;

use common::store::{digest, duplicates, lantian, sql_scalar, write_fixture};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// A copy of `keyed` in the string layout, as earlier versions wrote it.
fn string_copy(keyed: &Path, dest: &Path) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let src = lantian_store::Store::open(keyed).await.unwrap();
        let dst = lantian_store::Store::open(dest).await.unwrap();
        lantian_store::layout::write_string_layout(&src, &dst)
            .await
            .unwrap();
        assert_eq!(dst.layout(), lantian_store::layout::Layout::Strings);
    });
}

/// The keyed store of `days` fixture days, and its data folder.
fn keyed_store(dir: &Path, days: u32) -> std::path::PathBuf {
    let data = dir.join("data");
    write_fixture(&data, days);
    let keyed = dir.join("keyed");
    lantian(&keyed, &["ingest", "--quiet", data.to_str().unwrap()]);
    keyed
}

const ASSESS: [&str; 8] = [
    "assess", "annual", "--from", "2023", "--to", "2023", "--format", "csv",
];

#[test]
fn a_migrated_store_gives_the_same_assessment_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let keyed = keyed_store(tmp.path(), 40);
    let old = tmp.path().join("old");
    string_copy(&keyed, &old);
    // SQL reads the old layout as it is; the assessment refuses it and says what to do.
    assert_eq!(digest(&old), digest(&keyed));
    let (ok, _, err) = common::lantian(&old, &ASSESS);
    assert!(!ok);
    assert!(
        err.contains("layout of an earlier version") && err.contains("lantian migrate"),
        "{err}"
    );
    let (ok, _, err) = common::lantian(&old, &["ingest", "--quiet", "."]);
    assert!(!ok && err.contains("lantian migrate"), "{err}");

    let out = lantian(&old, &["migrate"]);
    assert!(out.contains("migrated to the keyed layout"), "{out}");
    assert!(out.contains("3 sites"), "{out}");
    let want = lantian(&keyed, &ASSESS);
    assert!(want.contains("东城东四"), "{want}");
    assert_eq!(lantian(&old, &ASSESS), want);
    assert_eq!(digest(&old), digest(&keyed));
    let out = lantian(&old, &["migrate"]);
    assert!(out.contains("already in the keyed layout"), "{out}");
    assert_eq!(lantian(&old, &ASSESS), want);
}

/// Copy a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

#[test]
fn killing_a_migration_at_random_points_leaves_a_store_that_a_rerun_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let keyed = keyed_store(tmp.path(), 120);
    let want = digest(&keyed);
    let template = tmp.path().join("template");
    string_copy(&keyed, &template);
    // How long a whole migration takes here, to spread the kills over it.
    let timing = tmp.path().join("timing");
    copy_tree(&template, &timing);
    let t0 = Instant::now();
    lantian(&timing, &["migrate"]);
    let whole = t0.elapsed();
    let mut killed_before_the_end = 0;
    for i in 0..10u32 {
        let store = tmp.path().join(format!("killed{i}"));
        copy_tree(&template, &store);
        let mut child = Command::new(common::bin())
            .arg("--store")
            .arg(&store)
            .arg("migrate")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole * i / 10);
        if child.try_wait().unwrap().is_none() {
            killed_before_the_end += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        // Whatever the point: one layout or the other, whole, and readable by SQL.
        assert_eq!(digest(&store), want, "killed after {i}/10 of a migration");
        assert_eq!(duplicates(&store), "0");
        let out = lantian(&store, &["migrate"]);
        assert!(
            out.contains("migrated to the keyed layout")
                || out.contains("already in the keyed layout"),
            "{out}"
        );
        assert_eq!(digest(&store), want, "rerun after a kill at {i}/10");
        assert_eq!(
            sql_scalar(&store, "SELECT COUNT(*) FROM observation_rows"),
            sql_scalar(&keyed, "SELECT COUNT(*) FROM observation_rows")
        );
        assert!(!store.join(".migrate").exists() && !store.join(".observations-strings").exists());
    }
    assert!(
        killed_before_the_end >= 3,
        "only {killed_before_the_end} kills landed during a migration ({whole:?})"
    );
}
