//! `blendscan import --org ORG --year YEAR FILE [--sheet NAME] [--dry-run] [--json]`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::Settings;
use crate::db;
use crate::import::{self, ImportReport, ImportRequest, Limits};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The organisation's slug (as printed by `org add`).
    #[arg(long)]
    org: String,
    /// The scan year; the scan is created when it does not exist yet.
    #[arg(long)]
    year: i32,
    /// The file to import.
    file: PathBuf,
    /// The sheet to read (default: the first sheet).
    #[arg(long)]
    sheet: Option<String>,
    /// Check the file and report, but store nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the import report as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(settings: &Settings, args: Args) -> anyhow::Result<ExitCode> {
    let catalogue = super::load_catalogue(settings)?;
    let limits = Limits::default();
    let meta = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    if meta.len() > limits.max_file_bytes as u64 {
        anyhow::bail!(
            "{}: the file is {} MB, more than the limit of {} MB",
            args.file.display(),
            meta.len() >> 20,
            limits.max_file_bytes >> 20
        );
    }
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let file_name = args
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file")
        .to_owned();
    let conn = db::connect(&settings.database_url).await?;
    let req = ImportRequest {
        organisation: &args.org,
        year: args.year,
        file_name: &file_name,
        bytes: &bytes,
        sheet: args.sheet.as_deref(),
        dry_run: args.dry_run,
    };
    let report = import::run(&conn, &catalogue, &limits, &req).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", summary(&report));
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The import report as a readable Dutch summary.
pub fn summary(r: &ImportReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let sheet = r
        .sheet
        .as_deref()
        .map(|s| format!(", blad {s}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Import van {}{sheet} voor {} ({})",
        r.file, r.organisation, r.year
    );
    let c = &r.columns;
    let _ = writeln!(
        out,
        "  kolommen: {} indicatoren, {} competentie-items, {} checklistitems, {} metadata, {} genegeerd",
        c.indicators.len(),
        c.competences.len(),
        c.checklists.len(),
        c.metadata.len(),
        c.ignored.len()
    );
    for i in &c.ignored {
        let _ = writeln!(out, "    genegeerd: {} \"{}\"", i.column, i.header);
    }
    for w in &r.warnings {
        let _ = writeln!(out, "  waarschuwing: {w}");
    }
    for e in &r.errors {
        let _ = writeln!(out, "  FOUT: {e}");
    }
    if r.errors_not_shown > 0 {
        let _ = writeln!(out, "  … en nog {} fouten", r.errors_not_shown);
    }
    if !r.is_ok() {
        let _ = writeln!(
            out,
            "Niets opgeslagen: verbeter de fouten hierboven en importeer opnieuw."
        );
    } else if r.already_imported {
        let _ = writeln!(
            out,
            "Dit bestand werd al in deze scan geïmporteerd (zelfde inhoud); er is niets veranderd."
        );
    } else {
        let verb = if r.dry_run {
            "zou importeren (proefrun, niets opgeslagen)"
        } else {
            "geïmporteerd"
        };
        let _ = writeln!(
            out,
            "  {} rijen gelezen; {} respondenten {verb}; {} dubbele inzendingen vervangen door de laatste; {} oudere genegeerd",
            r.rows, r.respondents_imported, r.duplicates_replaced, r.older_submissions_ignored
        );
        let _ = writeln!(
            out,
            "  {} antwoorden, {} ontbrekend (leeg, weet niet, n.v.t.)",
            r.answers, r.missing_answers
        );
        if r.scan_created {
            let _ = writeln!(out, "  scan {} aangemaakt", r.year);
        }
    }
    out
}
