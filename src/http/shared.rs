//! What the JSON API and the web pages both do with a request before and after calling the app:
//! read its parameters and upload, list the organisations an account may see, answer a PDF. Each
//! takes an organisation or federation that already passed the tenant guard (`scope`).

use axum::body::Body;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::error::AppError;
use crate::app::{App, ReportRequest, Subject};
use crate::db::{self, Organisation};
use crate::domain::access::{Decision, OrgAction};
use crate::domain::text::Lang;
use crate::import::Replaces;
use crate::mail::message::attachment_name;
use crate::report::{self, ReportKind};

/// An organisation in a list, with what this account may do with it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationItem {
    #[serde(flatten)]
    pub organisation: Organisation,
    /// `full`, or `list` (a federation analyst sees members but not their data).
    #[schema(inline, value_type = String, pattern = "^(full|list)$")]
    pub access: &'static str,
}

/// The organisations a principal may see, with their access.
pub async fn visible_organisations(
    app: &App,
    principal: &crate::domain::access::Principal,
) -> Result<Vec<OrganisationItem>, AppError> {
    let refs = db::organisations::organisation_refs(app.db()).await?;
    let all = db::organisations::list_organisations(app.db()).await?;
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
        return Err(AppError::unsupported_media_type(
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

/// Whether an uploaded file replaces an earlier import: absent or empty (not asked yet), an import's
/// id, or `none`.
pub fn parse_replaces(raw: Option<&str>) -> Result<Replaces, AppError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(Replaces::Unasked),
        Some(v) => Replaces::parse(v).ok_or_else(|| {
            AppError::bad_request(
                format!("replaces `{v}`: geef het nummer van een import of `none`"),
                format!("replaces `{v}`: give the number of an import or `none`"),
            )
        }),
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
pub fn organisation_report(
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

#[derive(Debug, Deserialize)]
pub struct BenchmarkQuery {
    pub sector: Option<String>,
}

/// A response body from bytes with a content type.
pub fn bytes_response(content_type: &'static str, bytes: impl Into<Body>) -> Response {
    ([(header::CONTENT_TYPE, content_type)], bytes.into()).into_response()
}

/// Whether the request says its body is JSON.
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.trim_start().starts_with("application/json"))
}
