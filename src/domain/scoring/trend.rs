//! Trend: the change of every aspect score, cluster mean and the index against the previous scan of
//! the same organisation. Only within one catalogue version, or across versions through an explicit
//! code mapping ([`VersionMap`](super::VersionMap)); otherwise the trend is `null` with a note.
//! The change is taken between the figures as shown, so it is exactly their visible difference.

use super::Scorer;
use super::input::ScanInput;
use super::report::{Note, PreviousScan, ScoreReport};
use super::stats::round1;

fn change(now: Option<f64>, before: Option<f64>) -> Option<f64> {
    Some(round1(now? - before?))
}

/// Fill in the trends of `current` against `previous` (the organisation's latest earlier scan).
pub(super) fn apply(
    scorer: &Scorer,
    current: &mut ScoreReport,
    scan: &ScanInput,
    previous: Option<&ScanInput>,
) {
    let Some(prev) = previous else {
        current.notes.push(Note::new(
            "no_previous_scan",
            "Er is geen eerdere scan van deze organisatie: nog geen trend.",
            "There is no earlier scan of this organisation: no trend yet.",
        ));
        return;
    };
    let comparable_input = if prev.catalogue_version == scan.catalogue_version {
        Some(None)
    } else {
        scorer
            .config
            .version_map(&prev.catalogue_version, &scan.catalogue_version)
            .map(|map| {
                let mut mapped = prev.clone();
                for r in &mut mapped.respondents {
                    r.answers.retain_mut(|a| {
                        let code: Option<std::sync::Arc<str>> = map.map(&a.code).map(Into::into);
                        match code {
                            Some(code) => {
                                a.code = code;
                                true
                            }
                            None => false,
                        }
                    });
                }
                Some(mapped)
            })
    };
    current.previous = Some(PreviousScan {
        year: prev.year,
        catalogue_version: prev.catalogue_version.clone(),
        comparable: comparable_input.is_some(),
    });
    let Some(mapped) = comparable_input else {
        current.notes.push(Note::new(
            "trend_version_mismatch",
            format!(
                "De vorige scan ({}) gebruikte catalogusversie {}, deze scan {}; zonder expliciete codekoppeling wordt geen trend berekend.",
                prev.year, prev.catalogue_version, scan.catalogue_version
            ),
            format!(
                "The previous scan ({}) used catalogue version {}, this scan {}; without an explicit code mapping no trend is computed.",
                prev.year, prev.catalogue_version, scan.catalogue_version
            ),
        ));
        return;
    };
    let before = scorer.score_one(mapped.as_ref().unwrap_or(prev));
    if before.suppressed.organisation {
        current.notes.push(Note::new(
            "previous_suppressed",
            format!(
                "De vorige scan ({}) heeft minder respondenten dan de anonimiteitsdrempel: geen trend.",
                prev.year
            ),
            format!(
                "The previous scan ({}) has fewer respondents than the anonymity threshold: no trend.",
                prev.year
            ),
        ));
        return;
    }
    current.overall_trend = change(current.overall, before.overall);
    for a in &mut current.aspects {
        a.trend = change(a.score, before.aspect(&a.code).and_then(|b| b.score));
    }
    for c in &mut current.clusters {
        c.trend = change(c.mean, before.cluster(&c.code).and_then(|b| b.mean));
    }
}
