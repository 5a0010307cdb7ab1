//! Priorities: aspects ranked by (100 − score) × weight, each with the recommendations that serve it
//! (strongest link first) and their actions for the actor the report is for; clusters ranked by their
//! gap to the role profiles.

use super::report::{ClusterGap, ClusterScore, Priority};
use super::stats::round1;
use crate::domain::catalogue::Catalogue;

/// How many aspects the priorities name.
pub const TOP_ASPECTS: usize = 3;

/// The actor whose actions an organisation's score proposes.
pub const ORGANISATION_ACTOR: &str = "organisation";
/// The actor whose actions a federation benchmark proposes.
pub const FEDERATION_ACTOR: &str = "federation";

/// Rank `(aspect, score, weight)` and keep the top three; ties go to catalogue order.
pub(super) fn aspects<'a>(
    catalogue: &Catalogue,
    scored: impl IntoIterator<Item = (&'a str, f64, f64)>,
    actor: &str,
) -> Vec<Priority> {
    let mut ranked: Vec<(usize, &str, f64, f64, f64)> = scored
        .into_iter()
        .filter(|(_, _, w)| *w > 0.0)
        .map(|(code, score, weight)| {
            let order = catalogue
                .aspects
                .iter()
                .position(|a| a.code == code)
                .unwrap_or(usize::MAX);
            (order, code, score, weight, round1((100.0 - score) * weight))
        })
        .collect();
    ranked.sort_by(|a, b| b.4.total_cmp(&a.4).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(TOP_ASPECTS)
        .enumerate()
        .map(|(rank, (_, code, score, weight, priority))| {
            let recs = catalogue.recommendations_for(code);
            Priority {
                rank: rank + 1,
                aspect: code.to_owned(),
                score,
                weight,
                priority,
                recommendations: recs.iter().map(|r| r.code.clone()).collect(),
                actions: recs
                    .iter()
                    .flat_map(|r| r.actions.iter())
                    .filter(|a| a.involves(actor))
                    .map(|a| a.code.clone())
                    .collect(),
            }
        })
        .collect()
}

/// Clusters with a known gap, largest first; ties by the lower share at the expected level, then code
/// order.
pub(super) fn cluster_gaps(clusters: &[ClusterScore]) -> Vec<ClusterGap> {
    let mut ranked: Vec<(usize, &ClusterScore, f64)> = clusters
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, c, c.gap?)))
        .collect();
    ranked.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then(
                a.1.at_expected_share
                    .unwrap_or(1.0)
                    .total_cmp(&b.1.at_expected_share.unwrap_or(1.0)),
            )
            .then(a.0.cmp(&b.0))
    });
    ranked
        .into_iter()
        .enumerate()
        .map(|(rank, (_, c, gap))| ClusterGap {
            rank: rank + 1,
            cluster: c.code.clone(),
            gap,
            at_expected_share: c.at_expected_share,
        })
        .collect()
}
