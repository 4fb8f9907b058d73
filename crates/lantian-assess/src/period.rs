//! Assessment periods: a year, half year, quarter, month, the year to date ("累计", from
//! 1 January) or any range of days, with the same period one year earlier as the default
//! baseline of a bulletin's comparison.
//!
//! Text forms: `2023`, `2023-H1`, `2023-Q2`, `2023-05`, `2023-YTD-06-04` (1 January to 4 June),
//! `2023-01-01..2023-06-30`.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A closed range of natural days (Beijing dates) with the name it was given.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub kind: PeriodKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PeriodKind {
    Year,
    Half(u8),
    Quarter(u8),
    Month,
    /// From 1 January to `last` (累计).
    YearToDate,
    Range,
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error(
    "'{text}' is not a period ({why}); use 2023, 2023-H1, 2023-Q2, 2023-05, 2023-YTD-06-04 or 2023-01-01..2023-06-30"
)]
pub struct PeriodError {
    pub text: String,
    pub why: &'static str,
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1)?.pred_opt()
}

impl Period {
    pub fn year(y: i32) -> Option<Period> {
        Some(Period {
            first: ymd(y, 1, 1)?,
            last: ymd(y, 12, 31)?,
            kind: PeriodKind::Year,
        })
    }

    pub fn half(y: i32, h: u8) -> Option<Period> {
        let (a, b) = match h {
            1 => (1, 6),
            2 => (7, 12),
            _ => return None,
        };
        Some(Period {
            first: ymd(y, a, 1)?,
            last: month_end(y, b)?,
            kind: PeriodKind::Half(h),
        })
    }

    pub fn quarter(y: i32, q: u8) -> Option<Period> {
        if !(1..=4).contains(&q) {
            return None;
        }
        let a = u32::from(q) * 3 - 2;
        Some(Period {
            first: ymd(y, a, 1)?,
            last: month_end(y, a + 2)?,
            kind: PeriodKind::Quarter(q),
        })
    }

    pub fn month(y: i32, m: u32) -> Option<Period> {
        Some(Period {
            first: ymd(y, m, 1)?,
            last: month_end(y, m)?,
            kind: PeriodKind::Month,
        })
    }

    /// 1 January to `last` of the same year.
    pub fn year_to_date(last: NaiveDate) -> Period {
        Period {
            first: ymd(last.year(), 1, 1).unwrap_or(last),
            last,
            kind: PeriodKind::YearToDate,
        }
    }

    pub fn range(first: NaiveDate, last: NaiveDate) -> Option<Period> {
        (first <= last).then_some(Period {
            first,
            last,
            kind: PeriodKind::Range,
        })
    }

    /// Parse the text forms listed in the module documentation.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let t = text.trim();
        let err = |why| PeriodError {
            text: text.to_string(),
            why,
        };
        if let Some((a, b)) = t.split_once("..") {
            let d = |s: &str| {
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                    .map_err(|_| err("dates are YYYY-MM-DD"))
            };
            return Period::range(d(a)?, d(b)?).ok_or(err("the first day is after the last"));
        }
        let parts: Vec<&str> = t.split('-').collect();
        let year: i32 = parts[0].parse().map_err(|_| err("no year"))?;
        let p = match parts.as_slice() {
            [_] => Period::year(year),
            [_, h] if h.starts_with(['H', 'h']) => {
                h[1..].parse().ok().and_then(|h| Period::half(year, h))
            }
            [_, q] if q.starts_with(['Q', 'q']) => {
                q[1..].parse().ok().and_then(|q| Period::quarter(year, q))
            }
            [_, m] => m.parse().ok().and_then(|m| Period::month(year, m)),
            [_, ytd, m, d] if ytd.eq_ignore_ascii_case("ytd") => {
                let (m, d) = (
                    m.parse().map_err(|_| err("bad month"))?,
                    d.parse().map_err(|_| err("bad day"))?,
                );
                ymd(year, m, d).map(Period::year_to_date)
            }
            _ => None,
        };
        p.ok_or(err("unknown form or impossible date"))
    }

    /// Number of days in the period.
    pub fn days(&self) -> usize {
        (self.last - self.first).num_days() as usize + 1
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        d >= self.first && d <= self.last
    }

    /// Every day of the period.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.first.iter_days().take(self.days())
    }

    /// The same period one year earlier (the bulletin's 同比 baseline). 29 February maps to
    /// 28 February; a year-to-date period ending on it likewise.
    pub fn previous_year(&self) -> Period {
        let back = |d: NaiveDate| {
            ymd(d.year() - 1, d.month(), d.day())
                .unwrap_or_else(|| ymd(d.year() - 1, d.month(), 28).unwrap_or(d))
        };
        let last = match self.kind {
            // Whole months keep their month end (2024-02-29 → 2023-02-28).
            PeriodKind::Year | PeriodKind::Half(_) | PeriodKind::Quarter(_) | PeriodKind::Month => {
                month_end(self.last.year() - 1, self.last.month()).unwrap_or(back(self.last))
            }
            _ => back(self.last),
        };
        Period {
            first: back(self.first),
            last,
            kind: self.kind,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let y = self.first.year();
        match self.kind {
            PeriodKind::Year => write!(f, "{y}"),
            PeriodKind::Half(h) => write!(f, "{y}-H{h}"),
            PeriodKind::Quarter(q) => write!(f, "{y}-Q{q}"),
            PeriodKind::Month => write!(f, "{y}-{:02}", self.first.month()),
            PeriodKind::YearToDate => write!(f, "{y}-YTD-{}", self.last.format("%m-%d")),
            PeriodKind::Range => write!(f, "{}..{}", self.first, self.last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn forms() {
        let h1 = Period::parse("2024-H1").unwrap();
        assert_eq!(
            (h1.first, h1.last, h1.days()),
            (d(2024, 1, 1), d(2024, 6, 30), 182)
        );
        assert_eq!(Period::parse("2023").unwrap().days(), 365);
        assert_eq!(Period::parse("2024").unwrap().days(), 366);
        assert_eq!(Period::parse("2023-Q1").unwrap().last, d(2023, 3, 31));
        assert_eq!(Period::parse("2024-02").unwrap().days(), 29);
        let ytd = Period::parse("2024-YTD-06-04").unwrap();
        assert_eq!(
            (ytd.first, ytd.last, ytd.days()),
            (d(2024, 1, 1), d(2024, 6, 4), 156)
        );
        let r = Period::parse("2023-03-10..2023-03-12").unwrap();
        assert_eq!(
            r.dates().collect::<Vec<_>>(),
            vec![d(2023, 3, 10), d(2023, 3, 11), d(2023, 3, 12)]
        );
        for (text, shown) in [
            ("2023", "2023"),
            ("2023-h2", "2023-H2"),
            ("2023-5", "2023-05"),
            ("2024-ytd-06-04", "2024-YTD-06-04"),
        ] {
            assert_eq!(Period::parse(text).unwrap().to_string(), shown);
        }
        for bad in [
            "",
            "20x3",
            "2023-H3",
            "2023-Q5",
            "2023-13",
            "2023-02-30..2023-03-01",
            "2023-03-02..2023-03-01",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn previous_year() {
        let h1 = Period::parse("2024-H1").unwrap().previous_year();
        assert_eq!((h1.first, h1.last), (d(2023, 1, 1), d(2023, 6, 30)));
        let feb = Period::parse("2024-02").unwrap().previous_year();
        assert_eq!(feb.last, d(2023, 2, 28));
        let ytd = Period::year_to_date(d(2024, 2, 29)).previous_year();
        assert_eq!((ytd.first, ytd.last), (d(2023, 1, 1), d(2023, 2, 28)));
    }
}
