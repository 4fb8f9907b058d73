//! Quality flags with history (the saqc model).
//!
//! A value is never deleted or overwritten because it looks wrong. Each test that has an opinion
//! *appends* a [`FlagEntry`] to the value's [`FlagHistory`]; the current flag is the latest
//! entry. The levels follow saqc's default scheme (UNFLAGGED < GOOD < DOUBTFUL < BAD), plus
//! `Withdrawn` for a value that a revised source file no longer contains.

use std::fmt;
use std::str::FromStr;

/// A quality flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// No test has objected.
    Ok,
    /// Suspicious but possible (e.g. above the plausibility bound of the pollutant).
    Doubtful,
    /// Not usable for statistics (e.g. a negative concentration).
    Bad,
    /// A later revision of the source no longer carries this value.
    Withdrawn,
}

impl Flag {
    pub fn code(self) -> &'static str {
        match self {
            Flag::Ok => "ok",
            Flag::Doubtful => "doubtful",
            Flag::Bad => "bad",
            Flag::Withdrawn => "withdrawn",
        }
    }

    /// Whether statistics may use a value with this flag. Doubtful values stay in: GB 3095
    /// §(data validity) says all valid data must be used, and "doubtful" is not "invalid".
    pub fn is_valid(self) -> bool {
        matches!(self, Flag::Ok | Flag::Doubtful)
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Flag {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "ok" | "good" | "unflagged" => Flag::Ok,
            "doubtful" => Flag::Doubtful,
            "bad" => Flag::Bad,
            "withdrawn" => Flag::Withdrawn,
            other => return Err(format!("unknown flag {other:?}")),
        })
    }
}

/// One opinion about one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagEntry {
    pub flag: Flag,
    /// The test that set it, e.g. `ingest.negative`, `ingest.implausible`, `revision`.
    pub test: String,
    /// Human-readable reason.
    pub reason: String,
}

/// The flags of one value, oldest first. Entries are only ever appended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlagHistory {
    entries: Vec<FlagEntry>,
}

impl FlagHistory {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, entry: FlagEntry) {
        self.entries.push(entry);
    }

    /// The flag in force: the latest entry, or `Ok` when no test has spoken.
    pub fn current(&self) -> Flag {
        self.entries.last().map_or(Flag::Ok, |e| e.flag)
    }

    pub fn entries(&self) -> &[FlagEntry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_every_entry_and_latest_wins() {
        let mut h = FlagHistory::new();
        assert_eq!(h.current(), Flag::Ok);
        h.push(FlagEntry {
            flag: Flag::Bad,
            test: "ingest.negative".into(),
            reason: "-3 < 0".into(),
        });
        h.push(FlagEntry {
            flag: Flag::Ok,
            test: "manual".into(),
            reason: "checked by analyst".into(),
        });
        assert_eq!(h.current(), Flag::Ok);
        assert_eq!(h.entries().len(), 2);
        assert_eq!(h.entries()[0].flag, Flag::Bad);
    }

    #[test]
    fn validity_of_flags() {
        assert!(Flag::Ok.is_valid());
        assert!(Flag::Doubtful.is_valid());
        assert!(!Flag::Bad.is_valid());
        assert!(!Flag::Withdrawn.is_valid());
        for f in [Flag::Ok, Flag::Doubtful, Flag::Bad, Flag::Withdrawn] {
            assert_eq!(f.code().parse::<Flag>().unwrap(), f);
        }
    }
}
