//! The bulletin of a region and period, in HTML, Markdown, PDF or its figures as JSON.

use super::assessment::Common;
use crate::error::{ApiError, ErrorBody};
use crate::query::{Q, Shared, computed, parse_param};
use crate::state::Cached;
use axum::body::Bytes;
use axum::extract::State;
use lantian_app::options::{Language, ReportFormat};
use lantian_app::report::{BulletinRequest, bulletin, render_bulletin};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    region: Option<String>,
    /// As for /assessment.
    period: String,
    compare: Option<String>,
    /// `zh` (default) or `en`.
    lang: Option<String>,
    /// `html` (default), `md`, `pdf` or `json` (the figures).
    format: Option<String>,
    /// Targets, comma-separated: `PM2.5=30`.
    target: Option<String>,
    /// How days are counted: `standard` (default) or `beijing`, as for /assessment.
    day_rule: Option<String>,
}

/// The bulletin of a region and period (`lantian report`), in HTML, Markdown, PDF or JSON.
#[utoipa::path(get, path = "/report", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "The bulletin", content(
            (String = "text/html"), (String = "text/markdown"), (Vec<u8> = "application/pdf"),
            (lantian_app::report::Bulletin = "application/json"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
        (status = 404, description = "Unknown region, or no data", body = ErrorBody)))]
pub async fn report(State(s): State<Shared>, Q(q): Q<ReportQuery>) -> Result<Cached, ApiError> {
    let format =
        parse_param::<ReportFormat>("format", q.format.as_deref())?.unwrap_or(ReportFormat::Html);
    let lang = parse_param::<Language>("lang", q.lang.as_deref())?.unwrap_or_default();
    let a = Common {
        region: &q.region,
        period: &q.period,
        compare: q.compare.as_deref(),
        stations: None,
        method: None,
        standard: None,
        limits: None,
        dust: None,
        day_rule: q.day_rule.as_deref(),
        target: q.target.as_deref(),
    }
    .request(&s)?;
    let req = BulletinRequest {
        region: a.region,
        period: a.period,
        baseline: a.baseline,
        lang,
        options: a.options,
        targets: a.targets,
        geojson: s.geojson_path.clone(),
        trend_years: 5,
        attribution: None,
        climate: None,
        water: None,
        soil: None,
    };
    let reg = s.reg.clone();
    computed(&s, format!("report-{format:?}?{req:?}"), move |reader| {
        let b = bulletin(reader, &reg, &req)?;
        let body = render_bulletin(&b, &req, format, None)?;
        Ok(Cached {
            body: Bytes::from(body),
            content_type: match format {
                ReportFormat::Html => "text/html; charset=utf-8",
                ReportFormat::Md => "text/markdown; charset=utf-8",
                ReportFormat::Pdf => "application/pdf",
                ReportFormat::Json => "application/json",
            },
        })
    })
    .await
}
