//! The method page of a scan report: the installation's anonymity and confidence rules, and from the
//! catalogue the weights and competence shares per aspect, the expected level per role, the glossary
//! and the advice it cites — so the page says exactly what the scoring did.

use serde::Serialize;

use crate::domain::catalogue::Catalogue;
use crate::domain::format;
use crate::domain::scoring::{ScoringConfig, Stage};
use crate::domain::text::Lang;

#[derive(Serialize)]
pub struct Method {
    threshold: usize,
    min_respondents: usize,
    min_response_rate: String,
    max_missing_share: String,
    stage_thresholds: Vec<f64>,
    groups: Vec<String>,
    /// Per aspect: its weight in the index (as a share of all weights) and its competence share.
    weights: Vec<WeightRow>,
    /// The clusters (codes) and the level each role is expected to reach in them.
    clusters: Vec<String>,
    roles: Vec<RoleRow>,
    /// The catalogue's glossary, in the report's language.
    glossary: Vec<TermView>,
    /// The advice the recommendations and actions come from, as a citation.
    advice_source: Option<String>,
}

#[derive(Serialize)]
struct WeightRow {
    code: String,
    name: String,
    weight: String,
    competence_share: Option<String>,
}

#[derive(Serialize)]
struct RoleRow {
    name: String,
    expected: Vec<Option<u8>>,
}

#[derive(Serialize)]
struct TermView {
    term: String,
    meaning: String,
}

/// The method page's figures and words, all read from the catalogue and the configuration.
pub fn method(cat: &Catalogue, config: &ScoringConfig, lang: Lang) -> Method {
    let weights = &cat.mappings.aspect_weights;
    let total: f64 = cat
        .aspects
        .iter()
        .filter_map(|a| weights.get(&a.code))
        .sum();
    Method {
        threshold: config.anonymity.threshold(),
        min_respondents: config.confidence.min_respondents,
        min_response_rate: format::percent(config.confidence.min_response_rate, lang),
        max_missing_share: format::percent(config.confidence.max_missing_share, lang),
        stage_thresholds: Stage::THRESHOLDS.to_vec(),
        groups: cat
            .respondent_groups
            .iter()
            .map(|g| g.name.get(lang).to_owned())
            .collect(),
        weights: cat
            .aspects
            .iter()
            .map(|a| WeightRow {
                code: a.code.clone(),
                name: a.name.get(lang).to_owned(),
                weight: match weights.get(&a.code) {
                    Some(w) if total > 0.0 => format::percent(w / total, lang),
                    _ => "–".to_owned(),
                },
                competence_share: cat
                    .mappings
                    .competence_share
                    .get(&a.code)
                    .map(|s| format::percent(*s, lang)),
            })
            .collect(),
        clusters: cat.clusters.iter().map(|c| c.code.clone()).collect(),
        roles: cat
            .role_profiles
            .iter()
            .map(|r| RoleRow {
                name: r.name.get(lang).to_owned(),
                expected: cat
                    .clusters
                    .iter()
                    .map(|c| r.expected.get(&c.code).copied())
                    .collect(),
            })
            .collect(),
        glossary: cat
            .glossary
            .iter()
            .map(|t| TermView {
                term: t.term.get(lang).to_owned(),
                meaning: t.meaning.get(lang).to_owned(),
            })
            .collect(),
        // The document the recommendations cite (their `source` starts with its code).
        advice_source: cat
            .recommendations
            .first()
            .and_then(|r| r.source.split_whitespace().next())
            .and_then(|code| cat.sources.iter().find(|s| s.code == code))
            .map(|s| format!("{} ({}). {}.", s.publisher, s.year, s.title)),
    }
}
