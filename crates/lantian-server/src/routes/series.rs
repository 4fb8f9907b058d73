//! Hourly and daily series of a station or a region's hourly mean.

use crate::error::{ApiError, ErrorBody};
use crate::query::{
    MAX_HOURLY_DAYS, MAX_PERIOD_DAYS, Q, Shared, TableFormat, computed, csv_bytes, json_bytes, num,
    opt, parse_date, table_format,
};
use crate::state::{AppState, Cached};
use axum::extract::State;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use lantian_app::AppError;
use lantian_app::latest::stamp_text;
use lantian_app::options::StationSet;
use lantian_app::select::{area_series, known_station, read_hourly, station_codes};
use lantian_aqi::series::{self, HourlySeries};
use lantian_store::matrix::MatrixReader;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

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
    /// `json` (default) or `csv`.
    #[param(inline, value_type = Option<TableFormat>)]
    format: Option<String>,
}

/// One hour of a series (hour-ending Beijing time).
#[derive(Serialize, ToSchema)]
pub struct HourRow {
    /// End of the hour, Beijing time (RFC 3339 with +08:00).
    time: String,
    aqi: Option<i32>,
    level: Option<u8>,
    /// Primary pollutant(s), comma-separated.
    primary: String,
    /// 1-h concentrations by pollutant (µg/m³; CO mg/m³).
    concentrations: BTreeMap<String, f64>,
}

/// One day of a series.
#[derive(Serialize, ToSchema)]
pub struct DayRow {
    date: NaiveDate,
    aqi: Option<i32>,
    level: Option<u8>,
    primary: String,
    /// Daily values by pollutant: 24-h means, `O3_8h` the MDA8.
    concentrations: BTreeMap<String, f64>,
}

struct SeriesSel {
    name: String,
    codes: Vec<String>,
    from: NaiveDate,
    to: NaiveDate,
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
            let code = known_station(&s.reg, code)?;
            (code.clone(), vec![code])
        }
        (None, Some(r)) => (r.clone(), station_codes(&s.reg, r, StationSet::Assessment)?),
        (None, None) => return Err(ApiError::bad("station", "give station or region")),
    };
    Ok(SeriesSel {
        name,
        codes,
        from,
        to,
    })
}

/// The area's hourly series from the day before `from` (the moving means of the first hours
/// need it) to the end of `to`.
fn hourly_of(reader: &MatrixReader, sel: &SeriesSel) -> Result<HourlySeries, ApiError> {
    let start: NaiveDateTime = (sel.from - Duration::days(1))
        .and_hms_opt(1, 0, 0)
        .expect("valid time");
    let len = ((sel.to - sel.from).num_days() as usize + 2) * 24;
    let end = start + Duration::hours(len as i64 - 1);
    let values = read_hourly(reader, &sel.codes, start, end, len, false)?;
    area_series(&values, &sel.codes, start).ok_or_else(|| {
        AppError::NoData {
            subject: sel.name.clone(),
            span: format!("{}..{}", sel.from, sel.to),
        }
        .into()
    })
}

/// Hourly concentrations and real-time AQI of a station or a region (at most 31 days).
#[utoipa::path(get, path = "/series/hourly", tag = "series", params(SeriesQuery),
    responses((status = 200, description = "One row per hour", content((Vec<HourRow> = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown station or region, or no data", body = ErrorBody)))]
pub async fn hourly(State(s): State<Shared>, Q(q): Q<SeriesQuery>) -> Result<Cached, ApiError> {
    let sel = series_sel(&s, &q, MAX_HOURLY_DAYS)?;
    let snap = s.snapshot();
    let m = hourly_of(&snap.reader, &sel)?;
    let rated = series::realtime(&m, s.options).map_err(AppError::from)?;
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
    match table_format(q.format.as_deref())? {
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
    let format = table_format(q.format.as_deref())?;
    computed(&s, key, move |reader| {
        let m = hourly_of(reader, &sel)?;
        let days = series::daily(&m, opts).map_err(AppError::from)?;
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
