//! From a table to respondents: find the header row, recognise the columns, read every data row, and
//! collect every problem with its cell. Personal data (e-mail, name, token) is turned into a keyed
//! pseudonym here and goes no further.

use std::collections::HashMap;

use super::columns::{self, Column, Meta};
use super::mapping::{Choices, MappedColumn};
use super::pseudonym::{PseudonymKey, Pseudonymise};
use super::report::echo;
use super::table::{Cell, Table, a1, column_letters};
use super::values::{Answer, ScaleReader, read_datetime};
use super::{ColumnReport, Limits, Problem, Problems, msg};
use super::{cleaning, header, partial};
use crate::domain::catalogue::Catalogue;
use crate::domain::catalogue::matching::QuestionIndex;
pub use crate::domain::respondent::ParsedRespondent;
use crate::domain::text::Text;

/// The outcome of reading the rows.
#[derive(Debug, Default)]
pub struct ParsedRows {
    pub respondents: Vec<ParsedRespondent>,
    pub rows_read: usize,
    pub duplicates_in_file: usize,
    pub columns: ColumnReport,
    /// Every column with a header: what it was taken to be, how sure, and why.
    pub mapping: Vec<MappedColumn>,
    /// Some columns look like questions but were not taken, or whole clusters are missing.
    pub needs_confirmation: bool,
}

struct ItemColumn {
    col: usize,
    code: String,
    reader: usize,
}

/// Read the respondents of a table. Problems go to `problems`; the caller stores nothing if any is an error.
#[allow(clippy::too_many_arguments)]
pub fn parse(
    table: &Table,
    catalogue: &Catalogue,
    index: &QuestionIndex,
    choices: &Choices,
    key: &PseudonymKey,
    file_digest: &str,
    limits: &Limits,
    problems: &mut Problems,
) -> ParsedRows {
    let mut out = ParsedRows::default();
    let Some(header_row) = header::find(table, catalogue, index, problems) else {
        problems.error(Problem::at(
            table.cell_ref(0, 0),
            None,
            msg(
                "het blad is leeg: geen kopregel met itemcodes gevonden",
                "the sheet is empty: no header row with item codes found",
            ),
        ));
        return out;
    };
    // Qualtrics puts question texts and {"ImportId": …} under the codes: skip those two rows.
    let qualtrics = table.rows.get(header_row + 2).is_some_and(|r| {
        r.iter()
            .any(|c| matches!(c, Cell::Text(t) if t.trim_start().starts_with("{\"ImportId\"")))
    });
    let first_data = header_row + if qualtrics { 3 } else { 1 };

    for ((r0, c0), (r1, c1)) in &table.merged {
        if (*r0 as usize..=*r1 as usize).contains(&header_row) && c1 > c0 {
            let range = format!(
                "{}!{}:{}",
                table.sheet,
                a1(*r0 as usize, *c0 as usize),
                a1(*r1 as usize, *c1 as usize)
            );
            problems.error(Problem::at(
                range,
                None,
                msg(
                    "kopcellen zijn samengevoegd; geef elke kolom een eigen kop met haar itemcode",
                    "header cells are merged; give every column its own header with its code",
                ),
            ));
        }
    }

    let mut readers: Vec<ScaleReader> = Vec::new();
    let mut reader_of: HashMap<String, usize> = HashMap::new();
    let mut items: Vec<ItemColumn> = Vec::new();
    let mut metas: Vec<(usize, Meta)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let header = &table.rows[header_row];
    for (col, cell) in header.iter().enumerate() {
        let text = cell.display();
        let letter = column_letters(col);
        let classified = columns::classify(&text, &letter, catalogue, index, choices);
        let kind = classified.column;
        let here = table.cell_ref(header_row, col);
        if let Some(w) = classified.warning {
            problems.warning(Problem::at(here.clone(), Some(text.clone()), w));
        } else if let Some(w) = partial::column_warning(catalogue, &classified.mapped) {
            problems.warning(Problem::at(here.clone(), Some(text.clone()), w));
        }
        out.needs_confirmation |= classified.mapped.needs_confirmation;
        if !text.trim().is_empty() {
            out.mapping.push(classified.mapped);
        }
        let key_name = match &kind {
            Column::Item(code) => Some(code.clone()),
            Column::Meta(m) => Some(format!("{m:?}")),
            _ => None,
        };
        if let Some(k) = key_name {
            if let Some(first) = seen.get(&k) {
                let what = describe(&kind);
                let other = table.cell_ref(header_row, *first);
                let message = msg(
                    format!("kolom dubbel: {} staat ook in {other}", what.nl),
                    format!("duplicate column: {} is also in {other}", what.en),
                );
                problems.error(Problem::at(here.clone(), Some(text.clone()), message));
                continue;
            }
            seen.insert(k, col);
        }
        match kind {
            Column::Item(code) => {
                let scale_code = catalogue
                    .scored(&code)
                    .map(|s| s.scale().to_owned())
                    .unwrap_or_default();
                let idx = match reader_of.get(&scale_code) {
                    Some(i) => *i,
                    None => match catalogue.scale(&scale_code) {
                        Some(scale) => {
                            readers.push(ScaleReader::new(scale, catalogue));
                            reader_of.insert(scale_code.clone(), readers.len() - 1);
                            readers.len() - 1
                        }
                        None => continue,
                    },
                };
                out.columns.add_item(catalogue, &code);
                items.push(ItemColumn {
                    col,
                    code,
                    reader: idx,
                });
            }
            Column::Meta(m) => {
                out.columns.metadata.push(super::MetaColumn {
                    column: here,
                    kind: m,
                });
                metas.push((col, m));
            }
            Column::Known | Column::Ignored if !text.trim().is_empty() => {
                out.columns.ignored.push(super::IgnoredColumn {
                    column: here,
                    header: echo(&text),
                });
            }
            _ => {}
        }
    }
    if items.is_empty() {
        problems.error(Problem::at(
            table.cell_ref(header_row, 0),
            None,
            msg(
                "geen enkele kolom bevat een itemcode (zoals C1K1, A6Q3 of POS1) of de tekst van een vraag uit de catalogus; de codes en teksten staan in het sjabloon (blendscan template) en in framework/*.toml; wijs de kolommen toe met `import --dry-run --write-mapping mapping.json` en `import --mapping mapping.json`",
                "no column carries an item code (such as C1K1, A6Q3 or POS1) or the text of a catalogue question; the codes and texts are in the template (blendscan template) and in framework/*.toml; map the columns with `import --dry-run --write-mapping mapping.json` and `import --mapping mapping.json`",
            ),
        ));
        return out;
    }
    let codes: Vec<String> = items.iter().map(|i| i.code.clone()).collect();
    /// The fewest words of a header that may be a question.
    const QUESTION_WORDS: usize = 3;
    let unrecognised = out
        .mapping
        .iter()
        .filter(|m| m.code.is_none() && m.reason == super::mapping::Reason::None)
        // A free-text column ("Opmerkingen", "Comments") sits beside many questionnaires; only a
        // header of a few words could be a question that lost its column.
        .filter(|m| m.header.split_whitespace().count() >= QUESTION_WORDS)
        .count();
    for p in partial::missing_groups(catalogue, &codes, unrecognised, &table.sheet) {
        out.needs_confirmation = true;
        problems.warning(p);
    }
    // Data in columns without a header would be lost silently: say so.
    let width = table.width();
    for col in header.len()..width.max(header.len()) {
        if let Some(r) = (first_data..table.rows.len()).find(|r| !table.get(*r, col).is_empty()) {
            problems.warning(Problem::at(
                table.cell_ref(r, col),
                None,
                msg(
                    "deze kolom bevat gegevens maar heeft geen kop; genegeerd",
                    "this column has data but no header; ignored",
                ),
            ));
        }
    }
    let formulas: HashMap<(usize, usize), &str> = table
        .formulas
        .iter()
        .map(|((r, c), f)| ((*r as usize, *c as usize), f.as_str()))
        .collect();
    let meta_col = |m: Meta| metas.iter().find(|(_, k)| *k == m).map(|(c, _)| *c);
    let role_col = meta_col(Meta::Role);
    let team_col = meta_col(Meta::Team);
    let group_col = meta_col(Meta::Group);
    let default_group = catalogue.default_group().map(|g| g.code.clone());
    let date_columns = metas
        .iter()
        .filter(|(_, m)| matches!(m, Meta::StartTime | Meta::CompletionTime))
        .map(|(c, _)| *c);
    let day_first = cleaning::date_orders(table, header_row, first_data, date_columns, problems);
    let answer_columns: Vec<usize> = items.iter().map(|i| i.col).collect();
    let mut semicolons = cleaning::Semicolons::default();

    for row in first_data..table.rows.len() {
        if table.rows[row].iter().all(Cell::is_empty) {
            continue;
        }
        if row > first_data
            && cleaning::totals_row(table, row, &answer_columns, &formulas, problems)
        {
            continue;
        }
        out.rows_read += 1;
        for ((r, c), f) in formulas.iter().filter(|((r, _), _)| *r == row) {
            let relevant = items.iter().any(|i| i.col == *c) || metas.iter().any(|(mc, _)| mc == c);
            if relevant {
                problems.error(Problem::at(
                    table.cell_ref(*r, *c),
                    Some(format!("={}", f.trim_start_matches('='))),
                    msg(
                        "de cel bevat een formule; antwoorden moeten waarden zijn (kopieer en plak als waarden)",
                        "the cell holds a formula; answers must be values (copy and paste as values)",
                    ),
                ));
            }
        }
        let mut identity: Vec<(Meta, String)> = Vec::new();
        let mut submitted_at = None;
        let mut started_at = None;
        // A metadata value over the limit is an error and is used nowhere: not for the pseudonym, not as
        // a team, role or group, not in another message.
        let too_long = |col: usize| match table.get(row, col) {
            Cell::Text(t) => limits.meta_too_long(t),
            _ => false,
        };
        for (col, m) in &metas {
            let cell = table.get(row, *col);
            if too_long(*col) {
                let max = limits.max_meta_chars;
                problems.error(Problem::at(
                    table.cell_ref(row, *col),
                    (!m.is_personal()).then(|| cell.display()),
                    msg(
                        format!(
                            "te lang voor de kolom {}: meer dan {max} tekens",
                            meta_nl(*m)
                        ),
                        format!("too long for the {m:?} column: more than {max} characters"),
                    ),
                ));
                continue;
            }
            match m {
                Meta::StartTime | Meta::CompletionTime => {
                    match read_datetime(cell, day_first.get(col).copied().unwrap_or(true)) {
                        Ok(d) if *m == Meta::StartTime => started_at = d,
                        Ok(d) => submitted_at = d,
                        Err(e) => problems.error(Problem::at(
                            table.cell_ref(row, *col),
                            Some(cell.display()),
                            e,
                        )),
                    }
                }
                Meta::Email | Meta::Name | Meta::Token | Meta::ResponseId if !cell.is_empty() => {
                    identity.push((*m, cell.display()));
                }
                _ => {}
            }
        }
        let mut meta_text = |col: Option<usize>| {
            col.filter(|c| !too_long(*c))
                .and_then(|c| semicolons.clean(table, row, c, problems))
                .and_then(|cell| text_of(&cell))
        };
        let (role, team, group) = (
            meta_text(role_col),
            meta_text(team_col),
            meta_text(group_col),
        );
        let role = role.and_then(|raw| match match_role(catalogue, &raw) {
            Some(code) => Some(code),
            None => {
                problems.warning(Problem::at(
                    table.cell_ref(row, c_or(role_col)),
                    Some(raw),
                    msg(
                        "onbekende functie; bewaard als onbekend (voeg ze toe aan de aliassen van een functieprofiel om ze te herkennen)",
                        "unknown role; kept as unknown (add it to a role profile's aliases to match it)",
                    ),
                ));
                None
            }
        });
        let group = match group {
            None => default_group.clone(),
            Some(raw) => match match_group(catalogue, &raw) {
                Some(code) => Some(code),
                None => {
                    problems.warning(Problem::at(
                        table.cell_ref(row, c_or(group_col)),
                        Some(raw),
                        msg(
                            "onbekende respondentgroep; bewaard als onbekend (management, medewerkers, cliëntvertegenwoordigers, partners)",
                            "unknown respondent group; kept as unknown (management, staff, client representative, partner)",
                        ),
                    ));
                    None
                }
            },
        };
        let mut answers = Vec::with_capacity(items.len());
        for item in &items {
            let Some(cell) = semicolons.clean(table, row, item.col, problems) else {
                continue;
            };
            match readers[item.reader].read(&cell) {
                Ok(Answer::Value(v)) => answers.push((item.code.clone(), Some(v), None)),
                Ok(Answer::Missing(Some(code))) => {
                    answers.push((item.code.clone(), None, Some(code)))
                }
                Ok(Answer::Missing(None)) => {}
                Err(reason) => problems.error(Problem::at(
                    table.cell_ref(row, item.col),
                    Some(cell.display()),
                    reason,
                )),
            }
        }
        let anonymous = format!("{file_digest}:{}:{row}", table.sheet);
        let pseudonym = key.pseudonym(&identity, started_at, submitted_at, &anonymous);
        out.respondents.push(ParsedRespondent {
            row,
            pseudonym,
            submitted_at: submitted_at.or(started_at),
            role,
            team,
            group,
            anonymous: super::pseudonym::nobody(&identity),
            answers,
        });
    }
    out.duplicates_in_file = keep_latest(&mut out.respondents);
    out
}

fn c_or(c: Option<usize>) -> usize {
    c.unwrap_or(0)
}

/// What a column is, for the duplicate-column message.
fn describe(kind: &Column) -> Text {
    match kind {
        Column::Item(code) => msg(format!("item {code}"), format!("item {code}")),
        Column::Meta(m) => msg(format!("de kolom {}", meta_nl(*m)), format!("{m:?}")),
        _ => msg("kolom", "column"),
    }
}

/// The Dutch name of a metadata column.
fn meta_nl(m: Meta) -> &'static str {
    match m {
        Meta::ResponseId => "antwoord-ID",
        Meta::StartTime => "begintijd",
        Meta::CompletionTime => "tijd van voltooien",
        Meta::Email => "e-mail",
        Meta::Name => "naam",
        Meta::Token => "token",
        Meta::Role => "functie",
        Meta::Team => "team",
        Meta::Group => "respondentgroep",
    }
}

fn text_of(cell: &Cell) -> Option<String> {
    let s = cell.display();
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn norm(s: &str) -> String {
    columns::normalise(s)
}

/// A role profile whose code, name (nl/en) or alias matches, case and spacing ignored.
pub fn match_role(catalogue: &Catalogue, raw: &str) -> Option<String> {
    let n = norm(raw);
    catalogue
        .role_profiles
        .iter()
        .find(|r| {
            norm(&r.code) == n
                || norm(&r.name.nl) == n
                || norm(&r.name.en) == n
                || r.aliases.iter().any(|a| norm(a) == n)
        })
        .map(|r| r.code.clone())
}

/// A respondent group whose code, name or alias matches.
pub fn match_group(catalogue: &Catalogue, raw: &str) -> Option<String> {
    let n = norm(raw);
    catalogue
        .respondent_groups
        .iter()
        .find(|g| {
            norm(&g.code) == n
                || norm(&g.code.replace('_', " ")) == n
                || norm(&g.name.nl) == n
                || norm(&g.name.en) == n
                || g.aliases.iter().any(|a| norm(a) == n)
        })
        .map(|g| g.code.clone())
}

/// When one person answered twice, keep the latest submission (the later row when times are equal or
/// unknown). Returns how many rows were replaced.
fn keep_latest(respondents: &mut Vec<ParsedRespondent>) -> usize {
    let mut best: HashMap<String, usize> = HashMap::new();
    for (i, r) in respondents.iter().enumerate() {
        match best.get(&r.pseudonym) {
            Some(&j) if respondents[j].submitted_at > r.submitted_at => {}
            _ => {
                best.insert(r.pseudonym.clone(), i);
            }
        }
    }
    let before = respondents.len();
    let mut i = 0;
    respondents.retain(|r| {
        let keep = best.get(&r.pseudonym) == Some(&i);
        i += 1;
        keep
    });
    before - respondents.len()
}
