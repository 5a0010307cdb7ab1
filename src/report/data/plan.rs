//! The counsellor's part of an advice report: the general advice and the action plan, each action
//! in the organisation's own words with its recommendation, the aspects that recommendation serves
//! and the priority it works on, its owner, due date, success indicator and resources, and a status
//! that says "te laat" when the due date is before the report's date and the action is not done.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{ActionView, action};
use crate::domain::catalogue::Catalogue;
use crate::domain::format;
use crate::domain::scoring::{ORGANISATION_ACTOR, Priority};
use crate::domain::text::Lang;
use crate::report::advice::{Advice, PlanItem, PlanStatus};

#[derive(Serialize)]
pub struct AdviceView {
    counsellor: Option<String>,
    summary: Option<String>,
    /// The language the counsellor wrote in, for the PDF's language tags: the advice is written in
    /// Dutch (the product records no other language for it yet).
    text_lang: &'static str,
    plan: Vec<PlanRow>,
    overdue: usize,
    /// When the next scan is due: a year after this one.
    next_scan: String,
    /// "versie 3 van 1 december 2026".
    version: String,
}

#[derive(Serialize)]
struct PlanRow {
    action: ActionView,
    recommendation: String,
    aspects: Vec<String>,
    /// "Prioriteit 1 · A9" when the action serves one of the three priorities.
    priority: Option<String>,
    owner: String,
    due: String,
    status: &'static str,
    status_label: &'static str,
    overdue: bool,
    indicator: Option<String>,
    resources: Option<String>,
    note: Option<String>,
}

/// A plan item is overdue when its due date is before the report's date and it is not done or on
/// hold (an action put on hold has no running deadline).
pub fn overdue(p: &PlanItem, on: NaiveDate) -> bool {
    p.due < on && matches!(p.status, PlanStatus::Planned | PlanStatus::InProgress)
}

fn overdue_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "te laat",
        Lang::En => "overdue",
    }
}

/// The advice as the template shows it on `generated`; plan rows whose action the catalogue no
/// longer has are left out.
pub fn advice_view(
    cat: &Catalogue,
    a: &Advice,
    version: Option<i32>,
    priorities: &[Priority],
    scan_year: i32,
    generated: NaiveDate,
    lang: Lang,
) -> AdviceView {
    let plan: Vec<PlanRow> = a
        .plan
        .iter()
        .filter_map(|p| {
            let (rec, view) = action(cat, &p.action, ORGANISATION_ACTOR, lang)?;
            let aspects: Vec<String> = cat
                .recommendations
                .iter()
                .find(|r| r.code == rec)
                .map(|r| r.serves.iter().map(|l| l.aspect.clone()).collect())
                .unwrap_or_default();
            let priority = priorities
                .iter()
                .find(|x| x.recommendations.contains(&rec) || aspects.contains(&x.aspect))
                .map(|x| match lang {
                    Lang::Nl => format!("Prioriteit {} · {}", x.rank, x.aspect),
                    Lang::En => format!("Priority {} · {}", x.rank, x.aspect),
                });
            let late = overdue(p, generated);
            Some(PlanRow {
                action: view,
                recommendation: rec,
                aspects,
                priority,
                owner: p.owner.clone(),
                due: format::short_date(p.due, lang),
                status: if late { "overdue" } else { p.status.code() },
                status_label: if late {
                    overdue_label(lang)
                } else {
                    p.status.label(lang)
                },
                overdue: late,
                indicator: p.indicator.clone(),
                resources: p.resources.clone(),
                note: p.note.clone(),
            })
        })
        .collect();
    let next = (scan_year + 1).max(generated.year());
    AdviceView {
        counsellor: a.counsellor.clone(),
        summary: a.summary.clone(),
        text_lang: "nl",
        overdue: plan.iter().filter(|r| r.overdue).count(),
        plan,
        version: match (lang, version) {
            (Lang::Nl, Some(v)) => format!("versie {v} van {}", format::date(generated, lang)),
            (Lang::En, Some(v)) => format!("version {v} of {}", format::date(generated, lang)),
            (_, None) => format::date(generated, lang),
        },
        next_scan: match lang {
            Lang::Nl => format!("De volgende zelfscan is gepland in {next}."),
            Lang::En => format!("The next self-scan is planned for {next}."),
        },
    }
}
