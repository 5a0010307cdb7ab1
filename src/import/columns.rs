//! Recognising columns by their headers: item columns by the catalogue code they carry (exactly, in
//! square brackets anywhere, or as a LimeSurvey question/subquestion code), metadata columns by the
//! Dutch and English headers that Microsoft Forms, Google Forms, LimeSurvey and Qualtrics export.

use serde::Serialize;

use super::mapping::{Choices, MappedColumn, Reason};
use super::msg;
use super::report::echo;
use crate::domain::catalogue::matching::{self, QuestionIndex, Recognition};
use crate::domain::catalogue::{Catalogue, Scored};
use crate::domain::text::Text;

/// Respondent metadata a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Meta {
    ResponseId,
    StartTime,
    CompletionTime,
    Email,
    Name,
    Token,
    Role,
    Team,
    Group,
}

impl Meta {
    /// Personal data: never shown, stored or logged; only used for the pseudonym.
    pub fn is_personal(self) -> bool {
        matches!(self, Meta::Email | Meta::Name | Meta::Token)
    }
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Item(String),
    Meta(Meta),
    /// Known export columns without meaning for the scan (last modified, language, seed, …).
    Known,
    Ignored,
}

const META_HEADERS: &[(&str, Meta)] = &[
    ("id", Meta::ResponseId),
    ("response id", Meta::ResponseId),
    ("responseid", Meta::ResponseId),
    ("antwoord-id", Meta::ResponseId),
    ("respondent id", Meta::ResponseId),
    ("begintijd", Meta::StartTime),
    ("start time", Meta::StartTime),
    ("startdate", Meta::StartTime),
    ("date started", Meta::StartTime),
    ("starttijd", Meta::StartTime),
    ("tijd van voltooien", Meta::CompletionTime),
    ("completion time", Meta::CompletionTime),
    ("tijdstempel", Meta::CompletionTime),
    ("timestamp", Meta::CompletionTime),
    ("submitdate", Meta::CompletionTime),
    ("date submitted", Meta::CompletionTime),
    ("datum ingediend", Meta::CompletionTime),
    ("enddate", Meta::CompletionTime),
    ("end date", Meta::CompletionTime),
    ("e-mail", Meta::Email),
    ("email", Meta::Email),
    ("e-mailadres", Meta::Email),
    ("emailadres", Meta::Email),
    ("email address", Meta::Email),
    ("e-mail address", Meta::Email),
    ("recipientemail", Meta::Email),
    ("naam", Meta::Name),
    ("name", Meta::Name),
    ("volledige naam", Meta::Name),
    ("full name", Meta::Name),
    ("token", Meta::Token),
    ("functie", Meta::Role),
    ("rol", Meta::Role),
    ("role", Meta::Role),
    ("function", Meta::Role),
    ("team", Meta::Team),
    ("dienst", Meta::Team),
    ("afdeling", Meta::Team),
    ("department", Meta::Team),
    ("respondentgroep", Meta::Group),
    ("groep", Meta::Group),
    ("respondent group", Meta::Group),
];

/// Export columns that carry nothing for the scan but are expected; listed as ignored without a warning.
const KNOWN_HEADERS: &[&str] = &[
    "tijdstip van laatste wijziging",
    "last modified time",
    "lastpage",
    "last page",
    "startlanguage",
    "start language",
    "seed",
    "datestamp",
    "date last action",
    "ipaddress",
    "ip address",
    "refurl",
    "referrer url",
    "status",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "distributionchannel",
    "userlanguage",
];

/// Lowercase, trimmed, inner whitespace collapsed, trailing colon dropped.
pub fn normalise(header: &str) -> String {
    let s: Vec<&str> = header.split_whitespace().collect();
    s.join(" ").trim_end_matches(':').trim().to_lowercase()
}

/// A header as classified: what the column holds, how it was recognised, and a warning for a
/// code-like header the catalogue does not know.
pub struct Classified {
    pub column: Column,
    pub mapped: MappedColumn,
    pub warning: Option<Text>,
}

/// Classify one header in column `letter`: a choice (mapping file, remembered) first, then a code,
/// metadata, a known export column, the question's text; a close text is only proposed.
pub fn classify(
    header: &str,
    letter: &str,
    catalogue: &Catalogue,
    index: &QuestionIndex,
    choices: &Choices,
) -> Classified {
    let mut mapped = MappedColumn::new(letter.to_owned(), header);
    let done = |column, mapped, warning| Classified {
        column,
        mapped,
        warning,
    };
    let norm = normalise(header);
    let choice = choices.choice(letter, header);
    if let Some((Some(code), reason)) = &choice {
        if catalogue.scored(code).is_some() {
            mapped.code = Some(code.clone());
            mapped.confidence = 1.0;
            mapped.reason = *reason;
            return done(Column::Item(code.clone()), mapped, None);
        }
        let (c, version) = (echo(code), &catalogue.version);
        let warning = msg(
            format!(
                "de mapping wijst deze kolom toe aan {c}, maar catalogusversie {version} kent die code niet; kolom genegeerd"
            ),
            format!(
                "the mapping gives this column code {c}, which catalogue version {version} does not have; column ignored"
            ),
        );
        mapped.needs_confirmation = true;
        return done(Column::Ignored, mapped, Some(warning));
    }
    if norm.is_empty() {
        return done(Column::Ignored, mapped, None);
    }
    if let Some(code) = matching::code_in(header, catalogue) {
        mapped.recognised(&Recognition::Code(code.clone()));
        return done(Column::Item(code), mapped, None);
    }
    if let Some((_, meta)) = META_HEADERS.iter().find(|(h, _)| *h == norm) {
        mapped.reason = Reason::Metadata;
        mapped.confidence = 1.0;
        return done(Column::Meta(*meta), mapped, None);
    }
    if KNOWN_HEADERS.contains(&norm.as_str()) {
        mapped.reason = Reason::Known;
        mapped.confidence = 1.0;
        return done(Column::Known, mapped, None);
    }
    // "No item", confirmed by the user before: not proposed again.
    if let Some((None, reason)) = choice {
        mapped.reason = reason;
        mapped.confidence = 1.0;
        return done(Column::Ignored, mapped, None);
    }
    let recognition = index.recognise(header, catalogue);
    mapped.recognised(&recognition);
    if let Recognition::Text { code, .. } = recognition {
        return done(Column::Item(code), mapped, None);
    }
    let warning = code_like_tokens(header).into_iter().next().map(|t| {
        let (t, version) = (echo(&t), &catalogue.version);
        msg(
            format!("de kop lijkt op itemcode {t}, maar catalogusversie {version} kent die code niet; kolom genegeerd"),
            format!("header looks like item code {t}, which catalogue version {version} does not have; column ignored"),
        )
    });
    if warning.is_some() {
        mapped.needs_confirmation = true;
    }
    done(Column::Ignored, mapped, warning)
}

/// Tokens shaped like item codes (`C1K99`, `A10Q1`), for the warning about unknown codes.
fn code_like_tokens(header: &str) -> Vec<String> {
    header
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| is_code_shaped(t))
        .map(|t| t.to_ascii_uppercase())
        .collect()
}

fn is_code_shaped(t: &str) -> bool {
    let u = t.to_ascii_uppercase();
    let b = u.as_bytes();
    let digits_then = |start: usize| -> Option<usize> {
        let n = b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
        (n > 0).then_some(start + n)
    };
    match b.first() {
        Some(b'C') => digits_then(1)
            .filter(|&i| matches!(b.get(i), Some(b'K' | b'S' | b'A')))
            .and_then(|i| digits_then(i + 1))
            .is_some_and(|end| end == b.len()),
        Some(b'A') => digits_then(1)
            .filter(|&i| b.get(i) == Some(&b'Q'))
            .and_then(|i| digits_then(i + 1))
            .is_some_and(|end| end == b.len()),
        _ => false,
    }
}

/// What kind of item a recognised code is, for the report.
pub fn item_kind(catalogue: &Catalogue, code: &str) -> &'static str {
    match catalogue.scored(code) {
        Some(Scored::Indicator { .. }) => "indicator",
        Some(Scored::Competence { .. }) => "competence",
        Some(Scored::ChecklistItem { .. }) => "checklist",
        None => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> Catalogue {
        crate::domain::catalogue::parse(&crate::catalogue::builtin_files()).expect("catalogue")
    }

    fn classify(header: &str, c: &Catalogue) -> (Column, Option<Text>) {
        let index = QuestionIndex::new(c);
        let got = super::classify(header, "A", c, &index, &Choices::default());
        (got.column, got.warning)
    }

    #[test]
    fn recognises_item_headers_in_every_shape() {
        let c = cat();
        for (header, code) in [
            ("C1K1", "C1K1"),
            ("c1k1", "C1K1"),
            ("Ik weet wat digitale uitsluiting is [C1K1]", "C1K1"),
            ("Competenties [C1K1]", "C1K1"),
            ("Competenties [c1k1 Ik weet wat uitsluiting is]", "C1K1"),
            ("G01Q02[C1K1]", "C1K1"),
            ("Q1[A6Q3]", "A6Q3"),
            ("C1K1[SQ001]", "C1K1"),
            ("POS1. Voor welke doelgroepen", "POS1"),
            ("[uitleg] vraag [A1Q2]", "A1Q2"),
        ] {
            assert_eq!(
                classify(header, &c).0,
                Column::Item(code.into()),
                "{header}"
            );
        }
    }

    #[test]
    fn recognises_metadata_in_dutch_and_english() {
        let c = cat();
        for (header, meta) in [
            ("ID", Meta::ResponseId),
            ("Begintijd", Meta::StartTime),
            ("Tijd van voltooien", Meta::CompletionTime),
            ("Completion time", Meta::CompletionTime),
            ("E-mailadres", Meta::Email),
            ("Email address", Meta::Email),
            ("Naam", Meta::Name),
            ("Tijdstempel", Meta::CompletionTime),
            ("submitdate", Meta::CompletionTime),
            ("Response ID", Meta::ResponseId),
            ("token", Meta::Token),
            ("Functie", Meta::Role),
            ("Afdeling", Meta::Team),
            ("Respondent group", Meta::Group),
        ] {
            assert_eq!(classify(header, &c).0, Column::Meta(meta), "{header}");
        }
    }

    #[test]
    fn unknown_codes_are_ignored_with_a_warning() {
        let c = cat();
        let (col, warning) = classify("Nieuwe vraag [C1K99]", &c);
        assert_eq!(col, Column::Ignored);
        assert!(warning.is_some_and(|w| w.en.contains("C1K99") && w.nl.contains("C1K99")));
        assert_eq!(classify("Opmerkingen", &c), (Column::Ignored, None));
    }
}
