//! Property tests of the scoring's invariants: raising an answer never lowers a score it feeds;
//! blanking an answer is leaving it out, not a zero; the order of respondents changes nothing; a
//! breakdown under the threshold never appears.

use proptest::prelude::*;

use super::catalogue;
use crate::domain::scoring::{
    Anonymity, AnswerInput, RespondentInput, ScanInput, ScoreReport, Scorer, ScoringConfig,
    respondent_scores,
};

const INDICATORS: [&str; 4] = ["A1Q1", "A1Q2", "A2Q1", "A6Q1"];
const ITEMS: [&str; 4] = ["C2K1", "C2S1", "C3K1", "C5K1"];
const GROUPS: [Option<&str>; 5] = [
    Some("management"),
    Some("staff"),
    Some("client_representative"),
    Some("partner"),
    None,
];
const ROLES: [Option<&str>; 3] = [Some("basic_worker"), Some("management"), None];
const TEAMS: [Option<&str>; 3] = [Some("Noord"), Some("Zuid"), None];

/// An answer: absent, missing, or a value on the code's scale.
fn answer(code: &'static str, max: i16, min: i16) -> impl Strategy<Value = Option<AnswerInput>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(AnswerInput::new(code, None))),
        4 => (min..=max).prop_map(move |v| Some(AnswerInput::new(code, Some(v)))),
    ]
}

fn respondent() -> impl Strategy<Value = RespondentInput> {
    let answers: Vec<BoxedStrategy<Option<AnswerInput>>> = INDICATORS
        .iter()
        .map(|c| answer(c, 4, 0).boxed())
        .chain(ITEMS.iter().map(|c| answer(c, 5, 1).boxed()))
        .collect();
    (
        0..GROUPS.len(),
        0..ROLES.len(),
        0..TEAMS.len(),
        answers,
        any::<u32>(),
    )
        .prop_map(|(g, r, t, answers, id)| RespondentInput {
            pseudonym: format!("p{id:08x}"),
            role: ROLES[r].map(str::to_owned),
            team: TEAMS[t].map(str::to_owned),
            group: GROUPS[g].map(str::to_owned),
            answers: answers.into_iter().flatten().collect(),
        })
}

pub(super) fn scan() -> impl Strategy<Value = ScanInput> {
    (proptest::collection::vec(respondent(), 3..24), 3usize..30).prop_map(|(respondents, staff)| {
        ScanInput {
            organisation: "org".into(),
            year: 2026,
            catalogue_version: "2026.1".into(),
            staff_headcount: Some(staff as u32),
            respondents,
            ..ScanInput::default()
        }
    })
}

fn scorer_config() -> ScoringConfig {
    ScoringConfig::with_anonymity(Anonymity::new(3).expect("3"))
}

/// Every score-like figure of a report, by a stable name (`None` when not shown).
fn figures(r: &ScoreReport) -> Vec<(String, Option<f64>)> {
    let mut out = vec![("overall".to_owned(), r.overall)];
    for a in &r.aspects {
        out.push((format!("{}.score", a.code), a.score));
        out.push((format!("{}.maturity", a.code), a.maturity));
        out.push((format!("{}.indicator", a.code), a.indicator_part));
        out.push((format!("{}.competence", a.code), a.competence_part));
        for g in &a.groups {
            out.push((format!("{}.{}", a.code, g.group), Some(g.maturity)));
        }
    }
    for c in &r.clusters {
        out.push((format!("{}.mean", c.code), c.mean));
        out.push((format!("{}.at_expected", c.code), c.at_expected_share));
    }
    for t in &r.teams {
        for f in t.aspects.iter().chain(&t.clusters) {
            out.push((format!("team.{}.{}", t.team, f.code), Some(f.value)));
        }
    }
    for role in &r.roles {
        for c in &role.clusters {
            out.push((format!("role.{}.{}", role.role, c.code), Some(c.mean)));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn raising_an_answer_never_lowers_a_score_it_feeds(scan in scan(), pick in any::<proptest::sample::Index>()) {
        let cat = catalogue();
        let scorer = Scorer::new(&cat, scorer_config());
        let slots: Vec<(usize, usize)> = scan.respondents.iter().enumerate()
            .flat_map(|(r, resp)| resp.answers.iter().enumerate().filter_map(move |(a, ans)| {
                let max = if ans.code.starts_with('A') { 4 } else { 5 };
                ans.value.filter(|v| *v < max).map(|_| (r, a))
            }))
            .collect();
        prop_assume!(!slots.is_empty());
        let (r, a) = slots[pick.index(slots.len())];
        let mut raised = scan.clone();
        if let Some(v) = raised.respondents[r].answers[a].value.as_mut() {
            *v += 1;
        }
        let before = figures(&scorer.score(&scan, None));
        let after = figures(&scorer.score(&raised, None));
        prop_assert_eq!(before.len(), after.len());
        for ((name, b), (_, a)) in before.iter().zip(&after) {
            prop_assert_eq!(b.is_some(), a.is_some(), "{} appeared or vanished", name);
            if let (Some(b), Some(a)) = (b, a) {
                prop_assert!(a >= b, "{} fell from {} to {}", name, b, a);
            }
        }
    }

    #[test]
    fn blanking_is_leaving_out_not_a_zero(scan in scan(), pick in any::<proptest::sample::Index>()) {
        let cat = catalogue();
        let scorer = Scorer::new(&cat, scorer_config());
        let slots: Vec<(usize, usize)> = scan.respondents.iter().enumerate()
            .flat_map(|(r, resp)| resp.answers.iter().enumerate()
                .filter(|(_, ans)| ans.value.is_some() && ans.code.starts_with('A'))
                .map(move |(a, _)| (r, a)))
            .collect();
        prop_assume!(!slots.is_empty());
        let (r, a) = slots[pick.index(slots.len())];
        let mut blanked = scan.clone();
        blanked.respondents[r].answers[a].value = None;
        let mut removed = scan.clone();
        let code = removed.respondents[r].answers.remove(a).code;
        let mut zeroed = scan.clone();
        zeroed.respondents[r].answers[a].value = Some(0);
        prop_assert_eq!(figures(&scorer.score(&blanked, None)), figures(&scorer.score(&removed, None)));
        // For the respondent: the blanked answer leaves the mean of the others; a zero pulls it down.
        let aspect = &code[..2];
        let others = respondent_scores(&cat, &removed.respondents[r]).aspects.get(aspect).copied();
        let with_blank = respondent_scores(&cat, &blanked.respondents[r]).aspects.get(aspect).copied();
        let with_zero = respondent_scores(&cat, &zeroed.respondents[r]).aspects.get(aspect).copied();
        prop_assert_eq!(with_blank, others);
        if let (Some(o), Some(z)) = (others, with_zero) {
            prop_assert!(z <= o);
            if o > 0.0 { prop_assert!(z < o, "a zero would have lowered {} to {}", o, z); }
        }
    }

    #[test]
    fn shuffling_respondents_changes_nothing(scan in scan(), seed in any::<u64>()) {
        let cat = catalogue();
        let scorer = Scorer::new(&cat, scorer_config());
        let mut shuffled = scan.clone();
        // A deterministic Fisher–Yates from the seed, also over each respondent's answers.
        let mut state = seed | 1;
        let mut next = |n: usize| { state ^= state << 13; state ^= state >> 7; state ^= state << 17; (state % n as u64) as usize };
        for i in (1..shuffled.respondents.len()).rev() {
            let j = next(i + 1);
            shuffled.respondents.swap(i, j);
        }
        for r in &mut shuffled.respondents {
            for i in (1..r.answers.len()).rev() {
                let j = next(i + 1);
                r.answers.swap(i, j);
            }
        }
        let a = serde_json::to_string(&scorer.score(&scan, None)).expect("json");
        let b = serde_json::to_string(&scorer.score(&shuffled, None)).expect("json");
        prop_assert_eq!(a, b);
    }

    #[test]
    fn a_breakdown_under_the_threshold_never_appears(scan in scan(), threshold in 3usize..7) {
        let cat = catalogue();
        let config = ScoringConfig::with_anonymity(Anonymity::new(threshold).expect("≥ 3"));
        let r = Scorer::new(&cat, config).score(&scan, None);
        let count = |key: &dyn Fn(&RespondentInput) -> Option<String>, value: &str| {
            scan.respondents.iter().filter(|x| key(x).as_deref() == Some(value)).count()
        };
        let group_of = |x: &RespondentInput| Some(x.group.clone().unwrap_or_else(|| "unknown".into()));
        if scan.respondents.len() < threshold {
            prop_assert!(r.suppressed.organisation && r.aspects.is_empty() && r.clusters.is_empty() && r.overall.is_none());
            return Ok(());
        }
        for a in &r.aspects {
            for g in &a.groups {
                prop_assert!(count(&group_of, &g.group) >= threshold, "group {} shown", g.group);
                prop_assert!(g.n >= threshold);
            }
        }
        for t in &r.teams {
            prop_assert!(count(&|x| x.team.clone(), &t.team) >= threshold);
            prop_assert!(t.aspects.iter().chain(&t.clusters).all(|f| f.n >= threshold));
        }
        for role in &r.roles {
            prop_assert!(count(&|x| x.role.clone(), &role.role) >= threshold);
        }
        for c in &r.clusters {
            prop_assert!(c.mean.is_none() || c.n >= threshold);
            prop_assert!(c.at_expected_share.is_none() || c.with_role >= threshold);
        }
        let small_groups = ["management", "staff", "client_representative", "partner", "unknown"]
            .iter()
            .filter(|g| (1..threshold).contains(&count(&group_of, g)))
            .count();
        prop_assert_eq!(r.suppressed.groups, small_groups);
    }
}
