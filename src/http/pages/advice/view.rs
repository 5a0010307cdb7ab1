//! The words and rows of the advice page besides the form: who saved a version, the conflict
//! message, the plan as the read-only table shows it.

use serde_json::json;

use crate::app::Versioned;
use crate::domain::catalogue::Catalogue;
use crate::domain::format::short_date;
use crate::domain::scoring::ORGANISATION_ACTOR;
use crate::domain::text::Lang;

/// Who saved a version, for the history.
pub fn who(origin: &str, email: Option<&str>, lang: Lang) -> String {
    match (origin, email, lang) {
        (_, Some(e), _) => e.to_owned(),
        ("command_line", None, Lang::Nl) => "opdrachtregel (blendscan advice set)".into(),
        ("command_line", None, Lang::En) => "command line (blendscan advice set)".into(),
        (_, None, Lang::Nl) => "onbekend (vóór de versiegeschiedenis)".into(),
        (_, None, Lang::En) => "unknown (before the version history)".into(),
    }
}

/// The plan as the read-only table shows it.
pub fn plan_rows(cat: &Catalogue, found: Option<&Versioned>, lang: Lang) -> Vec<serde_json::Value> {
    let Some(found) = found else {
        return Vec::new();
    };
    found
        .advice
        .plan
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = cat
                .recommendations
                .iter()
                .flat_map(|r| &r.actions)
                .find(|a| a.code == p.action)
                .map(|a| a.told_to(ORGANISATION_ACTOR).get(lang).to_owned())
                .unwrap_or_default();
            json!({
                "n": i + 1, "code": p.action, "text": text, "owner": p.owner,
                "due": short_date(p.due, lang), "indicator": p.indicator, "resources": p.resources,
                "note": p.note, "status": p.status.code(), "status_label": p.status.label(lang),
            })
        })
        .collect()
}

/// The message of a conflict: who saved which version meanwhile, and what to do now.
pub fn conflict_message(
    app_current: Option<i32>,
    by: Option<&str>,
    lang: Lang,
    status_only: bool,
) -> String {
    let who = by.unwrap_or(if lang == Lang::En {
        "someone else"
    } else {
        "iemand anders"
    });
    let v = app_current.map_or_else(String::new, |v| v.to_string());
    match (lang, status_only) {
        (Lang::En, false) => format!(
            "{who} saved this advice in the meantime (version {v}). What you typed is still below; compare it with the advice report or the history, and save again to replace version {v} with yours."
        ),
        (_, false) => format!(
            "{who} heeft dit advies intussen bewaard (versie {v}). Wat u typte staat hieronder nog; vergelijk het met het adviesrapport of de geschiedenis, en bewaar opnieuw om versie {v} door de uwe te vervangen."
        ),
        (Lang::En, true) => format!(
            "{who} changed the action plan in the meantime (version {v}); your status was not saved. Check the plan below and choose the status again."
        ),
        (_, true) => format!(
            "{who} heeft het actieplan intussen gewijzigd (versie {v}); uw status is niet bewaard. Bekijk het plan hieronder en kies de status opnieuw."
        ),
    }
}
