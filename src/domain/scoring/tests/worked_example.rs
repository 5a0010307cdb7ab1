//! The worked example of `docs/scoring.md`, section "Een voorbeeld / A worked example": six staff
//! members and five managers answer two indicators of A1 and of A6 and two items of cluster C2.
//! Every number asserted here is computed by hand in that document.

use super::{catalogue, respondent};
use crate::domain::scoring::{
    Anonymity, Basis, RespondentInput, ScanInput, Scorer, ScoringConfig, Stage, respondent_scores,
};

const M: Option<i16> = None;

/// Rows: A1Q1, A1Q2, A6Q1, A6Q2, C2K1, C2S1 (`M` = missing: "weet ik niet").
const STAFF: [(&str, [Option<i16>; 6]); 6] = [
    ("s1", [Some(2), Some(2), Some(1), Some(1), Some(3), Some(3)]),
    ("s2", [Some(1), Some(3), Some(2), Some(2), Some(2), Some(2)]),
    ("s3", [Some(2), M, Some(1), M, Some(3), Some(4)]),
    ("s4", [Some(1), Some(1), Some(2), Some(1), Some(2), Some(3)]),
    ("s5", [Some(3), Some(1), Some(1), Some(2), Some(3), Some(3)]),
    ("s6", [Some(3), Some(3), Some(2), Some(2), Some(3), M]),
];
const MANAGERS: [(&str, [Option<i16>; 6]); 5] = [
    ("m1", [Some(3), Some(3), Some(2), Some(2), Some(4), Some(4)]),
    ("m2", [Some(4), Some(2), Some(3), Some(1), Some(3), Some(3)]),
    ("m3", [Some(3), Some(4), Some(2), Some(2), Some(4), Some(3)]),
    ("m4", [Some(3), M, Some(2), Some(3), Some(2), Some(2)]),
    ("m5", [Some(2), Some(3), Some(1), Some(2), Some(3), Some(4)]),
];
const CODES: [&str; 6] = ["A1Q1", "A1Q2", "A6Q1", "A6Q2", "C2K1", "C2S1"];

fn row(
    p: &str,
    group: &str,
    role: &str,
    team: Option<&str>,
    v: &[Option<i16>; 6],
) -> RespondentInput {
    let answers: Vec<(&str, Option<i16>)> = CODES.iter().copied().zip(v.iter().copied()).collect();
    respondent(p, group, role, team, &answers)
}

pub(in crate::domain::scoring) fn example_scan() -> ScanInput {
    let mut respondents: Vec<RespondentInput> = STAFF
        .iter()
        .map(|(p, v)| row(p, "staff", "basic_worker", Some("Team Noord"), v))
        .collect();
    for (i, (p, v)) in MANAGERS.iter().enumerate() {
        let team = (i < 2).then_some("Directie");
        respondents.push(row(p, "management", "management", team, v));
    }
    ScanInput {
        organisation: "voorbeeld".into(),
        sector: Some("CAW".into()),
        year: 2026,
        catalogue_version: catalogue().version,
        staff_headcount: Some(20),
        respondents,
        role_overrides: Default::default(),
    }
}

#[test]
fn respondent_first_and_missing_left_out() {
    let cat = catalogue();
    let scan = example_scan();
    let s3 = respondent_scores(&cat, &scan.respondents[2]);
    assert_eq!(
        s3.aspects.get("A1"),
        Some(&2.0),
        "missing A1Q2 left out: 2/1"
    );
    assert_eq!(s3.aspects.get("A6"), Some(&1.0));
    assert_eq!(s3.clusters.get("C2"), Some(&3.5));
    assert_eq!(
        s3.aspects.get("A2"),
        None,
        "nothing answered is no score, not zero"
    );
}

#[test]
fn the_worked_example_of_the_scoring_document() {
    let cat = catalogue();
    let scorer = Scorer::new(&cat, ScoringConfig::default());
    let r = scorer.score(&example_scan(), None);
    assert_eq!(r.method_version, crate::domain::scoring::METHOD_VERSION);

    // A1: everyone once, 27 / 11 = 2.4545 → 61.36 (no competence share); groups beside it.
    let a1 = r.aspect("A1").expect("A1");
    let groups: Vec<(&str, usize, f64)> = a1
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.n, g.maturity))
        .collect();
    assert_eq!(groups, vec![("management", 5, 3.0), ("staff", 6, 2.0)]);
    assert_eq!(
        (a1.maturity, a1.indicator_part, a1.score),
        (Some(2.5), Some(61.4), Some(61.4))
    );
    assert_eq!(a1.basis, Basis::Indicators);
    assert_eq!(a1.indicator_coverage, 0.4, "two of the five indicators");
    // s² = (71.5 − 27²/11) / 10 = 0.5227; t(10) = 2.228; ± 2.228 × √(0.5227/11) × 25 = ± 12.14.
    assert_eq!(a1.interval.map(|i| (i.low, i.high)), Some((49.2, 73.5)));
    // Gap 1.0 against a noise of 2.776 × √(0.4/6 + 0.125/5) = 0.84: flagged.
    let gap = a1.perception_gap.as_ref().expect("gap");
    assert_eq!(
        (
            gap.size,
            gap.noise,
            gap.flagged,
            gap.high.as_str(),
            gap.low.as_str()
        ),
        (1.0, 0.8, true, "management", "staff")
    );
    assert_eq!(
        (
            a1.n,
            a1.confidence.response_rate,
            a1.confidence.missing_share
        ),
        (11, Some(0.55), Some(0.091))
    );
    assert!(!a1.confidence.low);
    let a1q2 = a1.unknown.iter().find(|u| u.code == "A1Q2").expect("A1Q2");
    assert_eq!(
        (a1q2.n, a1q2.unknown_share, a1q2.unknown_in_organisation),
        (11, 0.182, false)
    );

    // C2: 33 / 11 = 3.0 ± 2.228 × √(0.4/11); 8 of 11 at the expected level 3; shortfall 2.5 / 11.
    let c2 = r.cluster("C2").expect("C2");
    assert_eq!(
        (c2.mean, c2.n, c2.at_expected_share, c2.gap),
        (Some(3.0), 11, Some(0.73), Some(0.2))
    );
    assert_eq!(c2.interval.map(|i| (i.low, i.high)), Some((2.6, 3.4)));
    assert_eq!(c2.confidence.missing_share, Some(0.045));

    // A6: 19 / 11 = 1.727 → 43.18; competence: attainment of level 3, 975 / 11 = 88.64;
    // share 0.5 → 65.91.
    let a6 = r.aspect("A6").expect("A6");
    assert_eq!(
        (a6.maturity, a6.indicator_part, a6.competence_part),
        (Some(1.7), Some(43.2), Some(88.6))
    );
    assert_eq!(
        (a6.competence_share, a6.score, a6.basis),
        (0.5, Some(65.9), Basis::IndicatorsAndCompetences)
    );
    // ± √((0.5 × 7.845)² + (0.5 × 13.775)²) = ± 7.93.
    assert_eq!(a6.interval.map(|i| (i.low, i.high)), Some((58.0, 73.8)));
    assert_eq!(
        a6.perception_gap.as_ref().map(|g| (g.size, g.flagged)),
        Some((0.5, false))
    );
    assert_eq!(a6.confidence.missing_share, Some(0.045));

    // Aspects nobody answered have no score (not zero) and do not count in the index.
    assert!(
        r.aspects
            .iter()
            .filter(|a| a.code != "A1" && a.code != "A6")
            .all(|a| a.score.is_none())
    );

    // Index (61.4 + 65.9) / 2 = 63.65 → 63.7 (half up); two aspects of nine: no stage.
    assert_eq!(r.overall, Some(63.7));
    assert_eq!(
        r.index_interval.map(|i| (i.low, i.high)),
        Some((56.5, 70.9))
    );
    assert_eq!(r.stage, None);
    let rule = r.stage_rule.as_ref().expect("rule");
    assert_eq!(
        (
            rule.scored_aspects,
            rule.by_index,
            rule.weakest_aspect.as_str(),
            rule.weakest_stage,
        ),
        (2, Stage::Applied, "A1", Stage::Developing)
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.code == "too_few_aspects_for_a_stage")
    );
    assert_eq!(
        r.confidence.as_ref().and_then(|c| c.missing_share),
        Some(0.061)
    );
    assert_eq!((r.response.staff, r.response.staff_rate), (11, Some(0.55)));

    // Priorities: A1 (38.6) before A6 (34.1), but their intervals overlap: a tie, and said so.
    let p: Vec<(&str, f64, Vec<String>)> = r
        .priorities
        .iter()
        .map(|p| (p.aspect.as_str(), p.priority, p.tied_with.clone()))
        .collect();
    assert_eq!(
        p,
        vec![
            ("A1", 38.6, vec!["A6".to_owned()]),
            ("A6", 34.1, vec!["A1".to_owned()])
        ]
    );
    assert_eq!(&r.priorities[1].recommendations[..3], ["R8", "R9", "R13"]);
    assert!(r.priorities[1].actions.iter().all(|code| {
        cat.recommendations
            .iter()
            .flat_map(|r| &r.actions)
            .any(|a| &a.code == code && a.involves("organisation"))
    }));
    assert_eq!(
        r.cluster_gaps.first().map(|g| (g.cluster.as_str(), g.gap)),
        Some(("C2", 0.2))
    );

    // Breakdowns: team "Directie" (2) is left out; Team Noord (6) shown; both roles shown; nothing
    // derivable (the two managers of Directie are inside the five managers).
    assert_eq!(
        (
            r.suppressed.teams,
            r.suppressed.groups,
            r.suppressed.respondents_in_suppressed,
            r.suppressed.complementary
        ),
        (1, 0, 2, 0)
    );
    let teams: Vec<&str> = r.teams.iter().map(|t| t.team.as_str()).collect();
    assert_eq!(teams, ["Team Noord"]);
    let noord: Vec<(&str, f64)> = r.teams[0]
        .aspects
        .iter()
        .chain(&r.teams[0].clusters)
        .map(|f| (f.code.as_str(), f.value))
        .collect();
    assert_eq!(noord, vec![("A1", 2.0), ("A6", 1.5), ("C2", 2.8)]);
    let roles: Vec<(&str, f64, Option<f64>)> = r
        .roles
        .iter()
        .map(|r| {
            (
                r.role.as_str(),
                r.clusters[0].mean,
                r.clusters[0].at_expected_share,
            )
        })
        .collect();
    assert_eq!(
        roles,
        vec![
            ("basic_worker", 2.8, Some(0.67)),
            ("management", 3.2, Some(0.8))
        ]
    );
}

#[test]
fn a_zero_would_have_moved_the_mean() {
    let cat = catalogue();
    let mut scan = example_scan();
    // s3 answered "weet ik niet" on A1Q2; had it been 0, A1 falls to 26 / 11 → 59.1.
    scan.respondents[2].answers[1].value = Some(0);
    let r = Scorer::new(&cat, ScoringConfig::default()).score(&scan, None);
    assert_eq!(r.aspect("A1").and_then(|a| a.score), Some(59.1));
}

#[test]
fn a_group_under_the_threshold_changes_no_score() {
    // With a threshold of 6, management (5) is hidden — and so are the staff group and Team Noord,
    // or the total minus them would be the managers. A1 stays 61.4: no jump.
    let cat = catalogue();
    let config = ScoringConfig::with_anonymity(Anonymity::new(6).expect("6"));
    let r = Scorer::new(&cat, config).score(&example_scan(), None);
    let a1 = r.aspect("A1").expect("A1");
    assert_eq!((a1.score, a1.groups.len()), (Some(61.4), 0));
    assert!(r.teams.iter().all(|t| t.aspects.is_empty()));
    assert_eq!(
        (r.suppressed.groups, r.suppressed.respondents_in_suppressed),
        (1, 5)
    );
    assert!(r.suppressed.complementary >= 2);
    assert!(r.roles.iter().all(|x| x.role != "management"));
}
