//! Federation benchmark: every member's scan of one year scored the same way, then per comparison
//! group (all members, and each sector) the distribution of the scores per aspect. A comparison group
//! of fewer than five organisations is never shown, only counted; nor is a sector group whose
//! complement within the shown whole is fewer than five (the whole minus the shown sectors would be the
//! hidden one). No statistic is a member's own: no minimum or maximum, and quartiles of fewer than ten
//! organisations only as bands of five points. The federation view names no organisation; a member's
//! own row (with its slug and percentiles) appears only when that member is asked for.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Scorer;
use super::config::{MIN_COMPARISON_GROUP, ScoringError};
use super::input::ScanInput;
use super::priorities::{self, FEDERATION_ACTOR};
use super::report::{Note, Priority, ScoreReport, Stage};
use super::stats::{percentile_rank, quantile, round_half_up, round1};

/// Below this many organisations, quartiles are given as bands of [`BAND_WIDTH`] points.
pub const EXACT_QUARTILES_FROM: usize = 10;
/// The width of a band (points on the 0–100 scale).
pub const BAND_WIDTH: f64 = 5.0;

/// What a benchmark is asked for.
#[derive(Debug, Clone, Default)]
pub struct BenchmarkInput {
    /// The federation's slug.
    pub federation: String,
    pub year: i32,
    /// Only members of this sector (case and spacing ignored).
    pub sector: Option<String>,
    /// The member whose own row to show (its slug).
    pub member: Option<String>,
    /// The members' scans of `year`.
    pub scans: Vec<ScanInput>,
}

/// Quartiles and median of the organisations' scores. Never a minimum or maximum (each is one
/// member's own score); below [`EXACT_QUARTILES_FROM`] organisations each figure is rounded to a
/// multiple of [`BAND_WIDTH`] (`band` says so), so none is a member's exact score.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Distribution {
    pub n: usize,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    /// The band width when the figures are banded; `null` when exact (one decimal).
    pub band: Option<f64>,
}

impl Distribution {
    fn of(values: &mut [f64]) -> Option<Distribution> {
        if values.len() < MIN_COMPARISON_GROUP {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let band = (values.len() < EXACT_QUARTILES_FROM).then_some(BAND_WIDTH);
        let q = |p| {
            quantile(values, p).map(|v| match band {
                Some(w) => round_half_up(v / w, 0) * w,
                None => round1(v),
            })
        };
        Some(Distribution {
            n: values.len(),
            p25: q(0.25)?,
            median: q(0.5)?,
            p75: q(0.75)?,
            band,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AspectDistribution {
    pub code: String,
    pub distribution: Option<Distribution>,
}

/// All members in view (`scope = overall`) or one sector's.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ComparisonGroup {
    pub scope: &'static str,
    pub sector: Option<String>,
    pub organisations: usize,
    pub overall: Option<Distribution>,
    pub aspects: Vec<AspectDistribution>,
    /// Per competence cluster, the distribution of the organisations' mean proficiency, put on the
    /// aspects' 0–100 scale (0 = 1 "nog niet", 100 = 5 "expert") so that the same rules hold: bands
    /// of five points (0,2 proficiency) below ten organisations, no group under five.
    pub clusters: Vec<AspectDistribution>,
    /// How many of its organisations are in each stage, from starting to embedded (organisations
    /// without a stage are not counted). Counts of organisations, never a member's own figure.
    pub stages: [usize; 4],
    /// The median staff response rate (0–1) of its organisations with a known staff headcount, when
    /// at least [`MIN_COMPARISON_GROUP`] have one.
    pub median_response_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MemberAspect {
    pub code: String,
    pub score: Option<f64>,
    /// Percentile among all members in view.
    pub percentile: Option<f64>,
    /// Percentile among the members of its own sector.
    pub sector_percentile: Option<f64>,
}

/// The row of the member asked for: its own figures and where they stand.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MemberRow {
    pub organisation: String,
    pub sector: Option<String>,
    pub respondents: usize,
    pub overall: MemberAspect,
    pub stage: Option<Stage>,
    pub aspects: Vec<MemberAspect>,
}

/// What the benchmark left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BenchmarkSuppressed {
    /// Comparison groups with fewer than five organisations.
    pub groups: usize,
    /// Distinct organisations in those groups.
    pub organisations_in_suppressed_groups: usize,
    /// Members whose scan has fewer respondents than the anonymity threshold.
    pub organisations_below_threshold: usize,
    /// Aspect distributions left out in a shown group (fewer than five organisations with a score,
    /// or a complement within the whole under five).
    pub aspect_figures: usize,
    /// Sector groups of five or more left out because the whole minus the shown sectors would be
    /// fewer than five organisations.
    pub complementary: usize,
}

/// Hide sector sets (index ≥ 1 in `sets`; the first is the whole) until the whole minus the shown
/// sectors is none or at least [`MIN_COMPARISON_GROUP`]. Returns the shown flags.
fn complement_safe(sets: &[Vec<usize>], shown: &mut [bool]) -> usize {
    let mut hidden = 0;
    if !shown.first().copied().unwrap_or(false) {
        return 0;
    }
    loop {
        let rest = sets[0]
            .iter()
            .filter(|m| {
                !sets
                    .iter()
                    .zip(shown.iter())
                    .skip(1)
                    .any(|(s, sh)| *sh && s.contains(m))
            })
            .count();
        if rest == 0 || rest >= MIN_COMPARISON_GROUP {
            return hidden;
        }
        let smallest = (1..sets.len())
            .filter(|g| shown[*g])
            .min_by_key(|g| (sets[*g].len(), *g));
        match smallest {
            Some(g) => {
                shown[g] = false;
                hidden += 1;
            }
            None => return hidden,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BenchmarkReport {
    pub federation: String,
    pub year: i32,
    pub sector: Option<String>,
    pub catalogue_version: String,
    pub method_version: &'static str,
    pub min_comparison_group: usize,
    pub anonymity_threshold: usize,
    /// Members in view with a scan of the year.
    pub organisations: usize,
    pub groups: Vec<ComparisonGroup>,
    pub members: Vec<MemberRow>,
    /// Aspects to support first, from the medians of the first group, with the federation's actions.
    pub priorities: Vec<Priority>,
    pub suppressed: BenchmarkSuppressed,
    pub notes: Vec<Note>,
}

/// A mean proficiency (1–5) on the 0–100 scale of the aspects.
pub fn proficiency_on_100(mean: f64) -> f64 {
    ((mean - 1.0) * 25.0).clamp(0.0, 100.0)
}

/// A figure of the 0–100 scale back as a proficiency (1–5).
pub fn proficiency_of_100(x: f64) -> f64 {
    1.0 + x / 25.0
}

fn sector_key(s: &str) -> String {
    s.trim().to_lowercase()
}

impl Scorer<'_> {
    /// The benchmark of a federation's members for one year.
    pub fn benchmark(&self, input: &BenchmarkInput) -> Result<BenchmarkReport, ScoringError> {
        let wanted = input.sector.as_deref().map(sector_key);
        let mut scans: Vec<&ScanInput> = input
            .scans
            .iter()
            .filter(|s| match &wanted {
                Some(w) => s.sector.as_deref().map(sector_key).as_ref() == Some(w),
                None => true,
            })
            .collect();
        scans.sort_by(|a, b| a.organisation.cmp(&b.organisation));
        if let Some(m) = &input.member
            && !scans.iter().any(|s| &s.organisation == m)
        {
            return Err(ScoringError::NotInBenchmark(m.clone()));
        }
        let reports: Vec<(&ScanInput, ScoreReport)> =
            scans.iter().map(|s| (*s, self.score_one(s))).collect();
        let mut suppressed = BenchmarkSuppressed::default();
        let scored: Vec<(&ScanInput, &ScoreReport)> = reports
            .iter()
            .filter(|(_, r)| !r.suppressed.organisation)
            .map(|(s, r)| (*s, r))
            .collect();
        suppressed.organisations_below_threshold = reports.len() - scored.len();

        // Comparison groups: everyone in view, then each sector (unless one sector was asked for).
        let mut members_of: Vec<(&'static str, Option<String>, Vec<usize>)> =
            vec![("overall", input.sector.clone(), (0..scored.len()).collect())];
        if wanted.is_none() {
            let mut sectors: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
            for (i, (s, _)) in scored.iter().enumerate() {
                if let Some(name) = &s.sector {
                    let e = sectors
                        .entry(sector_key(name))
                        .or_insert_with(|| (name.trim().to_owned(), Vec::new()));
                    e.1.push(i);
                }
            }
            members_of.extend(sectors.into_values().map(|(n, m)| ("sector", Some(n), m)));
        }
        let aspects = &self.catalogue().aspects;
        let mut groups = Vec::new();
        let mut in_suppressed = vec![false; scored.len()];
        // Per group: (scope, sector, members, aspect scores per aspect, overall scores).
        let mut views: Vec<(usize, Vec<Vec<f64>>, Vec<f64>)> = Vec::new();
        let sets: Vec<Vec<usize>> = members_of.iter().map(|(_, _, m)| m.clone()).collect();
        let mut shown: Vec<bool> = sets
            .iter()
            .map(|m| m.len() >= MIN_COMPARISON_GROUP)
            .collect();
        suppressed.complementary = complement_safe(&sets, &mut shown);
        // Per aspect (and the index), the same rule over the organisations with a score for it.
        let with_figure = |has: &dyn Fn(&ScoreReport) -> bool| -> Vec<bool> {
            let with_score: Vec<Vec<usize>> = sets
                .iter()
                .map(|m| m.iter().copied().filter(|o| has(scored[*o].1)).collect())
                .collect();
            let mut sh: Vec<bool> = with_score
                .iter()
                .zip(&shown)
                .map(|(m, g)| *g && m.len() >= MIN_COMPARISON_GROUP)
                .collect();
            complement_safe(&with_score, &mut sh);
            sh
        };
        let index_shown = with_figure(&|r| r.overall.is_some());
        let aspect_shown: Vec<Vec<bool>> = aspects
            .iter()
            .map(|a| with_figure(&|r| r.aspect(&a.code).and_then(|x| x.score).is_some()))
            .collect();
        let clusters = &self.catalogue().clusters;
        let cluster_shown: Vec<Vec<bool>> = clusters
            .iter()
            .map(|c| with_figure(&|r| r.cluster(&c.code).and_then(|x| x.mean).is_some()))
            .collect();
        for (g, (scope, sector, members)) in members_of.iter().enumerate() {
            if !shown[g] {
                suppressed.groups += 1;
                members.iter().for_each(|m| in_suppressed[*m] = true);
                continue;
            }
            let per_aspect: Vec<Vec<f64>> = aspects
                .iter()
                .enumerate()
                .map(|(a, asp)| {
                    if !aspect_shown[a][g] {
                        return Vec::new();
                    }
                    members
                        .iter()
                        .filter_map(|m| scored[*m].1.aspect(&asp.code)?.score)
                        .collect()
                })
                .collect();
            let overall: Vec<f64> = if index_shown[g] {
                members
                    .iter()
                    .filter_map(|m| scored[*m].1.overall)
                    .collect()
            } else {
                Vec::new()
            };
            let dists: Vec<AspectDistribution> = aspects
                .iter()
                .zip(&per_aspect)
                .map(|(a, v)| {
                    let d = Distribution::of(&mut v.clone());
                    suppressed.aspect_figures += usize::from(d.is_none());
                    AspectDistribution {
                        code: a.code.clone(),
                        distribution: d,
                    }
                })
                .collect();
            let cluster_dists: Vec<AspectDistribution> = clusters
                .iter()
                .enumerate()
                .map(|(c, cl)| {
                    let mut values: Vec<f64> = if cluster_shown[c][g] {
                        members
                            .iter()
                            .filter_map(|m| scored[*m].1.cluster(&cl.code)?.mean)
                            .map(proficiency_on_100)
                            .collect()
                    } else {
                        Vec::new()
                    };
                    AspectDistribution {
                        code: cl.code.clone(),
                        distribution: Distribution::of(&mut values),
                    }
                })
                .collect();
            let mut stages = [0usize; 4];
            for m in members {
                if let Some(st) = scored[*m].1.stage {
                    stages[st.index().min(3)] += 1;
                }
            }
            let mut rates: Vec<f64> = members
                .iter()
                .filter_map(|m| scored[*m].1.response.staff_rate)
                .collect();
            rates.sort_by(f64::total_cmp);
            let median_response_rate = (rates.len() >= MIN_COMPARISON_GROUP)
                .then(|| super::stats::quantile(&rates, 0.5))
                .flatten()
                .map(super::stats::round3);
            groups.push(ComparisonGroup {
                scope,
                sector: sector.clone(),
                organisations: members.len(),
                overall: Distribution::of(&mut overall.clone()),
                aspects: dists,
                clusters: cluster_dists,
                stages,
                median_response_rate,
            });
            views.push((g, per_aspect, overall));
        }
        suppressed.organisations_in_suppressed_groups =
            in_suppressed.iter().filter(|s| **s).count();

        let priorities = groups.first().map_or_else(Vec::new, |g| {
            priorities::aspects(
                self.catalogue(),
                g.aspects.iter().zip(aspects).filter_map(|(d, a)| {
                    let d = d.distribution.as_ref()?;
                    let weight = self.catalogue().mappings.aspect_weights.get(&a.code)?;
                    // A median has no interval here: equal medians tie.
                    Some((a.code.as_str(), d.median, None, *weight))
                }),
                FEDERATION_ACTOR,
            )
        });

        let mut notes = Vec::new();
        let mut members = Vec::new();
        if let Some(slug) = &input.member {
            match scored.iter().position(|(s, _)| &s.organisation == slug) {
                Some(i) => members.push(member_row(scored[i].0, scored[i].1, i, &members_of, &views)),
                None => notes.push(Note::new(
                    "member_below_threshold",
                    format!("De scan van {slug} heeft minder respondenten dan de anonimiteitsdrempel: geen eigen cijfers."),
                    format!("The scan of {slug} has fewer respondents than the anonymity threshold: no figures of its own."),
                )),
            }
        }
        if groups.is_empty() {
            notes.push(Note::new(
                "too_few_organisations",
                format!("Minder dan {MIN_COMPARISON_GROUP} organisaties met cijfers: geen vergelijking getoond."),
                format!("Fewer than {MIN_COMPARISON_GROUP} organisations with figures: no comparison shown."),
            ));
        }
        Ok(BenchmarkReport {
            federation: input.federation.clone(),
            year: input.year,
            sector: input.sector.clone(),
            catalogue_version: self.catalogue().version.clone(),
            method_version: super::report::METHOD_VERSION,
            min_comparison_group: MIN_COMPARISON_GROUP,
            anonymity_threshold: self.config.anonymity.threshold(),
            organisations: scans.len(),
            groups,
            members,
            priorities,
            suppressed,
            notes,
        })
    }
}

type Groups = [(&'static str, Option<String>, Vec<usize>)];
type Views = [(usize, Vec<Vec<f64>>, Vec<f64>)];

/// Percentile of `score` in the shown view `g` (`None` when the group or the figure is not shown).
fn percentile_in(
    views: &Views,
    g: usize,
    aspect: Option<usize>,
    score: Option<f64>,
) -> Option<f64> {
    let (_, per_aspect, overall) = views.iter().find(|v| v.0 == g)?;
    let values = match aspect {
        Some(a) => per_aspect.get(a)?,
        None => overall,
    };
    if values.len() < MIN_COMPARISON_GROUP {
        return None;
    }
    percentile_rank(values, score?).map(round1)
}

fn member_row(
    scan: &ScanInput,
    report: &ScoreReport,
    i: usize,
    groups: &Groups,
    views: &Views,
) -> MemberRow {
    let own_sector = groups
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, (_, _, m))| m.contains(&i))
        .map(|(g, _)| g);
    let figure = |code: &str, aspect: Option<usize>, score: Option<f64>| MemberAspect {
        code: code.to_owned(),
        score,
        percentile: percentile_in(views, 0, aspect, score),
        sector_percentile: match own_sector {
            Some(g) => percentile_in(views, g, aspect, score),
            // With one sector in view, the whole view is the member's sector.
            None if scan.sector.is_some() && groups.len() == 1 => {
                percentile_in(views, 0, aspect, score)
            }
            None => None,
        },
    };
    MemberRow {
        organisation: scan.organisation.clone(),
        sector: scan.sector.clone(),
        respondents: report.respondents,
        overall: figure("overall", None, report.overall),
        stage: report.stage,
        aspects: report
            .aspects
            .iter()
            .enumerate()
            .map(|(a, s)| figure(&s.code, Some(a), s.score))
            .collect(),
    }
}
