//! The stations of the registry.

use crate::error::{ApiError, ErrorBody};
use crate::query::{
    Q, Shared, TableFormat, TableQuery, csv_bytes, json_bytes, num, opt, table_format,
};
use crate::state::Cached;
use axum::extract::State;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

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
    /// Degrees east, from the registry or the station lists (`lantian --station-list`), as
    /// published: the lists state no datum and nothing is converted (docs/serve.md).
    longitude: Option<f64>,
    /// Degrees north; absent where no source places the station.
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
    match table_format(q.format.as_deref())? {
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
