//! The region's daily AQI, one entry per day of the period (the bulletin's calendar).

use super::assessment::Common;
use crate::error::{ApiError, ErrorBody};
use crate::query::{Q, Shared, TableFormat, computed, csv_bytes, json_bytes, opt, table_format};
use crate::state::{AppState, Cached};
use axum::extract::State;
use chrono::{Duration, NaiveDate};
use lantian_app::assess::CalendarDay;
use lantian_app::latest::BEIJING;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    region: Option<String>,
    /// The days to show (default: the year of the latest data); at most 366 days.
    period: Option<String>,
    /// AQI edition (default: the one in force on each date).
    standard: Option<String>,
    /// `standard` (default) or `beijing`: the days as that rule counts them (a day it leaves
    /// out has no AQI), as for /assessment.
    day_rule: Option<String>,
    /// `json` (default) or `csv`.
    #[param(inline, value_type = Option<TableFormat>)]
    format: Option<String>,
}

/// The region's daily AQI, one entry per day of the period (the bulletin's calendar).
#[utoipa::path(get, path = "/calendar", tag = "assessment", params(CalendarQuery),
    responses((status = 200, description = "One entry per day", content((Vec<CalendarDay> = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown region, or no data", body = ErrorBody)))]
pub async fn calendar(State(s): State<Shared>, Q(q): Q<CalendarQuery>) -> Result<Cached, ApiError> {
    let period = match &q.period {
        Some(p) => p.clone(),
        None => latest_date(&s)
            .map(|d| chrono::Datelike::year(&d).to_string())
            .ok_or_else(|| ApiError::not_found(None, "the store holds no hourly data yet"))?,
    };
    let req = Common {
        region: &q.region,
        period: &period,
        compare: Some("none"),
        stations: None,
        method: None,
        standard: q.standard.as_deref(),
        limits: None,
        dust: None,
        day_rule: q.day_rule.as_deref(),
        target: None,
    }
    .request(&s)?;
    let reg = s.reg.clone();
    let format = table_format(q.format.as_deref())?;
    computed(&s, format!("calendar-{format:?}?{req:?}"), move |reader| {
        let days = lantian_app::assess::calendar(reader, &reg, &req)?;
        match format {
            TableFormat::Json => json_bytes(&days),
            TableFormat::Csv => csv_bytes(
                &["date", "aqi", "level", "category_en", "primary", "standard"],
                days.into_iter()
                    .map(|d| {
                        vec![
                            d.date.to_string(),
                            opt(d.aqi),
                            opt(d.level),
                            d.category_en.unwrap_or_default(),
                            d.primary,
                            d.standard,
                        ]
                    })
                    .collect(),
            ),
        }
    })
    .await
}

/// The Beijing date of the latest hour with data.
fn latest_date(s: &AppState) -> Option<NaiveDate> {
    let snap = s.snapshot();
    let t = snap.latest.time.as_deref()?;
    let t = chrono::DateTime::parse_from_rfc3339(t)
        .ok()?
        .with_timezone(&BEIJING);
    // Hour-ending: 24:00 (00:00 of the next day) belongs to the day before.
    Some((t.naive_local() - Duration::hours(1)).date())
}
