//! No silent partial import: headers that look like catalogue questions but were not taken, and whole
//! clusters or aspects missing from a file that covers most of the others, stop the import until the
//! user confirms (a corrected mapping, or `--allow-partial`).

use std::collections::BTreeSet;

use super::mapping::{MappedColumn, Reason};
use super::{Problem, msg};
use crate::domain::catalogue::matching::question_text;
use crate::domain::catalogue::{Catalogue, Scored};
use crate::domain::text::Text;

/// What to do about it, said once in every warning.
fn advice() -> Text {
    msg(
        "bevestig de kolommen met `import --dry-run --write-mapping mapping.json` en `import --mapping mapping.json` (of op de webpagina), of importeer toch zonder deze kolommen met --allow-partial",
        "confirm the columns with `import --dry-run --write-mapping mapping.json` and `import --mapping mapping.json` (or on the web page), or import without these columns with --allow-partial",
    )
}

/// The warning for one column that needs confirmation; `None` when it needs none.
pub fn column_warning(catalogue: &Catalogue, m: &MappedColumn) -> Option<Text> {
    if !m.needs_confirmation {
        return None;
    }
    let pct = (m.confidence * 100.0).round() as i64;
    let named = |code: &str| match question_text(catalogue, code) {
        Some(t) => (
            format!("{code} \"{}\"", t.nl.trim_end_matches('.')),
            format!("{code} \"{}\"", t.en.trim_end_matches('.')),
        ),
        None => (code.to_owned(), code.to_owned()),
    };
    let advice = advice();
    let (nl, en) = match (m.reason, m.candidates.as_slice()) {
        (Reason::CloseText, [first, ..]) => {
            let (q_nl, q_en) = named(first);
            (
                format!(
                    "de kop lijkt op vraag {q_nl} ({pct}% gelijk) maar is niet dezelfde tekst; voorgesteld, niet ingelezen"
                ),
                format!(
                    "the header resembles question {q_en} ({pct}% alike) but is not its text; proposed, not read"
                ),
            )
        }
        (Reason::Ambiguous, [a, b, ..]) => (
            format!("de kop lijkt even goed op {a} als op {b}; kies er één, niet ingelezen"),
            format!("the header resembles {a} as much as {b}; choose one, not read"),
        ),
        (Reason::Resembles, [first, ..]) => {
            let (q_nl, q_en) = named(first);
            (
                format!(
                    "de kop lijkt op een vraag van de catalogus (het dichtst bij {q_nl}, {pct}%), maar te weinig om ze voor te stellen; niet ingelezen"
                ),
                format!(
                    "the header looks like a catalogue question (closest {q_en}, {pct}%), too little to propose it; not read"
                ),
            )
        }
        _ => (
            "de kop lijkt op een vraag van de catalogus; niet ingelezen".to_owned(),
            "the header looks like a catalogue question; not read".to_owned(),
        ),
    };
    Some(msg(
        format!("{nl}; {}", advice.nl),
        format!("{en}; {}", advice.en),
    ))
}

/// Clusters (and aspects) without any column while the file carries at least half of the others:
/// a questionnaire built from the whole framework that lost some of its columns.
pub fn missing_groups(
    catalogue: &Catalogue,
    codes: &[String],
    unrecognised: usize,
    sheet: &str,
) -> Vec<Problem> {
    // A questionnaire for one role leaves clusters out on purpose: only unrecognised columns beside
    // the missing clusters suggest that their questions are there but were not recognised.
    if unrecognised == 0 {
        return Vec::new();
    }
    let mut clusters = BTreeSet::new();
    let mut aspects = BTreeSet::new();
    for code in codes {
        match catalogue.scored(code) {
            Some(Scored::Competence { cluster, .. }) => {
                clusters.insert(cluster.clone());
            }
            Some(Scored::Indicator { aspect, .. }) => {
                aspects.insert(aspect.clone());
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let all_clusters: Vec<(&str, &Text)> = catalogue
        .clusters
        .iter()
        .filter(|c| !c.items.is_empty())
        .map(|c| (c.code.as_str(), &c.name))
        .collect();
    let all_aspects: Vec<(&str, &Text)> = catalogue
        .aspects
        .iter()
        .filter(|a| !a.indicators.is_empty())
        .map(|a| (a.code.as_str(), &a.name))
        .collect();
    for (present, all, nl_kind, en_kind) in [
        (&clusters, &all_clusters, "cluster", "cluster"),
        (&aspects, &all_aspects, "aspect", "aspect"),
    ] {
        if present.len() * 2 < all.len() || present.len() == all.len() {
            continue;
        }
        let missing: Vec<String> = all
            .iter()
            .filter(|(c, _)| !present.contains(*c))
            .map(|(c, _)| (*c).to_owned())
            .collect();
        let names = |pick: fn(&Text) -> &str| {
            all.iter()
                .filter(|(c, _)| !present.contains(*c))
                .map(|(c, n)| format!("{c} ({})", pick(n)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (n, advice) = (present.len(), advice());
        out.push(Problem::at(
            sheet.to_owned(),
            Some(missing.join(", ")),
            msg(
                format!(
                    "geen enkele kolom voor {nl_kind} {}, terwijl het bestand {n} andere heeft; ontbreken die vragen? {}",
                    names(|t| &t.nl),
                    advice.nl
                ),
                format!(
                    "no column for {en_kind} {}, while the file has {n} others; are those questions missing? {}",
                    names(|t| &t.en),
                    advice.en
                ),
            ),
        ));
    }
    out
}

/// An .xls sheet exactly 256 columns wide holds no more: the template's questions after the last one
/// in the file were cut off when it was saved. Names them, in the template's order.
pub fn lost_to_xls(
    catalogue: &Catalogue,
    codes: &[String],
    width: usize,
    sheet: &str,
) -> Option<Problem> {
    if width < 256 {
        return None;
    }
    let order: Vec<&str> = catalogue
        .aspects
        .iter()
        .flat_map(|a| a.indicators.iter().map(|i| i.code.as_str()))
        .chain(
            catalogue
                .clusters
                .iter()
                .flat_map(|c| c.items.iter().map(|i| i.code.as_str())),
        )
        .chain(
            catalogue
                .checklists
                .iter()
                .flat_map(|c| c.items.iter().map(|i| i.code.as_str())),
        )
        .collect();
    let last = order.iter().rposition(|c| codes.iter().any(|k| k == c))?;
    let lost: Vec<&str> = order[last + 1..]
        .iter()
        .copied()
        .filter(|c| !codes.iter().any(|k| k == c))
        .collect();
    if lost.is_empty() {
        return None;
    }
    let (n, list) = (lost.len(), lost.join(", "));
    Some(Problem::at(
        format!("{sheet}!IV1"),
        Some(list.clone()),
        msg(
            format!(
                "het blad is precies 256 kolommen breed, het maximum van een .xls-bestand: {n} vragen van het sjabloon ontbreken en gingen waarschijnlijk verloren bij het opslaan ({list}); sla het bestand op als .xlsx of .ods en importeer opnieuw"
            ),
            format!(
                "the sheet is exactly 256 columns wide, the most an .xls file holds: {n} template questions are missing and were probably lost when it was saved ({list}); save the file as .xlsx or .ods and import again"
            ),
        ),
    ))
}
