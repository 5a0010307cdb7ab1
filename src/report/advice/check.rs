//! Reading an advice file: TOML or JSON, every entry checked against the catalogue, every problem
//! reported with the entry it is in (`action entry 3 (R14.9): unknown action`). The shape
//! `blendscan advice show` and the API print (`aspects` of `{aspect, text}`, `plan` of
//! `{action, …}`) reads back too.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::{Advice, AspectAdvice, PlanItem, PlanStatus};
use crate::domain::catalogue::Catalogue;

/// Longest accepted advice text per aspect or summary, in characters.
pub const MAX_ADVICE_CHARS: usize = 4_000;
/// Longest accepted owner or note, in characters.
pub const MAX_SHORT_CHARS: usize = 500;
/// Most action plan rows.
pub const MAX_PLAN_ITEMS: usize = 200;

/// The names the list of aspect advice goes by, the first the file format's.
pub(super) const ASPECT_KEYS: [&str; 2] = ["aspect", "aspects"];
/// The names the action plan goes by, the first the file format's.
pub(super) const PLAN_KEYS: [&str; 3] = ["action", "actions", "plan"];

/// Why an advice file was refused: every problem, each naming its entry.
#[derive(Debug, thiserror::Error)]
pub enum AdviceError {
    #[error("{file}: not valid {format}: {reason}")]
    Syntax {
        file: String,
        format: &'static str,
        reason: String,
    },
    #[error("{file}: {} problem(s):\n  - {}", .problems.len(), .problems.join("\n  - "))]
    Invalid { file: String, problems: Vec<String> },
    /// A full replacement that does not name every part (it would silently empty the others).
    #[error("a full replacement names every part; missing: {}", .missing.join(", "))]
    Incomplete { missing: Vec<&'static str> },
    /// A change that names no part at all.
    #[error("the change names no part of the advice")]
    NothingToChange,
}

/// Parse and check an advice file. `file` names it in messages; the format follows its extension
/// (`.json`, otherwise TOML), or its first character when it has none.
pub fn parse(file: &str, text: &str, catalogue: &Catalogue) -> Result<Advice, AdviceError> {
    let root = read_root(file, text)?;
    check_root(file, &root, catalogue)
}

/// The text of an advice file as a JSON value, without checking its content.
pub(super) fn read_root(file: &str, text: &str) -> Result<Value, AdviceError> {
    let is_json = file.to_ascii_lowercase().ends_with(".json")
        || (!file.contains('.') && text.trim_start().starts_with('{'));
    let syntax = |format, reason: String| AdviceError::Syntax {
        file: file.to_owned(),
        format,
        reason,
    };
    let root: Value = if is_json {
        serde_json::from_str(text).map_err(|e| syntax("JSON", e.to_string()))?
    } else {
        let table: toml::Table = toml::from_str(text).map_err(|e| syntax("TOML", e.to_string()))?;
        toml_to_json(toml::Value::Table(table))
    };
    Ok(root)
}

/// Check an advice given as a JSON value against the catalogue.
pub(super) fn check_root(
    file: &str,
    root: &Value,
    catalogue: &Catalogue,
) -> Result<Advice, AdviceError> {
    let mut problems = Vec::new();
    let advice = check(root, catalogue, &mut problems);
    if problems.is_empty() {
        Ok(advice)
    } else {
        Err(AdviceError::Invalid {
            file: file.to_owned(),
            problems,
        })
    }
}

/// TOML dates become `YYYY-MM-DD` strings; everything else maps one to one.
fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// A text field: absent, or a string within `max` characters without control characters.
fn text(
    entry: &Map<String, Value>,
    key: &str,
    max: usize,
    at: &str,
    problems: &mut Vec<String>,
) -> Option<String> {
    match entry.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.chars().count() > max {
                problems.push(format!("{at}: `{key}` is longer than {max} characters"));
                None
            } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                problems.push(format!("{at}: `{key}` holds a control character"));
                None
            } else {
                Some(s.to_owned()).filter(|s| !s.is_empty())
            }
        }
        Some(other) => {
            problems.push(format!("{at}: `{key}` must be text, not {other}"));
            None
        }
    }
}

fn unknown_keys(
    entry: &Map<String, Value>,
    allowed: &[&str],
    at: &str,
    problems: &mut Vec<String>,
) {
    for k in entry.keys().filter(|k| !allowed.contains(&k.as_str())) {
        problems.push(format!(
            "{at}: unknown key `{k}` (expected {})",
            allowed.join(", ")
        ));
    }
}

/// The entries of a list key (`aspect` or `aspects`), each as a table.
fn entries<'v>(
    root: &'v Map<String, Value>,
    keys: &[&str],
    problems: &mut Vec<String>,
) -> Vec<(usize, &'v Map<String, Value>)> {
    let Some(list) = keys.iter().find_map(|k| root.get(*k)) else {
        return Vec::new();
    };
    let Value::Array(items) = list else {
        problems.push(format!("`{}` must be a list of entries", keys[0]));
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, v)| match v {
            Value::Object(m) => Some((i + 1, m)),
            _ => {
                problems.push(format!("{} entry {}: must be a table", keys[0], i + 1));
                None
            }
        })
        .collect()
}

fn check(root: &Value, catalogue: &Catalogue, problems: &mut Vec<String>) -> Advice {
    let Value::Object(root) = root else {
        problems.push("the file must hold a table of keys".into());
        return Advice::default();
    };
    let top = [
        "counsellor",
        "summary",
        "aspect",
        "aspects",
        "action",
        "actions",
        "plan",
    ];
    unknown_keys(root, &top, "top level", problems);
    let mut advice = Advice {
        counsellor: text(root, "counsellor", MAX_SHORT_CHARS, "top level", problems),
        summary: text(root, "summary", MAX_ADVICE_CHARS, "top level", problems),
        ..Advice::default()
    };
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, entry) in entries(root, &ASPECT_KEYS, problems) {
        let code = entry
            .get("code")
            .or_else(|| entry.get("aspect"))
            .and_then(Value::as_str)
            .map(|c| c.trim().to_ascii_uppercase());
        let at = format!(
            "aspect entry {i}{}",
            code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()
        );
        unknown_keys(entry, &["code", "aspect", "advice", "text"], &at, problems);
        let Some(code) = code else {
            problems.push(format!(
                "{at}: `code` is missing (an aspect code such as A1)"
            ));
            continue;
        };
        if catalogue.aspect(&code).is_none() {
            let known: Vec<&str> = catalogue.aspects.iter().map(|a| a.code.as_str()).collect();
            problems.push(format!(
                "{at}: unknown aspect `{code}` (known: {})",
                known.join(", ")
            ));
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(c, _)| *c == code) {
            problems.push(format!(
                "{at}: aspect {code} already has advice in entry {first}"
            ));
            continue;
        }
        seen.push((code.clone(), i));
        let key = if entry.contains_key("text") && !entry.contains_key("advice") {
            "text"
        } else {
            "advice"
        };
        match text(entry, key, MAX_ADVICE_CHARS, &at, problems) {
            Some(t) => advice.aspects.push(AspectAdvice {
                aspect: code,
                text: t,
            }),
            None if !entry.contains_key(key) => {
                problems.push(format!("{at}: `advice` is missing"));
            }
            None => {}
        }
    }
    let order = |code: &str| catalogue.aspects.iter().position(|a| a.code == code);
    advice.aspects.sort_by_key(|a| order(&a.aspect));
    let plan = entries(root, &PLAN_KEYS, problems);
    if plan.len() > MAX_PLAN_ITEMS {
        problems.push(format!(
            "the action plan has {} entries, more than {MAX_PLAN_ITEMS}",
            plan.len()
        ));
    }
    for (i, entry) in plan {
        if let Some(item) = plan_item(i, entry, catalogue, problems) {
            advice.plan.push(item);
        }
    }
    advice
}

fn plan_item(
    i: usize,
    entry: &Map<String, Value>,
    catalogue: &Catalogue,
    problems: &mut Vec<String>,
) -> Option<PlanItem> {
    let code = entry
        .get("code")
        .or_else(|| entry.get("action"))
        .and_then(Value::as_str)
        .map(|c| c.trim().to_ascii_uppercase());
    let at = format!(
        "action entry {i}{}",
        code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()
    );
    unknown_keys(
        entry,
        &[
            "code",
            "action",
            "owner",
            "due",
            "status",
            "indicator",
            "resources",
            "note",
        ],
        &at,
        problems,
    );
    let before = problems.len();
    let action = match code {
        None => {
            problems.push(format!(
                "{at}: `code` is missing (an action code such as R14.1)"
            ));
            None
        }
        Some(code) => {
            let found = catalogue
                .recommendations
                .iter()
                .flat_map(|r| &r.actions)
                .any(|a| a.code == code);
            if !found {
                match catalogue.recommendations.iter().find(|r| r.code == code) {
                    Some(r) => {
                        let actions: Vec<&str> = r.actions.iter().map(|a| a.code.as_str()).collect();
                        problems.push(format!(
                            "{at}: {code} is a recommendation; name one of its actions ({})",
                            actions.join(", ")
                        ));
                    }
                    None => problems.push(format!(
                        "{at}: unknown action `{code}` (actions are numbered R1.1 … R20.3; see `blendscan framework`)"
                    )),
                }
            }
            Some(code).filter(|_| found)
        }
    };
    let owner = text(entry, "owner", MAX_SHORT_CHARS, &at, problems);
    if owner.is_none() && !entry.contains_key("owner") {
        problems.push(format!("{at}: `owner` is missing (who carries the action)"));
    }
    let due = match entry.get("due") {
        None => {
            problems.push(format!(
                "{at}: `due` is missing (a date such as 2026-06-30)"
            ));
            None
        }
        Some(Value::String(s)) => {
            let d = parse_date(s);
            if d.is_none() {
                problems.push(format!(
                    "{at}: due date `{s}` is not a date (write 2026-06-30 or 30/06/2026)"
                ));
            }
            d
        }
        Some(other) => {
            problems.push(format!(
                "{at}: due date {other} is not a date (write 2026-06-30)"
            ));
            None
        }
    };
    let status = match entry.get("status") {
        None => Some(PlanStatus::Planned),
        Some(Value::String(s)) => {
            let st = PlanStatus::parse(s);
            if st.is_none() {
                problems.push(format!(
                    "{at}: unknown status `{s}` (use planned, in_progress, done or on_hold; \
                     gepland, lopend, afgerond or uitgesteld)"
                ));
            }
            st
        }
        Some(other) => {
            problems.push(format!("{at}: status {other} must be text"));
            None
        }
    };
    let note = text(entry, "note", MAX_SHORT_CHARS, &at, problems);
    let indicator = text(entry, "indicator", MAX_SHORT_CHARS, &at, problems);
    let resources = text(entry, "resources", MAX_SHORT_CHARS, &at, problems);
    if problems.len() > before {
        return None;
    }
    Some(PlanItem {
        action: action?,
        owner: owner?,
        due: due?,
        status: status?,
        note,
        indicator,
        resources,
    })
}

/// `2026-06-30`, `30/06/2026` or `30-06-2026`, in the years 2000–2100.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .ok()?;
    use chrono::Datelike;
    (2000..=2100).contains(&d.year()).then_some(d)
}
