//! Every fixture in tests/fixtures/ (real files written by LibreOffice, openpyxl, XlsxWriter and in the
//! export shapes of Microsoft Forms, Google Forms, LimeSurvey and Qualtrics) imports with the counts
//! recorded in tests/fixtures/expected.json, or is refused with the expected cell-precise errors and
//! leaves the database exactly as it was.

use std::collections::BTreeSet;
use std::path::Path;

use blendscan::domain::text::Lang;
use blendscan::import::{self, ImportRequest, Limits, Problem, PseudonymKey};
use serde_json::Value;

use crate::import::{import_bytes, snapshot, with_org};
use crate::support::TestDb;
use crate::support::catalogue;

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

/// Import the fixture file `name` into the organisation's scan of `year`.
async fn import_fixture(
    db: &sea_orm::DatabaseConnection,
    org: &str,
    year: i32,
    name: &str,
    dry_run: bool,
) -> import::ImportReport {
    import_bytes(db, org, year, name, &read(name), dry_run).await
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

/// The column letters of a cell reference: `Blad1!AB1` → `AB`.
fn letters(cell: &str) -> String {
    let local = cell.rsplit_once('!').map_or(cell, |(_, c)| c);
    local
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect()
}

/// expected.json's metadata field names as the importer's `Meta` kinds.
fn meta_kind(field: &str) -> &'static str {
    match field {
        "id" => "response_id",
        "start" => "start_time",
        "completed" => "completion_time",
        "email" => "email",
        "name" => "name",
        "token" => "token",
        "role" => "role",
        "team" => "team",
        "group" => "group",
        other => panic!("expected.json: unknown metadata field {other}"),
    }
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
        let r = import_fixture(&db, &org, year, name, false).await;
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
        // The metadata columns, by letter and kind, and the ignored ones, by letter and header.
        let got_meta: BTreeSet<String> = r
            .columns
            .metadata
            .iter()
            .map(|m| {
                let kind = serde_json::to_value(m.kind).expect("kind");
                format!("{} {}", letters(&m.column), kind.as_str().expect("str"))
            })
            .collect();
        let want_meta: BTreeSet<String> = e["metadata"]
            .as_object()
            .expect("metadata")
            .iter()
            .map(|(field, v)| {
                let letter = v.as_str().expect("str").split(' ').next().expect("letter");
                format!("{letter} {}", meta_kind(field))
            })
            .collect();
        assert_eq!(got_meta, want_meta, "{name}: metadata columns");
        let got_ignored: Vec<String> = r
            .columns
            .ignored
            .iter()
            .map(|i| format!("{} `{}`", letters(&i.column), i.header))
            .collect();
        let want_ignored: Vec<String> = e["ignored"]
            .as_array()
            .expect("ignored")
            .iter()
            .map(|v| v.as_str().expect("str").to_owned())
            .collect();
        assert_eq!(got_ignored, want_ignored, "{name}: ignored columns");
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
        let again = import_fixture(&db, &org, year, name, false).await;
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
        let r = import_fixture(&db, &org, 2020 + i as i32, name, false).await;
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
    let seed = import_fixture(&db, &org, 2026, "msforms_nl.xlsx", false).await;
    assert!(seed.is_ok());
    let before = snapshot(&db, &org).await;
    for e in expectations().iter().filter(|e| e["outcome"] == "refused") {
        let name = e["file"].as_str().expect("file");
        for year in [2026, 2030] {
            let r = import_fixture(&db, &org, year, name, false).await;
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

/// Analyse bytes as a named file, without a database.
fn analyse_bytes(name: &str, bytes: &[u8]) -> import::ImportReport {
    let req = ImportRequest {
        organisation: "test",
        year: 2026,
        file_name: name,
        bytes,
        sheet: None,
        dry_run: true,
    };
    import::analyse(
        &req,
        &catalogue(),
        &PseudonymKey::new([7; 32]),
        &Limits::default(),
    )
    .report
}

/// The first error of a report in English, or nothing.
fn first_error_en(r: &import::ImportReport) -> String {
    r.errors
        .first()
        .map(|p| p.render(Lang::En))
        .unwrap_or_default()
}

/// Offset of the only occurrence of `needle` in `hay`.
fn find_once(hay: &[u8], needle: &[u8]) -> usize {
    let hits: Vec<usize> = hay
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(hits.len(), 1, "expected one occurrence of {needle:02x?}");
    hits[0]
}

/// calamine builds a dense grid of an .xls sheet as large as its DIMENSIONS record claims and its
/// furthest cell; a few bytes changed in LibreOffice's own file must be refused, not abort the process.
#[test]
fn xls_that_claims_or_places_cells_far_away_is_refused_before_calamine_reads_it() {
    let original = read("libreoffice.xls");
    assert!(analyse_bytes("libreoffice.xls", &original).is_ok());

    // The DIMENSIONS record (type 0x0200, 14 bytes) claims 4 billion rows × 65,535 columns.
    let at = find_once(&original, &[0x00, 0x02, 0x0E, 0x00]) + 4;
    let mut lying = original.clone();
    lying[at + 4..at + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    lying[at + 10..at + 12].copy_from_slice(&u16::MAX.to_le_bytes());
    let r = analyse_bytes("libreoffice.xls", &lying);
    assert!(!r.is_ok(), "a lying DIMENSIONS record was accepted");
    let m = first_error_en(&r);
    assert!(
        m.starts_with("libreoffice.xls: the file is damaged")
            && m.contains("more than an .xls file can hold"),
        "{m}"
    );

    // A LABELSST record (type 0x00FD, 10 bytes: a text cell) moved to row 65,536, then column 65,536.
    let at = (0..original.len() - 4)
        .find(|&i| original[i..i + 4] == [0xFD, 0x00, 0x0A, 0x00])
        .expect("a LABELSST record")
        + 4;
    let mut far = original.clone();
    far[at..at + 2].copy_from_slice(&u16::MAX.to_le_bytes());
    far[at + 2..at + 4].copy_from_slice(&100u16.to_le_bytes());
    let r = analyse_bytes("libreoffice.xls", &far);
    let m = first_error_en(&r);
    assert!(
        m.contains("has a cell in row 65536, beyond the limit of 20000 respondent rows"),
        "{m}"
    );
    assert!(
        r.errors[0].to_string().contains("rij 65536"),
        "{}",
        r.errors[0]
    );
    far[at..at + 2].copy_from_slice(&5u16.to_le_bytes());
    far[at + 2..at + 4].copy_from_slice(&u16::MAX.to_le_bytes());
    let r = analyse_bytes("libreoffice.xls", &far);
    let m = first_error_en(&r);
    assert!(
        m.contains("has a cell in column 65536, beyond the limit of 1000 columns"),
        "{m}"
    );
}

/// An .ods cell repeated a million rows × 16,384 columns is a few bytes of XML and gigabytes as a grid.
#[test]
fn ods_with_a_repeated_cell_bomb_is_refused_before_calamine_reads_it() {
    let original = read("libreoffice.ods");
    assert!(analyse_bytes("libreoffice.ods", &original).is_ok());
    let bomb = rezip(&original, "content.xml", |xml| {
        let end = xml.rfind("</table:table>").expect("a table");
        let bomb = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#;
        format!("{}{bomb}{}", &xml[..end], &xml[end..])
    });
    assert!(bomb.len() < original.len() + 1_000, "{} bytes", bomb.len());
    let r = analyse_bytes("libreoffice.ods", &bomb);
    let m = first_error_en(&r);
    assert!(
        m.starts_with("libreoffice.ods: refused: a sheet has a cell in row")
            && m.contains("beyond the limit of 20000 respondent rows"),
        "{m}"
    );
}

/// On a fresh installation, a refused file or a dry run leaves the database exactly as it was: not even
/// the pseudonymisation key is created. The first stored import creates it, and later imports keep it.
#[tokio::test]
async fn refused_files_and_dry_runs_do_not_even_create_the_pseudonym_key() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let key = || async {
        blendscan::db::imports::existing_pseudonym_key(&db)
            .await
            .expect("read")
    };
    assert!(key().await.is_none());
    for name in ["broken_out_of_scale.xlsx", "broken_truncated.xlsx"] {
        let r = import_fixture(&db, &org, 2026, name, false).await;
        assert!(!r.is_ok(), "{name}");
    }
    let dry = import_fixture(&db, &org, 2026, "msforms_nl.xlsx", true).await;
    assert!(dry.is_ok() && !dry.stored);
    assert!(
        key().await.is_none(),
        "a refused file or a dry run stored the key"
    );
    assert_eq!(snapshot(&db, &org).await, (Vec::new(), Vec::new()));

    let r = import_fixture(&db, &org, 2026, "msforms_nl.xlsx", false).await;
    assert!(r.stored);
    let first = key()
        .await
        .expect("the first stored import creates the key");
    let r = import_fixture(&db, &org, 2027, "msforms_en.xlsx", false).await;
    assert!(r.stored);
    assert!(key().await == Some(first), "the key changed");
}

/// .xlsm is .xlsx with macros allowed: the same bytes under that name read the same; a zip that is no
/// spreadsheet, or an .xls that is not an OLE file, is refused by name.
#[test]
fn xlsm_reads_as_xlsx_and_a_wrong_extension_is_named() {
    let bytes = read("msforms_nl.xlsx");
    let xlsx = analyse_bytes("msforms_nl.xlsx", &bytes);
    let xlsm = analyse_bytes("antwoorden.xlsm", &bytes);
    assert!(xlsm.is_ok(), "{:?}", xlsm.errors);
    assert_eq!(
        (xlsm.rows, xlsm.respondents_imported, xlsm.answers),
        (xlsx.rows, xlsx.respondents_imported, xlsx.answers)
    );
    let docx = analyse_bytes("verslag.docx", &bytes);
    let m = first_error_en(&docx);
    assert!(m.contains("`.docx` is not a spreadsheet extension"), "{m}");
    // An .xlsx saved under the .xls name is read for what it is.
    let renamed = analyse_bytes("oud.xls", &bytes);
    assert!(renamed.is_ok(), "{:?}", renamed.errors);
    assert_eq!(renamed.answers, xlsx.answers);
    // An .xls name on a CSV is refused as a damaged .xls.
    let csv = analyse_bytes("oud.xls", b"Naam;C1K1\nAn;3\n");
    let m = first_error_en(&csv);
    assert!(
        m.starts_with("oud.xls: the file is not a valid .xls file"),
        "{m}"
    );
}

/// Rewrite one part of a zip container (an .ods or .xlsx) with `edit`, keeping every other part.
fn rezip(original: &[u8], part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(original)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        if name == part {
            data = edit(String::from_utf8(data).expect("utf-8")).into_bytes();
        }
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name, options).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// Merged header cells in an .ods (calamine reports none for .ods) are found and named, as in .xlsx.
#[test]
fn ods_merged_header_cells_are_refused_with_their_range() {
    let original = read("libreoffice.ods");
    let merged = rezip(&original, "content.xml", |xml| {
        // The first header cell spans two columns; the second becomes the covered cell.
        let first = xml.find("<table:table-cell").expect("a cell");
        let mut xml = xml.clone();
        xml.insert_str(
            first + "<table:table-cell".len(),
            " table:number-columns-spanned=\"2\" table:number-rows-spanned=\"1\"",
        );
        let second_at = first + 20 + xml[first + 20..].find("<table:table-cell").expect("second");
        let end = second_at + xml[second_at..].find("</table:table-cell>").expect("end");
        xml.replace_range(
            second_at..end + "</table:table-cell>".len(),
            "<table:covered-table-cell/>",
        );
        xml
    });
    let r = analyse_bytes("libreoffice.ods", &merged);
    let m: Vec<String> = r.errors.iter().map(|p| p.render(Lang::En)).collect();
    assert!(
        m.iter()
            .any(|l| l.starts_with("Blad1!A1:B1") && l.contains("header cells are merged")),
        "{m:#?}"
    );
}
