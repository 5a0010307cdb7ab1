//! A federation analyst's pages: the anonymised benchmark of the members, with a switcher over the
//! years that have enough members and over the sectors, and its downloads — the benchmark report
//! as PDF and the figures as CSV (one row per group and aspect; nothing about a single member).

use axum::extract::{Query, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::super::auth::Page;
use super::super::error::Result;
use super::super::routes::{Routes, Surface};
use super::super::scope::FedScoped;
use super::super::shared::{self, BenchmarkQuery};
use super::views::{Ctx, render};
use crate::app::{App, BenchmarkRequest, ReportRequest, Subject};
use crate::db;
use crate::domain::scoring::{BenchmarkReport, Distribution, MIN_COMPARISON_GROUP};
use crate::domain::text::Lang;
use crate::report::ReportKind;

pub fn routes() -> Routes {
    use Method as M;
    use Surface::Page as P;
    Routes::default()
        .add(
            P,
            M::GET,
            "/federations/{fed}/scans/{year}/benchmark",
            "A federation's benchmark; `?sector=`.",
            benchmark,
        )
        .add(
            P,
            M::GET,
            "/federations/{fed}/scans/{year}/benchmark.pdf",
            "The benchmark report as PDF; `?lang=nl|en`.",
            pdf,
        )
        .add(
            P,
            M::GET,
            "/federations/{fed}/scans/{year}/benchmark.csv",
            "The benchmark's figures as CSV (one row per group and aspect); `?sector=`.",
            csv,
        )
}

async fn report_of(
    app: &App,
    s: &FedScoped<Page>,
    sector: Option<String>,
) -> Result<BenchmarkReport> {
    let (_, report) = app
        .benchmark(&BenchmarkRequest {
            federation: s.federation.slug.clone(),
            year: s.year,
            sector,
            member: None,
        })
        .await?;
    Ok(report)
}

/// One shown distribution as the page and the CSV place it.
fn dist(d: Option<&Distribution>, lang: Lang) -> serde_json::Value {
    let fmt = |x: Option<f64>| crate::domain::format::opt(x, 0, lang);
    json!({
        "n": d.map_or(0, |d| d.n),
        "p25": fmt(d.map(|d| d.p25)), "median": fmt(d.map(|d| d.median)), "p75": fmt(d.map(|d| d.p75)),
        "lo": d.map_or(0.0, |d| d.p25), "hi": d.map_or(0.0, |d| d.p75), "mid": d.map_or(0.0, |d| d.median),
        // No member's own figure is published: the whisker spans the quartiles.
        "min": d.map_or(0.0, |d| d.p25), "max": d.map_or(0.0, |d| d.p75),
        "shown": d.is_some(),
    })
}

/// The groups of a benchmark with their overall and per-aspect distributions.
fn groups(app: &App, report: &BenchmarkReport, lang: Lang) -> Vec<serde_json::Value> {
    let name = |code: &str| {
        app.catalogue()
            .aspect(code)
            .map_or_else(|| code.to_owned(), |a| a.name.get(lang).to_owned())
    };
    report
        .groups
        .iter()
        .map(|g| {
            json!({
                "scope": g.scope,
                "sector": g.sector,
                "organisations": g.organisations,
                "overall": dist(g.overall.as_ref(), lang),
                "aspects": g.aspects.iter().map(|a| {
                    let mut row = dist(a.distribution.as_ref(), lang);
                    row["code"] = json!(a.code);
                    row["name"] = json!(name(&a.code));
                    row
                }).collect::<Vec<_>>(),
            })
        })
        .collect()
}

async fn benchmark(
    State(app): State<App>,
    s: FedScoped<Page>,
    Query(q): Query<BenchmarkQuery>,
) -> Result<Response> {
    let lang = s.viewer.lang;
    let years = db::federations::member_years(app.db(), s.federation.id).await?;
    let sectors = db::federations::member_sectors(app.db(), s.federation.id).await?;
    let sector = q.sector.filter(|x| !x.trim().is_empty());
    let path = format!(
        "/federations/{}/scans/{}/benchmark",
        s.federation.slug, s.year
    );
    let report = match report_of(&app, &s, sector.clone()).await {
        Ok(r) => Some(r),
        // A year without member scans: the page says so and offers the years that have them.
        Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => None,
        Err(e) => return Err(e),
    };
    let min_group = MIN_COMPARISON_GROUP;
    let enough = report
        .as_ref()
        .is_some_and(|r| r.organisations >= min_group);
    let html = render(
        "benchmark.html",
        &Ctx::of(&s.viewer, &path),
        minijinja::context! {
            federation => json!({"slug": s.federation.slug, "name": s.federation.name}),
            year => s.year,
            sector => sector,
            sectors => sectors,
            years => years.iter().filter(|y| y.members >= min_group).map(|y| y.year).collect::<Vec<_>>(),
            enough => enough,
            members => report.as_ref().map_or(0, |r| r.organisations),
            min_group => min_group,
            groups => report.as_ref().map(|r| groups(&app, r, lang)).unwrap_or_default(),
            notes => report.as_ref().map(|r| r.notes.iter().map(|n| n.text.get(lang).to_owned()).collect::<Vec<_>>()).unwrap_or_default(),
        },
    );
    // No member scan at all is a missing benchmark (404, as on the API); too few members is a page
    // that says so.
    let status = if report.is_some() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::NOT_FOUND
    };
    Ok((status, html).into_response())
}

fn file_name(s: &FedScoped<Page>, ext: &str) -> String {
    format!("blendscan-{}-{}-benchmark.{ext}", s.federation.slug, s.year)
}

async fn pdf(
    State(app): State<App>,
    s: FedScoped<Page>,
    Query(q): Query<DownloadQuery>,
) -> Result<Response> {
    let lang = shared::parse_lang(q.lang.as_deref().or(Some(s.viewer.lang.code())))?;
    let req = ReportRequest {
        kind: ReportKind::Benchmark,
        subject: Subject::Federation(s.federation.slug.clone()),
        year: s.year,
        lang,
        generated: crate::report::today(),
    };
    let pdf = app.render_report(&req, false).await?;
    Ok(attachment("application/pdf", &file_name(&s, "pdf"), pdf))
}

async fn csv(
    State(app): State<App>,
    s: FedScoped<Page>,
    Query(q): Query<DownloadQuery>,
) -> Result<Response> {
    let report = report_of(&app, &s, q.sector.filter(|x| !x.trim().is_empty())).await?;
    let csv = csv_of(&app, &report, s.viewer.lang);
    Ok(attachment(
        "text/csv; charset=utf-8",
        &file_name(&s, "csv"),
        csv.into_bytes(),
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct DownloadQuery {
    lang: Option<String>,
    sector: Option<String>,
}

fn attachment(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    let mut res = shared::bytes_response(content_type, bytes);
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The figures as CSV (comma-separated, decimal point, a header row in the page's language); a
/// group too small to show has empty cells.
fn csv_of(app: &App, report: &BenchmarkReport, lang: Lang) -> String {
    let head = match lang {
        Lang::Nl => [
            "groep",
            "sector",
            "organisaties",
            "aspect",
            "naam",
            "n",
            "p25",
            "mediaan",
            "p75",
        ],
        Lang::En => [
            "group",
            "sector",
            "organisations",
            "aspect",
            "name",
            "n",
            "p25",
            "median",
            "p75",
        ],
    };
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let num = |x: Option<f64>| x.map(|v| format!("{v:.1}")).unwrap_or_default();
    let mut rows = vec![head.map(str::to_owned).to_vec()];
    for g in &report.groups {
        let mut figures: Vec<(String, String, Option<&Distribution>)> = vec![(
            "index".into(),
            lang.pick("Readiness-index", "Readiness index").into(),
            g.overall.as_ref(),
        )];
        for a in &g.aspects {
            let name = app
                .catalogue()
                .aspect(&a.code)
                .map_or_else(|| a.code.clone(), |x| x.name.get(lang).to_owned());
            figures.push((a.code.clone(), name, a.distribution.as_ref()));
        }
        for (code, name, d) in figures {
            rows.push(vec![
                g.scope.to_owned(),
                g.sector.clone().unwrap_or_default(),
                g.organisations.to_string(),
                code,
                name,
                d.map_or_else(String::new, |d| d.n.to_string()),
                num(d.map(|d| d.p25)),
                num(d.map(|d| d.median)),
                num(d.map(|d| d.p75)),
            ]);
        }
    }
    for row in rows {
        // Writing to memory does not fail; a row that could not be written is left out.
        let _ = out.write_record(&row);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
