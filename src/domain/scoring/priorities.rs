//! Priorities: aspects ranked by (100 − score) × weight, each with the recommendations that serve it
//! (strongest link first) and their actions for the actor the report is for; aspects whose intervals
//! overlap are ties and say so. Clusters ranked by their gap to the role profiles.

use super::report::{ClusterGap, ClusterScore, Interval, Priority};
use super::stats::round1;
use crate::domain::catalogue::Catalogue;

/// How many aspects the priorities name.
pub const TOP_ASPECTS: usize = 3;

/// The actor whose actions an organisation's score proposes.
pub const ORGANISATION_ACTOR: &str = "organisation";
/// The actor whose actions a federation benchmark proposes.
pub const FEDERATION_ACTOR: &str = "federation";

/// An aspect to rank: code, score, its interval (if known) and weight.
pub(super) type Scored<'a> = (&'a str, f64, Option<Interval>, f64);

/// Rank the aspects and keep the top three; equal priorities go to catalogue order. Each names the
/// aspects (also outside the top three) whose priority interval overlaps its own: a tie.
pub(super) fn aspects<'a>(
    catalogue: &Catalogue,
    scored: impl IntoIterator<Item = Scored<'a>>,
    actor: &str,
) -> Vec<Priority> {
    let mut ranked: Vec<(usize, Scored<'a>, f64, Interval)> = scored
        .into_iter()
        .filter(|(_, _, _, w)| *w > 0.0)
        .map(|(code, score, interval, weight)| {
            let order = catalogue
                .aspects
                .iter()
                .position(|a| a.code == code)
                .unwrap_or(usize::MAX);
            let priority = round1((100.0 - score) * weight);
            let range = interval.map_or(
                Interval {
                    low: priority,
                    high: priority,
                },
                |i| Interval {
                    low: round1((100.0 - i.high) * weight),
                    high: round1((100.0 - i.low) * weight),
                },
            );
            (order, (code, score, interval, weight), priority, range)
        })
        .collect();
    ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let ties: Vec<Vec<String>> = ranked
        .iter()
        .map(|(_, (code, ..), _, range)| {
            ranked
                .iter()
                .filter(|(_, (other, ..), _, r)| other != code && r.overlaps(range))
                .map(|(_, (other, ..), _, _)| (*other).to_owned())
                .collect()
        })
        .collect();
    ranked
        .into_iter()
        .zip(ties)
        .take(TOP_ASPECTS)
        .enumerate()
        .map(
            |(rank, ((_, (code, score, interval, weight), priority, _), tied_with))| {
                let recs = catalogue.recommendations_for(code);
                Priority {
                    rank: rank + 1,
                    aspect: code.to_owned(),
                    score,
                    interval,
                    weight,
                    priority,
                    tied_with,
                    recommendations: recs.iter().map(|r| r.code.clone()).collect(),
                    actions: recs
                        .iter()
                        .flat_map(|r| r.actions.iter())
                        .filter(|a| a.involves(actor))
                        .map(|a| a.code.clone())
                        .collect(),
                }
            },
        )
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
