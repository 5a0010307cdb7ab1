//! Recognising a questionnaire header as a catalogue question: by a code anywhere in it (on word
//! boundaries: `(C1K1)`, `C1K1 …`, `… C1K1`, `[x [C1K1]]`), or by its text, Dutch or English, after
//! normalising case, whitespace, punctuation and accents and stripping what survey tools add (leading
//! numbering, the Microsoft Forms Likert `Title.Statement`, the Google Forms grid `Title [Row]`).
//!
//! An exact normalised text is taken; a close one is only a *proposal* (the user confirms it), and only
//! when the runner-up, a different question, is clearly further away, so near-twins are not confused.

use std::collections::HashMap;

use super::Catalogue;
use crate::domain::text::{Lang, Text};

/// A close text at or above this similarity is proposed.
pub const PROPOSE: f64 = 0.80;
/// A text at or above this similarity is said to resemble a question (not proposed, but it stops a
/// silent partial import).
pub const RESEMBLE: f64 = 0.55;
/// How much further the best question must be ahead of a different runner-up to be proposed.
pub const MARGIN: f64 = 0.06;
/// Shorter normalised headers are never compared loosely ("Naam", "Team", "Opmerkingen").
const MIN_LOOSE_CHARS: usize = 16;

/// Lower case, accents folded to ASCII, every run of punctuation and whitespace one space.
pub fn normalise(text: &str) -> String {
    let folded = deunicode::deunicode(text).to_lowercase();
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The first catalogue code a header carries on word boundaries (ASCII letters and digits between
/// anything else), upper-cased.
pub fn code_in(header: &str, catalogue: &Catalogue) -> Option<String> {
    header
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| t.len() >= 3 && t.bytes().any(|b| b.is_ascii_digit()))
        .find(|t| catalogue.scored(t).is_some())
        .map(str::to_ascii_uppercase)
}

/// The texts a header may hold a question in: the header without leading numbering, the statement of
/// a Microsoft Forms Likert header (`Title.Statement`), the row of a Google Forms grid
/// (`Title [Row]`), and the title of either.
pub fn question_texts(header: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(3);
    let h = strip_numbering(header.trim());
    out.push(h);
    if let Some(open) = h.rfind('[')
        && h.trim_end().ends_with(']')
    {
        let inner = h[open + 1..].trim_end().trim_end_matches(']');
        out.push(strip_numbering(inner.trim()));
        out.push(strip_numbering(h[..open].trim()));
    }
    // `Title.Statement`: a point right after a letter and right before a letter or digit, no space.
    let bytes = h.as_bytes();
    if let Some(dot) = (1..bytes.len().saturating_sub(1)).find(|&i| {
        bytes[i] == b'.'
            && bytes[i - 1].is_ascii_alphabetic()
            && bytes[i + 1].is_ascii_alphanumeric()
    }) {
        out.push(strip_numbering(h[dot + 1..].trim()));
        out.push(h[..dot].trim());
    }
    out.retain(|t| !t.is_empty());
    out
}

/// `1. `, `12) `, `3.2 `, `Q4: `, `Vraag 5 - ` at the start of a header.
fn strip_numbering(text: &str) -> &str {
    let mut rest = text;
    for word in ["vraag", "question"] {
        if rest.len() > word.len() && rest[..word.len()].eq_ignore_ascii_case(word) {
            let after = rest[word.len()..].trim_start();
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                rest = after;
            }
        }
    }
    let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let token = &rest[..token_end];
    let letters = token.bytes().take_while(u8::is_ascii_alphabetic).count();
    let body = &token[letters..];
    let numbered = letters <= 1
        && body.starts_with(|c: char| c.is_ascii_digit())
        && body
            .trim_end_matches(['.', ')', ':', '-'])
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.');
    if numbered && token_end < rest.len() {
        rest[token_end..]
            .trim_start()
            .trim_start_matches(['-', '–', ':'])
            .trim_start()
    } else {
        rest
    }
}

/// What a header was recognised as.
#[derive(Debug, Clone, PartialEq)]
pub enum Recognition {
    /// A catalogue code in the header.
    Code(String),
    /// The question's text, exactly after normalising.
    Text {
        code: String,
        lang: Lang,
    },
    /// A close text: proposed, to be confirmed.
    Close {
        code: String,
        score: f64,
        runner_up: Option<Candidate>,
    },
    /// Close to two different questions, too close to tell apart.
    Ambiguous {
        first: Candidate,
        second: Candidate,
    },
    /// Somewhat like a question: not proposed, but not to be dropped silently either.
    Resembles(Candidate),
    Unknown,
}

/// A question a header may be, with its similarity (0–1).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub code: String,
    pub score: f64,
}

struct Entry {
    code: String,
    text: String,
}

/// The catalogue's question texts, normalised, built once per import.
pub struct QuestionIndex {
    /// Normalised text → code and language; `None` when two questions share it.
    exact: HashMap<String, Option<(String, Lang)>>,
    entries: Vec<Entry>,
}

impl QuestionIndex {
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut texts: Vec<(&str, &Text)> = Vec::new();
        for a in &catalogue.aspects {
            texts.extend(a.indicators.iter().map(|i| (i.code.as_str(), &i.text)));
        }
        for c in &catalogue.clusters {
            texts.extend(c.items.iter().map(|i| (i.code.as_str(), &i.text)));
        }
        for c in &catalogue.checklists {
            texts.extend(c.items.iter().map(|i| (i.code.as_str(), &i.text)));
        }
        let mut exact: HashMap<String, Option<(String, Lang)>> = HashMap::new();
        let mut entries = Vec::with_capacity(texts.len() * 2);
        for (code, text) in texts {
            for lang in [Lang::Nl, Lang::En] {
                let norm = normalise(text.get(lang));
                if norm.is_empty() {
                    continue;
                }
                exact
                    .entry(norm.clone())
                    .and_modify(|e| {
                        if e.as_ref().is_some_and(|(c, _)| c != code) {
                            *e = None;
                        }
                    })
                    .or_insert_with(|| Some((code.to_owned(), lang)));
                entries.push(Entry {
                    code: code.to_owned(),
                    text: norm,
                });
            }
        }
        Self { exact, entries }
    }

    /// A code or an exact text in the header, nothing loose: cheap enough for every cell of the
    /// rows searched for the header row.
    pub fn exact(&self, header: &str, catalogue: &Catalogue) -> Option<String> {
        match self.recognise_exactly(header, catalogue) {
            Ok(Recognition::Code(code) | Recognition::Text { code, .. }) => Some(code),
            _ => None,
        }
    }

    /// A code or exact text, or the normalised texts to compare loosely.
    fn recognise_exactly(
        &self,
        header: &str,
        catalogue: &Catalogue,
    ) -> Result<Recognition, Vec<String>> {
        if let Some(code) = code_in(header, catalogue) {
            return Ok(Recognition::Code(code));
        }
        let texts: Vec<String> = question_texts(header)
            .into_iter()
            .map(normalise)
            .filter(|t| !t.is_empty())
            .collect();
        for t in &texts {
            if let Some(Some((code, lang))) = self.exact.get(t) {
                return Ok(Recognition::Text {
                    code: code.clone(),
                    lang: *lang,
                });
            }
        }
        Err(texts)
    }

    /// Recognise one header: a code first, then an exact text, then a close one.
    pub fn recognise(&self, header: &str, catalogue: &Catalogue) -> Recognition {
        let texts = match self.recognise_exactly(header, catalogue) {
            Ok(found) => return found,
            Err(texts) => texts,
        };
        // Per question: the best blend of bigram and edit similarity (what is proposed), and the best
        // bigram similarity alone (what makes a header look like a question, words in any order).
        let mut best: HashMap<&str, (f64, f64)> = HashMap::new();
        for t in texts.iter().filter(|t| t.len() >= MIN_LOOSE_CHARS) {
            // Character bigrams first (cheap, order-tolerant), then edit distance for the few best.
            let mut scored: Vec<(f64, &Entry)> = self
                .entries
                .iter()
                .map(|e| (strsim::sorensen_dice(t, &e.text), e))
                .filter(|(s, _)| *s >= RESEMBLE - 0.15)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (dice, e) in scored.into_iter().take(6) {
                let score = (dice + strsim::normalized_levenshtein(t, &e.text)) / 2.0;
                let slot = best.entry(e.code.as_str()).or_insert((0.0, 0.0));
                *slot = (slot.0.max(score), slot.1.max(dice));
            }
        }
        let resemblance = best.values().map(|b| b.1).fold(0.0, f64::max);
        let mut ranked: Vec<Candidate> = best
            .into_iter()
            .map(|(code, (score, _))| Candidate {
                code: code.to_owned(),
                score,
            })
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.code.cmp(&b.code)));
        let mut ranked = ranked.into_iter();
        let (Some(first), second) = (ranked.next(), ranked.next()) else {
            return Recognition::Unknown;
        };
        if first.score >= PROPOSE {
            match second {
                Some(s) if first.score - s.score < MARGIN => {
                    Recognition::Ambiguous { first, second: s }
                }
                runner_up => Recognition::Close {
                    code: first.code,
                    score: first.score,
                    runner_up,
                },
            }
        } else if first.score >= RESEMBLE || resemblance >= RESEMBLE {
            Recognition::Resembles(first)
        } else {
            Recognition::Unknown
        }
    }
}

/// The text of the question with this code, for messages.
pub fn question_text<'a>(catalogue: &'a Catalogue, code: &str) -> Option<&'a Text> {
    let code = code.to_ascii_uppercase();
    let indicators = catalogue.aspects.iter().flat_map(|a| &a.indicators);
    if let Some(i) = indicators.into_iter().find(|i| i.code == code) {
        return Some(&i.text);
    }
    let items = catalogue.clusters.iter().flat_map(|c| &c.items);
    if let Some(i) = items.into_iter().find(|i| i.code == code) {
        return Some(&i.text);
    }
    catalogue
        .checklists
        .iter()
        .flat_map(|c| &c.items)
        .find(|i| i.code == code)
        .map(|i| &i.text)
}

#[cfg(test)]
mod tests;
