//! Surface water: the sections, a period's assessment (classes, grades, change from a year
//! earlier) and the districts' compensation, from the sections and readings the server was
//! started with (docs/serve.md). The readings are folded once, on the first request.

use crate::error::{ApiError, ErrorBody};
use crate::query::{Q, Shared, blocking, parse_param, sorted_json_bytes};
use crate::state::Cached;
use axum::extract::State;
use lantian_app::water::{self, WaterData};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::IntoParams;

async fn data(s: &Shared) -> Result<Arc<WaterData>, ApiError> {
    let Some(src) = s.water.clone() else {
        return Err(ApiError::not_found(
            None,
            "no water sections or readings on this server (it was started without them)",
        ));
    };
    let state = s.clone();
    s.water_data
        .get_or_try_init(|| async move {
            let _permit = state
                .compute
                .acquire()
                .await
                .map_err(|e| ApiError::internal(e.to_string()))?;
            tokio::task::spawn_blocking(move || water::load(&src).map(Arc::new))
                .await
                .map_err(|e| ApiError::internal(e.to_string()))?
                .map_err(ApiError::from)
        })
        .await
        .cloned()
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NoQuery {}

/// The sections: place, water body, boundary, target class, and how many readings each has.
#[utoipa::path(get, path = "/water/sections", tag = "water", operation_id = "water_sections", params(NoQuery),
    responses((status = 200, description = "Every section", body = [water::SectionInfo]),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No water data on this server", body = ErrorBody)))]
pub async fn sections(State(s): State<Shared>, Q(_q): Q<NoQuery>) -> Result<Cached, ApiError> {
    let d = data(&s).await?;
    blocking(&s, move || sorted_json_bytes(&water::sections(&d))).await
}

fn period(v: &str) -> Result<lantian_water::Period, ApiError> {
    lantian_water::Period::parse(v).ok_or_else(|| {
        ApiError::bad(
            "period",
            format!(
                "period: '{}' is not a year (2024), half (2024-H1), quarter (2024-Q3) or month (2024-07)",
                lantian_model::text::shorten(v, 40)
            ),
        )
    })
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AssessmentQuery {
    /// A year (2024), half (2024-H1), quarter (2024-Q3) or month (2024-07).
    period: String,
    /// Also class each month of the period (`true`/`false`).
    months: Option<String>,
}

/// Every section's class over the period from its period means (with completeness, limiting
/// items, exceedance multiples, main pollutants), the grades of every river, basin, district
/// and the network, and the change from the same period a year earlier.
#[utoipa::path(get, path = "/water/assessment", tag = "water", operation_id = "water_assessment", params(AssessmentQuery),
    responses((status = 200, description = "The period's assessment", body = water::WaterAssessment),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No water data on this server, or none in the period", body = ErrorBody)))]
pub async fn assessment(
    State(s): State<Shared>,
    Q(q): Q<AssessmentQuery>,
) -> Result<Cached, ApiError> {
    let p = period(&q.period)?;
    let months = parse_param::<bool>("months", q.months.as_deref())?.unwrap_or(false);
    let d = data(&s).await?;
    blocking(&s, move || {
        sorted_json_bytes(&water::assess(&d, p, months)?)
    })
    .await
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompensationQuery {
    /// A year, half, quarter or month: every month of it is charged.
    period: String,
}

/// What each district pays or receives for the water leaving it at boundary sections, under
/// Beijing's 2014 rule table: per section, month and item, and the balances.
#[utoipa::path(get, path = "/water/compensation", tag = "water", operation_id = "water_compensation", params(CompensationQuery),
    responses((status = 200, description = "Charges, balances and what could not be judged", body = water::CompensationReport),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No water data on this server", body = ErrorBody)))]
pub async fn compensation(
    State(s): State<Shared>,
    Q(q): Q<CompensationQuery>,
) -> Result<Cached, ApiError> {
    let p = period(&q.period)?;
    let d = data(&s).await?;
    blocking(&s, move || {
        let rules = lantian_water::compensation::RuleTable::beijing_2014();
        sorted_json_bytes(&water::compensation(&d, p, &rules)?)
    })
    .await
}
