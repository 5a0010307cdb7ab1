//! Breakdowns by respondent group, team and role, and the anonymity rule that governs them: a
//! breakdown with fewer respondents than the threshold is left out everywhere and only counted in
//! `suppressed`. Within a shown breakdown, a figure resting on fewer answering respondents than the
//! threshold is left out as well.

use std::collections::BTreeMap;

use super::aspects::ShownGroup;
use super::config::ScoringConfig;
use super::input::ScanInput;
use super::model::{Model, Tallied};
use super::report::{BreakdownFigure, RoleBreakdown, RoleCluster, Suppressed, TeamBreakdown};
use super::stats::{Mean, Tally, round1, round3};

/// The respondents split into breakdowns: the ones shown, and what was left out.
pub(super) struct Breakdowns<'a> {
    pub groups: Vec<ShownGroup<'a>>,
    pub teams: Vec<(&'a str, Vec<usize>)>,
    pub roles: Vec<(&'a str, Vec<usize>)>,
    pub suppressed: Suppressed,
}

/// Split the respondents (already in a stable order) by group, team and role.
pub(super) fn split<'a>(
    model: &Model,
    config: &ScoringConfig,
    respondents: &[Tallied<'a>],
) -> Breakdowns<'a> {
    let mut in_suppressed = vec![false; respondents.len()];
    let mut suppressed = Suppressed::default();
    let mut keep = |map: BTreeMap<&'a str, Vec<usize>>, count: &mut usize| {
        let mut shown = Vec::new();
        for (key, members) in map {
            if config.anonymity.allows(members.len()) {
                shown.push((key, members));
            } else {
                *count += 1;
                for r in members {
                    in_suppressed[r] = true;
                }
            }
        }
        shown
    };
    let by = |key: &dyn Fn(&Tallied<'a>) -> Option<&'a str>| {
        let mut map: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
        for (i, r) in respondents.iter().enumerate() {
            if let Some(k) = key(r) {
                map.entry(k).or_default().push(i);
            }
        }
        map
    };
    let mut groups = keep(by(&|r| Some(r.group)), &mut suppressed.groups);
    groups.sort_by(|a, b| model.group_order(a.0).cmp(&model.group_order(b.0)));
    let teams = keep(by(&|r| r.input.team.as_deref()), &mut suppressed.teams);
    let roles = keep(by(&|r| r.input.role.as_deref()), &mut suppressed.roles);
    suppressed.respondents_in_suppressed = in_suppressed.iter().filter(|s| **s).count();
    Breakdowns {
        groups: groups
            .into_iter()
            .map(|(code, members)| ShownGroup { code, members })
            .collect(),
        teams,
        roles,
        suppressed,
    }
}

/// Mean of the respondents' own means over these tallies, if at least the threshold answered.
fn figure<'t>(
    config: &ScoringConfig,
    code: &str,
    tallies: impl Iterator<Item = &'t Tally>,
) -> Option<(BreakdownFigure, f64)> {
    let mut mean = Mean::default();
    for t in tallies {
        if let Some(m) = t.mean() {
            mean.add(m);
        }
    }
    let m = mean.get().filter(|_| config.anonymity.allows(mean.n()))?;
    let f = BreakdownFigure {
        code: code.to_owned(),
        value: round1(m),
        n: mean.n(),
    };
    Some((f, m))
}

/// Teams: mean maturity per aspect, mean proficiency per cluster.
pub(super) fn teams(
    model: &Model,
    config: &ScoringConfig,
    respondents: &[Tallied],
    teams: &[(&str, Vec<usize>)],
) -> Vec<TeamBreakdown> {
    teams
        .iter()
        .map(|(name, members)| TeamBreakdown {
            team: (*name).to_owned(),
            n: members.len(),
            aspects: (0..model.aspects.len())
                .filter_map(|i| {
                    let ts = members.iter().map(|r| &respondents[*r].aspects[i]);
                    figure(config, model.aspects[i], ts).map(|(f, _)| f)
                })
                .collect(),
            clusters: (0..model.clusters.len())
                .filter_map(|i| {
                    let ts = members.iter().map(|r| &respondents[*r].clusters[i]);
                    figure(config, model.clusters[i], ts).map(|(f, _)| f)
                })
                .collect(),
        })
        .collect()
}

/// Roles: mean proficiency per cluster against the role's expected level.
pub(super) fn roles(
    model: &Model,
    config: &ScoringConfig,
    scan: &ScanInput,
    respondents: &[Tallied],
    roles: &[(&str, Vec<usize>)],
) -> Vec<RoleBreakdown> {
    roles
        .iter()
        .map(|(role, members)| {
            let clusters = (0..model.clusters.len())
                .filter_map(|i| {
                    let ts = members.iter().map(|r| &respondents[*r].clusters[i]);
                    let (f, _) = figure(config, model.clusters[i], ts)?;
                    let expected = model.expected(&scan.role_overrides, role, i);
                    let at_expected_share = expected.map(|e| {
                        let at = members
                            .iter()
                            .filter_map(|r| respondents[*r].clusters[i].mean())
                            .filter(|m| *m >= f64::from(e))
                            .count();
                        round3(at as f64 / f.n as f64)
                    });
                    Some(RoleCluster {
                        code: f.code,
                        mean: f.value,
                        n: f.n,
                        expected,
                        at_expected_share,
                    })
                })
                .collect();
            RoleBreakdown {
                role: (*role).to_owned(),
                n: members.len(),
                clusters,
            }
        })
        .collect()
}
