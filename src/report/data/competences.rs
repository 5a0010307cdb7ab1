//! Staff competences in a scan report: the mean proficiency per cluster against what the respondents'
//! roles expect, and the team and role breakdowns the scoring showed (never one below the anonymity
//! threshold: those are only counted).

use serde::Serialize;

use super::{Figure, IntervalView, Trend};
use crate::domain::catalogue::Catalogue;
use crate::domain::format;
use crate::domain::scoring::ScoreReport;
use crate::domain::text::Lang;

#[derive(Debug, Clone, Serialize)]
pub struct Competences {
    pub clusters: Vec<ClusterView>,
    pub teams: Vec<Breakdown>,
    pub roles: Vec<Breakdown>,
    pub teams_suppressed: usize,
    pub roles_suppressed: usize,
    /// "2 teams" / "1 rol": how many were left out, in the singular or the plural.
    pub teams_suppressed_text: String,
    pub roles_suppressed_text: String,
    pub threshold: usize,
    /// The three clusters furthest below the role profiles (codes).
    pub largest_gaps: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClusterView {
    pub code: String,
    pub name: String,
    pub focus_area: String,
    pub mean: Figure,
    /// The 95 % interval of the mean.
    pub interval: Option<IntervalView>,
    /// The expected proficiency, averaged over the shown roles weighted by their respondents.
    pub expected: Figure,
    pub at_expected: Option<String>,
    pub at_expected_share: Option<f64>,
    pub gap: Figure,
    pub trend: Option<Trend>,
    pub n: usize,
}

/// A team or a role, with a figure per cluster (`null` where too few answered).
#[derive(Debug, Clone, Serialize)]
pub struct Breakdown {
    pub name: String,
    pub n: usize,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub code: String,
    pub mean: Figure,
    pub expected: Option<u8>,
}

pub fn competences(cat: &Catalogue, r: &ScoreReport, lang: Lang) -> Competences {
    let clusters = r
        .clusters
        .iter()
        .map(|c| {
            let def = cat.cluster(&c.code);
            let (mut sum, mut n) = (0.0, 0usize);
            for role in &r.roles {
                if let Some(e) = role
                    .clusters
                    .iter()
                    .find(|x| x.code == c.code)
                    .and_then(|x| x.expected)
                {
                    sum += f64::from(e) * role.n as f64;
                    n += role.n;
                }
            }
            ClusterView {
                code: c.code.clone(),
                name: def.map_or_else(String::new, |d| d.name.get(lang).to_owned()),
                focus_area: def.map_or_else(String::new, |d| d.focus_area.clone()),
                mean: Figure::new(c.mean, 1, lang),
                interval: IntervalView::new(c.interval, lang),
                expected: Figure::new((n > 0).then(|| sum / n as f64), 1, lang),
                at_expected: c.at_expected_share.map(|s| format::percent(s, lang)),
                at_expected_share: c.at_expected_share,
                gap: Figure::new(c.gap, 1, lang),
                trend: Trend::new(c.trend, lang),
                n: c.n,
            }
        })
        .collect();
    let codes: Vec<&str> = cat.clusters.iter().map(|c| c.code.as_str()).collect();
    let teams = r
        .teams
        .iter()
        .map(|t| Breakdown {
            name: t.team.clone(),
            n: t.n,
            cells: codes
                .iter()
                .map(|code| Cell {
                    code: (*code).to_owned(),
                    mean: Figure::new(
                        t.clusters.iter().find(|f| f.code == *code).map(|f| f.value),
                        1,
                        lang,
                    ),
                    expected: None,
                })
                .collect(),
        })
        .collect();
    let roles = r
        .roles
        .iter()
        .map(|role| Breakdown {
            name: cat
                .role_profile(&role.role)
                .map_or_else(|| role.role.clone(), |p| p.name.get(lang).to_owned()),
            n: role.n,
            cells: codes
                .iter()
                .map(|code| {
                    let f = role.clusters.iter().find(|x| x.code == *code);
                    Cell {
                        code: (*code).to_owned(),
                        mean: Figure::new(f.map(|x| x.mean), 1, lang),
                        expected: f.and_then(|x| x.expected),
                    }
                })
                .collect(),
        })
        .collect();
    Competences {
        clusters,
        teams,
        roles,
        teams_suppressed: r.suppressed.teams,
        roles_suppressed: r.suppressed.roles,
        teams_suppressed_text: format::count(r.suppressed.teams, "team", "teams"),
        roles_suppressed_text: match lang {
            Lang::Nl => format::count(r.suppressed.roles, "rol", "rollen"),
            Lang::En => format::count(r.suppressed.roles, "role", "roles"),
        },
        threshold: r.anonymity_threshold,
        // Ranked by the mean shortfall of staff below their own role's level: a cluster whose mean
        // is above the expected tick can still have one, so each code carries its shortfall.
        largest_gaps: r
            .cluster_gaps
            .iter()
            .filter(|g| g.gap > 0.0)
            .take(3)
            .map(|g| format!("{} ({})", g.cluster, format::num(g.gap, 1, lang)))
            .collect(),
    }
}
