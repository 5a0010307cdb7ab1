//! `/api/v1`: the JSON API. Each handler takes a scoped extractor (see `scope`), calls the same
//! library function as the CLI and answers JSON (or the PDF).

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::auth::{Api, Viewer};
use super::error::AppError;
use super::scope::{Advise, FedScoped, Import, ReadScore, Reports, Scoped, SendMail};
use super::shared::{
    BenchmarkQuery, LangQuery, benchmark_of, param, parse_lang, parse_report, pdf_response,
    read_upload, render_report, run_import, send_now, visible_organisations,
};
use super::{AppState, Routes, Surface, bytes_response};
use crate::db;
use crate::report;

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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SendBody {
    #[serde(default)]
    to: Vec<String>,
    lang: Option<String>,
    request_id: Option<String>,
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
