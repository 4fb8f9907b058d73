//! The EU Transaction Log's compliance letters, recomputed from the figures.
//!
//! Each year the EUTL publishes, per installation, its verified emissions, the units it
//! surrendered and a letter: A (surrendered at least its emissions), B (less), C, D, E, "-", some
//! of them starred. The letter is set on the data available on 30 April after the year (the
//! Commission's compliance releases say so) and is the registry's own verdict, which makes it an
//! oracle for the books: [`recompute`] derives A or B from the figures and compares.
//!
//! The rules the registry applied were found in the data (docs/carbon.md has the tables):
//!
//! - **Cumulative within a trading period.** A year is A when everything surrendered since the
//!   period began covers everything emitted since then.
//! - **A shortfall crosses into the next period, a surplus does not** (Directive 2003/87/EC
//!   Art. 16(3): paying the penalty does not release the operator from surrendering). Italy's,
//!   Spain's and Finland's 2008–2012 letters need the 2005–2007 shortfall carried (188, 63 and
//!   18 more mismatches without it); no registry's letters need a surplus carried.
//! - **Except Bulgaria's 2005–2007 shortfall.** Bulgaria joined in 2007 and its registry's
//!   2008–2009 letters are E*: its 2007 shortfalls were not carried (349 mismatches if they were).
//! - **A star from 2008 on marks figures changed after the letter was set.** Where a starred
//!   year shows a partial surrender (more than nothing, less than the final emissions), the letter
//!   was set on the emissions verified at the deadline, which the EUTL does not keep; the
//!   operator's surrender is the best estimate of them (in unstarred years with a surrender, the
//!   surrender equals the emissions in most cases), so the year counts as covered and its later
//!   correction is not carried. The letters of the years after agree: an A follows such a year even
//!   when the corrected deficit was never made up. In 2005–2007 the star means something else
//!   (it is on 61 % of the 2005 letters, which the figures alone reproduce), so it is not used.

use crate::books::carry;
use crate::emissions::Emissions;
use crate::scheme::{Carry, EU_ETS};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// The letter itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum LetterCode {
    A,
    B,
    C,
    D,
    E,
    /// "-", published for a few installations in 2013–2019.
    Dash,
}

/// A published compliance letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Letter {
    pub code: LetterCode,
    pub star: bool,
}

impl Letter {
    /// A published cell: `A`, `B*`, `-` …; empty is no letter.
    pub fn parse(cell: &str) -> Result<Option<Letter>, String> {
        let t = cell.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let (body, star) = match t.strip_suffix('*') {
            Some(b) => (b, true),
            None => (t, false),
        };
        let code = match body {
            "A" => LetterCode::A,
            "B" => LetterCode::B,
            "C" => LetterCode::C,
            "D" => LetterCode::D,
            "E" => LetterCode::E,
            "-" => LetterCode::Dash,
            _ => {
                return Err(format!(
                    "\"{t}\" is not a compliance letter (A, B, C, D, E or -, starred or not)"
                ));
            }
        };
        Ok(Some(Letter { code, star }))
    }

    /// Whether the letter says covered (A) or not (B): the letters the figures can decide.
    pub fn is_a_or_b(self) -> bool {
        matches!(self.code, LetterCode::A | LetterCode::B)
    }
}

impl fmt::Display for Letter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = match self.code {
            LetterCode::A => "A",
            LetterCode::B => "B",
            LetterCode::C => "C",
            LetterCode::D => "D",
            LetterCode::E => "E",
            LetterCode::Dash => "-",
        };
        write!(f, "{c}{}", if self.star { "*" } else { "" })
    }
}

/// One installation-year of the panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelYear {
    pub year: i32,
    pub emissions: Emissions,
    /// Units surrendered for the year (empty cell: none).
    pub surrendered_t: Option<f64>,
    pub letter: Option<Letter>,
}

/// One installation of the panel, its years in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Installation {
    pub account_id: String,
    /// The registry (ISO country code, `XI` for Northern Ireland).
    pub country: String,
    pub years: Vec<PanelYear>,
}

/// The rules of a recomputation. [`Rules::REGISTRY`] are the rules found in the data;
/// [`Rules::FIGURES_ONLY`] leaves the star out, to show what the figures alone give.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rules {
    /// Registries whose 2005–2007 shortfalls were not carried into 2008.
    pub no_first_period_carry: &'static [&'static str],
    /// From this year, a starred partial surrender counts as covering the emissions verified at
    /// the deadline; `None`: never.
    pub star_from: Option<i32>,
}

impl Rules {
    pub const REGISTRY: Rules = Rules {
        no_first_period_carry: &["BG"],
        star_from: Some(2008),
    };
    pub const FIGURES_ONLY: Rules = Rules {
        no_first_period_carry: &["BG"],
        star_from: None,
    };
}

/// Why a recomputed letter differs from the published one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mismatch {
    /// A starred letter: the figures were changed after it was set.
    Starred,
    /// An unstarred letter after a starred partial surrender in the same period that the rules
    /// counted as covered: where that year was in fact short (its letter B*), the shortfall the
    /// registry carried shows here.
    AfterStarredYear,
    /// The year's own figures agree with the letter; the balance carried from earlier years
    /// turns it.
    CarriedBalance,
    /// A B for a year with nothing emitted and nothing surrendered.
    BWithNothingEmitted,
    /// A B for a year whose own surrender covers its emissions with nothing owed from before:
    /// the letter is set on 30 April and the panel's surrender carries no date, so the
    /// surrender came after the deadline.
    SurrenderedLate,
    /// An A for a year left short whose shortfall the next year's surplus covers: surrendered
    /// before the deadline but booked to the next year.
    BookedNextYear,
    /// The year's own figures disagree with the letter, and no balance explains it.
    YearFigures,
}

/// One installation-year recomputed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Recomputed {
    pub year: i32,
    pub published: Option<Letter>,
    /// A or B from the figures.
    pub recomputed: LetterCode,
    /// The compliance balance after the year (t).
    pub balance_t: f64,
    /// Set where the published letter is A or B and differs.
    pub mismatch: Option<Mismatch>,
}

/// Recompute every year's A or B of one installation.
pub fn recompute(inst: &Installation, rules: Rules) -> Vec<Recomputed> {
    let mut out = Vec::with_capacity(inst.years.len());
    let mut balance = 0.0;
    let mut phase_start: Option<i32> = None;
    let mut star_rule_used = false;
    for y in &inst.years {
        let Some(phase) = EU_ETS.phase(y.year) else {
            continue;
        };
        if phase_start != Some(phase.first_year) {
            let rule = if phase.first_year == 2008
                && rules.no_first_period_carry.contains(&inst.country.as_str())
            {
                Carry::Nothing
            } else {
                phase.carry_in
            };
            balance = if phase_start.is_some() {
                carry(balance, rule)
            } else {
                0.0
            };
            phase_start = Some(phase.first_year);
            star_rule_used = false;
        }
        let s = y.surrendered_t.unwrap_or(0.0);
        let e = y.emissions.obligation();
        let starred = y.letter.is_some_and(|l| l.star);
        let e_at_deadline = match rules.star_from {
            Some(from) if starred && y.year >= from && s > 0.0 && s < e => s,
            _ => e,
        };
        let carried = balance;
        let after_starred_year = star_rule_used;
        star_rule_used |= e_at_deadline != e;
        balance += s - e_at_deadline;
        let recomputed = if balance >= 0.0 {
            LetterCode::A
        } else {
            LetterCode::B
        };
        let mismatch = y
            .letter
            .filter(|l| l.is_a_or_b() && l.code != recomputed)
            .map(|l| {
                let alone = if s - e_at_deadline >= 0.0 {
                    LetterCode::A
                } else {
                    LetterCode::B
                };
                if l.star {
                    Mismatch::Starred
                } else if after_starred_year {
                    Mismatch::AfterStarredYear
                } else if alone == l.code && carried != 0.0 {
                    Mismatch::CarriedBalance
                } else if l.code == LetterCode::B && e == 0.0 && s == 0.0 {
                    Mismatch::BWithNothingEmitted
                } else if l.code == LetterCode::B && alone == LetterCode::A && carried >= 0.0 {
                    Mismatch::SurrenderedLate
                } else {
                    Mismatch::YearFigures
                }
            });
        out.push(Recomputed {
            year: y.year,
            published: y.letter,
            recomputed,
            balance_t: balance,
            mismatch,
        });
    }
    // An A left short, made up by the next year's surplus in the same period.
    for k in 0..out.len().saturating_sub(1) {
        let (now, next) = (out[k], out[k + 1]);
        let same_period = EU_ETS.phase(now.year).map(|p| p.first_year)
            == EU_ETS.phase(next.year).map(|p| p.first_year);
        if now.mismatch == Some(Mismatch::YearFigures)
            && now.published.is_some_and(|l| l.code == LetterCode::A)
            && same_period
            && next.year == now.year + 1
            && next.balance_t >= 0.0
        {
            out[k].mismatch = Some(Mismatch::BookedNextYear);
        }
    }
    out
}

/// Counts of one year, or of a group of years.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Installation-years with an A or B letter (starred or not).
    pub letters: u64,
    pub matched: u64,
    pub starred_letters: u64,
    pub starred_matched: u64,
}

impl Tally {
    fn add(&mut self, r: &Recomputed) {
        let Some(l) = r.published.filter(|l| l.is_a_or_b()) else {
            return;
        };
        let ok = l.code == r.recomputed;
        self.letters += 1;
        self.matched += ok as u64;
        if l.star {
            self.starred_letters += 1;
            self.starred_matched += ok as u64;
        }
    }

    fn merge(&mut self, o: &Tally) {
        self.letters += o.letters;
        self.matched += o.matched;
        self.starred_letters += o.starred_letters;
        self.starred_matched += o.starred_matched;
    }

    /// Share matched, in percent.
    pub fn rate(&self) -> f64 {
        if self.letters == 0 {
            f64::NAN
        } else {
            100.0 * self.matched as f64 / self.letters as f64
        }
    }

    pub fn unstarred_rate(&self) -> f64 {
        let n = self.letters - self.starred_letters;
        if n == 0 {
            f64::NAN
        } else {
            100.0 * (self.matched - self.starred_matched) as f64 / n as f64
        }
    }

    pub fn starred_rate(&self) -> f64 {
        if self.starred_letters == 0 {
            f64::NAN
        } else {
            100.0 * self.starred_matched as f64 / self.starred_letters as f64
        }
    }
}

/// What the oracle found over a panel.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub installations: u64,
    pub by_year: BTreeMap<i32, Tally>,
    /// Mismatches by class and published letter.
    pub mismatches: BTreeMap<(Mismatch, String), u64>,
    /// Every published letter (A–E, "-", starred or not) against the state of the year's
    /// emissions: the evidence for what C, D, E and "-" mean.
    pub letter_by_emissions: BTreeMap<(String, &'static str), u64>,
}

/// The state of a year's emissions, as counted in [`Summary::letter_by_emissions`].
pub fn emissions_state(e: Emissions) -> &'static str {
    match e {
        Emissions::Verified(0.0) => "zero",
        Emissions::Verified(_) => "positive",
        Emissions::NotReported => "not reported",
        Emissions::Excluded => "excluded",
        Emissions::Missing => "empty",
    }
}

impl Summary {
    pub fn add(&mut self, inst: &Installation, rules: Rules) {
        self.installations += 1;
        for (r, y) in recompute(inst, rules)
            .iter()
            .zip(inst.years.iter().filter(|y| EU_ETS.phase(y.year).is_some()))
        {
            self.by_year.entry(r.year).or_default().add(r);
            if let (Some(m), Some(l)) = (r.mismatch, r.published) {
                *self.mismatches.entry((m, l.to_string())).or_default() += 1;
            }
            if let Some(l) = y.letter {
                *self
                    .letter_by_emissions
                    .entry((l.to_string(), emissions_state(y.emissions)))
                    .or_default() += 1;
            }
        }
    }

    /// The tally of the years `first..=last`.
    pub fn span(&self, first: i32, last: i32) -> Tally {
        let mut t = Tally::default();
        for (_, y) in self.by_year.range(first..=last) {
            t.merge(y);
        }
        t
    }

    pub fn total(&self) -> Tally {
        self.span(i32::MIN, i32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(country: &str, years: &[(i32, f64, Option<f64>, &str)]) -> Installation {
        Installation {
            account_id: "1".into(),
            country: country.into(),
            years: years
                .iter()
                .map(|&(year, e, s, l)| PanelYear {
                    year,
                    emissions: Emissions::Verified(e),
                    surrendered_t: s,
                    letter: Letter::parse(l).unwrap(),
                })
                .collect(),
        }
    }

    fn letters(r: &[Recomputed]) -> String {
        r.iter()
            .map(|r| {
                if r.recomputed == LetterCode::A {
                    'A'
                } else {
                    'B'
                }
            })
            .collect()
    }

    #[test]
    fn letters_parse_and_refuse() {
        assert_eq!(
            Letter::parse("B*").unwrap(),
            Some(Letter {
                code: LetterCode::B,
                star: true
            })
        );
        assert_eq!(Letter::parse("-").unwrap().unwrap().code, LetterCode::Dash);
        assert_eq!(Letter::parse(" ").unwrap(), None);
        assert!(Letter::parse("F").unwrap_err().contains("\"F\""));
        assert!(Letter::parse("A**").is_err());
        assert_eq!(Letter::parse("E*").unwrap().unwrap().to_string(), "E*");
    }

    #[test]
    fn cumulative_within_a_period() {
        // 2008 surplus 10, 2009 short 5 (balance +5: A), 2010 short 10 (balance −5: B).
        let i = inst(
            "DE",
            &[
                (2008, 100.0, Some(110.0), "A"),
                (2009, 100.0, Some(95.0), "A"),
                (2010, 100.0, Some(90.0), "B"),
            ],
        );
        let r = recompute(&i, Rules::REGISTRY);
        assert_eq!(letters(&r), "AAB");
        assert_eq!(
            r.iter().map(|r| r.balance_t).collect::<Vec<_>>(),
            vec![10.0, 5.0, -5.0]
        );
        assert!(r.iter().all(|r| r.mismatch.is_none()));
    }

    #[test]
    fn first_period_shortfall_carried_except_in_bulgaria() {
        // Italy's pattern: 2007 nothing surrendered, then exact surrenders and B every year.
        let years = [
            (2007, 50.0, None, "B"),
            (2008, 100.0, Some(100.0), "B"),
            (2009, 100.0, Some(100.0), "B"),
        ];
        assert_eq!(
            letters(&recompute(&inst("IT", &years), Rules::REGISTRY)),
            "BBB"
        );
        assert_eq!(
            letters(&recompute(&inst("BG", &years), Rules::REGISTRY)),
            "BAA"
        );
        // A surplus never crosses.
        let years = [
            (2007, 50.0, Some(80.0), "A"),
            (2008, 100.0, Some(90.0), "B"),
        ];
        assert_eq!(
            letters(&recompute(&inst("IT", &years), Rules::REGISTRY)),
            "AB"
        );
        // 2012 → 2013: the shortfall crosses.
        let years = [
            (2012, 50.0, Some(40.0), "B"),
            (2013, 100.0, Some(100.0), "B"),
        ];
        assert_eq!(
            letters(&recompute(&inst("FR", &years), Rules::REGISTRY)),
            "BB"
        );
    }

    #[test]
    fn starred_partial_surrender_from_2008() {
        // GB pattern: emissions corrected upward after the letter; the deficit never made up.
        let years = [
            (2013, 39_049.0, Some(38_986.0), "A*"),
            (2014, 48_070.0, Some(48_000.0), "A*"),
            (2016, 100.0, Some(100.0), "A"),
        ];
        let r = recompute(&inst("GB", &years), Rules::REGISTRY);
        assert_eq!(letters(&r), "AAA");
        assert!(r.iter().all(|r| r.mismatch.is_none()));
        let figures = recompute(&inst("GB", &years), Rules::FIGURES_ONLY);
        assert_eq!(letters(&figures), "BBB");
        assert_eq!(figures[0].mismatch, Some(Mismatch::Starred));
        assert_eq!(figures[2].mismatch, Some(Mismatch::CarriedBalance));
        // A B* whose shortfall was real: the B letters after it follow the carried shortfall the
        // rule dropped.
        let years = [
            (2008, 7_407.0, Some(2_370.0), "B*"),
            (2009, 3_495.0, Some(3_495.0), "B"),
        ];
        let r = recompute(&inst("AT", &years), Rules::REGISTRY);
        assert_eq!(letters(&r), "AA");
        assert_eq!(r[0].mismatch, Some(Mismatch::Starred));
        assert_eq!(r[1].mismatch, Some(Mismatch::AfterStarredYear));
        assert_eq!(
            letters(&recompute(&inst("AT", &years), Rules::FIGURES_ONLY)),
            "BB"
        );
        // Surrendered in full, but after the deadline; surrendered early but booked a year late.
        let r = recompute(
            &inst("FR", &[(2008, 11_954.0, Some(11_954.0), "B")]),
            Rules::REGISTRY,
        );
        assert_eq!(r[0].mismatch, Some(Mismatch::SurrenderedLate));
        let years = [
            (2011, 4_224.0, None, "A"),
            (2012, 10_216.0, Some(14_440.0), "A"),
        ];
        let r = recompute(&inst("DK", &years), Rules::REGISTRY);
        assert_eq!(r[0].mismatch, Some(Mismatch::BookedNextYear));
        assert_eq!(r[1].mismatch, None);
        // Nothing surrendered: still B, starred or not.
        let r = recompute(&inst("GB", &[(2013, 10.0, None, "B*")]), Rules::REGISTRY);
        assert_eq!(letters(&r), "B");
        // Before 2008 the star is not read as a correction.
        let r = recompute(
            &inst("GB", &[(2006, 10.0, Some(5.0), "B*")]),
            Rules::REGISTRY,
        );
        assert_eq!(letters(&r), "B");
    }

    #[test]
    fn tallies() {
        let mut s = Summary::default();
        s.add(
            &inst(
                "DE",
                &[
                    (2008, 100.0, Some(100.0), "A"),
                    (2009, 100.0, Some(90.0), "A*"),
                    (2010, 0.0, None, "C"),
                ],
            ),
            Rules::FIGURES_ONLY,
        );
        let t = s.total();
        assert_eq!(
            (t.letters, t.matched, t.starred_letters, t.starred_matched),
            (2, 1, 1, 0)
        );
        assert_eq!(t.rate(), 50.0);
        assert_eq!(t.unstarred_rate(), 100.0);
        assert_eq!(
            s.mismatches.get(&(Mismatch::Starred, "A*".into())),
            Some(&1)
        );
        assert_eq!(s.letter_by_emissions.get(&("C".into(), "zero")), Some(&1));
        assert_eq!(s.span(2009, 2009).letters, 1);
    }
}
