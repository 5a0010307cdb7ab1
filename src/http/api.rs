//! `/api/v1`: the JSON API. Each handler takes a scoped extractor (see `scope`), calls the same
//! library function as the CLI and answers JSON (or the PDF).

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::auth::{Api, Viewer};
use super::error::{AppError, Result};
use super::routes::{Routes, Surface};
use super::scope::{FedScoped, Import, ReadScore, Reports, Scoped, SendMail};
use super::shared::{
    self, BenchmarkQuery, LangQuery, OrganisationItem, bytes_response, is_json,
    organisation_report, param, parse_lang, parse_report, pdf_response, read_upload,
    visible_organisations,
};
use crate::app::{App, BenchmarkRequest, Delivery, DeliveryView, SendRequest, Sender};
use crate::db;
use crate::domain::access::Role;
use crate::import::{ImportOptions, ImportReport, OwnedImportRequest};
use crate::report;

pub mod advice;

/// `GET /api/v1/organisations`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationList {
    pub organisations: Vec<OrganisationItem>,
}

/// `POST …/send`: every recipient's message.
#[derive(Debug, Serialize, ToSchema)]
pub struct SendResult {
    #[schema(value_type = Vec<DeliveryView>)]
    pub deliveries: Vec<Delivery>,
}

/// `GET /api/v1/sends`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SendList {
    pub sends: Vec<db::sends::SendRecord>,
}

/// `GET /api/v1/organisations/{org}/outbox`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxList {
    pub messages: Vec<db::OutboxMessage>,
}

pub fn routes(upload_limit: usize) -> Routes {
    use Method as M;
    use Surface::Api as A;
    Routes::default()
        .add(A, M::GET, "/api/v1/catalogue", "The catalogue (as `blendscan framework --json`).", catalogue)
        .add(A, M::GET, "/api/v1/organisations", "The organisations this account may see.", organisations)
        .add_upload(
            A,
            "/api/v1/organisations/{org}/scans/{year}/imports",
            "Import a questionnaire file (multipart field `file`; `?dry_run=true` checks only).",
            upload_limit,
            import_file,
        )
        .add(A, M::GET, "/api/v1/organisations/{org}/scans/{year}/score", "The readiness score (as `blendscan score --json`).", score)
        .add(
            A,
            M::GET,
            "/api/v1/organisations/{org}/scans/{year}/reports/{report}",
            "A report as PDF: `{report}` is `selfscan.pdf` or `advice.pdf`; `?lang=nl|en`.",
            report_pdf,
        )
        .add(
            A,
            M::POST,
            "/api/v1/organisations/{org}/scans/{year}/reports/{report}/send",
            "E-mail a report (`selfscan` or `advice`) to management; body `{\"to\": [...], \"lang\", \"request_id\"}`, all optional.",
            send_report,
        )
        .merge(advice::routes())
        .add(A, M::GET, "/api/v1/sends", "Every request to e-mail a report — who, what, to how many (the admin only), newest first.", sends)
        .add(A, M::GET, "/api/v1/organisations/{org}/outbox", "The e-mails about this organisation's reports and their delivery status.", outbox)
        .add(
            A,
            M::GET,
            "/api/v1/federations/{fed}/scans/{year}/benchmark",
            "The anonymised benchmark of a federation's members; `?sector=`.",
            benchmark,
        )
}

async fn catalogue(State(app): State<App>, _: Viewer<Api>) -> Response {
    Json(&**app.catalogue()).into_response()
}

async fn organisations(
    State(app): State<App>,
    Viewer(p): Viewer<Api>,
) -> Result<Json<OrganisationList>> {
    let organisations = visible_organisations(&app, &p).await?;
    Ok(Json(OrganisationList { organisations }))
}

#[derive(Debug, Deserialize)]
struct ImportQuery {
    #[serde(default)]
    dry_run: bool,
    sheet: Option<String>,
    #[serde(default)]
    allow_partial: bool,
    replaces: Option<String>,
}

async fn import_file(
    State(app): State<App>,
    s: Scoped<Import, Api>,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Response> {
    let (file_name, bytes, _) = read_upload(multipart, &headers).await?;
    let options = ImportOptions {
        mapping: None,
        allow_partial: q.allow_partial,
        replaces: shared::parse_replaces(q.replaces.as_deref())?,
    };
    let request = OwnedImportRequest {
        organisation: s.org.slug.clone(),
        year: s.year(),
        file_name,
        bytes,
        sheet: q.sheet,
        dry_run: q.dry_run,
    };
    let report = app.import_with(request, options).await?;
    if !report.is_ok() {
        return Err(import_refused(&report).with_details(json!(report)));
    }
    let status = if report.stored {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report)).into_response())
}

/// Why a checked file was not stored, most basic reason first.
fn import_refused(report: &ImportReport) -> AppError {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let errors = report.errors.len() + report.errors_not_shown;
    if errors > 0 {
        let (nl, en) = match errors {
            1 => ("1 fout".to_owned(), "1 error".to_owned()),
            n => (format!("{n} fouten"), format!("{n} errors")),
        };
        return AppError::new(
            status,
            "import_rejected",
            format!("het bestand heeft {nl}; er is niets bewaard"),
            format!("the file has {en}; nothing was stored"),
        );
    }
    if let Some(r) = &report.resembles {
        let id = r.import;
        return AppError::new(
            status,
            "import_resembles",
            format!(
                "het bestand lijkt op import {id} ({}); er is niets bewaard: importeer opnieuw met `replaces={id}` als het die vervangt, of `replaces=none` als het nieuwe antwoorden zijn",
                r.file_name
            ),
            format!(
                "the file resembles import {id} ({}); nothing was stored: import again with `replaces={id}` if it replaces that one, or `replaces=none` if these are new answers",
                r.file_name
            ),
        );
    }
    AppError::new(
        status,
        "import_needs_confirmation",
        "kolommen die op vragen lijken werden niet ingelezen (zie de waarschuwingen); er is niets bewaard: importeer opnieuw met `allow_partial=true` om zonder ze te importeren",
        "columns that look like questions were not read (see the warnings); nothing was stored: import again with `allow_partial=true` to import without them",
    )
}

async fn score(State(app): State<App>, s: Scoped<ReadScore, Api>) -> Result<Response> {
    let scored = app.score(&s.org, s.year()).await?;
    Ok(bytes_response("application/json", scored.json.clone()))
}

async fn report_pdf(
    State(app): State<App>,
    s: Scoped<Reports, Api>,
    Path(params): Path<Vec<(String, String)>>,
    Query(q): Query<LangQuery>,
) -> Result<Response> {
    let kind = parse_report(&param(&params, "report"), true)?;
    let lang = parse_lang(q.lang.as_deref())?;
    let req = organisation_report(&s.org, s.year(), kind, lang);
    let pdf = app.render_report(&req, true).await?;
    Ok(pdf_response(&s.org, s.year(), kind, lang, pdf, false))
}

/// The body of `POST …/send`, every field optional (no body at all: the organisation's contacts,
/// in Dutch).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBody {
    /// Addresses to send to (management contacts of the organisation or of an allowed domain);
    /// none: the organisation's management contacts.
    #[serde(default)]
    #[schema(inline, value_type = Vec<String>)]
    to: Vec<String>,
    #[schema(value_type = Option<crate::domain::text::Lang>)]
    lang: Option<String>,
    /// The same id again sends nothing again (a retried or repeated request): 1 to
    /// [`MAX_REQUEST_ID_CHARS`] characters, no control characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000-\\u001f\\u007f]+$"
    )]
    request_id: Option<String>,
}

async fn send_report(
    State(app): State<App>,
    s: Scoped<SendMail, Api>,
    Path(params): Path<Vec<(String, String)>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<SendResult>> {
    let kind = parse_report(&param(&params, "report"), false)?;
    // No body: the organisation's contacts. A body is JSON, said so: a body sent without its
    // content type is refused, never read as "no recipients given".
    let body: SendBody = if body.iter().all(u8::is_ascii_whitespace) {
        SendBody::default()
    } else {
        if !is_json(&headers) {
            return Err(AppError::unsupported_media_type(
                "stuur de aanvraag als application/json",
                "send the request as application/json",
            ));
        }
        serde_json::from_slice(&body).map_err(|e| {
            // Not JSON at all: 400; JSON of the wrong shape (an unknown field): 422.
            let status = match e.classify() {
                serde_json::error::Category::Data => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::BAD_REQUEST,
            };
            AppError::new(
                status,
                "invalid_request",
                format!("de aanvraag is ongeldig: {e}"),
                format!("the request is invalid: {e}"),
            )
        })?
    };
    let lang = match body.lang.as_deref() {
        None => None,
        Some(l) => Some(parse_lang(Some(l))?),
    };
    if let Some(id) = &body.request_id {
        check_request_id(id)?;
    }
    let sent = app
        .send_report(&SendRequest {
            organisation: s.org.slug.clone(),
            year: s.year(),
            kind,
            to: body.to,
            lang,
            request_id: body.request_id,
            generated: report::today(),
            by: Sender::Account {
                user_id: s.viewer.user_id,
                admin: s.viewer.role == Role::Admin,
            },
        })
        .await?;
    Ok(Json(SendResult {
        deliveries: sent.deliveries,
    }))
}

/// The longest `request_id` of a send.
pub const MAX_REQUEST_ID_CHARS: usize = 200;

/// A request id is stored and compared as it is: 1 to [`MAX_REQUEST_ID_CHARS`] characters, no
/// control character (PostgreSQL cannot store a NUL in text).
fn check_request_id(id: &str) -> Result<()> {
    let n = id.chars().count();
    if n == 0 || n > MAX_REQUEST_ID_CHARS || id.chars().any(char::is_control) {
        return Err(AppError::bad_request(
            format!(
                "`request_id` heeft 1 tot {MAX_REQUEST_ID_CHARS} tekens zonder stuurtekens ({n} gegeven)"
            ),
            format!(
                "`request_id` is 1 to {MAX_REQUEST_ID_CHARS} characters without control characters ({n} given)"
            ),
        ));
    }
    Ok(())
}

async fn outbox(State(app): State<App>, s: Scoped<SendMail, Api>) -> Result<Json<OutboxList>> {
    let messages = db::outbox::organisation_outbox(app.db(), s.org.id).await?;
    Ok(Json(OutboxList { messages }))
}

async fn benchmark(
    State(app): State<App>,
    s: FedScoped<Api>,
    Query(q): Query<BenchmarkQuery>,
) -> Result<Json<crate::domain::scoring::BenchmarkReport>> {
    let (_, report) = app
        .benchmark(&BenchmarkRequest {
            federation: s.federation.slug.clone(),
            year: s.year,
            sector: q.sector,
            member: None,
        })
        .await?;
    Ok(Json(report))
}

async fn sends(State(app): State<App>, Viewer(p): Viewer<Api>) -> Result<Json<SendList>> {
    if p.installation() != crate::domain::access::Decision::Allow {
        return Err(AppError::forbidden());
    }
    let list = db::sends::list_sends(app.db(), 500).await?;
    Ok(Json(SendList { sends: list }))
}
