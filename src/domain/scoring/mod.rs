//! Readiness scoring: from one organisation's answers to an aspect score per implementation aspect, a
//! cluster mean per competence cluster, a readiness index with a stage, priorities, trends, and a
//! federation benchmark. Pure: no database, no IO. `docs/scoring.md` explains the method in plain
//! words with a worked example (a test in `tests`).
//!
//! In short:
//! - a missing answer is left out, never counted as zero;
//! - respondent first: each respondent's own mean per aspect (indicators) and per cluster (items);
//! - respondent groups side by side: an aspect's maturity is the mean over the groups shown;
//! - aspect score = (1 − share) × indicator part + share × competence part (share from the catalogue);
//! - index = weighted mean of the aspect scores; stage capped at one above the weakest aspect's stage;
//! - nothing resting on fewer respondents than the anonymity threshold is shown.

mod aspects;
mod benchmark;
mod breakdowns;
mod clusters;
mod confidence;
mod config;
mod input;
mod model;
mod overall;
mod priorities;
mod report;
mod stats;
mod trend;

#[cfg(test)]
mod tests;

pub use aspects::PERCEPTION_GAP_LEVELS;
pub use benchmark::*;
pub use config::*;
pub use input::*;
pub use model::{CodeHasher, CodeMap, RespondentScores, UNKNOWN_GROUP, respondent_scores};
pub use overall::stage;
pub use priorities::{FEDERATION_ACTOR, ORGANISATION_ACTOR, TOP_ASPECTS};
pub use report::*;
pub use stats::{percentile_rank, quantile, round1, round3};

use crate::domain::catalogue::Catalogue;
use model::{Model, Tallied};

/// Scores scans against one catalogue with one configuration. Build it once, score many scans.
pub struct Scorer<'c> {
    model: Model<'c>,
    config: ScoringConfig,
}

impl<'c> Scorer<'c> {
    pub fn new(catalogue: &'c Catalogue, config: ScoringConfig) -> Self {
        Self {
            model: Model::new(catalogue),
            config,
        }
    }

    pub fn config(&self) -> &ScoringConfig {
        &self.config
    }

    pub fn catalogue(&self) -> &'c Catalogue {
        self.model.cat
    }

    /// The score of a scan, with trends against `previous` (the organisation's latest earlier scan).
    pub fn score(&self, scan: &ScanInput, previous: Option<&ScanInput>) -> ScoreReport {
        let mut report = self.score_one(scan);
        if !report.suppressed.organisation {
            trend::apply(self, &mut report, scan, previous);
        }
        report
    }

    /// The score of a scan on its own (no trend).
    pub(crate) fn score_one(&self, scan: &ScanInput) -> ScoreReport {
        let model = &self.model;
        let config = &self.config;
        let mut respondents: Vec<Tallied> =
            scan.respondents.iter().map(|r| model.tally(r)).collect();
        // A stable order makes every sum, and so every rounded figure, independent of input order.
        respondents.sort_by(|a, b| a.input.cmp(b.input));
        let mut report = ScoreReport {
            organisation: scan.organisation.clone(),
            year: scan.year,
            catalogue_version: scan.catalogue_version.clone(),
            anonymity_threshold: config.anonymity.threshold(),
            respondents: respondents.len(),
            staff_headcount: scan.staff_headcount,
            overall: None,
            overall_trend: None,
            stage: None,
            stage_rule: None,
            confidence: None,
            previous: None,
            aspects: Vec::new(),
            clusters: Vec::new(),
            priorities: Vec::new(),
            cluster_gaps: Vec::new(),
            teams: Vec::new(),
            roles: Vec::new(),
            suppressed: Suppressed::default(),
            notes: Vec::new(),
        };
        if scan.catalogue_version != model.cat.version {
            report.notes.push(Note::new(
                "catalogue_version_differs",
                format!(
                    "De scan werd afgenomen met catalogusversie {}, de score gebruikt versie {}.",
                    scan.catalogue_version, model.cat.version
                ),
                format!(
                    "The scan was taken with catalogue version {}, the score uses version {}.",
                    scan.catalogue_version, model.cat.version
                ),
            ));
        }
        if !config.anonymity.allows(respondents.len()) {
            report.suppressed = Suppressed {
                organisation: true,
                respondents_in_suppressed: respondents.len(),
                ..Suppressed::default()
            };
            report.notes.push(Note::new(
                "organisation_below_threshold",
                format!(
                    "Deze scan heeft {} respondent(en), minder dan de anonimiteitsdrempel van {}: er worden geen cijfers getoond.",
                    respondents.len(),
                    config.anonymity.threshold()
                ),
                format!(
                    "This scan has {} respondent(s), fewer than the anonymity threshold of {}: no figures are shown.",
                    respondents.len(),
                    config.anonymity.threshold()
                ),
            ));
            return report;
        }
        let split = breakdowns::split(model, config, &respondents);
        let (clusters, cluster_means) = clusters::score(model, config, scan, &respondents);
        report.aspects = aspects::score(
            model,
            config,
            scan,
            &respondents,
            &split.groups,
            &cluster_means,
        );
        let overall = overall::overall(&report.aspects);
        report.overall = overall.index;
        report.stage = overall.stage;
        report.stage_rule = overall.rule;
        let (answered, missing) = confidence::totals(
            respondents
                .iter()
                .flat_map(|r| r.aspects.iter().chain(r.clusters.iter()).copied()),
        );
        report.confidence = Some(confidence::of(
            config,
            respondents.len(),
            scan.staff_headcount,
            answered,
            missing,
        ));
        report.priorities = priorities::aspects(
            model.cat,
            report
                .aspects
                .iter()
                .filter_map(|a| Some((a.code.as_str(), a.score?, a.weight))),
            ORGANISATION_ACTOR,
        );
        report.cluster_gaps = priorities::cluster_gaps(&clusters);
        report.clusters = clusters;
        report.teams = breakdowns::teams(model, config, &respondents, &split.teams);
        report.roles = breakdowns::roles(model, config, scan, &respondents, &split.roles);
        report.suppressed = split.suppressed;
        report
    }
}

/// Score one scan on its own, without a previous scan (convenience for tests and examples).
pub fn score(catalogue: &Catalogue, config: ScoringConfig, scan: &ScanInput) -> ScoreReport {
    Scorer::new(catalogue, config).score(scan, None)
}
