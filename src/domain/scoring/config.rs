//! The knobs of the scoring that an installation may set: the anonymity threshold (never below 3), the
//! confidence rule, the size of a benchmark comparison group, and code mappings between catalogue
//! versions for trends. Reading them from the environment is the caller's business.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// The anonymity threshold when the installation sets none.
pub const DEFAULT_ANONYMITY_THRESHOLD: usize = 5;
/// No installation may show a breakdown resting on fewer respondents than this.
pub const MIN_ANONYMITY_THRESHOLD: usize = 3;
/// A federation benchmark never shows a comparison group of fewer organisations than this.
pub const MIN_COMPARISON_GROUP: usize = 5;

/// What the scoring refuses, in its own words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    #[error(
        "anonymity threshold {0} refused: it can never be below {MIN_ANONYMITY_THRESHOLD} \
         (anonimiteitsdrempel {0} geweigerd: nooit lager dan {MIN_ANONYMITY_THRESHOLD})"
    )]
    ThresholdTooLow(usize),
    #[error(
        "anonymity threshold `{0}` is not a whole number (anonimiteitsdrempel `{0}` is geen geheel getal)"
    )]
    ThresholdNotANumber(String),
    #[error("organisation `{0}` has no scan in this benchmark (no member, another sector or year)")]
    NotInBenchmark(String),
}

/// The anonymity threshold: no breakdown (respondent group, team, role) and no figure rests on fewer
/// respondents than this. Construct it with [`Anonymity::new`], which refuses values below 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Anonymity(usize);

impl Anonymity {
    pub fn new(threshold: usize) -> Result<Self, ScoringError> {
        if threshold < MIN_ANONYMITY_THRESHOLD {
            return Err(ScoringError::ThresholdTooLow(threshold));
        }
        Ok(Self(threshold))
    }

    /// Parse a setting such as the value of `BLENDSCAN_ANONYMITY_THRESHOLD`.
    pub fn parse(text: &str) -> Result<Self, ScoringError> {
        let n = text
            .trim()
            .parse::<usize>()
            .map_err(|_| ScoringError::ThresholdNotANumber(text.trim().to_owned()))?;
        Self::new(n)
    }

    pub fn threshold(self) -> usize {
        self.0
    }

    /// Whether a figure resting on `n` respondents may be shown.
    pub fn allows(self, n: usize) -> bool {
        n >= self.0
    }
}

impl Default for Anonymity {
    fn default() -> Self {
        Self(DEFAULT_ANONYMITY_THRESHOLD)
    }
}

/// When a figure is marked `low` confidence (it is still shown): fewer than `min_respondents`
/// respondents, a response rate below `min_response_rate`, or more than `max_missing_share` of the
/// answers behind it missing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ConfidenceRule {
    pub min_respondents: usize,
    pub min_response_rate: f64,
    pub max_missing_share: f64,
}

impl Default for ConfidenceRule {
    fn default() -> Self {
        Self {
            min_respondents: 10,
            min_response_rate: 0.30,
            max_missing_share: 0.50,
        }
    }
}

/// An explicit code mapping from one catalogue version to the next, so a trend can cross versions.
/// Codes of indicators and items that are neither renamed nor dropped keep their meaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionMap {
    pub from: String,
    pub to: String,
    /// Old code → new code.
    pub renamed: BTreeMap<String, String>,
    /// Old codes with no counterpart in the new version.
    pub dropped: BTreeSet<String>,
}

impl VersionMap {
    /// The code this old code has in the new version, or `None` when it was dropped.
    pub fn map<'a>(&'a self, code: &'a str) -> Option<&'a str> {
        if self.dropped.contains(code) {
            return None;
        }
        Some(self.renamed.get(code).map_or(code, String::as_str))
    }
}

/// Everything the scoring can be told.
#[derive(Debug, Clone, Default)]
pub struct ScoringConfig {
    pub anonymity: Anonymity,
    pub confidence: ConfidenceRule,
    /// Mappings between catalogue versions (none are shipped yet).
    pub version_maps: Vec<VersionMap>,
}

impl ScoringConfig {
    pub fn with_anonymity(anonymity: Anonymity) -> Self {
        Self {
            anonymity,
            ..Self::default()
        }
    }

    pub(super) fn version_map(&self, from: &str, to: &str) -> Option<&VersionMap> {
        self.version_maps
            .iter()
            .find(|m| m.from == from && m.to == to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_is_never_below_three() {
        assert_eq!(Anonymity::default().threshold(), 5);
        assert_eq!(Anonymity::new(2), Err(ScoringError::ThresholdTooLow(2)));
        assert_eq!(Anonymity::parse(" 3 ").map(Anonymity::threshold), Ok(3));
        assert!(matches!(
            Anonymity::parse("drie"),
            Err(ScoringError::ThresholdNotANumber(_))
        ));
        let msg = Anonymity::parse("1").err().map(|e| e.to_string());
        assert!(msg.is_some_and(|m| m.contains("never be below 3")));
    }

    #[test]
    fn a_version_map_renames_and_drops() {
        let mut m = VersionMap::default();
        m.renamed.insert("A1Q9".into(), "A1Q5".into());
        m.dropped.insert("A2Q7".into());
        assert_eq!(m.map("A1Q9"), Some("A1Q5"));
        assert_eq!(m.map("A2Q7"), None);
        assert_eq!(m.map("A3Q1"), Some("A3Q1"));
    }
}
