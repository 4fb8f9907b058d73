//! The distributed check (`bench/cluster`, the separate `cluster/` project) restates Lantian's
//! `current` view in its own source, since it cannot depend on this crate (that would build
//! deltalake again). This test keeps the two texts the same.

/// Collapse runs of whitespace.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_cluster_query_uses_lantians_current_view() {
    let main = include_str!("../../../cluster/src/main.rs");
    let start = main
        .find("const CURRENT_SQL: &str = \"")
        .expect("cluster/src/main.rs defines CURRENT_SQL")
        + "const CURRENT_SQL: &str = \"".len();
    let end = start + main[start..].find("\";").expect("end of CURRENT_SQL");
    // Rust string continuations: a backslash at the end of a line drops the newline and the
    // next line's leading whitespace.
    let mut text = String::new();
    let mut lines = main[start..end].lines().peekable();
    while let Some(l) = lines.next() {
        match l.strip_suffix('\\') {
            Some(head) => {
                text.push_str(head);
                if let Some(next) = lines.peek_mut() {
                    *next = next.trim_start();
                }
            }
            None => text.push_str(l),
        }
    }
    let view = lantian_store::query::CURRENT_VIEW
        .strip_prefix("CREATE VIEW current AS ")
        .expect("CURRENT_VIEW creates `current`");
    assert_eq!(normalise(&text), normalise(view));
}
