//! Quoting what a user or a file gave back to them, in a bounded length. A crawled file can hold
//! a field of megabytes and a request a parameter of tens of kilobytes; a message that echoes it
//! whole helps nobody and makes every summary, log and API answer as large as the attack.

use std::borrow::Cow;

/// Longest field or parameter text a message quotes whole.
pub const EXCERPT_CHARS: usize = 40;

/// `text` when it has at most `max` characters, else its first `max` characters, "…" and its
/// full length: `9999…(3145729 characters)`.
pub fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    let n = text.chars().count();
    if n <= max {
        return Cow::Borrowed(text);
    }
    let head: String = text.chars().take(max).collect();
    Cow::Owned(format!("{head}… ({n} characters)"))
}

/// A field's text as a message quotes it: debug-quoted, cut to [`EXCERPT_CHARS`] characters
/// with its full length said when longer.
pub fn excerpt(text: &str) -> String {
    let n = text.chars().count();
    if n <= EXCERPT_CHARS {
        return format!("{text:?}");
    }
    let head: String = text.chars().take(EXCERPT_CHARS).collect();
    format!("{head:?}… ({n} characters)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_quoted_whole_up_to_the_bound_and_cut_with_its_length_beyond() {
        let forty = "a".repeat(40);
        assert_eq!(shorten(&forty, 40), forty.as_str());
        let long = "海".repeat(41);
        assert_eq!(
            shorten(&long, 40),
            format!("{}… (41 characters)", "海".repeat(40))
        );
        assert_eq!(excerpt("x\"y"), "\"x\\\"y\"");
        assert_eq!(
            excerpt(&"9".repeat(3_000_000)),
            format!("\"{}\"… (3000000 characters)", "9".repeat(40))
        );
    }
}
