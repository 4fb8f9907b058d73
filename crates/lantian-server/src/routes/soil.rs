//! Soil: the samples screened by GB 15618—2018 and GB 36600—2018, the network's coverage of the
//! city's classes and the interpolated surface of one item, from the files the server was
//! started with (docs/serve.md; read once, on the first request); and the risk-control and
//! restoration list of construction land, read from the store's history at each request.
//!
//! The list is only read here: events are recorded with the command line (`lantian soil list
//! record`), which checks a batch against the whole history under the store's writer lock. An
//! API write would need the token and the same check, and nothing asks for it yet.

use crate::error::{ApiError, ErrorBody};
use crate::query::{Q, Shared, blocking, parse_date, parse_param, sorted_json_bytes};
use crate::state::Cached;
use axum::extract::State;
use lantian_app::soil::{
    self, GridSize, GroupBy, SoilData, SoilSources, SurfaceMethod, SurfaceRequest,
};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::IntoParams;

/// Nodes along each side of a surface's grid at most: a grid of 200 × 200 is 40,000 kriging
/// systems and about 2 MB of JSON, plenty for a map, and a crowd asking for the command line's
/// largest grids (4 million nodes) would hold the compute permits for minutes.
pub const MAX_GRID_SIDE: usize = 200;

const NO_SOIL: &str = "no soil samples on this server (it was started without them)";

fn sources(s: &Shared) -> Result<SoilSources, ApiError> {
    s.soil
        .clone()
        .ok_or_else(|| ApiError::not_found(None, NO_SOIL))
}

async fn data(s: &Shared) -> Result<Arc<SoilData>, ApiError> {
    let src = sources(s)?;
    let state = s.clone();
    s.soil_data
        .get_or_try_init(|| async move {
            let _permit = state
                .compute
                .acquire()
                .await
                .map_err(|e| ApiError::internal(e.to_string()))?;
            tokio::task::spawn_blocking(move || soil::load(&src).map(Arc::new))
                .await
                .map_err(|e| ApiError::internal(e.to_string()))?
                .map_err(ApiError::from)
        })
        .await
        .cloned()
}

/// An optional parameter read with the application's own `FromStr`, whose error names it.
fn word<T>(v: Option<&str>) -> Result<Option<T>, ApiError>
where
    T: std::str::FromStr<Err = lantian_app::AppError>,
{
    v.map(str::parse::<T>).transpose().map_err(ApiError::from)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScreeningQuery {
    /// Screen every sample as this land class in place of its set's own: `paddy`,
    /// `paddy_upland_rotation`, `orchard`, `other_farmland`, `construction_first` or
    /// `construction_second`.
    land_class: Option<String>,
    /// Count samples and exceedances per group of this field: `land_use`, `zone`,
    /// `land_class`, `district`, `soil_type`, `topography` or `plot`.
    group_by: Option<String>,
}

/// Every sample's verdict (agricultural land by GB 15618 and its pH band, construction land by
/// GB 36600) with its limits, Pi, Nemerow index and exceedances; the samples, and the plots'
/// areas, per category or risk with their completeness; the exceedances per item, and per
/// group when asked.
#[utoipa::path(get, path = "/soil/screening", tag = "soil", operation_id = "soil_screening", params(ScreeningQuery),
    responses((status = 200, description = "The samples screened, the shares and exceedances", body = soil::SoilScreening),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No soil samples on this server", body = ErrorBody)))]
pub async fn screening(
    State(s): State<Shared>,
    Q(q): Q<ScreeningQuery>,
) -> Result<Cached, ApiError> {
    let land_class = q.land_class.as_deref().map(soil::land_class).transpose()?;
    let group_by = word::<GroupBy>(q.group_by.as_deref())?;
    match land_class {
        // The class replaces the samples' own as they are read, as it does for the command
        // line: the files are read again (the loaded samples stay as their sets class them).
        Some(c) => {
            let mut src = sources(&s)?;
            src.land_class = Some(c);
            blocking(&s, move || {
                let d = soil::load(&src)?;
                sorted_json_bytes(&soil::screen(&d, group_by)?)
            })
            .await
        }
        None => {
            let d = data(&s).await?;
            blocking(&s, move || sorted_json_bytes(&soil::screen(&d, group_by)?)).await
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// The matrix's rows: a dimension of the city's classes (`land_use` by default).
    rows: Option<String>,
    /// The matrix's columns (`soil_type` by default).
    cols: Option<String>,
}

/// Which of the city's land uses, soil types, topographies and districts have a point, and the
/// cross matrix of two of them with its empty cells (those that exist in the city without a
/// point).
#[utoipa::path(get, path = "/soil/coverage", tag = "soil", operation_id = "soil_coverage", params(CoverageQuery),
    responses((status = 200, description = "The coverage of each dimension and the cross matrix", body = soil::SoilCoverage),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No soil samples on this server", body = ErrorBody)))]
pub async fn coverage(State(s): State<Shared>, Q(q): Q<CoverageQuery>) -> Result<Cached, ApiError> {
    let rows = q.rows.unwrap_or_else(|| "land_use".into());
    let cols = q.cols.unwrap_or_else(|| "soil_type".into());
    let d = data(&s).await?;
    blocking(&s, move || {
        sorted_json_bytes(&soil::coverage(&d, &rows, &cols)?)
    })
    .await
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SurfaceQuery {
    /// The item (`Cd`, `Pb`, `Zn` …; a CAS number for organics).
    item: String,
    /// `kriging` (ordinary kriging with the fitted variogram; default) or `idw`.
    method: Option<String>,
    /// The variogram model fitted: `spherical` (default), `exponential` or `gaussian`.
    model: Option<String>,
    /// Nodes along x and y over the samples' extent, `NXxNY` (`100x100` by default; at most
    /// 200 each way).
    grid: Option<String>,
    /// mg/kg. By default the item's screening value, when every sample used has the same one
    /// (one land class and, for GB 15618, one pH band).
    threshold: Option<String>,
}

fn grid(v: Option<&str>) -> Result<GridSize, ApiError> {
    let Some(g) = word::<GridSize>(v)? else {
        return Ok(GridSize::default());
    };
    if g.nx > MAX_GRID_SIDE || g.ny > MAX_GRID_SIDE {
        return Err(ApiError::bad(
            "grid",
            format!(
                "grid '{}x{}': at most {MAX_GRID_SIDE}x{MAX_GRID_SIDE} nodes",
                g.nx, g.ny
            ),
        ));
    }
    Ok(g)
}

/// One item interpolated over the samples that have it as a number with coordinates: the
/// variogram, the leave-one-out errors, the grid of estimates (in the samples' coordinates,
/// row by row) and the share of the samples' convex hull above the threshold, with each
/// sample's verdict for the map.
#[utoipa::path(get, path = "/soil/surface", tag = "soil", operation_id = "soil_surface", params(SurfaceQuery),
    responses((status = 200, description = "Variogram, cross-validation, grid and the share above the threshold", body = soil::SoilSurface),
        (status = 400, description = "Bad parameter (an item no sample has, a grid too large, no threshold the samples share)", body = ErrorBody),
        (status = 404, description = "No soil samples on this server", body = ErrorBody)))]
pub async fn surface(State(s): State<Shared>, Q(q): Q<SurfaceQuery>) -> Result<Cached, ApiError> {
    let mut req = SurfaceRequest::new(&q.item);
    if let Some(m) = word::<SurfaceMethod>(q.method.as_deref())? {
        req.method = m;
    }
    if let Some(m) = q.model.as_deref() {
        req.model = soil::variogram_model(m)?;
    }
    req.grid = grid(q.grid.as_deref())?;
    req.threshold = parse_param::<f64>("threshold", q.threshold.as_deref())?;
    let d = data(&s).await?;
    blocking(&s, move || sorted_json_bytes(&soil::surface(&d, &req)?)).await
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The date (YYYY-MM-DD): the list at the end of it. Today (the server's date) by default.
    as_of: Option<String>,
}

/// The risk-control and restoration list of construction land at the end of a date: each plot
/// on it with its status, since when, and when it was listed; the plots per status.
#[utoipa::path(get, path = "/soil/list", tag = "soil", operation_id = "soil_list", params(ListQuery),
    responses((status = 200, description = "The list on the date", body = soil::ListAsOf),
        (status = 400, description = "Bad parameter", body = ErrorBody)))]
pub async fn list(State(s): State<Shared>, Q(q): Q<ListQuery>) -> Result<Cached, ApiError> {
    let date = match q.as_of.as_deref() {
        Some(v) => parse_date("as_of", v)?,
        None => chrono::Local::now().date_naive(),
    };
    sorted_json_bytes(&soil::list_as_of(&s.store, date).await?)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// Changes after this date (YYYY-MM-DD)…
    from: String,
    /// …up to this one, inclusive.
    to: String,
}

/// What changed on the list after one date up to another: plots listed, moved to another
/// status, removed, each with who, why and the evidence.
#[utoipa::path(get, path = "/soil/list/changes", tag = "soil", operation_id = "soil_list_changes", params(ChangesQuery),
    responses((status = 200, description = "Plots entered, moved on and removed", body = Object),
        (status = 400, description = "Bad parameter", body = ErrorBody)))]
pub async fn changes(State(s): State<Shared>, Q(q): Q<ChangesQuery>) -> Result<Cached, ApiError> {
    let from = parse_date("from", &q.from)?;
    let to = parse_date("to", &q.to)?;
    sorted_json_bytes(&soil::list_changes(&s.store, from, to).await?)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// One plot's events and its status now; every plot's events without it.
    plot: Option<String>,
}

/// The list's events in the order recorded, each with the status it left and when it was
/// recorded.
#[utoipa::path(get, path = "/soil/list/history", tag = "soil", operation_id = "soil_list_history", params(HistoryQuery),
    responses((status = 200, description = "The events", body = soil::ListHistory),
        (status = 400, description = "Bad parameter (a plot no event names)", body = ErrorBody)))]
pub async fn history(State(s): State<Shared>, Q(q): Q<HistoryQuery>) -> Result<Cached, ApiError> {
    sorted_json_bytes(&soil::list_history(&s.store, q.plot.as_deref()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_is_the_commands_default_and_at_most_200_each_way() {
        assert_eq!(grid(None).unwrap(), GridSize::default());
        assert_eq!(grid(Some("200")).unwrap(), GridSize { nx: 200, ny: 200 });
        for bad in ["201x10", "10x201", "2000x2000", "1x10", "big"] {
            let e = grid(Some(bad)).unwrap_err();
            assert_eq!(e.body.parameter.as_deref(), Some("grid"), "{bad}");
            assert!(!e.body.error.contains("--"), "{}", e.body.error);
        }
    }
}
