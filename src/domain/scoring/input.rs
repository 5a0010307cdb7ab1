//! What the scoring reads: one organisation's scan with its respondents and their answers, as the
//! database layer hands them over. Plain data, no behaviour beyond small conveniences.

use std::collections::BTreeMap;
use std::sync::Arc;

/// One organisation's questionnaire round of one year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanInput {
    /// The organisation's slug (shown in its own score and in its own benchmark row only).
    pub organisation: String,
    pub sector: Option<String>,
    pub year: i32,
    /// The catalogue version the scan was taken with.
    pub catalogue_version: String,
    /// Staff headcount, for the response rate; unknown when `None`.
    pub staff_headcount: Option<u32>,
    pub respondents: Vec<RespondentInput>,
    /// The organisation's own expected levels, replacing the role profile's for a (role, cluster).
    pub role_overrides: RoleOverrides,
}

/// One respondent: pseudonym, position, team, respondent group, answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct RespondentInput {
    pub pseudonym: String,
    /// A role-profile code, or `None` when unknown.
    pub role: Option<String>,
    /// The team's name, or `None`.
    pub team: Option<String>,
    /// A respondent-group code, or `None` when unknown.
    pub group: Option<String>,
    pub answers: Vec<AnswerInput>,
}

/// One answer: the indicator or item code and the value, `None` when missing (don't know, n/a, empty).
/// The code is shared (`Arc<str>`): a federation's two million answers use a few hundred codes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AnswerInput {
    pub code: Arc<str>,
    pub value: Option<i16>,
}

impl AnswerInput {
    pub fn new(code: impl Into<Arc<str>>, value: Option<i16>) -> Self {
        Self {
            code: code.into(),
            value,
        }
    }
}

/// An organisation's overrides of the role profiles: role → cluster → expected proficiency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleOverrides(BTreeMap<String, BTreeMap<String, u8>>);

impl RoleOverrides {
    pub fn insert(&mut self, role: impl Into<String>, cluster: impl Into<String>, expected: u8) {
        self.0
            .entry(role.into())
            .or_default()
            .insert(cluster.into(), expected);
    }

    pub fn get(&self, role: &str, cluster: &str) -> Option<u8> {
        self.0.get(role)?.get(cluster).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
