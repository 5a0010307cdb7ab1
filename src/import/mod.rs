//! Importing questionnaires from the spreadsheets organisations already have (Microsoft Forms, Google
//! Forms, LimeSurvey, Qualtrics, Excel, LibreOffice; xlsx, xlsm, xlsb, xls, ods, csv, tsv).
//!
//! [`analyse`] reads and checks a file without touching the database; [`run`] also stores it, in one
//! transaction, only when no error was found. Every problem names its place (`Blad1!F17`), the value and
//! the reason. The CLI and the HTTP service both call [`run`].

mod bounds;
mod budget;
mod cleaning;
mod columns;
mod csv_text;
mod header;
pub mod key;
pub mod mapping;
mod partial;
mod pseudonym;
mod read;
mod report;
mod rows;
mod sheets;
mod table;
mod values;

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

pub use columns::Meta;
pub use mapping::{Choices, MappedColumn, MappingFile, Reason};
pub use pseudonym::{PseudonymKey, Pseudonymise};
pub use report::{
    ColumnReport, IgnoredColumn, ImportReport, MetaColumn, Problem, Problems, ReplacedImport,
};
pub use rows::{ParsedRespondent, match_group, match_role};
pub use table::a1;

use crate::config::KeySource;
pub use crate::db::resemblance::{Replaces, Resemblance};
use crate::db::{self, DbError};
use crate::domain::catalogue::Catalogue;
use crate::domain::catalogue::matching::QuestionIndex;
use crate::domain::text::Text;
use key::InstallationKey;

/// A message in both languages, Dutch first.
fn msg(nl: impl Into<String>, en: impl Into<String>) -> Text {
    Text {
        nl: nl.into(),
        en: en.into(),
    }
}

/// Limits that keep one import from exhausting the machine.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_file_bytes: usize,
    pub max_rows: usize,
    pub max_columns: usize,
    pub max_uncompressed_bytes: u64,
    pub max_compression_ratio: u64,
    pub max_problems: usize,
    /// The longest text one cell may hold, headers included: Excel's own limit, so no file a
    /// spreadsheet program saves is refused, while a crafted cell of hundreds of MB is.
    pub max_cell_chars: usize,
    /// The longest value of a metadata column (team, role, respondent group, e-mail, name, token,
    /// response id, dates): names, not texts; the longest e-mail address (254) fits.
    pub max_meta_chars: usize,
    /// The most text (bytes, as stored) the cells of one file may bring into memory together. An
    /// .xlsx stores a repeated text once and every cell points to it, so a file of kilobytes can
    /// name gigabytes; a sheet at the row and column limits with short answers holds under 40 MB.
    pub max_text_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 50 << 20,
            max_rows: 20_000,
            max_columns: 1_000,
            max_uncompressed_bytes: 600 << 20,
            max_compression_ratio: 200,
            max_problems: 200,
            max_cell_chars: 32_767,
            max_meta_chars: 256,
            max_text_bytes: 64 << 20,
        }
    }
}

impl Limits {
    /// Whether a cell in this zero-based row lies beyond the limit: row 0 is the header, so a sheet may
    /// reach row `max_rows`. Every reader applies this one rule.
    pub fn row_beyond(&self, row: u64) -> bool {
        row > self.max_rows as u64
    }

    /// Whether a cell in this zero-based column lies beyond the limit of `max_columns` columns.
    pub fn column_beyond(&self, col: u64) -> bool {
        col >= self.max_columns as u64
    }

    /// Whether a cell's text is longer than `max_cell_chars`. Every reader applies this one rule
    /// before it copies the text.
    pub fn cell_too_long(&self, text: &str) -> bool {
        longer_than(text, self.max_cell_chars)
    }

    /// Whether a metadata value is longer than `max_meta_chars`.
    pub fn meta_too_long(&self, text: &str) -> bool {
        longer_than(text, self.max_meta_chars)
    }
}

/// Whether `text` has more than `max` characters; counts no further than `max + 1` of them.
fn longer_than(text: &str, max: usize) -> bool {
    text.len() > max && text.chars().nth(max).is_some()
}

/// A problem that stops reading the file (unreadable, too large, wrong type, a cell too long).
/// Reported as an import error. Displayed in Dutch; the message holds both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {}", .message.nl)]
pub struct ImportError {
    /// The file name, or the cell (`Blad1!F17`) when the problem is in one cell.
    pub place: String,
    pub message: Text,
}

impl ImportError {
    pub fn file(file: &str, message: Text) -> Self {
        Self {
            place: report::echo(file),
            message,
        }
    }

    pub fn cell(cell: String, message: Text) -> Self {
        Self {
            place: cell,
            message,
        }
    }
}

/// Where an import goes and how.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    pub organisation: &'a str,
    pub year: i32,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub sheet: Option<&'a str>,
    pub dry_run: bool,
}

/// The checked content of a file.
pub struct Analysis {
    pub report: ImportReport,
    pub respondents: Vec<ParsedRespondent>,
}

/// SHA-256 of the file, hex.
pub fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// How an import treats what it cannot decide alone.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// A corrected mapping (`import --mapping FILE`): its choices come before recognition.
    pub mapping: Option<MappingFile>,
    /// Store even when columns that look like questions are left out (`--allow-partial`).
    pub allow_partial: bool,
    /// Whether the file replaces an earlier import of the scan (`--replaces ID|none`).
    pub replaces: Replaces,
}

/// Read and check a file; touches no database.
pub fn analyse(
    req: &ImportRequest<'_>,
    catalogue: &Catalogue,
    key: &PseudonymKey,
    limits: &Limits,
) -> Analysis {
    analyse_with(
        req,
        catalogue,
        key,
        limits,
        &Choices::default(),
        &ImportOptions::default(),
    )
}

/// [`analyse`] with the user's choices (mapping file, remembered mappings) and options.
pub fn analyse_with(
    req: &ImportRequest<'_>,
    catalogue: &Catalogue,
    key: &PseudonymKey,
    limits: &Limits,
    choices: &Choices,
    options: &ImportOptions,
) -> Analysis {
    let index = QuestionIndex::new(catalogue);
    let digest = digest(req.bytes);
    let mut problems = Problems::new(limits.max_problems);
    let mut report = ImportReport::new(req, digest.clone());
    let mut respondents = Vec::new();
    if req.bytes.len() > limits.max_file_bytes {
        problems.error(report::too_large(
            req.file_name,
            req.bytes.len() as u64,
            limits,
        ));
    } else if req.bytes.is_empty() {
        problems.error(Problem::at(
            report.file.clone(),
            None,
            msg("het bestand is leeg", "the file is empty"),
        ));
    } else {
        match sheets::read_chosen(
            req.file_name,
            req.bytes,
            req.sheet,
            limits,
            catalogue,
            &index,
        ) {
            Err(e) => problems.error(Problem::at(e.place, None, e.message)),
            Ok(table) => {
                report.sheet = Some(table.sheet.clone());
                let parsed = rows::parse(
                    &table,
                    catalogue,
                    &index,
                    choices,
                    key,
                    &digest,
                    limits,
                    &mut problems,
                );
                if table.xls {
                    let codes: Vec<String> = parsed
                        .columns
                        .indicators
                        .iter()
                        .chain(&parsed.columns.competences)
                        .chain(&parsed.columns.checklists)
                        .cloned()
                        .collect();
                    if let Some(p) =
                        partial::lost_to_xls(catalogue, &codes, table.width(), &table.sheet)
                    {
                        problems.warning(p);
                    }
                }
                report.mapping = parsed.mapping;
                report.needs_confirmation = parsed.needs_confirmation;
                report.partial_allowed = options.allow_partial;
                report.rows = parsed.rows_read;
                report.columns = parsed.columns;
                report.duplicates_replaced = parsed.duplicates_in_file;
                report.older_submissions_ignored = 0;
                if parsed.rows_read == 0 && !problems.has_errors() {
                    problems.error(Problem::at(
                        format!("{}!A2", table.sheet),
                        None,
                        msg(
                            "het blad heeft een kopregel maar geen antwoorden",
                            "the sheet has a header row but no answers",
                        ),
                    ));
                }
                respondents = parsed.respondents;
            }
        }
    }
    report.respondents_imported = respondents.len();
    report.answers = respondents
        .iter()
        .map(|r| r.answers.iter().filter(|a| a.1.is_some()).count())
        .sum();
    report.missing_answers = respondents
        .iter()
        .map(|r| {
            r.columns_missing(
                report.columns.indicators.len()
                    + report.columns.competences.len()
                    + report.columns.checklists.len(),
            )
        })
        .sum();
    report.errors = problems.errors;
    report.warnings = problems.warnings;
    report.errors_not_shown = problems.errors_not_shown;
    report.warnings_not_shown = problems.warnings_not_shown;
    Analysis {
        report,
        respondents,
    }
}

/// Why an import could not run at all (as opposed to problems in the file, which are in the report).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the import task failed: {0}")]
    Task(String),
    #[error("the pseudonymisation key file {0}")]
    Key(String),
}

/// Check the file and, unless it has errors or this is a dry run, store it in one transaction.
/// The key comes from the database (tests and tools; the service's key lives outside it, see
/// [`run_off_runtime`]).
pub async fn run(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    limits: &Limits,
    req: &ImportRequest<'_>,
) -> Result<ImportReport, RunError> {
    run_with(db, catalogue, limits, req, &ImportOptions::default()).await
}

/// [`run`] with a mapping file or `--allow-partial`.
pub async fn run_with(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    limits: &Limits,
    req: &ImportRequest<'_>,
    options: &ImportOptions,
) -> Result<ImportReport, RunError> {
    let org = db::organisations::organisation_by_slug(db, req.organisation).await?;
    let choices = choices_for(db, &org, options).await?;
    let source = KeySource::Database;
    let report = analyse_and_store(
        db,
        catalogue,
        &org,
        (req, options.replaces),
        &source,
        |key| {
            std::future::ready(Ok(analyse_with(
                req, catalogue, &key, limits, &choices, options,
            )))
        },
    )
    .await?;
    remember_confirmed(db, &org, &report).await?;
    Ok(report)
}

/// The mapping file's choices and the organisation's remembered ones.
async fn choices_for(
    db: &DatabaseConnection,
    org: &db::Organisation,
    options: &ImportOptions,
) -> Result<Choices, RunError> {
    let given = options
        .mapping
        .as_ref()
        .map(Choices::given)
        .unwrap_or_default();
    Ok(given.with_remembered(db::mappings::remembered(db, org.id).await?))
}

/// After a stored import, remember the columns the user decided in the mapping file.
async fn remember_confirmed(
    db: &DatabaseConnection,
    org: &db::Organisation,
    report: &ImportReport,
) -> Result<(), RunError> {
    if !report.stored {
        return Ok(());
    }
    let confirmed: Vec<(String, Option<String>)> = report
        .mapping
        .iter()
        .filter(|m| m.reason == Reason::Mapping)
        .map(|m| (mapping::key(&m.header), m.code.clone()))
        .collect();
    Ok(db::mappings::remember(db, org.id, &confirmed).await?)
}

/// The one path of [`run`] and [`run_off_runtime`]: analyse with the installation's key (`analyse_with`
/// says where the CPU work runs), and store.
async fn analyse_and_store<F, Fut>(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    org: &db::Organisation,
    (req, replaces): (&ImportRequest<'_>, Replaces),
    source: &KeySource,
    analyse_with: F,
) -> Result<ImportReport, RunError>
where
    F: Fn(PseudonymKey) -> Fut,
    Fut: std::future::Future<Output = Result<Analysis, RunError>>,
{
    let started = std::time::Instant::now();
    let key = InstallationKey::load(db, source).await?;
    let mut analysis = analyse_with(key.key.clone()).await?;
    // On a fresh installation the key is kept by the first import that is stored: a dry run or a
    // refused file leaves everything as it was.
    let storing = !req.dry_run && analysis.report.is_ok();
    if let Some(winner) = key.keep(db, source, storing).await? {
        analysis = analyse_with(winner).await?;
    }
    let checked = started.elapsed();
    let report = store(db, catalogue, org, req, analysis, replaces).await?;
    // Where an import's time goes, for operators (`BLENDSCAN_LOG=blendscan=info`); no file name or
    // cell content, which may be personal.
    tracing::info!(
        organisation = %org.slug,
        year = req.year,
        rows = report.rows,
        errors = report.errors.len() + report.errors_not_shown,
        stored = report.stored,
        read_and_checked_ms = checked.as_millis() as u64,
        stored_ms = (started.elapsed() - checked).as_millis() as u64,
        "import"
    );
    Ok(report)
}

/// An import request that owns its file, for [`run_off_runtime`].
#[derive(Debug, Clone)]
pub struct OwnedImportRequest {
    pub organisation: String,
    pub year: i32,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub sheet: Option<String>,
    pub dry_run: bool,
}

impl OwnedImportRequest {
    fn borrowed(&self) -> ImportRequest<'_> {
        ImportRequest {
            organisation: &self.organisation,
            year: self.year,
            file_name: &self.file_name,
            bytes: &self.bytes,
            sheet: self.sheet.as_deref(),
            dry_run: self.dry_run,
        }
    }
}

/// [`run`] for a server: reading and checking the file (CPU work) runs on tokio's blocking pool,
/// so one large upload does not hold up other requests.
pub async fn run_off_runtime(
    db: &DatabaseConnection,
    catalogue: Arc<Catalogue>,
    limits: Limits,
    source: &KeySource,
    req: OwnedImportRequest,
    options: ImportOptions,
) -> Result<ImportReport, RunError> {
    let org = db::organisations::organisation_by_slug(db, &req.organisation).await?;
    let choices = Arc::new(choices_for(db, &org, &options).await?);
    let replaces = options.replaces;
    let (req, options) = (Arc::new(req), Arc::new(options));
    let analyse_off = |key: PseudonymKey| {
        let (req, catalogue, limits) = (Arc::clone(&req), Arc::clone(&catalogue), limits.clone());
        let (choices, options) = (Arc::clone(&choices), Arc::clone(&options));
        async move {
            tokio::task::spawn_blocking(move || {
                analyse_with(
                    &req.borrowed(),
                    &catalogue,
                    &key,
                    &limits,
                    &choices,
                    &options,
                )
            })
            .await
            .map_err(|e| RunError::Task(e.to_string()))
        }
    };
    let report = analyse_and_store(
        db,
        &catalogue,
        &org,
        (&req.borrowed(), replaces),
        source,
        analyse_off,
    )
    .await?;
    remember_confirmed(db, &org, &report).await?;
    Ok(report)
}

/// Store an analysed file unless it has errors, resembles an earlier import nobody said it replaces,
/// or this is a dry run.
async fn store(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    org: &db::Organisation,
    req: &ImportRequest<'_>,
    analysis: Analysis,
    replaces: Replaces,
) -> Result<ImportReport, RunError> {
    let Analysis {
        mut report,
        respondents,
    } = analysis;
    report.organisation = org.slug.clone();
    if let Replaces::Import(id) = replaces
        && let Some(p) = replaces_problem(db, org, req.year, id).await?
    {
        report.errors.push(p);
    }
    if !report.is_ok() {
        return Ok(report);
    }
    if req.dry_run {
        report.already_imported =
            db::imports::digest_imported(db, org.id, req.year, &report.digest).await?;
        if replaces == Replaces::Unasked && !report.already_imported {
            report.resembles =
                db::resemblance::resembling(db, org.id, req.year, &respondents).await?;
        }
        return Ok(report);
    }
    let outcome = db::imports::store_import(
        db,
        &db::imports::NewImport {
            organisation_id: org.id,
            year: req.year,
            catalogue_version: &catalogue.version,
            digest: &report.digest,
            // As the report shows it: a file name of megabytes is not stored whole either.
            file_name: &report.file,
            respondents: &respondents,
            replaces,
        },
    )
    .await?;
    report.scan_created = outcome.scan_created;
    report.already_imported = outcome.already_imported;
    report.resembles = outcome.resembles;
    report.stored = !outcome.already_imported && report.resembles.is_none();
    if let (Replaces::Import(import), Some(u)) = (replaces, outcome.replaced_import) {
        report.replaced_import = Some(ReplacedImport {
            import,
            removed: u.removed,
            restored: u.restored,
        });
    }
    if outcome.already_imported {
        report.respondents_imported = 0;
        report.duplicates_replaced = 0;
        report.answers = 0;
        report.missing_answers = 0;
    } else {
        report.duplicates_replaced += outcome.replaced;
        report.older_submissions_ignored += outcome.older_ignored;
        report.respondents_imported -= outcome.older_ignored;
    }
    Ok(report)
}

/// Why `--replaces ID` cannot be done: the import is not one of this organisation's scan of `year`.
async fn replaces_problem(
    db: &DatabaseConnection,
    org: &db::Organisation,
    year: i32,
    id: i32,
) -> Result<Option<Problem>, RunError> {
    let found = match db::import_history::import_of(db, org.id, id).await {
        Ok((_, scan)) => scan.year == year,
        Err(DbError::NotFound { .. }) => false,
        Err(e) => return Err(e.into()),
    };
    Ok((!found).then(|| {
        Problem::at(
            "replaces".to_owned(),
            Some(id.to_string()),
            msg(
                format!(
                    "import {id} is geen import van de scan {year} van {}; `blendscan import list --org {} --year {year}` toont ze",
                    org.slug, org.slug
                ),
                format!(
                    "import {id} is not an import of {}'s {year} scan; `blendscan import list --org {} --year {year}` shows them",
                    org.slug, org.slug
                ),
            ),
        )
    }))
}
