//! A process counsellor's advice on one scan: a general summary, advice per aspect and an action plan
//! of catalogue actions with an owner, a due date and a status. Read from a TOML or JSON file and
//! checked against the catalogue; every problem is reported with the entry it is in.
//!
//! ```toml
//! counsellor = "An Peeters"
//! summary = "Algemene vaststellingen …"
//!
//! [[aspect]]
//! code = "A9"
//! advice = "Maak innovatieruimte zichtbaar in de begroting …"
//!
//! [[action]]
//! code = "R14.1"
//! owner = "Kwaliteitscoördinator"
//! due = 2026-06-30          # or "2026-06-30", "30/06/2026"
//! status = "planned"        # planned, in_progress, done, on_hold (or gepland, lopend, afgerond, uitgesteld)
//! indicator = "Innovatie-uren staan in het IKZ-jaarplan"   # optional: how success shows
//! resources = "4 uur per maand"                           # optional: what it takes
//! note = "Eerst in team Noord"
//! ```
//!
//! Through the API a full replacement must name `summary`, `aspect` and `action` (lists may be
//! empty), and a patch changes only the parts it names (see [`parse_replacement`], [`apply_patch`]).

mod check;
mod edit;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::db::advice::{StoredAdvice, StoredPlanItem};
use crate::domain::text::Lang;

pub use check::{
    AdviceError, MAX_ADVICE_CHARS, MAX_PLAN_ITEMS, MAX_SHORT_CHARS, parse, parse_date,
};
pub use edit::{apply_patch, parse_replacement};

/// The advice on one scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Advice {
    pub counsellor: Option<String>,
    pub summary: Option<String>,
    /// At most one per aspect, in catalogue order.
    pub aspects: Vec<AspectAdvice>,
    /// In the order of the file.
    pub plan: Vec<PlanItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AspectAdvice {
    pub aspect: String,
    pub text: String,
}

/// One row of the action plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanItem {
    /// A catalogue action code (`R14.1`).
    pub action: String,
    pub owner: String,
    pub due: NaiveDate,
    pub status: PlanStatus,
    pub note: Option<String>,
    /// How one sees that the action succeeded.
    pub indicator: Option<String>,
    /// What the action takes (people, hours, budget).
    pub resources: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Planned,
    InProgress,
    Done,
    OnHold,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 4] = [
        PlanStatus::Planned,
        PlanStatus::InProgress,
        PlanStatus::Done,
        PlanStatus::OnHold,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Planned => "planned",
            PlanStatus::InProgress => "in_progress",
            PlanStatus::Done => "done",
            PlanStatus::OnHold => "on_hold",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PlanStatus::Planned, Lang::Nl) => "gepland",
            (PlanStatus::Planned, Lang::En) => "planned",
            (PlanStatus::InProgress, Lang::Nl) => "lopend",
            (PlanStatus::InProgress, Lang::En) => "in progress",
            (PlanStatus::Done, Lang::Nl) => "afgerond",
            (PlanStatus::Done, Lang::En) => "done",
            (PlanStatus::OnHold, Lang::Nl) => "uitgesteld",
            (PlanStatus::OnHold, Lang::En) => "on hold",
        }
    }

    /// A status as written in a file, in English or Dutch.
    pub fn parse(text: &str) -> Option<PlanStatus> {
        let t = text.trim().to_lowercase().replace(['-', ' '], "_");
        Some(match t.as_str() {
            "planned" | "gepland" | "todo" | "te_doen" => PlanStatus::Planned,
            "in_progress" | "lopend" | "bezig" | "started" | "gestart" => PlanStatus::InProgress,
            "done" | "afgerond" | "klaar" | "completed" => PlanStatus::Done,
            "on_hold" | "uitgesteld" | "on_hold_" | "paused" | "gepauzeerd" => PlanStatus::OnHold,
            _ => return None,
        })
    }
}

impl Advice {
    /// The advice in the JSON form of an advice file (what [`parse`] reads back).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::{Map, Value, json};
        let mut root = Map::new();
        let put = |map: &mut Map<String, Value>, key: &str, v: &Option<String>| {
            if let Some(v) = v {
                map.insert(key.to_owned(), Value::String(v.clone()));
            }
        };
        put(&mut root, "counsellor", &self.counsellor);
        put(&mut root, "summary", &self.summary);
        let aspects = self
            .aspects
            .iter()
            .map(|a| json!({ "code": a.aspect, "advice": a.text }))
            .collect();
        root.insert("aspect".to_owned(), Value::Array(aspects));
        let plan = self
            .plan
            .iter()
            .map(|p| {
                let mut row = Map::new();
                row.insert("code".into(), json!(p.action));
                row.insert("owner".into(), json!(p.owner));
                row.insert("due".into(), json!(p.due.format("%Y-%m-%d").to_string()));
                row.insert("status".into(), json!(p.status.code()));
                put(&mut row, "indicator", &p.indicator);
                put(&mut row, "resources", &p.resources);
                put(&mut row, "note", &p.note);
                Value::Object(row)
            })
            .collect();
        root.insert("action".to_owned(), Value::Array(plan));
        Value::Object(root)
    }

    /// The advice as the database stores it.
    pub fn to_stored(&self) -> StoredAdvice {
        StoredAdvice {
            counsellor: self.counsellor.clone(),
            summary: self.summary.clone(),
            aspects: self
                .aspects
                .iter()
                .map(|a| (a.aspect.clone(), a.text.clone()))
                .collect(),
            plan: self
                .plan
                .iter()
                .map(|p| StoredPlanItem {
                    action_code: p.action.clone(),
                    owner: p.owner.clone(),
                    due_date: p.due,
                    status: p.status.code().to_owned(),
                    note: p.note.clone(),
                    indicator: p.indicator.clone(),
                    resources: p.resources.clone(),
                })
                .collect(),
        }
    }

    /// The advice as stored (checked when it was entered; an unknown status reads as planned).
    pub fn from_stored(s: StoredAdvice) -> Self {
        Self {
            counsellor: s.counsellor,
            summary: s.summary,
            aspects: s
                .aspects
                .into_iter()
                .map(|(aspect, text)| AspectAdvice { aspect, text })
                .collect(),
            plan: s
                .plan
                .into_iter()
                .map(|p| PlanItem {
                    action: p.action_code,
                    owner: p.owner,
                    due: p.due_date,
                    status: PlanStatus::parse(&p.status).unwrap_or(PlanStatus::Planned),
                    note: p.note,
                    indicator: p.indicator,
                    resources: p.resources,
                })
                .collect(),
        }
    }
}
