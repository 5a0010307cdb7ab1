//! Pages about organisations and their scans: the list, the dashboard, the upload, the report
//! preview and sending, the federation benchmark. Each takes a scoped extractor (see `scope`).

use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::super::auth::{Page, Viewer};
use super::super::error::AppError;
use super::super::scope::{FedScoped, Import, ReadScore, Reports, Scoped, SendMail};
use super::super::shared::{self, BenchmarkQuery, LangQuery};
use super::super::{AppState, Routes, Surface};
use super::page;
use super::views::{self, Ctx, render};
use crate::db;

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(P, M::GET, "/organisations", "The organisations of this account.", organisations)
        .add(P, M::GET, "/organisations/{org}", "An organisation: to its latest scan.", organisation)
        .add(P, M::GET, "/organisations/{org}/scans/{year}", "The dashboard of a scan.", dashboard)
        .add(P, M::GET, "/organisations/{org}/scans/{year}/import", "The upload form.", upload_form)
        .add(P, M::POST, "/organisations/{org}/scans/{year}/import", "Upload a questionnaire file.", upload)
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
        .add(P, M::POST, "/organisations/{org}/scans/{year}/reports/{report}/send", "E-mail a report to management.", send)
        .add(P, M::GET, "/federations/{fed}/scans/{year}/benchmark", "A federation's benchmark.", benchmark)
}

async fn organisations(State(state): State<AppState>, Viewer(v): Viewer<Page>) -> Response {
    let list = match shared::visible_organisations(&state, &v.principal).await {
        Ok(l) => l,
        Err(e) => return e.on_page(v.lang).into_response(),
    };
    let mut rows = Vec::new();
    for item in &list {
        let scans = db::scans_of(&state.db, item.organisation.id)
            .await
            .unwrap_or_default();
        rows.push(json!({
            "slug": item.organisation.slug,
            "name": item.organisation.name,
            "sector": item.organisation.sector,
            "full": item.access == "full",
            "years": scans.iter().map(|s| s.year).collect::<Vec<_>>(),
        }));
    }
    let federation = match v.principal.federation_id {
        Some(id) => db::federation_by_id(&state.db, id).await.ok().flatten(),
        None => None,
    };
    let year = rows
        .iter()
        .filter_map(|r| {
            r["years"]
                .as_array()?
                .iter()
                .filter_map(|y| y.as_i64())
                .max()
        })
        .max();
    page(render(
        "organisations.html",
        &Ctx::of(&v, "/organisations"),
        minijinja::context! { organisations => rows, federation => federation.map(|f| json!({"slug": f.slug, "name": f.name})), year => year },
    ))
}

async fn organisation(State(state): State<AppState>, s: Scoped<ReadScore, Page>) -> Response {
    let scans = match db::scans_of(&state.db, s.org.id).await {
        Ok(x) => x,
        Err(e) => return s.fail(e),
    };
    let year = scans
        .iter()
        .map(|x| x.year)
        .max()
        .unwrap_or_else(|| chrono::Datelike::year(&chrono::Utc::now()));
    Redirect::to(&format!("/organisations/{}/scans/{year}", s.org.slug)).into_response()
}

async fn dashboard(State(state): State<AppState>, s: Scoped<ReadScore, Page>) -> Response {
    let v = &s.viewer;
    let path = format!("/organisations/{}/scans/{}", s.org.slug, s.year());
    let scans = match db::scans_of(&state.db, s.org.id).await {
        Ok(x) => x,
        Err(e) => return s.fail(e),
    };
    let years: Vec<i32> = scans.iter().map(|x| x.year).collect();
    let board = if years.contains(&s.year()) {
        match state.score(&s.org, s.year()).await {
            Ok(scored) => Some(views::dashboard(&state.catalogue, &scored.report, v.lang)),
            Err(e) => return s.fail(e),
        }
    } else {
        None
    };
    page(render(
        "dashboard.html",
        &Ctx::of(v, &path),
        minijinja::context! {
            org => json!({"slug": s.org.slug, "name": s.org.name, "sector": s.org.sector}),
            year => s.year(),
            years => years,
            board => board,
        },
    ))
}

async fn upload_form(s: Scoped<Import, Page>) -> Response {
    upload_page(&s, None, StatusCode::OK)
}

fn upload_page(
    s: &Scoped<Import, Page>,
    result: Option<minijinja::Value>,
    status: StatusCode,
) -> Response {
    let path = format!("/organisations/{}/scans/{}/import", s.org.slug, s.year());
    let html = render(
        "upload.html",
        &Ctx::of(&s.viewer, &path),
        minijinja::context! {
            org => json!({"slug": s.org.slug, "name": s.org.name}),
            year => s.year(),
            result => result,
        },
    );
    (status, html).into_response()
}

async fn upload(
    State(state): State<AppState>,
    s: Scoped<Import, Page>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = s.viewer.lang;
    let (name, bytes, fields) = match shared::read_upload(multipart, &headers).await {
        Ok(u) => u,
        Err(e) => return s.fail(e),
    };
    let field = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if let Err(e) = s.viewer.check_csrf(field("csrf")) {
        return e.into_response();
    }
    let dry_run = field("dry_run").is_some_and(|v| v == "on" || v == "true");
    let sheet = field("sheet").map(str::to_owned);
    let report =
        match shared::run_import(&state, &s.org, s.year(), name, bytes, sheet, dry_run).await {
            Ok(r) => r,
            Err(e) => return s.fail(e),
        };
    let problems = |list: &[crate::import::Problem]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|p| json!({"cell": p.cell, "value": p.value, "message": p.message.get(lang)}))
            .collect()
    };
    let status = if report.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let result = minijinja::Value::from_serialize(json!({
        "ok": report.is_ok(),
        "stored": report.stored,
        "dry_run": report.dry_run,
        "already_imported": report.already_imported,
        "file": report.file,
        "sheet": report.sheet,
        "rows": report.rows,
        "respondents": report.respondents_imported,
        "answers": report.answers,
        "missing": report.missing_answers,
        "replaced": report.duplicates_replaced + report.older_submissions_ignored,
        "items": report.columns.indicators.len() + report.columns.competences.len() + report.columns.checklists.len(),
        "ignored": report.columns.ignored.iter().map(|c| format!("{} ({})", c.header, c.column)).collect::<Vec<_>>(),
        "errors": problems(&report.errors),
        "errors_not_shown": report.errors_not_shown,
        "warnings": problems(&report.warnings),
    }));
    upload_page(&s, Some(result), status)
}

async fn report(
    State(state): State<AppState>,
    s: Scoped<Reports, Page>,
    Path(params): Path<Vec<(String, String)>>,
    Query(q): Query<LangQuery>,
) -> Response {
    let raw = shared::param(&params, "report");
    let lang = match shared::parse_lang(q.lang.as_deref().or(Some(s.viewer.lang.code()))) {
        Ok(l) => l,
        Err(e) => return s.fail(e),
    };
    if raw.ends_with(".pdf") {
        let kind = match shared::parse_report(&raw, true) {
            Ok(k) => k,
            Err(e) => return s.fail(e),
        };
        return match shared::render_report(&state, &s.org, s.year(), kind, lang).await {
            Ok(pdf) => shared::pdf_response(&s.org, s.year(), kind, lang, pdf, true),
            Err(e) => s.fail(e),
        };
    }
    let kind = match shared::parse_report(&raw, false) {
        Ok(k) => k,
        Err(e) => return s.fail(e),
    };
    let path = format!(
        "/organisations/{}/scans/{}/reports/{}",
        s.org.slug,
        s.year(),
        kind.code()
    );
    let contacts = crate::db::contacts_of(&state.db, s.org.id)
        .await
        .unwrap_or_default();
    page(render(
        "report.html",
        &Ctx::of(&s.viewer, &path),
        minijinja::context! {
            org => json!({"slug": s.org.slug, "name": s.org.name}),
            year => s.year(),
            kind => kind.code(),
            report_lang => lang.code(),
            contacts => contacts.iter().map(|c| c.email.clone()).collect::<Vec<_>>(),
        },
    ))
}

use crate::report::PREVIEW_PAGES;

async fn report_page(
    State(state): State<AppState>,
    s: Scoped<Reports, Page>,
    Path(params): Path<Vec<(String, String)>>,
    Query(q): Query<LangQuery>,
) -> Response {
    let result = async {
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
        let svg = shared::preview_report(&state, &s.org, s.year(), kind, lang, page).await?;
        let mut res = super::super::bytes_response("image/svg+xml", svg.into_bytes());
        // An image, never a document: no scripts, no outside resources.
        res.headers_mut().insert(
            axum::http::header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
        );
        res.headers_mut().insert(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            axum::http::HeaderValue::from_static("nosniff"),
        );
        Ok::<_, AppError>(res)
    };
    result.await.unwrap_or_else(|e| s.fail(e))
}

#[derive(Debug, Deserialize)]
struct SendForm {
    csrf: Option<String>,
    to: Option<String>,
    lang: Option<String>,
    request_id: Option<String>,
}

async fn send(
    State(state): State<AppState>,
    s: Scoped<SendMail, Page>,
    Path(params): Path<Vec<(String, String)>>,
    form: Result<Form<SendForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return s.fail(AppError::bad_request(
            "het formulier is onvolledig",
            "the form is incomplete",
        ));
    };
    if let Err(e) = s.viewer.check_csrf(form.csrf.as_deref()) {
        return e.into_response();
    }
    let raw = shared::param(&params, "report");
    let result = async {
        let kind = shared::parse_report(&raw, false)?;
        let to: Vec<String> = form
            .to
            .as_deref()
            .unwrap_or("")
            .split([',', ';', '\n', ' '])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect();
        let lang = match form.lang.as_deref() {
            None | Some("") | Some("contact") => None,
            Some(l) => Some(shared::parse_lang(Some(l))?),
        };
        shared::send_now(
            &state,
            &s.org,
            s.year(),
            kind,
            to,
            lang,
            form.request_id.filter(|r| !r.is_empty()),
        )
        .await
    };
    let deliveries = match result.await {
        Ok(d) => d,
        Err(e) => return s.fail(e),
    };
    let path = format!(
        "/organisations/{}/scans/{}/reports/{}",
        s.org.slug,
        s.year(),
        raw
    );
    let outbox = shared::organisation_outbox(&state, &s.org)
        .await
        .unwrap_or_default();
    page(render(
        "sent.html",
        &Ctx::of(&s.viewer, &path),
        minijinja::context! {
            org => json!({"slug": s.org.slug, "name": s.org.name}),
            year => s.year(),
            kind => raw,
            deliveries => minijinja::Value::from_serialize(&deliveries),
            outbox => outbox.iter().rev().take(20).map(|m| json!({
                "id": m.id, "to": m.recipients.join(", "), "subject": m.subject,
                "status": m.status, "attempts": m.attempts, "error": m.last_error,
            })).collect::<Vec<_>>(),
        },
    ))
}

async fn benchmark(
    State(state): State<AppState>,
    s: FedScoped<Page>,
    Query(q): Query<BenchmarkQuery>,
) -> Response {
    let lang = s.viewer.lang;
    let report = match shared::benchmark_of(&state, &s.federation, s.year, q.sector.clone()).await {
        Ok(r) => r,
        Err(e) => return e.on_page(lang).into_response(),
    };
    let name = |code: &str| {
        state
            .catalogue
            .aspect(code)
            .map_or_else(|| code.to_owned(), |a| a.name.get(lang).to_owned())
    };
    let fmt = |x: Option<f64>| crate::report::format::opt(x, 0, lang);
    let dist = |d: Option<&crate::domain::scoring::Distribution>| {
        json!({
            "n": d.map_or(0, |d| d.n),
            "p25": fmt(d.map(|d| d.p25)), "median": fmt(d.map(|d| d.median)), "p75": fmt(d.map(|d| d.p75)),
            "lo": d.map_or(0.0, |d| d.p25), "hi": d.map_or(0.0, |d| d.p75), "mid": d.map_or(0.0, |d| d.median),
            "min": d.map_or(0.0, |d| d.min), "max": d.map_or(0.0, |d| d.max),
            "shown": d.is_some(),
        })
    };
    let groups: Vec<serde_json::Value> = report
        .groups
        .iter()
        .map(|g| {
            json!({
                "scope": g.scope,
                "sector": g.sector,
                "organisations": g.organisations,
                "overall": dist(g.overall.as_ref()),
                "aspects": g.aspects.iter().map(|a| {
                    let mut row = dist(a.distribution.as_ref());
                    row["code"] = json!(a.code);
                    row["name"] = json!(name(&a.code));
                    row
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let path = format!(
        "/federations/{}/scans/{}/benchmark",
        s.federation.slug, s.year
    );
    page(render(
        "benchmark.html",
        &Ctx::of(&s.viewer, &path),
        minijinja::context! {
            federation => json!({"slug": s.federation.slug, "name": s.federation.name}),
            year => s.year,
            sector => q.sector,
            members => report.organisations,
            min_group => report.min_comparison_group,
            groups => groups,
            notes => report.notes.iter().map(|n| n.text.get(lang).to_owned()).collect::<Vec<_>>(),
        },
    ))
}
