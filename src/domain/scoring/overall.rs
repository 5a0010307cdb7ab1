//! The readiness index and its stage. The index is the weighted mean of the aspect scores as shown,
//! with an interval; the stage is the maturity level the index reaches, at most one stage above the
//! stage of the weakest aspect (implementation fails on its weakest link), and only given when enough
//! aspects are scored: leaving a weak aspect unanswered must not raise it.

use super::report::{AspectScore, Interval, Stage, StageRule};
use super::stats::{round1, weighted_mean};

/// A stage needs at least this many scored aspects (of the nine with a weight).
pub const MIN_SCORED_ASPECTS: usize = 7;

/// The index (rounded), its interval, its stage and how the stage was decided.
pub(super) struct Overall {
    pub index: Option<f64>,
    pub interval: Option<Interval>,
    pub stage: Option<Stage>,
    pub rule: Option<StageRule>,
}

/// Index and stage from the aspect scores; aspects without a score or with weight 0 do not count.
/// The index interval treats the aspects' errors as independent.
pub(super) fn overall(aspects: &[AspectScore]) -> Overall {
    let weighted: Vec<&AspectScore> = aspects.iter().filter(|a| a.weight > 0.0).collect();
    let counted: Vec<(&str, f64, f64)> = weighted
        .iter()
        .filter_map(|a| Some((a.code.as_str(), a.score?, a.weight)))
        .collect();
    let Some(index) = weighted_mean(counted.iter().map(|(_, s, w)| (*s, *w))).map(round1) else {
        return Overall {
            index: None,
            interval: None,
            stage: None,
            rule: None,
        };
    };
    let total_weight: f64 = counted.iter().map(|c| c.2).sum();
    let variance: Option<f64> = weighted
        .iter()
        .filter(|a| a.score.is_some())
        .map(|a| {
            let i = a.interval?;
            let h = (i.high - i.low) / 2.0;
            Some((a.weight / total_weight * h).powi(2))
        })
        .sum();
    let interval = variance.map(|v| Interval {
        low: round1((index - v.sqrt()).max(0.0)),
        high: round1((index + v.sqrt()).min(100.0)),
    });
    let mut weakest = counted[0];
    for c in &counted {
        if c.1 < weakest.1 {
            weakest = *c;
        }
    }
    let (stage, mut rule) = stage(index, weakest.0, weakest.1);
    rule.scored_aspects = counted.len();
    rule.weighted_aspects = weighted.len();
    let enough = counted.len() >= MIN_SCORED_ASPECTS.min(weighted.len());
    Overall {
        index: Some(index),
        interval,
        stage: enough.then_some(stage),
        rule: Some(rule),
    }
}

/// The stage rule: `min(stage(index), stage(weakest) + 1)`.
pub fn stage(index: f64, weakest_aspect: &str, weakest_score: f64) -> (Stage, StageRule) {
    let by_index = Stage::of(index);
    let weakest_stage = Stage::of(weakest_score);
    let stage = by_index.min(weakest_stage.next());
    let rule = StageRule {
        scored_aspects: 0,
        weighted_aspects: 0,
        by_index,
        weakest_aspect: weakest_aspect.to_owned(),
        weakest_score,
        weakest_stage,
        capped: stage < by_index,
    };
    (stage, rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_the_levels_of_the_scale() {
        // 25 points per maturity level; a stage is the level the average reaches, rounded.
        assert_eq!(Stage::of(0.0), Stage::Start);
        assert_eq!(Stage::of(37.4), Stage::Start);
        assert_eq!(
            Stage::of(50.0),
            Stage::Developing,
            "an average of In opbouw (2)"
        );
        assert_eq!(
            Stage::of(75.0),
            Stage::Applied,
            "an average of Toegepast (3)"
        );
        assert_eq!(Stage::of(87.4), Stage::Applied);
        assert_eq!(Stage::of(87.5), Stage::Embedded);
        assert_eq!(Stage::of(100.0), Stage::Embedded);
    }

    #[test]
    fn the_weakest_aspect_caps_the_stage() {
        let (s, rule) = stage(90.0, "A9", 20.0);
        assert_eq!(s, Stage::Developing);
        assert!(rule.capped && rule.by_index == Stage::Embedded);
        let (s, rule) = stage(90.0, "A9", 70.0);
        assert_eq!(s, Stage::Embedded);
        assert!(!rule.capped);
        let (s, _) = stage(70.0, "A2", 40.0);
        assert_eq!(s, Stage::Applied, "one stage above the weakest is allowed");
    }
}
