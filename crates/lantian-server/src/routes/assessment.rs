//! The HJ 663 assessment of a region and period, and its districts or stations ranked.

use crate::error::{ApiError, ErrorBody};
use crate::query::{
    Q, Shared, TableFormat, check_period, computed, csv_bytes, json_num, opt, parse_param,
    sorted_json_bytes, table_format,
};
use crate::state::{AppState, Cached};
use axum::extract::State;
use lantian_app::assess::{AssessDocument, AssessRequest, RankingDocument, assess};
use lantian_app::options::{
    AssessOptions, Baseline, By, DayRule, DustChoice, LimitsChoice, Method, StandardChoice,
    StationSet, Target,
};
use lantian_app::select::station_codes;
use serde::Deserialize;
use utoipa::IntoParams;

/// Options of an assessment that the API accepts (no file paths).
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AssessQuery {
    /// `beijing` (default) or a district (海淀, Haidian).
    region: Option<String>,
    /// `2023`, `2023-H1`, `2023-Q2`, `2023-05`, `2024-YTD-06-04` or `2023-01-01..2023-06-30`
    /// (at most 366 days).
    period: String,
    /// Baseline period (default: a year earlier; `none` for no comparison).
    compare: Option<String>,
    /// `assessment` (default), `national` or `all` stations.
    stations: Option<String>,
    /// `station-days` (default) or `hourly-mean`.
    method: Option<String>,
    /// AQI edition for the day counts (default: the one in force on each date).
    standard: Option<String>,
    /// `gb3095-2012` (default), `gb3095-2026-transitional`, `gb3095-2026-final`.
    limits: Option<String>,
    /// `detect` (default) or `none`.
    dust: Option<String>,
    /// How days are counted: `standard` (default, the AQI edition's text) or `beijing` (the
    /// day of the city's hourly mean, a day lacking a pollutant counted only above 100).
    day_rule: Option<String>,
    /// Targets, comma-separated: `PM2.5=30,good-days=280`.
    target: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    region: Option<String>,
    /// As for /assessment.
    period: String,
    compare: Option<String>,
    /// `district` (default) or `station`.
    by: Option<String>,
    stations: Option<String>,
    method: Option<String>,
    standard: Option<String>,
    limits: Option<String>,
    dust: Option<String>,
    /// As for /assessment.
    day_rule: Option<String>,
    /// `json` (default) or `csv`.
    #[param(inline, value_type = Option<TableFormat>)]
    format: Option<String>,
}

/// The parts of a query that every assessment-like resource shares, read into the
/// application's request (the region checked, periods bounded).
pub(crate) struct Common<'a> {
    pub region: &'a Option<String>,
    pub period: &'a str,
    pub compare: Option<&'a str>,
    pub stations: Option<&'a str>,
    pub method: Option<&'a str>,
    pub standard: Option<&'a str>,
    pub limits: Option<&'a str>,
    pub dust: Option<&'a str>,
    pub day_rule: Option<&'a str>,
    pub target: Option<&'a str>,
}

impl Common<'_> {
    pub(crate) fn request(&self, s: &AppState) -> Result<AssessRequest, ApiError> {
        let region = self.region.clone().unwrap_or_else(|| "beijing".into());
        station_codes(&s.reg, &region, StationSet::Assessment)?;
        let period = check_period("period", self.period)?;
        let baseline = match self.compare {
            None => Baseline::PreviousYear,
            Some("none") => Baseline::None,
            Some(c) => Baseline::Period(check_period("compare", c)?),
        };
        let options = AssessOptions {
            stations: parse_param::<StationSet>("stations", self.stations)?.unwrap_or_default(),
            method: parse_param::<Method>("method", self.method)?.unwrap_or_default(),
            standard: parse_param::<StandardChoice>("standard", self.standard)?.unwrap_or_default(),
            limits: parse_param::<LimitsChoice>("limits", self.limits)?.unwrap_or_default(),
            dust_days: None,
            dust: parse_param::<DustChoice>("dust", self.dust)?.unwrap_or_default(),
            days: parse_param::<DayRule>("day_rule", self.day_rule)?.unwrap_or_default(),
            sources: vec![],
        };
        let targets = self
            .target
            .map(|t| {
                t.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::parse::<Target>)
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        Ok(AssessRequest {
            region,
            period,
            baseline,
            by: None,
            options,
            targets,
        })
    }
}

/// The HJ 663 assessment of a region and period with its year-on-year comparison: the
/// document of `lantian assess --format json`.
#[utoipa::path(get, path = "/assessment", tag = "assessment", params(AssessQuery),
    responses((status = 200, description = "As `lantian assess --format json`", body = lantian_app::assess::AreaDocument),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown region, or no data", body = ErrorBody)))]
pub async fn assessment(State(s): State<Shared>, Q(q): Q<AssessQuery>) -> Result<Cached, ApiError> {
    let req = Common {
        region: &q.region,
        period: &q.period,
        compare: q.compare.as_deref(),
        stations: q.stations.as_deref(),
        method: q.method.as_deref(),
        standard: q.standard.as_deref(),
        limits: q.limits.as_deref(),
        dust: q.dust.as_deref(),
        day_rule: q.day_rule.as_deref(),
        target: q.target.as_deref(),
    }
    .request(&s)?;
    let reg = s.reg.clone();
    computed(&s, format!("assessment?{req:?}"), move |reader| {
        sorted_json_bytes(&assess(reader, &reg, &req)?)
    })
    .await
}

/// Districts (or stations) of a region ranked by PM2.5, composite index and improvement: the
/// document of `lantian assess --by district --format json`, or a CSV table.
#[utoipa::path(get, path = "/ranking", tag = "assessment", params(RankingQuery),
    responses((status = 200, description = "As `lantian assess --by … --format json`", content((RankingDocument = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown region, or no data", body = ErrorBody)))]
pub async fn ranking(State(s): State<Shared>, Q(q): Q<RankingQuery>) -> Result<Cached, ApiError> {
    let mut req = Common {
        region: &q.region,
        period: &q.period,
        compare: q.compare.as_deref(),
        stations: q.stations.as_deref(),
        method: q.method.as_deref(),
        standard: q.standard.as_deref(),
        limits: q.limits.as_deref(),
        dust: q.dust.as_deref(),
        day_rule: q.day_rule.as_deref(),
        target: None,
    }
    .request(&s)?;
    req.by = Some(parse_param::<By>("by", q.by.as_deref())?.unwrap_or_default());
    let reg = s.reg.clone();
    let format = table_format(q.format.as_deref())?;
    computed(&s, format!("ranking-{format:?}?{req:?}"), move |reader| {
        let AssessDocument::Ranking(doc) = assess(reader, &reg, &req)? else {
            unreachable!("a request with `by` answers a ranking");
        };
        match format {
            TableFormat::Json => sorted_json_bytes(&doc),
            TableFormat::Csv => ranking_csv(&doc),
        }
    })
    .await
}

fn ranking_csv(doc: &RankingDocument) -> Result<Cached, ApiError> {
    let pm = |a: &lantian_assess::area::AreaAssessment| {
        a.stats.headline("PM2.5").and_then(|s| s.published)
    };
    let rows = doc
        .rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                opt(r.rank_pm25),
                json_num(pm(&r.current)),
                json_num(r.baseline.as_ref().and_then(pm)),
                json_num(r.pm25_change_percent),
                opt(r.rank_improvement),
                json_num(r.current.composite.as_ref().map(|c| c.published)),
                opt(r.rank_composite),
            ]
        })
        .collect();
    csv_bytes(
        &[
            "name",
            "rank_pm25",
            "pm25",
            "baseline_pm25",
            "pm25_change_percent",
            "rank_improvement",
            "composite",
            "rank_composite",
        ],
        rows,
    )
}
