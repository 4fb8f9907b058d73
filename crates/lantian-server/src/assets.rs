//! The dashboard's files, embedded in the binary at build time from `web/dist` (built by
//! `npm run build` in `web/`; see `build.rs`), so the server is one file to deploy.
//!
//! Files are looked up by exact name in a fixed table: no path is ever joined to a folder or
//! opened, so no request can reach a file outside the dashboard (`/../`, `%2e%2e`, absolute
//! paths all simply miss the table).

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

include!(concat!(env!("OUT_DIR"), "/dashboard_assets.rs"));

/// Shown at `/` when the binary was built before the dashboard's assets.
const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>Lantian</title>\
<h1>Lantian</h1><p>The dashboard's assets were not built when this binary was compiled: run \
<code>bash scripts/setup.sh</code> (npm) and rebuild. The API is served: \
<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p>";

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Whether the dashboard's assets are in this binary.
pub fn built() -> bool {
    ASSETS.iter().any(|(n, _)| *n == "index.html")
}

pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let name = if path.is_empty() { "index.html" } else { path };
    match ASSETS.iter().find(|(n, _)| *n == name) {
        Some((n, bytes)) => {
            // Vite puts a content hash in every asset's name: those never change; the page
            // itself is asked for again each time.
            let cache = if n.starts_with("assets/") {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(content_type(n)),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
                    (
                        header::X_CONTENT_TYPE_OPTIONS,
                        HeaderValue::from_static("nosniff"),
                    ),
                ],
                *bytes,
            )
                .into_response()
        }
        // Not cached either: the page changes once the assets are built.
        None if name == "index.html" => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            NOT_BUILT,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
