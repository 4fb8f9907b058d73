//! Where the tests find the real data, and what a test does when it is absent.
//!
//! The real archives live outside the repository, in `../shared/data` beside the clone (they are
//! too large to commit, and their licences differ from the code's). A test that needs them asks
//! this crate for the folder or file it reads; the one decision made here is what happens when
//! it is not there:
//!
//! - by default the test is skipped: it prints `skipped: ../shared/data not found (<needs>)` to
//!   stderr and returns, so a newcomer without the data still gets a green `cargo test`;
//! - with `LANTIAN_REQUIRE_DATA=1` (CI sets it, since CI has `../shared` beside the clone) the
//!   test panics instead, so a green run cannot hide an oracle that silently did not run.
//!
//! ```
//! // In a test: the Beijing archive, or a skip (or a panic where the data is required).
//! let Some(beijing) = lantian_testdata::shared_path(
//!     "quotsoft_beijing",
//!     "the Beijing bulletins need the real archive",
//! ) else {
//!     return;
//! };
//! assert!(beijing.is_dir());
//! ```
//!
//! The decision itself is [`resolve`], which takes the variable's value as a parameter so it can
//! be tested without changing the process's environment.

use std::path::{Path, PathBuf};

/// The environment variable that turns a skip into a failure.
pub const REQUIRE_DATA_VAR: &str = "LANTIAN_REQUIRE_DATA";

/// The workspace root: two folders above the crate under test (every crate sits at
/// `crates/<name>`). Taken from `CARGO_MANIFEST_DIR` as cargo sets it when it runs the tests,
/// not as it was when this crate was compiled: a target directory shared between checkouts
/// (CI keeps one outside the clone) reuses a compiled crate whose baked-in path may name a
/// checkout that is gone.
pub fn workspace_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let manifest = manifest.as_path();
    manifest
        .ancestors()
        .nth(2)
        .unwrap_or(manifest)
        .to_path_buf()
}

/// Where the shared data is expected: `../shared/data` relative to the workspace root.
pub fn shared_root() -> PathBuf {
    let root = workspace_root();
    root.parent().unwrap_or(&root).join("shared").join("data")
}

/// `../shared/data` itself, when it is there; `needs` says which test needs it and why.
///
/// Absent: prints the skip and returns `None`, or panics under `LANTIAN_REQUIRE_DATA=1`.
pub fn shared_data(needs: &str) -> Option<PathBuf> {
    shared_path("", needs)
}

/// A folder or file inside `../shared/data` (`sub` is relative to it, e.g.
/// `"quotsoft_beijing/2023"`), when it is there; otherwise as [`shared_data`].
pub fn shared_path(sub: &str, needs: &str) -> Option<PathBuf> {
    let require = std::env::var(REQUIRE_DATA_VAR).ok();
    resolve(&shared_root(), sub, needs, require.as_deref())
}

/// Whether a value of `LANTIAN_REQUIRE_DATA` asks for the data: anything but unset, empty or `0`.
pub fn is_required(require: Option<&str>) -> bool {
    matches!(require.map(str::trim), Some(v) if !v.is_empty() && v != "0")
}

/// The decision, with `root` (the shared data folder) and the value of `LANTIAN_REQUIRE_DATA`
/// passed in: `root/sub` when both exist; otherwise a skip message and `None`, or a panic when
/// [`is_required`].
pub fn resolve(root: &Path, sub: &str, needs: &str, require: Option<&str>) -> Option<PathBuf> {
    let (path, missing) = if !root.is_dir() {
        (root.to_path_buf(), "../shared/data".to_string())
    } else if sub.is_empty() {
        return Some(root.to_path_buf());
    } else {
        let path = root.join(sub);
        if path.exists() {
            return Some(path);
        }
        (path, format!("../shared/data/{sub}"))
    };
    if let Some(value) = require.filter(|_| is_required(require)) {
        panic!(
            "{REQUIRE_DATA_VAR}={} but {missing} not found ({needs}): looked for {}; put the \
             shared data beside the clone, or unset {REQUIRE_DATA_VAR} to skip the tests that \
             need it",
            value.trim(),
            path.display()
        );
    }
    eprintln!("skipped: {missing} not found ({needs})");
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder that exists (this crate's) and one that does not.
    fn present() -> PathBuf {
        workspace_root().join("crates/lantian-testdata")
    }

    fn absent() -> PathBuf {
        present().join("no-such-folder")
    }

    #[test]
    fn the_shared_data_is_beside_the_workspace_root() {
        let root = workspace_root();
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[workspace]"), "{}", root.display());
        assert_eq!(shared_root(), root.parent().unwrap().join("shared/data"));
    }

    #[test]
    fn a_present_folder_and_sub_path_are_returned() {
        assert_eq!(resolve(&present(), "", "x", None), Some(present()));
        assert_eq!(
            resolve(&present(), "src", "x", None),
            Some(present().join("src"))
        );
        assert_eq!(
            resolve(&present(), "src/lib.rs", "x", None),
            Some(present().join("src/lib.rs"))
        );
        // Required and present: no panic.
        assert_eq!(
            resolve(&present(), "src", "x", Some("1")),
            Some(present().join("src"))
        );
    }

    #[test]
    fn absent_data_is_skipped_unless_required() {
        assert_eq!(resolve(&absent(), "", "x", None), None);
        assert_eq!(resolve(&absent(), "src", "x", Some("0")), None);
        assert_eq!(resolve(&present(), "no-such-sub", "x", Some("")), None);
    }

    #[test]
    #[should_panic(expected = "LANTIAN_REQUIRE_DATA=1 but ../shared/data not found (the oracle)")]
    fn absent_data_fails_when_required() {
        resolve(&absent(), "quotsoft_beijing", "the oracle", Some("1"));
    }

    #[test]
    #[should_panic(expected = "../shared/data/no-such-sub not found (the oracle)")]
    fn an_absent_sub_folder_fails_when_required() {
        resolve(&present(), "no-such-sub", "the oracle", Some("1"));
    }

    #[test]
    fn which_values_require_the_data() {
        assert!(!is_required(None));
        assert!(!is_required(Some("")));
        assert!(!is_required(Some("0")));
        assert!(is_required(Some("1")));
        assert!(is_required(Some(" 1\n")));
        assert!(is_required(Some("yes")));
    }
}
