//! Changing a stored advice through the API. A full replacement (PUT) must name every part — the
//! summary, the aspect advice and the action plan, each may be empty — so that `{}` or a body with
//! one field cannot silently empty the rest. A patch (PATCH) names only the parts it changes:
//!
//! ```json
//! { "summary": "…",
//!   "aspect": [{ "code": "A9", "advice": "…" }, { "code": "A2", "advice": null }],
//!   "action_status": [{ "row": 2, "status": "done", "code": "R14.1" }] }
//! ```
//!
//! `counsellor` and `summary` replace (null removes); `aspect` entries replace, add or (with a
//! null or empty advice) remove the advice of their aspect, the others stay; `action` replaces the
//! whole plan; `action_status` sets the status of plan rows (1 is the first; `code`, when given,
//! must be the row's action). The result is checked like a whole file.

use serde_json::{Map, Value};

use super::check::{ASPECT_KEYS, PLAN_KEYS, check_root, read_root};
use super::{Advice, AdviceError};
use crate::domain::catalogue::Catalogue;

/// What a full replacement must name.
const PARTS: [(&str, &[&str]); 3] = [
    ("summary", &["summary"]),
    ("aspect", &ASPECT_KEYS),
    ("action", &PLAN_KEYS),
];

/// Parse and check a full replacement: refused as [`AdviceError::Incomplete`] unless it names the
/// summary, the aspect advice and the action plan.
pub fn parse_replacement(
    file: &str,
    text: &str,
    catalogue: &Catalogue,
) -> Result<Advice, AdviceError> {
    let root = read_root(file, text)?;
    if let Value::Object(map) = &root {
        let missing: Vec<&'static str> = PARTS
            .iter()
            .filter(|(_, keys)| !keys.iter().any(|k| map.contains_key(*k)))
            .map(|(name, _)| *name)
            .collect();
        if !missing.is_empty() {
            return Err(AdviceError::Incomplete { missing });
        }
    }
    check_root(file, &root, catalogue)
}

/// Apply a patch (JSON, see the module) to `current` and check the result.
pub fn apply_patch(
    current: &Advice,
    patch: &str,
    catalogue: &Catalogue,
) -> Result<Advice, AdviceError> {
    const FILE: &str = "patch.json";
    let invalid = |problems: Vec<String>| AdviceError::Invalid {
        file: FILE.to_owned(),
        problems,
    };
    let Value::Object(patch) = read_root(FILE, patch)? else {
        return Err(invalid(vec!["a patch is a JSON object".into()]));
    };
    if patch.is_empty() {
        return Err(AdviceError::NothingToChange);
    }
    let Value::Object(mut base) = current.to_value() else {
        return Err(invalid(vec!["the stored advice is not an object".into()]));
    };
    let mut problems = Vec::new();
    let mut statuses = None;
    for (key, value) in patch {
        match key.as_str() {
            "counsellor" | "summary" => {
                base.insert(key, value);
            }
            k if ASPECT_KEYS.contains(&k) => merge_aspects(&mut base, value, &mut problems),
            k if PLAN_KEYS.contains(&k) => {
                for k in PLAN_KEYS {
                    base.remove(k);
                }
                base.insert(PLAN_KEYS[0].to_owned(), value);
            }
            "action_status" => statuses = Some(value),
            other => problems.push(format!(
                "unknown key `{other}` (a patch names counsellor, summary, aspect, action or action_status)"
            )),
        }
    }
    if let Some(statuses) = statuses {
        set_statuses(&mut base, statuses, &mut problems);
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    check_root(FILE, &Value::Object(base), catalogue)
}

/// The patch's aspect entries replace those of the same code; the others stay.
fn merge_aspects(base: &mut Map<String, Value>, value: Value, problems: &mut Vec<String>) {
    let Value::Array(entries) = value else {
        problems.push("`aspect` must be a list of entries".into());
        return;
    };
    let code_of = |v: &Value| {
        v.get("code")
            .or_else(|| v.get("aspect"))
            .and_then(Value::as_str)
            .map(|c| c.trim().to_ascii_uppercase())
    };
    let mut list = match base.remove(ASPECT_KEYS[0]) {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    };
    for entry in entries {
        match code_of(&entry) {
            Some(code) => {
                list.retain(|old| code_of(old).as_deref() != Some(code.as_str()));
                list.push(entry);
            }
            // Checked (and named) with the rest.
            None => list.push(entry),
        }
    }
    base.insert(ASPECT_KEYS[0].to_owned(), Value::Array(list));
}

/// Set the status of the rows `[{row, status, code?}]` name.
fn set_statuses(base: &mut Map<String, Value>, statuses: Value, problems: &mut Vec<String>) {
    let Value::Array(changes) = statuses else {
        problems.push("`action_status` must be a list of {row, status}".into());
        return;
    };
    let Some(Value::Array(plan)) = base.get_mut(PLAN_KEYS[0]) else {
        problems.push("`action_status`: the advice has no action plan".into());
        return;
    };
    for (i, change) in changes.iter().enumerate() {
        let at = format!("action_status entry {}", i + 1);
        let row = change.get("row").and_then(Value::as_u64).unwrap_or(0);
        let Some(entry) = usize::try_from(row)
            .ok()
            .and_then(|r| r.checked_sub(1))
            .and_then(|r| plan.get_mut(r))
        else {
            problems.push(format!(
                "{at}: `row` must be a plan row, 1 to {}",
                plan.len()
            ));
            continue;
        };
        let holds = entry
            .get("code")
            .or_else(|| entry.get("action"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if let Some(code) = change.get("code").and_then(Value::as_str)
            && !code.trim().eq_ignore_ascii_case(&holds)
        {
            problems.push(format!("{at}: row {row} holds {holds}, not {code}"));
            continue;
        }
        match change.get("status") {
            Some(s @ Value::String(_)) => {
                if let Value::Object(entry) = entry {
                    entry.insert("status".into(), s.clone());
                }
            }
            _ => problems.push(format!("{at}: `status` is missing")),
        }
        if let Some(k) = change.as_object().and_then(|m| {
            m.keys()
                .find(|k| !["row", "status", "code"].contains(&k.as_str()))
        }) {
            problems.push(format!(
                "{at}: unknown key `{k}` (expected row, status, code)"
            ));
        }
    }
}
