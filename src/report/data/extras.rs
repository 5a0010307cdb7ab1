//! Figures a report shows beside the score: the mean answer per indicator (what an aspect score rests
//! on) and the checklist results. Read straight from the scan's answers, under the same anonymity
//! rule as the scoring: a figure resting on fewer respondents than the threshold is left out.

use std::collections::HashMap;

use serde::Serialize;

use super::Figure;
use crate::domain::catalogue::{Catalogue, Checklist};
use crate::domain::format;
use crate::domain::scoring::{Anonymity, AspectScore, ScanInput};
use crate::domain::text::Lang;

/// Sum, count and how often each value was given, per code (codes upper-cased).
pub struct AnswerTotals(HashMap<String, Totals>);

#[derive(Default)]
struct Totals {
    sum: i64,
    n: usize,
    by_value: std::collections::BTreeMap<i16, usize>,
}

impl AnswerTotals {
    pub fn of(scan: &ScanInput) -> Self {
        let mut totals: HashMap<String, Totals> = HashMap::new();
        for r in &scan.respondents {
            for a in &r.answers {
                if let Some(v) = a.value {
                    let e = totals.entry(a.code.to_ascii_uppercase()).or_default();
                    e.sum += i64::from(v);
                    e.n += 1;
                    *e.by_value.entry(v).or_default() += 1;
                }
            }
        }
        Self(totals)
    }

    /// Mean and count of the answers to `code`, when at least the threshold answered.
    fn mean(&self, code: &str, anonymity: Anonymity) -> Option<(f64, usize)> {
        let t = self.0.get(code)?;
        anonymity
            .allows(t.n)
            .then(|| (t.sum as f64 / t.n as f64, t.n))
    }

    /// The share of the answers to `code` at each value from `min` to `max`, when at least the
    /// threshold answered.
    fn shares(&self, code: &str, min: u8, max: u8, anonymity: Anonymity) -> Option<Vec<f64>> {
        let t = self.0.get(code)?;
        anonymity.allows(t.n).then(|| {
            (min..=max)
                .map(|v| {
                    let count = t.by_value.get(&i16::from(v)).copied().unwrap_or(0);
                    count as f64 / t.n as f64
                })
                .collect()
        })
    }
}

/// One indicator with the mean maturity (0–4) over everyone who answered it.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub code: String,
    pub text: String,
    pub mean: Figure,
    pub n: usize,
    /// Share of those asked who did not know (or found it not applicable): `34 %`.
    pub unknown: Option<String>,
    /// So many do not know that it is a finding of its own ("unknown in the organisation").
    pub unknown_in_organisation: bool,
}

/// The indicators of an aspect: mean maturity, and how many did not know. Shown only beside an
/// aspect that has a maturity itself (they are organisation-wide figures, never per group).
pub fn indicators(
    catalogue: &Catalogue,
    aspect: &AspectScore,
    totals: &AnswerTotals,
    anonymity: Anonymity,
    lang: Lang,
) -> Vec<IndicatorView> {
    let signals = &aspect.unknown;
    catalogue.aspect(&aspect.code).map_or_else(Vec::new, |a| {
        a.indicators
            .iter()
            .map(|i| {
                let m = totals.mean(&i.code, anonymity);
                let signal = signals.iter().find(|x| x.code == i.code);
                IndicatorView {
                    code: i.code.clone(),
                    text: i.text.get(lang).to_owned(),
                    mean: Figure::new(m.map(|(v, _)| v), 1, lang),
                    n: m.map_or(0, |(_, n)| n),
                    unknown: signal.map(|x| format::percent(x.unknown_share, lang)),
                    unknown_in_organisation: signal.is_some_and(|x| x.unknown_in_organisation),
                }
            })
            .collect()
    })
}

/// One checklist with its items' results.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistView {
    pub code: String,
    pub name: String,
    pub description: String,
    pub aspect: String,
    pub aspect_name: String,
    /// `checklist` (0 no – 1 partly – 2 yes) or `position` (1 left pole – 5 right pole).
    pub scale: String,
    pub min: u8,
    pub max: u8,
    /// For `checklist`: the mean over the items as a share of the maximum.
    pub fulfilled: Option<Figure>,
    pub items: Vec<ChecklistItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistItemView {
    pub code: String,
    pub text: String,
    pub mean: Figure,
    pub n: usize,
    pub left: Option<String>,
    pub right: Option<String>,
    /// For `position`: the share of the answers at each position, left pole first.
    pub shares: Option<Vec<f64>>,
    /// The same shares as text, for the chart's alternative text: `1: 10 % · 2: 30 % · …`.
    pub shares_text: Option<String>,
}

/// The checklists with at least one item answered by enough respondents.
pub fn checklists(
    catalogue: &Catalogue,
    totals: &AnswerTotals,
    anonymity: Anonymity,
    lang: Lang,
) -> Vec<ChecklistView> {
    catalogue
        .checklists
        .iter()
        .filter_map(|c| checklist(catalogue, c, totals, anonymity, lang))
        .collect()
}

fn checklist(
    catalogue: &Catalogue,
    c: &Checklist,
    totals: &AnswerTotals,
    anonymity: Anonymity,
    lang: Lang,
) -> Option<ChecklistView> {
    let scale = catalogue.scale(&c.scale)?;
    let items: Vec<ChecklistItemView> = c
        .items
        .iter()
        .filter_map(|i| {
            let (mean, n) = totals.mean(&i.code, anonymity)?;
            let shares = (c.scale == "position")
                .then(|| totals.shares(&i.code, scale.min, scale.max, anonymity))
                .flatten();
            let shares_text = shares.as_ref().map(|shares| {
                (scale.min..=scale.max)
                    .zip(shares)
                    .map(|(v, s)| format!("{v}: {}", format::percent(*s, lang)))
                    .collect::<Vec<_>>()
                    .join(" · ")
            });
            Some(ChecklistItemView {
                code: i.code.clone(),
                text: i.text.get(lang).to_owned(),
                mean: Figure::new(Some(mean), 1, lang),
                n,
                left: i.poles.as_ref().map(|p| p.left.get(lang).to_owned()),
                right: i.poles.as_ref().map(|p| p.right.get(lang).to_owned()),
                shares,
                shares_text,
            })
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    let span = f64::from(scale.max.saturating_sub(scale.min)).max(1.0);
    let fulfilled = (c.scale == "checklist").then(|| {
        let share = items
            .iter()
            .filter_map(|i| i.mean.value)
            .map(|m| (m - f64::from(scale.min)) / span)
            .sum::<f64>()
            / items.len() as f64;
        Figure {
            value: Some(share),
            text: crate::domain::format::percent(share, lang),
        }
    });
    Some(ChecklistView {
        code: c.code.clone(),
        name: c.name.get(lang).to_owned(),
        description: c.description.get(lang).to_owned(),
        aspect: c.aspect.clone(),
        aspect_name: catalogue
            .aspect(&c.aspect)
            .map_or_else(String::new, |a| a.name.get(lang).to_owned()),
        scale: c.scale.clone(),
        min: scale.min,
        max: scale.max,
        fulfilled,
        items,
    })
}
