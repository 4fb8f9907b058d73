//! Monitoring sections (断面) and what the assessment needs to know about each.

use crate::class::WaterClass;
use crate::gb3838::WaterBody;
use serde::Serialize;

/// A monitoring section: where it is, what water it samples, whose boundary it marks and the
/// class its water is meant to meet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The section's code (unique in a network).
    pub code: String,
    /// Its name as the network publishes it (the automatic-station layout names sections, not
    /// codes).
    pub name_zh: String,
    pub name_en: String,
    pub body: WaterBody,
    pub province: String,
    pub basin: String,
    /// The river, lake or reservoir.
    pub water: String,
    /// The district the section lies in.
    pub district: String,
    /// For a boundary section: the district the water leaves …
    pub upstream: Option<String>,
    /// … and the one it enters (or a neighbouring province).
    pub downstream: Option<String>,
    /// Whether water reaching the section entered the upstream district from further up (then
    /// the section is compared with the inflow section `inflow_section`).
    pub inflow_section: Option<String>,
    /// The functional class the section must meet (水质目标), when it has one.
    pub target: Option<WaterClass>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl Section {
    /// Whether the section marks a district boundary (it has an upstream and a downstream
    /// district), which makes it count in the compensation between districts.
    pub fn is_boundary(&self) -> bool {
        self.upstream.is_some() && self.downstream.is_some()
    }

    /// Whether `key` names this section (its code or its published name).
    pub fn is(&self, key: &str) -> bool {
        self.code == key || self.name_zh == key
    }
}
