//! Whether a file of anonymous answers is a corrected copy of one already in the scan.
//!
//! An anonymous row has no identity of its own: its pseudonym is the file's and row's, so importing a
//! corrected copy of a file would count every person twice. Before that happens the import stops and
//! asks whether the new file replaces the earlier one. "Resembles" means: the same questions (columns)
//! and most rows equal. A row is compared by what it says — role, respondent group and every answer,
//! whatever the order of the columns — never by a personal field.

use std::collections::{BTreeSet, HashMap};

/// What the user said about an earlier import the file may replace (`import --replaces ID|none`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Replaces {
    /// Nothing said: a file that resembles an earlier import stops the import.
    #[default]
    Unasked,
    /// The file replaces this import of the same scan: it is taken out in the same transaction.
    Import(i32),
    /// The file is new answers, even though it resembles an earlier import.
    Nothing,
}

impl Replaces {
    /// An answer as typed: an import's id, or `none` (`geen`); `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "none" | "geen" => Some(Self::Nothing),
            id => id.parse::<i32>().ok().filter(|n| *n > 0).map(Self::Import),
        }
    }
}

/// One row as compared: role, respondent group and the answers as `CODE:VALUE` entries, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowPrint {
    role: Option<String>,
    group: Option<String>,
    answers: Vec<String>,
}

impl RowPrint {
    /// A row from its role, group and `CODE:VALUE` answer entries (in any order).
    pub fn new(role: Option<&str>, group: Option<&str>, entries: Vec<String>) -> Self {
        let mut answers = entries;
        answers.sort_unstable();
        Self {
            role: role.map(str::to_owned),
            group: group.map(str::to_owned),
            answers,
        }
    }

    fn codes(&self) -> impl Iterator<Item = &str> {
        self.answers
            .iter()
            .map(|e| e.split_once(':').map_or(e.as_str(), |(c, _)| c))
    }
}

/// How an earlier import compares with the new file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Likeness {
    /// Rows of the new file's anonymous rows equal to a row of the earlier import (each earlier row
    /// counted once).
    pub equal_rows: usize,
    /// The new file's anonymous rows.
    pub rows: usize,
    /// The earlier import's rows still in the scan.
    pub earlier_rows: usize,
}

/// The share of columns two files must have in common to be "the same questionnaire".
const SAME_COLUMNS: f64 = 0.8;

/// Of the earlier imports (id → their rows still in the scan), the one the new anonymous rows most
/// resemble: at least 80 % of the questions in common, and at least half of the new rows (and at
/// least two) equal to one of its rows. `None` when no import resembles the file.
pub fn closest(new: &[RowPrint], earlier: &HashMap<i32, Vec<RowPrint>>) -> Option<(i32, Likeness)> {
    if new.is_empty() {
        return None;
    }
    let new_codes = codes_of(new);
    let mut counts: HashMap<&RowPrint, usize> = HashMap::new();
    for r in new {
        *counts.entry(r).or_default() += 1;
    }
    let mut best: Option<(i32, Likeness)> = None;
    // In id order, so that of two equally close imports the earlier is named, every time.
    let mut ids: Vec<&i32> = earlier.keys().collect();
    ids.sort_unstable();
    for id in ids {
        let rows = &earlier[id];
        if overlap(&new_codes, &codes_of(rows)) < SAME_COLUMNS {
            continue;
        }
        let mut left = counts.clone();
        let mut equal = 0;
        for r in rows {
            if let Some(n) = left.get_mut(r).filter(|n| **n > 0) {
                *n -= 1;
                equal += 1;
            }
        }
        let likeness = Likeness {
            equal_rows: equal,
            rows: new.len(),
            earlier_rows: rows.len(),
        };
        let resembles = equal >= 2 && equal * 2 >= new.len();
        if resembles && best.is_none_or(|(_, b)| equal > b.equal_rows) {
            best = Some((*id, likeness));
        }
    }
    best
}

fn codes_of(rows: &[RowPrint]) -> BTreeSet<&str> {
    rows.iter().flat_map(RowPrint::codes).collect()
}

/// Shared questions as a share of all questions of the two files (Jaccard); two empty sets are alike.
fn overlap(a: &BTreeSet<&str>, b: &BTreeSet<&str>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(role: &str, answers: &[(&str, i16)]) -> RowPrint {
        RowPrint::new(
            Some(role),
            None,
            answers.iter().map(|(c, v)| format!("{c}:{v}")).collect(),
        )
    }

    fn file(n: usize, shift: i16) -> Vec<RowPrint> {
        (0..n)
            .map(|i| {
                let v = (i % 5) as i16 + 1 + shift;
                row(
                    "staff",
                    &[("A1Q1", v), ("A1Q2", (i % 3) as i16), ("C1K1", 2)],
                )
            })
            .collect()
    }

    #[test]
    fn a_corrected_copy_resembles_its_original() {
        let earlier = HashMap::from([(7, file(10, 0))]);
        let mut corrected = file(10, 0);
        corrected[3] = row("staff", &[("A1Q1", 1), ("A1Q2", 0), ("C1K1", 4)]);
        let (id, l) = closest(&corrected, &earlier).expect("resembles");
        assert_eq!(id, 7);
        assert_eq!((l.equal_rows, l.rows, l.earlier_rows), (9, 10, 10));
    }

    #[test]
    fn column_order_does_not_matter_but_each_earlier_row_counts_once() {
        let earlier = HashMap::from([(1, vec![row("staff", &[("A1Q1", 3), ("C1K1", 2)])])]);
        let twice = vec![
            row("staff", &[("C1K1", 2), ("A1Q1", 3)]),
            row("staff", &[("C1K1", 2), ("A1Q1", 3)]),
        ];
        // One row equal (not two): below the minimum of two equal rows.
        assert_eq!(closest(&twice, &earlier), None);
    }

    #[test]
    fn other_answers_or_other_questions_do_not_resemble() {
        let earlier = HashMap::from([(1, file(10, 0))]);
        assert_eq!(closest(&file(10, 10), &earlier), None, "other answers");
        let other_questions: Vec<RowPrint> = (0..10)
            .map(|i| row("staff", &[("A9Q1", i), ("A9Q2", 1), ("C9K1", 2)]))
            .collect();
        assert_eq!(closest(&other_questions, &earlier), None);
        assert_eq!(closest(&[], &earlier), None);
    }

    #[test]
    fn the_most_alike_import_is_named() {
        let mut half = file(10, 0);
        for r in half.iter_mut().take(5) {
            *r = row("client", &[("A1Q1", 9), ("A1Q2", 9), ("C1K1", 9)]);
        }
        let earlier = HashMap::from([(1, half), (2, file(10, 0))]);
        assert_eq!(closest(&file(10, 0), &earlier).map(|x| x.0), Some(2));
    }
}
