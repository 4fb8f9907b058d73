//! A unit's verified emissions for a year: a number of tonnes, or the state a registry publishes
//! in its place.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Verified emissions of one unit in one year (t CO2e).
///
/// Registries publish states where there is no figure: the EU Transaction Log writes
/// "Not Reported" when no verified report reached the registry by the deadline and "Excluded"
/// for an installation opted out of the system for the year. They are states, not zeros: a
/// compliance balance treats them as no obligation *recorded*, and the status says why.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", content = "tonnes", rename_all = "snake_case")]
pub enum Emissions {
    /// Verified tonnes, never negative (see [`Emissions::verified`]).
    Verified(f64),
    /// No verified report by the deadline ("Not Reported").
    NotReported,
    /// The installation was excluded from the system for the year ("Excluded").
    Excluded,
    /// Nothing was published for the year (an empty cell): the unit was not in the system.
    Missing,
}

/// Why a figure cannot be verified emissions.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EmissionsError {
    #[error("negative emissions {0} t: verified emissions are zero or more")]
    Negative(f64),
    #[error("emissions {0} are not a finite number")]
    NotFinite(f64),
    #[error(
        "\"{0}\" is neither a number of tonnes nor a registry state (\"Not Reported\", \"Excluded\")"
    )]
    NotANumber(String),
}

impl Emissions {
    /// Verified tonnes, refusing negative and non-finite figures.
    pub fn verified(tonnes: f64) -> Result<Self, EmissionsError> {
        if !tonnes.is_finite() {
            Err(EmissionsError::NotFinite(tonnes))
        } else if tonnes < 0.0 {
            Err(EmissionsError::Negative(tonnes))
        } else {
            Ok(Emissions::Verified(tonnes))
        }
    }

    /// A registry's cell: a number of tonnes, "Not Reported", "Excluded", or empty.
    pub fn parse(cell: &str) -> Result<Self, EmissionsError> {
        let t = cell.trim();
        match t {
            "" => Ok(Emissions::Missing),
            "Not Reported" => Ok(Emissions::NotReported),
            "Excluded" => Ok(Emissions::Excluded),
            _ => match t.parse::<f64>() {
                Ok(v) => Emissions::verified(v),
                Err(_) => Err(EmissionsError::NotANumber(t.to_string())),
            },
        }
    }

    /// The tonnes, where verified.
    pub fn tonnes(self) -> Option<f64> {
        match self {
            Emissions::Verified(t) => Some(t),
            _ => None,
        }
    }

    /// The obligation this state puts on the compliance balance: the verified tonnes, or none
    /// recorded.
    pub fn obligation(self) -> f64 {
        self.tonnes().unwrap_or(0.0)
    }
}

impl fmt::Display for Emissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Emissions::Verified(t) => write!(f, "{t}"),
            Emissions::NotReported => f.write_str("Not Reported"),
            Emissions::Excluded => f.write_str("Excluded"),
            Emissions::Missing => f.write_str(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_not_numbers() {
        assert_eq!(Emissions::parse("Not Reported"), Ok(Emissions::NotReported));
        assert_eq!(Emissions::parse(" Excluded "), Ok(Emissions::Excluded));
        assert_eq!(Emissions::parse(""), Ok(Emissions::Missing));
        assert_eq!(
            Emissions::parse("12345.5"),
            Ok(Emissions::Verified(12345.5))
        );
        assert_eq!(Emissions::parse("0"), Ok(Emissions::Verified(0.0)));
        assert_eq!(Emissions::NotReported.obligation(), 0.0);
        assert_eq!(Emissions::NotReported.tonnes(), None);
    }

    #[test]
    fn negative_and_text_are_refused_by_name() {
        assert_eq!(Emissions::parse("-1"), Err(EmissionsError::Negative(-1.0)));
        assert_eq!(
            Emissions::parse("-0.001"),
            Err(EmissionsError::Negative(-0.001))
        );
        let e = Emissions::parse("n/a").unwrap_err();
        assert_eq!(e, EmissionsError::NotANumber("n/a".into()));
        assert!(e.to_string().contains("\"n/a\""));
        assert!(matches!(
            Emissions::parse("NaN"),
            Err(EmissionsError::NotFinite(_))
        ));
        assert!(matches!(
            Emissions::parse("inf"),
            Err(EmissionsError::NotFinite(_))
        ));
    }
}
