//! The API's resources under `/api/v1`, one module each. Every handler is annotated for the
//! OpenAPI document, which `utoipa-axum` assembles from the same route table the server runs
//! (so the document cannot list a route the server lacks, or miss one it has), and every
//! answer's schema comes from its result type.
//!
//! Only named parameters are accepted: nothing that names a file on the server (a list of
//! sand-dust days, an attribution) can be passed.

pub mod assessment;
pub mod calendar;
pub mod campaigns;
pub mod carbon;
pub mod districts;
pub mod health;
pub mod ingest;
pub mod latest;
pub mod report;
pub mod series;
pub mod soil;
pub mod stations;
pub mod water;

pub use crate::query::Shared;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Lantian API", description = "Official air-quality figures (HJ 633 AQI, HJ 663 assessment, GB 3095 limits) from the store, live."),
    modifiers(&TokenScheme),
    tags((name = "stations"), (name = "aqi"), (name = "series"), (name = "assessment"),
        (name = "reports"), (name = "ingest"), (name = "server"), (name = "carbon"), (name = "water"),
        (name = "soil"), (name = "campaigns"))
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
        .routes(routes!(stations::stations))
        .routes(routes!(latest::latest))
        .routes(routes!(latest::latest_station))
        .routes(routes!(series::hourly))
        .routes(routes!(series::daily))
        .routes(routes!(assessment::assessment))
        .routes(routes!(assessment::ranking))
        .routes(routes!(calendar::calendar))
        .routes(routes!(report::report))
        .routes(routes!(districts::districts))
        .routes(routes!(health::health))
        .routes(routes!(ingest::ingest))
        .routes(routes!(carbon::oracle))
        .routes(routes!(carbon::offsets))
        .routes(routes!(carbon::compliance))
        .routes(routes!(carbon::green))
        .routes(routes!(water::sections))
        .routes(routes!(water::assessment))
        .routes(routes!(water::compensation))
        .routes(routes!(soil::screening))
        .routes(routes!(soil::coverage))
        .routes(routes!(soil::surface))
        .routes(routes!(soil::list))
        .routes(routes!(soil::changes))
        .routes(routes!(soil::history))
        .routes(routes!(campaigns::progress))
        .routes(routes!(campaigns::measures))
        .routes(routes!(campaigns::updates, campaigns::record_updates))
        .routes(routes!(campaigns::indicators, campaigns::record_values))
        .routes(routes!(campaigns::gep_accounts))
        .split_for_parts();
    doc.servers = Some(vec![utoipa::openapi::server::Server::new("/api/v1")]);
    (router, doc)
}

/// Resources read from the store at each request rather than from the snapshot: the soil
/// list, and the campaigns' plan with its reports and indicator values, whose rows the command
/// line records in another process, which makes no new snapshot (and a campaigns write here
/// makes none either). A snapshot's tag would answer `304` for a list or a progress that has
/// changed since, so these carry no tag.
const OUTSIDE_SNAPSHOT: &[&str] = &[
    "/soil/list",
    "/campaigns/progress",
    "/campaigns/measures",
    "/campaigns/updates",
    "/campaigns/indicators",
];

fn outside_snapshot(path: &str) -> bool {
    // The path as the nested router sees it (without `/api/v1`), or whole.
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    OUTSIDE_SNAPSHOT
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
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
    if outside_snapshot(req.uri().path()) {
        let mut r = next.run(req).await;
        if r.status().is_success() {
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        }
        return r;
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_soil_list_and_the_campaigns_plan_are_read_outside_the_snapshot() {
        for p in [
            "/soil/list",
            "/soil/list/changes",
            "/api/v1/soil/list/history",
            "/campaigns/progress",
            "/api/v1/campaigns/measures",
            "/campaigns/updates",
            "/api/v1/campaigns/indicators",
        ] {
            assert!(super::outside_snapshot(p), "{p}");
        }
        for p in [
            "/soil/listing",
            "/soil/screening",
            "/campaigns/gep",
            "/campaigns/progressive",
            "/api/v1/health",
            "/",
        ] {
            assert!(!super::outside_snapshot(p), "{p}");
        }
    }
}
