//! The counsellor's part of an advice report: the general advice and the action plan, each action
//! with its catalogue text, its recommendation and the aspects that recommendation serves.

use serde::Serialize;

use super::{ActionView, action};
use crate::domain::catalogue::Catalogue;
use crate::domain::format;
use crate::domain::text::Lang;
use crate::report::advice::Advice;

#[derive(Serialize)]
pub struct AdviceView {
    counsellor: Option<String>,
    summary: Option<String>,
    plan: Vec<PlanRow>,
}

#[derive(Serialize)]
struct PlanRow {
    action: ActionView,
    recommendation: String,
    aspects: Vec<String>,
    owner: String,
    due: String,
    status: &'static str,
    status_label: &'static str,
    note: Option<String>,
}

/// The advice as the template shows it; plan rows whose action the catalogue no longer has are left out.
pub fn advice_view(cat: &Catalogue, a: &Advice, lang: Lang) -> AdviceView {
    AdviceView {
        counsellor: a.counsellor.clone(),
        summary: a.summary.clone(),
        plan: a
            .plan
            .iter()
            .filter_map(|p| {
                let (rec, view) = action(cat, &p.action, lang)?;
                let aspects = cat
                    .recommendations
                    .iter()
                    .find(|r| r.code == rec)
                    .map(|r| r.serves.iter().map(|l| l.aspect.clone()).collect())
                    .unwrap_or_default();
                Some(PlanRow {
                    action: view,
                    recommendation: rec,
                    aspects,
                    owner: p.owner.clone(),
                    due: format::short_date(p.due, lang),
                    status: p.status.code(),
                    status_label: p.status.label(lang),
                    note: p.note.clone(),
                })
            })
            .collect(),
    }
}
