//! The districts' boundaries for maps.

use crate::error::{ApiError, ErrorBody};
use crate::query::Shared;
use crate::state::Cached;
use axum::extract::State;

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
            "no district boundaries on this server (it was started without a GeoJSON file of them)",
        )),
    }
}
