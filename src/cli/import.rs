//! `blendscan import --org ORG --year YEAR FILE [--sheet NAME] [--dry-run] [--json] [--lang nl|en]
//! [--mapping FILE] [--write-mapping FILE] [--allow-partial]`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::app::App;
use crate::domain::text::Lang;
use crate::import::{
    ImportOptions, ImportReport, ImportRequest, MappedColumn, MappingFile, OwnedImportRequest,
    Replaces,
};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// The organisation's slug (as printed by `org add`).
    #[arg(long, required = true)]
    org: Option<String>,
    /// The scan year; the scan is created when it does not exist yet.
    #[arg(long, required = true)]
    year: Option<i32>,
    /// The file to import.
    #[arg(required = true)]
    file: Option<PathBuf>,
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
    /// A mapping file (written by --write-mapping, corrected by hand): the code of each column.
    /// The choices in it are remembered for the organisation once the file is stored.
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// Write every column with its proposed code, confidence and reason to FILE (JSON), to correct
    /// and pass back with --mapping.
    #[arg(long, value_name = "FILE")]
    write_mapping: Option<PathBuf>,
    /// Store the file even when columns that look like questions are left out.
    #[arg(long)]
    allow_partial: bool,
    /// When the file resembles an earlier import of the scan (a corrected copy of anonymous answers):
    /// the id of the import it replaces (`import list`), taken out first; or `none` for new answers.
    #[arg(long, value_name = "ID|none", value_parser = parse_replaces)]
    replaces: Option<Replaces>,
}

fn parse_replaces(s: &str) -> Result<Replaces, String> {
    Replaces::parse(s).ok_or_else(|| {
        format!("`{s}`: geef het id van een import (`import list`) of `none` / give the id of an import (`import list`) or `none`")
    })
}

/// The history of a scan's imports, and undo.
#[derive(Debug, clap::Subcommand)]
enum Action {
    /// List the organisation's imports (newest first) with their id, for `import undo`.
    List {
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Take an import out of its scan: its respondents removed, the answers it replaced put back.
    Undo {
        /// The import's id, as `import list` shows it.
        id: i32,
        #[arg(long)]
        org: String,
    },
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<ExitCode> {
    match &args.action {
        Some(Action::List { org, year, json }) => return list(app, org, *year, *json).await,
        Some(Action::Undo { id, org }) => {
            let done = app.undo_import(org, *id).await?;
            println!(
                "import {id} uit de scan {} gehaald: {} respondenten verwijderd, {} eerdere inzendingen teruggezet / import {id} taken out of scan {}: {} respondents removed, {} earlier submissions put back",
                done.year, done.removed, done.restored, done.year, done.removed, done.restored
            );
            return Ok(ExitCode::SUCCESS);
        }
        None => {}
    }
    let (Some(org), Some(year), Some(file)) = (args.org.clone(), args.year, args.file.clone())
    else {
        anyhow::bail!("--org, --year and FILE are required");
    };
    let args = FileArgs {
        org,
        year,
        file,
        rest: args,
    };
    import_file(app, args).await
}

async fn list(app: &App, org: &str, year: Option<i32>, json: bool) -> anyhow::Result<ExitCode> {
    let rows = app.imports(org, year).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("id\tyear\timported_at\trespondents\treplaced\tstill_in_scan\tfile");
    for r in rows {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.id,
            r.year,
            r.imported_at.format("%Y-%m-%d %H:%M"),
            r.respondents,
            r.replaced,
            r.current_respondents,
            r.file_name
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The arguments of an import of a file, once present.
struct FileArgs {
    org: String,
    year: i32,
    file: PathBuf,
    rest: Args,
}

impl std::ops::Deref for FileArgs {
    type Target = Args;
    fn deref(&self) -> &Args {
        &self.rest
    }
}

async fn import_file(app: &App, args: FileArgs) -> anyhow::Result<ExitCode> {
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
    let mapping = match &args.mapping {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| match args.lang {
                Lang::Nl => format!("kan het mappingbestand {} niet lezen", path.display()),
                Lang::En => format!("cannot read the mapping file {}", path.display()),
            })?;
            Some(
                serde_json::from_str::<MappingFile>(&text).with_context(|| match args.lang {
                    Lang::Nl => format!(
                        "{} is geen mappingbestand (JSON zoals --write-mapping het schrijft)",
                        path.display()
                    ),
                    Lang::En => format!(
                        "{} is not a mapping file (JSON as --write-mapping writes it)",
                        path.display()
                    ),
                })?,
            )
        }
    };
    let options = ImportOptions {
        mapping,
        allow_partial: args.allow_partial,
        replaces: args.replaces.unwrap_or_default(),
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
        app.import_with(
            OwnedImportRequest {
                organisation: args.org.clone(),
                year: args.year,
                file_name,
                bytes,
                sheet: args.sheet.clone(),
                dry_run: args.dry_run,
            },
            options,
        )
        .await?
    };
    if let Some(path) = &args.write_mapping {
        let file = MappingFile {
            columns: report.mapping.clone(),
        };
        std::fs::write(path, serde_json::to_string_pretty(&file)? + "\n").with_context(|| {
            match args.lang {
                Lang::Nl => format!("kan {} niet schrijven", path.display()),
                Lang::En => format!("cannot write {}", path.display()),
            }
        })?;
    }
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
    if r.dry_run || r.needs_confirmation {
        let _ = writeln!(
            out,
            "  {}",
            if en {
                "columns (column, code, confidence, reason, header):"
            } else {
                "kolommen (kolom, code, zekerheid, reden, kop):"
            }
        );
        for m in &r.mapping {
            let _ = writeln!(out, "    {}", mapping_line(m, en));
        }
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
    if r.errors.is_empty() && r.errors_not_shown == 0 && r.blocked() {
        let _ = writeln!(
            out,
            "{}",
            if en {
                "Nothing stored: some columns look like questions but were not read (see the warnings). Confirm them with --dry-run --write-mapping FILE and --mapping FILE, or import without them with --allow-partial."
            } else {
                "Niets opgeslagen: sommige kolommen lijken op vragen maar werden niet ingelezen (zie de waarschuwingen). Bevestig ze met --dry-run --write-mapping BESTAND en --mapping BESTAND, of importeer zonder ze met --allow-partial."
            }
        );
    } else if let (true, Some(like)) = (r.errors.is_empty(), &r.resembles) {
        let _ = writeln!(out, "{}", resembles_line(like, en));
    } else if !r.is_ok() {
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
        if let Some(x) = &r.replaced_import {
            let _ = writeln!(
                out,
                "  replaces import {}: its {} respondents taken out, {} earlier submissions put back",
                x.import, x.removed, x.restored
            );
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
        if let Some(x) = &r.replaced_import {
            let _ = writeln!(
                out,
                "  vervangt import {}: de {} respondenten ervan verwijderd, {} eerdere inzendingen teruggezet",
                x.import, x.removed, x.restored
            );
        }
    }
    out
}

/// The question a file that resembles an earlier import asks, with the two answers.
fn resembles_line(like: &crate::import::Resemblance, en: bool) -> String {
    let when = like.imported_at.format("%d-%m-%Y %H:%M");
    let (id, file, equal, rows) = (like.import, &like.file_name, like.equal_rows, like.rows);
    if en {
        format!(
            "Nothing stored: this file resembles import {id} ({file}, {when}): {equal} of its {rows} anonymous rows are equal to rows of that import. If it is a corrected copy, import it again with --replaces {id} (import {id} is taken out, so nobody counts twice); if these are new answers, with --replaces none."
        )
    } else {
        format!(
            "Niets opgeslagen: dit bestand lijkt op import {id} ({file}, {when}): {equal} van de {rows} anonieme rijen zijn gelijk aan rijen van die import. Is het een verbeterde versie, importeer het dan opnieuw met --replaces {id} (import {id} wordt eruit gehaald, zodat niemand dubbel telt); zijn het nieuwe antwoorden, dan met --replaces none."
        )
    }
}

/// One column of the mapping as a line: `F  C1K1  0.86  close_text  "Ik weet …"`.
fn mapping_line(m: &MappedColumn, en: bool) -> String {
    let reason = serde_json::to_value(m.reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let code = m.code.clone().unwrap_or_else(|| "-".to_owned());
    let mut line = format!(
        "{:<4} {:<7} {:.2}  {:<11} \"{}\"",
        m.column, code, m.confidence, reason, m.header
    );
    if m.candidates.len() > 1 || (m.code.is_none() && !m.candidates.is_empty()) {
        let label = if en { "candidates" } else { "kandidaten" };
        line.push_str(&format!(" ({label}: {})", m.candidates.join(", ")));
    }
    if m.needs_confirmation {
        line.push_str(if en {
            "  ← confirm"
        } else {
            "  ← bevestigen"
        });
    }
    line
}
