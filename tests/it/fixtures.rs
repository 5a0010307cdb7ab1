//! Every fixture in tests/fixtures/ (real files written by LibreOffice, openpyxl, XlsxWriter and in the
//! export shapes of Microsoft Forms, Google Forms, LimeSurvey and Qualtrics) imports with the counts
//! recorded in tests/fixtures/expected.json, or is refused with the expected cell-precise errors and
//! leaves the database exactly as it was.

use std::collections::BTreeSet;
use std::path::Path;

use blendscan::domain::text::Lang;
use blendscan::import::{self, ImportRequest, Limits, Problem, PseudonymKey};
use serde_json::Value;

use crate::import::{catalogue, import_bytes, snapshot, with_org};
use crate::support::TestDb;

fn fixtures_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

fn expectations() -> Vec<Value> {
    let text =
        std::fs::read_to_string(fixtures_dir().join("expected.json")).expect("expected.json");
    serde_json::from_str::<Vec<Value>>(&text).expect("valid expected.json")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Cell references (`Blad1!G3`, `Blad1!G1:I1`) named in a line of expected.json.
fn cells_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("Blad1!") {
        let tail = &rest[i..];
        let end = tail["Blad1!".len()..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == ':'))
            .map_or(tail.len(), |e| e + "Blad1!".len());
        out.push(tail[..end].to_owned());
        rest = &tail[end..];
    }
    out
}

#[tokio::test]
async fn good_fixtures_import_with_the_expected_counts() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let mut year = 2000;
    for e in expectations().iter().filter(|e| {
        e["outcome"]
            .as_str()
            .is_some_and(|o| o.starts_with("imports"))
    }) {
        let name = e["file"].as_str().expect("file");
        year += 1;
        let r = import_bytes(&db, &org, year, name, &read(name), false).await;
        assert!(r.is_ok(), "{name}: {:#?}", r.errors);
        assert!(r.stored, "{name}");
        let n = |k: &str| e[k].as_u64().unwrap_or_else(|| panic!("{name}: {k}")) as usize;
        assert_eq!(r.rows, n("rows"), "{name}: rows");
        assert_eq!(r.respondents_imported, n("distinct"), "{name}: respondents");
        assert_eq!(
            r.duplicates_replaced,
            n("rows") - n("distinct"),
            "{name}: duplicates"
        );
        assert_eq!(r.answers, n("answers_stored"), "{name}: answers");
        assert_eq!(
            r.missing_answers,
            n("answers_missing"),
            "{name}: missing answers"
        );
        let kinds = &e["kinds"];
        assert_eq!(
            r.columns.indicators.len() as u64,
            kinds["indicator"].as_u64().unwrap_or(0),
            "{name}: indicators"
        );
        assert_eq!(
            r.columns.competences.len() as u64,
            kinds["competence"].as_u64().unwrap_or(0),
            "{name}: competences"
        );
        assert_eq!(
            r.columns.checklists.len() as u64,
            kinds["checklist"].as_u64().unwrap_or(0),
            "{name}: checklists"
        );
        // The expected item columns, by letter and code.
        let items = e["items"].as_object().expect("items");
        let mut got: Vec<String> = r
            .columns
            .indicators
            .iter()
            .chain(&r.columns.competences)
            .chain(&r.columns.checklists)
            .cloned()
            .collect();
        let mut want: Vec<String> = items
            .values()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name}: item columns");
        let warned: BTreeSet<String> = r.warnings.iter().map(|w| w.cell.clone()).collect();
        let expected_warnings: BTreeSet<String> = e["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .flat_map(cells_in)
            .collect();
        assert!(
            expected_warnings.is_subset(&warned),
            "{name}: warnings {warned:?}, expected {expected_warnings:?}"
        );
        // Personal data never reaches the report.
        let json = serde_json::to_string(&r).expect("json");
        assert!(
            !json.contains("@caw") && !json.contains("@clb"),
            "{name}: e-mail address in the report"
        );
        // The same file again changes nothing.
        let before = snapshot(&db, &org).await;
        let again = import_bytes(&db, &org, year, name, &read(name), false).await;
        assert!(again.already_imported, "{name}: second import recognised");
        assert_eq!(
            snapshot(&db, &org).await,
            before,
            "{name}: second import changed the database"
        );
    }
}

#[tokio::test]
async fn libreoffice_ods_xlsx_and_xls_store_identical_answers() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let mut stored = Vec::new();
    for (i, name) in ["libreoffice.ods", "libreoffice.xlsx", "libreoffice.xls"]
        .into_iter()
        .enumerate()
    {
        let r = import_bytes(&db, &org, 2020 + i as i32, name, &read(name), false).await;
        assert!(r.is_ok(), "{name}: {:?}", r.errors);
        let (_, answers) = snapshot(&db, &org).await;
        let mut values: Vec<(String, Option<i16>, Option<String>)> = answers[i]
            .iter()
            .map(|a| (a.item_code.clone(), a.value, a.missing.clone()))
            .collect();
        values.sort();
        stored.push(values);
    }
    assert_eq!(stored[0], stored[1]);
    assert_eq!(stored[1], stored[2]);
}

#[tokio::test]
async fn broken_fixtures_are_refused_with_cell_precise_errors_and_store_nothing() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let seed = import_bytes(
        &db,
        &org,
        2026,
        "msforms_nl.xlsx",
        &read("msforms_nl.xlsx"),
        false,
    )
    .await;
    assert!(seed.is_ok());
    let before = snapshot(&db, &org).await;
    for e in expectations().iter().filter(|e| e["outcome"] == "refused") {
        let name = e["file"].as_str().expect("file");
        for year in [2026, 2030] {
            let r = import_bytes(&db, &org, year, name, &read(name), false).await;
            assert!(!r.is_ok() && !r.stored, "{name} was accepted");
            let got: BTreeSet<String> = r.errors.iter().map(|p| p.cell.clone()).collect();
            let want: BTreeSet<String> = e["problems"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .flat_map(|p| cells_in(p).into_iter().take(1))
                .collect();
            let messages: Vec<String> = r.errors.iter().map(|p| p.render(Lang::En)).collect();
            // Display is Dutch, the product's first language.
            let dutch: Vec<String> = r.errors.iter().map(ToString::to_string).collect();
            let has = |lines: &[String], start: &str, part: &str| {
                lines
                    .iter()
                    .any(|m| m.starts_with(start) && m.contains(part))
            };
            match name {
                "broken_duplicate_headers.xlsx" => {
                    assert_eq!(got, BTreeSet::from(["Blad1!F1".to_owned()]), "{messages:?}");
                    assert!(
                        messages[0].contains("duplicate column")
                            && messages[0].contains("Blad1!C1"),
                        "{messages:?}"
                    );
                    assert!(
                        r.errors[0]
                            .message
                            .en
                            .starts_with("duplicate column: item C1K1"),
                        "{:?}",
                        r.errors[0].message
                    );
                    assert_eq!(
                        r.errors[0].message.nl,
                        "kolom dubbel: item C1K1 staat ook in Blad1!C1"
                    );
                }
                "broken_empty.xlsx" => {
                    assert!(has(&messages, "Blad1!A1", "empty"), "{messages:?}");
                    assert!(has(&dutch, "Blad1!A1", "het blad is leeg"), "{dutch:?}");
                }
                "broken_truncated.xlsx" => {
                    assert!(has(&messages, name, "cut off"), "{messages:?}");
                    assert!(
                        has(&dutch, name, "beschadigd of afgebroken")
                            && has(&dutch, name, "sla het opnieuw op vanuit het rekenblad"),
                        "{dutch:?}"
                    );
                }
                "broken_zipbomb.xlsx" => {
                    assert!(has(&messages, name, "zip bomb"), "{messages:?}");
                    assert!(
                        has(&dutch, name, "geweigerd") && has(&dutch, name, "zipbom"),
                        "{dutch:?}"
                    );
                }
                "broken_utf16.csv" => {
                    assert!(has(&messages, name, "UTF-16"), "{messages:?}");
                    assert!(has(&dutch, name, "het bestand is UTF-16"), "{dutch:?}");
                }
                "broken_formulas.xlsx" => {
                    assert_eq!(got, want, "{name}: {messages:#?}");
                    assert!(
                        r.errors.iter().all(|p| p.message.nl
                            == "de cel bevat een formule; antwoorden moeten waarden zijn (kopieer en plak als waarden)"
                            && p.message.en.contains("formula")),
                        "{dutch:#?}"
                    );
                }
                "broken_out_of_scale.xlsx" => {
                    assert_eq!(got, want, "{name}: {messages:#?}");
                    let f4 = r.errors.iter().find(|p| p.cell == "Blad1!F4").expect("F4");
                    assert_eq!(f4.message.nl, "valt buiten de schaal maturiteit 0–4");
                    assert_eq!(f4.message.en, "outside the maturity scale 0–4");
                }
                _ => assert_eq!(got, want, "{name}: {messages:#?}"),
            }
        }
        assert_eq!(
            snapshot(&db, &org).await,
            before,
            "{name} changed the database"
        );
    }
}

/// Every message the importer produces for the fixtures (errors and warnings), checked without a database.
fn all_problems() -> Vec<(String, Problem)> {
    let cat = catalogue();
    let key = PseudonymKey::new([7; 32]);
    let mut out = Vec::new();
    for e in expectations() {
        let name = e["file"].as_str().expect("file").to_owned();
        let bytes = read(&name);
        let req = ImportRequest {
            organisation: "test",
            year: 2026,
            file_name: &name,
            bytes: &bytes,
            sheet: None,
            dry_run: true,
        };
        let a = import::analyse(&req, &cat, &key, &Limits::default());
        if e["outcome"] == "refused" {
            assert!(!a.report.errors.is_empty(), "{name}: no errors");
        }
        for p in a.report.errors.into_iter().chain(a.report.warnings) {
            out.push((name.clone(), p));
        }
    }
    out
}

#[test]
fn every_fixture_message_is_in_dutch_and_english() {
    let problems = all_problems();
    assert!(
        problems.len() >= 10,
        "{} problems: fewer than the broken fixtures hold",
        problems.len()
    );
    for (name, p) in &problems {
        let (nl, en) = (&p.message.nl, &p.message.en);
        assert!(
            !nl.trim().is_empty() && !en.trim().is_empty(),
            "{name}: {p:?}"
        );
        assert_ne!(nl, en, "{name}: not translated: {p:?}");
        assert_eq!(p.to_string(), p.render(Lang::Nl), "{name}");
        assert!(p.render(Lang::En).ends_with(en.as_str()), "{name}");
        // Personal data (e-mail addresses, names, tokens) never reaches a message, in either language.
        for text in [nl, en].into_iter().chain(&p.value) {
            assert!(!text.contains('@'), "{name}: e-mail address in {p:?}");
        }
    }
}
