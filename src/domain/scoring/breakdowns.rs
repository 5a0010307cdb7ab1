//! Breakdowns by respondent group, team and role, and the anonymity rule that governs them: a
//! breakdown with fewer respondents than the threshold is left out everywhere and only counted in
//! `suppressed`. Per figure, the breakdown cells go through [`disclosure::protect`]: a cell resting on
//! fewer answering respondents than the threshold is hidden, and so is any further cell that would let
//! a reader subtract their way to it (across groups, teams and roles together).

use std::collections::BTreeMap;

use super::config::ScoringConfig;
use super::disclosure::{self, Cell};
use super::input::ScanInput;
use super::model::{Model, Tallied};
use super::report::{BreakdownFigure, RoleBreakdown, RoleCluster, Suppressed, TeamBreakdown};
use super::stats::{Mean, round1, round2};

/// The respondents split into breakdowns (all of them, small ones too: they are cells to protect).
pub(super) struct Breakdowns<'a> {
    pub groups: Vec<(&'a str, Vec<usize>)>,
    pub teams: Vec<(&'a str, Vec<usize>)>,
    pub roles: Vec<(&'a str, Vec<usize>)>,
    pub suppressed: Suppressed,
}

/// Which breakdown cells each figure may show.
pub(super) struct Visibility {
    /// Per aspect: per group, per team.
    pub aspect_groups: Vec<Vec<bool>>,
    pub aspect_teams: Vec<Vec<bool>>,
    /// Per cluster: the mean per team and per role; "at the expected level" per role.
    pub cluster_teams: Vec<Vec<bool>>,
    pub cluster_roles: Vec<Vec<bool>>,
    pub expected_roles: Vec<Vec<bool>>,
}

/// Split the respondents (already in a stable order) by group, team and role.
pub(super) fn split<'a>(
    model: &Model,
    config: &ScoringConfig,
    respondents: &[Tallied<'a>],
) -> Breakdowns<'a> {
    let mut in_suppressed = vec![false; respondents.len()];
    let mut suppressed = Suppressed::default();
    let mut count = |map: &BTreeMap<&'a str, Vec<usize>>, count: &mut usize| {
        for members in map.values() {
            if !config.anonymity.allows(members.len()) {
                *count += 1;
                for r in members {
                    in_suppressed[*r] = true;
                }
            }
        }
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
    let groups = by(&|r| Some(r.group));
    let teams = by(&|r| r.input.team.as_deref());
    let roles = by(&|r| r.input.role.as_deref());
    count(&groups, &mut suppressed.groups);
    count(&teams, &mut suppressed.teams);
    count(&roles, &mut suppressed.roles);
    suppressed.respondents_in_suppressed = in_suppressed.iter().filter(|s| **s).count();
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| model.group_order(a.0).cmp(&model.group_order(b.0)));
    Breakdowns {
        groups,
        teams: teams.into_iter().collect(),
        roles: roles.into_iter().collect(),
        suppressed,
    }
}

/// Protect the cells of one figure: `total` are the respondents behind the organisation's figure;
/// each list of cells is one breakdown. Returns the shown flags per breakdown.
fn protect(
    config: &ScoringConfig,
    total: &[usize],
    breakdowns: &[&[(&str, Vec<usize>)]],
    complementary: &mut usize,
) -> Vec<Vec<bool>> {
    let in_total = |m: &Vec<usize>| -> Vec<usize> {
        m.iter()
            .copied()
            .filter(|r| total.binary_search(r).is_ok())
            .collect()
    };
    let mut cells: Vec<Cell> = breakdowns
        .iter()
        .flat_map(|b| b.iter().map(|(_, m)| Cell::new(in_total(m))))
        .collect();
    *complementary += disclosure::protect(total, &mut cells, config.anonymity.threshold());
    let mut out = Vec::new();
    let mut i = 0;
    for b in breakdowns {
        out.push(cells[i..i + b.len()].iter().map(|c| c.shown).collect());
        i += b.len();
    }
    out
}

/// Decide, figure by figure, which breakdown cells are shown. Adds the complementary suppressions to
/// `suppressed`.
pub(super) fn visibility(
    model: &Model,
    config: &ScoringConfig,
    scan: &ScanInput,
    respondents: &[Tallied],
    split: &mut Breakdowns,
) -> Visibility {
    let mut extra = 0;
    let mut v = Visibility {
        aspect_groups: Vec::new(),
        aspect_teams: Vec::new(),
        cluster_teams: Vec::new(),
        cluster_roles: Vec::new(),
        expected_roles: Vec::new(),
    };
    let answered = |f: &dyn Fn(&Tallied) -> bool| -> Vec<usize> {
        (0..respondents.len())
            .filter(|r| f(&respondents[*r]))
            .collect()
    };
    for i in 0..model.aspects.len() {
        let total = answered(&|r| r.aspects[i].answered > 0);
        let mut shown = protect(config, &total, &[&split.groups, &split.teams], &mut extra);
        v.aspect_teams.push(shown.pop().unwrap_or_default());
        v.aspect_groups.push(shown.pop().unwrap_or_default());
    }
    for c in 0..model.clusters.len() {
        let total = answered(&|r| r.clusters[c].answered > 0);
        let mut shown = protect(config, &total, &[&split.teams, &split.roles], &mut extra);
        v.cluster_roles.push(shown.pop().unwrap_or_default());
        v.cluster_teams.push(shown.pop().unwrap_or_default());
        let with_role = answered(&|r| {
            r.clusters[c].answered > 0
                && r.input
                    .role
                    .as_deref()
                    .and_then(|role| model.expected(&scan.role_overrides, role, c))
                    .is_some()
        });
        let mut shown = protect(config, &with_role, &[&split.roles], &mut extra);
        v.expected_roles.push(shown.pop().unwrap_or_default());
    }
    split.suppressed.complementary = extra;
    v
}

/// Mean of the respondents' own means, when the cell is shown.
fn figure(
    code: &str,
    shown: bool,
    values: impl Iterator<Item = Option<f64>>,
) -> Option<BreakdownFigure> {
    if !shown {
        return None;
    }
    let mut mean = Mean::default();
    values.flatten().for_each(|m| mean.add(m));
    Some(BreakdownFigure {
        code: code.to_owned(),
        value: round1(mean.get()?),
        n: mean.n(),
    })
}

/// Teams at or above the threshold: mean maturity per aspect, mean proficiency per cluster.
pub(super) fn teams(
    model: &Model,
    config: &ScoringConfig,
    respondents: &[Tallied],
    teams: &[(&str, Vec<usize>)],
    vis: &Visibility,
) -> Vec<TeamBreakdown> {
    teams
        .iter()
        .enumerate()
        .filter(|(_, (_, m))| config.anonymity.allows(m.len()))
        .map(|(t, (name, members))| TeamBreakdown {
            team: (*name).to_owned(),
            n: members.len(),
            aspects: (0..model.aspects.len())
                .filter_map(|i| {
                    let ms = members.iter().map(|r| respondents[*r].aspects[i].mean());
                    figure(model.aspects[i], vis.aspect_teams[i][t], ms)
                })
                .collect(),
            clusters: (0..model.clusters.len())
                .filter_map(|c| {
                    let ms = members.iter().map(|r| respondents[*r].clusters[c].mean());
                    figure(model.clusters[c], vis.cluster_teams[c][t], ms)
                })
                .collect(),
        })
        .collect()
}

/// Roles at or above the threshold: mean proficiency per cluster against the role's expected level.
pub(super) fn roles(
    model: &Model,
    config: &ScoringConfig,
    scan: &ScanInput,
    respondents: &[Tallied],
    roles: &[(&str, Vec<usize>)],
    vis: &Visibility,
) -> Vec<RoleBreakdown> {
    roles
        .iter()
        .enumerate()
        .filter(|(_, (_, m))| config.anonymity.allows(m.len()))
        .map(|(k, (role, members))| {
            let clusters = (0..model.clusters.len())
                .filter_map(|c| {
                    let ms = members.iter().map(|r| respondents[*r].clusters[c].mean());
                    let f = figure(model.clusters[c], vis.cluster_roles[c][k], ms)?;
                    let expected = model.expected(&scan.role_overrides, role, c);
                    let at_expected_share =
                        expected.filter(|_| vis.expected_roles[c][k]).map(|e| {
                            let at = members
                                .iter()
                                .filter_map(|r| respondents[*r].clusters[c].mean())
                                .filter(|m| *m >= f64::from(e))
                                .count();
                            round2(at as f64 / f.n as f64)
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
