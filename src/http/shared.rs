//! What the JSON API and the web pages both do with a request: read its parameters and upload,
//! import, render, preview and send reports, list organisations and outbox, build a benchmark. Each
//! takes an organisation or federation that already passed the tenant guard (`scope`).

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::error::AppError;
use super::{AppState, bytes_response};
use crate::db::{self, Organisation, OutboxMessage};
use crate::domain::access::{Decision, OrgAction};
use crate::domain::scoring::{BenchmarkInput, Scorer};
use crate::domain::text::Lang;
use crate::import::{self, ImportReport, OwnedImportRequest};
use crate::mail::message::attachment_name;
use crate::mail::send::{self, QueuedMail, ReportSources, SendRequest};
use crate::report::{self, ReportKind, ReportRequest, Subject};

/// An organisation in a list, with what this account may do with it.
#[derive(Debug, Serialize)]
pub struct OrganisationItem {
    #[serde(flatten)]
    pub organisation: Organisation,
    /// `full`, or `list` (a federation analyst sees members but not their data).
    pub access: &'static str,
}

/// The organisations a principal may see, with their access.
pub async fn visible_organisations(
    state: &AppState,
    principal: &crate::domain::access::Principal,
) -> Result<Vec<OrganisationItem>, AppError> {
    let refs = db::organisation_refs(&state.db).await?;
    let all = db::list_organisations(&state.db).await?;
    let mut out = Vec::new();
    for org in all {
        let Some((_, r)) = refs.iter().find(|(slug, _)| *slug == org.slug) else {
            continue;
        };
        if principal.organisation(*r, OrgAction::List) != Decision::Allow {
            continue;
        }
        let access = if principal.organisation(*r, OrgAction::ReadScore) == Decision::Allow {
            "full"
        } else {
            "list"
        };
        out.push(OrganisationItem {
            organisation: org,
            access,
        });
    }
    Ok(out)
}

/// Read the `file` field of a multipart upload.
pub async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
    headers: &HeaderMap,
) -> Result<(String, Vec<u8>, Vec<(String, String)>), AppError> {
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "stuur het bestand als multipart/form-data in het veld `file`",
            "send the file as multipart/form-data in the field `file`",
        ));
    }
    let mut multipart = multipart.map_err(|e| upload_error(e.status(), &e.body_text()))?;
    let mut file = None;
    let mut fields = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(upload_error(e.status(), &e.body_text())),
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let file_name = field
                .file_name()
                .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "upload".to_owned());
            let bytes = field
                .bytes()
                .await
                .map_err(|e| upload_error(e.status(), &e.body_text()))?;
            file = Some((file_name, bytes.to_vec()));
        } else {
            let value = field
                .text()
                .await
                .map_err(|e| upload_error(e.status(), &e.body_text()))?;
            fields.push((name, value));
        }
    }
    let (name, bytes) = file.ok_or_else(|| {
        AppError::bad_request(
            "het veld `file` ontbreekt: kies een bestand",
            "the field `file` is missing: choose a file",
        )
    })?;
    Ok((name, bytes, fields))
}

fn upload_error(status: StatusCode, text: &str) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::new(
            status,
            "payload_too_large",
            "het bestand is groter dan de limiet voor uploads",
            "the file is larger than the upload limit",
        )
    } else {
        AppError::bad_request(
            format!("de upload is onleesbaar: {text}"),
            format!("the upload cannot be read: {text}"),
        )
    }
}

/// Run an import for an upload; errors in the file answer 422 with the report in `details`.
pub async fn run_import(
    state: &AppState,
    org: &Organisation,
    year: i32,
    file_name: String,
    bytes: Vec<u8>,
    sheet: Option<String>,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let req = OwnedImportRequest {
        organisation: org.slug.clone(),
        year,
        file_name,
        bytes,
        sheet: sheet.filter(|s| !s.trim().is_empty()),
        dry_run,
    };
    Ok(import::run_off_runtime(
        &state.db,
        state.catalogue.clone(),
        state.limits.clone(),
        req,
    )
    .await?)
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

/// `nl` (default) or `en`.
pub fn parse_lang(raw: Option<&str>) -> Result<Lang, AppError> {
    match raw.map(str::trim) {
        None | Some("") | Some("nl") => Ok(Lang::Nl),
        Some("en") => Ok(Lang::En),
        Some(other) => Err(AppError::bad_request(
            format!("taal `{other}`: kies nl of en"),
            format!("language `{other}`: choose nl or en"),
        )),
    }
}

/// `selfscan` or `advice` (with `.pdf` when `pdf`).
pub fn parse_report(raw: &str, pdf: bool) -> Result<ReportKind, AppError> {
    let name = if pdf {
        raw.strip_suffix(".pdf")
    } else {
        Some(raw)
    };
    match name.and_then(|n| n.parse::<ReportKind>().ok()) {
        Some(k @ (ReportKind::SelfScan | ReportKind::Advice)) => Ok(k),
        _ => Err(AppError::not_found("rapport", "report", raw)),
    }
}

/// Today's report of `kind` about an organisation's scan.
fn organisation_report(
    org: &Organisation,
    year: i32,
    kind: ReportKind,
    lang: Lang,
) -> ReportRequest {
    ReportRequest {
        kind,
        subject: Subject::Organisation(org.slug.clone()),
        year,
        lang,
        generated: report::today(),
    }
}

/// Page `page` of an organisation's report as SVG, for the preview; 404 when there is no such page.
pub async fn preview_report(
    state: &AppState,
    org: &Organisation,
    year: i32,
    kind: ReportKind,
    lang: Lang,
    page: usize,
) -> Result<String, AppError> {
    let req = organisation_report(org, year, kind, lang);
    report::render_preview(
        &state.db,
        &state.catalogue,
        &state.config,
        &state.renderer,
        &req,
        page,
    )
    .await?
    .ok_or_else(|| AppError::not_found("pagina", "page", &page.to_string()))
}

/// Render (and keep) an organisation's report.
pub async fn render_report(
    state: &AppState,
    org: &Organisation,
    year: i32,
    kind: ReportKind,
    lang: Lang,
) -> Result<Vec<u8>, AppError> {
    let req = organisation_report(org, year, kind, lang);
    Ok(report::render_and_store(
        &state.db,
        &state.catalogue,
        &state.config,
        &state.renderer,
        &req,
        true,
    )
    .await?)
}

/// A PDF as a download.
pub fn pdf_response(
    org: &Organisation,
    year: i32,
    kind: ReportKind,
    lang: Lang,
    pdf: Vec<u8>,
    inline: bool,
) -> Response {
    let name = attachment_name(&org.slug, year, kind.code(), lang);
    let disposition = format!(
        "{}; filename=\"{name}\"",
        if inline { "inline" } else { "attachment" }
    );
    let mut res = bytes_response("application/pdf", pdf);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// A path parameter from `Path<Vec<(String, String)>>`.
pub fn param(params: &[(String, String)], name: &str) -> String {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// What became of one recipient's message.
#[derive(Debug, Serialize)]
pub struct Delivery {
    pub id: i32,
    pub recipient: String,
    pub status: db::OutboxStatus,
    pub attempts: i32,
    pub message_id: String,
    pub last_error: Option<String>,
    pub newly_queued: bool,
}

/// Queue a report for its recipients and attempt delivery now; the status per recipient.
pub async fn send_now(
    state: &AppState,
    org: &Organisation,
    year: i32,
    kind: ReportKind,
    to: Vec<String>,
    lang: Option<Lang>,
    request_id: Option<String>,
) -> Result<Vec<Delivery>, AppError> {
    let req = SendRequest {
        organisation: org.slug.clone(),
        year,
        kind,
        to,
        lang,
        request_id,
        generated: report::today(),
    };
    let sources = ReportSources {
        catalogue: &state.catalogue,
        config: &state.config,
        renderer: &state.renderer,
    };
    let queued: Vec<QueuedMail> =
        send::queue_report(&state.db, sources, state.mailer.from(), &req).await?;
    let due: Vec<i32> = queued
        .iter()
        .filter(|q| q.message.status == db::OutboxStatus::Queued)
        .map(|q| q.message.id)
        .collect();
    if let Err(e) = state.mailer.deliver(&due).await {
        // Queued all the same: the background worker tries again.
        tracing::warn!(error = %e, "delivery after send failed; the worker will retry");
    }
    let ids: Vec<i32> = queued.iter().map(|q| q.message.id).collect();
    let messages = db::outbox_messages(&state.db, &ids).await?;
    Ok(queued
        .iter()
        .filter_map(|q| {
            let m = messages.iter().find(|m| m.id == q.message.id)?;
            Some(Delivery {
                id: m.id,
                recipient: q.recipient.clone(),
                status: m.status,
                attempts: m.attempts,
                message_id: m.message_id.clone(),
                last_error: m.last_error.clone(),
                newly_queued: q.newly_queued,
            })
        })
        .collect())
}

/// Messages of an organisation, for pages too.
pub async fn organisation_outbox(
    state: &AppState,
    org: &Organisation,
) -> Result<Vec<OutboxMessage>, AppError> {
    Ok(db::organisation_outbox(&state.db, org.id).await?)
}

#[derive(Debug, Deserialize)]
pub struct BenchmarkQuery {
    pub sector: Option<String>,
}

/// The anonymised benchmark of a federation's members in a year.
pub async fn benchmark_of(
    state: &AppState,
    federation: &db::Federation,
    year: i32,
    sector: Option<String>,
) -> Result<crate::domain::scoring::BenchmarkReport, AppError> {
    let (_, scans) = db::benchmark_inputs(&state.db, &federation.slug, year).await?;
    if scans.is_empty() {
        return Err(AppError::not_found(
            &format!("scan {year} van een lid van"),
            &format!("a {year} scan of a member of"),
            &federation.slug,
        ));
    }
    let input = BenchmarkInput {
        federation: federation.slug.clone(),
        year,
        sector: sector
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        member: None,
        scans,
    };
    Scorer::new(&state.catalogue, state.config.clone())
        .benchmark(&input)
        .map_err(|e| AppError::bad_request(e.to_string(), e.to_string()))
}
