//! The subtraction attack, tried on real score reports. For random scans, every published mean with
//! its `n` is the sum of one variable over a set of respondents; the test rebuilds those sets from the
//! report (the organisation's figure, the groups, teams and roles it shows) and solves: is any hidden
//! figure about fewer than k respondents — one respondent, two together, a hidden group, team or role,
//! the total minus the shown parts — a linear combination of the published sums? A rank test with and
//! without the target, in floating point with partial pivoting (an implementation independent of the
//! exact one in `disclosure`).

use proptest::prelude::*;

use super::catalogue;
use super::properties::scan;
use crate::domain::scoring::{
    Anonymity, RespondentInput, ScanInput, ScoreReport, Scorer, ScoringConfig, UNKNOWN_GROUP,
    respondent_scores,
};

fn rank(rows: &[Vec<f64>]) -> usize {
    let mut m: Vec<Vec<f64>> = rows.to_vec();
    let cols = m.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..m.len()).max_by(|a, b| m[*a][c].abs().total_cmp(&m[*b][c].abs())) else {
            break;
        };
        if m[p][c].abs() < 1e-9 {
            continue;
        }
        m.swap(r, p);
        for i in 0..m.len() {
            if i != r {
                let f = m[i][c] / m[r][c];
                let pivot = m[r].clone();
                for (x, y) in m[i].iter_mut().zip(&pivot) {
                    *x -= f * y;
                }
            }
        }
        r += 1;
    }
    r
}

fn indicator(n: usize, set: &[usize]) -> Vec<f64> {
    let mut v = vec![0.0; n];
    set.iter().for_each(|i| v[*i] = 1.0);
    v
}

/// One variable: the published sets, and the breakdown cells (shown or not) to attack.
struct System {
    total: Vec<usize>,
    published: Vec<Vec<usize>>,
    cells: Vec<Vec<Vec<usize>>>,
}

fn check(n: usize, k: usize, s: &System, what: &str) -> Result<(), TestCaseError> {
    if s.published.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<f64>> = s.published.iter().map(|p| indicator(n, p)).collect();
    let base = rank(&rows);
    let derivable = |targets: &[Vec<f64>]| {
        let mut m = rows.clone();
        m.extend(targets.iter().cloned());
        // Some nonzero combination of the targets lies in the published span.
        rank(&m) < base + rank(targets)
    };
    let mut targets: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, a) in s.total.iter().enumerate() {
        targets.push((format!("respondent {a}"), vec![*a]));
        for b in &s.total[i + 1..] {
            if k > 2 {
                targets.push((format!("respondents {a} and {b}"), vec![*a, *b]));
            }
        }
    }
    for dim in &s.cells {
        let mut rest: Vec<usize> = s.total.clone();
        for cell in dim {
            if (1..k).contains(&cell.len()) {
                targets.push(("a hidden cell".into(), cell.clone()));
            }
            if s.published.contains(cell) {
                rest.retain(|r| !cell.contains(r));
            }
        }
        if (1..k).contains(&rest.len()) {
            targets.push(("the total minus the shown cells".into(), rest));
        }
    }
    for (name, t) in targets {
        // A pair is exposed when any combination of the two is (e.g. their difference).
        let vs: Vec<Vec<f64>> = if t.len() == 2 && name.starts_with("respondents") {
            t.iter().map(|r| indicator(n, &[*r])).collect()
        } else {
            vec![indicator(n, &t)]
        };
        prop_assert!(
            !derivable(&vs),
            "{}: {} ({:?}) can be derived from the published sums {:?}",
            what,
            name,
            t,
            s.published
        );
    }
    Ok(())
}

fn members(
    scan: &ScanInput,
    total: &[usize],
    key: &dyn Fn(&RespondentInput) -> Option<String>,
    value: &str,
) -> Vec<usize> {
    total
        .iter()
        .copied()
        .filter(|r| key(&scan.respondents[*r]).as_deref() == Some(value))
        .collect()
}

fn values(scan: &ScanInput, key: &dyn Fn(&RespondentInput) -> Option<String>) -> Vec<String> {
    let mut v: Vec<String> = scan.respondents.iter().filter_map(key).collect();
    v.sort();
    v.dedup();
    v
}

/// Every variable's published system, from the report.
fn systems(scan: &ScanInput, report: &ScoreReport) -> Vec<(String, System)> {
    let cat = catalogue();
    let own: Vec<_> = scan
        .respondents
        .iter()
        .map(|r| respondent_scores(&cat, r))
        .collect();
    let group = |r: &RespondentInput| Some(r.group.clone().unwrap_or_else(|| UNKNOWN_GROUP.into()));
    let team = |r: &RespondentInput| r.team.clone();
    let role = |r: &RespondentInput| r.role.clone();
    let mut out = Vec::new();
    for a in &report.aspects {
        let total: Vec<usize> = (0..own.len())
            .filter(|r| own[*r].aspects.contains_key(&a.code))
            .collect();
        let mut published = Vec::new();
        if a.maturity.is_some() {
            published.push(total.clone());
        }
        for g in &a.groups {
            published.push(members(scan, &total, &group, &g.group));
        }
        for t in report
            .teams
            .iter()
            .filter(|t| t.aspects.iter().any(|f| f.code == a.code))
        {
            published.push(members(scan, &total, &team, &t.team));
        }
        let cells = [values(scan, &group), values(scan, &team)]
            .iter()
            .zip([&group as &dyn Fn(&RespondentInput) -> Option<String>, &team])
            .map(|(vs, key)| vs.iter().map(|v| members(scan, &total, key, v)).collect())
            .collect();
        out.push((
            a.code.clone(),
            System {
                total,
                published,
                cells,
            },
        ));
    }
    for c in &report.clusters {
        let total: Vec<usize> = (0..own.len())
            .filter(|r| own[*r].clusters.contains_key(&c.code))
            .collect();
        let mut published = Vec::new();
        if c.mean.is_some() {
            published.push(total.clone());
        }
        for t in report
            .teams
            .iter()
            .filter(|t| t.clusters.iter().any(|f| f.code == c.code))
        {
            published.push(members(scan, &total, &team, &t.team));
        }
        for r in report
            .roles
            .iter()
            .filter(|r| r.clusters.iter().any(|f| f.code == c.code))
        {
            published.push(members(scan, &total, &role, &r.role));
        }
        let cells = [values(scan, &team), values(scan, &role)]
            .iter()
            .zip([&team as &dyn Fn(&RespondentInput) -> Option<String>, &role])
            .map(|(vs, key)| vs.iter().map(|v| members(scan, &total, key, v)).collect())
            .collect();
        out.push((
            format!("{} mean", c.code),
            System {
                total: total.clone(),
                published,
                cells,
            },
        ));
        // "At the expected level": over those with a role profile (all generated roles have one).
        let with_role: Vec<usize> = total
            .iter()
            .copied()
            .filter(|r| scan.respondents[*r].role.is_some())
            .collect();
        let mut published = Vec::new();
        if c.at_expected_share.is_some() {
            published.push(with_role.clone());
        }
        for r in report.roles.iter().filter(|r| {
            r.clusters
                .iter()
                .any(|f| f.code == c.code && f.at_expected_share.is_some())
        }) {
            published.push(members(scan, &with_role, &role, &r.role));
        }
        let cells = vec![
            values(scan, &role)
                .iter()
                .map(|v| members(scan, &with_role, &role, v))
                .collect(),
        ];
        out.push((
            format!("{} at expected", c.code),
            System {
                total: with_role,
                published,
                cells,
            },
        ));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn no_figure_about_fewer_than_k_can_be_derived(scan in scan(), threshold in 3usize..6) {
        let cat = catalogue();
        let config = ScoringConfig::with_anonymity(Anonymity::new(threshold).expect("≥ 3"));
        let report = Scorer::new(&cat, config).score(&scan, None);
        for (what, system) in systems(&scan, &report) {
            check(scan.respondents.len(), threshold, &system, &what)?;
        }
    }
}

#[test]
fn the_lone_director_of_the_issue_stays_hidden() {
    // 29 basic workers and one director answer all nine clusters; before, the organisation's share
    // "at the expected level" with `with_role`, minus the basic workers' share, gave the director.
    let mut respondents = Vec::new();
    let clusters: Vec<String> = (1..=9).map(|c| format!("C{c}K1")).collect();
    for i in 0..30 {
        let role = if i == 29 {
            "management"
        } else {
            "basic_worker"
        };
        let answers: Vec<(&str, Option<i16>)> = clusters
            .iter()
            .map(|c| (c.as_str(), Some(if i % 3 == 0 { 4 } else { 2 })))
            .collect();
        respondents.push(super::respondent(
            &format!("p{i:02}"),
            "staff",
            role,
            None,
            &answers,
        ));
    }
    let scan = ScanInput {
        organisation: "org".into(),
        year: 2026,
        catalogue_version: "2026.1".into(),
        staff_headcount: Some(40),
        respondents,
        ..ScanInput::default()
    };
    let report = super::super::score(&catalogue(), ScoringConfig::default(), &scan);
    for c in &report.clusters {
        let workers = report
            .roles
            .iter()
            .find(|r| r.role == "basic_worker")
            .and_then(|r| r.clusters.iter().find(|x| x.code == c.code))
            .and_then(|x| x.at_expected_share);
        assert!(
            c.at_expected_share.is_none() || workers.is_none(),
            "{}: organisation {:?} and workers {:?} both shown",
            c.code,
            c.at_expected_share,
            workers
        );
    }
    assert!(report.suppressed.complementary > 0);
}
