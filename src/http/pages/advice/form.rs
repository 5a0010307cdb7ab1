//! The advice editor's form: an advice as its fields, the posted fields back as an advice (the JSON
//! of `blendscan advice set`), and the checks of the action-plan rows in the page's language, so
//! that a mistake is named where it was made and nothing typed is lost.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::domain::catalogue::Catalogue;
use crate::domain::scoring::ORGANISATION_ACTOR;
use crate::domain::text::Lang;
use crate::report::advice::{Advice, MAX_PLAN_ITEMS, PlanStatus, parse_date};

/// Empty rows offered below the plan, for new actions (no script adds rows).
pub const EMPTY_ROWS: usize = 3;

/// One action-plan row as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FormRow {
    pub n: usize,
    pub action: String,
    pub owner: String,
    pub due: String,
    pub indicator: String,
    pub resources: String,
    pub status: String,
    pub note: String,
}

impl FormRow {
    fn is_empty(&self) -> bool {
        [
            &self.action,
            &self.owner,
            &self.due,
            &self.indicator,
            &self.resources,
            &self.note,
        ]
        .iter()
        .all(|f| f.trim().is_empty())
    }

    fn blank(n: usize) -> Self {
        FormRow {
            n,
            status: PlanStatus::Planned.code().to_owned(),
            ..FormRow::default()
        }
    }
}

/// The advice of one aspect as typed.
#[derive(Debug, Clone, Serialize)]
pub struct AspectField {
    pub code: String,
    pub name: String,
    pub text: String,
}

/// Every field of the editor.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AdviceForm {
    pub counsellor: String,
    pub summary: String,
    pub aspects: Vec<AspectField>,
    pub rows: Vec<FormRow>,
}

fn aspect_fields(cat: &Catalogue, lang: Lang, text: impl Fn(&str) -> String) -> Vec<AspectField> {
    cat.aspects
        .iter()
        .map(|a| AspectField {
            code: a.code.clone(),
            name: a.name.get(lang).to_owned(),
            text: text(&a.code),
        })
        .collect()
}

impl AdviceForm {
    /// The fields of a stored advice (none: an empty form), with empty rows for new actions.
    pub fn of(advice: Option<&Advice>, cat: &Catalogue, lang: Lang) -> Self {
        let aspects = aspect_fields(cat, lang, |code| {
            advice
                .and_then(|a| a.aspects.iter().find(|x| x.aspect == code))
                .map(|x| x.text.clone())
                .unwrap_or_default()
        });
        let mut rows: Vec<FormRow> = advice
            .map(|a| a.plan.as_slice())
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, p)| FormRow {
                n: i + 1,
                action: p.action.clone(),
                owner: p.owner.clone(),
                due: p.due.format("%Y-%m-%d").to_string(),
                indicator: p.indicator.clone().unwrap_or_default(),
                resources: p.resources.clone().unwrap_or_default(),
                status: p.status.code().to_owned(),
                note: p.note.clone().unwrap_or_default(),
            })
            .collect();
        let next = rows.len() + 1;
        rows.extend((next..next + EMPTY_ROWS).map(FormRow::blank));
        AdviceForm {
            counsellor: advice
                .and_then(|a| a.counsellor.clone())
                .unwrap_or_default(),
            summary: advice.and_then(|a| a.summary.clone()).unwrap_or_default(),
            aspects,
            rows,
        }
    }

    /// The posted fields: `counsellor`, `summary`, `aspect_A1` …, and per row `action_1`,
    /// `owner_1`, `due_1`, `indicator_1`, `resources_1`, `status_1`, `note_1`. Rows keep their
    /// numbers; unknown fields are ignored.
    pub fn from_fields(fields: &[(String, String)], cat: &Catalogue, lang: Lang) -> Self {
        let get = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let aspects = aspect_fields(cat, lang, |code| get(&format!("aspect_{code}")));
        let mut rows: BTreeMap<usize, FormRow> = BTreeMap::new();
        for (name, value) in fields {
            let Some((field, n)) = name.rsplit_once('_') else {
                continue;
            };
            let Some(n) = n
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_ROW).contains(n))
            else {
                continue;
            };
            let row = rows.entry(n).or_insert_with(|| FormRow {
                n,
                ..FormRow::default()
            });
            let slot = match field {
                "action" => &mut row.action,
                "owner" => &mut row.owner,
                "due" => &mut row.due,
                "indicator" => &mut row.indicator,
                "resources" => &mut row.resources,
                "status" => &mut row.status,
                "note" => &mut row.note,
                _ => continue,
            };
            value.clone_into(slot);
        }
        AdviceForm {
            counsellor: get("counsellor"),
            summary: get("summary"),
            aspects,
            rows: rows.into_values().collect(),
        }
    }

    /// What is wrong with the filled-in rows, in the page's language (empty rows are left out).
    pub fn problems(&self, lang: Lang) -> Vec<String> {
        let say = |nl: String, en: String| if lang == Lang::En { en } else { nl };
        let mut out = Vec::new();
        for r in self.rows.iter().filter(|r| !r.is_empty()) {
            let n = r.n;
            if r.action.trim().is_empty() {
                out.push(say(
                    format!("Actie {n}: kies een aanbeveling en actie."),
                    format!("Action {n}: choose a recommendation and action."),
                ));
            }
            if r.owner.trim().is_empty() {
                out.push(say(
                    format!("Actie {n}: vul in wie de actie draagt (eigenaar)."),
                    format!("Action {n}: fill in who carries the action (owner)."),
                ));
            }
            if r.due.trim().is_empty() {
                out.push(say(
                    format!("Actie {n}: vul een deadline in."),
                    format!("Action {n}: fill in a due date."),
                ));
            } else if parse_date(&r.due).is_none() {
                out.push(say(
                    format!(
                        "Actie {n}: deadline `{}` is geen datum tussen 2000 en 2100.",
                        r.due
                    ),
                    format!(
                        "Action {n}: due date `{}` is not a date between 2000 and 2100.",
                        r.due
                    ),
                ));
            }
        }
        let filled = self.rows.iter().filter(|r| !r.is_empty()).count();
        if filled > MAX_PLAN_ITEMS {
            out.push(say(
                format!("Het actieplan heeft {filled} acties; {MAX_PLAN_ITEMS} is het maximum."),
                format!("The action plan has {filled} actions; {MAX_PLAN_ITEMS} is the limit."),
            ));
        }
        out
    }

    /// The advice as the JSON of a full replacement; empty rows and empty aspect advice are left out.
    pub fn to_json(&self) -> Value {
        let opt = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| Value::String(s.to_owned()))
        };
        let aspects: Vec<Value> = self
            .aspects
            .iter()
            .filter(|a| !a.text.trim().is_empty())
            .map(|a| json!({ "code": a.code, "advice": a.text }))
            .collect();
        let plan: Vec<Value> = self
            .rows
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| {
                let mut row = Map::new();
                row.insert("code".into(), json!(r.action.trim()));
                row.insert("owner".into(), json!(r.owner.trim()));
                row.insert("due".into(), json!(r.due.trim()));
                if !r.status.trim().is_empty() {
                    row.insert("status".into(), json!(r.status.trim()));
                }
                for (key, value) in [
                    ("indicator", &r.indicator),
                    ("resources", &r.resources),
                    ("note", &r.note),
                ] {
                    if let Some(v) = opt(value) {
                        row.insert(key.into(), v);
                    }
                }
                Value::Object(row)
            })
            .collect();
        let mut root = Map::new();
        if let Some(c) = opt(&self.counsellor) {
            root.insert("counsellor".into(), c);
        }
        root.insert("summary".into(), opt(&self.summary).unwrap_or(Value::Null));
        root.insert("aspect".into(), Value::Array(aspects));
        root.insert("action".into(), Value::Array(plan));
        Value::Object(root)
    }

    /// Empty rows up to [`EMPTY_ROWS`] after the last, so a re-shown form has room again.
    pub fn with_room(mut self) -> Self {
        let blanks = self.rows.iter().rev().take_while(|r| r.is_empty()).count();
        let next = self.rows.last().map_or(1, |r| r.n + 1);
        self.rows
            .extend((next..next + EMPTY_ROWS.saturating_sub(blanks)).map(FormRow::blank));
        self
    }
}

/// The highest row number read from a form.
const MAX_ROW: usize = MAX_PLAN_ITEMS + 50;

/// The catalogue's recommendations with their actions, for the select of a row.
pub fn catalogue_choices(cat: &Catalogue, lang: Lang) -> Value {
    Value::Array(
        cat.recommendations
            .iter()
            .map(|r| {
                json!({
                    "code": r.code,
                    "title": r.title.get(lang),
                    "actions": r.actions.iter().map(|a| json!({"code": a.code, "text": a.told_to(ORGANISATION_ACTOR).get(lang)})).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// The statuses of a plan row, for a select.
pub fn status_choices(lang: Lang) -> Value {
    Value::Array(
        PlanStatus::ALL
            .iter()
            .map(|s| json!({"code": s.code(), "label": s.label(lang)}))
            .collect(),
    )
}
