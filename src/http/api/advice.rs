//! `/api/v1/organisations/{org}/scans/{year}/advice`: the process counsellor's advice through the
//! API. Every change is a new version (see `app::advice`): `GET` answers the version as its `ETag`,
//! `PUT` (a full replacement) and `PATCH` (parts) need `If-Match` with it, so two writers cannot
//! overwrite each other unnoticed.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::super::auth::Api;
use super::super::error::{AppError, Result};
use super::super::routes::{Routes, Surface};
use super::super::scope::{Advise, ReadScore, Scoped};
use super::super::shared::is_json;
use crate::app::{self, AdviceEdit, AdviceSave, App, MAX_ADVICE_BYTES};
use crate::db::advice::{AdviceVersion, Author, Precondition};
use crate::report::advice::{MAX_ADVICE_CHARS, MAX_PLAN_ITEMS, MAX_SHORT_CHARS, PlanStatus};

/// `GET …/advice/versions`: newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceVersions {
    pub versions: Vec<AdviceVersion>,
}

// The bodies of PUT and PATCH as the OpenAPI document describes them. The handlers read the text
// itself (`report::advice` checks it like an advice file, naming every problem), so these types
// exist for the document only.

/// `PUT …/advice`: a whole advice. `summary`, `aspect` and `action` must be named (lists may be
/// empty), so that a partial body cannot empty the rest.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AdviceReplacement {
    #[schema(max_length = 500)]
    counsellor: Option<String>,
    #[schema(required = true, max_length = 4000)]
    summary: Option<String>,
    #[schema(max_items = 9)]
    aspect: Vec<AspectAdviceInput>,
    #[schema(max_items = 200)]
    action: Vec<PlanItemInput>,
}

/// `PATCH …/advice`: only the parts named change; `action_status` sets the status of plan rows.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1)]
#[allow(dead_code)]
pub struct AdvicePatch {
    #[schema(max_length = 500)]
    counsellor: Option<String>,
    #[schema(max_length = 4000)]
    summary: Option<String>,
    /// Per aspect: replaces, adds, or (a null advice) removes its advice.
    #[schema(max_items = 9)]
    aspect: Option<Vec<AspectPatchInput>>,
    /// The whole plan.
    #[schema(max_items = 200)]
    action: Option<Vec<PlanItemInput>>,
    #[schema(max_items = 200)]
    action_status: Option<Vec<StatusChange>>,
}

/// The advice on one aspect.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AspectAdviceInput {
    /// An aspect code of the catalogue (`A1` … `A9`).
    #[schema(pattern = "^A[1-9]$")]
    code: String,
    #[schema(max_length = 4000)]
    advice: String,
}

/// The advice on one aspect in a patch: a null advice removes it.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AspectPatchInput {
    #[schema(pattern = "^A[1-9]$")]
    code: String,
    #[schema(required = true, max_length = 4000)]
    advice: Option<String>,
}

/// One row of the action plan.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PlanItemInput {
    /// A catalogue action code (`R14.1`).
    #[schema(pattern = "^R[0-9]{1,2}\\.[0-9]{1,2}$")]
    code: String,
    #[schema(min_length = 1, max_length = 500)]
    owner: String,
    due: NaiveDate,
    status: PlanStatus,
    #[schema(max_length = 500)]
    indicator: Option<String>,
    #[schema(max_length = 500)]
    resources: Option<String>,
    #[schema(max_length = 500)]
    note: Option<String>,
}

/// A new status for row `row` (1 is the first); `code`, when given, must be that row's action.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct StatusChange {
    #[schema(minimum = 1)]
    row: u32,
    status: PlanStatus,
    #[schema(pattern = "^R[0-9]{1,2}\\.[0-9]{1,2}$")]
    code: Option<String>,
}

const _: () = assert!(MAX_ADVICE_CHARS == 4000 && MAX_SHORT_CHARS == 500 && MAX_PLAN_ITEMS == 200);

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Api as A;
    Routes::default()
        .add(
            A,
            M::GET,
            "/api/v1/organisations/{org}/scans/{year}/advice",
            "The process counsellor's advice and action plan of a scan (as `blendscan advice show`); its `ETag` is the version.",
            advice_get,
        )
        .add(
            A,
            M::PUT,
            "/api/v1/organisations/{org}/scans/{year}/advice",
            "Replace the advice and action plan of a scan with a new version: a JSON body in the format of `blendscan advice set` naming `summary`, `aspect` and `action` (lists may be empty); `If-Match` with the ETag read (412 when someone saved since, 428 without), or `If-None-Match: *` to create the first.",
            advice_put,
        )
        .add(
            A,
            M::PATCH,
            "/api/v1/organisations/{org}/scans/{year}/advice",
            "Change parts of the advice as a new version: `counsellor`, `summary`, `aspect` (per aspect; null advice removes), `action` (the whole plan), `action_status` (`[{\"row\": 1, \"status\": \"done\"}]`); `If-Match` as for PUT.",
            advice_patch,
        )
        .add(
            A,
            M::GET,
            "/api/v1/organisations/{org}/scans/{year}/advice/versions",
            "The versions of the advice, newest first: number, when, by whom (an account or the command line).",
            advice_versions,
        )
}

async fn advice_get(State(app): State<App>, s: Scoped<ReadScore, Api>) -> Result<Response> {
    let Some(found) = app.versioned_advice(&s.org.slug, s.year()).await? else {
        return Err(app::Error::NoAdvice {
            organisation: s.org.slug.clone(),
            year: s.year(),
        }
        .into());
    };
    Ok(with_etag(
        Json(&found.advice).into_response(),
        found.version,
    ))
}

async fn advice_put(
    State(app): State<App>,
    s: Scoped<Advise, Api>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response> {
    let text = advice_body(&headers, &body)?;
    let precondition = precondition(&headers, true)?;
    advice_save(&app, &s, AdviceEdit::Replace(text), precondition).await
}

async fn advice_patch(
    State(app): State<App>,
    s: Scoped<Advise, Api>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response> {
    let text = advice_body(&headers, &body)?;
    let precondition = precondition(&headers, false)?;
    advice_save(&app, &s, AdviceEdit::Patch(text), precondition).await
}

async fn advice_save(
    app: &App,
    s: &Scoped<Advise, Api>,
    edit: AdviceEdit<'_>,
    precondition: Precondition,
) -> Result<Response> {
    let saved = app
        .save_advice(&AdviceSave {
            organisation: &s.org.slug,
            year: s.year(),
            edit,
            precondition,
            by: Author::Account {
                user_id: s.viewer.user_id,
                email: s.viewer.email.clone(),
            },
        })
        .await?;
    Ok(with_etag(
        Json(&saved.advice).into_response(),
        saved.version,
    ))
}

async fn advice_versions(
    State(app): State<App>,
    s: Scoped<ReadScore, Api>,
) -> Result<Json<AdviceVersions>> {
    let versions = app.advice_versions(&s.org.slug, s.year()).await?;
    Ok(Json(AdviceVersions { versions }))
}

/// The body of an advice request: JSON, within the size limit, UTF-8.
fn advice_body<'b>(headers: &HeaderMap, body: &'b [u8]) -> Result<&'b str> {
    if !is_json(headers) {
        return Err(AppError::unsupported_media_type(
            "stuur het advies als application/json",
            "send the advice as application/json",
        ));
    }
    if body.len() > MAX_ADVICE_BYTES {
        return Err(AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "een advies is hoogstens 1 MB",
            "an advice is 1 MB at most",
        ));
    }
    std::str::from_utf8(body).map_err(|_| {
        AppError::bad_request(
            "het advies is geen UTF-8-tekst",
            "the advice is not UTF-8 text",
        )
    })
}

/// The condition of a change: `If-Match: "3"` (that version), `If-Match: *` (whatever is stored),
/// or — to create the first advice, when `create` — `If-None-Match: *`. Without one: 428.
fn precondition(headers: &HeaderMap, create: bool) -> Result<Precondition> {
    let value = |name| {
        headers
            .get(name)
            .map(|v| v.to_str().unwrap_or("").trim().to_owned())
    };
    if let Some(tag) = value(header::IF_MATCH) {
        if tag == "*" {
            return Ok(Precondition::Present);
        }
        let bare = tag.trim_start_matches("W/").trim_matches('"');
        return bare
            .parse::<i32>()
            .ok()
            .filter(|v| *v >= 0)
            .map(Precondition::Version)
            .ok_or_else(|| {
                AppError::bad_request(
                    format!("If-Match `{tag}` is geen versie van dit advies: geef de ETag van GET …/advice, bv. \"3\""),
                    format!("If-Match `{tag}` is not a version of this advice: give the ETag of GET …/advice, e.g. \"3\""),
                )
            });
    }
    if create && value(header::IF_NONE_MATCH).as_deref() == Some("*") {
        return Ok(Precondition::Absent);
    }
    let (nl, en) = if create {
        (
            "geef If-Match met de ETag van GET …/advice (of If-None-Match: * voor een eerste advies), zodat u geen wijziging van een ander overschrijft",
            "give If-Match with the ETag of GET …/advice (or If-None-Match: * for a first advice), so that you overwrite nobody's change",
        )
    } else {
        (
            "geef If-Match met de ETag van GET …/advice, zodat u geen wijziging van een ander overschrijft",
            "give If-Match with the ETag of GET …/advice, so that you overwrite nobody's change",
        )
    };
    Err(AppError::new(
        StatusCode::PRECONDITION_REQUIRED,
        "precondition_required",
        nl,
        en,
    ))
}

/// The version of an advice as its `ETag`.
fn with_etag(mut res: Response, version: i32) -> Response {
    if let Ok(v) = header::HeaderValue::from_str(&format!("\"{version}\"")) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}
