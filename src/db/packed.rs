//! How a respondent's answers are stored: folded into one text in `respondents.answers_packed`
//! (migration 7), one entry per answered item in the order of the file's columns:
//!
//! ```text
//! A1Q1:3,A1Q2:dont_know,C2K1:4,C2K2:not_applicable
//! ```
//!
//! An entry is `CODE:VALUE`: VALUE is the answer on the item's scale, or the code of the "no answer"
//! label the respondent chose (`dont_know`, `not_applicable`). An empty VALUE (written before
//! migration 7 folded the reasons in) is a missing answer with no reason. Empty cells have no entry.
//! Item and label codes are catalogue codes (`[A-Za-z0-9_]`), so `,` and `:` never occur inside them.
//!
//! One short row per respondent is what makes a 5,000 × 150 import store in a tenth of a second and
//! what the scoring reads; see `docs/data-model.md`.

use std::fmt::Write;

/// One entry of a packed text: item code, value (`None` when missing), reason a value is missing.
pub(crate) type Entry<'a> = (&'a str, Option<i16>, Option<&'a str>);

/// Fold answers (item code, value, missing reason) into the stored text.
pub(crate) fn fold(answers: &[(String, Option<i16>, Option<String>)]) -> String {
    let mut s = String::with_capacity(answers.len() * 8);
    for (i, (code, value, missing)) in answers.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(code);
        s.push(':');
        match (value, missing) {
            (Some(v), _) => {
                let _ = write!(s, "{v}"); // writing to a String cannot fail
            }
            (None, Some(reason)) => s.push_str(reason),
            (None, None) => {}
        }
    }
    s
}

/// The entries of a stored text, in stored order. An entry without `:` (never written by blendscan)
/// is skipped rather than guessed at.
pub fn entries(text: &str) -> impl Iterator<Item = Entry<'_>> {
    text.split(',').filter_map(|entry| {
        let (code, value) = entry.rsplit_once(':')?;
        Some(match value {
            "" => (code, None, None),
            v => match v.parse::<i16>() {
                Ok(n) => (code, Some(n), None),
                Err(_) => (code, None, Some(v)),
            },
        })
    })
}

/// How many answers (given or missing with a reason) a stored text holds.
pub fn count(text: &str) -> usize {
    if text.is_empty() {
        0
    } else {
        text.bytes().filter(|b| *b == b',').count() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(
        a: &[(&str, Option<i16>, Option<&str>)],
    ) -> Vec<(String, Option<i16>, Option<String>)> {
        a.iter()
            .map(|(c, v, m)| ((*c).to_owned(), *v, m.map(str::to_owned)))
            .collect()
    }

    #[test]
    fn folding_keeps_values_and_reasons_in_order() {
        let answers = owned(&[
            ("A1Q1", Some(0), None),
            ("C3S2", None, Some("dont_know")),
            ("C9A1", Some(5), None),
            ("A8Q4", None, Some("not_applicable")),
        ]);
        let text = fold(&answers);
        assert_eq!(text, "A1Q1:0,C3S2:dont_know,C9A1:5,A8Q4:not_applicable");
        let back: Vec<Entry<'_>> = entries(&text).collect();
        assert_eq!(
            back,
            vec![
                ("A1Q1", Some(0), None),
                ("C3S2", None, Some("dont_know")),
                ("C9A1", Some(5), None),
                ("A8Q4", None, Some("not_applicable")),
            ]
        );
        assert_eq!(count(&text), 4);
    }

    #[test]
    fn empty_texts_and_older_entries_read_back() {
        assert_eq!(fold(&[]), "");
        assert_eq!(entries("").count(), 0);
        assert_eq!(count(""), 0);
        // Written before migration 7: a missing answer without its reason.
        assert_eq!(
            entries("A1Q2:,A1Q3:4").collect::<Vec<_>>(),
            vec![("A1Q2", None, None), ("A1Q3", Some(4), None)]
        );
        assert_eq!(entries("garbage,A1Q1:2").count(), 1);
    }
}
