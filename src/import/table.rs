//! The sheet as the importer sees it, whatever tool wrote it: rows of cells with their absolute
//! positions, plus the formula cells and merged regions the readers found.

use std::sync::Arc;

use chrono::NaiveDateTime;

/// One cell's value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    /// Shared: a text many cells point to (an .xlsx shared string) is held once.
    Text(Arc<str>),
    Number(f64),
    Bool(bool),
    Date(NaiveDateTime),
    /// A spreadsheet error value such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The bytes of text the cell holds, for the text budget.
    pub fn text_bytes(&self) -> usize {
        match self {
            Cell::Text(s) => s.len(),
            Cell::Error(e) => e.len(),
            _ => 0,
        }
    }

    /// The value as a person would read it in the cell, for messages.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Cell::Date(d) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A sheet read into memory. `rows[r][c]` is the cell at zero-based row `r`, column `c`.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The sheet name, or the file name for CSV/TSV.
    pub sheet: String,
    pub rows: Vec<Vec<Cell>>,
    /// Cells that hold a formula, with its text.
    pub formulas: Vec<((u32, u32), String)>,
    /// Merged regions as ((first row, first col), (last row, last col)).
    pub merged: Vec<((u32, u32), (u32, u32))>,
    /// Read from an .xls file, which holds at most 256 columns.
    pub xls: bool,
}

impl Table {
    pub fn get(&self, row: usize, col: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    /// Put a value at an absolute position, growing the grid.
    pub fn set(&mut self, row: usize, col: usize, value: Cell) {
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize(col + 1, Cell::Empty);
        }
        r[col] = value;
    }

    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// `Blad1!F17` for zero-based (16, 5).
    pub fn cell_ref(&self, row: usize, col: usize) -> String {
        format!("{}!{}", self.sheet, a1(row, col))
    }
}

/// A1-style reference for a zero-based position: (0, 0) → `A1`, (16, 5) → `F17`, (0, 26) → `AA1`.
pub fn a1(row: usize, col: usize) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// Column letters for a zero-based column index.
pub fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(16, 5), "F17");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
    }
}
