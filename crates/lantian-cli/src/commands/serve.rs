//! `lantian serve`: the HTTP API and the live dashboard (`lantian-server`), started with the
//! command line's options.

use anyhow::{Context, Result, bail};
use clap::Args;
use lantian_model::Registry;
use lantian_server::{Secret, ServeConfig};
use std::net::SocketAddr;
use std::path::PathBuf;

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
    #[arg(long, default_value_t = lantian_server::DEFAULT_MAX_BODY)]
    max_body: usize,
    /// Seconds a client may take to send a request's head, and an idle kept-alive connection
    /// stays open; then the connection is closed (a slow or silent client holds nothing).
    #[arg(long, default_value_t = lantian_server::HEADER_TIMEOUT.as_secs_f64())]
    header_timeout: f64,
    /// Seconds a client may take to send a whole request body; then it is answered 408.
    #[arg(long, default_value_t = lantian_server::BODY_TIMEOUT.as_secs_f64())]
    body_timeout: f64,
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
fn token(a: &ServeArgs) -> Result<Option<Secret>> {
    if let Some(p) = &a.token_file {
        let text = std::fs::read_to_string(p)
            .with_context(|| format!("--token-file {}: cannot read", p.display()))?;
        let t = Secret::new(&text);
        if t.is_none() {
            bail!("--token-file {}: the file is empty", p.display());
        }
        return Ok(t);
    }
    Ok(std::env::var("LANTIAN_TOKEN")
        .ok()
        .and_then(|t| Secret::new(&t)))
}

pub async fn run(store_path: &std::path::Path, reg: Registry, a: &ServeArgs) -> Result<()> {
    if a.watch.is_some() && !(a.watch_interval > 0.0 && a.watch_interval <= 3600.0) {
        bail!(
            "--watch-interval {}: between 0 and 3600 seconds",
            a.watch_interval
        );
    }
    for (flag, v) in [
        ("--header-timeout", a.header_timeout),
        ("--body-timeout", a.body_timeout),
    ] {
        if !(v > 0.0 && v <= 3600.0) {
            bail!("{flag} {v}: between 0 and 3600 seconds");
        }
    }
    let config = ServeConfig {
        addr: a.addr,
        watch: a.watch.clone(),
        watch_interval: std::time::Duration::from_secs_f64(a.watch_interval.max(0.001)),
        token: token(a)?,
        max_body: a.max_body,
        header_timeout: std::time::Duration::from_secs_f64(a.header_timeout),
        body_timeout: std::time::Duration::from_secs_f64(a.body_timeout),
        geojson: crate::commands::report::geojson_path(a.geojson.as_deref()),
        pm_1h: a.pm_1h,
    };
    lantian_server::run(store_path, reg, config).await
}
