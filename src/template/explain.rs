//! The explanation sheet of the questionnaire: how to fill it in, every answer scale with its levels,
//! the catalogue version, the role it is tailored to, and how names are handled.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::{TemplateOptions, Variant, metadata_headers, pick};
use crate::domain::catalogue::{Catalogue, RoleProfile};

/// One row of the explanation sheet.
enum Line {
    Title(String),
    Heading(String),
    Text(String),
    /// Column captions above a scale's levels.
    Columns,
    /// A scale level (or a missing label when the value is `None`): value, label, description.
    Level(Option<u8>, String, String),
    Blank,
}

/// Write the explanation for a questionnaire with `question_count` questions.
pub(super) fn write(
    sheet: &mut Worksheet,
    catalogue: &Catalogue,
    options: &TemplateOptions,
    role: Option<&RoleProfile>,
    question_count: usize,
) -> Result<(), XlsxError> {
    let lines = lines(catalogue, options, role, question_count);
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let italic = Format::new().set_italic();
    let wrap = Format::new().set_text_wrap();
    let lang = options.lang;
    for (row, line) in (0..).zip(&lines) {
        match line {
            Line::Title(text) => {
                sheet.write_string_with_format(row, 0, text, &title)?;
            }
            Line::Heading(text) => {
                sheet.write_string_with_format(row, 0, text, &bold)?;
            }
            Line::Text(text) => {
                sheet.write_string(row, 0, text)?;
            }
            Line::Columns => {
                let captions = [
                    pick(lang, "Waarde", "Value"),
                    pick(lang, "Antwoord", "Answer"),
                    pick(lang, "Omschrijving", "Description"),
                ];
                for (col, caption) in (0..).zip(captions) {
                    sheet.write_string_with_format(row, col, caption, &italic)?;
                }
            }
            Line::Level(value, label, description) => {
                match value {
                    Some(v) => sheet.write_number(row, 0, f64::from(*v))?,
                    None => sheet.write_string(row, 0, "–")?,
                };
                sheet.write_string(row, 1, label)?;
                sheet.write_string_with_format(row, 2, description, &wrap)?;
            }
            Line::Blank => {}
        }
    }
    sheet.set_column_width(0, 10)?;
    sheet.set_column_width(1, 26)?;
    sheet.set_column_width(2, 90)?;
    Ok(())
}

/// The content of the sheet, in the questionnaire's language.
fn lines(
    catalogue: &Catalogue,
    options: &TemplateOptions,
    role: Option<&RoleProfile>,
    question_count: usize,
) -> Vec<Line> {
    let lang = options.lang;
    let nl = lang == crate::domain::text::Lang::Nl;
    let text = |nl_text: String, en_text: String| Line::Text(if nl { nl_text } else { en_text });
    let questionnaire = pick(lang, "Vragenlijst", "Questionnaire");
    let headers = metadata_headers(lang);
    let missing: Vec<String> = catalogue
        .missing
        .iter()
        .map(|m| format!("‘{}’", m.label.get(lang)))
        .collect();
    let missing = missing.join(pick(lang, " of ", " or "));

    let mut out = vec![
        Line::Title(format!(
            "{} — {}",
            catalogue.title.get(lang),
            pick(lang, "vragenlijst", "questionnaire")
        )),
        text(
            format!("Catalogusversie: {}", catalogue.version),
            format!("Catalogue version: {}", catalogue.version),
        ),
        match options.variant {
            Variant::Full => text(
                format!("Volledige vragenlijst: {question_count} vragen."),
                format!("Full questionnaire: {question_count} questions."),
            ),
            Variant::Short => text(
                format!(
                    "Korte vragenlijst: alle indicatoren en checklistvragen, en per competentiecluster \
                     alleen de kernitems ({question_count} vragen)."
                ),
                format!(
                    "Short questionnaire: every indicator and checklist question, and only the core \
                     items of each competence cluster ({question_count} questions)."
                ),
            ),
        },
    ];
    if let Some(role) = role {
        let name = role.name.get(lang);
        out.push(text(
            format!(
                "Let op: deze vragenlijst is afgestemd op de functie {name}: alleen de \
                 competentieclusters waarin van deze functie minstens niveau {} verwacht wordt.",
                super::ROLE_MIN_LEVEL
            ),
            format!(
                "Note: this questionnaire is tailored to the role {name}: only the competence clusters \
                 where this role is expected to reach at least level {}.",
                super::ROLE_MIN_LEVEL
            ),
        ));
    }
    out.push(Line::Blank);
    out.push(Line::Heading(
        pick(
            lang,
            "Zo vult u de vragenlijst in",
            "How to fill in the questionnaire",
        )
        .to_owned(),
    ));
    out.extend([
        text(
            format!("• Vul op het blad ‘{questionnaire}’ één rij in per respondent."),
            format!("• On the sheet ‘{questionnaire}’, fill in one row per respondent."),
        ),
        text(
            format!(
                "• {}, {} en {} vult u vrij in; kies {} en {} uit de keuzelijst.",
                headers[0], headers[1], headers[3], headers[2], headers[4]
            ),
            format!(
                "• {}, {} and {} are free text; choose {} and {} from the drop-down list.",
                headers[0], headers[1], headers[3], headers[2], headers[4]
            ),
        ),
        text(
            "• Kies bij elke vraag een antwoord uit de keuzelijst (klik op de cel en dan op het pijltje)."
                .to_owned(),
            "• For every question, choose an answer from the drop-down list (click the cell, then the arrow)."
                .to_owned(),
        ),
        text(
            format!(
                "• Twijfelt u? Laat de cel leeg of kies {missing}. Dat telt als een ontbrekend antwoord, \
                 nooit als nul."
            ),
            format!(
                "• Not sure? Leave the cell empty or choose {missing}. That counts as a missing answer, \
                 never as zero."
            ),
        ),
        text(
            "• Wijzig de kolomkoppen niet: de code tussen haakjes koppelt elke kolom aan de catalogus."
                .to_owned(),
            "• Do not change the column headers: the code in brackets links each column to the catalogue."
                .to_owned(),
        ),
        Line::Blank,
        Line::Heading(pick(lang, "Antwoordschalen", "Answer scales").to_owned()),
    ]);
    for scale in &catalogue.scales {
        out.push(Line::Heading(format!(
            "{} ({}–{})",
            scale.name.get(lang),
            scale.min,
            scale.max
        )));
        out.push(Line::Columns);
        out.extend(scale.levels.iter().map(|l| {
            Line::Level(
                Some(l.value),
                l.label.get(lang).to_owned(),
                l.description.get(lang).to_owned(),
            )
        }));
        out.push(Line::Blank);
    }
    out.push(Line::Heading(
        pick(lang, "Geen antwoord", "No answer").to_owned(),
    ));
    out.extend(catalogue.missing.iter().map(|m| {
        Line::Level(
            None,
            m.label.get(lang).to_owned(),
            pick(
                lang,
                "Telt als ontbrekend antwoord, nooit als nul.",
                "Counts as a missing answer, never as zero.",
            )
            .to_owned(),
        )
    }));
    out.extend([
        Line::Blank,
        Line::Heading("Privacy".to_owned()),
        text(
            "Namen en e-mailadressen worden bij het inlezen vervangen door een pseudoniem en nooit \
             bewaard."
                .to_owned(),
            "Names and email addresses are replaced by a pseudonym on import and are never stored."
                .to_owned(),
        ),
    ]);
    out
}
