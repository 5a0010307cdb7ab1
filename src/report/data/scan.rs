//! The data of the self-scan report and the advice report: one organisation's score with what each
//! figure rests on, the recommendations and organisation actions, staff competences, checklists,
//! and — for the advice report — the counsellor's advice and action plan.

use chrono::NaiveDate;
use serde::Serialize;

use super::competences::{self, Competences};
use super::extras::{self, AnswerTotals, ChecklistView, IndicatorView};
use super::plan::{AdviceView, advice_view};
use super::{
    DateParts, Figure, IntervalView, Meta, RecommendationView, ReportData, StageView, Trend,
    Verdict, recommendations_for, stages, verdict,
};
use crate::domain::catalogue::Catalogue;
use crate::domain::format;
use crate::domain::scoring::{
    AspectScore, ComparisonGroup, METHOD_VERSION, ORGANISATION_ACTOR, ScanInput, ScoreReport,
    ScoringConfig, Stage, UNKNOWN_GROUP, round1,
};
use crate::domain::text::Lang;
use crate::report::ReportKind;
use crate::report::advice::Advice;

/// Recommendations shown per aspect page.
const RECOMMENDATIONS_PER_ASPECT: usize = 3;

/// Everything a scan report is made from.
pub struct ScanSubject<'a> {
    pub catalogue: &'a Catalogue,
    pub config: &'a ScoringConfig,
    pub organisation_name: &'a str,
    pub organisation_slug: &'a str,
    pub sector: Option<&'a str>,
    pub score: &'a ScoreReport,
    /// The scan's answers (for the indicator means and the checklists).
    pub scan: &'a ScanInput,
    /// The counsellor's advice (advice report only).
    pub advice: Option<&'a Advice>,
    /// The stored version of that advice (printed with the report's date).
    pub advice_version: Option<i32>,
    /// The group of the federation's benchmark the organisation is measured against (see
    /// [`super::comparison_group`]); `None` outside a federation or when no group is shown.
    pub comparison: Option<&'a ComparisonGroup>,
}

#[derive(Serialize)]
struct ScanDoc {
    meta: Meta,
    organisation: Organisation,
    year: i32,
    previous_year: Option<i32>,
    /// The scan has fewer respondents than the anonymity threshold: no figures.
    suppressed_all: bool,
    notes: Vec<String>,
    summary: Summary,
    /// The first page's answer; `None` when the scan shows no figures.
    verdict: Option<Verdict>,
    stages: Vec<serde_json::Value>,
    aspects: Vec<AspectView>,
    priorities: Vec<PriorityView>,
    competences: Competences,
    checklists: Vec<ChecklistView>,
    method: super::method::Method,
    advice: Option<AdviceView>,
}

#[derive(Serialize)]
struct Organisation {
    name: String,
    sector: Option<String>,
    staff: Option<u32>,
}

#[derive(Serialize)]
struct Summary {
    overall: Figure,
    interval: Option<IntervalView>,
    trend: Option<Trend>,
    stage: Option<StageView>,
    /// The stage was capped by the weakest aspect: its name and score.
    capped_by: Option<String>,
    respondents: usize,
    /// Staff respondents / staff headcount (clients and partners are not staff).
    response_rate: Option<String>,
    staff: usize,
    /// Client representatives and partners, reported beside the staff response.
    others: Option<String>,
    /// Why there is no stage (too few aspects scored).
    no_stage: Option<String>,
    missing: Option<String>,
    confidence_low: bool,
    reasons: Vec<&'static str>,
}

#[derive(Serialize)]
struct GroupView {
    name: String,
    n: usize,
    maturity: Figure,
}

#[derive(Serialize)]
struct AspectView {
    code: String,
    name: String,
    description: String,
    score: Figure,
    interval: Option<IntervalView>,
    previous: Option<f64>,
    stage: Option<StageView>,
    trend: Option<Trend>,
    n: usize,
    maturity: Figure,
    basis: String,
    indicator_part: Figure,
    competence_part: Figure,
    competence_share: String,
    groups: Vec<GroupView>,
    perception_gap: Option<String>,
    confidence_low: bool,
    reasons: Vec<&'static str>,
    response_rate: Option<String>,
    missing: Option<String>,
    notes: Vec<String>,
    indicators: Vec<IndicatorView>,
    priority_rank: Option<usize>,
    recommendations: Vec<RecommendationView>,
    advice: Option<String>,
}

#[derive(Serialize)]
struct PriorityView {
    rank: usize,
    aspect: String,
    name: String,
    score: Figure,
    interval: Option<IntervalView>,
    /// "gelijk met A4, A9" when the intervals overlap: the order is not established.
    tie: Option<String>,
    recommendations: Vec<RecommendationView>,
}

fn group_name(catalogue: &Catalogue, code: &str, lang: Lang) -> String {
    match catalogue.respondent_groups.iter().find(|g| g.code == code) {
        Some(g) => g.name.get(lang).to_owned(),
        None if code == UNKNOWN_GROUP => match lang {
            Lang::Nl => "onbekend".to_owned(),
            Lang::En => "unknown".to_owned(),
        },
        None => code.to_owned(),
    }
}

/// The data of a self-scan report (`kind` self-scan) or advice report (`kind` advice).
pub fn scan_report(
    s: &ScanSubject,
    kind: ReportKind,
    lang: Lang,
    generated: NaiveDate,
) -> Result<ReportData, serde_json::Error> {
    let (cat, r) = (s.catalogue, s.score);
    let title = match (kind, lang) {
        (ReportKind::Advice, Lang::Nl) => "Adviesrapport blended hulp",
        (ReportKind::Advice, Lang::En) => "Blended support advice report",
        (_, Lang::Nl) => "Zelfscan blended hulp",
        (_, Lang::En) => "Blended support self-scan",
    };
    let meta = Meta {
        kind,
        lang,
        title: format!("{title} — {} — {}", s.organisation_name, r.year),
        author: s
            .advice
            .and_then(|a| a.counsellor.clone())
            .filter(|_| kind == ReportKind::Advice)
            .unwrap_or_else(|| "blendscan".to_owned()),
        date: DateParts::new(generated, lang),
        catalogue_version: r.catalogue_version.clone(),
        catalogue_title: cat.title.get(lang).to_owned(),
        method_version: METHOD_VERSION,
    };
    let totals = AnswerTotals::of(s.scan);
    let anonymity = s.config.anonymity;
    let show = !r.suppressed.organisation;
    let advice = s.advice.filter(|_| kind == ReportKind::Advice);
    let aspects = if show {
        let mut views: Vec<AspectView> = r
            .aspects
            .iter()
            .map(|a| aspect_view(s, a, &totals, advice, lang))
            .collect();
        refer_back(&mut views);
        views
    } else {
        Vec::new()
    };
    let priorities = r
        .priorities
        .iter()
        .map(|p| PriorityView {
            rank: p.rank,
            aspect: p.aspect.clone(),
            name: cat
                .aspect(&p.aspect)
                .map_or_else(String::new, |a| a.name.get(lang).to_owned()),
            score: Figure::new(Some(p.score), 1, lang),
            interval: IntervalView::new(p.interval, lang),
            tie: (!p.tied_with.is_empty()).then(|| {
                let with = p.tied_with.join(", ");
                match lang {
                    Lang::Nl => format!("gelijk binnen de onzekerheid met {with}"),
                    Lang::En => format!("tied within the uncertainty with {with}"),
                }
            }),
            recommendations: p
                .recommendations
                .iter()
                .filter_map(|code| cat.recommendations.iter().find(|x| &x.code == code))
                .map(|rec| {
                    RecommendationView::new(rec, lang, ORGANISATION_ACTOR, |a| {
                        p.actions.contains(&a.code)
                    })
                })
                .collect(),
        })
        .collect();
    let mut notes: Vec<String> = r
        .notes
        .iter()
        .map(|n| n.text.get(lang).to_owned())
        .collect();
    notes.dedup();
    let doc = ScanDoc {
        meta,
        organisation: Organisation {
            name: s.organisation_name.to_owned(),
            sector: s.sector.map(str::to_owned),
            staff: r.staff_headcount,
        },
        year: r.year,
        previous_year: r.previous.as_ref().map(|p| p.year),
        suppressed_all: r.suppressed.organisation,
        notes,
        summary: summary(s, lang),
        verdict: show.then(|| verdict(cat, r, s.comparison, lang)),
        stages: stages(lang),
        aspects,
        priorities,
        competences: competences::competences(cat, r, lang),
        checklists: if show {
            extras::checklists(cat, &totals, anonymity, lang)
        } else {
            Vec::new()
        },
        method: super::method::method(cat, s.config, lang),
        advice: advice.map(|a| {
            advice_view(
                cat,
                a,
                s.advice_version,
                &r.priorities,
                r.year,
                generated,
                lang,
            )
        }),
    };
    Ok(ReportData {
        kind,
        lang,
        generated,
        ident: format!(
            "blendscan/{}/{}/{}/{}",
            kind.code(),
            s.organisation_slug,
            r.year,
            lang.code()
        ),
        payload: serde_json::to_value(doc)?,
    })
}

fn summary(s: &ScanSubject, lang: Lang) -> Summary {
    let r = s.score;
    let capped_by = r.stage_rule.as_ref().filter(|x| x.capped).map(|x| {
        let name = s
            .catalogue
            .aspect(&x.weakest_aspect)
            .map_or("", |a| a.name.get(lang));
        format!(
            "{} {name} ({})",
            x.weakest_aspect,
            format::num(x.weakest_score, 1, lang)
        )
    });
    let c = r.confidence.as_ref();
    let rs = &r.response;
    let others = {
        let (clients, partners) = match lang {
            Lang::Nl => (
                ("cliëntvertegenwoordiger", "cliëntvertegenwoordigers"),
                ("partner", "partners"),
            ),
            Lang::En => (
                ("client representative", "client representatives"),
                ("partner", "partners"),
            ),
        };
        let parts: Vec<String> = [
            (rs.client_representatives, clients),
            (rs.partners, partners),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, (one, many))| format::count(n, one, many))
        .collect();
        (!parts.is_empty()).then(|| match lang {
            Lang::Nl => format!("daarnaast {}", parts.join(" en ")),
            Lang::En => format!("besides {}", parts.join(" and ")),
        })
    };
    let no_stage = r
        .notes
        .iter()
        .find(|n| n.code == "too_few_aspects_for_a_stage")
        .map(|n| n.text.get(lang).to_owned());
    Summary {
        overall: Figure::new(r.overall, 1, lang),
        interval: IntervalView::new(r.index_interval, lang),
        trend: Trend::new(r.overall_trend, lang),
        stage: r.stage.map(|st| StageView::new(st, lang)),
        capped_by,
        respondents: r.respondents,
        response_rate: rs.staff_rate.map(|x| format::percent(x, lang)),
        staff: rs.staff,
        others,
        no_stage,
        missing: c
            .and_then(|c| c.missing_share)
            .map(|x| format::percent(x, lang)),
        confidence_low: c.is_some_and(|c| c.low),
        reasons: c.map(|c| c.reasons.clone()).unwrap_or_default(),
    }
}

/// A recommendation serves several aspects: set out in full on the first aspect page that has it,
/// and on later pages only named, with the aspect to turn back to.
fn refer_back(aspects: &mut [AspectView]) {
    let mut first: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for a in aspects.iter_mut() {
        for r in &mut a.recommendations {
            match first.get(&r.code) {
                Some(on) => {
                    r.shown_on = Some(on.clone());
                    r.actions.clear();
                    r.others.clear();
                }
                None => {
                    first.insert(r.code.clone(), a.code.clone());
                }
            }
        }
    }
}

fn aspect_view(
    s: &ScanSubject,
    a: &AspectScore,
    totals: &AnswerTotals,
    advice: Option<&Advice>,
    lang: Lang,
) -> AspectView {
    let cat = s.catalogue;
    let def = cat.aspect(&a.code);
    let priority = s.score.priorities.iter().find(|p| p.aspect == a.code);
    let recommendations = match priority {
        Some(p) => p
            .recommendations
            .iter()
            .filter_map(|code| cat.recommendations.iter().find(|x| &x.code == code))
            .map(|rec| {
                RecommendationView::new(rec, lang, ORGANISATION_ACTOR, |x| {
                    p.actions.contains(&x.code)
                })
            })
            .take(RECOMMENDATIONS_PER_ASPECT)
            .collect(),
        None => recommendations_for(
            cat,
            &a.code,
            ORGANISATION_ACTOR,
            RECOMMENDATIONS_PER_ASPECT,
            lang,
        ),
    };
    let basis = serde_json::to_value(a.basis)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    AspectView {
        code: a.code.clone(),
        name: def.map_or_else(String::new, |d| d.name.get(lang).to_owned()),
        description: def.map_or_else(String::new, |d| d.description.get(lang).to_owned()),
        score: Figure::new(a.score, 1, lang),
        interval: IntervalView::new(a.interval, lang),
        previous: a.score.zip(a.trend).map(|(sc, t)| round1(sc - t)),
        stage: a.score.map(|sc| StageView::new(Stage::of(sc), lang)),
        trend: Trend::new(a.trend, lang),
        n: a.n,
        maturity: Figure::new(a.maturity, 1, lang),
        basis,
        indicator_part: Figure::new(a.indicator_part, 1, lang),
        competence_part: Figure::new(a.competence_part, 1, lang),
        competence_share: format::percent(a.competence_share, lang),
        groups: a
            .groups
            .iter()
            .map(|g| GroupView {
                name: group_name(cat, &g.group, lang),
                n: g.n,
                maturity: Figure::new(Some(g.maturity), 1, lang),
            })
            .collect(),
        perception_gap: a.perception_gap.as_ref().filter(|g| g.flagged).map(|g| {
            format!(
                "{} – {}: {}",
                group_name(cat, &g.high, lang),
                group_name(cat, &g.low, lang),
                format::num(g.size, 1, lang)
            )
        }),
        confidence_low: a.confidence.low,
        reasons: a.confidence.reasons.clone(),
        response_rate: a.confidence.response_rate.map(|x| format::percent(x, lang)),
        missing: a.confidence.missing_share.map(|x| format::percent(x, lang)),
        notes: a
            .notes
            .iter()
            .filter(|n| n.code != "no_data")
            .map(|n| n.text.get(lang).to_owned())
            .collect(),
        indicators: extras::indicators(cat, a, totals, s.config.anonymity, lang),
        priority_rank: priority.map(|p| p.rank),
        recommendations,
        advice: advice.and_then(|adv| {
            adv.aspects
                .iter()
                .find(|x| x.aspect == a.code)
                .map(|x| x.text.clone())
        }),
    }
}
