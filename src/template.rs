//! The questionnaire template: a ready `.xlsx` that staff fill in, one row per respondent, and that the
//! import reads back.
//!
//! The first sheet holds the metadata columns ([`metadata_headers`]) and one column per question, headed
//! `statement [CODE]`, each with a drop-down of the scale levels (`"3 - Zelfstandig"`) and the catalogue's
//! missing labels. A list that does not fit Excel's inline limit (255 characters, no commas) is written to
//! a hidden lists sheet and referenced from there. The second sheet explains how to fill it in, every
//! scale, the catalogue version and how names are pseudonymised. The output is deterministic: the same
//! catalogue and options give the same bytes.

use std::str::FromStr;

use rust_xlsxwriter::{
    ColNum, Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet, XlsxError,
};

use crate::domain::catalogue::{Catalogue, Poles, RoleProfile, Scale};
use crate::domain::text::{Lang, Text};

mod explain;
mod lists;

use lists::Lists;

/// Input rows below the header row (rows 2..=501).
pub const INPUT_ROWS: u32 = 500;

/// A role's competence clusters are asked when the role expects at least this proficiency there.
pub const ROLE_MIN_LEVEL: u8 = 2;

/// The metadata columns, Dutch and English; the import recognises exactly these headers.
const METADATA: [(&str, &str); 5] = [
    ("Naam", "Name"),
    ("E-mail", "Email"),
    ("Functie", "Role"),
    ("Team", "Team"),
    ("Respondentgroep", "Respondent group"),
];
const ROLE_COLUMN: ColNum = 2;
const GROUP_COLUMN: ColNum = 4;

/// The metadata column headers in one language, in sheet order (name, e-mail, role, team, group).
pub fn metadata_headers(lang: Lang) -> [&'static str; 5] {
    METADATA.map(|(nl, en)| pick(lang, nl, en))
}

/// How much of the competence framework the questionnaire asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Variant {
    /// Every competence item.
    #[default]
    Full,
    /// Only the core competence items (about three per cluster).
    Short,
}

impl FromStr for Variant {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" | "volledig" => Ok(Variant::Full),
            "short" | "kort" => Ok(Variant::Short),
            other => Err(format!("unknown variant `{other}`: use full or short")),
        }
    }
}

/// What to put in the questionnaire.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    pub lang: Lang,
    pub variant: Variant,
    /// A role profile code: only the competence clusters where it expects at least [`ROLE_MIN_LEVEL`].
    pub role: Option<String>,
}

/// Why no questionnaire could be written.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown role `{code}`: use one of {valid}")]
    UnknownRole { code: String, valid: String },
    #[error("the catalogue has no scale `{0}`")]
    MissingScale(String),
    #[error("cannot build the spreadsheet: {0}")]
    Xlsx(#[from] XlsxError),
}

/// The part of the catalogue a question comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    Indicator,
    Competence,
    Checklist,
}

/// One answer column of the questionnaire.
#[derive(Debug, Clone)]
pub struct Question<'a> {
    pub code: &'a str,
    pub kind: QuestionKind,
    pub text: &'a Text,
    pub scale: &'a Scale,
    pub poles: Option<&'a Poles>,
}

impl Question<'_> {
    /// The column header: the statement followed by the code in brackets.
    pub fn header(&self, lang: Lang) -> String {
        format!("{} [{}]", self.text.get(lang), self.code)
    }
}

/// The role profile with this code (case-insensitive), or an error listing the valid codes.
pub fn find_role<'a>(
    catalogue: &'a Catalogue,
    code: &str,
) -> Result<&'a RoleProfile, TemplateError> {
    let wanted = code.trim();
    catalogue
        .role_profiles
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| TemplateError::UnknownRole {
            code: wanted.to_owned(),
            valid: catalogue
                .role_profiles
                .iter()
                .map(|r| r.code.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The questions the options select, in sheet order: indicators, competence items, checklist items.
pub fn questions<'a>(
    catalogue: &'a Catalogue,
    options: &TemplateOptions,
) -> Result<Vec<Question<'a>>, TemplateError> {
    let role = options
        .role
        .as_deref()
        .map(|code| find_role(catalogue, code))
        .transpose()?;
    let scale = |code: &str| {
        catalogue
            .scale(code)
            .ok_or_else(|| TemplateError::MissingScale(code.to_owned()))
    };
    let mut out = Vec::new();
    let maturity = scale("maturity")?;
    for indicator in catalogue.aspects.iter().flat_map(|a| &a.indicators) {
        out.push(Question {
            code: &indicator.code,
            kind: QuestionKind::Indicator,
            text: &indicator.text,
            scale: maturity,
            poles: None,
        });
    }
    let proficiency = scale("proficiency")?;
    let asked_cluster = |code: &str| {
        role.is_none_or(|r| r.expected.get(code).is_some_and(|&l| l >= ROLE_MIN_LEVEL))
    };
    for cluster in catalogue.clusters.iter().filter(|c| asked_cluster(&c.code)) {
        for item in &cluster.items {
            if options.variant == Variant::Short && !item.core {
                continue;
            }
            out.push(Question {
                code: &item.code,
                kind: QuestionKind::Competence,
                text: &item.text,
                scale: proficiency,
                poles: None,
            });
        }
    }
    for checklist in &catalogue.checklists {
        let checklist_scale = scale(&checklist.scale)?;
        for item in &checklist.items {
            out.push(Question {
                code: &item.code,
                kind: QuestionKind::Checklist,
                text: &item.text,
                scale: checklist_scale,
                poles: item.poles.as_ref(),
            });
        }
    }
    Ok(out)
}

/// The questionnaire as `.xlsx` bytes.
pub fn questionnaire(
    catalogue: &Catalogue,
    options: &TemplateOptions,
) -> Result<Vec<u8>, TemplateError> {
    let lang = options.lang;
    let questions = questions(catalogue, options)?;
    let role = options
        .role
        .as_deref()
        .map(|code| find_role(catalogue, code))
        .transpose()?;

    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} — {}",
                catalogue.title.get(lang),
                pick(lang, "vragenlijst", "questionnaire")
            ))
            .set_author("blendscan")
            .set_comment(format!("catalogue {}", catalogue.version))
            .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?),
    );
    let mut lists = Lists::new(pick(lang, "Lijsten", "Lists"))?;
    let mut sheet = Worksheet::new();
    sheet.set_name(pick(lang, "Vragenlijst", "Questionnaire"))?;
    write_questions(&mut sheet, &mut lists, catalogue, &questions, lang)?;
    workbook.push_worksheet(sheet);

    let mut explanation = Worksheet::new();
    explanation.set_name(pick(lang, "Uitleg", "Explanation"))?;
    explain::write(&mut explanation, catalogue, options, role, questions.len())?;
    workbook.push_worksheet(explanation);

    if !lists.columns.is_empty() {
        lists.sheet.set_hidden(true);
        workbook.push_worksheet(lists.sheet);
    }
    Ok(workbook.save_to_buffer()?)
}

/// The header row, the column formats and a drop-down on every column that has a list.
fn write_questions(
    sheet: &mut Worksheet,
    lists: &mut Lists,
    catalogue: &Catalogue,
    questions: &[Question<'_>],
    lang: Lang,
) -> Result<(), TemplateError> {
    let header = |rgb: u32| {
        Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_background_color(Color::RGB(rgb))
    };
    let metadata_format = header(0xD9D9D9);
    for (col, text) in (0..).zip(metadata_headers(lang)) {
        sheet.write_string_with_format(0, col, text, &metadata_format)?;
        sheet.set_column_width(col, if col == 1 { 28 } else { 20 })?;
    }
    // Title, and a message when a typed value is not in the list.
    let finish = |dv: DataValidation, title: &str| -> Result<DataValidation, XlsxError> {
        dv.set_input_title(clip(title, 32))?
            .set_error_title(pick(lang, "Ongeldig antwoord", "Invalid answer"))?
            .set_error_message(pick(
                lang,
                "Kies een antwoord uit de keuzelijst, of laat de cel leeg.",
                "Choose an answer from the drop-down list, or leave the cell empty.",
            ))
    };
    let names = |texts: Vec<&Text>| -> Vec<String> {
        texts.into_iter().map(|t| t.get(lang).to_owned()).collect()
    };
    let roles = names(catalogue.role_profiles.iter().map(|r| &r.name).collect());
    let groups = names(
        catalogue
            .respondent_groups
            .iter()
            .map(|g| &g.name)
            .collect(),
    );
    for (col, options) in [(ROLE_COLUMN, roles), (GROUP_COLUMN, groups)] {
        if let Some(dv) = lists.list(&options)? {
            let dv = finish(dv, metadata_headers(lang)[usize::from(col)])?;
            sheet.add_data_validation(1, col, INPUT_ROWS, col, &dv)?;
        }
    }

    let (aspect_format, competence_format, checklist_format) =
        (header(0xDDEBF7), header(0xE2EFDA), header(0xFCE4D6));
    let missing: Vec<&str> = catalogue
        .missing
        .iter()
        .map(|m| m.label.get(lang))
        .collect();
    let first = ColNum::try_from(METADATA.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    for (offset, q) in questions.iter().enumerate() {
        let col = ColNum::try_from(offset)
            .ok()
            .and_then(|o| o.checked_add(first))
            .ok_or(XlsxError::RowColumnLimitError)?;
        let format = match q.kind {
            QuestionKind::Indicator => &aspect_format,
            QuestionKind::Competence => &competence_format,
            QuestionKind::Checklist => &checklist_format,
        };
        sheet.write_string_with_format(0, col, q.header(lang), format)?;
        sheet.set_column_width(col, 40)?;
        let options: Vec<String> = q
            .scale
            .levels
            .iter()
            .map(|l| format!("{} - {}", l.value, l.label.get(lang)))
            .chain(missing.iter().map(|m| (*m).to_owned()))
            .collect();
        if let Some(dv) = lists.list(&options)? {
            let dv = finish(dv, q.code)?.set_input_message(clip(&prompt(q, lang), 255))?;
            sheet.add_data_validation(1, col, INPUT_ROWS, col, &dv)?;
        }
    }
    sheet.set_row_height(0, 105)?;
    sheet.set_freeze_panes(1, first)?;
    Ok(())
}

/// The input message of a question: the scale, its range and, for a position, the two poles.
fn prompt(q: &Question<'_>, lang: Lang) -> String {
    let scale = q.scale;
    let mut text = format!("{} ({}–{})", scale.name.get(lang), scale.min, scale.max);
    if let Some(poles) = q.poles {
        let (left, right) = (poles.left.get(lang), poles.right.get(lang));
        text.push_str(&format!(
            "\n{} = {left}\n{} = {right}",
            scale.min, scale.max
        ));
    }
    text
}

/// `text` cut to at most `max` UTF-16 units, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + c.len_utf16() + 1 > max {
            break;
        }
        used += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}

/// The Dutch or English variant of a fixed text.
fn pick(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}
