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

    // A1: staff 2.0, management 3.0 → maturity 2.5 → 62.5 (no competence share).
    let a1 = r.aspect("A1").expect("A1");
    let groups: Vec<(&str, usize, f64)> = a1
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.n, g.maturity))
        .collect();
    assert_eq!(groups, vec![("management", 5, 3.0), ("staff", 6, 2.0)]);
    assert_eq!(
        (a1.maturity, a1.indicator_part, a1.score),
        (Some(2.5), Some(62.5), Some(62.5))
    );
    assert_eq!(a1.basis, Basis::Indicators);
    let gap = a1.perception_gap.as_ref().expect("gap");
    assert_eq!(
        (gap.size, gap.flagged, gap.high.as_str(), gap.low.as_str()),
        (1.0, true, "management", "staff")
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

    // C2: 33 / 11 = 3.0; 8 of 11 at the expected level 3; shortfall (1 + 0.5 + 1) / 11.
    let c2 = r.cluster("C2").expect("C2");
    assert_eq!(
        (c2.mean, c2.n, c2.at_expected_share, c2.gap),
        (Some(3.0), 11, Some(0.727), Some(0.2))
    );
    assert_eq!(c2.confidence.missing_share, Some(0.045));

    // A6: staff 1.5, management 2.0 → 1.75 → 43.75; competence (3.0 − 1) / 4 = 50; share 0.5 → 46.875.
    let a6 = r.aspect("A6").expect("A6");
    assert_eq!(
        (a6.maturity, a6.indicator_part, a6.competence_part),
        (Some(1.8), Some(43.8), Some(50.0))
    );
    assert_eq!(
        (a6.competence_share, a6.score, a6.basis),
        (0.5, Some(46.9), Basis::IndicatorsAndCompetences)
    );
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

    // Index (62.5 + 46.9) / 2 = 54.7 → advanced; weakest A6 (in development) allows up to advanced.
    assert_eq!(r.overall, Some(54.7));
    assert_eq!(r.stage, Some(Stage::Advanced));
    let rule = r.stage_rule.as_ref().expect("rule");
    assert_eq!(
        (
            rule.weakest_aspect.as_str(),
            rule.weakest_stage,
            rule.capped
        ),
        ("A6", Stage::InDevelopment, false)
    );
    assert_eq!(
        r.confidence.as_ref().and_then(|c| c.missing_share),
        Some(0.061)
    );

    // Priorities: A6 (100 − 46.9 = 53.1) before A1 (37.5), with organisation actions only.
    let p: Vec<(&str, f64)> = r
        .priorities
        .iter()
        .map(|p| (p.aspect.as_str(), p.priority))
        .collect();
    assert_eq!(p, vec![("A6", 53.1), ("A1", 37.5)]);
    assert_eq!(&r.priorities[0].recommendations[..3], ["R8", "R9", "R13"]);
    assert!(r.priorities[0].actions.iter().all(|code| {
        cat.recommendations
            .iter()
            .flat_map(|r| &r.actions)
            .any(|a| &a.code == code && a.involves("organisation"))
    }));
    assert_eq!(
        r.cluster_gaps.first().map(|g| (g.cluster.as_str(), g.gap)),
        Some(("C2", 0.2))
    );

    // Breakdowns: team "Directie" (2) is left out; Team Noord (6) shown; both roles shown.
    assert_eq!(
        (
            r.suppressed.teams,
            r.suppressed.groups,
            r.suppressed.respondents_in_suppressed
        ),
        (1, 0, 2)
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
            ("basic_worker", 2.8, Some(0.667)),
            ("management", 3.2, Some(0.8))
        ]
    );
}

#[test]
fn a_zero_would_have_moved_the_mean() {
    let cat = catalogue();
    let mut scan = example_scan();
    // s3 answered "weet ik niet" on A1Q2; had it been 0, staff A1 falls to 11/6 and A1 to 60.4.
    scan.respondents[2].answers[1].value = Some(0);
    let r = Scorer::new(&cat, ScoringConfig::default()).score(&scan, None);
    assert_eq!(r.aspect("A1").and_then(|a| a.score), Some(60.4));
}

#[test]
fn pooled_instead_of_group_weighted_would_differ() {
    // With a threshold of 6, management (5) is left out: A1 rests on staff alone (2.0 → 50.0).
    let cat = catalogue();
    let config = ScoringConfig::with_anonymity(Anonymity::new(6).expect("6"));
    let r = Scorer::new(&cat, config).score(&example_scan(), None);
    let a1 = r.aspect("A1").expect("A1");
    assert_eq!((a1.score, a1.groups.len()), (Some(50.0), 1));
    assert_eq!(
        (r.suppressed.groups, r.suppressed.respondents_in_suppressed),
        (1, 5)
    );
    assert!(r.roles.iter().all(|x| x.role != "management"));
}
