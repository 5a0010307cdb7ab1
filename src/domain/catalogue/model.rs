//! The validated catalogue: what every score, import and report reads. Built only by
//! [`super::parse`], so every value here has passed validation (codes unique, references resolved,
//! both languages present, counts as declared).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::domain::text::Text;

/// The whole catalogue, in the order of its files. Serialises to the stable JSON of `blendscan framework --json`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Catalogue {
    pub version: String,
    pub title: Text,
    pub sources: Vec<Source>,
    /// The one vocabulary of the reports: each word or abbreviation with its meaning.
    pub glossary: Vec<Term>,
    pub aspects: Vec<Aspect>,
    pub actors: Vec<Actor>,
    pub recommendation_clusters: Vec<RecommendationCluster>,
    pub recommendations: Vec<Recommendation>,
    pub focus_areas: Vec<FocusArea>,
    pub clusters: Vec<Cluster>,
    pub scales: Vec<Scale>,
    pub missing: Vec<MissingLabel>,
    pub role_profiles: Vec<RoleProfile>,
    pub respondent_groups: Vec<RespondentGroup>,
    pub mappings: Mappings,
    pub checklists: Vec<Checklist>,
    #[serde(skip)]
    pub(super) index: HashMap<String, Scored>,
}

/// A source document the catalogue cites (the seeds).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Source {
    pub code: String,
    pub title: String,
    pub publisher: String,
    pub year: u16,
}

/// A glossary entry: a word or abbreviation the reports use and what it means.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Term {
    pub term: Text,
    pub meaning: Text,
}

/// One of the nine implementation aspects (A1–A9).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Aspect {
    pub code: String,
    pub name: Text,
    pub description: Text,
    pub source: String,
    pub indicators: Vec<Indicator>,
}

/// An organisation-level statement scored on the maturity scale (`A6Q3`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Indicator {
    pub code: String,
    pub text: Text,
    pub source: String,
}

/// Someone an action involves (organisation, federation, support centre, …).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Actor {
    pub code: String,
    pub name: Text,
}

/// One of the four clusters of the advice to Opgroeien.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecommendationCluster {
    pub code: String,
    pub name: Text,
    pub recommendations: Vec<String>,
}

/// One of the 20 recommendations (R1–R20).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Recommendation {
    pub code: String,
    pub cluster: String,
    pub title: Text,
    pub intended_result: Text,
    pub source: String,
    pub serves: Vec<AspectLink>,
    pub actions: Vec<Action>,
}

/// A weighted link to an aspect.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AspectLink {
    pub aspect: String,
    pub weight: f64,
}

/// One of the 64 actions (`R14.2`). `text` is the action as the advice gives it to the agency;
/// a report speaks to its reader, so it prints `voice` for an actor that reads its own part and
/// `others` for what the rest do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Action {
    pub code: String,
    pub text: Text,
    pub actors: Vec<String>,
    pub source: String,
    /// Per actor code: what that actor does, in that actor's words ("Neem … op in uw IKZ").
    /// Always present for the organisation and the federation when they are among the actors.
    pub voice: BTreeMap<String, Text>,
    /// What the actors do, in the third person ("Opgroeien en de koepels …").
    pub others: Text,
}

impl Action {
    pub fn involves(&self, actor: &str) -> bool {
        self.actors.iter().any(|a| a == actor)
    }

    /// What `actor` does, in its own words; `None` when the catalogue gives that actor no text.
    pub fn voice(&self, actor: &str) -> Option<&Text> {
        self.voice.get(actor)
    }

    /// The action as a reader of `actor`'s report reads it: that actor's own words when it has
    /// them, otherwise what the others do. Never the agency's imperative `text`.
    pub fn told_to(&self, actor: &str) -> &Text {
        self.voice(actor).unwrap_or(&self.others)
    }
}

/// A focus area of the competence framework (F1–F3).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FocusArea {
    pub code: String,
    pub name: Text,
    pub description: Text,
    pub source: String,
    pub clusters: Vec<String>,
}

/// A competence cluster (C1–C9).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Cluster {
    pub code: String,
    pub focus_area: String,
    pub name: Text,
    pub description: Text,
    pub source: String,
    pub items: Vec<CompetenceItem>,
}

/// Knowledge, skill or attitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Knowledge,
    Skill,
    Attitude,
}

impl ItemKind {
    pub fn letter(self) -> char {
        match self {
            ItemKind::Knowledge => 'K',
            ItemKind::Skill => 'S',
            ItemKind::Attitude => 'A',
        }
    }

    pub fn from_letter(c: char) -> Option<Self> {
        match c {
            'K' => Some(ItemKind::Knowledge),
            'S' => Some(ItemKind::Skill),
            'A' => Some(ItemKind::Attitude),
            _ => None,
        }
    }
}

/// A competence item scored on the proficiency scale (`C1K1`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompetenceItem {
    pub code: String,
    pub kind: ItemKind,
    pub text: Text,
    pub source: String,
    pub core: bool,
}

/// An answer scale with its labelled levels.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Scale {
    pub code: String,
    pub name: Text,
    pub min: u8,
    pub max: u8,
    pub source: String,
    pub levels: Vec<ScaleLevel>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScaleLevel {
    pub value: u8,
    pub label: Text,
    pub description: Text,
}

/// A label meaning "no answer" (don't know, not applicable): left out, never counted as zero.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MissingLabel {
    pub code: String,
    pub label: Text,
    pub aliases: Vec<String>,
}

/// Expected proficiency per cluster for a position.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleProfile {
    pub code: String,
    pub name: Text,
    pub description: Text,
    pub source: String,
    pub aliases: Vec<String>,
    pub expected: BTreeMap<String, u8>,
}

/// A group of respondents scored side by side (management, staff, client representatives, partners).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RespondentGroup {
    pub code: String,
    pub name: Text,
    pub aliases: Vec<String>,
    /// The group of respondents whose file has no group column.
    pub default: bool,
}

/// How the parts feed the readiness score.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Mappings {
    pub aspect_weights: BTreeMap<String, f64>,
    pub competence_share: BTreeMap<String, f64>,
    pub cluster_aspect: Vec<ClusterAspect>,
    pub recommendation_aspect: Vec<RecommendationAspect>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClusterAspect {
    pub cluster: String,
    pub aspect: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecommendationAspect {
    pub recommendation: String,
    pub aspect: String,
    pub weight: f64,
}

/// A short structured instrument (positioning questions, paradoxes, …).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Checklist {
    pub code: String,
    pub name: Text,
    pub description: Text,
    pub source: String,
    pub aspect: String,
    pub scale: String,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChecklistItem {
    pub code: String,
    pub text: Text,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poles: Option<Poles>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Poles {
    pub left: Text,
    pub right: Text,
}

/// What a questionnaire column code refers to, and the scale its answers use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scored {
    Indicator {
        aspect: String,
        scale: String,
    },
    Competence {
        cluster: String,
        kind: ItemKind,
        scale: String,
    },
    ChecklistItem {
        checklist: String,
        scale: String,
    },
}

impl Scored {
    pub fn scale(&self) -> &str {
        match self {
            Scored::Indicator { scale, .. }
            | Scored::Competence { scale, .. }
            | Scored::ChecklistItem { scale, .. } => scale,
        }
    }
}

impl Catalogue {
    /// The answerable thing (indicator, competence item, checklist item) with this code, case-insensitive.
    pub fn scored(&self, code: &str) -> Option<&Scored> {
        self.index.get(&code.to_ascii_uppercase())
    }

    pub fn scale(&self, code: &str) -> Option<&Scale> {
        self.scales.iter().find(|s| s.code == code)
    }

    pub fn aspect(&self, code: &str) -> Option<&Aspect> {
        self.aspects.iter().find(|a| a.code == code)
    }

    pub fn cluster(&self, code: &str) -> Option<&Cluster> {
        self.clusters.iter().find(|c| c.code == code)
    }

    pub fn role_profile(&self, code: &str) -> Option<&RoleProfile> {
        self.role_profiles.iter().find(|r| r.code == code)
    }

    /// The group respondents belong to when their file says nothing.
    pub fn default_group(&self) -> Option<&RespondentGroup> {
        self.respondent_groups.iter().find(|g| g.default)
    }

    pub fn action_count(&self) -> usize {
        self.recommendations.iter().map(|r| r.actions.len()).sum()
    }

    pub fn competence_item_count(&self) -> usize {
        self.clusters.iter().map(|c| c.items.len()).sum()
    }

    /// Recommendations that serve an aspect, strongest link first (ties in catalogue order).
    pub fn recommendations_for(&self, aspect: &str) -> Vec<&Recommendation> {
        let mut found: Vec<(&Recommendation, f64)> = self
            .recommendations
            .iter()
            .filter_map(|r| {
                r.serves
                    .iter()
                    .find(|l| l.aspect == aspect)
                    .map(|l| (r, l.weight))
            })
            .collect();
        found.sort_by(|a, b| b.1.total_cmp(&a.1));
        found.into_iter().map(|(r, _)| r).collect()
    }
}
