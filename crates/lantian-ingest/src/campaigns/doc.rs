//! Reading a TOML document field by field, every problem at its line and named by its field.
//!
//! The document is parsed with `toml_edit`'s [`ImDocument`], which keeps the span of every key
//! and value, and each table is then read field by field ([`Entry`]). toml's serde route
//! (`toml::from_str` with `Spanned<T>` fields) was tried on paper and set aside, for three
//! reasons found in toml 0.8.23 / toml_edit 0.22.27 (the versions of the build):
//!
//! - a table written with dotted keys (`target.pollutant = "PM10"`, valid TOML and natural in a
//!   reviewed file) has no span, and `Spanned` refuses a value without one (toml_edit's
//!   `ValueDeserializer::deserialize_struct` falls back to `deserialize_any`, and
//!   serde_spanned's visitor then rejects the table's own keys as unknown fields);
//! - serde stops at the first error, and a reviewer fixing a plan wants every problem at once;
//! - serde's errors carry the field's name only inside their message text.
//!
//! toml_edit is the parser toml 0.8 runs on; reading it directly adds no crate to the build.

use crate::eu_ets::Problem;
use chrono::NaiveDate;
use std::ops::Range;
use toml_edit::{ImDocument, Item, TableLike, Value};

/// A problem already recorded in the [`Doc`]; the value it concerns is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reported;

/// What a field read gives: the value, or [`Reported`].
pub(crate) type Read<T> = Result<T, Reported>;

/// The document being read: its text (for lines and the text of values) and its problems.
pub(crate) struct Doc<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub problems: Vec<Problem>,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl<'a> Doc<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Doc<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Doc {
            file,
            text,
            problems: Vec::new(),
            line_starts,
        }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_at(&self, offset: usize) -> u64 {
        self.line_starts.partition_point(|&s| s <= offset) as u64
    }

    /// The line a span starts on, or `fallback` without a span.
    pub fn line_of(&self, span: Option<Range<usize>>, fallback: u64) -> u64 {
        span.map_or(fallback, |s| self.line_at(s.start))
    }

    /// The text of line `line`, without its end.
    pub fn line_text(&self, line: u64) -> &'a str {
        let i = (line as usize).saturating_sub(1);
        let start = self.line_starts.get(i).copied().unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn problem(&mut self, line: u64, field: &str, value: &str, message: impl Into<String>) {
        self.problems
            .push(Problem::new(self.file, line, field, value, message));
    }

    /// Record a problem and return [`Reported`].
    pub fn refuse<T>(
        &mut self,
        line: u64,
        field: &str,
        value: &str,
        message: impl Into<String>,
    ) -> Read<T> {
        self.problem(line, field, value, message);
        Err(Reported)
    }

    /// The text of a value as the file writes it: a string's content, anything else as written.
    pub fn text_of(&self, item: &Item) -> String {
        match item.as_value() {
            Some(v) => self.value_text(v),
            None => self.raw(item.span()),
        }
    }

    /// [`Doc::text_of`] for a value inside an array.
    pub fn value_text(&self, v: &Value) -> String {
        match v.as_str() {
            Some(s) => s.to_string(),
            None => self.raw(v.span()),
        }
    }

    fn raw(&self, span: Option<Range<usize>>) -> String {
        span.and_then(|s| self.text.get(s))
            .map_or_else(String::new, |s| s.trim().to_string())
    }
}

/// Parse `text`, or the problem that says where it stops being TOML. The field is the key of
/// the line the parser stopped on (`deadline = 2024-13-01` names `deadline`), else `toml`.
pub(crate) fn parse<'a>(doc: &mut Doc<'a>) -> Read<ImDocument<&'a str>> {
    match ImDocument::parse(doc.text) {
        Ok(d) => Ok(d),
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            let line = doc.line_at(at);
            let text = doc.line_text(line);
            let (field, value) = match (key_of_line(text), header_of_line(text)) {
                (Some(k), _) => (k, text.split_once('=').map_or("", |(_, v)| v.trim())),
                (None, Some(h)) => (h, text.trim()),
                (None, None) => ("toml", text.trim()),
            };
            let said = e.message().trim().replace('\n', "; ");
            let message = match said.strip_prefix("invalid date-time; ") {
                Some(why) => format!("not a date (a TOML date, 2024-12-31): {why}"),
                None => format!("not TOML: {said}"),
            };
            doc.refuse(line, field, value, message)
        }
    }
}

/// The key a line `key = value` sets, when it is a plain key (letters, digits, `_`, `-`, `.`).
fn key_of_line(line: &str) -> Option<&str> {
    let (k, _) = line.split_once('=')?;
    let k = k.trim().trim_matches('"');
    (!k.is_empty()
        && k.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
    .then_some(k)
}

/// The table a header line `[a.b]` or `[[a.b]]` opens.
fn header_of_line(line: &str) -> Option<&str> {
    let t = line.trim();
    // Leniently: the line may be the broken header the parser stopped on.
    t.starts_with('[')
        .then(|| t.trim_matches(['[', ']']).trim())
        .filter(|s| !s.is_empty())
}

/// One table of the document, read field by field. Fields not taken are reported by
/// [`Entry::finish`], so a misspelt key is never silently ignored.
pub(crate) struct Entry<'t> {
    table: &'t dyn TableLike,
    /// The line of the table's header (or of the key that made it), for a field it lacks.
    pub line: u64,
    /// How its fields are named in problems: `""` for a top-level table, `"milestone."` …
    prefix: String,
    /// What it is, in messages ("a measure").
    what: &'static str,
    /// Its fields, in the order the format lists them.
    fields: &'static [&'static str],
    /// The document's root: its tables' fields are named without a prefix (a measure's
    /// `deadline`, not `measure.deadline`; the line says which measure).
    root: bool,
}

impl<'t> Entry<'t> {
    pub fn new(
        table: &'t dyn TableLike,
        line: u64,
        prefix: &str,
        what: &'static str,
        fields: &'static [&'static str],
    ) -> Entry<'t> {
        Entry {
            table,
            line,
            prefix: prefix.to_string(),
            what,
            fields,
            root: false,
        }
    }

    /// The document's root table.
    pub fn root(table: &'t dyn TableLike, fields: &'static [&'static str]) -> Entry<'t> {
        Entry {
            root: true,
            ..Entry::new(table, 1, "", "a plan file", fields)
        }
    }

    /// How the fields of the sub-table `key` are named.
    fn child_prefix(&self, key: &str) -> String {
        if self.root {
            String::new()
        } else {
            format!("{}.", self.name(key))
        }
    }

    /// The text of `key` when it is a text, without recording anything (to find an entry's id
    /// even when the entry has problems).
    pub fn peek(&self, key: &str) -> Option<&'t str> {
        self.table.get(key)?.as_str().map(str::trim)
    }

    /// The field's name in problems.
    pub fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The item of `key` and the line it is on.
    fn get(&self, doc: &Doc, key: &str) -> Option<(&'t Item, u64)> {
        let (k, item) = self.table.get_key_value(key)?;
        if item.is_none() {
            return None;
        }
        let line = doc.line_of(k.span().or_else(|| item.span()), self.line);
        Some((item, line))
    }

    /// The line of `key`, or the table's line when it is absent.
    pub fn line_of(&self, doc: &Doc, key: &str) -> u64 {
        self.get(doc, key).map_or(self.line, |(_, l)| l)
    }

    fn missing<T>(&self, doc: &mut Doc, key: &str, expected: &str) -> Read<T> {
        doc.refuse(
            self.line,
            &self.name(key),
            "",
            format!("missing: {} has a {key} ({expected})", self.what),
        )
    }

    fn mistyped<T>(
        &self,
        doc: &mut Doc,
        key: &str,
        item: &Item,
        line: u64,
        expected: &str,
    ) -> Read<T> {
        let value = doc.text_of(item);
        doc.refuse(
            line,
            &self.name(key),
            &value,
            format!("{expected} is expected, not {}", article(item.type_name())),
        )
    }

    /// A required text.
    pub fn string(&self, doc: &mut Doc, key: &str) -> Read<String> {
        match self.opt_string(doc, key)? {
            Some(s) => Ok(s),
            None => self.missing(doc, key, "a text in quotes"),
        }
    }

    /// An optional text; present, it is not blank.
    pub fn opt_string(&self, doc: &mut Doc, key: &str) -> Read<Option<String>> {
        let Some((item, line)) = self.get(doc, key) else {
            return Ok(None);
        };
        let Some(s) = item.as_str() else {
            return self.mistyped(doc, key, item, line, "a text in quotes");
        };
        if s.trim().is_empty() {
            return doc.refuse(
                line,
                &self.name(key),
                s,
                "empty; leave the field out or fill it",
            );
        }
        Ok(Some(s.trim().to_string()))
    }

    /// An optional list of texts (an empty list is a list); every text in it non-blank.
    pub fn strings(&self, doc: &mut Doc, key: &str) -> Read<Option<Vec<String>>> {
        let Some((item, line)) = self.get(doc, key) else {
            return Ok(None);
        };
        let Some(array) = item.as_array() else {
            return self.mistyped(doc, key, item, line, "a list of texts, [\"…\", \"…\"],");
        };
        let mut out = Vec::with_capacity(array.len());
        let mut bad = false;
        for v in array.iter() {
            let vline = doc.line_of(v.span(), line);
            match v.as_str().map(str::trim) {
                Some(s) if !s.is_empty() => out.push(s.to_string()),
                Some(s) => {
                    bad = true;
                    doc.problem(vline, &self.name(key), s, "an empty text in the list");
                }
                None => {
                    bad = true;
                    let text = doc.value_text(v);
                    doc.problem(
                        vline,
                        &self.name(key),
                        &text,
                        format!(
                            "a list of texts holds texts in quotes, not {}",
                            article(v.type_name())
                        ),
                    );
                }
            }
        }
        if bad { Err(Reported) } else { Ok(Some(out)) }
    }

    /// A required date.
    pub fn date(&self, doc: &mut Doc, key: &str) -> Read<NaiveDate> {
        match self.opt_date(doc, key)? {
            Some(d) => Ok(d),
            None => self.missing(doc, key, "a TOML date, 2024-12-31"),
        }
    }

    /// An optional date: a TOML local date, written bare (`2024-12-31`).
    pub fn opt_date(&self, doc: &mut Doc, key: &str) -> Read<Option<NaiveDate>> {
        let Some((item, line)) = self.get(doc, key) else {
            return Ok(None);
        };
        let name = self.name(key);
        match item.as_value() {
            Some(Value::Datetime(f)) => {
                let dt = f.value();
                let value = doc.text_of(item);
                match (dt.date, dt.time, dt.offset) {
                    (Some(d), None, None) => NaiveDate::from_ymd_opt(
                        i32::from(d.year),
                        u32::from(d.month),
                        u32::from(d.day),
                    )
                    .map(Some)
                    .ok_or(Reported)
                    .or_else(|_| doc.refuse(line, &name, &value, "not a day of the calendar")),
                    _ => doc.refuse(
                        line,
                        &name,
                        &value,
                        "a date without a time of day is expected (2024-12-31)",
                    ),
                }
            }
            Some(Value::String(s)) => {
                let s = s.value();
                let message = if NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").is_ok() {
                    "a date is written bare, without quotes (2024-12-31)"
                } else {
                    "not a date (a TOML date, 2024-12-31)"
                };
                doc.refuse(line, &name, s, message)
            }
            _ => self.mistyped(doc, key, item, line, "a date (2024-12-31)"),
        }
    }

    /// A required number (an integer is taken as the number it is).
    pub fn number(&self, doc: &mut Doc, key: &str) -> Read<f64> {
        match self.opt_number(doc, key)? {
            Some(x) => Ok(x),
            None => self.missing(doc, key, "a number"),
        }
    }

    /// An optional number; present, it is finite.
    pub fn opt_number(&self, doc: &mut Doc, key: &str) -> Read<Option<f64>> {
        let Some((item, line)) = self.get(doc, key) else {
            return Ok(None);
        };
        let x = match item.as_value() {
            Some(Value::Float(f)) => *f.value(),
            // Integers of a plan (counts, years) are far inside f64's exact range.
            Some(Value::Integer(i)) => *i.value() as f64,
            _ => return self.mistyped(doc, key, item, line, "a number"),
        };
        if !x.is_finite() {
            let value = doc.text_of(item);
            return doc.refuse(line, &self.name(key), &value, "not a finite number");
        }
        Ok(Some(x))
    }

    /// A required integer.
    pub fn integer(&self, doc: &mut Doc, key: &str) -> Read<i64> {
        let Some((item, line)) = self.get(doc, key) else {
            return self.missing(doc, key, "a whole number");
        };
        match item.as_integer() {
            Some(i) => Ok(i),
            None => self.mistyped(doc, key, item, line, "a whole number"),
        }
    }

    /// An optional sub-table (`target = { … }`, `[measure.target]` or dotted keys).
    pub fn table(
        &self,
        doc: &mut Doc,
        key: &str,
        what: &'static str,
        fields: &'static [&'static str],
    ) -> Read<Option<Entry<'t>>> {
        let Some((item, line)) = self.get(doc, key) else {
            return Ok(None);
        };
        match item.as_table_like() {
            Some(t) => Ok(Some(Entry::new(
                t,
                doc.line_of(item.span(), line),
                &self.child_prefix(key),
                what,
                fields,
            ))),
            None => self.mistyped(doc, key, item, line, "a table ({ … })"),
        }
    }

    /// Optional tables of an array: `[[measure.milestone]]` or `milestone = [{ … }, { … }]`.
    pub fn tables(
        &self,
        doc: &mut Doc,
        key: &str,
        what: &'static str,
        fields: &'static [&'static str],
    ) -> Read<Option<Vec<Entry<'t>>>> {
        let Some((item, line)) = self.get(doc, key) else {
            return Ok(None);
        };
        let prefix = self.child_prefix(key);
        tables_of(doc, item, line, &self.name(key), &prefix, what, fields).map(Some)
    }

    /// Report the keys that are not fields of this table.
    pub fn finish(&self, doc: &mut Doc) {
        for (key, _) in self.table.iter() {
            if self.fields.contains(&key) {
                continue;
            }
            let Some((item, line)) = self.get(doc, key) else {
                continue;
            };
            let value = doc.text_of(item);
            doc.problem(
                line,
                &self.name(key),
                &value,
                format!(
                    "not a field of {}; its fields are {}",
                    self.what,
                    self.fields.join(", ")
                ),
            );
        }
    }
}

/// The tables of an array item (an array of tables, or an array of inline tables).
fn tables_of<'t>(
    doc: &mut Doc,
    item: &'t Item,
    line: u64,
    name: &str,
    prefix: &str,
    what: &'static str,
    fields: &'static [&'static str],
) -> Read<Vec<Entry<'t>>> {
    if let Some(aot) = item.as_array_of_tables() {
        return Ok(aot
            .iter()
            .map(|t| {
                let l = doc.line_of(t.span(), line);
                Entry::new(t as &dyn TableLike, l, prefix, what, fields)
            })
            .collect());
    }
    let Some(array) = item.as_array() else {
        let value = doc.text_of(item);
        return doc.refuse(
            line,
            name,
            &value,
            format!(
                "a list of tables ([[{name}]]) is expected, not {}",
                article(item.type_name())
            ),
        );
    };
    let mut out = Vec::with_capacity(array.len());
    let mut bad = false;
    for v in array.iter() {
        let l = doc.line_of(v.span(), line);
        match v.as_inline_table() {
            Some(t) => out.push(Entry::new(t as &dyn TableLike, l, prefix, what, fields)),
            None => {
                bad = true;
                let text = doc.value_text(v);
                doc.problem(
                    l,
                    name,
                    &text,
                    format!(
                        "{what} is a table ({{ … }}), not {}",
                        article(v.type_name())
                    ),
                );
            }
        }
    }
    if bad { Err(Reported) } else { Ok(out) }
}

/// "a string", "an integer", "an inline table".
fn article(type_name: &str) -> String {
    let an = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if an { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_1() {
        let doc = Doc::new("f", "a = 1\nb = 2\n\nc = 3");
        assert_eq!(doc.line_at(0), 1);
        assert_eq!(doc.line_at(5), 1);
        assert_eq!(doc.line_at(6), 2);
        assert_eq!(doc.line_at(13), 4);
        assert_eq!(doc.line_text(2), "b = 2");
        assert_eq!(doc.line_text(3), "");
    }

    #[test]
    fn keys_of_lines() {
        assert_eq!(key_of_line("deadline = 2024-13-01"), Some("deadline"));
        assert_eq!(key_of_line("  \"name_zh\" = 1"), Some("name_zh"));
        assert_eq!(key_of_line("[[measure]]"), None);
        assert_eq!(
            header_of_line(" [[measure.milestone]] "),
            Some("measure.milestone")
        );
        assert_eq!(header_of_line("[plan]"), Some("plan"));
        assert_eq!(
            header_of_line("[[measure.milestone]"),
            Some("measure.milestone")
        );
        assert_eq!(header_of_line("a = [1]"), None);
        assert_eq!(key_of_line("x y = 1"), None);
    }

    #[test]
    fn dotted_tables_are_read_with_the_line_of_their_key() {
        let text = "[m]\nid = \"a\"\ntarget.pollutant = \"PM10\"\n";
        let mut doc = Doc::new("p.toml", text);
        let d = parse(&mut doc).unwrap();
        let m = d.as_table().get("m").unwrap().as_table_like().unwrap();
        let e = Entry::new(m, 1, "", "a measure", &["id", "target"]);
        let t = e
            .table(&mut doc, "target", "a target", &["pollutant"])
            .unwrap()
            .unwrap();
        assert_eq!(t.line, 3);
        assert_eq!(t.string(&mut doc, "pollutant").unwrap(), "PM10");
        assert!(doc.problems.is_empty());
    }
}
