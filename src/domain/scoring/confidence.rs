//! Confidence per figure: how many respondents it rests on, the response rate against the staff
//! headcount and the share of missing answers behind it. A figure resting on too little is marked
//! `low`, never hidden for that reason (hiding is the anonymity rule's job).

use super::config::ScoringConfig;
use super::report::Confidence;
use super::stats::{Tally, round3};

/// Answered and missing answers over a set of tallies.
pub(super) fn totals(tallies: impl IntoIterator<Item = Tally>) -> (u64, u64) {
    tallies.into_iter().fold((0, 0), |(a, m), t| {
        (a + u64::from(t.answered), m + u64::from(t.missing))
    })
}

/// The confidence of a figure resting on `n` respondents and these answers. The rule compares the
/// rounded rate and share, the ones the reader sees.
pub(super) fn of(
    config: &ScoringConfig,
    n: usize,
    staff_headcount: Option<u32>,
    answered: u64,
    missing: u64,
) -> Confidence {
    let rule = &config.confidence;
    let response_rate = staff_headcount
        .filter(|h| *h > 0)
        .map(|h| round3((n as f64 / f64::from(h)).min(1.0)));
    let total = answered + missing;
    let missing_share = (total > 0).then(|| round3(missing as f64 / total as f64));
    let mut reasons = Vec::new();
    if n < rule.min_respondents {
        reasons.push("few_respondents");
    }
    if response_rate.is_some_and(|r| r < rule.min_response_rate) {
        reasons.push("low_response_rate");
    }
    if missing_share.is_some_and(|m| m > rule.max_missing_share) {
        reasons.push("many_missing");
    }
    Confidence {
        n,
        response_rate,
        missing_share,
        low: !reasons.is_empty(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_confidence_names_its_reasons() {
        let c = ScoringConfig::default();
        let ok = of(&c, 20, Some(40), 90, 10);
        assert!(!ok.low, "{ok:?}");
        assert_eq!((ok.response_rate, ok.missing_share), (Some(0.5), Some(0.1)));
        let low = of(&c, 6, Some(40), 40, 60);
        assert_eq!(
            low.reasons,
            vec!["few_respondents", "low_response_rate", "many_missing"]
        );
        let unknown = of(&c, 12, None, 0, 0);
        assert_eq!(
            (unknown.response_rate, unknown.missing_share, unknown.low),
            (None, None, false)
        );
        assert_eq!(of(&c, 80, Some(40), 1, 0).response_rate, Some(1.0));
    }
}
