//! The five campaigns: the plan's progress on a date, its measures and their reports, its
//! indicators against baselines and targets, and the districts' GEP-R accounts
//! (`lantian_app::campaigns`; docs/serve.md, "Campaigns").
//!
//! The plan is the folder the server was started with, or the example plan built in. Its
//! reports and indicator values are its files' rows followed by the store's, and both are read
//! at each request: a report recorded here, or by the command line in another process (which
//! makes no new snapshot), is in the next answer. So these resources carry no snapshot tag
//! (`OUTSIDE_SNAPSHOT` in `routes`).
//!
//! Two writes, with the token: progress reports (`POST /campaigns/updates`) and indicator
//! values (`POST /campaigns/indicators`), a JSON batch each. The application checks every row
//! against the plan as it checks the command line's files (a known measure and milestone, a
//! share of 0–100 %, not before the measure's start, evidence and reporter given): the first
//! refused is named in a `400` and nothing of the batch is written; rows identical to ones
//! recorded before are counted, not recorded twice.

use crate::error::{ApiError, ErrorBody};
use crate::query::{Q, Shared, blocking, parse_date, parse_param, sorted_json_bytes};
use crate::routes::ingest::{Authorized, read_body, refuse};
use crate::state::Cached;
use axum::extract::State;
use chrono::NaiveDate;
use lantian_app::ErrorKind;
use lantian_app::campaigns::{self, Plan, ProgressRequest, gep};
use lantian_campaigns::Campaign;
use lantian_campaigns::indicator::{Source, Value};
use lantian_campaigns::measure::{Measure, Update};
use lantian_model::text::{EXCERPT_CHARS, shorten};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The plan with the store's reports and values as they are now.
async fn plan(s: &Shared) -> Result<Plan, ApiError> {
    campaigns::load(Some(&s.store), &s.plan)
        .await
        // The plan's files are the server's, checked when it started: not the request's fault.
        .map_err(|e| ApiError::internal(format!("the server's plan: {e}")))
}

/// The `as_of` parameter; today (the server's date) without it.
fn as_of(v: Option<&str>) -> Result<NaiveDate, ApiError> {
    match v {
        Some(v) => parse_date("as_of", v),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

fn campaign(v: Option<&str>) -> Result<Option<Campaign>, ApiError> {
    v.map(|v| {
        Campaign::parse(v).ok_or_else(|| {
            ApiError::bad(
                "campaign",
                format!(
                    "campaign '{}': not one of {}",
                    shorten(v, EXCERPT_CHARS),
                    Campaign::ALL.map(|c| c.code()).join(", ")
                ),
            )
        })
    })
    .transpose()
}

/// Which of the plan's reports are its files' and which the store's.
#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    update: &'a Update,
    /// `plan_files` or `store`.
    kept_in: &'static str,
}

fn reports<'a>(plan: &'a Plan, measure: Option<&str>) -> Vec<Report<'a>> {
    let in_files = plan.files.updates.len();
    plan.updates
        .iter()
        .enumerate()
        .filter(|(_, u)| measure.is_none_or(|m| u.measure == m))
        .map(|(i, update)| Report {
            update,
            kept_in: if i < in_files { "plan_files" } else { "store" },
        })
        .collect()
}

/// The measure `id` of the plan, or a `404` naming `parameter`.
fn measure<'a>(plan: &'a Plan, parameter: &str, id: &str) -> Result<&'a Measure, ApiError> {
    plan.measure(id).ok_or_else(|| {
        ApiError::not_found(
            Some(parameter),
            format!(
                "measure '{}' is not in the plan ({}; /campaigns/measures lists them)",
                shorten(id, EXCERPT_CHARS),
                plan.origin
            ),
        )
    })
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// The date (YYYY-MM-DD). Today (the server's date) by default.
    as_of: Option<String>,
    /// Only this campaign's measures: `blue_sky`, `clear_water`, `pure_land`, `climate` or
    /// `ecology` (or its Chinese name, 蓝天 …).
    campaign: Option<String>,
    /// Only the measures this lead unit leads, as the plan writes it (`市生态环境局`).
    unit: Option<String>,
}

/// Progress against time on a date: every measure's work done and expected, its status
/// (on schedule, behind, overdue, done early…), the means per lead unit and campaign with
/// "half the time, half the tasks", and the burn-up series from the plan's first start; the
/// reports counted are the plan's files' and the store's. Exactly `lantian campaigns progress
/// --format json`.
#[utoipa::path(get, path = "/campaigns/progress", tag = "campaigns", operation_id = "campaigns_progress", params(ProgressQuery),
    responses((status = 200, description = "Progress on the date, per measure, unit and campaign, and the burn-up", body = Object),
        (status = 400, description = "Bad parameter (a date, a campaign or unit without measures)", body = ErrorBody)))]
pub async fn progress(State(s): State<Shared>, Q(q): Q<ProgressQuery>) -> Result<Cached, ApiError> {
    let req = ProgressRequest {
        as_of: as_of(q.as_of.as_deref())?,
        campaign: campaign(q.campaign.as_deref())?,
        unit: q.unit,
    };
    let plan = plan(&s).await?;
    if let Some(u) = &req.unit
        && !plan.files.measures.iter().any(|m| &m.lead == u)
    {
        let mut leads: Vec<&str> = plan
            .files
            .measures
            .iter()
            .map(|m| m.lead.as_str())
            .collect();
        leads.sort_unstable();
        leads.dedup();
        return Err(ApiError::bad(
            "unit",
            format!(
                "unit '{}': no measure of the plan is led by it (the lead units: {})",
                shorten(u, EXCERPT_CHARS),
                leads.join(", ")
            ),
        ));
    }
    blocking(&s, move || {
        sorted_json_bytes(&campaigns::progress(&plan, &req)?)
    })
    .await
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MeasuresQuery {
    /// One measure (`BS-01`), with every report on it.
    id: Option<String>,
}

/// The plan's measures (campaign, lead and partner units, start, deadline, weighted milestones,
/// target, source); with `id`, one measure and every report on it, the plan files' first, then
/// the store's in the order recorded, each marked `kept_in`.
#[utoipa::path(get, path = "/campaigns/measures", tag = "campaigns", operation_id = "campaigns_measures", params(MeasuresQuery),
    responses((status = 200, description = "The plan's measures, or one with its reports", body = Object),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No such measure in the plan", body = ErrorBody)))]
pub async fn measures(State(s): State<Shared>, Q(q): Q<MeasuresQuery>) -> Result<Cached, ApiError> {
    let plan = plan(&s).await?;
    match q.id.as_deref() {
        None => {
            #[derive(Serialize)]
            struct Measures<'a> {
                plan_zh: &'a str,
                plan_en: &'a str,
                origin: &'a str,
                measures: &'a [Measure],
            }
            sorted_json_bytes(&Measures {
                plan_zh: &plan.files.plan.name_zh,
                plan_en: &plan.files.plan.name_en,
                origin: &plan.origin,
                measures: &plan.files.measures,
            })
        }
        Some(id) => {
            #[derive(Serialize)]
            struct OneMeasure<'a> {
                origin: &'a str,
                measure: &'a Measure,
                reports: Vec<Report<'a>>,
            }
            let m = measure(&plan, "id", id)?;
            sorted_json_bytes(&OneMeasure {
                origin: &plan.origin,
                measure: m,
                reports: reports(&plan, Some(id)),
            })
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UpdatesQuery {
    /// Only the reports on this measure (`BS-01`).
    measure: Option<String>,
}

/// The progress reports: the plan files' first, then the store's in the order recorded, each
/// marked `kept_in` (`plan_files` or `store`), with the counts of each.
#[utoipa::path(get, path = "/campaigns/updates", tag = "campaigns", operation_id = "campaigns_updates", params(UpdatesQuery),
    responses((status = 200, description = "The reports", body = Object),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "No such measure in the plan", body = ErrorBody)))]
pub async fn updates(State(s): State<Shared>, Q(q): Q<UpdatesQuery>) -> Result<Cached, ApiError> {
    let plan = plan(&s).await?;
    if let Some(m) = q.measure.as_deref() {
        measure(&plan, "measure", m)?;
    }
    #[derive(Serialize)]
    struct Updates<'a> {
        origin: &'a str,
        reports_in_files: usize,
        reports_in_store: usize,
        reports: Vec<Report<'a>>,
    }
    sorted_json_bytes(&Updates {
        origin: &plan.origin,
        reports_in_files: plan.files.updates.len(),
        reports_in_store: plan.stored_updates,
        reports: reports(&plan, q.measure.as_deref()),
    })
}

/// One progress report, as a row of the plan's `updates.csv`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRow {
    /// The measure's id in the plan (`CW-01`).
    measure: String,
    /// The milestone's id (`all` for a measure without milestones).
    milestone: String,
    /// The day the share was reached, not before the measure's start.
    date: NaiveDate,
    /// The share of the milestone's work done, 0–100.
    percent: f64,
    /// What shows it (a document, an acceptance record, a count).
    evidence: String,
    /// Who reports it.
    by: String,
}

/// A batch of progress reports.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatesBody {
    updates: Vec<UpdateRow>,
}

/// One indicator value: the form of a `latest` value in `/campaigns/indicators`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueRow {
    /// The indicator's id in the plan's registry (`nev_stock`).
    indicator: String,
    date: NaiveDate,
    /// In the indicator's unit.
    value: f64,
    source: ValueSource,
}

/// Where a value comes from: entered by a person (who, and the evidence) or computed by an
/// engine (which, and the query that gives it back).
#[derive(Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ValueSource {
    Entered { by: String, evidence: String },
    Computed { engine: String, query: String },
}

/// A batch of indicator values.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValuesBody {
    values: Vec<ValueRow>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NoQuery {}

/// The posted JSON batch of a write, once the caller is authorised: read within the body's
/// deadline and size bound, and parsed as `T`.
async fn batch<T: DeserializeOwned>(
    s: &Shared,
    caller: Result<Authorized, ApiError>,
    q: Result<Q<NoQuery>, ApiError>,
    request: axum::extract::Request,
) -> Result<T, ApiError> {
    if let Err(e) = caller.and(q) {
        return Err(refuse(s, request, e).await);
    }
    let body = match tokio::time::timeout(s.body_timeout, read_body(s, request)).await {
        Ok(body) => body?,
        Err(_) => {
            return Err(ApiError::with_status(
                axum::http::StatusCode::REQUEST_TIMEOUT,
                Some("body"),
                format!(
                    "the body did not arrive within {} s",
                    s.body_timeout.as_secs_f64()
                ),
            ));
        }
    };
    serde_json::from_slice(&body).map_err(|e| ApiError::bad("body", format!("body: {e}")))
}

/// A refusal of the application's as the write's answer: a row at fault is the body's.
fn refused(e: lantian_app::AppError) -> ApiError {
    match e.kind() {
        ErrorKind::BadRequest => ApiError::bad("body", e.to_string()),
        _ => e.into(),
    }
}

/// Record progress reports (a JSON batch, `{"updates": [{measure, milestone, date, percent,
/// evidence, by}, …]}`), each checked against the plan: the first refused is named and nothing
/// is written. Reports identical to ones recorded before are counted, not recorded twice. The
/// next progress answer counts them. Needs `Authorization: Bearer <token>`.
#[utoipa::path(post, path = "/campaigns/updates", tag = "campaigns", operation_id = "campaigns_record_updates", params(NoQuery),
    request_body(content = UpdatesBody, content_type = "application/json"),
    security(("token" = [])),
    responses((status = 200, description = "Recorded: reports given, already recorded, recorded", body = Object),
        (status = 400, description = "A report refused (named, with why; nothing recorded), or a body that is not the batch", body = ErrorBody),
        (status = 401, description = "Missing or wrong token", body = ErrorBody),
        (status = 403, description = "Writes disabled (no token configured)", body = ErrorBody),
        (status = 408, description = "The body did not arrive in time", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 503, description = "The store is held by another writer or is read-only; nothing was recorded", body = ErrorBody),
        (status = 507, description = "The store's disk is full; nothing was recorded", body = ErrorBody)))]
pub async fn record_updates(
    State(s): State<Shared>,
    caller: Result<Authorized, ApiError>,
    q: Result<Q<NoQuery>, ApiError>,
    request: axum::extract::Request,
) -> Result<Cached, ApiError> {
    let body: UpdatesBody = batch(&s, caller, q, request).await?;
    if body.updates.is_empty() {
        return Err(ApiError::bad("body", "the batch holds no report"));
    }
    let rows: Vec<Update> = body
        .updates
        .into_iter()
        .map(|u| Update {
            measure: u.measure,
            milestone: u.milestone,
            date: u.date,
            percent: u.percent,
            evidence: u.evidence,
            by: u.by,
        })
        .collect();
    let _one = s.writer().await;
    let plan = plan(&s).await?;
    let r = campaigns::record_updates(&s.store, &plan, &rows)
        .await
        .map_err(refused)?;
    eprintln!(
        "lantian serve: progress reports posted {}, recorded {}, recorded before {}",
        r.given, r.recorded, r.already_recorded
    );
    sorted_json_bytes(&r)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IndicatorsQuery {
    /// The date (YYYY-MM-DD): each indicator's latest value on or before it. Today (the
    /// server's date) by default.
    as_of: Option<String>,
    /// Only this campaign's indicators: `blue_sky`, `clear_water`, `pure_land`, `climate` or
    /// `ecology`.
    campaign: Option<String>,
}

/// The plan's indicators on a date: each with its unit, direction, baseline and target, its
/// latest value with the value's source (entered by whom, or computed by which engine), the
/// change from the baseline, the way to the target and whether it is met. Values are the plan
/// files' and the store's; figures that the engines compute for the bulletin are not computed
/// here. Exactly `lantian campaigns indicators --format json`.
#[utoipa::path(get, path = "/campaigns/indicators", tag = "campaigns", operation_id = "campaigns_indicators", params(IndicatorsQuery),
    responses((status = 200, description = "Every indicator and where it stands", body = Object),
        (status = 400, description = "Bad parameter", body = ErrorBody)))]
pub async fn indicators(
    State(s): State<Shared>,
    Q(q): Q<IndicatorsQuery>,
) -> Result<Cached, ApiError> {
    let date = as_of(q.as_of.as_deref())?;
    let campaign = campaign(q.campaign.as_deref())?;
    let plan = plan(&s).await?;
    sorted_json_bytes(&campaigns::indicators(&plan, date, campaign, &[]))
}

/// Record indicator values (a JSON batch, `{"values": [{indicator, date, value, source: {kind:
/// "entered", by, evidence}}, …]}`), each checked against the plan's registry as progress
/// reports are. Needs `Authorization: Bearer <token>`.
#[utoipa::path(post, path = "/campaigns/indicators", tag = "campaigns", operation_id = "campaigns_record_values", params(NoQuery),
    request_body(content = ValuesBody, content_type = "application/json"),
    security(("token" = [])),
    responses((status = 200, description = "Recorded: values given, already recorded, recorded", body = Object),
        (status = 400, description = "A value refused (named, with why; nothing recorded), or a body that is not the batch", body = ErrorBody),
        (status = 401, description = "Missing or wrong token", body = ErrorBody),
        (status = 403, description = "Writes disabled (no token configured)", body = ErrorBody),
        (status = 408, description = "The body did not arrive in time", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 503, description = "The store is held by another writer or is read-only; nothing was recorded", body = ErrorBody),
        (status = 507, description = "The store's disk is full; nothing was recorded", body = ErrorBody)))]
pub async fn record_values(
    State(s): State<Shared>,
    caller: Result<Authorized, ApiError>,
    q: Result<Q<NoQuery>, ApiError>,
    request: axum::extract::Request,
) -> Result<Cached, ApiError> {
    let body: ValuesBody = batch(&s, caller, q, request).await?;
    if body.values.is_empty() {
        return Err(ApiError::bad("body", "the batch holds no value"));
    }
    let rows: Vec<Value> = body
        .values
        .into_iter()
        .map(|v| Value {
            indicator: v.indicator,
            date: v.date,
            value: v.value,
            source: match v.source {
                ValueSource::Entered { by, evidence } => Source::Entered { by, evidence },
                ValueSource::Computed { engine, query } => Source::Computed { engine, query },
            },
        })
        .collect();
    let _one = s.writer().await;
    let plan = plan(&s).await?;
    let r = campaigns::record_values(&s.store, &plan, &rows)
        .await
        .map_err(refused)?;
    eprintln!(
        "lantian serve: indicator values posted {}, recorded {}, recorded before {}",
        r.given, r.recorded, r.already_recorded
    );
    sorted_json_bytes(&r)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GepQuery {
    /// The year; the latest of the inputs by default.
    year: Option<String>,
}

/// The GEP-R accounts of a year: every district's nine regulating-service accounts (physical
/// quantity × price), the city's sum, the change over the year before, and the compensation
/// between paired districts under the rule of the year (docs/gep.md). Exactly `lantian campaigns
/// gep --format json`.
#[utoipa::path(get, path = "/campaigns/gep", tag = "campaigns", operation_id = "campaigns_gep", params(GepQuery),
    responses((status = 200, description = "The accounts, their change and the compensation", body = Object),
        (status = 400, description = "Bad parameter (a year the inputs do not hold)", body = ErrorBody)))]
pub async fn gep_accounts(State(s): State<Shared>, Q(q): Q<GepQuery>) -> Result<Cached, ApiError> {
    let year = parse_param::<i32>("year", q.year.as_deref())?;
    if let Some(y) = year
        && !(2000..=2100).contains(&y)
    {
        return Err(ApiError::bad(
            "year",
            format!("year={y}: years 2000..=2100 only"),
        ));
    }
    let src = s.gep.clone();
    blocking(&s, move || sorted_json_bytes(&gep::accounts(&src, year)?)).await
}
