//! Competence clusters: the mean of the respondents' own cluster scores (1–5) with its 95 %
//! t-interval, the share of respondents with a known role at or above that role's expected level, and
//! the mean shortfall below it (the gap that ranks the clusters).

use super::confidence;
use super::config::ScoringConfig;
use super::input::ScanInput;
use super::model::{Model, Tallied};
use super::report::{ClusterScore, Interval};
use super::stats::{Mean, round1, round2};

pub(super) fn score(
    model: &Model,
    config: &ScoringConfig,
    scan: &ScanInput,
    respondents: &[Tallied],
) -> Vec<ClusterScore> {
    let anonymity = config.anonymity;
    let (lo, hi) = model.proficiency;
    let mut scores = Vec::with_capacity(model.clusters.len());
    for (i, code) in model.clusters.iter().enumerate() {
        let mut mean = Mean::default();
        let mut shortfall = Mean::default();
        let mut at_expected = 0usize;
        let mut staff = 0usize;
        for r in respondents {
            let Some(m) = r.clusters[i].mean() else {
                continue;
            };
            mean.add(m);
            staff += usize::from(model.is_staff(r.group));
            let expected = r
                .input
                .role
                .as_deref()
                .and_then(|role| model.expected(&scan.role_overrides, role, i));
            if let Some(e) = expected.map(f64::from) {
                shortfall.add((e - m).max(0.0));
                if m >= e {
                    at_expected += 1;
                }
            }
        }
        let n = mean.n();
        let with_role = shortfall.n();
        let shown = mean.get().filter(|_| anonymity.allows(n));
        let role_shown = anonymity.allows(with_role);
        let (answered, missing) = confidence::totals(respondents.iter().map(|r| r.clusters[i]));
        let interval = shown.zip(mean.half_width()).map(|(m, h)| Interval {
            low: round1((m - h).max(lo)),
            high: round1((m + h).min(hi)),
        });
        scores.push(ClusterScore {
            code: (*code).to_owned(),
            mean: shown.map(round1),
            interval,
            n,
            at_expected_share: role_shown.then(|| round2(at_expected as f64 / with_role as f64)),
            with_role,
            gap: shortfall.get().filter(|_| role_shown).map(round1),
            trend: None,
            confidence: confidence::of(config, n, staff, scan.staff_headcount, answered, missing),
        });
    }
    scores
}
