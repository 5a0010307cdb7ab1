//! The catalogue files exactly as written (serde shapes of the TOML). Unknown keys are refused so a typo
//! does not silently drop data; texts stay optional here so a missing translation is reported by entry
//! code rather than as a bare syntax error.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawText {
    pub nl: Option<String>,
    pub en: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    pub version: String,
    pub title: RawText,
    #[serde(default, rename = "source")]
    pub sources: Vec<RawSource>,
    /// The words the reports use, with what they mean (`[[term]]`).
    #[serde(default, rename = "term")]
    pub glossary: Vec<RawTerm>,
    pub counts: Counts,
}

/// A glossary entry: the word (or abbreviation) and what it means, in both languages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub term: RawText,
    pub meaning: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub year: u16,
}

/// What a complete catalogue holds; the loader compares the content with these numbers.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub aspects: usize,
    pub min_indicators_per_aspect: usize,
    pub recommendation_clusters: usize,
    pub recommendations: usize,
    pub actions: usize,
    pub focus_areas: usize,
    pub competence_clusters: usize,
    pub competence_items: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AspectsFile {
    #[serde(default, rename = "aspect")]
    pub aspects: Vec<RawAspect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAspect {
    pub code: String,
    #[serde(default)]
    pub name: RawText,
    #[serde(default)]
    pub description: RawText,
    #[serde(default)]
    pub source: String,
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<RawStatement>,
}

/// An indicator or a competence item or a checklist item: a code, a text, a source.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatement {
    pub code: String,
    #[serde(default)]
    pub text: RawText,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub core: bool,
    pub poles: Option<RawPoles>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPoles {
    #[serde(default)]
    pub left: RawText,
    #[serde(default)]
    pub right: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationsFile {
    #[serde(default, rename = "actor")]
    pub actors: Vec<RawNamed>,
    #[serde(default, rename = "cluster")]
    pub clusters: Vec<RawNamed>,
    #[serde(default, rename = "recommendation")]
    pub recommendations: Vec<RawRecommendation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNamed {
    pub code: String,
    #[serde(default)]
    pub name: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecommendation {
    pub code: String,
    pub cluster: String,
    #[serde(default)]
    pub title: RawText,
    #[serde(default)]
    pub intended_result: RawText,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub serves: Vec<RawAspectLink>,
    #[serde(default, rename = "action")]
    pub actions: Vec<RawAction>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAspectLink {
    pub aspect: String,
    pub weight: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub code: String,
    #[serde(default)]
    pub text: RawText,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub source: String,
    /// Per actor code: what that actor does, in its own voice.
    #[serde(default)]
    pub voice: BTreeMap<String, RawText>,
    /// What the actors do, in the third person, for a reader who is not one of them.
    #[serde(default)]
    pub others: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetencesFile {
    #[serde(default, rename = "focus_area")]
    pub focus_areas: Vec<RawFocusArea>,
    #[serde(default, rename = "cluster")]
    pub clusters: Vec<RawCluster>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFocusArea {
    pub code: String,
    #[serde(default)]
    pub name: RawText,
    #[serde(default)]
    pub description: RawText,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCluster {
    pub code: String,
    pub focus_area: String,
    #[serde(default)]
    pub name: RawText,
    #[serde(default)]
    pub description: RawText,
    #[serde(default)]
    pub source: String,
    #[serde(default, rename = "item")]
    pub items: Vec<RawStatement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalesFile {
    #[serde(default, rename = "scale")]
    pub scales: Vec<RawScale>,
    #[serde(default, rename = "missing")]
    pub missing: Vec<RawMissing>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    pub code: String,
    pub min: u8,
    pub max: u8,
    #[serde(default)]
    pub name: RawText,
    #[serde(default)]
    pub source: String,
    #[serde(default, rename = "level")]
    pub levels: Vec<RawLevel>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevel {
    pub value: u8,
    #[serde(default)]
    pub label: RawText,
    #[serde(default)]
    pub description: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMissing {
    pub code: String,
    #[serde(default)]
    pub label: RawText,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleProfilesFile {
    #[serde(default, rename = "role")]
    pub roles: Vec<RawRole>,
    #[serde(default, rename = "group")]
    pub groups: Vec<RawGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub code: String,
    #[serde(default)]
    pub name: RawText,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub default: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRole {
    pub code: String,
    #[serde(default)]
    pub name: RawText,
    #[serde(default)]
    pub description: RawText,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub expected: BTreeMap<String, u8>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingsFile {
    #[serde(default)]
    pub aspect_weights: BTreeMap<String, f64>,
    #[serde(default)]
    pub competence_share: BTreeMap<String, f64>,
    #[serde(default)]
    pub cluster_aspect: Vec<RawClusterAspect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClusterAspect {
    pub cluster: String,
    pub aspect: String,
    pub weight: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistFile {
    pub code: String,
    #[serde(default)]
    pub name: RawText,
    #[serde(default)]
    pub description: RawText,
    #[serde(default)]
    pub source: String,
    pub aspect: String,
    pub scale: String,
    #[serde(default, rename = "item")]
    pub items: Vec<RawStatement>,
}
