//! The readiness index and its stage. The index is the weighted mean of the aspect scores as shown;
//! the stage follows from the index but may be at most one stage above the stage of the weakest
//! aspect: implementation fails on its weakest link.

use super::report::{AspectScore, Stage, StageRule};
use super::stats::{round1, weighted_mean};

/// The index (rounded), its stage and how the stage was decided.
pub(super) struct Overall {
    pub index: Option<f64>,
    pub stage: Option<Stage>,
    pub rule: Option<StageRule>,
}

/// Index and stage from the aspect scores; aspects without a score or with weight 0 do not count.
pub(super) fn overall(aspects: &[AspectScore]) -> Overall {
    let counted: Vec<(&str, f64, f64)> = aspects
        .iter()
        .filter(|a| a.weight > 0.0)
        .filter_map(|a| Some((a.code.as_str(), a.score?, a.weight)))
        .collect();
    let Some(index) = weighted_mean(counted.iter().map(|(_, s, w)| (*s, *w))).map(round1) else {
        return Overall {
            index: None,
            stage: None,
            rule: None,
        };
    };
    let mut weakest = counted[0];
    for c in &counted {
        if c.1 < weakest.1 {
            weakest = *c;
        }
    }
    let (stage, rule) = stage(index, weakest.0, weakest.1);
    Overall {
        index: Some(index),
        stage: Some(stage),
        rule: Some(rule),
    }
}

/// The stage rule: `min(stage(index), stage(weakest) + 1)`.
pub fn stage(index: f64, weakest_aspect: &str, weakest_score: f64) -> (Stage, StageRule) {
    let by_index = Stage::of(index);
    let weakest_stage = Stage::of(weakest_score);
    let stage = by_index.min(weakest_stage.next());
    let rule = StageRule {
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
    fn stages_follow_the_thresholds() {
        assert_eq!(Stage::of(0.0), Stage::Start);
        assert_eq!(Stage::of(24.9), Stage::Start);
        assert_eq!(Stage::of(25.0), Stage::InDevelopment);
        assert_eq!(Stage::of(50.0), Stage::Advanced);
        assert_eq!(Stage::of(74.9), Stage::Advanced);
        assert_eq!(Stage::of(75.0), Stage::Embedded);
        assert_eq!(Stage::of(100.0), Stage::Embedded);
    }

    #[test]
    fn the_weakest_aspect_caps_the_stage() {
        let (s, rule) = stage(80.0, "A9", 20.0);
        assert_eq!(s, Stage::InDevelopment);
        assert!(rule.capped && rule.by_index == Stage::Embedded);
        let (s, rule) = stage(80.0, "A9", 55.0);
        assert_eq!(s, Stage::Embedded);
        assert!(!rule.capped);
        let (s, _) = stage(60.0, "A2", 30.0);
        assert_eq!(s, Stage::Advanced, "one stage above the weakest is allowed");
    }
}
