//! `blendscan report --org ORG --year YEAR --kind selfscan|advice [--lang nl|en] --out FILE.pdf` and
//! `blendscan report --federation FED --year YEAR --kind benchmark [--lang nl|en] --out FILE.pdf`:
//! render a PDF report, write it, and keep it in the database. `--kind benchmark --org ORG` gives the
//! member's benchmark: its federation's, with a page "uw positie" of the member's own figures. Also
//! the demo's reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;

use crate::app::{App, ReportRequest, Subject};
use crate::db;
use crate::domain::text::Lang;
use crate::report::{self, ReportKind};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The organisation's slug, for a self-scan or advice report (see `org list`); with `--kind
    /// benchmark`, the member whose position the benchmark adds.
    #[arg(
        long,
        required_unless_present = "federation",
        conflicts_with = "federation"
    )]
    org: Option<String>,
    /// The federation, by slug or name, for a benchmark report.
    #[arg(long)]
    federation: Option<String>,
    /// The year of the scan(s).
    #[arg(long)]
    year: i32,
    /// selfscan (zelfscan), advice (advies) or benchmark.
    #[arg(long, value_parser = parse_kind)]
    kind: ReportKind,
    /// Language of the report: nl (default) or en.
    #[arg(long, default_value = "nl")]
    lang: Lang,
    /// The PDF file to write.
    #[arg(long)]
    out: PathBuf,
    /// The generation date printed in the report, YYYY-MM-DD (default: today). The same data and
    /// date give the same PDF, byte for byte.
    #[arg(long)]
    date: Option<NaiveDate>,
    /// Do not keep the PDF in the database.
    #[arg(long)]
    no_store: bool,
}

fn parse_kind(s: &str) -> Result<ReportKind, String> {
    s.parse().map_err(|e: report::ReportError| e.to_string())
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<ExitCode> {
    let subject = match (args.org, args.federation) {
        (Some(org), _) => Subject::Organisation(org),
        (None, Some(fed)) => Subject::Federation(fed),
        (None, None) => {
            anyhow::bail!("give --org ORG (selfscan, advice) or --federation FED (benchmark)")
        }
    };
    let req = ReportRequest {
        kind: args.kind,
        subject,
        year: args.year,
        lang: args.lang,
        generated: args.date.unwrap_or_else(report::today),
    };
    let pdf = app.render_report(&req, !args.no_store).await?;
    write(&args.out, &pdf)?;
    println!("{}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, pdf: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, pdf).with_context(|| format!("cannot write {}", path.display()))
}

/// The advice the demo gives its first organisation.
const DEMO_ADVICE: &str = include_str!("demo_advice.toml");

/// The demo's reports of `year` in `dir`: a self-scan report per member, an advice report for the
/// first member (with a built-in advice), the federation benchmark and the first member's position
/// in it. Returns the files written.
pub(super) async fn demo_reports(
    app: &App,
    federation: &str,
    year: i32,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let generated = report::today();
    let mut members: Vec<db::Organisation> = db::organisations::list_organisations(app.db())
        .await?
        .into_iter()
        .filter(|o| o.federation.as_deref() == Some(federation))
        .collect();
    members.sort_by(|a, b| a.slug.cmp(&b.slug));
    let mut written = Vec::new();
    let mut render = async |kind: ReportKind, subject: Subject, slug: &str, word: &str| {
        let req = ReportRequest {
            kind,
            subject,
            year,
            lang: Lang::Nl,
            generated,
        };
        let pdf = app.render_report(&req, true).await?;
        let file = dir.join(format!("rapport-{slug}-{year}-{word}.pdf"));
        write(&file, &pdf)?;
        written.push(file);
        anyhow::Ok(())
    };
    if let Some(first) = members.first() {
        app.store_advice(&first.slug, year, "demo_advice.toml", DEMO_ADVICE)
            .await?;
        let subject = Subject::Organisation(first.slug.clone());
        render(ReportKind::Advice, subject, &first.slug, "advies").await?;
    }
    for m in &members {
        let subject = Subject::Organisation(m.slug.clone());
        render(ReportKind::SelfScan, subject, &m.slug, "zelfscan").await?;
    }
    let subject = Subject::Federation(federation.to_owned());
    render(ReportKind::Benchmark, subject, federation, "benchmark").await?;
    // The first member's benchmark with its own position ("uw positie").
    if let Some(first) = members.first() {
        let subject = Subject::Organisation(first.slug.clone());
        render(ReportKind::Benchmark, subject, &first.slug, "positie").await?;
    }
    Ok(written)
}
