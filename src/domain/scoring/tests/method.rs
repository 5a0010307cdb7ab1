//! Property tests of the method's promises: no aspect jumps when one respondent moves between a shown
//! and a hidden group (at most what one respondent can change a pooled mean), and a respondent exactly
//! at their role's expected level never lowers the competence part.

use proptest::prelude::*;

use super::catalogue;
use super::properties::scan;
use crate::domain::scoring::{
    Anonymity, AnswerInput, RespondentInput, ScanInput, Scorer, ScoringConfig,
};

const GROUPS: [&str; 4] = ["management", "staff", "client_representative", "partner"];
const CLUSTER_ITEMS: [(&str, &str); 3] = [("C2", "C2K1"), ("C3", "C3K1"), ("C5", "C5K1")];

fn config(k: usize) -> ScoringConfig {
    ScoringConfig::with_anonymity(Anonymity::new(k).expect("≥ 3"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn moving_one_respondent_between_groups_moves_no_aspect_more_than_one_respondent_can(
        scan in scan(),
        who in any::<proptest::sample::Index>(),
        to in 0..GROUPS.len(),
        k in 3usize..6,
    ) {
        let cat = catalogue();
        let scorer = Scorer::new(&cat, config(k));
        let r = who.index(scan.respondents.len());
        let mut moved = scan.clone();
        moved.respondents[r].group = Some(GROUPS[to].to_owned());
        moved.respondents[r].team = None;
        let (before, after) = (scorer.score(&scan, None), scorer.score(&moved, None));
        for (b, a) in before.aspects.iter().zip(&after.aspects) {
            prop_assert_eq!(b.score.is_some(), a.score.is_some(), "{} appeared or vanished", &b.code);
            if let (Some(x), Some(y)) = (b.score, a.score) {
                // One respondent of n moves a mean on a 0–100 scale by at most 100 / n (+ rounding).
                let bound = 100.0 / b.n.max(1) as f64 + 0.1;
                prop_assert!((x - y).abs() <= bound, "{} moved {} → {} (bound {})", &b.code, x, y, bound);
            }
        }
    }

    #[test]
    fn a_respondent_at_their_roles_expected_level_never_lowers_the_competence_part(
        scan in scan(),
        role in prop_oneof![Just("basic_worker"), Just("management")],
        k in 3usize..6,
    ) {
        let cat = catalogue();
        let scorer = Scorer::new(&cat, config(k));
        let profile = cat.role_profile(role).expect("profile");
        let answers = CLUSTER_ITEMS
            .iter()
            .filter_map(|(c, item)| {
                let e = profile.expected.get(*c)?;
                Some(AnswerInput::new(*item, Some(i16::from(*e))))
            })
            .collect();
        let mut more = scan.clone();
        more.respondents.push(RespondentInput {
            pseudonym: "zz-at-profile".into(),
            role: Some(role.into()),
            team: None,
            group: Some("staff".into()),
            answers,
        });
        let (before, after) = (scorer.score(&scan, None), scorer.score(&more, None));
        for (b, a) in before.aspects.iter().zip(&after.aspects) {
            if let Some(x) = b.competence_part {
                let y = a.competence_part;
                prop_assert!(y.is_some_and(|y| y >= x), "{}: competence part {} → {:?}", &b.code, x, y);
            }
        }
    }
}

/// Staff exactly at their role profiles are at the top of the competence part, whatever the level.
#[test]
fn a_team_at_its_role_profiles_tops_the_competence_part() {
    let cat = catalogue();
    let profile = cat.role_profile("basic_worker").expect("profile");
    let respondents = (0..6)
        .map(|i| RespondentInput {
            pseudonym: format!("s{i}"),
            role: Some("basic_worker".into()),
            team: None,
            group: Some("staff".into()),
            answers: profile
                .expected
                .iter()
                .map(|(c, e)| AnswerInput::new(format!("{c}K1"), Some(i16::from(*e))))
                .chain((1..=5).map(|q| AnswerInput::new(format!("A6Q{q}"), Some(4))))
                .collect(),
        })
        .collect();
    let scan = ScanInput {
        organisation: "org".into(),
        year: 2026,
        catalogue_version: cat.version.clone(),
        staff_headcount: Some(6),
        respondents,
        ..ScanInput::default()
    };
    let r = Scorer::new(&cat, ScoringConfig::default()).score(&scan, None);
    let a6 = r.aspect("A6").expect("A6");
    assert_eq!(a6.competence_part, Some(100.0));
    assert_eq!(
        a6.score,
        Some(100.0),
        "every indicator at 4 and staff at their profile"
    );
    assert_eq!(r.response.staff_rate, Some(1.0));
}
