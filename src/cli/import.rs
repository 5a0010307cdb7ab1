//! `blendscan import --org ORG --year YEAR FILE [--sheet NAME] [--dry-run] [--json] [--lang nl|en]`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::app::App;
use crate::domain::text::Lang;
use crate::import::{ImportReport, ImportRequest, OwnedImportRequest};

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
    /// Print the import report as JSON (every message in both languages).
    #[arg(long)]
    json: bool,
    /// The language of the readable summary: nl or en.
    #[arg(long, default_value = "nl")]
    lang: Lang,
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<ExitCode> {
    let limits = app.limits();
    let cannot_read = || match args.lang {
        Lang::Nl => format!("kan {} niet lezen", args.file.display()),
        Lang::En => format!("cannot read {}", args.file.display()),
    };
    let meta = std::fs::metadata(&args.file).with_context(cannot_read)?;
    let file_name = args
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file")
        .to_owned();
    // A file over the limit is refused by its size on disk, without reading it.
    let too_large = meta.len() > limits.max_file_bytes as u64;
    let bytes = if too_large {
        Vec::new()
    } else {
        std::fs::read(&args.file).with_context(cannot_read)?
    };
    let report = if too_large {
        let req = ImportRequest {
            organisation: &args.org,
            year: args.year,
            file_name: &file_name,
            bytes: &bytes,
            sheet: args.sheet.as_deref(),
            dry_run: args.dry_run,
        };
        ImportReport::too_large(&req, meta.len(), limits)
    } else {
        app.import(OwnedImportRequest {
            organisation: args.org.clone(),
            year: args.year,
            file_name,
            bytes,
            sheet: args.sheet.clone(),
            dry_run: args.dry_run,
        })
        .await?
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", summary(&report, args.lang));
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The import report as a readable summary in Dutch or English.
pub fn summary(r: &ImportReport, lang: Lang) -> String {
    use std::fmt::Write as _;
    let en = lang == Lang::En;
    let mut out = String::new();
    let sheet = r
        .sheet
        .as_deref()
        .map(|s| {
            if en {
                format!(", sheet {s}")
            } else {
                format!(", blad {s}")
            }
        })
        .unwrap_or_default();
    let _ = if en {
        writeln!(
            out,
            "Import of {}{sheet} for {} ({})",
            r.file, r.organisation, r.year
        )
    } else {
        writeln!(
            out,
            "Import van {}{sheet} voor {} ({})",
            r.file, r.organisation, r.year
        )
    };
    let c = &r.columns;
    let counts = (
        c.indicators.len(),
        c.competences.len(),
        c.checklists.len(),
        c.metadata.len(),
        c.ignored.len(),
    );
    let _ = if en {
        writeln!(
            out,
            "  columns: {} indicators, {} competence items, {} checklist items, {} metadata, {} ignored",
            counts.0, counts.1, counts.2, counts.3, counts.4
        )
    } else {
        writeln!(
            out,
            "  kolommen: {} indicatoren, {} competentie-items, {} checklistitems, {} metadata, {} genegeerd",
            counts.0, counts.1, counts.2, counts.3, counts.4
        )
    };
    let (ignored, warning, error) = if en {
        ("ignored", "warning", "ERROR")
    } else {
        ("genegeerd", "waarschuwing", "FOUT")
    };
    for i in &c.ignored {
        let _ = writeln!(out, "    {ignored}: {} \"{}\"", i.column, i.header);
    }
    for w in &r.warnings {
        let _ = writeln!(out, "  {warning}: {}", w.render(lang));
    }
    if r.warnings_not_shown > 0 {
        let _ = if en {
            writeln!(out, "  … and {} more warnings", r.warnings_not_shown)
        } else {
            writeln!(out, "  … en nog {} waarschuwingen", r.warnings_not_shown)
        };
    }
    for e in &r.errors {
        let _ = writeln!(out, "  {error}: {}", e.render(lang));
    }
    if r.errors_not_shown > 0 {
        let _ = if en {
            writeln!(out, "  … and {} more errors", r.errors_not_shown)
        } else {
            writeln!(out, "  … en nog {} fouten", r.errors_not_shown)
        };
    }
    if !r.is_ok() {
        let _ = writeln!(
            out,
            "{}",
            if en {
                "Nothing stored: correct the errors above and import again."
            } else {
                "Niets opgeslagen: verbeter de fouten hierboven en importeer opnieuw."
            }
        );
    } else if r.already_imported {
        let _ = writeln!(
            out,
            "{}",
            if en {
                "This file was already imported into this scan (same content); nothing changed."
            } else {
                "Dit bestand werd al in deze scan geïmporteerd (zelfde inhoud); er is niets veranderd."
            }
        );
    } else if en {
        let verb = if r.dry_run {
            "would be imported (dry run, nothing stored)"
        } else {
            "imported"
        };
        let _ = writeln!(
            out,
            "  {} rows read; {} respondents {verb}; {} duplicate submissions replaced by the latest; {} older ignored",
            r.rows, r.respondents_imported, r.duplicates_replaced, r.older_submissions_ignored
        );
        let _ = writeln!(
            out,
            "  {} answers, {} missing (empty, don't know, not applicable)",
            r.answers, r.missing_answers
        );
        if r.scan_created {
            let _ = writeln!(out, "  scan {} created", r.year);
        }
    } else {
        let verb = if r.dry_run {
            "zouden geïmporteerd worden (proefrun, niets opgeslagen)"
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
