//! The score of one scan as it leaves the scoring: the stable JSON of `blendscan score --json` and the
//! data of the reports. Every figure is already rounded (scores and means to one decimal, shares to
//! three); every list is in catalogue order or ranked with ties broken by code.

use serde::Serialize;

use crate::domain::text::{Lang, Text};

/// The version of the scoring method; every score and report carries it, and earlier years are
/// recomputed with it for trends. Raise it whenever a published figure would change for the same data.
pub const METHOD_VERSION: &str = "2026.2";

/// How far the organisation is: the maturity level its index reaches (the scale's own labels), capped
/// by its weakest aspect. Levels 0 and 1 of the scale ("niet aanwezig", "verkennend") are one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Start,
    Developing,
    Applied,
    Embedded,
}

impl Stage {
    /// Lower bounds (0–100) of developing, applied and embedded: the index is 25 points per maturity
    /// level, and a stage is the level its average reaches when rounded (2 "in opbouw" from 37.5).
    pub const THRESHOLDS: [f64; 3] = [37.5, 62.5, 87.5];

    /// The four stages, from start to embedded.
    pub const ALL: [Stage; 4] = [
        Stage::Start,
        Stage::Developing,
        Stage::Applied,
        Stage::Embedded,
    ];

    /// The stage a score (0–100) falls in.
    pub fn of(score: f64) -> Stage {
        match score {
            s if s < Self::THRESHOLDS[0] => Stage::Start,
            s if s < Self::THRESHOLDS[1] => Stage::Developing,
            s if s < Self::THRESHOLDS[2] => Stage::Applied,
            _ => Stage::Embedded,
        }
    }

    /// Place on the scale, 0 (start) to 3 (embedded).
    pub fn index(self) -> usize {
        self as usize
    }

    /// One stage up (embedded stays embedded).
    pub fn next(self) -> Stage {
        match self {
            Stage::Start => Stage::Developing,
            Stage::Developing => Stage::Applied,
            Stage::Applied | Stage::Embedded => Stage::Embedded,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Stage::Start, Lang::Nl) => "startend",
            (Stage::Start, Lang::En) => "starting",
            (Stage::Developing, Lang::Nl) => "in opbouw",
            (Stage::Developing, Lang::En) => "developing",
            (Stage::Applied, Lang::Nl) => "toegepast",
            (Stage::Applied, Lang::En) => "applied",
            (Stage::Embedded, Lang::Nl) => "verankerd",
            (Stage::Embedded, Lang::En) => "embedded",
        }
    }
}

/// A 95 % interval around a figure, on the figure's own scale (rounded as the figure).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// Whether two intervals share a point: then their order is not established.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.low <= other.high && other.low <= self.high
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
    /// Staff (management and staff groups) behind the figure / staff headcount (at most 1); `null`
    /// when the headcount is unknown. Client representatives and partners are not staff.
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
    /// Half the width of the 95 % interval of the difference (Welch): a smaller gap is noise.
    pub noise: f64,
    /// At least one maturity level and larger than its noise.
    pub flagged: bool,
}

/// How often an indicator was left unanswered ("weet ik niet", not applicable, empty): a finding of its
/// own when many do not know (nobody knows whether there is a policy).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IndicatorSignal {
    pub code: String,
    /// Respondents who were asked (answered or left it missing).
    pub n: usize,
    pub answered: usize,
    pub unknown_share: f64,
    /// At least [`UNKNOWN_SIGNAL_SHARE`](super::UNKNOWN_SIGNAL_SHARE) of them do not know.
    pub unknown_in_organisation: bool,
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
    /// The 95 % interval of the score.
    pub interval: Option<Interval>,
    pub n: usize,
    pub weight: f64,
    /// Mean maturity (0–4) over all respondents who answered the aspect, each counted once.
    pub maturity: Option<f64>,
    pub maturity_interval: Option<Interval>,
    /// Share of the aspect's indicators answered by anyone; under the minimum the aspect has no score.
    pub indicator_coverage: f64,
    pub indicator_part: Option<f64>,
    /// Mean attainment of the role's expected level over the linked clusters (100 = at the profile).
    pub competence_part: Option<f64>,
    pub competence_n: usize,
    pub competence_share: f64,
    pub basis: Basis,
    pub groups: Vec<GroupScore>,
    pub perception_gap: Option<PerceptionGap>,
    /// Per indicator: how many do not know.
    pub unknown: Vec<IndicatorSignal>,
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
    pub interval: Option<Interval>,
    pub n: usize,
    /// Share of respondents with a known role at or above their role's expected level (whole
    /// percent: two decimals).
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
    pub interval: Option<Interval>,
    pub weight: f64,
    /// (100 − score) × weight.
    pub priority: f64,
    /// Aspects whose priority interval overlaps this one's: their order is not established.
    pub tied_with: Vec<String>,
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
    /// Breakdown figures on enough respondents hidden all the same, because with the other figures
    /// they would give away a figure about fewer than the threshold (complementary suppression).
    pub complementary: usize,
}

/// Who answered: staff (management and staff groups) against the headcount, the others beside it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Response {
    pub staff: usize,
    pub staff_headcount: Option<u32>,
    /// `staff` / headcount (at most 1).
    pub staff_rate: Option<f64>,
    pub client_representatives: usize,
    pub partners: usize,
    /// Respondents of no known group.
    pub unknown: usize,
}

/// The stage rule applied: the index's stage, capped at one above the weakest aspect's stage.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StageRule {
    /// Aspects with a score, of the aspects with a weight; a stage needs at least
    /// [`MIN_SCORED_ASPECTS`](super::MIN_SCORED_ASPECTS).
    pub scored_aspects: usize,
    pub weighted_aspects: usize,
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
    pub method_version: &'static str,
    pub anonymity_threshold: usize,
    pub respondents: usize,
    pub staff_headcount: Option<u32>,
    pub response: Response,
    /// Readiness index 0–100.
    pub overall: Option<f64>,
    pub overall_trend: Option<f64>,
    pub index_interval: Option<Interval>,
    /// `null` when too few aspects are scored (see `stage_rule.coverage`).
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
