//! Readiness scoring: from one organisation's answers to an aspect score per implementation aspect, a
//! cluster mean per competence cluster, a readiness index with a stage, priorities, trends, and a
//! federation benchmark. Pure: no database, no IO. `docs/scoring.md` explains the method in plain
//! words with a worked example (a test in `tests`).
//!
//! In short:
//! - a missing answer is left out, never counted as zero;
//! - respondent first: each respondent's own mean per aspect (indicators) and per cluster (items);
//! - an aspect's maturity is the mean over everyone who answered, each once; groups shown beside it;
//! - aspect score = (1 − share) × indicator part + share × competence part (share from the catalogue),
//!   the competence part relative to each respondent's role profile; every figure with an interval;
//! - index = weighted mean of the aspect scores; stage the level the index reaches, capped at one above
//!   the weakest aspect's stage, and only with enough aspects scored;
//! - nothing resting on fewer respondents than the anonymity threshold is shown, nor derivable from
//!   what is shown (`disclosure`).

mod aspects;
mod benchmark;
mod breakdowns;
mod clusters;
mod confidence;
mod config;
mod disclosure;
mod input;
mod model;
mod overall;
mod priorities;
mod report;
mod stats;
mod trend;

#[cfg(test)]
mod tests;

pub use aspects::{MIN_INDICATOR_COVERAGE, PERCEPTION_GAP_LEVELS, UNKNOWN_SIGNAL_SHARE};
pub use benchmark::*;
pub use config::*;
pub use input::*;
pub use model::{
    CodeHasher, CodeMap, RespondentScores, STAFF_GROUPS, UNKNOWN_GROUP, respondent_scores,
};
pub use overall::{MIN_SCORED_ASPECTS, stage};
pub use priorities::{FEDERATION_ACTOR, ORGANISATION_ACTOR, TOP_ASPECTS};
pub use report::*;
pub use stats::{percentile_rank, quantile, round_half_up, round1, round2, round3};

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
            method_version: METHOD_VERSION,
            anonymity_threshold: config.anonymity.threshold(),
            respondents: respondents.len(),
            staff_headcount: scan.staff_headcount,
            response: response(model, scan, &respondents),
            overall: None,
            overall_trend: None,
            index_interval: None,
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
        let mut split = breakdowns::split(model, config, &respondents);
        let vis = breakdowns::visibility(model, config, scan, &respondents, &mut split);
        let indicators = model.indicator_tallies(&respondents);
        report.aspects = aspects::score(&aspects::Inputs {
            model,
            config,
            scan,
            respondents: &respondents,
            groups: &split.groups,
            vis: &vis,
            indicators: &indicators,
        });
        let clusters = clusters::score(model, config, scan, &respondents);
        let overall = overall::overall(&report.aspects);
        report.overall = overall.index;
        report.index_interval = overall.interval;
        report.stage = overall.stage;
        report.stage_rule = overall.rule;
        if report.stage.is_none() && report.overall.is_some() {
            report.notes.push(Note::new(
                "too_few_aspects_for_a_stage",
                format!(
                    "Er zijn minder dan {MIN_SCORED_ASPECTS} aspecten met een score: er wordt geen fase gegeven."
                ),
                format!("Fewer than {MIN_SCORED_ASPECTS} aspects have a score: no stage is given."),
            ));
        }
        let (answered, missing) = confidence::totals(
            respondents
                .iter()
                .flat_map(|r| r.aspects.iter().chain(r.clusters.iter()).copied()),
        );
        report.confidence = Some(confidence::of(
            config,
            respondents.len(),
            report.response.staff,
            scan.staff_headcount,
            answered,
            missing,
        ));
        report.priorities = priorities::aspects(
            model.cat,
            report
                .aspects
                .iter()
                .filter_map(|a| Some((a.code.as_str(), a.score?, a.interval, a.weight))),
            ORGANISATION_ACTOR,
        );
        if let Some(p) = report.priorities.iter().find(|p| !p.tied_with.is_empty()) {
            let with = p.tied_with.join(", ");
            report.notes.push(Note::new(
                "priorities_tied",
                format!(
                    "De volgorde van de prioriteiten is niet zeker: {} is gelijk binnen de onzekerheid met {with}.",
                    p.aspect
                ),
                format!(
                    "The order of the priorities is not certain: {} is tied within the uncertainty with {with}.",
                    p.aspect
                ),
            ));
        }
        report.cluster_gaps = priorities::cluster_gaps(&clusters);
        report.clusters = clusters;
        report.teams = breakdowns::teams(model, config, &respondents, &split.teams, &vis);
        report.roles = breakdowns::roles(model, config, scan, &respondents, &split.roles, &vis);
        report.suppressed = split.suppressed;
        report
    }
}

/// Who answered: staff against the headcount, clients, partners and unknown beside it.
fn response(model: &Model, scan: &ScanInput, respondents: &[Tallied]) -> Response {
    let count = |g: &str| respondents.iter().filter(|r| r.group == g).count();
    let staff = respondents
        .iter()
        .filter(|r| model.is_staff(r.group))
        .count();
    Response {
        staff,
        staff_headcount: scan.staff_headcount,
        staff_rate: scan
            .staff_headcount
            .filter(|h| *h > 0)
            .map(|h| confidence::rate(staff, h)),
        client_representatives: count("client_representative"),
        partners: count("partner"),
        unknown: respondents.len() - staff - count("client_representative") - count("partner"),
    }
}

/// Score one scan on its own, without a previous scan (convenience for tests and examples).
pub fn score(catalogue: &Catalogue, config: ScoringConfig, scan: &ScanInput) -> ScoreReport {
    Scorer::new(catalogue, config).score(scan, None)
}
