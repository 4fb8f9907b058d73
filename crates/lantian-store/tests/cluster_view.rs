//! The distributed check (`bench/cluster`, the separate `cluster/` project) restates Lantian's
//! views `observations` and `current` in its own source, since it cannot depend on this crate (that would build
//! deltalake again). This test keeps the texts the same.

/// Collapse runs of whitespace.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a Rust string constant `name` in `src`, continuations joined.
fn constant(src: &str, name: &str) -> String {
    let head = format!("const {name}: &str = \"");
    let start = src
        .find(&head)
        .unwrap_or_else(|| panic!("cluster/src/main.rs defines {name}"))
        + head.len();
    let end = start + src[start..].find("\";").expect("end of the constant");
    // Rust string continuations: a backslash at the end of a line drops the newline and the
    // next line's leading whitespace.
    let mut text = String::new();
    let mut lines = src[start..end].lines().peekable();
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
    text
}

#[test]
fn the_cluster_query_uses_lantians_views() {
    let main = include_str!("../../../cluster/src/main.rs");
    for (name, view, sql) in [
        (
            "OBSERVATIONS_SQL",
            "observations",
            lantian_store::layout::observations_view(),
        ),
        (
            "CURRENT_SQL",
            "current",
            lantian_store::layout::current_view(),
        ),
    ] {
        let body = sql
            .strip_prefix(&format!("CREATE VIEW {view} AS "))
            .expect("the view's definition")
            .to_string();
        assert_eq!(normalise(&constant(main, name)), normalise(&body), "{name}");
    }
}
