//! The data a template reads as `/data.json`: everything already in the report's language — names
//! and texts from the catalogue, figures as numbers for charts and as formatted text for print — so a
//! template only lays out. Pure: built from domain values (score, benchmark, advice, catalogue).

mod benchmark;
mod competences;
mod extras;
mod method;
mod plan;
mod scan;
#[cfg(test)]
mod tests;
mod verdict;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

pub use benchmark::{BenchmarkSubject, benchmark_report};
pub use scan::{ScanSubject, scan_report};
pub use verdict::{Verdict, comparison_group, verdict};

use super::ReportKind;
use crate::domain::catalogue::{Action, Catalogue, Recommendation};
use crate::domain::format;
use crate::domain::scoring::{Interval, Stage};
use crate::domain::text::Lang;

/// A report ready to render: its kind, language, generation date, a stable identifier and the data.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub kind: ReportKind,
    pub lang: Lang,
    /// The date the report says it was made; the only thing that may differ between two renders of
    /// the same data.
    pub generated: NaiveDate,
    /// Identifies the report's subject (PDF document id): kind, subject, year, language.
    pub ident: String,
    /// What the template reads as `/data.json`.
    pub payload: serde_json::Value,
}

/// What every report's data starts with.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub kind: ReportKind,
    pub lang: Lang,
    /// Document title (PDF metadata and cover).
    pub title: String,
    /// Document author (PDF metadata).
    pub author: String,
    pub date: DateParts,
    pub catalogue_version: String,
    pub catalogue_title: String,
    /// The scoring method's version (`domain::scoring::METHOD_VERSION`).
    pub method_version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct DateParts {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub text: String,
}

impl DateParts {
    pub fn new(d: NaiveDate, lang: Lang) -> Self {
        Self {
            year: d.year(),
            month: d.month(),
            day: d.day(),
            text: format::date(d, lang),
        }
    }
}

/// A figure for print and for a chart.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub value: Option<f64>,
    pub text: String,
}

impl Figure {
    pub fn new(value: Option<f64>, decimals: usize, lang: Lang) -> Self {
        Self {
            value,
            text: format::opt(value, decimals, lang),
        }
    }
}

/// A 95 % interval for print (`52,1 – 61,3`) and for a chart.
#[derive(Debug, Clone, Serialize)]
pub struct IntervalView {
    pub low: f64,
    pub high: f64,
    pub text: String,
}

impl IntervalView {
    pub fn new(i: Option<Interval>, lang: Lang) -> Option<Self> {
        let i = i?;
        Some(Self {
            low: i.low,
            high: i.high,
            text: format!(
                "{} – {}",
                format::num(i.low, 1, lang),
                format::num(i.high, 1, lang)
            ),
        })
    }
}

/// A change against an earlier year.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub delta: f64,
    pub text: String,
    /// `up`, `down` or `flat` (within half a point).
    pub direction: &'static str,
}

impl Trend {
    pub fn new(delta: Option<f64>, lang: Lang) -> Option<Self> {
        let delta = delta?;
        Some(Self {
            delta,
            text: format::signed(delta, lang),
            direction: if delta >= 0.5 {
                "up"
            } else if delta <= -0.5 {
                "down"
            } else {
                "flat"
            },
        })
    }
}

/// A stage with its place on the scale (0 = start … 3 = embedded).
#[derive(Debug, Clone, Serialize)]
pub struct StageView {
    pub code: Stage,
    pub index: usize,
    pub label: String,
}

impl StageView {
    pub fn new(stage: Stage, lang: Lang) -> Self {
        Self {
            code: stage,
            index: stage.index(),
            label: stage.label(lang).to_owned(),
        }
    }
}

/// The four stages with their score ranges, for legends.
pub fn stages(lang: Lang) -> Vec<serde_json::Value> {
    let bounds = [
        0.0,
        Stage::THRESHOLDS[0],
        Stage::THRESHOLDS[1],
        Stage::THRESHOLDS[2],
        100.0,
    ];
    Stage::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            serde_json::json!({
                "label": s.label(lang),
                "from": bounds[i],
                "to": bounds[i + 1],
            })
        })
        .collect()
}

/// A catalogue action in the report's language, worded for the report's reader.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub code: String,
    pub text: String,
}

impl ActionView {
    /// `a` as a reader of `reader`'s report reads it (see [`Action::told_to`]).
    pub fn told_to(a: &Action, reader: &str, lang: Lang) -> Self {
        Self {
            code: a.code.clone(),
            text: a.told_to(reader).get(lang).to_owned(),
        }
    }

    /// What the other actors do, in the third person.
    pub fn of_others(a: &Action, lang: Lang) -> Self {
        Self {
            code: a.code.clone(),
            text: a.others.get(lang).to_owned(),
        }
    }
}

/// A recommendation with what the report's reader does ("wat u zelf doet") and, apart, what the
/// agency, the federations or the government do.
#[derive(Debug, Clone, Serialize)]
pub struct RecommendationView {
    pub code: String,
    pub title: String,
    pub intended_result: String,
    /// The reader's own actions, in the reader's words.
    pub actions: Vec<ActionView>,
    /// Every action of the recommendation, as what the others do.
    pub others: Vec<ActionView>,
    /// The aspect on whose page the recommendation was already set out in full (its actions are
    /// then not repeated).
    pub shown_on: Option<String>,
}

impl RecommendationView {
    /// `rec` for a reader of `reader`'s report, with the reader's actions that `keep` selects.
    pub fn new(
        rec: &Recommendation,
        lang: Lang,
        reader: &str,
        keep: impl Fn(&Action) -> bool,
    ) -> Self {
        Self {
            code: rec.code.clone(),
            title: rec.title.get(lang).to_owned(),
            intended_result: rec.intended_result.get(lang).to_owned(),
            actions: rec
                .actions
                .iter()
                .filter(|a| keep(a) && a.involves(reader))
                .map(|a| ActionView::told_to(a, reader, lang))
                .collect(),
            others: rec
                .actions
                .iter()
                .map(|a| ActionView::of_others(a, lang))
                .collect(),
            shown_on: None,
        }
    }
}

/// The recommendations serving an aspect (strongest link first, at most `max`) with the actions of
/// `actor`, those with such actions first.
pub fn recommendations_for(
    catalogue: &Catalogue,
    aspect: &str,
    actor: &str,
    max: usize,
    lang: Lang,
) -> Vec<RecommendationView> {
    let mut recs: Vec<RecommendationView> = catalogue
        .recommendations_for(aspect)
        .into_iter()
        .map(|r| RecommendationView::new(r, lang, actor, |_| true))
        .collect();
    // Stable: keeps the link order within each half.
    recs.sort_by_key(|r| r.actions.is_empty());
    recs.truncate(max);
    recs
}

/// The catalogue action with this code, worded for a reader of `reader`'s report, with the code of
/// its recommendation.
pub fn action(
    catalogue: &Catalogue,
    code: &str,
    reader: &str,
    lang: Lang,
) -> Option<(String, ActionView)> {
    catalogue.recommendations.iter().find_map(|r| {
        r.actions
            .iter()
            .find(|a| a.code == code)
            .map(|a| (r.code.clone(), ActionView::told_to(a, reader, lang)))
    })
}
