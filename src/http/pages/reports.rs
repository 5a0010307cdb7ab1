//! Pages about a scan's reports: the preview with its download and send form, the preview's page
//! images, and sending to management. Sending answers with a redirect to the delivery page, so a
//! refresh never sends again; the form's request id makes a second submit of the same form queue
//! nothing new. A year without a scan, or an advice report without an advice, gets a page that
//! says what is missing instead of broken previews.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::super::auth::{Page, PageViewer};
use super::super::error::{AppError, Result};
use super::super::routes::{Routes, Surface};
use super::super::scope::{Reports, Scoped, SendMail};
use super::super::shared::{self, LangQuery};
use super::views::{Ctx, render};
use crate::app::{App, SendRequest, Sender};
use crate::db::{self, Organisation};
use crate::domain::text::Lang;
use crate::report::{PREVIEW_PAGES, ReportKind};

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(
            P,
            M::GET,
            "/organisations/{org}/scans/{year}/reports/{report}",
            "A report: `selfscan`/`advice` is the preview page, `selfscan.pdf`/`advice.pdf` the PDF.",
            report,
        )
        .add(
            P,
            M::GET,
            "/organisations/{org}/scans/{year}/reports/{report}/pages/{page}",
            "Page `{page}` (1, 2, …) of a report as an SVG image, for the preview; `?lang=nl|en`.",
            report_page,
        )
        .add(
            P,
            M::POST,
            "/organisations/{org}/scans/{year}/reports/{report}/send",
            "E-mail a report to management; answers with a redirect to the delivery page.",
            send,
        )
        .add(
            P,
            M::GET,
            "/organisations/{org}/scans/{year}/reports/{report}/sent",
            "What became of a send: `?messages=1,2` (this organisation's messages only).",
            sent,
        )
}

/// What the send form shows again after a refusal, and the page's status.
#[derive(Debug, Default)]
struct SendState {
    to: String,
    error: Option<String>,
    status: StatusCode,
}

/// Why a report cannot be shown yet, and what to do.
fn missing(year: i32, kind: ReportKind, has_scan: bool) -> Option<minijinja::Value> {
    if !has_scan {
        return Some(minijinja::Value::from_serialize(json!({
            "nl": format!("Voor {year} is er nog geen scan: er is dus nog geen rapport."),
            "en": format!("There is no scan for {year} yet, so there is no report."),
            "next_nl": "Importeer eerst de vragenlijsten van dit jaar.",
            "next_en": "Import this year's questionnaires first.",
            "target": "import",
            "link_nl": "Vragenlijst importeren", "link_en": "Import questionnaire",
        })));
    }
    (kind == ReportKind::Advice).then(|| {
        minijinja::Value::from_serialize(json!({
            "nl": format!("Voor de scan {year} is er nog geen advies: het adviesrapport volgt zodra de procesbegeleider het schrijft."),
            "en": format!("There is no advice for the {year} scan yet: the advice report follows once the process counsellor writes it."),
            "next_nl": "Het zelfscanrapport is er al wel.",
            "next_en": "The self-scan report is ready already.",
            "target": "selfscan",
            "link_nl": "Zelfscanrapport", "link_en": "Self-scan report",
        }))
    })
}

/// The report page, with the send form as `state` left it.
async fn report_html(
    app: &App,
    v: &PageViewer,
    org: &Organisation,
    year: i32,
    kind: ReportKind,
    lang: Lang,
    state: SendState,
) -> Result<Response> {
    let status = state.status;
    let path = format!(
        "/organisations/{}/scans/{year}/reports/{}",
        org.slug,
        kind.code()
    );
    let scan = db::scans::scans_of(app.db(), org.id)
        .await?
        .into_iter()
        .find(|s| s.year == year);
    let absent = match &scan {
        None => missing(year, kind, false),
        Some(s) if kind == ReportKind::Advice => {
            match db::advice::advice_of_scan(app.db(), s.id).await? {
                Some(_) => None,
                None => missing(year, kind, true),
            }
        }
        Some(_) => None,
    };
    let status = if absent.is_some() && status == StatusCode::OK {
        StatusCode::NOT_FOUND
    } else {
        status
    };
    let contacts = db::contacts::contacts_of(app.db(), org.id)
        .await
        .unwrap_or_default();
    let html = render(
        "report.html",
        &Ctx::of(v, &path),
        minijinja::context! {
            org => json!({"slug": org.slug, "name": org.name}),
            year => year,
            kind => kind.code(),
            report_lang => lang.code(),
            contacts => contacts.iter().map(|c| c.email.clone()).collect::<Vec<_>>(),
            missing => absent,
            request_id => format!("{:032x}", rand::random::<u128>()),
            to => state.to,
            error => state.error,
        },
    );
    Ok((status, html).into_response())
}

async fn report(
    State(app): State<App>,
    s: Scoped<Reports, Page>,
    Path(params): Path<Vec<(String, String)>>,
    Query(q): Query<LangQuery>,
) -> Result<Response> {
    let raw = shared::param(&params, "report");
    let lang = shared::parse_lang(q.lang.as_deref().or(Some(s.viewer.lang.code())))?;
    if raw.ends_with(".pdf") {
        let kind = shared::parse_report(&raw, true)?;
        let req = shared::organisation_report(&s.org, s.year(), kind, lang);
        let pdf = app.render_report(&req, true).await?;
        return Ok(shared::pdf_response(
            &s.org,
            s.year(),
            kind,
            lang,
            pdf,
            true,
        ));
    }
    let kind = shared::parse_report(&raw, false)?;
    let state = SendState::default();
    report_html(&app, &s.viewer, &s.org, s.year(), kind, lang, state).await
}
async fn report_page(
    State(app): State<App>,
    s: Scoped<Reports, Page>,
    Path(params): Path<Vec<(String, String)>>,
    Query(q): Query<LangQuery>,
) -> Result<Response> {
    let kind = shared::parse_report(&shared::param(&params, "report"), false)?;
    let lang = shared::parse_lang(q.lang.as_deref().or(Some(s.viewer.lang.code())))?;
    let raw = shared::param(&params, "page");
    let page = raw
        .parse::<usize>()
        .ok()
        .filter(|p| (1..=PREVIEW_PAGES).contains(p))
        .ok_or_else(|| {
            AppError::bad_request(
                format!("pagina `{raw}`: het voorbeeld toont pagina 1 tot {PREVIEW_PAGES}"),
                format!("page `{raw}`: the preview shows pages 1 to {PREVIEW_PAGES}"),
            )
        })?;
    let req = shared::organisation_report(&s.org, s.year(), kind, lang);
    let svg = app
        .preview_report(&req, page)
        .await?
        .ok_or_else(|| AppError::not_found("pagina", "page", &page.to_string()))?;
    let mut res = shared::bytes_response("image/svg+xml", svg.into_bytes());
    // An image, never a document: no scripts, no outside resources.
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    res.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SendForm {
    csrf: Option<String>,
    to: Option<String>,
    lang: Option<String>,
    request_id: Option<String>,
}

async fn send(
    State(app): State<App>,
    s: Scoped<SendMail, Page>,
    Path(params): Path<Vec<(String, String)>>,
    form: std::result::Result<Form<SendForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response> {
    let Ok(Form(form)) = form else {
        return Err(AppError::bad_request(
            "het formulier is onvolledig",
            "the form is incomplete",
        ));
    };
    s.viewer.check_csrf(form.csrf.as_deref())?;
    let kind = shared::parse_report(&shared::param(&params, "report"), false)?;
    let typed = form.to.clone().unwrap_or_default();
    let to: Vec<String> = typed
        .split([',', ';', '\n', ' '])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect();
    let lang = match form.lang.as_deref() {
        None | Some("") | Some("contact") => None,
        Some(l) => Some(shared::parse_lang(Some(l))?),
    };
    let request = SendRequest {
        organisation: s.org.slug.clone(),
        year: s.year(),
        kind,
        to,
        lang,
        request_id: form.request_id.filter(|r| !r.is_empty()),
        generated: crate::report::today(),
        by: Sender::Account {
            user_id: s.viewer.principal.user_id,
            admin: s.viewer.principal.role == crate::domain::access::Role::Admin,
        },
    };
    match app.send_report(&request).await {
        Ok(sent) => {
            let ids: Vec<String> = sent
                .deliveries
                .iter()
                .map(|d| d.message.id.to_string())
                .collect();
            Ok(Redirect::to(&format!(
                "/organisations/{}/scans/{}/reports/{}/sent?messages={}",
                s.org.slug,
                s.year(),
                kind.code(),
                ids.join(",")
            ))
            .into_response())
        }
        Err(e) => {
            let (error, status) = AppError::from(e).beside_form(s.viewer.lang)?;
            let state = SendState {
                to: typed,
                error: Some(error),
                status,
            };
            let lang = s.viewer.lang;
            report_html(&app, &s.viewer, &s.org, s.year(), kind, lang, state).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SentQuery {
    messages: String,
}

async fn sent(
    State(app): State<App>,
    s: Scoped<SendMail, Page>,
    Path(params): Path<Vec<(String, String)>>,
    Query(q): Query<SentQuery>,
) -> Result<Response> {
    let kind = shared::parse_report(&shared::param(&params, "report"), false)?;
    let wanted: Vec<i32> = q
        .messages
        .split(',')
        .filter_map(|x| x.trim().parse().ok())
        .take(1000)
        .collect();
    // Only this organisation's messages: an id of another tenant's shows nothing.
    let outbox = db::outbox::organisation_outbox(app.db(), s.org.id).await?;
    let deliveries: Vec<serde_json::Value> = outbox
        .iter()
        .filter(|m| wanted.contains(&m.id))
        .map(|m| {
            json!({
                "recipient": m.recipients.join(", "),
                "status": m.status.code(),
                "attempts": m.attempts,
                "last_error": m.last_error,
            })
        })
        .collect();
    let path = format!(
        "/organisations/{}/scans/{}/reports/{}",
        s.org.slug,
        s.year(),
        kind.code()
    );
    Ok(render(
        "sent.html",
        &Ctx::of(&s.viewer, &path),
        minijinja::context! {
            org => json!({"slug": s.org.slug, "name": s.org.name}),
            year => s.year(),
            kind => kind.code(),
            deliveries => deliveries,
            outbox => outbox.iter().rev().take(20).map(|m| json!({
                "id": m.id, "to": m.recipients.join(", "), "subject": m.subject,
                "status": m.status.code(), "attempts": m.attempts, "error": m.last_error,
            })).collect::<Vec<_>>(),
        },
    )
    .into_response())
}
