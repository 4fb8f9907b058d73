//! The latest hour's real-time AQI of the city and of every station.

use crate::error::{ApiError, ErrorBody};
use crate::query::{
    Q, Shared, TableFormat, TableQuery, csv_bytes, json_bytes, num, opt, table_format,
};
use crate::state::Cached;
use axum::extract::{Path, State};
use lantian_app::latest::{AqiNow, LatestAqi};
use lantian_aqi::series;

/// The latest hour's real-time AQI of the city and of every station (computed once per store
/// version, served from memory).
#[utoipa::path(get, path = "/aqi/latest", tag = "aqi", params(TableQuery),
    responses((status = 200, description = "Latest AQI", content((LatestAqi = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody)))]
pub async fn latest(State(s): State<Shared>, Q(q): Q<TableQuery>) -> Result<Cached, ApiError> {
    let snap = s.snapshot();
    match table_format(q.format.as_deref())? {
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
    code: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Cached, ApiError> {
    // A code that is not UTF-8 once percent-decoded is the caller's error, said in JSON.
    let Path(code) = code.map_err(|e| ApiError::bad("station", e.body_text()))?;
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
