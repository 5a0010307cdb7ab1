//! Confidence per figure: how many respondents it rests on, the response rate of the staff among
//! them against the staff headcount (client representatives and partners are not staff) and the share of missing answers behind it. A figure resting on too little is marked
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

/// The confidence of a figure resting on `n` respondents, `staff` of them staff, and these answers.
/// The rule compares the rounded rate and share, the ones the reader sees.
pub(super) fn of(
    config: &ScoringConfig,
    n: usize,
    staff: usize,
    staff_headcount: Option<u32>,
    answered: u64,
    missing: u64,
) -> Confidence {
    let rule = &config.confidence;
    let response_rate = staff_headcount.filter(|h| *h > 0).map(|h| rate(staff, h));
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

/// `staff` / headcount, at most 1, as shown.
pub(super) fn rate(staff: usize, headcount: u32) -> f64 {
    round3((staff as f64 / f64::from(headcount)).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_confidence_names_its_reasons() {
        let c = ScoringConfig::default();
        let ok = of(&c, 20, 20, Some(40), 90, 10);
        assert!(!ok.low, "{ok:?}");
        assert_eq!((ok.response_rate, ok.missing_share), (Some(0.5), Some(0.1)));
        let low = of(&c, 6, 6, Some(40), 40, 60);
        assert_eq!(
            low.reasons,
            vec!["few_respondents", "low_response_rate", "many_missing"]
        );
        let unknown = of(&c, 12, 12, None, 0, 0);
        assert_eq!(
            (unknown.response_rate, unknown.missing_share, unknown.low),
            (None, None, false)
        );
        assert_eq!(of(&c, 80, 80, Some(40), 1, 0).response_rate, Some(1.0));
        // Twenty respondents, eight of them clients and partners: 12 of 40 staff.
        assert_eq!(of(&c, 20, 12, Some(40), 1, 0).response_rate, Some(0.3));
    }
}
