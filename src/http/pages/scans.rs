//! Pages about organisations and their scans: the list, the dashboard, the upload, the report
//! preview and sending, the federation benchmark. Each takes a scoped extractor (see `scope`).

use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::super::auth::{Page, Viewer};
use super::super::error::{AppError, Result};
use super::super::routes::{Routes, Surface};
use super::super::scope::{FedScoped, Import, ReadScore, Reports, Scoped, SendMail};
use super::super::shared::{self, BenchmarkQuery, LangQuery};
use super::views::{self, Ctx, render};
use crate::app::{App, BenchmarkRequest, SendRequest, Sender};
use crate::db;
use crate::import::{ImportOptions, MappedColumn, MappingFile, OwnedImportRequest, Reason};
use crate::report::PREVIEW_PAGES;

pub fn routes(upload_limit: usize) -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(P, M::GET, "/organisations", "The organisations of this account.", organisations)
        .add(P, M::GET, "/organisations/{org}", "An organisation: to its latest scan.", organisation)
        .add(P, M::GET, "/organisations/{org}/scans/{year}", "The dashboard of a scan.", dashboard)
        .add(P, M::GET, "/organisations/{org}/scans/{year}/import", "The upload form.", upload_form)
        .add_upload(P, "/organisations/{org}/scans/{year}/import", "Upload a questionnaire file.", upload_limit, upload)
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

async fn organisations(State(app): State<App>, Viewer(v): Viewer<Page>) -> Result<Html<String>> {
    let list = shared::visible_organisations(&app, &v.principal).await?;
    let mut rows = Vec::new();
    for item in &list {
        let scans = db::scans::scans_of(app.db(), item.organisation.id)
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
        Some(id) => db::federations::federation_by_id(app.db(), id)
            .await
            .ok()
            .flatten(),
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
    Ok(render(
        "organisations.html",
        &Ctx::of(&v, "/organisations"),
        minijinja::context! { organisations => rows, federation => federation.map(|f| json!({"slug": f.slug, "name": f.name})), year => year },
    ))
}

async fn organisation(State(app): State<App>, s: Scoped<ReadScore, Page>) -> Result<Redirect> {
    let scans = db::scans::scans_of(app.db(), s.org.id).await?;
    let year = scans
        .iter()
        .map(|x| x.year)
        .max()
        .unwrap_or_else(|| chrono::Datelike::year(&chrono::Utc::now()));
    Ok(Redirect::to(&format!(
        "/organisations/{}/scans/{year}",
        s.org.slug
    )))
}

async fn dashboard(State(app): State<App>, s: Scoped<ReadScore, Page>) -> Result<Html<String>> {
    let v = &s.viewer;
    let path = format!("/organisations/{}/scans/{}", s.org.slug, s.year());
    let scans = db::scans::scans_of(app.db(), s.org.id).await?;
    let years: Vec<i32> = scans.iter().map(|x| x.year).collect();
    let board = if years.contains(&s.year()) {
        let scored = app.score(&s.org, s.year()).await?;
        Some(views::dashboard(app.catalogue(), &scored.report, v.lang))
    } else {
        None
    };
    Ok(render(
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
    State(app): State<App>,
    s: Scoped<Import, Page>,
    headers: HeaderMap,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Response> {
    let lang = s.viewer.lang;
    let (file_name, bytes, fields) = shared::read_upload(multipart, &headers).await?;
    let field = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    s.viewer.check_csrf(field("csrf"))?;
    let checked = |k: &str| field(k).is_some_and(|v| v == "on" || v == "true");
    // The review table's choices: `map:F` = a code or "" (no question), `header:F` = its header.
    let reviewed: Vec<MappedColumn> = fields
        .iter()
        .filter_map(|(name, code)| {
            let column = name.strip_prefix("map:")?;
            Some(MappedColumn {
                column: column.to_owned(),
                header: field(&format!("header:{column}")).unwrap_or("").to_owned(),
                code: Some(code.trim().to_owned()).filter(|c| !c.is_empty()),
                confidence: 1.0,
                reason: Reason::Mapping,
                candidates: Vec::new(),
                needs_confirmation: true,
            })
        })
        .collect();
    let options = ImportOptions {
        mapping: (!reviewed.is_empty()).then_some(MappingFile { columns: reviewed }),
        allow_partial: checked("allow_partial"),
    };
    let report = app
        .import_with(
            OwnedImportRequest {
                organisation: s.org.slug.clone(),
                year: s.year(),
                file_name,
                bytes,
                sheet: field("sheet").map(str::to_owned),
                dry_run: checked("dry_run"),
            },
            options,
        )
        .await?;
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
        "blocked": report.errors.is_empty() && report.blocked(),
        "review": report.mapping.iter().filter(|m| m.needs_confirmation).map(|m| json!({
            "column": m.column,
            "header": m.header,
            "code": m.code,
            "confidence": (m.confidence * 100.0).round(),
            "candidates": m.candidates,
        })).collect::<Vec<_>>(),
        "codes": if report.blocked() { all_codes(&app) } else { Vec::new() },
    }));
    Ok(upload_page(&s, Some(result), status))
}

/// Every code a review dropdown offers, in catalogue order.
fn all_codes(app: &App) -> Vec<String> {
    let c = app.catalogue();
    c.aspects
        .iter()
        .flat_map(|a| a.indicators.iter().map(|i| i.code.clone()))
        .chain(
            c.clusters
                .iter()
                .flat_map(|k| k.items.iter().map(|i| i.code.clone())),
        )
        .chain(
            c.checklists
                .iter()
                .flat_map(|k| k.items.iter().map(|i| i.code.clone())),
        )
        .collect()
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
    let path = format!(
        "/organisations/{}/scans/{}/reports/{}",
        s.org.slug,
        s.year(),
        kind.code()
    );
    let contacts = db::contacts::contacts_of(app.db(), s.org.id)
        .await
        .unwrap_or_default();
    Ok(render(
        "report.html",
        &Ctx::of(&s.viewer, &path),
        minijinja::context! {
            org => json!({"slug": s.org.slug, "name": s.org.name}),
            year => s.year(),
            kind => kind.code(),
            report_lang => lang.code(),
            contacts => contacts.iter().map(|c| c.email.clone()).collect::<Vec<_>>(),
        },
    )
    .into_response())
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

#[derive(Debug, Deserialize)]
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
) -> Result<Html<String>> {
    let Ok(Form(form)) = form else {
        return Err(AppError::bad_request(
            "het formulier is onvolledig",
            "the form is incomplete",
        ));
    };
    s.viewer.check_csrf(form.csrf.as_deref())?;
    let raw = shared::param(&params, "report");
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
    let sent = app
        .send_report(&SendRequest {
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
        })
        .await?;
    let path = format!(
        "/organisations/{}/scans/{}/reports/{}",
        s.org.slug,
        s.year(),
        raw
    );
    let outbox = db::outbox::organisation_outbox(app.db(), s.org.id)
        .await
        .unwrap_or_default();
    Ok(render(
        "sent.html",
        &Ctx::of(&s.viewer, &path),
        minijinja::context! {
            org => json!({"slug": s.org.slug, "name": s.org.name}),
            year => s.year(),
            kind => raw,
            deliveries => minijinja::Value::from_serialize(&sent.deliveries),
            outbox => outbox.iter().rev().take(20).map(|m| json!({
                "id": m.id, "to": m.recipients.join(", "), "subject": m.subject,
                "status": m.status, "attempts": m.attempts, "error": m.last_error,
            })).collect::<Vec<_>>(),
        },
    ))
}

async fn benchmark(
    State(app): State<App>,
    s: FedScoped<Page>,
    Query(q): Query<BenchmarkQuery>,
) -> Result<Html<String>> {
    let lang = s.viewer.lang;
    let (_, report) = app
        .benchmark(&BenchmarkRequest {
            federation: s.federation.slug.clone(),
            year: s.year,
            sector: q.sector.clone(),
            member: None,
        })
        .await?;
    let name = |code: &str| {
        app.catalogue()
            .aspect(code)
            .map_or_else(|| code.to_owned(), |a| a.name.get(lang).to_owned())
    };
    let fmt = |x: Option<f64>| crate::domain::format::opt(x, 0, lang);
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
    Ok(render(
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
