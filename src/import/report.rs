//! What an import reports: the problems with their cells, the columns recognised, and the counts.

use serde::Serialize;

use super::columns::{self, Meta};
use super::mapping::MappedColumn;
use super::{ImportRequest, Limits, Resemblance, msg};
use crate::domain::catalogue::Catalogue;
use crate::domain::text::{Lang, Text};

/// How much of a value from the file a report repeats: enough to recognise it, never megabytes.
const ECHO_CHARS: usize = 200;

/// A value from the file (cell, header, file or sheet name) as a report repeats it: whole when it is
/// short, else its first [`ECHO_CHARS`] characters and `…`. Copies no more than that.
pub fn echo(value: &str) -> String {
    match value.char_indices().nth(ECHO_CHARS) {
        None => value.to_owned(),
        Some((end, _)) => format!("{}…", &value[..end]),
    }
}

/// A problem at one place of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `Blad1!F17`, a range `Blad1!B1:D1`, or the file name for a problem with the whole file.
    pub cell: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The reason, in Dutch and English (`{"nl": …, "en": …}`).
    pub message: Text,
}

impl Problem {
    /// The value is cut to what a report repeats ([`echo`]); the place is short already, as the file
    /// and sheet names in it are.
    pub fn at(cell: String, value: Option<String>, message: Text) -> Self {
        Self {
            cell,
            value: value.as_deref().map(echo),
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
#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct ColumnReport {
    pub indicators: Vec<String>,
    pub competences: Vec<String>,
    pub checklists: Vec<String>,
    pub metadata: Vec<MetaColumn>,
    pub ignored: Vec<IgnoredColumn>,
}

impl ColumnReport {
    pub(super) fn add_item(&mut self, catalogue: &Catalogue, code: &str) {
        match columns::item_kind(catalogue, code) {
            "indicator" => self.indicators.push(code.to_owned()),
            "competence" => self.competences.push(code.to_owned()),
            _ => self.checklists.push(code.to_owned()),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MetaColumn {
    pub column: String,
    pub kind: Meta,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IgnoredColumn {
    pub column: String,
    pub header: String,
}

/// The earlier import a file replaced, and what taking it out did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReplacedImport {
    pub import: i32,
    /// Respondents of that import taken out of the scan.
    pub removed: u64,
    /// Earlier answers it had replaced, put back.
    pub restored: u64,
}

/// What an import did (or would do, with `--dry-run`). Serialised by `import --json` and the API.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
    /// Every column with a header: the code it was read as (or none), how sure, and why.
    pub mapping: Vec<MappedColumn>,
    /// Columns look like questions but were not read, or whole clusters or aspects are missing: the
    /// warnings say which. Nothing is stored unless the user confirms (`partial_allowed`).
    pub needs_confirmation: bool,
    pub partial_allowed: bool,
    /// Nothing stored: the file's anonymous rows resemble this earlier import of the scan (a corrected
    /// copy would count everyone twice). Import again saying whether it replaces that one
    /// (`--replaces ID`) or not (`--replaces none`).
    pub resembles: Option<Resemblance>,
    /// The earlier import this file replaced (`--replaces ID`): taken out of the scan first.
    pub replaced_import: Option<ReplacedImport>,
    pub warnings: Vec<Problem>,
    pub errors: Vec<Problem>,
    pub errors_not_shown: usize,
    /// Warnings found beyond the cap.
    pub warnings_not_shown: usize,
}

impl ImportReport {
    /// No errors, and nothing that waits for confirmation.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
            && self.errors_not_shown == 0
            && !self.blocked()
            && self.resembles.is_none()
    }

    /// Stopped only because columns that look like questions would be left out.
    pub fn blocked(&self) -> bool {
        self.needs_confirmation && !self.partial_allowed
    }

    /// The report of a request before anything was read.
    pub(super) fn new(req: &ImportRequest<'_>, digest: String) -> Self {
        Self {
            file: echo(req.file_name),
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
            mapping: Vec::new(),
            needs_confirmation: false,
            partial_allowed: false,
            resembles: None,
            replaced_import: None,
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

pub(super) fn too_large(file_name: &str, size: u64, limits: &Limits) -> Problem {
    Problem::at(
        echo(file_name),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_keeps_short_values_and_cuts_long_ones_between_characters() {
        let fits = "é".repeat(ECHO_CHARS);
        assert_eq!(echo(&fits), fits);
        let shown = echo(&format!("{fits}é"));
        assert_eq!(shown, format!("{fits}…"));
        assert_eq!(echo(&shown), shown, "cutting twice changes nothing");
    }
}
