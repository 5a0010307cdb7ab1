//! The verdict of the first page: each sentence from the figures of the score, in both languages.

use crate::domain::catalogue::{Catalogue, parse};
use crate::domain::scoring::{
    AnswerInput, ComparisonGroup, Distribution, PreviousScan, RespondentInput, ScanInput,
    ScoreReport, Scorer, ScoringConfig,
};
use crate::domain::text::Lang;
use crate::report::data::verdict;

fn catalogue() -> Catalogue {
    parse(&crate::catalogue::builtin_files()).expect("built-in catalogue")
}

/// Twelve staff members; aspect An is answered around `level(n)`, so A5 is strongest and A9 weakest.
fn scan(cat: &Catalogue) -> ScanInput {
    let level = |aspect: usize| match aspect {
        5 => 4,
        9 => 0,
        _ => 2,
    };
    let respondents = (0..12)
        .map(|i| RespondentInput {
            pseudonym: format!("r{i}"),
            role: Some("basic_worker".into()),
            team: None,
            group: Some("staff".into()),
            answers: cat
                .aspects
                .iter()
                .enumerate()
                .flat_map(|(n, a)| {
                    let base: i16 = level(n + 1);
                    a.indicators.iter().map(move |q| {
                        // A little spread, so the intervals are not empty.
                        let v = (base + i16::from(i % 3 == 0) - i16::from(i % 4 == 0)).clamp(0, 4);
                        AnswerInput::new(q.code.as_str(), Some(v))
                    })
                })
                .collect(),
        })
        .collect();
    ScanInput {
        organisation: "oost".into(),
        sector: Some("CAW".into()),
        year: 2026,
        catalogue_version: cat.version.clone(),
        staff_headcount: Some(20),
        respondents,
        role_overrides: Default::default(),
    }
}

fn score(cat: &Catalogue) -> ScoreReport {
    Scorer::new(cat, ScoringConfig::default()).score(&scan(cat), None)
}

#[test]
fn the_verdict_names_stage_strongest_weakest_and_how_sure() {
    let cat = catalogue();
    let s = score(&cat);
    let stage = s.stage.expect("a stage").label(Lang::Nl);
    let v = verdict(&cat, &s, None, Lang::Nl);
    assert!(
        v.headline.contains(&format!("fase ‘{stage}’")),
        "{}",
        v.headline
    );
    let overall = crate::domain::format::num(s.overall.expect("an index"), 1, Lang::Nl);
    assert!(v.headline.contains(&overall), "{}", v.headline);
    let all = v.sentences.join(" ");
    assert!(all.contains("Het sterkst staat A5"), "{all}");
    assert!(all.contains("het zwakst A9"), "{all}");
    assert!(all.contains("Dit is de eerste scan"), "{all}");
    assert!(
        all.contains("Hoe zeker: de index rust op 12 respondenten"),
        "{all}"
    );
    assert!(v.position.is_none(), "no federation, no position");

    let en = verdict(&cat, &s, None, Lang::En);
    assert!(
        en.headline.starts_with("Your organisation is in the"),
        "{}",
        en.headline
    );
    assert!(en.sentences.join(" ").contains("Strongest is A5"));
}

#[test]
fn the_change_is_said_with_its_direction_and_the_aspect_that_moved_most() {
    let cat = catalogue();
    let mut s = score(&cat);
    s.previous = Some(PreviousScan {
        year: 2025,
        catalogue_version: cat.version.clone(),
        comparable: true,
    });
    s.overall_trend = Some(-12.0);
    s.aspects[5].trend = Some(-20.0);
    s.aspects[1].trend = Some(3.0);
    let nl = verdict(&cat, &s, None, Lang::Nl).sentences.join(" ");
    assert!(
        nl.contains("Sinds 2025 daalde de index met 12,0 punten"),
        "{nl}"
    );
    assert!(nl.contains("het meest verschoof A6"), "{nl}");
    assert!(nl.contains("(–20,0)"), "{nl}");
    s.overall_trend = Some(0.2);
    let en = verdict(&cat, &s, None, Lang::En).sentences.join(" ");
    assert!(
        en.contains("Since 2025 the index stayed level (+0.2)"),
        "{en}"
    );
}

#[test]
fn the_next_steps_are_the_organisations_own_actions_in_its_own_words() {
    let cat = catalogue();
    let s = score(&cat);
    let v = verdict(&cat, &s, None, Lang::Nl);
    assert_eq!(v.next_steps.len(), 3);
    for step in &v.next_steps {
        let p = s
            .priorities
            .iter()
            .find(|p| p.rank == step.rank)
            .expect("a priority");
        assert_eq!(step.aspect, p.aspect);
        match &step.action {
            Some(a) => {
                let action = cat
                    .recommendations
                    .iter()
                    .flat_map(|r| &r.actions)
                    .find(|x| x.code == a.code)
                    .expect("a catalogue action");
                assert_eq!(Some(&a.text), action.voice("organisation").map(|t| &t.nl));
            }
            None => assert!(step.intended_result.is_some()),
        }
    }
}

#[test]
fn the_position_shows_the_groups_median_band_and_where_the_organisation_is() {
    let cat = catalogue();
    let s = score(&cat);
    let own = s.overall.expect("an index");
    let group = |band: Option<f64>, median: f64| ComparisonGroup {
        scope: "sector",
        sector: Some("CAW".into()),
        organisations: 7,
        overall: Some(Distribution {
            n: 7,
            p25: median - 10.0,
            median,
            p75: median + 10.0,
            band,
        }),
        aspects: Vec::new(),
        clusters: Vec::new(),
        stages: [0; 4],
        median_response_rate: None,
    };
    let below = group(Some(5.0), 90.0);
    let v = verdict(&cat, &s, Some(&below), Lang::Nl);
    let p = v.position.expect("a position");
    assert_eq!(p.place, "below");
    assert!(
        p.text.contains("de sector CAW (7 organisaties)"),
        "{}",
        p.text
    );
    assert!(p.text.contains("de mediaan is ca.\u{a0}90"), "{}", p.text);
    assert!(p.text.ends_with("ligt daaronder."), "{}", p.text);
    let within = group(None, own);
    let p = verdict(&cat, &s, Some(&within), Lang::En)
        .position
        .expect("a position");
    assert_eq!(p.place, "within");
    assert!(p.text.contains("the CAW sector"), "{}", p.text);
}

#[test]
fn the_sectors_group_is_chosen_when_shown_else_all_members() {
    use crate::domain::scoring::BenchmarkReport;
    let cat = catalogue();
    let g = |scope: &'static str, sector: Option<&str>| ComparisonGroup {
        scope,
        sector: sector.map(str::to_owned),
        organisations: 5,
        overall: Some(Distribution {
            n: 5,
            p25: 40.0,
            median: 50.0,
            p75: 60.0,
            band: Some(5.0),
        }),
        aspects: Vec::new(),
        clusters: Vec::new(),
        stages: [0; 4],
        median_response_rate: None,
    };
    let report = BenchmarkReport {
        federation: "f".into(),
        year: 2026,
        sector: None,
        catalogue_version: cat.version.clone(),
        method_version: crate::domain::scoring::METHOD_VERSION,
        min_comparison_group: 5,
        anonymity_threshold: 5,
        organisations: 10,
        groups: vec![g("overall", None), g("sector", Some("CAW"))],
        members: Vec::new(),
        priorities: Vec::new(),
        suppressed: Default::default(),
        notes: Vec::new(),
    };
    let pick = |s| super::super::comparison_group(&report, s).map(|g| g.scope);
    assert_eq!(pick(Some(" caw ")), Some("sector"));
    assert_eq!(pick(Some("CLB")), Some("overall"));
    assert_eq!(pick(None), Some("overall"));
}

#[test]
fn the_largest_perception_gap_beyond_its_noise_is_said() {
    use crate::domain::scoring::PerceptionGap;
    let cat = catalogue();
    let mut s = score(&cat);
    let gap = |size: f64, flagged: bool| PerceptionGap {
        size,
        high: "management".into(),
        low: "staff".into(),
        noise: 0.4,
        flagged,
    };
    let without = verdict(&cat, &s, None, Lang::Nl);
    assert!(
        !without.sentences.iter().any(|x| x.contains("verschillend")),
        "no gap, no sentence: {:?}",
        without.sentences
    );
    s.aspects[2].perception_gap = Some(gap(1.2, true));
    s.aspects[4].perception_gap = Some(gap(2.5, false));
    s.aspects[6].perception_gap = Some(gap(1.6, true));
    let v = verdict(&cat, &s, None, Lang::Nl);
    let said: Vec<&String> = v
        .sentences
        .iter()
        .filter(|x| x.contains("verschillend"))
        .collect();
    assert_eq!(said.len(), 1, "{:?}", v.sentences);
    assert!(
        said[0].contains("A7") && said[0].contains("1,6"),
        "{}",
        said[0]
    );
    assert!(
        said[0].contains("management") && said[0].contains("medewerkers"),
        "{}",
        said[0]
    );
    let en = verdict(&cat, &s, None, Lang::En);
    assert!(
        en.sentences
            .iter()
            .any(|x| x.contains("differ most on A7") && x.contains("1.6")),
        "{:?}",
        en.sentences
    );
}
