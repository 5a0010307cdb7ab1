//! Trends between scans (same version, mapped version, unmapped version) and the federation benchmark
//! (small comparison groups suppressed, distributions, the member's own row).

use super::catalogue;
use super::worked_example::example_scan;
use crate::domain::scoring::{
    BenchmarkInput, ScanInput, Scorer, ScoringConfig, ScoringError, VersionMap,
};

/// The example scan with every answer lowered by one where the scale allows it.
fn earlier() -> ScanInput {
    let mut s = example_scan();
    s.year = 2025;
    for r in &mut s.respondents {
        for a in &mut r.answers {
            let min = if a.code.starts_with('A') { 0 } else { 1 };
            if let Some(v) = a.value.as_mut() {
                *v = (*v - 1).max(min);
            }
        }
    }
    s
}

#[test]
fn trend_is_the_visible_difference_with_the_previous_scan() {
    let cat = catalogue();
    let scorer = Scorer::new(&cat, ScoringConfig::default());
    let now = scorer.score(&example_scan(), Some(&earlier()));
    let before = scorer.score(&earlier(), None);
    let a1 = now.aspect("A1").expect("A1");
    let b1 = before.aspect("A1").expect("A1");
    assert_eq!(
        a1.trend,
        Some(((a1.score.unwrap_or(0.0) - b1.score.unwrap_or(0.0)) * 10.0).round() / 10.0)
    );
    assert!(a1.trend.is_some_and(|t| t > 0.0));
    assert!(
        now.cluster("C2")
            .and_then(|c| c.trend)
            .is_some_and(|t| t > 0.0)
    );
    assert!(now.overall_trend.is_some_and(|t| t > 0.0));
    assert!(
        now.aspect("A2").is_some_and(|a| a.trend.is_none()),
        "no figure, no trend"
    );
    assert_eq!(
        now.previous.as_ref().map(|p| (p.year, p.comparable)),
        Some((2025, true))
    );
    let alone = scorer.score(&example_scan(), None);
    assert!(
        alone.overall_trend.is_none() && alone.notes.iter().any(|n| n.code == "no_previous_scan")
    );
}

#[test]
fn across_catalogue_versions_only_through_a_code_mapping() {
    let cat = catalogue();
    let mut old = earlier();
    old.catalogue_version = "2025.1".into();
    for r in &mut old.respondents {
        for a in &mut r.answers {
            if &*a.code == "A1Q1" {
                a.code = "A1Q9".into();
            }
        }
    }
    let unmapped = Scorer::new(&cat, ScoringConfig::default()).score(&example_scan(), Some(&old));
    assert!(unmapped.overall_trend.is_none());
    assert!(unmapped.aspects.iter().all(|a| a.trend.is_none()));
    assert!(
        unmapped
            .notes
            .iter()
            .any(|n| n.code == "trend_version_mismatch")
    );
    assert_eq!(
        unmapped.previous.as_ref().map(|p| p.comparable),
        Some(false)
    );

    let mut map = VersionMap {
        from: "2025.1".into(),
        to: cat.version.clone(),
        ..VersionMap::default()
    };
    map.renamed.insert("A1Q9".into(), "A1Q1".into());
    let config = ScoringConfig {
        version_maps: vec![map],
        ..ScoringConfig::default()
    };
    let mapped = Scorer::new(&cat, config).score(&example_scan(), Some(&old));
    let same_version =
        Scorer::new(&cat, ScoringConfig::default()).score(&example_scan(), Some(&earlier()));
    assert_eq!(
        mapped.aspect("A1").and_then(|a| a.trend),
        same_version.aspect("A1").and_then(|a| a.trend)
    );
}

/// `n` organisations, each the example scan with a different share of answers raised.
fn members(n: usize, sector: &str) -> Vec<ScanInput> {
    (0..n)
        .map(|i| {
            let mut s = example_scan();
            s.organisation = format!("{}-{i}", sector.to_lowercase());
            s.sector = Some(sector.into());
            for r in s.respondents.iter_mut().take(i) {
                for a in &mut r.answers {
                    let max = if a.code.starts_with('A') { 4 } else { 5 };
                    if let Some(v) = a.value.as_mut() {
                        *v = (*v + 1).min(max);
                    }
                }
            }
            s
        })
        .collect()
}

#[test]
fn comparison_groups_below_five_organisations_are_not_shown() {
    let cat = catalogue();
    let scorer = Scorer::new(&cat, ScoringConfig::default());
    let mut scans = members(6, "CAW");
    scans.extend(members(4, "CLB"));
    let mut tiny = example_scan();
    tiny.organisation = "klein".into();
    tiny.respondents.truncate(3);
    scans.push(tiny);
    let input = BenchmarkInput {
        federation: "koepel".into(),
        year: 2026,
        scans,
        ..BenchmarkInput::default()
    };
    let b = scorer.benchmark(&input).expect("benchmark");
    let shown: Vec<(&str, Option<&str>, usize)> = b
        .groups
        .iter()
        .map(|g| (g.scope, g.sector.as_deref(), g.organisations))
        .collect();
    // CAW (6) reaches five, but the whole (10) minus CAW would be the hidden CLB sector (4): CAW is
    // hidden too (complementary suppression).
    assert_eq!(shown, vec![("overall", None, 10)]);
    assert_eq!(
        (
            b.suppressed.groups,
            b.suppressed.organisations_in_suppressed_groups,
            b.suppressed.complementary
        ),
        (2, 10, 1)
    );
    assert_eq!(b.suppressed.organisations_below_threshold, 1);
    assert!(
        b.members.is_empty(),
        "the federation view lists no member rows"
    );
    let json = serde_json::to_string(&b).expect("json");
    assert!(
        !json.contains("caw-0") && !json.contains("clb-") && !json.contains("klein"),
        "{json}"
    );
    let a1 = b.groups[0].aspects[0]
        .distribution
        .as_ref()
        .expect("A1 distribution");
    assert!(a1.n == 10 && a1.p25 <= a1.median && a1.median <= a1.p75);
    assert_eq!(a1.band, None, "ten organisations: exact quartiles");
    assert!(
        !json.contains("\"min\"") && !json.contains("\"max\""),
        "no member's own extreme"
    );
    assert!(
        b.groups[0].aspects[1].distribution.is_none(),
        "A2 has no scores"
    );
    assert!(
        !b.priorities.is_empty()
            && b.priorities.iter().all(|p| {
                p.actions.iter().all(|code| {
                    cat.recommendations
                        .iter()
                        .flat_map(|r| &r.actions)
                        .any(|a| &a.code == code && a.involves("federation"))
                })
            })
    );

    // A member asks for its own row: its slug, its percentiles overall and within its sector.
    let own = scorer
        .benchmark(&BenchmarkInput {
            member: Some("caw-5".into()),
            ..input.clone()
        })
        .expect("own");
    let row = &own.members[0];
    assert_eq!(
        (row.organisation.as_str(), row.aspects[0].code.as_str()),
        ("caw-5", "A1")
    );
    assert!(row.aspects[0].percentile.is_some() && row.aspects[0].sector_percentile.is_none());
    let clb = scorer
        .benchmark(&BenchmarkInput {
            member: Some("clb-1".into()),
            ..input.clone()
        })
        .expect("clb");
    assert!(clb.members[0].aspects[0].percentile.is_some());
    assert!(
        clb.members[0].aspects[0].sector_percentile.is_none(),
        "CLB has only 4 members"
    );
    // Without the CLB members, CAW is the whole: shown once, banded (six organisations).
    let caw_only = scorer
        .benchmark(&BenchmarkInput {
            scans: input
                .scans
                .iter()
                .filter(|s| s.organisation.starts_with("caw"))
                .cloned()
                .collect(),
            member: Some("caw-5".into()),
            ..input.clone()
        })
        .expect("caw");
    let d = caw_only.groups[0].aspects[0]
        .distribution
        .as_ref()
        .expect("A1");
    assert_eq!(d.band, Some(5.0));
    assert!(
        [d.p25, d.median, d.p75].iter().all(|x| x % 5.0 == 0.0),
        "{d:?}"
    );
    assert!(caw_only.members[0].aspects[0].sector_percentile.is_some());
    // Competences beside the aspects, under the same rules: on the 0–100 scale, banded below ten
    // organisations; and the members per stage never count more than the organisations (the
    // example scan scores too few aspects for a stage: none is counted).
    let whole = &caw_only.groups[0];
    let c = whole
        .clusters
        .iter()
        .find_map(|c| c.distribution.as_ref())
        .expect("a cluster distribution");
    assert_eq!((c.n, c.band), (6, Some(5.0)));
    assert!(
        [c.p25, c.median, c.p75]
            .iter()
            .all(|x| x % 5.0 == 0.0 && (0.0..=100.0).contains(x)),
        "{c:?}"
    );
    assert_eq!(whole.clusters.len(), cat.clusters.len());
    assert!(whole.stages.iter().sum::<usize>() <= whole.organisations);
    assert!(
        (1.0..=5.0).contains(&crate::domain::scoring::proficiency_of_100(c.median)),
        "back on the proficiency scale"
    );

    // One sector in view: only that sector, and a too-small sector shows nothing.
    let only_clb = scorer
        .benchmark(&BenchmarkInput {
            sector: Some(" clb ".into()),
            ..input.clone()
        })
        .expect("clb view");
    assert!(only_clb.groups.is_empty() && only_clb.suppressed.groups == 1);
    let stranger = scorer.benchmark(&BenchmarkInput {
        member: Some("elders".into()),
        ..input
    });
    assert_eq!(
        stranger.err(),
        Some(ScoringError::NotInBenchmark("elders".into()))
    );
}
