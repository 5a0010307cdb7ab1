//! The mapping step: what each column of a file was taken to be and why (in every report, and as a
//! mapping file a user can correct and hand back with `import --mapping FILE`), and the choices that
//! override recognition — a user's mapping file, or the organisation's remembered choices for a header.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::catalogue::matching::{self, Candidate, Recognition};

/// Why a column was taken to be what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A catalogue code in the header.
    Code,
    /// The question's text, exactly (after normalising case, spacing, punctuation and accents).
    Text,
    /// A close text: proposed, to be confirmed.
    CloseText,
    /// Close to two questions at once: choose one.
    Ambiguous,
    /// Somewhat like a question: choose one or confirm that it is none.
    Resembles,
    /// The mapping file given with the import.
    Mapping,
    /// Confirmed for this organisation before.
    Remembered,
    Metadata,
    /// A known export column without meaning for the scan.
    Known,
    /// Nothing recognised.
    None,
}

/// One column of the file, as recognised.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct MappedColumn {
    /// The column letter(s): `F`.
    pub column: String,
    pub header: String,
    /// The catalogue code the column is read as; `null` for no item (metadata or ignored).
    pub code: Option<String>,
    /// How sure the recognition is, 0–1 (1 for a code, an exact text, a mapping).
    #[serde(default)]
    pub confidence: f64,
    #[serde(default = "none")]
    pub reason: Reason,
    /// The questions a close or ambiguous header may be, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// A proposal or an unresolved header: the import stops until it is confirmed.
    #[serde(default)]
    pub needs_confirmation: bool,
}

fn none() -> Reason {
    Reason::None
}

impl MappedColumn {
    pub(super) fn new(column: String, header: &str) -> Self {
        Self {
            column,
            header: super::report::echo(header),
            code: None,
            confidence: 0.0,
            reason: Reason::None,
            candidates: Vec::new(),
            needs_confirmation: false,
        }
    }

    /// Fill in what a text recognition found.
    pub(super) fn recognised(&mut self, r: &Recognition) {
        let names = |c: &[&Candidate]| c.iter().map(|c| c.code.clone()).collect();
        match r {
            Recognition::Code(code) => self.set(code, 1.0, Reason::Code),
            Recognition::Text { code, .. } => self.set(code, 1.0, Reason::Text),
            Recognition::Close {
                code,
                score,
                runner_up,
            } => {
                self.set(code, *score, Reason::CloseText);
                let mut c = vec![code.clone()];
                c.extend(runner_up.iter().map(|r| r.code.clone()));
                self.candidates = c;
                self.needs_confirmation = true;
            }
            Recognition::Ambiguous { first, second } => {
                self.confidence = first.score;
                self.reason = Reason::Ambiguous;
                self.candidates = names(&[first, second]);
                self.needs_confirmation = true;
            }
            Recognition::Resembles(c) => {
                self.confidence = c.score;
                self.reason = Reason::Resembles;
                self.candidates = names(&[c]);
                self.needs_confirmation = true;
            }
            Recognition::Unknown => {}
        }
    }

    fn set(&mut self, code: &str, confidence: f64, reason: Reason) {
        self.code = Some(code.to_owned());
        self.confidence = (confidence * 100.0).round() / 100.0;
        self.reason = reason;
    }
}

/// A mapping file: the columns of a dry run's report, corrected by hand.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MappingFile {
    pub columns: Vec<MappedColumn>,
}

/// Choices that come before recognition: a code, or `None` for "no item" (confirmed, not asked again).
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// From the mapping file, by normalised header.
    given: HashMap<String, Option<String>>,
    /// From the mapping file, by column letter, for empty or repeated headers.
    given_by_column: HashMap<String, Option<String>>,
    /// Remembered for the organisation, by normalised header.
    remembered: HashMap<String, Option<String>>,
}

impl Choices {
    /// A mapping file's choices; only the columns that name a code or needed confirmation count
    /// (a plain `null` for a metadata column changes nothing).
    pub fn given(file: &MappingFile) -> Self {
        let mut c = Self::default();
        for m in &file.columns {
            let code = m
                .code
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_ascii_uppercase);
            if code.is_none() && !m.needs_confirmation {
                continue;
            }
            c.given.insert(key(&m.header), code.clone());
            c.given_by_column
                .insert(m.column.trim().to_ascii_uppercase(), code);
        }
        c
    }

    /// Add the organisation's remembered choices (header key → code, `None` for "no item").
    pub fn with_remembered(mut self, remembered: HashMap<String, Option<String>>) -> Self {
        self.remembered = remembered;
        self
    }

    /// The choice for a header in a column: the mapping file's first, then the remembered one.
    pub fn choice(&self, column: &str, header: &str) -> Option<(Option<String>, Reason)> {
        let k = key(header);
        if let Some(c) = self.given.get(&k) {
            return Some((c.clone(), Reason::Mapping));
        }
        if k.is_empty()
            && let Some(c) = self.given_by_column.get(column)
        {
            return Some((c.clone(), Reason::Mapping));
        }
        self.remembered
            .get(&k)
            .map(|c| (c.clone(), Reason::Remembered))
    }

    pub fn is_empty(&self) -> bool {
        self.given.is_empty() && self.remembered.is_empty()
    }
}

/// The key a header is remembered under: its normalised text, as reports show the header (a header
/// of thousands of characters is cut the same way everywhere).
pub fn key(header: &str) -> String {
    matching::normalise(&super::report::echo(header))
}
