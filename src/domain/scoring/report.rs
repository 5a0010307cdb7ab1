//! The score of one scan as it leaves the scoring: the stable JSON of `blendscan score --json` and the
//! data of the reports. Every figure is already rounded (scores and means to one decimal, shares to
//! three); every list is in catalogue order or ranked with ties broken by code.

use serde::Serialize;

use crate::domain::text::{Lang, Text};

/// How far the organisation is, from the readiness index, capped by its weakest aspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Start,
    InDevelopment,
    Advanced,
    Embedded,
}

impl Stage {
    /// Lower bounds (0–100) of in development, advanced and embedded.
    pub const THRESHOLDS: [f64; 3] = [25.0, 50.0, 75.0];

    /// The stage a score (0–100) falls in.
    pub fn of(score: f64) -> Stage {
        match score {
            s if s < Self::THRESHOLDS[0] => Stage::Start,
            s if s < Self::THRESHOLDS[1] => Stage::InDevelopment,
            s if s < Self::THRESHOLDS[2] => Stage::Advanced,
            _ => Stage::Embedded,
        }
    }

    /// One stage up (embedded stays embedded).
    pub fn next(self) -> Stage {
        match self {
            Stage::Start => Stage::InDevelopment,
            Stage::InDevelopment => Stage::Advanced,
            Stage::Advanced | Stage::Embedded => Stage::Embedded,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Stage::Start, Lang::Nl) => "startend",
            (Stage::Start, Lang::En) => "starting",
            (Stage::InDevelopment, Lang::Nl) => "in ontwikkeling",
            (Stage::InDevelopment, Lang::En) => "in development",
            (Stage::Advanced, Lang::Nl) => "gevorderd",
            (Stage::Advanced, Lang::En) => "advanced",
            (Stage::Embedded, Lang::Nl) => "verankerd",
            (Stage::Embedded, Lang::En) => "embedded",
        }
    }
}

/// Something the reader must know about a figure, with a stable code and a text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Note {
    pub code: &'static str,
    pub text: Text,
}

impl Note {
    pub fn new(code: &'static str, nl: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            code,
            text: Text {
                nl: nl.into(),
                en: en.into(),
            },
        }
    }
}

/// What a figure rests on, and whether that is too little.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Confidence {
    /// Respondents behind the figure.
    pub n: usize,
    /// `n` / staff headcount (at most 1); `null` when the headcount is unknown.
    pub response_rate: Option<f64>,
    /// Missing answers / all answers behind the figure; `null` when there are none.
    pub missing_share: Option<f64>,
    pub low: bool,
    /// Why it is low: `few_respondents`, `low_response_rate`, `many_missing`.
    pub reasons: Vec<&'static str>,
}

/// One respondent group's mean maturity for an aspect (only groups at or above the threshold).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GroupScore {
    pub group: String,
    pub n: usize,
    /// Mean maturity (0–4) of the group's respondents.
    pub maturity: f64,
}

/// The largest difference between two shown groups; flagged from one maturity level.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PerceptionGap {
    pub size: f64,
    pub high: String,
    pub low: String,
    pub flagged: bool,
}

/// What an aspect score is based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    IndicatorsAndCompetences,
    Indicators,
    Competences,
    None,
}

/// One implementation aspect.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AspectScore {
    pub code: String,
    /// 0–100; `null` without data.
    pub score: Option<f64>,
    pub n: usize,
    pub weight: f64,
    /// Mean maturity (0–4) over the shown groups.
    pub maturity: Option<f64>,
    pub indicator_part: Option<f64>,
    pub competence_part: Option<f64>,
    pub competence_share: f64,
    pub basis: Basis,
    pub groups: Vec<GroupScore>,
    pub perception_gap: Option<PerceptionGap>,
    /// Change against the previous scan, in points.
    pub trend: Option<f64>,
    pub confidence: Confidence,
    pub notes: Vec<Note>,
}

/// One competence cluster.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ClusterScore {
    pub code: String,
    /// Mean proficiency (1–5).
    pub mean: Option<f64>,
    pub n: usize,
    /// Share of respondents with a known role at or above their role's expected level.
    pub at_expected_share: Option<f64>,
    /// Respondents with a known role behind `at_expected_share`.
    pub with_role: usize,
    /// Mean shortfall below the expected level (0 when everyone meets it).
    pub gap: Option<f64>,
    pub trend: Option<f64>,
    pub confidence: Confidence,
}

/// An aspect to work on first, with the catalogue's answers to it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Priority {
    pub rank: usize,
    pub aspect: String,
    pub score: f64,
    pub weight: f64,
    /// (100 − score) × weight.
    pub priority: f64,
    /// Recommendations serving the aspect, strongest link first.
    pub recommendations: Vec<String>,
    /// Their actions for this actor (organisation, or federation in a benchmark).
    pub actions: Vec<String>,
}

/// A cluster ranked by its gap to the role profiles.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ClusterGap {
    pub rank: usize,
    pub cluster: String,
    pub gap: f64,
    pub at_expected_share: Option<f64>,
}

/// A figure of a breakdown, with the respondents behind it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BreakdownFigure {
    pub code: String,
    pub value: f64,
    pub n: usize,
}

/// A team at or above the threshold: mean maturity per aspect, mean proficiency per cluster.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TeamBreakdown {
    pub team: String,
    pub n: usize,
    pub aspects: Vec<BreakdownFigure>,
    pub clusters: Vec<BreakdownFigure>,
}

/// A role at or above the threshold: mean proficiency per cluster against the expected level.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RoleBreakdown {
    pub role: String,
    pub n: usize,
    pub clusters: Vec<RoleCluster>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RoleCluster {
    pub code: String,
    pub mean: f64,
    pub n: usize,
    pub expected: Option<u8>,
    pub at_expected_share: Option<f64>,
}

/// What was left out for anonymity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Suppressed {
    /// The whole scan has fewer respondents than the threshold: no figures at all.
    pub organisation: bool,
    pub groups: usize,
    pub teams: usize,
    pub roles: usize,
    /// Distinct respondents in at least one left-out breakdown (they still count in the totals).
    pub respondents_in_suppressed: usize,
}

/// The stage rule applied: the index's stage, capped at one above the weakest aspect's stage.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StageRule {
    pub by_index: Stage,
    pub weakest_aspect: String,
    pub weakest_score: f64,
    pub weakest_stage: Stage,
    pub capped: bool,
}

/// The scan a trend compares with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PreviousScan {
    pub year: i32,
    pub catalogue_version: String,
    /// Same catalogue version, or an explicit code mapping exists.
    pub comparable: bool,
}

/// The score of one scan.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScoreReport {
    pub organisation: String,
    pub year: i32,
    pub catalogue_version: String,
    pub anonymity_threshold: usize,
    pub respondents: usize,
    pub staff_headcount: Option<u32>,
    /// Readiness index 0–100.
    pub overall: Option<f64>,
    pub overall_trend: Option<f64>,
    pub stage: Option<Stage>,
    pub stage_rule: Option<StageRule>,
    pub confidence: Option<Confidence>,
    pub previous: Option<PreviousScan>,
    pub aspects: Vec<AspectScore>,
    pub clusters: Vec<ClusterScore>,
    pub priorities: Vec<Priority>,
    pub cluster_gaps: Vec<ClusterGap>,
    pub teams: Vec<TeamBreakdown>,
    pub roles: Vec<RoleBreakdown>,
    pub suppressed: Suppressed,
    pub notes: Vec<Note>,
}

impl ScoreReport {
    pub fn aspect(&self, code: &str) -> Option<&AspectScore> {
        self.aspects.iter().find(|a| a.code == code)
    }

    pub fn cluster(&self, code: &str) -> Option<&ClusterScore> {
        self.clusters.iter().find(|c| c.code == code)
    }
}
