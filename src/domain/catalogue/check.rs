//! The bookkeeping of validation: collects problems with their file and entry, keeps the register of
//! codes so a duplicate anywhere in the catalogue is caught, and checks the small things every entry
//! shares (both translations present, a source citing a known document).

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;

use super::raw::RawText;
use super::{Problem, SourceFile};
use crate::domain::text::Text;

pub struct Checker {
    pub problems: Vec<Problem>,
    /// Every code of the catalogue's shared namespace, with the file that declared it first.
    codes: HashMap<String, String>,
    /// Source document ids declared in catalogue.toml.
    pub source_ids: HashSet<String>,
}

impl Checker {
    pub fn new() -> Self {
        Self {
            problems: Vec::new(),
            codes: HashMap::new(),
            source_ids: HashSet::new(),
        }
    }

    pub fn problem(&mut self, file: &str, entry: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            file: file.to_owned(),
            entry: entry.to_owned(),
            message: message.into(),
        });
    }

    /// Parse a TOML file; a syntax or shape error becomes a problem naming the file and position.
    pub fn toml<T: DeserializeOwned>(&mut self, file: &SourceFile) -> Option<T> {
        match toml::from_str::<T>(&file.contents) {
            Ok(v) => Some(v),
            Err(e) => {
                let entry = match e.span() {
                    Some(span) => {
                        let line = file.contents[..span.start.min(file.contents.len())]
                            .lines()
                            .count()
                            .max(1);
                        format!("line {line}")
                    }
                    None => "file".to_owned(),
                };
                self.problem(&file.name, &entry, e.message().to_owned());
                None
            }
        }
    }

    /// Register a code in the catalogue-wide namespace; a second declaration is a problem.
    pub fn unique(&mut self, file: &str, code: &str) -> bool {
        let key = code.to_ascii_uppercase();
        if let Some(first) = self.codes.get(&key) {
            let msg = format!("duplicate code (first declared in {first})");
            self.problem(file, code, msg);
            return false;
        }
        self.codes.insert(key, file.to_owned());
        true
    }

    /// A text with both translations; a missing or empty one is reported by entry and field.
    pub fn text(&mut self, file: &str, entry: &str, field: &str, raw: &RawText) -> Text {
        let mut get = |lang: &str, value: &Option<String>| match value.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => v.to_owned(),
            _ => {
                let name = if lang == "nl" { "Dutch" } else { "English" };
                self.problem(
                    file,
                    entry,
                    format!("missing translation: `{field}` has no {name} ({lang}) text"),
                );
                String::new()
            }
        };
        let nl = get("nl", &raw.nl);
        let en = get("en", &raw.en);
        Text { nl, en }
    }

    /// A source citation must start with a declared document id (`003 §10 …`).
    pub fn source(&mut self, file: &str, entry: &str, source: &str) -> String {
        let doc = source.split_whitespace().next().unwrap_or("");
        if source.trim().is_empty() {
            self.problem(
                file,
                entry,
                "missing source: cite the document and section, e.g. `003 §10`",
            );
        } else if !self.source_ids.contains(doc) {
            let mut known: Vec<&str> = self.source_ids.iter().map(String::as_str).collect();
            known.sort_unstable();
            let msg = format!(
                "source `{source}` cites unknown document `{doc}` (known: {})",
                known.join(", ")
            );
            self.problem(file, entry, msg);
        }
        source.trim().to_owned()
    }

    /// A weight or share must be a finite number in the given range.
    pub fn weight(&mut self, file: &str, entry: &str, value: f64, allow_zero: bool) {
        let ok = value.is_finite() && value <= 1.0 && (value > 0.0 || (allow_zero && value == 0.0));
        if !ok {
            let range = if allow_zero {
                "between 0 and 1"
            } else {
                "above 0 and at most 1"
            };
            self.problem(file, entry, format!("weight {value} must be {range}"));
        }
    }

    /// Compare an actual count with the declared one.
    pub fn count(&mut self, file: &str, entry: &str, what: &str, actual: usize, expected: usize) {
        if actual != expected {
            let msg = format!("wrong count: {actual} {what}, catalogue.toml declares {expected}");
            self.problem(file, entry, msg);
        }
    }
}

/// Split a code like `A12Q3` into the number after `prefix` and the rest; `None` when it does not fit.
pub fn numbered(code: &str, prefix: char) -> Option<(u32, &str)> {
    let rest = code.strip_prefix(prefix)?;
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let n = rest[..digits].parse().ok()?;
    Some((n, &rest[digits..]))
}

/// A positive integer with no sign, leading zero or trailing text.
pub fn plain_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.starts_with('0') || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}
