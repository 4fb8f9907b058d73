//! # lantian-server: the HTTP API and the live dashboard
//!
//! The API under `/api/v1` (its OpenAPI document generated from the handlers at
//! `/api/v1/openapi.json`) and the dashboard at `/`, over one store, ingesting new files (a
//! watched folder, or `POST /api/v1/ingest` with a token) while it serves.
//!
//! An adapter over `lantian-app`: each handler parses its query (serde, strictly: unknown,
//! repeated or malformed parameters are a 400 naming them) into the application's typed
//! request, calls the use case on the current snapshot, and renders its typed result; the
//! status of an error comes from its [`lantian_app::ErrorKind`], never from its text.
//!
//! Layout: one module per resource under [`routes`] (`stations`, `latest`, `series`,
//! `assessment`, `calendar`, `report`, `districts`, `health`, `ingest`; the campaigns'
//! `carbon`, `water`, `soil`, and `campaigns`, the plan behind them), `query` (the strict query
//! extractor and JSON/CSV bodies), `state` (the store snapshot and the latest AQI), `live` (the
//! watched folder), `assets` (the embedded dashboard), `error` (4xx/5xx bodies).

mod assets;
pub mod error;
mod live;
mod query;
pub mod routes;
pub mod state;

use anyhow::{Context, Result};
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use lantian_model::Registry;
use lantian_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;

pub use state::{AppState, Secret};

/// How long a client may take to send a request's head (line and headers), and how long an
/// idle kept-alive connection stays open: a client that trickles bytes (or sends nothing) must
/// not hold a connection, and its memory and file descriptor, for ever.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to send a whole request body (a posted file of up to `max_body`
/// bytes; a minute is ample on any link that should be writing to the archive). A deadline on
/// the whole body, not on each piece: a client sending a byte now and then is cut off too.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest request body accepted by default (bytes): a day's file of the national network is
/// about 1 MB.
pub const DEFAULT_MAX_BODY: usize = 8 << 20;
/// Connections open at once; more wait in the listener's backlog until one closes, so a
/// crowd of slow clients cannot exhaust the process's file descriptors.
pub const MAX_CONNECTIONS: usize = 1024;

/// How a server is started: the command line's `lantian serve` options, already checked.
#[derive(Clone)]
pub struct ServeConfig {
    /// Address to listen on (port 0: any free port; the address is printed).
    pub addr: SocketAddr,
    /// A folder watched for new hourly files, ingested as they arrive.
    pub watch: Option<PathBuf>,
    /// Time between two looks at the watched folder.
    pub watch_interval: Duration,
    /// The write endpoint's token; `None` refuses writes (403).
    pub token: Option<Secret>,
    /// Largest request body accepted (bytes); more is refused with 413.
    pub max_body: usize,
    /// Time to send a request's head ([`HEADER_TIMEOUT`] by default).
    pub header_timeout: Duration,
    /// Time to send a whole request body ([`BODY_TIMEOUT`] by default).
    pub body_timeout: Duration,
    /// District boundaries (GeoJSON) for the map and the bulletin.
    pub geojson: Option<PathBuf>,
    /// Rate PM2.5/PM10 on their 1-h values in the real-time AQI (CNEMC's and BJMEMC's practice
    /// since 2017) instead of the 24-h moving means of HJ 633—2012 §5.1.
    pub pm_1h: bool,
    /// The carbon resources' files.
    pub carbon: routes::carbon::CarbonSources,
    /// The water sections and readings.
    pub water: Option<lantian_app::water::WaterSources>,
    /// The soil samples, plots and the city's classes.
    pub soil: Option<lantian_app::soil::SoilSources>,
    /// The campaigns' plan (a folder, or the example built in).
    pub plan: lantian_app::campaigns::PlanSources,
    /// The GEP-R inputs and compensation rule (the example's by default).
    pub gep: lantian_app::campaigns::gep::GepSources,
}

/// The whole application: API, OpenAPI document and dashboard.
pub fn app(state: Arc<AppState>, max_body: usize) -> axum::Router {
    let (api, doc) = routes::router();
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
            routes::etag,
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

/// The OpenAPI document of the API, as served at `/api/v1/openapi.json`.
pub fn openapi_json() -> String {
    routes::router()
        .1
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
}

/// Serve `store_path` until Ctrl-C.
pub async fn run(store_path: &std::path::Path, reg: Registry, c: ServeConfig) -> Result<()> {
    let store = Store::open(store_path).await?;
    let options = lantian_aqi::series::Options {
        standard: None,
        pm_1h_realtime: c.pm_1h,
    };
    let writes = c.token.is_some();
    let mut state = AppState::new(store, reg, c.token, options, c.geojson.clone()).await?;
    state.body_timeout = c.body_timeout;
    state.max_body = c.max_body;
    state.carbon = c.carbon.clone();
    state.water = c.water.clone();
    state.soil = c.soil.clone();
    state.plan = c.plan.clone();
    state.gep = c.gep.clone();
    let state = Arc::new(state);
    if let Some(dir) = &c.watch {
        anyhow::ensure!(dir.is_dir(), "--watch {}: not a folder", dir.display());
        tokio::spawn(live::watch(state.clone(), dir.clone(), c.watch_interval));
    }
    let listener = tokio::net::TcpListener::bind(c.addr)
        .await
        .with_context(|| format!("--addr {}: cannot listen", c.addr))?;
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
        c.watch
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
    let app = app(state, c.max_body);
    serve_connections(listener, app, c.header_timeout, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Accept connections and serve each with HTTP/1.1 until `shutdown` completes, then let the
/// requests in progress finish (for at most a few seconds).
///
/// Written out rather than `axum::serve` for the bounds a public server needs: a timer, so a
/// request's head must arrive within `header_timeout` ([`HEADER_TIMEOUT`] by default), and at
/// most [`MAX_CONNECTIONS`] connections at once.
pub async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    header_timeout: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let permits = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            _ = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it was taken: wait a
                // little rather than spin, and go on serving the connections already open.
                Err(e) => {
                    eprintln!("lantian serve: accept: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that goes away or times out is its own business, not the server's.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    Ok(())
}
