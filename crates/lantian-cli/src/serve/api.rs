//! The JSON API under `/api/v1`. Every handler is annotated for the OpenAPI document, which
//! `utoipa-axum` assembles from the same route table the server runs (so the document cannot
//! list a route the server lacks, or miss one it has).
//!
//! The assessment, ranking and report endpoints turn their query into the arguments of
//! `lantian assess` / `lantian report` and call the same functions, so the API's figures are
//! the command's, byte for byte (the tests compare them). Only named parameters are accepted:
//! nothing that names a file on the server (`--dust-days`, `--attribution`) can be passed.

use super::error::{ApiError, ErrorBody};
use super::state::{AppState, AqiNow, BEIJING, Cached, LatestAqi, stamp_text};
use crate::assess::AssessArgs;
use crate::report::{BulletinArgs, ReportFormat, render_report};
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use lantian_aqi::series::{self, HourlySeries};
use lantian_assess::period::Period;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub type Shared = Arc<AppState>;

/// Longest period of an hourly series (days).
pub const MAX_HOURLY_DAYS: i64 = 31;
/// Longest period of a daily series, an assessment, a calendar or a report (days): one year
/// (366 in a leap year).
pub const MAX_PERIOD_DAYS: usize = 366;
/// Years the API accepts at all; anything else is a typo, not a request.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Query parameters parsed strictly: an unknown parameter, a repeated one or a malformed value
/// is a 400 naming it (axum's own `Query` answers in plain text).
pub struct Q<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let mut seen = std::collections::HashSet::new();
        for (k, _) in form_urlencoded_pairs(q) {
            if !seen.insert(k.clone()) {
                return Err(ApiError::bad(&k, format!("parameter '{k}' is given twice")));
            }
        }
        serde_urlencoded::from_str(q).map(Q).map_err(|e| {
            let text = e.to_string();
            // serde names the field of "unknown field `x`" and "missing field `x`"; for a bad
            // value it names the value ("unknown variant `xml`"), whose key we look up.
            let quoted = text.split('`').nth(1).unwrap_or("");
            let param = if text.starts_with("unknown field") || text.starts_with("missing field") {
                quoted.to_string()
            } else {
                form_urlencoded_pairs(q)
                    .into_iter()
                    .find(|(_, v)| !v.is_empty() && v == quoted)
                    .map(|(k, _)| k)
                    .unwrap_or_else(|| "query".into())
            };
            ApiError::bad(&param, format!("query: {text}"))
        })
    }
}

fn form_urlencoded_pairs(q: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap_or_default()
}

/// JSON or CSV, for the endpoints that return tables.
#[derive(Deserialize, Serialize, ToSchema, Clone, Copy, PartialEq, Debug, Default)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    #[default]
    Json,
    Csv,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TableQuery {
    /// `json` (default) or `csv`.
    #[param(inline)]
    format: Option<TableFormat>,
}

fn json_bytes<T: Serialize>(v: &T) -> Result<Cached, ApiError> {
    Ok(Cached {
        body: Bytes::from(serde_json::to_vec(v).map_err(|e| ApiError::internal(e.to_string()))?),
        content_type: "application/json",
    })
}

fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Result<Cached, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| ApiError::internal(e.to_string());
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(&r).map_err(err)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(Cached {
        body: Bytes::from(body),
        content_type: "text/csv; charset=utf-8",
    })
}

fn num(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl IntoResponse for Cached {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, self.content_type)], self.body).into_response()
    }
}

// ---------------------------------------------------------------------------------------------
// Stations

/// A station of the registry.
#[derive(Serialize, ToSchema)]
pub struct StationInfo {
    code: String,
    name_zh: String,
    name_en: String,
    district_zh: String,
    district_en: String,
    /// `bjmemc-2013`, `bjmemc-2021`, `cnemc` …
    network: String,
    /// `urban`, `suburban`, `control`, `regional`, `traffic`.
    role: String,
    /// Whether the station enters city and district values (urban and suburban sites).
    assessment: bool,
    national_code: Option<String>,
    longitude: Option<f64>,
    latitude: Option<f64>,
    active_from: Option<NaiveDate>,
    active_to: Option<NaiveDate>,
}

/// The stations of the registry.
#[utoipa::path(get, path = "/stations", tag = "stations", params(TableQuery),
    responses((status = 200, description = "Stations", content((Vec<StationInfo> = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody)))]
pub async fn stations(State(s): State<Shared>, Q(q): Q<TableQuery>) -> Result<Cached, ApiError> {
    let list: Vec<StationInfo> = s
        .reg
        .stations()
        .iter()
        .map(|st| StationInfo {
            code: st.code.clone(),
            name_zh: st.name_zh.clone(),
            name_en: st.name_en.clone(),
            district_zh: st.district_zh.clone(),
            district_en: st.district_en.clone(),
            network: st.network.clone(),
            role: st.role.code().to_string(),
            assessment: st.role.is_assessment(),
            national_code: st.national_code.clone(),
            longitude: st.longitude,
            latitude: st.latitude,
            active_from: st.active_from,
            active_to: st.active_to,
        })
        .collect();
    match q.format.unwrap_or_default() {
        TableFormat::Json => json_bytes(&list),
        TableFormat::Csv => csv_bytes(
            &[
                "code",
                "name_zh",
                "name_en",
                "district_zh",
                "district_en",
                "network",
                "role",
                "assessment",
                "national_code",
                "longitude",
                "latitude",
                "active_from",
                "active_to",
            ],
            list.into_iter()
                .map(|x| {
                    vec![
                        x.code,
                        x.name_zh,
                        x.name_en,
                        x.district_zh,
                        x.district_en,
                        x.network,
                        x.role,
                        x.assessment.to_string(),
                        x.national_code.unwrap_or_default(),
                        num(x.longitude),
                        num(x.latitude),
                        opt(x.active_from),
                        opt(x.active_to),
                    ]
                })
                .collect(),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Latest AQI

/// The latest hour's real-time AQI of the city and of every station (computed once per store
/// version, served from memory).
#[utoipa::path(get, path = "/aqi/latest", tag = "aqi", params(TableQuery),
    responses((status = 200, description = "Latest AQI", content((LatestAqi = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody)))]
pub async fn latest(State(s): State<Shared>, Q(q): Q<TableQuery>) -> Result<Cached, ApiError> {
    let snap = s.snapshot();
    match q.format.unwrap_or_default() {
        TableFormat::Json => Ok(Cached {
            body: snap.latest_json.clone(),
            content_type: "application/json",
        }),
        TableFormat::Csv => {
            let l = &snap.latest;
            let rows = l
                .city
                .iter()
                .chain(l.stations.iter())
                .map(|n| latest_row(l.time.as_deref().unwrap_or(""), n))
                .collect();
            csv_bytes(&LATEST_CSV, rows)
        }
    }
}

const LATEST_CSV: [&str; 17] = [
    "time",
    "code",
    "name_zh",
    "name_en",
    "district_zh",
    "role",
    "stations",
    "aqi",
    "level",
    "category_en",
    "primary",
    "SO2",
    "NO2",
    "CO",
    "O3",
    "PM10",
    "PM2.5",
];

fn latest_row(time: &str, n: &AqiNow) -> Vec<String> {
    let mut r = vec![
        time.to_string(),
        n.code.clone(),
        n.name_zh.clone(),
        n.name_en.clone(),
        n.district_zh.clone().unwrap_or_default(),
        n.role.clone(),
        n.stations.to_string(),
        opt(n.aqi),
        opt(n.level),
        n.category_en.clone().unwrap_or_default(),
        n.primary.join(","),
    ];
    for p in series::POLLUTANTS {
        r.push(num(n.concentrations.get(p).copied()));
    }
    r
}

/// The latest hour's real-time AQI of one station (`beijing` for the city).
#[utoipa::path(get, path = "/aqi/latest/{station}", tag = "aqi",
    params(("station" = String, Path, description = "Station code (as in /stations) or `beijing`")),
    responses((status = 200, description = "Latest AQI of the station", body = AqiNow),
        (status = 404, description = "Unknown station", body = ErrorBody)))]
pub async fn latest_station(
    State(s): State<Shared>,
    Path(code): Path<String>,
) -> Result<Cached, ApiError> {
    let snap = s.snapshot();
    let l = &snap.latest;
    if code == "beijing" {
        return match &l.city {
            Some(c) => json_bytes(c),
            None => Err(ApiError::not_found(
                None,
                "the store holds no hourly data yet",
            )),
        };
    }
    let st = s.reg.get(&code).ok_or_else(|| {
        ApiError::not_found(
            Some("station"),
            format!("unknown station '{code}' (see /api/v1/stations)"),
        )
    })?;
    match l.stations.iter().find(|n| n.code == st.code) {
        Some(n) => json_bytes(n),
        None => Err(ApiError::not_found(
            Some("station"),
            format!("station '{code}' has no data in the latest day of the store"),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Series

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// A station code (see /stations); or give `region`.
    station: Option<String>,
    /// `beijing` or a district (海淀, Haidian): the mean of its assessment stations.
    region: Option<String>,
    /// First Beijing date, `YYYY-MM-DD`.
    from: String,
    /// Last Beijing date (included).
    to: String,
    #[param(inline)]
    format: Option<TableFormat>,
}

/// One hour of a series (hour-ending Beijing time).
#[derive(Serialize, ToSchema)]
pub struct HourRow {
    time: String,
    aqi: Option<i32>,
    level: Option<u8>,
    primary: String,
    /// 1-h concentrations by pollutant (µg/m³; CO mg/m³); absent when missing.
    concentrations: BTreeMap<String, f64>,
}

/// One day of a daily series.
#[derive(Serialize, ToSchema)]
pub struct DayRow {
    date: NaiveDate,
    aqi: Option<i32>,
    level: Option<u8>,
    primary: String,
    /// Daily statistics: 24-h means of SO2, NO2, CO, PM10, PM2.5 and O3's MDA8 (`O3_8h`).
    concentrations: BTreeMap<String, f64>,
}

/// A series' stations (one, or a region's assessment stations) and its dates.
struct SeriesSel {
    name: String,
    codes: Vec<String>,
    from: NaiveDate,
    to: NaiveDate,
}

fn parse_date(param: &str, s: &str) -> Result<NaiveDate, ApiError> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::bad(param, format!("{param}='{s}': dates are YYYY-MM-DD")))?;
    if !YEARS.contains(&chrono::Datelike::year(&d)) {
        return Err(ApiError::bad(
            param,
            format!(
                "{param}='{s}': years {}..={} only",
                YEARS.start(),
                YEARS.end()
            ),
        ));
    }
    Ok(d)
}

fn series_sel(s: &AppState, q: &SeriesQuery, max_days: i64) -> Result<SeriesSel, ApiError> {
    let from = parse_date("from", &q.from)?;
    let to = parse_date("to", &q.to)?;
    if from > to {
        return Err(ApiError::bad(
            "from",
            format!("from {from} is after to {to}"),
        ));
    }
    let days = (to - from).num_days() + 1;
    if days > max_days {
        return Err(ApiError::bad(
            "to",
            format!("{days} days asked; at most {max_days} per request"),
        ));
    }
    let (name, codes) = match (&q.station, &q.region) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad("region", "give station or region, not both"));
        }
        (Some(code), None) => {
            let st = s.reg.get(code).ok_or_else(|| {
                ApiError::not_found(
                    Some("station"),
                    format!("unknown station '{code}' (see /api/v1/stations)"),
                )
            })?;
            (st.code.clone(), vec![st.code.clone()])
        }
        (None, Some(r)) => (r.clone(), region_codes(s, r)?),
        (None, None) => return Err(ApiError::bad("station", "give station or region")),
    };
    Ok(SeriesSel {
        name,
        codes,
        from,
        to,
    })
}

/// The assessment stations of a region.
fn region_codes(s: &AppState, region: &str) -> Result<Vec<String>, ApiError> {
    let codes: Vec<String> = crate::aqi::region_stations(&s.reg, region)
        .into_iter()
        .filter(|c| s.reg.get(c).is_some_and(|x| x.role.is_assessment()))
        .collect();
    if codes.is_empty() {
        return Err(ApiError::not_found(
            Some("region"),
            format!("unknown region '{region}' (beijing, or a district such as 海淀 or Haidian)"),
        ));
    }
    Ok(codes)
}

/// The hourly mean series of `codes` from `start` (an hour-ending stamp), `len` hours.
fn mean_series(
    reader: &lantian_store::matrix::MatrixReader,
    codes: &[String],
    start: NaiveDateTime,
    len: usize,
) -> Result<Option<HourlySeries>, ApiError> {
    let end = start + Duration::hours(len as i64 - 1);
    let values = crate::aqi::read_hourly_from(reader, codes, start, end, len, false)
        .map_err(ApiError::from_compute)?;
    if values.is_empty() {
        return Ok(None);
    }
    let mut s = HourlySeries::new(start, len);
    for p in 0..6 {
        for i in 0..len {
            let (sum, n) = values
                .values()
                .filter_map(|m| m[p][i])
                .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
            s.values[p][i] = (n > 0).then(|| sum / n as f64);
        }
    }
    Ok(Some(s))
}

fn no_data(sel: &SeriesSel) -> ApiError {
    ApiError::not_found(
        None,
        format!(
            "no 1-h data in the store for {} between {} and {}",
            sel.name, sel.from, sel.to
        ),
    )
}

/// Hourly concentrations and real-time AQI of a station or a region (at most 31 days).
#[utoipa::path(get, path = "/series/hourly", tag = "series", params(SeriesQuery),
    responses((status = 200, description = "One row per hour", content((Vec<HourRow> = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown station or region, or no data", body = ErrorBody)))]
pub async fn hourly(State(s): State<Shared>, Q(q): Q<SeriesQuery>) -> Result<Cached, ApiError> {
    let sel = series_sel(&s, &q, MAX_HOURLY_DAYS)?;
    let snap = s.snapshot();
    // The day before feeds the moving means of the first hours.
    let start = (sel.from - Duration::days(1))
        .and_hms_opt(1, 0, 0)
        .expect("valid time");
    let len = ((sel.to - sel.from).num_days() as usize + 2) * 24;
    let Some(m) = mean_series(&snap.reader, &sel.codes, start, len)? else {
        return Err(no_data(&sel));
    };
    let rated = series::realtime(&m, s.options).map_err(|e| ApiError::internal(e.to_string()))?;
    let rows: Vec<HourRow> = rated
        .into_iter()
        .enumerate()
        .skip(24)
        .map(|(i, (stamp, r))| HourRow {
            time: stamp_text(stamp),
            aqi: r.aqi,
            level: r.aqi.and(r.category.map(|c| c.level)),
            primary: r.primary_names(),
            concentrations: series::POLLUTANTS
                .iter()
                .enumerate()
                .filter_map(|(p, name)| m.values[p][i].map(|v| (name.to_string(), v)))
                .collect(),
        })
        .collect();
    match q.format.unwrap_or_default() {
        TableFormat::Json => json_bytes(&rows),
        TableFormat::Csv => {
            let mut header = vec!["time", "aqi", "level", "primary"];
            header.extend(series::POLLUTANTS);
            csv_bytes(
                &header,
                rows.into_iter()
                    .map(|r| {
                        let mut v = vec![r.time, opt(r.aqi), opt(r.level), r.primary];
                        v.extend(
                            series::POLLUTANTS
                                .iter()
                                .map(|p| num(r.concentrations.get(*p).copied())),
                        );
                        v
                    })
                    .collect(),
            )
        }
    }
}

const DAILY_COLUMNS: [&str; 6] = ["SO2", "NO2", "CO", "O3_8h", "PM10", "PM2.5"];

/// Daily statistics and daily AQI of a station or a region's hourly mean (HJ 633 daily report;
/// at most 366 days).
#[utoipa::path(get, path = "/series/daily", tag = "series", params(SeriesQuery),
    responses((status = 200, description = "One row per day", content((Vec<DayRow> = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown station or region, or no data", body = ErrorBody)))]
pub async fn daily(State(s): State<Shared>, Q(q): Q<SeriesQuery>) -> Result<Cached, ApiError> {
    let sel = series_sel(&s, &q, MAX_PERIOD_DAYS as i64)?;
    let key = format!(
        "daily?{}|{}|{}|{:?}",
        sel.codes.join(","),
        sel.from,
        sel.to,
        q.format
    );
    let opts = s.options;
    let format = q.format.unwrap_or_default();
    computed(&s, key, move |reader| {
        let start = (sel.from - Duration::days(1))
            .and_hms_opt(1, 0, 0)
            .expect("valid time");
        let len = ((sel.to - sel.from).num_days() as usize + 2) * 24;
        let Some(m) = mean_series(reader, &sel.codes, start, len)? else {
            return Err(no_data(&sel));
        };
        let days = series::daily(&m, opts).map_err(|e| ApiError::internal(e.to_string()))?;
        let rows: Vec<DayRow> = days
            .into_iter()
            .filter(|(d, _, _)| *d >= sel.from && *d <= sel.to)
            .map(|(date, st, r)| {
                // POLLUTANTS order: SO2, NO2, CO, O3, PM10, PM2.5; O3's daily statistic is MDA8.
                let vals = [
                    st.mean[0], st.mean[1], st.mean[2], st.o3_mda8, st.mean[4], st.mean[5],
                ];
                DayRow {
                    date,
                    aqi: r.aqi,
                    level: r.aqi.and(r.category.map(|c| c.level)),
                    primary: r.primary_names(),
                    concentrations: DAILY_COLUMNS
                        .iter()
                        .zip(vals)
                        .filter_map(|(n, v)| v.map(|v| (n.to_string(), v)))
                        .collect(),
                }
            })
            .collect();
        match format {
            TableFormat::Json => json_bytes(&rows),
            TableFormat::Csv => {
                let mut header = vec!["date", "aqi", "level", "primary"];
                header.extend(DAILY_COLUMNS);
                let rows = rows
                    .into_iter()
                    .map(|r| {
                        let mut v = vec![r.date.to_string(), opt(r.aqi), opt(r.level), r.primary];
                        v.extend(
                            DAILY_COLUMNS
                                .iter()
                                .map(|p| num(r.concentrations.get(*p).copied())),
                        );
                        v
                    })
                    .collect();
                csv_bytes(&header, rows)
            }
        }
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Assessment and ranking

/// Options of `lantian assess` that the API accepts (no file paths).
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
    #[param(inline)]
    format: Option<TableFormat>,
}

/// A period parameter, checked as the command would, and bounded.
fn check_period(param: &str, text: &str) -> Result<Period, ApiError> {
    let p = Period::parse(text).map_err(|e| ApiError::bad(param, e.to_string()))?;
    for d in [p.first, p.last] {
        if !YEARS.contains(&chrono::Datelike::year(&d)) {
            return Err(ApiError::bad(
                param,
                format!(
                    "{param}='{text}': years {}..={} only",
                    YEARS.start(),
                    YEARS.end()
                ),
            ));
        }
    }
    if p.days() > MAX_PERIOD_DAYS {
        return Err(ApiError::bad(
            param,
            format!(
                "{param}='{text}' covers {} days; at most {MAX_PERIOD_DAYS}",
                p.days()
            ),
        ));
    }
    Ok(p)
}

/// `--name=value` for the given options, after checking periods and the region.
fn command_args(
    s: &AppState,
    region: &Option<String>,
    period: &str,
    compare: &Option<String>,
    rest: &[(&str, &Option<String>)],
) -> Result<Vec<String>, ApiError> {
    let region = region.clone().unwrap_or_else(|| "beijing".into());
    region_codes(s, &region)?;
    check_period("period", period)?;
    if let Some(c) = compare.as_deref().filter(|c| *c != "none") {
        check_period("compare", c)?;
    }
    let mut args = vec![format!("--region={region}"), format!("--period={period}")];
    if let Some(c) = compare {
        args.push(format!("--compare={c}"));
    }
    for (name, v) in rest {
        if let Some(v) = v {
            if *name == "target" {
                for t in v.split(',').filter(|t| !t.trim().is_empty()) {
                    args.push(format!("--target={}", t.trim()));
                }
            } else {
                args.push(format!("--{name}={v}"));
            }
        }
    }
    Ok(args)
}

/// A clap error as a 400 naming the parameter.
fn clap_error(e: clap::Error) -> ApiError {
    use clap::error::{ContextKind, ContextValue};
    let param = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s
            .trim_start_matches('-')
            .split([' ', '='])
            .next()
            .unwrap_or("query")
            .to_string(),
        _ => "query".into(),
    };
    let text = e.render().to_string();
    let first = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string();
    ApiError::bad(&param, first)
}

fn compute_error(e: anyhow::Error) -> ApiError {
    let text = format!("{e:#}");
    if text.contains("--target") {
        ApiError::bad("target", text)
    } else {
        ApiError::from_compute(e)
    }
}

/// Run `f` on the snapshot under the compute permit, off the async threads, once per key and
/// snapshot (concurrent identical requests wait for the one computation).
async fn computed<F>(s: &Shared, key: String, f: F) -> Result<Cached, ApiError>
where
    F: FnOnce(&lantian_store::matrix::MatrixReader) -> Result<Cached, ApiError> + Send + 'static,
{
    let snap = s.snapshot();
    let state = s.clone();
    let on = snap.clone();
    snap.cached(key, move || async move {
        let _permit = state
            .compute
            .acquire()
            .await
            .map_err(|e| ApiError::internal(e.to_string()))?;
        tokio::task::spawn_blocking(move || f(&on.reader))
            .await
            .map_err(|e| ApiError::internal(e.to_string()))?
    })
    .await
}

fn request_key(parts_path: &str, args: &[String]) -> String {
    format!("{parts_path}?{}", args.join("&"))
}

/// The HJ 663 assessment of a region and period with its year-on-year comparison: exactly the
/// document of `lantian assess --format json`.
#[utoipa::path(get, path = "/assessment", tag = "assessment", params(AssessQuery),
    responses((status = 200, description = "As `lantian assess --format json`", body = Object),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown region, or no data", body = ErrorBody)))]
pub async fn assessment(State(s): State<Shared>, Q(q): Q<AssessQuery>) -> Result<Cached, ApiError> {
    let args = command_args(
        &s,
        &q.region,
        &q.period,
        &q.compare,
        &[
            ("stations", &q.stations),
            ("method", &q.method),
            ("standard", &q.standard),
            ("limits", &q.limits),
            ("dust", &q.dust),
            ("target", &q.target),
        ],
    )?;
    let a = crate::try_parse_args::<AssessArgs>("assess", &args).map_err(clap_error)?;
    let reg = s.reg.clone();
    computed(&s, request_key("assessment", &args), move |reader| {
        let doc = crate::assess::document(reader, &reg, &a).map_err(compute_error)?;
        json_bytes(&doc)
    })
    .await
}

/// Districts (or stations) of a region ranked by PM2.5, composite index and improvement: the
/// document of `lantian assess --by district --format json`, or a CSV table.
#[utoipa::path(get, path = "/ranking", tag = "assessment", params(RankingQuery),
    responses((status = 200, description = "As `lantian assess --by … --format json`", content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown region, or no data", body = ErrorBody)))]
pub async fn ranking(State(s): State<Shared>, Q(q): Q<RankingQuery>) -> Result<Cached, ApiError> {
    let by = Some(q.by.clone().unwrap_or_else(|| "district".into()));
    let args = command_args(
        &s,
        &q.region,
        &q.period,
        &q.compare,
        &[
            ("by", &by),
            ("stations", &q.stations),
            ("method", &q.method),
            ("standard", &q.standard),
            ("limits", &q.limits),
            ("dust", &q.dust),
        ],
    )?;
    let a = crate::try_parse_args::<AssessArgs>("assess", &args).map_err(clap_error)?;
    let reg = s.reg.clone();
    let format = q.format.unwrap_or_default();
    let key = request_key(&format!("ranking-{format:?}"), &args);
    computed(&s, key, move |reader| {
        let doc = crate::assess::document(reader, &reg, &a).map_err(compute_error)?;
        match format {
            TableFormat::Json => json_bytes(&doc),
            TableFormat::Csv => ranking_csv(&doc),
        }
    })
    .await
}

fn ranking_csv(doc: &serde_json::Value) -> Result<Cached, ApiError> {
    let pm = |v: &serde_json::Value| -> String {
        v["stats"]["headline"]
            .as_array()
            .and_then(|h| h.iter().find(|x| x["pollutant"] == "PM2.5"))
            .map(|x| x["published"].to_string())
            .filter(|x| x != "null")
            .unwrap_or_default()
    };
    let s = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let rows = doc["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    vec![
                        s(&r["name"]),
                        s(&r["rank_pm25"]),
                        pm(&r["current"]),
                        pm(&r["baseline"]),
                        s(&r["pm25_change_percent"]),
                        s(&r["rank_improvement"]),
                        s(&r["current"]["composite"]["published"]),
                        s(&r["rank_composite"]),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
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

// ---------------------------------------------------------------------------------------------
// Calendar

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    region: Option<String>,
    /// The days to show (default: the year of the latest data); at most 366 days.
    period: Option<String>,
    /// AQI edition (default: the one in force on each date).
    standard: Option<String>,
    #[param(inline)]
    format: Option<TableFormat>,
}

/// One day of the AQI calendar.
#[derive(Serialize, ToSchema)]
pub struct CalendarEntry {
    date: NaiveDate,
    /// Daily AQI of the area (HJ 633 daily report on the area's daily values).
    aqi: Option<i32>,
    level: Option<u8>,
    category_zh: Option<String>,
    category_en: Option<String>,
    colour: Option<String>,
    primary: String,
    /// The edition that rated the day.
    standard: String,
}

/// The region's daily AQI, one entry per day of the period (the bulletin's calendar).
#[utoipa::path(get, path = "/calendar", tag = "assessment", params(CalendarQuery),
    responses((status = 200, description = "One entry per day", content((Vec<CalendarEntry> = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown region, or no data", body = ErrorBody)))]
pub async fn calendar(State(s): State<Shared>, Q(q): Q<CalendarQuery>) -> Result<Cached, ApiError> {
    let period = match &q.period {
        Some(p) => p.clone(),
        None => latest_date(&s)
            .map(|d| chrono::Datelike::year(&d).to_string())
            .ok_or_else(|| ApiError::not_found(None, "the store holds no hourly data yet"))?,
    };
    let compare = Some("none".to_string());
    let args = command_args(
        &s,
        &q.region,
        &period,
        &compare,
        &[("standard", &q.standard)],
    )?;
    let a = crate::try_parse_args::<AssessArgs>("assess", &args).map_err(clap_error)?;
    let reg = s.reg.clone();
    let format = q.format.unwrap_or_default();
    let key = request_key(&format!("calendar-{format:?}"), &args);
    computed(&s, key, move |reader| {
        let days = calendar_days(reader, &reg, &a, &period).map_err(compute_error)?;
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

fn calendar_days(
    reader: &lantian_store::matrix::MatrixReader,
    reg: &lantian_model::Registry,
    a: &AssessArgs,
    period: &str,
) -> anyhow::Result<Vec<CalendarEntry>> {
    let (f, _) = crate::assess::figures_of(reader, reg, a)?;
    let period = Period::parse(period)?;
    let standard = a.standard()?;
    let days = lantian_report::figures::calendar(&period, &f.city_days, standard)?;
    Ok(days
        .into_iter()
        .map(|d| {
            let cat = d.aqi.map(|i| {
                lantian_aqi::Standard::parse(&d.standard)
                    .map(|s| s.category(i))
                    .ok()
            });
            let cat = cat.flatten();
            CalendarEntry {
                date: d.date,
                aqi: d.aqi,
                level: d.level,
                category_zh: cat.map(|c| c.name_zh.to_string()),
                category_en: cat.map(|c| c.name_en.to_string()),
                colour: cat.map(|c| c.hex()),
                primary: d.primary,
                standard: d.standard,
            }
        })
        .collect())
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

// ---------------------------------------------------------------------------------------------
// Reports

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    region: Option<String>,
    /// As for /assessment.
    period: String,
    compare: Option<String>,
    /// `zh` (default) or `en`.
    lang: Option<String>,
    /// `html` (default), `md`, `pdf` or `json` (the figures).
    format: Option<String>,
    /// Targets, comma-separated: `PM2.5=30`.
    target: Option<String>,
}

/// The bulletin of a region and period (`lantian report`), in HTML, Markdown, PDF or JSON.
#[utoipa::path(get, path = "/report", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "The bulletin", content(
            (String = "text/html"), (String = "text/markdown"), (Vec<u8> = "application/pdf"),
            (Object = "application/json"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown region, or no data", body = ErrorBody)))]
pub async fn report(State(s): State<Shared>, Q(q): Q<ReportQuery>) -> Result<Cached, ApiError> {
    let format = match q.format.as_deref().unwrap_or("html") {
        "html" => ReportFormat::Html,
        "md" => ReportFormat::Md,
        "pdf" => ReportFormat::Pdf,
        "json" => ReportFormat::Json,
        other => {
            return Err(ApiError::bad(
                "format",
                format!("format '{other}': html, md, pdf or json"),
            ));
        }
    };
    let mut args = command_args(
        &s,
        &q.region,
        &q.period,
        &q.compare,
        &[("lang", &q.lang), ("target", &q.target)],
    )?;
    let key = request_key(&format!("report-{format:?}"), &args);
    if let Some(g) = &s.geojson_path {
        args.push(format!("--geojson={}", g.display()));
    }
    let b = crate::try_parse_args::<BulletinArgs>("report", &args).map_err(clap_error)?;
    let reg = s.reg.clone();
    computed(&s, key, move |reader| {
        let bulletin = crate::report::bulletin_from(reader, &reg, &b).map_err(compute_error)?;
        let body = render_report(&bulletin, &b, format, None).map_err(compute_error)?;
        Ok(Cached {
            body: Bytes::from(body),
            content_type: match format {
                ReportFormat::Html => "text/html; charset=utf-8",
                ReportFormat::Md => "text/markdown; charset=utf-8",
                ReportFormat::Pdf => "application/pdf",
                ReportFormat::Json => "application/json",
            },
        })
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Districts, health, ingest

/// The districts' boundaries (GeoJSON) the server was started with, for maps.
#[utoipa::path(get, path = "/geo/districts", tag = "stations",
    responses((status = 200, description = "GeoJSON FeatureCollection", body = Object),
        (status = 404, description = "No GeoJSON configured", body = ErrorBody)))]
pub async fn districts(State(s): State<Shared>) -> Result<Cached, ApiError> {
    match &s.geojson {
        Some(g) => Ok(Cached {
            body: g.clone(),
            content_type: "application/geo+json",
        }),
        None => Err(ApiError::not_found(
            None,
            "no district GeoJSON: start `lantian serve --geojson FILE` (or set LANTIAN_GEOJSON)",
        )),
    }
}

/// The state of the server's snapshot of the store.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Snapshots since start (one more after each ingest that changed something).
    generation: u64,
    /// Data files in the snapshot.
    files: usize,
    /// The latest hour with data (as in /aqi/latest).
    latest: Option<String>,
    /// Whether the write endpoints are enabled (a token is configured).
    writes: bool,
}

#[utoipa::path(get, path = "/health", tag = "server",
    responses((status = 200, description = "Server state", body = Health)))]
pub async fn health(State(s): State<Shared>) -> Result<Cached, ApiError> {
    let snap = s.snapshot();
    json_bytes(&Health {
        generation: snap.generation,
        files: snap.reader.files(),
        latest: snap.latest.time.clone(),
        writes: s.writes_enabled(),
    })
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IngestQuery {
    /// The file's name, which tells its format (`beijing_all_20240605.csv`): letters, digits,
    /// `_`, `-` and `.`, at most 128 characters.
    name: String,
}

/// What an ingest did with the posted file.
#[derive(Serialize, ToSchema)]
pub struct IngestResult {
    file: String,
    format: Option<String>,
    /// `read`, or `unchanged` when the same content was already ingested.
    status: String,
    rows: u64,
    values: u64,
    values_new: u64,
    values_revised: u64,
    values_unchanged: u64,
    values_withdrawn: u64,
    /// What the reader noticed (file:line [field]: kind: message), values skipped included.
    diagnostics: Vec<String>,
    /// The snapshot now served.
    generation: u64,
    latest: Option<String>,
}

/// Ingest one posted file (the body) into the store; the new data are served at once.
/// Needs `Authorization: Bearer <token>`.
#[utoipa::path(post, path = "/ingest", tag = "ingest", params(IngestQuery),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "The file's bytes"),
    security(("token" = [])),
    responses((status = 200, description = "Ingested", body = IngestResult),
        (status = 400, description = "Bad name", body = ErrorBody),
        (status = 401, description = "Missing or wrong token", body = ErrorBody),
        (status = 403, description = "Writes disabled (no token configured)", body = ErrorBody),
        (status = 413, description = "Body too large"),
        (status = 422, description = "No reader accepts the file", body = ErrorBody)))]
pub async fn ingest(
    State(s): State<Shared>,
    headers: HeaderMap,
    Q(q): Q<IngestQuery>,
    body: Bytes,
) -> Result<Cached, ApiError> {
    authorize(&s, &headers)?;
    let name = q.name.trim();
    let ok_name = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok_name {
        return Err(ApiError::bad(
            "name",
            format!(
                "name '{name}': letters, digits, '_', '-' and '.' only (no folders), at most 128"
            ),
        ));
    }
    if body.is_empty() {
        return Err(ApiError::bad("body", "the body is empty"));
    }
    // Refuse what no reader accepts before anything is written.
    let read = lantian_ingest::read_bytes(name, &body);
    if let lantian_ingest::diagnostic::FileStatus::Rejected(r) = &read.report.status {
        return Err(ApiError::unprocessable(format!("{name}: {r}")));
    }
    std::fs::create_dir_all(&s.uploads).map_err(|e| ApiError::internal(e.to_string()))?;
    // Written under a temporary name, then renamed: the watcher never sees half a file.
    let path = s.uploads.join(name);
    let tmp = s.uploads.join(format!(".{name}.part"));
    std::fs::write(&tmp, &body)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(|e| ApiError::internal(format!("writing the upload: {e}")))?;
    let summary = s.ingest(std::slice::from_ref(&path)).await?;
    let f = summary
        .files
        .first()
        .ok_or_else(|| ApiError::internal("the ingest saw no file"))?;
    let snap = s.snapshot();
    eprintln!(
        "lantian serve: ingested {name}: {} new, {} revised values",
        f.values_new, f.values_revised
    );
    json_bytes(&IngestResult {
        file: name.to_string(),
        format: f.report.format.map(|x| x.code().to_string()),
        status: if f.skipped_unchanged {
            "unchanged"
        } else {
            "read"
        }
        .into(),
        rows: f.report.rows,
        values: f.report.values,
        values_new: f.values_new,
        values_revised: f.values_revised,
        values_unchanged: f.values_unchanged,
        values_withdrawn: f.values_withdrawn,
        diagnostics: f.report.diagnostics.iter().map(|d| d.to_string()).collect(),
        generation: snap.generation,
        latest: snap.latest.time.clone(),
    })
}

fn authorize(s: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    if !s.writes_enabled() {
        return Err(ApiError::forbidden(
            "write endpoints are disabled: start `lantian serve` with --token-file or LANTIAN_TOKEN",
        ));
    }
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::unauthorized("missing 'Authorization: Bearer <token>'"))?;
    if !s.token_matches(given.trim().as_bytes()) {
        return Err(ApiError::unauthorized("wrong token"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Lantian API", description = "Official air-quality figures (HJ 633 AQI, HJ 663 assessment, GB 3095 limits) from the store, live."),
    modifiers(&TokenScheme),
    tags((name = "stations"), (name = "aqi"), (name = "series"), (name = "assessment"),
        (name = "reports"), (name = "ingest"), (name = "server"))
)]
struct ApiDoc;

struct TokenScheme;

impl utoipa::Modify for TokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API's routes and their OpenAPI document, from one table.
pub fn router() -> (axum::Router<Shared>, utoipa::openapi::OpenApi) {
    use utoipa::OpenApi;
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(stations))
        .routes(routes!(latest))
        .routes(routes!(latest_station))
        .routes(routes!(hourly))
        .routes(routes!(daily))
        .routes(routes!(assessment))
        .routes(routes!(ranking))
        .routes(routes!(calendar))
        .routes(routes!(report))
        .routes(routes!(districts))
        .routes(routes!(health))
        .routes(routes!(ingest))
        .split_for_parts();
    doc.servers = Some(vec![utoipa::openapi::server::Server::new("/api/v1")]);
    (router, doc)
}

/// `ETag` and `Cache-Control` for the API's GETs: a tag per store snapshot, so a client polling
/// an unchanged store gets `304 Not Modified` without a byte of body.
pub async fn etag(
    State(s): State<Shared>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if req.method() != axum::http::Method::GET {
        return next.run(req).await;
    }
    let tag = format!("\"{}-{}\"", s.boot, s.snapshot().generation);
    let hit = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    if hit {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        r.headers_mut()
            .insert(header::ETAG, HeaderValue::from_str(&tag).expect("ascii"));
        return r;
    }
    let mut r = next.run(req).await;
    if r.status().is_success() {
        let h = r.headers_mut();
        h.insert(header::ETAG, HeaderValue::from_str(&tag).expect("ascii"));
        // Data change with every ingest: cache, but ask each time (cheap with the ETag).
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    r
}
