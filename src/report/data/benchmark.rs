//! The data of the federation benchmark: the distribution of the members' scores per aspect, overall
//! and per sector, the trend of the medians against the previous year, and the federation's own
//! actions. Names no member organisation: the benchmark holds distributions only.

use chrono::NaiveDate;
use serde::Serialize;

use super::{
    DateParts, Figure, Meta, RecommendationView, ReportData, Trend, recommendations_for, stages,
};
use crate::domain::catalogue::Catalogue;
use crate::domain::format;
use crate::domain::scoring::{
    BenchmarkReport, ComparisonGroup, Distribution, FEDERATION_ACTOR, METHOD_VERSION,
    ScoringConfig, Stage, proficiency_of_100,
};
use crate::domain::text::{Lang, Text};
use crate::report::ReportKind;

mod member;

/// Everything a benchmark report is made from.
pub struct BenchmarkSubject<'a> {
    pub catalogue: &'a Catalogue,
    pub config: &'a ScoringConfig,
    pub federation_name: &'a str,
    pub federation_slug: &'a str,
    pub report: &'a BenchmarkReport,
    /// The benchmark of the previous year, for the trend of the medians.
    pub previous: Option<&'a BenchmarkReport>,
    /// The member (slug, name) whose own position the report adds: "uw positie".
    pub member: Option<(&'a str, &'a str)>,
}

#[derive(Serialize)]
struct BenchmarkDoc {
    meta: Meta,
    federation: String,
    year: i32,
    previous_year: Option<i32>,
    organisations: usize,
    min_comparison_group: usize,
    threshold: usize,
    aspects: Vec<CodeName>,
    /// The competence clusters, code and name.
    clusters: Vec<CodeName>,
    stages: Vec<serde_json::Value>,
    groups: Vec<GroupView>,
    trend: Vec<TrendRow>,
    priorities: Vec<PriorityView>,
    /// Federation actions per aspect, when no ranking could be made (too few members with figures).
    actions_by_aspect: Vec<PriorityView>,
    suppressed: Suppressed,
    notes: Vec<String>,
    /// The page of one member: its own figures beside the distribution of all members.
    member: Option<member::MemberView>,
}

/// An aspect or a cluster: its code and its name in the report's language.
#[derive(Serialize)]
struct CodeName {
    code: String,
    name: String,
}

impl CodeName {
    fn new(code: &str, name: &Text, lang: Lang) -> Self {
        Self {
            code: code.to_owned(),
            name: name.get(lang).to_owned(),
        }
    }
}

#[derive(Serialize)]
struct DistView {
    n: usize,
    min: f64,
    p25: f64,
    median: f64,
    p75: f64,
    max: f64,
    median_text: String,
    /// Kept for the chart's whisker: the middle half (no minimum or maximum is ever published).
    range_text: String,
    iqr_text: String,
    /// The figures are bands of this many points (fewer than ten organisations).
    banded: bool,
}

#[derive(Serialize)]
struct GroupView {
    title: String,
    scope: &'static str,
    organisations: usize,
    /// "12 organisaties", "1 organisation".
    organisations_text: String,
    overall: Option<DistView>,
    aspects: Vec<Option<DistView>>,
    /// Per competence cluster (in the order of `clusters`): the chart on 0–100, the text in 1–5.
    clusters: Vec<Option<DistView>>,
    /// Organisations per stage, starting to embedded: "3 organisaties".
    stages: Vec<StageCount>,
    /// The median staff response rate, `62 %`.
    response_rate: Option<String>,
}

#[derive(Serialize)]
struct StageCount {
    index: usize,
    label: String,
    count: usize,
    text: String,
}

#[derive(Serialize)]
struct TrendRow {
    code: String,
    name: String,
    before: Figure,
    now: Figure,
    trend: Option<Trend>,
}

#[derive(Serialize)]
struct PriorityView {
    rank: usize,
    aspect: String,
    name: String,
    median: Figure,
    recommendations: Vec<RecommendationView>,
}

#[derive(Serialize)]
struct Suppressed {
    groups: usize,
    organisations_in_suppressed_groups: usize,
    organisations_below_threshold: usize,
    aspect_figures: usize,
    /// What was left out, in words with proper singular and plural; `None` when nothing was.
    text: Option<String>,
}

/// "Niet getoond: 1 vergelijkingsgroep met te weinig organisaties (3 organisaties); …", naming only
/// what was left out.
fn not_shown(s: &crate::domain::scoring::BenchmarkSuppressed, lang: Lang) -> Option<String> {
    use crate::domain::format::count;
    let parts: Vec<String> = match lang {
        Lang::Nl => vec![
            (s.groups > 0).then(|| {
                format!(
                    "{} met te weinig organisaties ({})",
                    count(s.groups, "vergelijkingsgroep", "vergelijkingsgroepen"),
                    count(
                        s.organisations_in_suppressed_groups,
                        "organisatie",
                        "organisaties"
                    )
                )
            }),
            (s.organisations_below_threshold > 0).then(|| {
                format!(
                    "{} onder de anonimiteitsdrempel",
                    count(
                        s.organisations_below_threshold,
                        "organisatie",
                        "organisaties"
                    )
                )
            }),
            (s.aspect_figures > 0).then(|| {
                format!(
                    "{} met te weinig organisaties",
                    count(s.aspect_figures, "aspectcijfer", "aspectcijfers")
                )
            }),
        ],
        Lang::En => vec![
            (s.groups > 0).then(|| {
                format!(
                    "{} with too few organisations ({})",
                    count(s.groups, "comparison group", "comparison groups"),
                    count(
                        s.organisations_in_suppressed_groups,
                        "organisation",
                        "organisations"
                    )
                )
            }),
            (s.organisations_below_threshold > 0).then(|| {
                format!(
                    "{} below the anonymity threshold",
                    count(
                        s.organisations_below_threshold,
                        "organisation",
                        "organisations"
                    )
                )
            }),
            (s.aspect_figures > 0).then(|| {
                format!(
                    "{} with too few organisations",
                    count(s.aspect_figures, "aspect figure", "aspect figures")
                )
            }),
        ],
    }
    .into_iter()
    .flatten()
    .collect();
    let label = match lang {
        Lang::Nl => "Niet getoond",
        Lang::En => "Not shown",
    };
    (!parts.is_empty()).then(|| format!("{label}: {}.", parts.join("; ")))
}

fn dist(d: Option<&Distribution>, lang: Lang) -> Option<DistView> {
    d.map(|d| {
        let f = |x: f64| super::verdict::quartile_text(x, d, lang);
        DistView {
            n: d.n,
            min: d.p25,
            p25: d.p25,
            median: d.median,
            p75: d.p75,
            max: d.p75,
            median_text: f(d.median),
            range_text: format!("{} – {}", f(d.p25), f(d.p75)),
            iqr_text: format!("{} – {}", f(d.p25), f(d.p75)),
            banded: d.band.is_some(),
        }
    })
}

/// A cluster's distribution: the chart keeps the 0–100 positions, the text says proficiency (1–5),
/// "ca. 3,4" when banded.
fn cluster_dist(d: Option<&Distribution>, lang: Lang) -> Option<DistView> {
    let mut view = dist(d, lang)?;
    let d = d?;
    let f = |x: f64| {
        let p = proficiency_of_100(x);
        match d.band {
            Some(_) => format!(
                "{}\u{a0}{}",
                if lang == Lang::Nl { "ca." } else { "c." },
                format::num(p, 1, lang)
            ),
            None => format::num(p, 1, lang),
        }
    };
    view.median_text = f(d.median);
    view.range_text = format!("{} – {}", f(d.p25), f(d.p75));
    view.iqr_text = view.range_text.clone();
    Some(view)
}

/// "1 organisatie", "12 organisaties".
fn organisations(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Nl => format::count(n, "organisatie", "organisaties"),
        Lang::En => format::count(n, "organisation", "organisations"),
    }
}

fn group(g: &ComparisonGroup, lang: Lang) -> GroupView {
    let title = match (&g.sector, g.scope, lang) {
        (Some(s), "sector", _) => format!("Sector {s}"),
        (_, _, Lang::Nl) => "Alle leden".to_owned(),
        (_, _, Lang::En) => "All members".to_owned(),
    };
    GroupView {
        title,
        scope: g.scope,
        organisations: g.organisations,
        organisations_text: organisations(g.organisations, lang),
        overall: dist(g.overall.as_ref(), lang),
        aspects: g
            .aspects
            .iter()
            .map(|a| dist(a.distribution.as_ref(), lang))
            .collect(),
        clusters: g
            .clusters
            .iter()
            .map(|c| cluster_dist(c.distribution.as_ref(), lang))
            .collect(),
        stages: Stage::ALL
            .iter()
            .zip(g.stages)
            .map(|(st, count)| StageCount {
                index: st.index(),
                label: st.label(lang).to_owned(),
                count,
                text: organisations(count, lang),
            })
            .collect(),
        response_rate: g.median_response_rate.map(|r| format::percent(r, lang)),
    }
}

fn median(report: &BenchmarkReport, code: &str) -> Option<f64> {
    let g = report.groups.first()?;
    g.aspects
        .iter()
        .find(|a| a.code == code)?
        .distribution
        .as_ref()
        .map(|d| d.median)
}

/// The data of a federation benchmark report.
pub fn benchmark_report(
    s: &BenchmarkSubject,
    lang: Lang,
    generated: NaiveDate,
) -> Result<ReportData, serde_json::Error> {
    let (cat, b) = (s.catalogue, s.report);
    let name = |code: &str| {
        cat.aspect(code)
            .map_or_else(String::new, |a| a.name.get(lang).to_owned())
    };
    let title = match lang {
        Lang::Nl => "Federatiebenchmark blended hulp",
        Lang::En => "Federation benchmark of blended support",
    };
    let previous = s.previous.filter(|p| !p.groups.is_empty());
    let trend = match previous {
        Some(p) if !b.groups.is_empty() => cat
            .aspects
            .iter()
            .map(|a| {
                let (before, now) = (median(p, &a.code), median(b, &a.code));
                TrendRow {
                    code: a.code.clone(),
                    name: a.name.get(lang).to_owned(),
                    before: Figure::new(before, 1, lang),
                    now: Figure::new(now, 1, lang),
                    trend: Trend::new(
                        now.zip(before)
                            .map(|(n, b)| ((n - b) * 10.0).round() / 10.0),
                        lang,
                    ),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let priorities: Vec<PriorityView> = b
        .priorities
        .iter()
        .map(|p| PriorityView {
            rank: p.rank,
            aspect: p.aspect.clone(),
            name: name(&p.aspect),
            median: Figure::new(Some(p.score), 1, lang),
            recommendations: p
                .recommendations
                .iter()
                .filter_map(|code| cat.recommendations.iter().find(|x| &x.code == code))
                .map(|rec| {
                    RecommendationView::new(rec, lang, FEDERATION_ACTOR, |a| {
                        p.actions.contains(&a.code)
                    })
                })
                .filter(|r| !r.actions.is_empty())
                .collect(),
        })
        .collect();
    let actions_by_aspect = if priorities.is_empty() {
        cat.aspects
            .iter()
            .map(|a| PriorityView {
                rank: 0,
                aspect: a.code.clone(),
                name: a.name.get(lang).to_owned(),
                median: Figure::new(None, 1, lang),
                recommendations: recommendations_for(
                    cat,
                    &a.code,
                    FEDERATION_ACTOR,
                    usize::MAX,
                    lang,
                )
                .into_iter()
                .filter(|r| !r.actions.is_empty())
                .collect(),
            })
            .filter(|p| !p.recommendations.is_empty())
            .collect()
    } else {
        Vec::new()
    };
    let doc = BenchmarkDoc {
        meta: Meta {
            kind: ReportKind::Benchmark,
            lang,
            title: match s.member {
                Some((_, member)) => {
                    format!("{title} — {} — {member} — {}", s.federation_name, b.year)
                }
                None => format!("{title} — {} — {}", s.federation_name, b.year),
            },
            author: "blendscan".to_owned(),
            date: DateParts::new(generated, lang),
            catalogue_version: cat.version.clone(),
            catalogue_title: cat.title.get(lang).to_owned(),
            method_version: METHOD_VERSION,
        },
        federation: s.federation_name.to_owned(),
        year: b.year,
        previous_year: previous.map(|p| p.year),
        organisations: b.organisations,
        min_comparison_group: b.min_comparison_group,
        threshold: s.config.anonymity.threshold(),
        aspects: cat
            .aspects
            .iter()
            .map(|a| CodeName::new(&a.code, &a.name, lang))
            .collect(),
        clusters: cat
            .clusters
            .iter()
            .map(|c| CodeName::new(&c.code, &c.name, lang))
            .collect(),
        stages: stages(lang),
        groups: b.groups.iter().map(|g| group(g, lang)).collect(),
        trend,
        priorities,
        actions_by_aspect,
        suppressed: Suppressed {
            groups: b.suppressed.groups,
            organisations_in_suppressed_groups: b.suppressed.organisations_in_suppressed_groups,
            organisations_below_threshold: b.suppressed.organisations_below_threshold,
            aspect_figures: b.suppressed.aspect_figures,
            text: not_shown(&b.suppressed, lang),
        },
        notes: b
            .notes
            .iter()
            .map(|n| n.text.get(lang).to_owned())
            .collect(),
        member: s.member.and_then(|(slug, name)| {
            let row = b.members.iter().find(|m| m.organisation == slug)?;
            Some(member::member_view(cat, b, row, name, lang))
        }),
    };
    Ok(ReportData {
        kind: ReportKind::Benchmark,
        lang,
        generated,
        ident: match s.member {
            Some((slug, _)) => format!(
                "blendscan/benchmark/{}/{}/{}/{}",
                s.federation_slug,
                slug,
                b.year,
                lang.code()
            ),
            None => format!(
                "blendscan/benchmark/{}/{}/{}",
                s.federation_slug,
                b.year,
                lang.code()
            ),
        },
        payload: serde_json::to_value(doc)?,
    })
}
