//! Importing questionnaires from the spreadsheets organisations already have (Microsoft Forms, Google
//! Forms, LimeSurvey, Qualtrics, Excel, LibreOffice; xlsx, xlsm, xlsb, xls, ods, csv, tsv).
//!
//! [`analyse`] reads and checks a file without touching the database; [`run`] also stores it, in one
//! transaction, only when no error was found. Every problem names its place (`Blad1!F17`), the value and
//! the reason. The CLI and the HTTP service both call [`run`].

mod bounds;
mod columns;
mod csv_text;
mod pseudonym;
mod read;
mod rows;
mod table;
mod values;

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use columns::Meta;
pub use pseudonym::PseudonymKey;
pub use rows::{ParsedRespondent, match_group, match_role};
pub use table::a1;

use crate::db::{self, DbError};
use crate::domain::catalogue::Catalogue;
use crate::domain::text::{Lang, Text};

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
        }
    }
}

/// A problem with the whole file (unreadable, too large, wrong type). Reported as an import error.
/// Displayed in Dutch; the message holds both languages.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {}", .message.nl)]
pub struct ImportError {
    pub file: String,
    pub message: Text,
}

impl ImportError {
    pub fn file(file: &str, message: Text) -> Self {
        Self {
            file: file.to_owned(),
            message,
        }
    }
}

/// A problem at one place of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `Blad1!F17`, a range `Blad1!B1:D1`, or the file name for a problem with the whole file.
    pub cell: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The reason, in Dutch and English (`{"nl": …, "en": …}`).
    pub message: Text,
}

impl Problem {
    pub fn at(cell: String, value: Option<String>, message: Text) -> Self {
        Self {
            cell,
            value,
            message,
        }
    }

    /// The problem as one line in the given language: `Blad1!F17 ("7"): reason`.
    pub fn render(&self, lang: Lang) -> String {
        let message = self.message.get(lang);
        match &self.value {
            Some(v) => format!("{} (\"{}\"): {}", self.cell, v, message),
            None => format!("{}: {}", self.cell, message),
        }
    }
}

/// In Dutch, the product's first language; use [`Problem::render`] for another.
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::Nl))
    }
}

/// Errors and warnings, each list capped so a broken file of 100,000 cells does not flood the report.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Problems {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// How many errors were found beyond the cap.
    pub errors_not_shown: usize,
    pub warnings_not_shown: usize,
    #[serde(skip)]
    cap: usize,
}

impl Problems {
    pub fn new(cap: usize) -> Self {
        Self {
            cap,
            ..Self::default()
        }
    }

    pub fn error(&mut self, p: Problem) {
        if self.errors.len() < self.cap {
            self.errors.push(p);
        } else {
            self.errors_not_shown += 1;
        }
    }

    pub fn warning(&mut self, p: Problem) {
        if self.warnings.len() < self.cap {
            self.warnings.push(p);
        } else {
            self.warnings_not_shown += 1;
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.errors_not_shown > 0
    }
}

/// The columns recognised, by kind.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ColumnReport {
    pub indicators: Vec<String>,
    pub competences: Vec<String>,
    pub checklists: Vec<String>,
    pub metadata: Vec<MetaColumn>,
    pub ignored: Vec<IgnoredColumn>,
}

impl ColumnReport {
    fn add_item(&mut self, catalogue: &Catalogue, code: &str) {
        match columns::item_kind(catalogue, code) {
            "indicator" => self.indicators.push(code.to_owned()),
            "competence" => self.competences.push(code.to_owned()),
            _ => self.checklists.push(code.to_owned()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MetaColumn {
    pub column: String,
    pub kind: Meta,
}

#[derive(Debug, Clone, Serialize)]
pub struct IgnoredColumn {
    pub column: String,
    pub header: String,
}

/// What an import did (or would do, with `--dry-run`). Serialised by `import --json` and the API.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub sheet: Option<String>,
    pub digest: String,
    pub organisation: String,
    pub year: i32,
    pub dry_run: bool,
    /// The file was imported into this scan before: nothing changed.
    pub already_imported: bool,
    pub stored: bool,
    pub scan_created: bool,
    pub rows: usize,
    pub respondents_imported: usize,
    /// Earlier answers of the same person replaced by a later submission (in this file or in the scan).
    pub duplicates_replaced: usize,
    /// Rows not used because the same person submitted later (elsewhere in the file or in an earlier import).
    pub older_submissions_ignored: usize,
    pub answers: usize,
    pub missing_answers: usize,
    pub columns: ColumnReport,
    pub warnings: Vec<Problem>,
    pub errors: Vec<Problem>,
    pub errors_not_shown: usize,
    /// Warnings found beyond the cap.
    pub warnings_not_shown: usize,
}

impl ImportReport {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty() && self.errors_not_shown == 0
    }

    /// The report of a request before anything was read.
    fn new(req: &ImportRequest<'_>, digest: String) -> Self {
        Self {
            file: req.file_name.to_owned(),
            sheet: None,
            digest,
            organisation: req.organisation.to_owned(),
            year: req.year,
            dry_run: req.dry_run,
            already_imported: false,
            stored: false,
            scan_created: false,
            rows: 0,
            respondents_imported: 0,
            duplicates_replaced: 0,
            older_submissions_ignored: 0,
            answers: 0,
            missing_answers: 0,
            columns: ColumnReport::default(),
            warnings: Vec::new(),
            errors: Vec::new(),
            errors_not_shown: 0,
            warnings_not_shown: 0,
        }
    }

    /// The report for a file refused by its size alone, before it is read (the CLI checks the size on
    /// disk first, so a file of gigabytes is never loaded). `req.bytes` is not used.
    pub fn too_large(req: &ImportRequest<'_>, size: u64, limits: &Limits) -> Self {
        let mut report = Self::new(req, String::new());
        report.errors.push(too_large(req.file_name, size, limits));
        report
    }
}

fn too_large(file_name: &str, size: u64, limits: &Limits) -> Problem {
    Problem::at(
        file_name.to_owned(),
        None,
        msg(
            format!(
                "het bestand is {} MB, meer dan de limiet van {} MB",
                size >> 20,
                limits.max_file_bytes >> 20
            ),
            format!(
                "the file is {} MB, more than the limit of {} MB",
                size >> 20,
                limits.max_file_bytes >> 20
            ),
        ),
    )
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

/// Read and check a file; touches no database.
pub fn analyse(
    req: &ImportRequest<'_>,
    catalogue: &Catalogue,
    key: &PseudonymKey,
    limits: &Limits,
) -> Analysis {
    let digest = digest(req.bytes);
    let mut problems = Problems::new(limits.max_problems);
    let mut report = ImportReport::new(req, digest.clone());
    let mut respondents = Vec::new();
    if req.bytes.len() > limits.max_file_bytes {
        problems.error(too_large(req.file_name, req.bytes.len() as u64, limits));
    } else if req.bytes.is_empty() {
        problems.error(Problem::at(
            req.file_name.to_owned(),
            None,
            msg("het bestand is leeg", "the file is empty"),
        ));
    } else {
        match read::read_table(req.file_name, req.bytes, req.sheet, limits) {
            Err(e) => problems.error(Problem::at(e.file, None, e.message)),
            Ok(table) => {
                report.sheet = Some(table.sheet.clone());
                let parsed = rows::parse(&table, catalogue, key, &digest, &mut problems);
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

impl ParsedRespondent {
    /// Items of the file this respondent left unanswered (empty, don't know, not applicable).
    fn columns_missing(&self, item_columns: usize) -> usize {
        item_columns - self.answers.iter().filter(|a| a.1.is_some()).count()
    }
}

/// Why an import could not run at all (as opposed to problems in the file, which are in the report).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the import task failed: {0}")]
    Task(String),
}

/// Check the file and, unless it has errors or this is a dry run, store it in one transaction.
pub async fn run(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    limits: &Limits,
    req: &ImportRequest<'_>,
) -> Result<ImportReport, RunError> {
    let org = db::organisation_by_slug(db, req.organisation).await?;
    let key = InstallationKey::load(db).await?;
    let mut analysis = analyse(req, catalogue, &key.key, limits);
    if let Some(winner) = key.keep_if_storing(db, req, &analysis).await? {
        analysis = analyse(req, catalogue, &winner, limits);
    }
    store(db, catalogue, &org, req, analysis).await
}

/// The pseudonymisation key for one import. On a fresh installation the key is created on the first
/// import that is stored: a dry run or a refused file leaves the database exactly as it was.
struct InstallationKey {
    key: PseudonymKey,
    stored: bool,
}

impl InstallationKey {
    async fn load(db: &DatabaseConnection) -> Result<Self, RunError> {
        Ok(match db::existing_pseudonym_key(db).await? {
            Some(key) => Self { key, stored: true },
            None => Self {
                key: PseudonymKey::random(),
                stored: false,
            },
        })
    }

    /// Store a new key when this import will be stored. Returns the key to analyse again with when
    /// another process stored a different one first (a race on the very first import).
    async fn keep_if_storing(
        &self,
        db: &DatabaseConnection,
        req: &ImportRequest<'_>,
        analysis: &Analysis,
    ) -> Result<Option<PseudonymKey>, RunError> {
        if self.stored || req.dry_run || !analysis.report.is_ok() {
            return Ok(None);
        }
        let winner = db::store_pseudonym_key(db, &self.key).await?;
        Ok((winner != self.key).then_some(winner))
    }
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
    req: OwnedImportRequest,
) -> Result<ImportReport, RunError> {
    let org = db::organisation_by_slug(db, &req.organisation).await?;
    let key = InstallationKey::load(db).await?;
    let analyse_off = |req: OwnedImportRequest, catalogue: Arc<Catalogue>, key: PseudonymKey| {
        let limits = limits.clone();
        tokio::task::spawn_blocking(move || {
            let analysis = analyse(&req.borrowed(), &catalogue, &key, &limits);
            (req, catalogue, analysis)
        })
    };
    let (req, catalogue, mut analysis) = analyse_off(req, catalogue, key.key.clone())
        .await
        .map_err(|e| RunError::Task(e.to_string()))?;
    let (req, catalogue) = match key.keep_if_storing(db, &req.borrowed(), &analysis).await? {
        None => (req, catalogue),
        Some(winner) => {
            let (req, catalogue, again) = analyse_off(req, catalogue, winner)
                .await
                .map_err(|e| RunError::Task(e.to_string()))?;
            analysis = again;
            (req, catalogue)
        }
    };
    store(db, &catalogue, &org, &req.borrowed(), analysis).await
}

/// Store an analysed file unless it has errors or this is a dry run.
async fn store(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    org: &db::Organisation,
    req: &ImportRequest<'_>,
    analysis: Analysis,
) -> Result<ImportReport, RunError> {
    let Analysis {
        mut report,
        respondents,
    } = analysis;
    report.organisation = org.slug.clone();
    if !report.is_ok() {
        return Ok(report);
    }
    if req.dry_run {
        report.already_imported = db::digest_imported(db, org.id, req.year, &report.digest).await?;
        return Ok(report);
    }
    let outcome = db::store_import(
        db,
        &db::NewImport {
            organisation_id: org.id,
            year: req.year,
            catalogue_version: &catalogue.version,
            digest: &report.digest,
            file_name: req.file_name,
            respondents: &respondents,
        },
    )
    .await?;
    report.scan_created = outcome.scan_created;
    report.already_imported = outcome.already_imported;
    report.stored = !outcome.already_imported;
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
