//! `/api/v1`: the JSON API. Each handler takes a scoped extractor (see `scope`), calls the same
//! library function as the CLI and answers JSON (or the PDF).

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::auth::{Api, Viewer};
use super::error::AppError;
use super::scope::{Advise, FedScoped, Import, ReadScore, Reports, Scoped, SendMail};
use super::{AppState, Routes, Surface, bytes_response};
use crate::db::{self, Organisation, OutboxMessage};
use crate::domain::access::{Decision, OrgAction};
use crate::domain::scoring::{BenchmarkInput, Scorer};
use crate::domain::text::Lang;
use crate::import::{self, ImportReport, OwnedImportRequest};
use crate::mail::message::attachment_name;
use crate::mail::send::{self, QueuedMail, ReportSources, SendRequest};
use crate::report::{self, ReportKind, ReportRequest, Subject};

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Api as A;
    Routes::default()
        .add(A, M::GET, "/api/v1/catalogue", "The catalogue (as `blendscan framework --json`).", catalogue)
        .add(A, M::GET, "/api/v1/organisations", "The organisations this account may see.", organisations)
        .add(
            A,
            M::POST,
            "/api/v1/organisations/{org}/scans/{year}/imports",
            "Import a questionnaire file (multipart field `file`; `?dry_run=true` checks only).",
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
        .add(
            A,
            M::GET,
            "/api/v1/organisations/{org}/scans/{year}/advice",
            "The process counsellor's advice and action plan of a scan (as `blendscan advice show`).",
            advice_get,
        )
        .add(
            A,
            M::PUT,
            "/api/v1/organisations/{org}/scans/{year}/advice",
            "Store the advice and action plan of a scan: a JSON body in the format of `blendscan advice set`; replaces the previous one.",
            advice_put,
        )
        .add(A, M::GET, "/api/v1/organisations/{org}/outbox", "The e-mails about this organisation's reports and their delivery status.", outbox)
        .add(
            A,
            M::GET,
            "/api/v1/federations/{fed}/scans/{year}/benchmark",
            "The anonymised benchmark of a federation's members; `?sector=`.",
            benchmark,
        )
}

async fn catalogue(State(state): State<AppState>, _: Viewer<Api>) -> Response {
    Json(&*state.catalogue).into_response()
}

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

async fn organisations(State(state): State<AppState>, Viewer(p): Viewer<Api>) -> Response {
    match visible_organisations(&state, &p).await {
        Ok(list) => Json(json!({ "organisations": list })).into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct ImportQuery {
    #[serde(default)]
    dry_run: bool,
    sheet: Option<String>,
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

async fn import_file(
    State(state): State<AppState>,
    s: Scoped<Import, Api>,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let (name, bytes, _) = match read_upload(multipart, &headers).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    match run_import(&state, &s.org, s.year(), name, bytes, q.sheet, q.dry_run).await {
        Ok(report) if !report.is_ok() => AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "import_rejected",
            format!(
                "het bestand heeft {} fout(en); er is niets bewaard",
                report.errors.len() + report.errors_not_shown
            ),
            format!(
                "the file has {} error(s); nothing was stored",
                report.errors.len() + report.errors_not_shown
            ),
        )
        .with_details(json!(report))
        .into_response(),
        Ok(report) if report.stored => (StatusCode::CREATED, Json(report)).into_response(),
        Ok(report) => Json(report).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn score(State(state): State<AppState>, s: Scoped<ReadScore, Api>) -> Response {
    match state.score(&s.org, s.year()).await {
        Ok(scored) => bytes_response("application/json", scored.json.clone()),
        Err(e) => e.into_response(),
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

/// Render (and keep) an organisation's report.
pub async fn render_report(
    state: &AppState,
    org: &Organisation,
    year: i32,
    kind: ReportKind,
    lang: Lang,
) -> Result<Vec<u8>, AppError> {
    let req = ReportRequest {
        kind,
        subject: Subject::Organisation(org.slug.clone()),
        year,
        lang,
        generated: report::today(),
    };
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

async fn report_pdf(
    State(state): State<AppState>,
    s: Scoped<Reports, Api>,
    axum::extract::Path(params): axum::extract::Path<Vec<(String, String)>>,
    Query(q): Query<LangQuery>,
) -> Response {
    let raw = param(&params, "report");
    let result = async {
        let kind = parse_report(&raw, true)?;
        let lang = parse_lang(q.lang.as_deref())?;
        let pdf = render_report(&state, &s.org, s.year(), kind, lang).await?;
        Ok::<_, AppError>(pdf_response(&s.org, s.year(), kind, lang, pdf, false))
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}

/// A path parameter from `Path<Vec<(String, String)>>`.
pub fn param(params: &[(String, String)], name: &str) -> String {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SendBody {
    #[serde(default)]
    to: Vec<String>,
    lang: Option<String>,
    request_id: Option<String>,
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

async fn send_report(
    State(state): State<AppState>,
    s: Scoped<SendMail, Api>,
    axum::extract::Path(params): axum::extract::Path<Vec<(String, String)>>,
    body: Option<Json<SendBody>>,
) -> Response {
    let raw = param(&params, "report");
    let result = async {
        let kind = parse_report(&raw, false)?;
        let body = body.map(|Json(b)| b).unwrap_or_default();
        let lang = match body.lang.as_deref() {
            None => None,
            Some(l) => Some(parse_lang(Some(l))?),
        };
        let deliveries = send_now(
            &state,
            &s.org,
            s.year(),
            kind,
            body.to,
            lang,
            body.request_id,
        )
        .await?;
        Ok::<_, AppError>(Json(json!({ "deliveries": deliveries })).into_response())
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}

/// Largest advice body accepted (as `blendscan advice set`).
const MAX_ADVICE_BYTES: usize = 1 << 20;

async fn advice_get(State(state): State<AppState>, s: Scoped<ReadScore, Api>) -> Response {
    let result = async {
        let (_, scan) = report::scan_of(&state.db, &s.org.slug, s.year()).await?;
        match db::advice_of_scan(&state.db, scan.id).await? {
            Some(stored) => Ok(Json(report::advice::Advice::from_stored(stored)).into_response()),
            None => Err(AppError::not_found(
                &format!("advies voor scan {} van", s.year()),
                &format!("advice for the {} scan of", s.year()),
                &s.org.slug,
            )),
        }
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}

async fn advice_put(
    State(state): State<AppState>,
    s: Scoped<Advise, Api>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let result = async {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.trim_start().starts_with("application/json"));
        if !json {
            return Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
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
        let text = std::str::from_utf8(&body).map_err(|_| {
            AppError::bad_request(
                "het advies is geen UTF-8-tekst",
                "the advice is not UTF-8 text",
            )
        })?;
        let advice = report::advice::parse("advice.json", text, &state.catalogue).map_err(|e| {
            let problems = match &e {
                report::advice::AdviceError::Invalid { problems, .. } => problems.clone(),
                report::advice::AdviceError::Syntax { reason, .. } => vec![reason.clone()],
            };
            AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "advice_rejected",
                "het advies is niet bewaard: verbeter de problemen in `details`",
                "the advice was not stored: correct the problems in `details`",
            )
            .with_details(json!({ "problems": problems }))
        })?;
        let (_, scan) = report::scan_of(&state.db, &s.org.slug, s.year()).await?;
        db::replace_advice(&state.db, scan.id, &advice.to_stored()).await?;
        Ok(Json(advice).into_response())
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}

async fn outbox(State(state): State<AppState>, s: Scoped<SendMail, Api>) -> Response {
    match db::organisation_outbox(&state.db, s.org.id).await {
        Ok(messages) => Json(json!({ "messages": messages })).into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
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

async fn benchmark(
    State(state): State<AppState>,
    s: FedScoped<Api>,
    Query(q): Query<BenchmarkQuery>,
) -> Response {
    match benchmark_of(&state, &s.federation, s.year, q.sector).await {
        Ok(report) => Json(report).into_response(),
        Err(e) => e.into_response(),
    }
}
