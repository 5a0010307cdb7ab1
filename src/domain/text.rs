//! Bilingual texts. Dutch is the product's first language, English its second; every text has both.

use serde::{Deserialize, Serialize};

/// A text in Dutch and English, serialised as `{ "nl": …, "en": … }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Text {
    pub nl: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// The languages the product speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The one of a Dutch and an English text that is in this language.
    pub fn pick<'a>(self, nl: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" | "nederlands" | "dutch" => Ok(Lang::Nl),
            "en" | "engels" | "english" => Ok(Lang::En),
            other => Err(format!("unknown language `{other}`: use nl or en")),
        }
    }
}

/// Whether `c` changes the direction of the text around it: the embeddings, overrides and isolates
/// of Unicode's bidirectional algorithm (U+202A–U+202E, U+2066–U+2069). In a name they can flip a
/// page's or a PDF's running header, or disguise what a reader sees.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` without bidirectional controls (see [`is_bidi_control`]); borrowed when it has none.
pub fn without_bidi_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_bidi_control) {
        std::borrow::Cow::Owned(s.chars().filter(|c| !is_bidi_control(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod bidi_tests {
    use super::*;

    #[test]
    fn direction_overrides_are_removed_and_other_text_is_kept() {
        assert_eq!(without_bidi_controls("CAW \u{202E}gurB eD"), "CAW gurB eD");
        assert_eq!(without_bidi_controls("\u{2067}x\u{2069}"), "x");
        assert!(matches!(
            without_bidi_controls("CAW De Brug – עברית"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
