//! Which sheet holds the answers: the one named with `--sheet`, else the only sheet whose header row
//! carries questions; when several do, every sheet is listed with its count and `--sheet` is named.

use super::header;
use super::read::{self, Format};
use super::report::echo;
use super::table::Table;
use super::{ImportError, Limits, Problems, msg};
use crate::domain::catalogue::Catalogue;
use crate::domain::catalogue::matching::QuestionIndex;

/// Read the sheet to import.
pub fn read_chosen(
    file_name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
    catalogue: &Catalogue,
    index: &QuestionIndex,
) -> Result<Table, ImportError> {
    if sheet.is_some() || read::detect(file_name, bytes)? == Format::Csv {
        return read::read_table(file_name, bytes, sheet, limits);
    }
    let names = read::sheet_names(file_name, bytes, limits)?;
    if names.len() <= 1 {
        return read::read_table(file_name, bytes, None, limits);
    }
    let mut counted = Vec::with_capacity(names.len());
    for name in &names {
        let table = read::read_table(file_name, bytes, Some(name), limits)?;
        let mut scratch = Problems::new(0);
        let questions = header::find(&table, catalogue, index, &mut scratch).map_or(0, |r| {
            header::questions_in_row(&table.rows[r], catalogue, index)
        });
        counted.push((questions, table));
    }
    let with_questions = counted.iter().filter(|(n, _)| *n > 0).count();
    if with_questions > 1 {
        let list = |word: &str| {
            names
                .iter()
                .zip(&counted)
                .map(|(name, (n, _))| format!("{} ({n} {word})", echo(name)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(ImportError::file(
            file_name,
            msg(
                format!(
                    "meer dan één blad bevat vragen: {}; kies het blad met --sheet NAAM (of op de webpagina), of zet alle antwoorden op één blad",
                    list("vragen")
                ),
                format!(
                    "more than one sheet carries questions: {}; choose the sheet with --sheet NAME (or on the web page), or put all answers on one sheet",
                    list("questions")
                ),
            ),
        ));
    }
    let pick = counted.iter().position(|(n, _)| *n > 0).unwrap_or(0);
    Ok(counted.swap_remove(pick).1)
}
