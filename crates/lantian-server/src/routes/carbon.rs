//! The carbon market: the EU ETS oracle, registry credits, a market's books and green
//! electricity, from the files the server was started with (docs/serve.md). Nothing names a
//! file in a request.

use crate::error::{ApiError, ErrorBody};
use crate::query::{Q, Shared, blocking, parse_param, sorted_json_bytes};
use crate::state::Cached;
use axum::extract::State;
use lantian_app::carbon::{self, BooksRequest, GreenRequest, OffsetsRequest, OracleRequest};
use lantian_carbon::SchemeId;
use serde::Deserialize;
use std::path::PathBuf;
use utoipa::IntoParams;

/// The files the carbon resources read, each optional (a resource without its file is 404).
#[derive(Debug, Clone, Default)]
pub struct CarbonSources {
    /// The EUTL installation panel's folder.
    pub eu_ets: Option<PathBuf>,
    /// A folder of offset-registry listings.
    pub offset_listings: Option<PathBuf>,
    /// A market's books and the offsets surrendered.
    pub books: Option<PathBuf>,
    pub surrenders: Option<PathBuf>,
    /// Electricity use and green purchases.
    pub electricity: Option<PathBuf>,
}

fn source<'a>(p: &'a Option<PathBuf>, what: &str) -> Result<&'a PathBuf, ApiError> {
    p.as_ref().ok_or_else(|| {
        ApiError::not_found(
            None,
            format!("no {what} on this server (it was started without one)"),
        )
    })
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NoQuery {}

/// The EU ETS compliance letters recomputed: match per year, per trading period and per class
/// of mismatch (docs/carbon.md). Computed once per server.
#[utoipa::path(get, path = "/carbon/oracle", tag = "carbon", params(NoQuery),
    responses((status = 200, description = "The oracle's tables", body = Object),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No EU ETS panel on this server", body = ErrorBody)))]
pub async fn oracle(State(s): State<Shared>, Q(_q): Q<NoQuery>) -> Result<Cached, ApiError> {
    let dir = source(&s.carbon.eu_ets, "EU ETS panel")?.clone();
    let state: Shared = s.clone();
    s.carbon_oracle
        .get_or_try_init(|| async move {
            blocking(&state, move || {
                let report = carbon::oracle(&OracleRequest {
                    data_dir: dir,
                    letters: None,
                })?;
                sorted_json_bytes(&report)
            })
            .await
        })
        .await
        .cloned()
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OffsetsQuery {
    /// The compliance year the credits would be surrendered for.
    year: String,
    /// `beijing` (default), `china-national` or `eu-ets`.
    scheme: Option<String>,
}

fn scheme(v: Option<&str>) -> Result<SchemeId, ApiError> {
    match v {
        None => Ok(SchemeId::Beijing),
        Some(v) => SchemeId::parse(v).ok_or_else(|| {
            ApiError::bad(
                "scheme",
                format!(
                    "scheme: '{}' is not beijing, china-national or eu-ets",
                    lantian_model::text::shorten(v, 40)
                ),
            )
        }),
    }
}

/// The registry credits the server knows, each judged for surrender in a scheme and year.
#[utoipa::path(get, path = "/carbon/offsets", tag = "carbon", params(OffsetsQuery),
    responses((status = 200, description = "Every batch, eligible or with its reasons", body = Object),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No registry listings on this server", body = ErrorBody)))]
pub async fn offsets(State(s): State<Shared>, Q(q): Q<OffsetsQuery>) -> Result<Cached, ApiError> {
    let registry = source(&s.carbon.offset_listings, "offset-registry listings")?.clone();
    let year = parse_param::<i32>("year", Some(&q.year))?.expect("given");
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::bad(
            "year",
            format!("year={year}: years 2000..=2100 only"),
        ));
    }
    let scheme = scheme(q.scheme.as_deref())?;
    blocking(&s, move || {
        sorted_json_bytes(&carbon::offsets(&OffsetsRequest {
            scheme,
            year,
            registry,
        })?)
    })
    .await
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComplianceQuery {
    /// `beijing` (default), `china-national` or `eu-ets`.
    scheme: Option<String>,
    /// Market price per tonne, for penalties that are a multiple of it.
    price: Option<String>,
}

/// A market's books: every unit's compliance year by year, and the market's totals.
#[utoipa::path(get, path = "/carbon/compliance", tag = "carbon", params(ComplianceQuery),
    responses((status = 200, description = "Each unit-year, the totals per year, findings and rows not read", body = Object),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No books on this server", body = ErrorBody)))]
pub async fn compliance(
    State(s): State<Shared>,
    Q(q): Q<ComplianceQuery>,
) -> Result<Cached, ApiError> {
    let books = source(&s.carbon.books, "market books")?.clone();
    let scheme = scheme(q.scheme.as_deref())?;
    let price = parse_param::<f64>("price", q.price.as_deref())?;
    if price.is_some_and(|p| !p.is_finite() || p < 0.0) {
        return Err(ApiError::bad(
            "price",
            "price: a price per tonne, zero or more",
        ));
    }
    let surrenders = s.carbon.surrenders.clone();
    let req = BooksRequest {
        scheme,
        books,
        surrenders,
        price_per_t: price,
    };
    blocking(&s, move || sorted_json_bytes(&carbon::compliance(&req)?)).await
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GreenQuery {
    /// The grid whose dated emission factor applies (default `china-national`).
    grid: Option<String>,
}

/// Purchased green electricity as emissions avoided, per unit and for the city.
#[utoipa::path(get, path = "/carbon/green", tag = "carbon", params(GreenQuery),
    responses((status = 200, description = "Each unit-year counted location- and market-based, and the city per year", body = Object),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No electricity file on this server", body = ErrorBody)))]
pub async fn green(State(s): State<Shared>, Q(q): Q<GreenQuery>) -> Result<Cached, ApiError> {
    let electricity = source(&s.carbon.electricity, "electricity file")?.clone();
    let grid = q.grid.unwrap_or_else(|| "china-national".into());
    let req = GreenRequest {
        electricity,
        grid,
        factor: None,
        plan: None,
    };
    blocking(&s, move || sorted_json_bytes(&carbon::green(&req)?)).await
}
