//! Fast reading of delimited text: the separators of 32 bytes found at once, plain decimals
//! parsed without the general float parser, and cells trimmed only when they may need it.
//!
//! The national files are large grids of short fields (a national air day is 2 MB of cells of
//! two or three digits, a national water year 563 MB): a general CSV parser and `str::parse`
//! spend most of their time asking of every byte what it is. These functions do the common
//! case quickly and give anything unusual (quotes, signs, long numbers) to the general code,
//! so their results are the same bits the general code gives.

/// The separators (commas and newlines), the double quotes and the newlines alone of sixteen
/// bytes, one bit a byte (bit `k` for byte `k`): comparisons of all sixteen at once with SSE2,
/// which every x86-64 processor has. The same test eight bytes at a time in general-purpose
/// registers takes about three times the instructions a byte; reading a national year is a
/// tenth faster so. The newlines' own mask tells a row's end from a bit, without loading the
/// byte again.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
pub(crate) fn chunk_masks(b: &[u8; 16]) -> (u32, u32, u32) {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8,
    };
    let half = |k: usize| i64::from_le_bytes(b[k..k + 8].try_into().expect("eight bytes"));
    // SAFETY: these intrinsics only compute on values (no memory is read through a pointer),
    // and the cfg above compiles them only where SSE2 is enabled, as it is on every x86-64.
    unsafe {
        let v = _mm_set_epi64x(half(8), half(0));
        let is = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
        let newlines = is(b'\n');
        let separators = _mm_movemask_epi8(_mm_or_si128(is(b','), newlines)) as u32;
        let quotes = _mm_movemask_epi8(is(b'"')) as u32;
        (separators, quotes, _mm_movemask_epi8(newlines) as u32)
    }
}

/// [`chunk_masks`] on other processors, byte by byte.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
pub(crate) fn chunk_masks(b: &[u8; 16]) -> (u32, u32, u32) {
    chunk_masks_bytewise(b)
}

/// [`chunk_masks`] byte by byte: the reference the vector form is tested against.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn chunk_masks_bytewise(b: &[u8; 16]) -> (u32, u32, u32) {
    b.iter().enumerate().fold((0, 0, 0), |(s, q, n), (k, &c)| {
        (
            s | (u32::from(c == b',' || c == b'\n') << k),
            q | (u32::from(c == b'"') << k),
            n | (u32::from(c == b'\n') << k),
        )
    })
}

/// `str::trim` when there is something to trim (most cells have nothing). A byte test decides
/// most cells: Unicode white space is an ASCII blank (tab to carriage return, space) or begins
/// with one of the byte pairs C2 85, C2 A0, E1 9A, E2 80, E2 81, E3 80; only cells whose
/// edges look so are decoded (the section names, statuses and classes are Chinese characters
/// and class numerals such as Ⅱ, E2 85 A1).
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let n = b.len();
    let blank = |c: u8| matches!(c, b'\t'..=b'\r' | b' ');
    let wide = |lead: u8, next: u8| {
        matches!(
            (lead, next),
            (0xC2, 0x85 | 0xA0) | (0xE1, 0x9A) | (0xE2, 0x80 | 0x81) | (0xE3, 0x80)
        )
    };
    let may_start = match b {
        [] => return s,
        [c] => blank(*c),
        [c, d, ..] => blank(*c) || wide(*c, *d),
    };
    let last = b[n - 1];
    let may_end = if last.is_ascii() {
        blank(last)
    } else {
        (n >= 2 && wide(b[n - 2], last)) || (n >= 3 && wide(b[n - 3], b[n - 2]))
    };
    if may_start || may_end { s.trim() } else { s }
}

/// Powers of ten that are exact in f64 (10^22 is the largest).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A plain decimal (`7.85`, `0.035`, `512`, `1.234e6`) of at most 15 digits, or `None` for
/// anything else. The digits make an integer below 2^53 and the power of ten is exact, so one
/// IEEE multiplication or division gives the correctly rounded value: the same bits as
/// `str::parse` (Clinger's fast path), at a fraction of its cost on the fifty million cells of
/// a national year. Other forms (signs, long digit strings, large exponents) go to
/// `str::parse`.
#[inline]
pub(crate) fn plain_decimal(b: &[u8]) -> Option<f64> {
    plain_parts(b).map(decimal_of)
}

/// The value of a plain decimal's parts (from [`plain_parts`]).
#[inline]
pub(crate) fn decimal_of((mantissa, e10): (u64, i32)) -> f64 {
    let m = mantissa as f64;
    if e10 >= 0 {
        m * POW10[e10 as usize]
    } else {
        m / POW10[(-e10) as usize]
    }
}

/// The digits of a plain decimal as an integer and its power of ten, within the range where
/// [`plain_decimal`] is exact (at most 15 digits, |power| ≤ 22); `None` for any other text.
#[inline]
pub(crate) fn plain_parts(b: &[u8]) -> Option<(u64, i32)> {
    // The integer digits, then the fraction's, then an exponent: one tight loop each, rather
    // than a loop that asks of every byte whether it is a digit, the dot or an `e`.
    let digit = |c: u8| {
        let d = c.wrapping_sub(b'0');
        (d < 10).then_some(u64::from(d))
    };
    let mut mantissa: u64 = 0;
    let mut i = 0;
    while let Some(d) = b.get(i).copied().and_then(digit) {
        mantissa = mantissa.wrapping_mul(10).wrapping_add(d);
        i += 1;
    }
    let mut digits = i;
    let mut frac = 0i32;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let from = i;
        while let Some(d) = b.get(i).copied().and_then(digit) {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(d);
            i += 1;
        }
        frac = (i - from) as i32;
        digits += i - from;
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    let mut exp: i32 = 0;
    if i < b.len() {
        // An exponent: e, an optional sign, one to three digits; anything else is not plain.
        if b[i] | 0x20 != b'e' {
            return None;
        }
        let rest = &b[i + 1..];
        let (neg, digits) = match rest.first() {
            Some(b'-') => (true, &rest[1..]),
            Some(b'+') => (false, &rest[1..]),
            _ => (false, rest),
        };
        if digits.is_empty() || digits.len() > 3 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let e = digits
            .iter()
            .fold(0i32, |a, d| a * 10 + i32::from(d - b'0'));
        exp = if neg { -e } else { e };
    }
    let e10 = exp - frac;
    (-22..=22).contains(&e10).then_some((mantissa, e10))
}

/// `&text[from..to]` where both ends are just after a separator (a comma or a newline, ASCII
/// bytes) or at the text's ends, without the checks that the ends fall between characters (a
/// compare and a byte load at each end of every cell, which the split proves needless).
#[inline]
fn cut(text: &str, from: usize, to: usize) -> &str {
    debug_assert!(text.is_char_boundary(from) && text.is_char_boundary(to));
    let bytes = &text.as_bytes()[from..to];
    // SAFETY: `text` is UTF-8 and `from` and `to` are each 0, `text.len()`, or the index of, or
    // one after, an ASCII byte; ASCII bytes are never part of a multi-byte character, so both
    // ends are character boundaries and the bytes between them are UTF-8.
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

/// Split `text` at commas and newlines, calling `row(line, fields, line_no, quote_near)` once
/// per line with the line's text (without its newline, a carriage return left in) and its
/// fields; `line_no` counts the lines, starting after its value on entry. `quote_near` is true
/// when a 32-byte chunk the line touches holds a double quote: the fields are then a plain
/// split, and the caller reads the line again by the CSV rules when a field is quoted. The last
/// line may lack its newline.
///
/// One pass over the text for both separators, 32 bytes at a time. Fields are short (two to
/// six bytes): memchr's iterator pays its set-up at every comma, and the standard library's
/// `split` a call to memcmp; together a third of reading a national water year.
#[inline]
pub(crate) fn split_rows<'a>(
    text: &'a str,
    fields_per_row: usize,
    line_no: &mut u64,
    mut row: impl FnMut(&'a str, &[&'a str], u64, bool),
) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut split: Vec<&str> = Vec::with_capacity(fields_per_row);
    let (mut line_start, mut field_start) = (0, 0);
    let mut i = 0;
    let mut quote_near = false;
    while i < n {
        // The last chunk is padded with zero bytes, which are neither separator: one loop, so
        // the per-field step below is inlined (a call per field cost a quarter of the time).
        let chunk: [u8; 32] = match bytes.get(i..i + 32) {
            Some(b) => b.try_into().expect("32 bytes"),
            None => {
                let mut last = [0u8; 32];
                last[..n - i].copy_from_slice(&bytes[i..]);
                last
            }
        };
        let (s0, q0, n0) = chunk_masks(chunk[..16].try_into().expect("16 bytes"));
        let (s1, q1, n1) = chunk_masks(chunk[16..].try_into().expect("16 bytes"));
        let (mut m, quotes, newlines) = (s0 | s1 << 16, q0 | q1, n0 | n1 << 16);
        // Quoted fields are rare: a row is tested field by field only when a chunk it touches
        // holds a quote (a quote in the chunk that ends the previous row counts too, which
        // costs a test and changes nothing).
        let quoted_chunk = quotes != 0;
        quote_near |= quoted_chunk;
        while m != 0 {
            let bit = m & m.wrapping_neg();
            let p = i + m.trailing_zeros() as usize;
            m &= m - 1;
            split.push(cut(text, field_start, p));
            field_start = p + 1;
            if newlines & bit != 0 {
                *line_no += 1;
                row(cut(text, line_start, p), &split, *line_no, quote_near);
                split.clear();
                line_start = p + 1;
                quote_near = quoted_chunk;
            }
        }
        i += 32;
    }
    if line_start < n {
        split.push(&text[field_start..]);
        *line_no += 1;
        row(&text[line_start..], &split, *line_no, quote_near);
    }
}

/// The line on which a record of the csv crate starts, as an editor numbers lines (1-based,
/// a line ends at `\n`). The csv crate's own `Position::line` counts a `\r\n` line end's
/// `\n` only when it reads the next record, after taking that record's position (and skips
/// empty lines the same way), so in a file with `\r\n` line ends (the national daily files)
/// its line is one or more below the record's. The record's byte position is exact up to the
/// line ends and empty lines before it: those are skipped, and the `\n` before the record
/// counted.
pub struct LineOf<'a> {
    bytes: &'a [u8],
    /// A byte offset and the line it is on; records are asked for in file order.
    at: usize,
    line: u64,
}

impl<'a> LineOf<'a> {
    pub fn new(text: &'a str) -> Self {
        LineOf {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    pub fn of(&mut self, pos: &csv::Position) -> u64 {
        let mut start = (pos.byte() as usize).min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += memchr::memchr_iter(b'\n', &self.bytes[self.at..start]).count() as u64;
        self.at = start;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_decimal_is_the_standard_parse() {
        for t in [
            "7.85",
            "0.035",
            "512",
            "0",
            "0.0",
            "10.21",
            "123456789012345",
            "0.000001",
            "99999.99999",
            "1.",
            ".5",
            "3.1415926535897",
        ] {
            assert_eq!(
                plain_decimal(t.as_bytes()),
                Some(t.parse::<f64>().unwrap()),
                "{t}"
            );
        }
        for t in ["1.234e6", "5E-3", "1e+2", "0.5e1", "7e22", "1.5e-20"] {
            assert_eq!(
                plain_decimal(t.as_bytes()),
                Some(t.parse::<f64>().unwrap()),
                "{t}"
            );
        }
        for t in [
            "",
            ".",
            "1.2.3",
            "-1",
            "1e",
            "1e1000",
            "1e50",
            "1234567890123456",
            "1,2",
            "+1",
            "e5",
        ] {
            assert_eq!(plain_decimal(t.as_bytes()), None, "{t}");
        }
    }

    proptest::proptest! {
        /// Any decimal the fast path takes gives the standard library's bits.
        #[test]
        fn the_fast_decimal_agrees(int in 0u64..10_000_000, frac in 0u64..100_000_000, k in 0usize..9, e in -30i32..30) {
            let t = format!("{int}.{:0k$}", frac % 10u64.pow(k as u32), k = k);
            if let Some(v) = plain_decimal(t.as_bytes()) {
                proptest::prop_assert_eq!(v.to_bits(), t.parse::<f64>().unwrap().to_bits(), "{}", t);
            }
            let t = format!("{t}e{e}");
            if let Some(v) = plain_decimal(t.as_bytes()) {
                proptest::prop_assert_eq!(v.to_bits(), t.parse::<f64>().unwrap().to_bits(), "{}", t);
            }
        }
    }

    #[test]
    fn separators_are_found_exactly() {
        for text in [
            "a,b\nc,,d\n,,,,,,,,,,,,,,,,",
            ",,,,,,,,\n\n\n\n\n\n\n\n\"\",\"x\"\n,,",
            "abcdefghabcdefgh",
            "\u{2c00}é,\n\u{a0a}\u{2c00}\u{220a}\u{a22}é,,\n",
        ] {
            let b = text.as_bytes();
            let (mut seps, mut quotes, mut newlines) = (Vec::new(), Vec::new(), Vec::new());
            for k in (0..b.len()).step_by(16) {
                // The last chunk padded with zero bytes, as the scan pads it.
                let mut chunk = [0u8; 16];
                let m = (b.len() - k).min(16);
                chunk[..m].copy_from_slice(&b[k..k + m]);
                let (s, q, n) = chunk_masks(&chunk);
                assert_eq!((s, q, n), chunk_masks_bytewise(&chunk), "{text:?}");
                seps.extend((0..16).filter(|j| s >> j & 1 == 1).map(|j| k + j));
                quotes.extend((0..16).filter(|j| q >> j & 1 == 1).map(|j| k + j));
                newlines.extend((0..16).filter(|j| n >> j & 1 == 1).map(|j| k + j));
            }
            let at = |want: &[u8]| -> Vec<usize> {
                (0..b.len()).filter(|&p| want.contains(&b[p])).collect()
            };
            assert_eq!(seps, at(b",\n"), "{text:?}");
            assert_eq!(quotes, at(b"\""), "{text:?}");
            assert_eq!(newlines, at(b"\n"), "{text:?}");
        }
    }

    proptest::proptest! {
        /// The byte test never skips a trim the standard library would make: cells made of
        /// Chinese text, class numerals, digits and every kind of Unicode white space.
        #[test]
        fn trim_is_str_trim(s in "[ \\t\\r\u{b}\u{c}\u{1c}\u{85}\u{a0}\u{1680}\u{2000}-\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{feff}正常故障北京断面ⅠⅡⅢ劣Ⅴ0-9a-z.,-]{0,8}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }
    proptest::proptest! {
        /// Every byte value, in every position of a chunk.
        #[test]
        fn chunk_masks_match_a_byte_scan(b in proptest::prelude::any::<[u8; 16]>()) {
            proptest::prop_assert_eq!(chunk_masks(&b), chunk_masks_bytewise(&b));
        }
    }

    #[test]
    fn rows_are_split_at_commas_and_newlines() {
        // Rows longer than a chunk, an empty line, a last line without its newline, and a
        // quote that marks its row and the next only.
        let long = "1,".repeat(40) + "x";
        let text = format!("a,b\n{long}\n\n\"q\",r\n,\nlast,");
        let mut got = Vec::new();
        let mut line_no = 10;
        split_rows(&text, 4, &mut line_no, |line, f, no, q| {
            got.push((
                line.to_string(),
                f.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                no,
                q,
            ));
        });
        assert_eq!(line_no, 16);
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(got.len(), lines.len());
        for (k, (line, fields, no, _)) in got.iter().enumerate() {
            assert_eq!(line, lines[k]);
            assert_eq!(
                fields,
                &lines[k].split(',').map(str::to_string).collect::<Vec<_>>()
            );
            assert_eq!(*no, 11 + k as u64);
        }
        assert!(got[3].3, "the quoted row is marked");
        assert!(!got[0].3, "a row far from the quote is not");
    }
}
