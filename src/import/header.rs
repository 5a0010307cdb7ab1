//! Finding the data on a sheet: the header row is the first of the first ten rows that carries a
//! catalogue code or a recognised question; title rows above it are reported as skipped.

use super::table::{Cell, Table};
use super::{Problem, Problems, msg};
use crate::domain::catalogue::Catalogue;
use crate::domain::catalogue::matching::QuestionIndex;

/// How many rows from the top the header row may lie.
pub const SEARCHED_ROWS: usize = 10;

/// How many columns of a row carry a code or a recognised question.
pub fn questions_in_row(row: &[Cell], catalogue: &Catalogue, index: &QuestionIndex) -> usize {
    row.iter()
        .filter(|c| matches!(c, Cell::Text(t) if index.exact(t, catalogue).is_some()))
        .count()
}

/// The header row: the first of the first [`SEARCHED_ROWS`] with a recognised question, else the
/// first row that is not empty. `None` for an empty sheet.
pub fn find(
    table: &Table,
    catalogue: &Catalogue,
    index: &QuestionIndex,
    problems: &mut Problems,
) -> Option<usize> {
    let first = table
        .rows
        .iter()
        .position(|r| r.iter().any(|c| !c.is_empty()))?;
    let found = (first..table.rows.len().min(SEARCHED_ROWS))
        .find(|&r| questions_in_row(&table.rows[r], catalogue, index) > 0)
        .unwrap_or(first);
    for skipped in first..found {
        let Some(col) = table.rows[skipped].iter().position(|c| !c.is_empty()) else {
            continue;
        };
        let (row, header) = (skipped + 1, found + 1);
        problems.warning(Problem::at(
            table.cell_ref(skipped, col),
            Some(table.get(skipped, col).display()),
            msg(
                format!("rij {row} overgeslagen: een titel boven de kopregel (de kopregel is rij {header})"),
                format!("row {row} skipped: a title above the header row (the header row is row {header})"),
            ),
        ));
    }
    Some(found)
}

/// Whether a row below the data is a totals or averages row, by the label in its first filled cell.
pub fn totals_label(row: &[Cell]) -> Option<String> {
    const LABELS: &[&str] = &[
        "gemiddelde",
        "gemiddeld",
        "totaal",
        "totalen",
        "som",
        "average",
        "averages",
        "mean",
        "total",
        "totals",
        "sum",
        "aantal",
        "count",
        "mediaan",
        "median",
    ];
    let first = row.iter().find(|c| !c.is_empty())?;
    let Cell::Text(t) = first else { return None };
    let word = crate::domain::catalogue::matching::normalise(t);
    let head = word.split(' ').next().unwrap_or("");
    LABELS.contains(&head).then(|| t.trim().to_owned())
}
