//! `lantian serve`: the HTTP API (`/api/v1`, its OpenAPI document generated from the handlers
//! at `/api/v1/openapi.json`) and the live dashboard at `/`, over one store, ingesting new files
//! (a watched folder, or `POST /api/v1/ingest` with a token) while it serves.
//!
//! Layout: `state` (the store snapshot and the latest AQI), `api` (handlers), `live` (the
//! watched folder), `assets` (the embedded dashboard), `error` (4xx/5xx bodies). The numbers
//! come from the same functions as the commands (`assess`, `report`, `aqi`).

pub mod api;
mod assets;
mod error;
mod live;
mod state;

use anyhow::{Context, Result};
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use clap::Args;
use lantian_model::Registry;
use lantian_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// A folder watched for new hourly files, ingested as they arrive.
    #[arg(long)]
    watch: Option<PathBuf>,
    /// Seconds between two looks at the watched folder (a file is taken once unchanged over
    /// one interval).
    #[arg(long, default_value_t = 2.0)]
    watch_interval: f64,
    /// A file holding the token of the write endpoint (`POST /api/v1/ingest`, header
    /// `Authorization: Bearer <token>`). The environment variable LANTIAN_TOKEN also sets it.
    /// Without a token, writes are refused (403).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Largest request body accepted (bytes); more is refused with 413.
    #[arg(long, default_value_t = 8 * 1024 * 1024)]
    max_body: usize,
    /// District boundaries (GeoJSON) for the map and the bulletin (default: $LANTIAN_GEOJSON, or
    /// ../shared/data/geo_beijing/110100_full.json when present).
    #[arg(long)]
    geojson: Option<PathBuf>,
    /// Rate PM2.5/PM10 on their 1-h values in the real-time AQI (CNEMC's and BJMEMC's practice
    /// since 2017) instead of the 24-h moving means of HJ 633—2012 §5.1.
    #[arg(long)]
    pm_1h: bool,
}

/// The token: `--token-file`, else `LANTIAN_TOKEN`. Its value is never printed.
fn token(a: &ServeArgs) -> Result<Option<state::Secret>> {
    if let Some(p) = &a.token_file {
        let text = std::fs::read_to_string(p)
            .with_context(|| format!("--token-file {}: cannot read", p.display()))?;
        let t = state::Secret::new(&text);
        if t.is_none() {
            anyhow::bail!("--token-file {}: the file is empty", p.display());
        }
        return Ok(t);
    }
    Ok(std::env::var("LANTIAN_TOKEN")
        .ok()
        .and_then(|t| state::Secret::new(&t)))
}

/// The whole application: API, OpenAPI document and dashboard.
pub fn app(state: Arc<state::AppState>, max_body: usize) -> axum::Router {
    let (api, doc) = api::router();
    let doc = Arc::new(
        doc.to_pretty_json()
            .expect("the OpenAPI document serialises"),
    );
    let api = api
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], (*doc).clone()) }
            }),
        )
        .fallback(|| async {
            error::ApiError::not_found(None, "no such endpoint (see /api/v1/openapi.json)")
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::etag,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state);
    let dashboard = axum::Router::new()
        .fallback(assets::serve)
        .layer(tower_http::compression::CompressionLayer::new());
    axum::Router::new()
        .nest("/api/v1", api)
        .merge(dashboard)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

fn geojson(a: &ServeArgs) -> Option<PathBuf> {
    a.geojson
        .clone()
        .or_else(|| std::env::var_os("LANTIAN_GEOJSON").map(PathBuf::from))
        .or_else(|| {
            let p = PathBuf::from("../shared/data/geo_beijing/110100_full.json");
            p.is_file().then_some(p)
        })
}

pub async fn run(store_path: &std::path::Path, reg: Registry, a: &ServeArgs) -> Result<()> {
    let store = Store::open(store_path).await?;
    let options = lantian_aqi::series::Options {
        standard: None,
        pm_1h_realtime: a.pm_1h,
    };
    let tok = token(a)?;
    let writes = tok.is_some();
    let state = Arc::new(state::AppState::new(store, reg, tok, options, geojson(a)).await?);
    if let Some(dir) = &a.watch {
        anyhow::ensure!(dir.is_dir(), "--watch {}: not a folder", dir.display());
        anyhow::ensure!(
            a.watch_interval > 0.0 && a.watch_interval <= 3600.0,
            "--watch-interval {}: between 0 and 3600 seconds",
            a.watch_interval
        );
        tokio::spawn(live::watch(
            state.clone(),
            dir.clone(),
            std::time::Duration::from_secs_f64(a.watch_interval),
        ));
    }
    let listener = tokio::net::TcpListener::bind(a.addr)
        .await
        .with_context(|| format!("--addr {}: cannot listen", a.addr))?;
    let addr = listener.local_addr()?;
    let snap = state.snapshot();
    // The first line is read by tests and scripts: keep its form.
    println!("lantian serve: listening on http://{addr}");
    println!(
        "lantian serve: latest hour {}, {} data files; writes {}; watching {}; dashboard {}",
        snap.latest.time.as_deref().unwrap_or("none"),
        snap.reader.files(),
        if writes {
            "enabled (token set)"
        } else {
            "disabled (no token)"
        },
        a.watch
            .as_ref()
            .map(|d| d.display().to_string())
            .unwrap_or("nothing".into()),
        if assets::built() {
            "built in"
        } else {
            "not built (run scripts/setup.sh)"
        },
    );
    use std::io::Write;
    std::io::stdout().flush()?;
    drop(snap);
    axum::serve(listener, app(state, a.max_body))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
