//! What people leave in their sheets besides answers, recognised per cell, per column and per row:
//! Microsoft Forms' trailing `;` of a multi-select question, the order of day and month in a date
//! column, and totals or averages rows below the data.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::header::totals_label;
use super::table::{Cell, Table};
use super::values::date_order;
use super::{Problem, Problems, msg};

/// Cells of one sheet after their trailing `;` is stripped, warning once per column.
#[derive(Default)]
pub struct Semicolons {
    warned: HashSet<usize>,
}

impl Semicolons {
    /// The cell to read: as it is, or without one trailing `;` (warned once per column); `None`
    /// when it holds several answers (`a;b`), reported as an error.
    pub fn clean<'t>(
        &mut self,
        table: &'t Table,
        row: usize,
        col: usize,
        problems: &mut Problems,
    ) -> Option<Cow<'t, Cell>> {
        let cell = table.get(row, col);
        let Cell::Text(t) = cell else {
            return Some(Cow::Borrowed(cell));
        };
        if !t.contains(';') {
            return Some(Cow::Borrowed(cell));
        }
        let trimmed = t.trim();
        let one = trimmed.strip_suffix(';').unwrap_or(trimmed).trim_end();
        if one.contains(';') || !trimmed.ends_with(';') {
            problems.error(Problem::at(
                table.cell_ref(row, col),
                Some(t.to_string()),
                msg(
                    "meerdere antwoorden, gescheiden door ';' (een meerkeuzevraag?); geef per vraag één antwoord",
                    "several answers separated by ';' (a multiple-choice question?); give one answer per question",
                ),
            ));
            return None;
        }
        if self.warned.insert(col) {
            problems.warning(Problem::at(
                table.cell_ref(row, col),
                Some(t.to_string()),
                msg(
                    "de ';' achteraan (zoals Microsoft Forms die bij meerkeuzevragen schrijft) is weggelaten, hier en in de rest van deze kolom",
                    "the trailing ';' (as Microsoft Forms writes it for multiple-choice questions) was dropped, here and in the rest of this column",
                ),
            ));
        }
        Some(Cow::Owned(Cell::Text(one.into())))
    }
}

/// For each date column: read day first (`true`) or month first. A column where some first field is
/// above 12 is day first; where some second field is, month first; otherwise day first, as Belgian
/// and Dutch dates are written, with a warning.
pub fn date_orders(
    table: &Table,
    header_row: usize,
    first_data: usize,
    columns: impl Iterator<Item = usize>,
    problems: &mut Problems,
) -> HashMap<usize, bool> {
    let mut out = HashMap::new();
    for col in columns {
        let cells = (first_data..table.rows.len()).map(|r| table.get(r, col));
        let (order, slashed) = date_order(cells);
        if order.is_none() && slashed {
            problems.warning(Problem::at(
                table.cell_ref(header_row, col),
                Some(table.get(header_row, col).display()),
                msg(
                    "geen enkele datum in deze kolom heeft een dag boven 12, dus dag en maand zijn niet te onderscheiden; gelezen als dag/maand/jaar (1/12/2026 = 1 december 2026). Klopt dat niet, schrijf de datums dan als 2026-12-01 09:15",
                    "no date in this column has a day above 12, so day and month cannot be told apart; read as day/month/year (1/12/2026 = 1 December 2026). If that is wrong, write the dates as 2026-12-01 09:15",
                ),
            ));
        }
        out.insert(col, order.unwrap_or(true));
    }
    out
}

/// Whether a row below the first respondent is a totals or averages row (by its label, or because
/// every filled answer cell holds a formula); named as an error, the row is not read.
pub fn totals_row(
    table: &Table,
    row: usize,
    answer_columns: &[usize],
    formulas: &HashMap<(usize, usize), &str>,
    problems: &mut Problems,
) -> bool {
    let n = row + 1;
    if let Some(label) = totals_label(&table.rows[row]) {
        let col = table.rows[row]
            .iter()
            .position(|c| !c.is_empty())
            .unwrap_or(0);
        problems.error(Problem::at(
            table.cell_ref(row, col),
            Some(label),
            msg(
                format!("rij {n} is een rij met totalen of gemiddelden, geen respondent; verwijder deze totaalrij"),
                format!("row {n} is a totals or averages row, not a respondent; delete this totals row"),
            ),
        ));
        return true;
    }
    let filled: Vec<usize> = answer_columns
        .iter()
        .copied()
        .filter(|c| !table.get(row, *c).is_empty() || formulas.contains_key(&(row, *c)))
        .collect();
    if filled.len() >= 2 && filled.iter().all(|c| formulas.contains_key(&(row, *c))) {
        let first = filled[0];
        problems.error(Problem::at(
            table.cell_ref(row, first),
            formulas
                .get(&(row, first))
                .map(|f| format!("={}", f.trim_start_matches('='))),
            msg(
                format!("rij {n} bevat enkel formules (zoals totalen of gemiddelden), geen antwoorden; verwijder deze totaalrij"),
                format!("row {n} holds only formulas (such as totals or averages), no answers; delete this totals row"),
            ),
        ));
        return true;
    }
    false
}
