//! The matcher against the built-in catalogue: every question text, Dutch and English, is found
//! exactly; wrappers and numbering are stripped; edited texts are proposed, near-twins are not.

use super::*;
use crate::domain::catalogue::parse;

fn cat() -> Catalogue {
    parse(&crate::catalogue::builtin_files()).expect("built-in catalogue")
}

fn all_texts(c: &Catalogue) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for a in &c.aspects {
        for i in &a.indicators {
            out.push((i.code.clone(), i.text.nl.clone(), i.text.en.clone()));
        }
    }
    for cl in &c.clusters {
        for i in &cl.items {
            out.push((i.code.clone(), i.text.nl.clone(), i.text.en.clone()));
        }
    }
    for cl in &c.checklists {
        for i in &cl.items {
            out.push((i.code.clone(), i.text.nl.clone(), i.text.en.clone()));
        }
    }
    out
}

#[test]
fn normalising_folds_case_accents_punctuation_and_spacing() {
    assert_eq!(
        normalise("  Ik  betrek cliënten, ÉN partners!  "),
        "ik betrek clienten en partners"
    );
    assert_eq!(normalise("Don’t   know?"), "don t know");
}

#[test]
fn every_catalogue_text_is_unique_and_found_exactly_in_both_languages() {
    let c = cat();
    let index = QuestionIndex::new(&c);
    for (code, nl, en) in all_texts(&c) {
        for text in [nl, en] {
            let shouted = format!("  {}  ", text.to_uppercase().replace(' ', "   "));
            assert!(
                matches!(index.recognise(&shouted, &c), Recognition::Text { code: ref got, .. } if *got == code),
                "{code}: {text}"
            );
        }
    }
}

#[test]
fn codes_are_found_on_word_boundaries_anywhere() {
    let c = cat();
    let index = QuestionIndex::new(&c);
    for header in [
        "Ik weet wat uitsluiting is (C1K1)",
        "C1K1 Ik weet wat uitsluiting is",
        "Ik weet wat uitsluiting is C1K1",
        "[uitleg [C1K1]]",
        "Competenties.C1K1 Ik weet wat uitsluiting is",
        "c1k1: ik weet",
    ] {
        assert_eq!(
            index.recognise(header, &c),
            Recognition::Code("C1K1".into()),
            "{header}"
        );
    }
    // Inside a longer word it is no code.
    assert_ne!(
        index.recognise("XC1K1Y", &c),
        Recognition::Code("C1K1".into())
    );
}

#[test]
fn wrappers_and_numbering_are_stripped() {
    let c = cat();
    let index = QuestionIndex::new(&c);
    let (code, nl, en) = all_texts(&c).into_iter().nth(60).expect("an item");
    for header in [
        format!("12. {nl}"),
        format!("3) {en}"),
        format!("Q7: {en}"),
        format!("Vraag 4 - {nl}"),
        format!("Digitale competenties.{nl}"),
        format!("Digital competences [{en}]"),
        format!("Competenties [12. {nl}]"),
    ] {
        assert!(
            matches!(index.recognise(&header, &c), Recognition::Text { code: ref got, .. } if *got == code),
            "{header}: {:?}",
            index.recognise(&header, &c)
        );
    }
}

#[test]
fn an_edited_text_is_proposed_and_nonsense_is_not() {
    let c = cat();
    let index = QuestionIndex::new(&c);
    let (code, nl, _) = all_texts(&c)
        .into_iter()
        .find(|t| t.0 == "C1K1")
        .expect("C1K1");
    let edited = nl.replace("Ik weet", "Ik weet goed");
    match index.recognise(&edited, &c) {
        Recognition::Close {
            code: got, score, ..
        } => {
            assert_eq!(got, code);
            assert!((PROPOSE..1.0).contains(&score), "{score}");
        }
        other => panic!("{edited}: {other:?}"),
    }
    assert_eq!(
        index.recognise("Heb je nog opmerkingen of suggesties?", &c),
        Recognition::Unknown
    );
    assert_eq!(index.recognise("Naam", &c), Recognition::Unknown);
}

#[test]
fn near_twins_are_not_proposed_when_the_header_sits_between_them() {
    let c = cat();
    let index = QuestionIndex::new(&c);
    // Two questions that differ in a few words: a header halfway between them is ambiguous or at
    // most proposes one of them with the other named as runner-up, never silently one.
    let texts = all_texts(&c);
    let mut checked = 0;
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            let (na, nb) = (normalise(&a.1), normalise(&b.1));
            if na.len() < 30 || strsim::normalized_levenshtein(&na, &nb) < 0.75 {
                continue;
            }
            checked += 1;
            match index.recognise(&a.1, &c) {
                Recognition::Text { code, .. } => assert_eq!(code, a.0),
                other => panic!("{}: {other:?}", a.0),
            }
            // The text of a with one word dropped still goes to a or is ambiguous, never to b.
            let dropped: Vec<&str> = a.1.split_whitespace().collect();
            let edited = dropped[..dropped.len() - 1].join(" ");
            match index.recognise(&edited, &c) {
                Recognition::Close { code, .. } => assert_eq!(code, a.0, "{edited}"),
                Recognition::Ambiguous { first, second } => {
                    assert!(first.code == a.0 || second.code == a.0, "{edited}")
                }
                _ => {}
            }
        }
    }
    assert!(checked > 0, "the catalogue has near-twins to test with");
}
