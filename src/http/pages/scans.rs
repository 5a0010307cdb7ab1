//! Pages about organisations and their scans: the list, the dashboard, the upload, the report
//! preview and sending. Each takes a scoped extractor (see `scope`).

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

use super::super::auth::{Page, Viewer};
use super::super::error::Result;
use super::super::routes::{Routes, Surface};
use super::super::scope::{Import, ReadScore, Scoped};
use super::super::shared;
use super::views::{self, Ctx, render};
use crate::app::App;
use crate::db;
use crate::import::{ImportOptions, MappedColumn, MappingFile, OwnedImportRequest, Reason};

pub fn routes(upload_limit: usize) -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(
            P,
            M::GET,
            "/organisations",
            "The organisations of this account.",
            organisations,
        )
        .add(
            P,
            M::GET,
            "/organisations/{org}",
            "An organisation: to its latest scan.",
            organisation,
        )
        .add(
            P,
            M::GET,
            "/organisations/{org}/scans/{year}",
            "The dashboard of a scan.",
            dashboard,
        )
        .add(
            P,
            M::GET,
            "/organisations/{org}/scans/{year}/import",
            "The upload form.",
            upload_form,
        )
        .add_upload(
            P,
            "/organisations/{org}/scans/{year}/import",
            "Upload a questionnaire file.",
            upload_limit,
            upload,
        )
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

/// The dashboard of a scan; a year without a scan answers 404 (as the API does) with a page that says
/// so and offers to start it.
async fn dashboard(State(app): State<App>, s: Scoped<ReadScore, Page>) -> Result<Response> {
    let v = &s.viewer;
    let path = format!("/organisations/{}/scans/{}", s.org.slug, s.year());
    let scans = db::scans::scans_of(app.db(), s.org.id).await?;
    let years: Vec<i32> = scans.iter().map(|x| x.year).collect();
    let started = years.contains(&s.year());
    let board = if started {
        let scored = app.score(&s.org, s.year()).await?;
        // A scan just started has no answers yet: the page says so instead of an empty board.
        (scored.report.respondents > 0)
            .then(|| views::dashboard(app.catalogue(), &scored.report, v.lang))
    } else {
        None
    };
    let roles: Vec<serde_json::Value> = app
        .catalogue()
        .role_profiles
        .iter()
        .map(|r| json!({"code": r.code, "name": r.name.get(v.lang)}))
        .collect();
    let status = if started {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let html = render(
        "dashboard.html",
        &Ctx::of(v, &path),
        minijinja::context! {
            org => json!({"slug": s.org.slug, "name": s.org.name, "sector": s.org.sector}),
            year => s.year(),
            years => years,
            board => board,
            started => started,
            startable => super::cycle::startable_years(),
            roles => roles,
        },
    );
    Ok((status, html).into_response())
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
        replaces: shared::parse_replaces(field("replaces"))?,
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
        "resembles": report.resembles.as_ref().filter(|_| report.errors.is_empty()).map(|r| json!({
            "import": r.import,
            "file": r.file_name,
            "when": r.imported_at.format("%d-%m-%Y %H:%M").to_string(),
            "equal": r.equal_rows,
            "rows": r.rows,
        })),
        // What the user already decided, carried into the form that asks about the resemblance.
        "confirmed": report.mapping.iter().filter(|m| m.reason == Reason::Mapping).map(|m| json!({
            "column": m.column, "header": m.header, "code": m.code,
        })).collect::<Vec<_>>(),
        "partial_allowed": report.partial_allowed,
        "replaced_import": report.replaced_import.map(|r| json!({"import": r.import, "removed": r.removed})),
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
