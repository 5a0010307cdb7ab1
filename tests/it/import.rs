//! Importing questionnaires end to end: files written here with rust_xlsxwriter and as CSV go through
//! the real import into the real database (SQLite, or PostgreSQL with `TEST_DATABASE_URL`).

use blendscan::db::{self, NewOrganisation};
use blendscan::domain::catalogue::Catalogue;
use blendscan::domain::text::Lang;
use blendscan::import::{self, ImportReport, ImportRequest, Limits, Meta, Pseudonymise};
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use sea_orm::DatabaseConnection;

use crate::support::queries::{self, StoredAnswer};
use crate::support::{TestDb, catalogue};

/// A fresh database with one organisation; returns its slug.
pub async fn with_org(t: &TestDb) -> (DatabaseConnection, String) {
    let db = t.connect().await;
    let org = db::organisations::add_organisation(
        &db,
        &NewOrganisation {
            name: "CAW Test".into(),
            staff_headcount: Some(50),
            ..Default::default()
        },
    )
    .await
    .expect("org");
    (db, org.slug)
}

pub async fn import_bytes(
    db: &DatabaseConnection,
    org: &str,
    year: i32,
    name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> ImportReport {
    let req = ImportRequest {
        organisation: org,
        year,
        file_name: name,
        bytes,
        sheet: None,
        dry_run,
    };
    import::run(db, &catalogue(), &Limits::default(), &req)
        .await
        .expect("import runs")
}

/// Everything stored: (respondents, answers, imports) over all scans of the organisation, and the answers.
pub async fn snapshot(
    db: &DatabaseConnection,
    org: &str,
) -> (Vec<(i32, usize, usize, usize)>, Vec<Vec<StoredAnswer>>) {
    let o = db::organisations::organisation_by_slug(db, org)
        .await
        .expect("org");
    let mut counts = Vec::new();
    let mut answers = Vec::new();
    for s in db::scans::scans_of(db, o.id).await.expect("scans") {
        let (r, a, i) = queries::scan_counts(db, s.id).await;
        counts.push((s.year, r, a, i));
        answers.push(queries::answers_of_scan(db, s.id).await);
    }
    (counts, answers)
}

/// A grid of answers: header texts, then rows of (e-mail, cells).
#[derive(Debug, Clone)]
pub struct Grid {
    pub headers: Vec<String>,
    pub codes: Vec<String>,
    pub rows: Vec<(String, Vec<Option<String>>)>,
}

pub fn xlsx(grid: &Grid) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Blad1").expect("name");
    ws.write_string(0, 0, "E-mail").expect("write");
    for (c, h) in grid.headers.iter().enumerate() {
        ws.write_string(0, c as u16 + 1, h).expect("write");
    }
    for (r, (email, cells)) in grid.rows.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, email).expect("write");
        for (c, v) in cells.iter().enumerate() {
            let col = c as u16 + 1;
            match v {
                None => {}
                Some(s) => match s.parse::<f64>() {
                    Ok(n) => ws.write_number(row, col, n).map(|_| ()).expect("write"),
                    Err(_) => ws.write_string(row, col, s).map(|_| ()).expect("write"),
                },
            }
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

pub fn csv(grid: &Grid, delimiter: char) -> Vec<u8> {
    let quote = |s: &str| {
        if s.contains(delimiter) || s.contains('"') {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    let mut out = String::from("\u{feff}E-mail");
    for h in &grid.headers {
        out.push(delimiter);
        out.push_str(&quote(h));
    }
    out.push('\n');
    for (email, cells) in &grid.rows {
        out.push_str(email);
        for v in cells {
            out.push(delimiter);
            out.push_str(&quote(v.as_deref().unwrap_or("")));
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// The answers a grid should store, computed independently of the importer.
async fn expected(db: &DatabaseConnection, cat: &Catalogue, grid: &Grid) -> Vec<StoredAnswer> {
    let key = db::imports::pseudonym_key(db).await.expect("key");
    let mut out = Vec::new();
    for (email, cells) in &grid.rows {
        let pseudonym = key.pseudonym(&[(Meta::Email, email.clone())], None, None, "");
        for (code, v) in grid.codes.iter().zip(cells) {
            let Some(v) = v else { continue };
            let scale = cat
                .scale(cat.scored(code).expect("code").scale())
                .expect("scale");
            let (value, missing) = match v.split(" - ").next().and_then(|n| n.parse::<i16>().ok()) {
                Some(n) => (Some(n), None),
                None => match scale
                    .levels
                    .iter()
                    .find(|l| l.label.nl == *v || l.label.en == *v)
                {
                    Some(l) => (Some(l.value as i16), None),
                    None => (
                        None,
                        Some(
                            if v.contains("toepassing") {
                                "not_applicable"
                            } else {
                                "dont_know"
                            }
                            .to_owned(),
                        ),
                    ),
                },
            };
            out.push(StoredAnswer {
                pseudonym: pseudonym.clone(),
                item_code: code.clone(),
                value,
                missing,
            });
        }
    }
    out.sort();
    out
}

/// Random grids: a handful of codes of every kind, each header in one of the shapes the tools export,
/// each answer a number, a "n - label", a label in either language, a missing label, or empty.
fn grids() -> impl Strategy<Value = Grid> {
    let cat = catalogue();
    let mut codes: Vec<String> = cat
        .aspects
        .iter()
        .flat_map(|a| a.indicators.iter().map(|i| i.code.clone()))
        .collect();
    codes.extend(
        cat.clusters
            .iter()
            .flat_map(|c| c.items.iter().map(|i| i.code.clone())),
    );
    codes.extend(
        cat.checklists
            .iter()
            .flat_map(|c| c.items.iter().map(|i| i.code.clone())),
    );
    let codes = std::sync::Arc::new(codes);
    (
        proptest::sample::subsequence((0..codes.len()).collect::<Vec<_>>(), 1..12),
        1usize..12,
    )
        .prop_flat_map(move |(picked, n_rows)| {
            let cat = catalogue();
            let chosen: Vec<String> = picked.iter().map(|i| codes[*i].clone()).collect();
            let cell_strategies: Vec<BoxedStrategy<Option<String>>> = chosen
                .iter()
                .map(|code| {
                    let scale = cat
                        .scale(cat.scored(code).expect("code").scale())
                        .expect("scale")
                        .clone();
                    let mut options: Vec<Option<String>> = vec![
                        None,
                        Some("Weet ik niet".into()),
                        Some("Niet van toepassing".into()),
                    ];
                    for l in &scale.levels {
                        options.push(Some(l.value.to_string()));
                        options.push(Some(format!("{} - {}", l.value, l.label.nl)));
                        options.push(Some(l.label.en.clone()));
                    }
                    proptest::sample::select(options).boxed()
                })
                .collect();
            let shapes: Vec<BoxedStrategy<String>> = chosen
                .iter()
                .map(|code| {
                    let c = code.clone();
                    prop_oneof![
                        Just(c.clone()),
                        Just(c.to_lowercase()),
                        Just(format!("Een vraag over iets [{c}]")),
                        Just(format!("Competenties [{c} Ik weet iets]")),
                        Just(format!("G01Q02[{c}]")),
                    ]
                    .boxed()
                })
                .collect();
            let rows = proptest::collection::vec(cell_strategies, n_rows);
            (Just(chosen), shapes, rows).prop_map(|(codes, headers, rows)| Grid {
                headers,
                rows: rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, cells)| (format!("persoon{i}@org.be"), cells))
                    .collect(),
                codes,
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn random_grids_import_back_to_exactly_the_stored_answers(grid in grids(), as_csv in any::<bool>(), semicolon in any::<bool>()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
        rt.block_on(async {
            let t = TestDb::new().await;
            let (db, org) = with_org(&t).await;
            let (name, bytes) = if as_csv { ("grid.csv", csv(&grid, if semicolon { ';' } else { ',' })) } else { ("grid.xlsx", xlsx(&grid)) };
            let report = import_bytes(&db, &org, 2026, name, &bytes, false).await;
            assert!(report.is_ok(), "{:?}", report.errors);
            assert_eq!(report.respondents_imported, grid.rows.len());
            let (_, stored) = snapshot(&db, &org).await;
            assert_eq!(stored.len(), 1);
            assert_eq!(stored[0], expected(&db, &catalogue(), &grid).await);
        });
    }
}

fn small_grid() -> Grid {
    Grid {
        headers: vec![
            "A1Q1".into(),
            "Ik ken drempels [C1K1]".into(),
            "POS1".into(),
        ],
        codes: vec!["A1Q1".into(), "C1K1".into(), "POS1".into()],
        rows: vec![
            (
                "an@org.be".into(),
                vec![
                    Some("3".into()),
                    Some("Zelfstandig".into()),
                    Some("Ja".into()),
                ],
            ),
            (
                "bo@org.be".into(),
                vec![Some("Verankerd".into()), None, Some("Weet ik niet".into())],
            ),
        ],
    }
}

#[tokio::test]
async fn reimporting_the_same_file_changes_nothing() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let bytes = xlsx(&small_grid());
    let first = import_bytes(&db, &org, 2026, "scan.xlsx", &bytes, false).await;
    assert!(
        first.is_ok() && first.stored && first.scan_created,
        "{first:?}"
    );
    assert_eq!(
        (
            first.respondents_imported,
            first.answers,
            first.missing_answers
        ),
        (2, 4, 2)
    );
    let before = snapshot(&db, &org).await;
    let again = import_bytes(&db, &org, 2026, "kopie.xlsx", &bytes, false).await;
    assert!(
        again.is_ok() && again.already_imported && !again.stored,
        "{again:?}"
    );
    assert_eq!(snapshot(&db, &org).await, before);
}

#[tokio::test]
async fn a_file_with_errors_stores_nothing_and_names_every_cell() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let good = import_bytes(&db, &org, 2026, "good.xlsx", &xlsx(&small_grid()), false).await;
    assert!(good.is_ok());
    let before = snapshot(&db, &org).await;
    let mut bad = small_grid();
    bad.rows.push((
        "cas@org.be".into(),
        vec![Some("7".into()), Some("Soms".into()), Some("1".into())],
    ));
    bad.rows.push((
        "dirk@org.be".into(),
        vec![Some("2.5".into()), Some("3".into()), Some("-1".into())],
    ));
    let report = import_bytes(&db, &org, 2026, "bad.xlsx", &xlsx(&bad), false).await;
    assert!(!report.is_ok() && !report.stored);
    let cells: Vec<(&str, Option<&str>)> = report
        .errors
        .iter()
        .map(|e| (e.cell.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(
        cells,
        vec![
            ("Blad1!B4", Some("7")),
            ("Blad1!C4", Some("Soms")),
            ("Blad1!B5", Some("2.5")),
            ("Blad1!D5", Some("-1"))
        ],
        "{:#?}",
        report.errors
    );
    assert_eq!(
        report.errors[0].message.en, "outside the maturity scale 0–4",
        "{:?}",
        report.errors[0].message
    );
    assert_eq!(
        report.errors[0].message.nl, "valt buiten de schaal maturiteit 0–4",
        "{:?}",
        report.errors[0].message
    );
    assert_eq!(
        report.errors[0].to_string(),
        "Blad1!B4 (\"7\"): valt buiten de schaal maturiteit 0–4",
        "Display is Dutch"
    );
    assert_eq!(
        report.errors[0].render(Lang::En),
        "Blad1!B4 (\"7\"): outside the maturity scale 0–4"
    );
    assert!(
        report.errors[1]
            .message
            .nl
            .starts_with("geen antwoord op de schaal beheersing"),
        "{:?}",
        report.errors[1].message
    );
    assert!(
        report.errors[2].message.nl.starts_with("geen geheel getal"),
        "{:?}",
        report.errors[2].message
    );
    // The JSON the API returns carries both languages.
    let json = serde_json::to_value(&report).expect("json");
    assert_eq!(
        json["errors"][0]["message"],
        serde_json::json!({
            "nl": "valt buiten de schaal maturiteit 0–4",
            "en": "outside the maturity scale 0–4"
        })
    );
    assert_eq!(
        snapshot(&db, &org).await,
        before,
        "the database is exactly as it was"
    );
    // A new year's scan is not created by a failed import either.
    let report = import_bytes(&db, &org, 2027, "bad.xlsx", &xlsx(&bad), false).await;
    assert!(!report.is_ok());
    assert_eq!(snapshot(&db, &org).await, before);
}

#[tokio::test]
async fn dry_run_reports_but_stores_nothing() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let before = snapshot(&db, &org).await;
    let report = import_bytes(&db, &org, 2026, "scan.csv", &csv(&small_grid(), ';'), true).await;
    assert!(report.is_ok() && report.dry_run && !report.stored);
    assert_eq!(report.respondents_imported, 2);
    assert_eq!(report.columns.indicators, vec!["A1Q1"]);
    assert_eq!(report.columns.competences, vec!["C1K1"]);
    assert_eq!(report.columns.checklists, vec!["POS1"]);
    assert_eq!(snapshot(&db, &org).await, before);
}

#[tokio::test]
async fn a_later_submission_of_the_same_person_replaces_the_earlier_one() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let first = "E-mail;Tijd van voltooien;A1Q1\nan@org.be;3/1/2026 10:00:00;1\nbo@org.be;3/1/2026 11:00:00;2\n";
    let second = "E-mail;Tijd van voltooien;A1Q1\nAN@org.be ;3/9/2026 10:00:00;4\nbo@org.be;2/1/2026 11:00:00;0\n";
    let r1 = import_bytes(&db, &org, 2026, "week1.csv", first.as_bytes(), false).await;
    assert!(r1.is_ok(), "{:?}", r1.errors);
    let r2 = import_bytes(&db, &org, 2026, "week2.csv", second.as_bytes(), false).await;
    assert!(r2.is_ok(), "{:?}", r2.errors);
    assert_eq!(
        (
            r2.duplicates_replaced,
            r2.older_submissions_ignored,
            r2.respondents_imported
        ),
        (1, 1, 1)
    );
    let (counts, answers) = snapshot(&db, &org).await;
    assert_eq!(counts, vec![(2026, 2, 2, 2)]);
    let mut values: Vec<Option<i16>> = answers[0].iter().map(|a| a.value).collect();
    values.sort();
    assert_eq!(
        values,
        vec![Some(2), Some(4)],
        "an's later 4 replaced 1; bo's older 0 was ignored"
    );
    // Within one file as well: the later row of the same person wins.
    let same_file = "E-mail;Tijd van voltooien;A2Q1\ncas@org.be;3/9/2026 10:00:00;3\ncas@org.be;3/1/2026 10:00:00;1\n";
    let r3 = import_bytes(&db, &org, 2026, "dubbel.csv", same_file.as_bytes(), false).await;
    assert_eq!((r3.duplicates_replaced, r3.respondents_imported), (1, 1));
}

#[tokio::test]
async fn personal_data_is_never_stored() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let file =
        "Naam;E-mail;Functie;Team;A1Q1\nAn Peeters;an.peeters@caw.be;Hulpverlener;Team Noord;3\n";
    let r = import_bytes(&db, &org, 2026, "p.csv", file.as_bytes(), false).await;
    assert!(r.is_ok(), "{:?}", r.errors);
    let json = serde_json::to_string(&r).expect("json");
    assert!(
        !json.contains("Peeters") && !json.contains("peeters@"),
        "{json}"
    );
    let (_, answers) = snapshot(&db, &org).await;
    assert!(
        answers[0]
            .iter()
            .all(|a| a.pseudonym.starts_with('p') && !a.pseudonym.contains("peeters"))
    );
    if !t.is_postgres() {
        let path = t.url.trim_start_matches("sqlite://");
        drop(db);
        let raw = std::fs::read(path).expect("db file");
        let wal = std::fs::read(format!("{path}-wal")).unwrap_or_default();
        for haystack in [&raw, &wal] {
            let text = String::from_utf8_lossy(haystack);
            assert!(
                !text.contains("Peeters") && !text.contains("an.peeters"),
                "raw personal data found in the database file"
            );
        }
    }
}

/// Answers typed into the template's own first sheet: rows of inline-string cells added to its
/// `sheetData`, everything else of the file (dropdowns, hidden list sheet, explanation sheet, styles)
/// left as the template wrote it.
fn fill_in_template(template: &[u8], rows: &[Vec<String>]) -> Vec<u8> {
    use std::io::{Read, Write};
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut xml_rows = String::new();
    for (r, cells) in rows.iter().enumerate() {
        xml_rows.push_str(&format!("<row r=\"{}\">", r + 2));
        for (c, v) in cells.iter().enumerate() {
            xml_rows.push_str(&format!(
                "<c r=\"{}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                import::a1(r + 1, c),
                escape(v)
            ));
        }
        xml_rows.push_str("</row>");
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(template)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut filled = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(data).expect("utf-8");
            let end = xml.find("</sheetData>").expect("sheetData");
            data = format!("{}{xml_rows}{}", &xml[..end], &xml[end..]).into_bytes();
            filled = true;
        }
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name, options).expect("start");
        out.write_all(&data).expect("write");
    }
    assert!(filled, "the template has no first worksheet");
    out.finish().expect("finish").into_inner()
}

#[tokio::test]
async fn a_filled_in_template_imports_with_zero_errors() {
    use blendscan::domain::text::Lang;
    use blendscan::template::{TemplateOptions, Variant, questionnaire};
    use calamine::{Reader, Xlsx};
    let cat = catalogue();
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    for (year, (lang, variant, role)) in [
        (Lang::Nl, Variant::Full, None),
        (Lang::En, Variant::Short, None),
        (Lang::Nl, Variant::Full, Some("volunteer")),
        (Lang::En, Variant::Short, Some("team_lead")),
    ]
    .into_iter()
    .enumerate()
    {
        let what = format!("{lang:?} {variant:?} {role:?}");
        let template = questionnaire(
            &cat,
            &TemplateOptions {
                lang,
                variant,
                role: role.map(str::to_owned),
            },
        )
        .expect("template");
        let mut wb: Xlsx<_> =
            Xlsx::new(std::io::Cursor::new(template.clone())).expect("open template");
        let first = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&first).expect("sheet");
        let headers: Vec<String> = range
            .rows()
            .next()
            .expect("header row")
            .iter()
            .map(|c| c.to_string())
            .collect();
        // Fill it in as a person would: pick from the dropdown texts, in the template's own language.
        let role_name = role
            .and_then(|r| cat.role_profile(r))
            .unwrap_or(&cat.role_profiles[0])
            .name
            .get(lang)
            .to_owned();
        let group = cat.respondent_groups[1].name.get(lang).to_owned();
        let rows: Vec<Vec<String>> = (1..=6usize)
            .map(|r| {
                let mut row = vec![
                    format!("Persoon {r}"),
                    format!("p{r}@org.be"),
                    role_name.clone(),
                    "Team Noord".to_owned(),
                    group.clone(),
                ];
                for (c, h) in headers.iter().enumerate().skip(5) {
                    let code = h
                        .rsplit_once('[')
                        .map(|(_, c)| c.trim_end_matches(']'))
                        .expect("code in header");
                    let scale = cat
                        .scale(cat.scored(code).expect("known").scale())
                        .expect("scale");
                    let level = &scale.levels[(r + c) % scale.levels.len()];
                    row.push(if (r + c).is_multiple_of(11) {
                        cat.missing[0].label.get(lang).to_owned()
                    } else {
                        format!("{} - {}", level.value, level.label.get(lang))
                    });
                }
                row
            })
            .collect();
        let filled = fill_in_template(&template, &rows);
        let report = import_bytes(
            &db,
            &org,
            2020 + year as i32,
            "ingevuld.xlsx",
            &filled,
            false,
        )
        .await;
        assert!(report.is_ok(), "{what}: {:#?}", report.errors);
        assert!(report.warnings.is_empty(), "{what}: {:#?}", report.warnings);
        assert_eq!(report.sheet.as_deref(), Some(first.as_str()), "{what}");
        assert_eq!(report.respondents_imported, 6, "{what}");
        assert_eq!(
            report.columns.metadata.len(),
            5,
            "{what}: name, e-mail, role, team and group recognised"
        );
        let items = report.columns.indicators.len()
            + report.columns.competences.len()
            + report.columns.checklists.len();
        assert_eq!(items, headers.len() - 5, "{what}");
        assert_eq!(
            report.answers + report.missing_answers,
            6 * items,
            "{what}: every answer stored or counted missing"
        );
        assert!(
            report.missing_answers > 0,
            "{what}: the missing label is used"
        );
    }
}

#[tokio::test]
async fn limits_are_enforced_with_clear_messages() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let cat = catalogue();
    let file = "E-mail;A1Q1;A1Q2;A1Q3\na@x.be;1;2;3\nb@x.be;1;2;3\nc@x.be;1;2;3\n";
    let run = |limits: Limits| {
        let db = &db;
        let org = &org;
        let cat = &cat;
        async move {
            let req = ImportRequest {
                organisation: org,
                year: 2026,
                file_name: "l.csv",
                bytes: file.as_bytes(),
                sheet: None,
                dry_run: false,
            };
            import::run(db, cat, &limits, &req).await.expect("runs")
        }
    };
    let r = run(Limits {
        max_rows: 2,
        ..Limits::default()
    })
    .await;
    assert!(
        r.errors[0]
            .message
            .en
            .contains("more than 2 respondent rows")
            && r.errors[0]
                .message
                .nl
                .contains("meer dan 2 rijen met respondenten"),
        "{:?}",
        r.errors
    );
    let r = run(Limits {
        max_columns: 3,
        ..Limits::default()
    })
    .await;
    assert!(
        r.errors[0].message.en.contains("more than the limit of 3")
            && r.errors[0].message.nl.contains("meer dan de limiet van 3"),
        "{:?}",
        r.errors
    );
    let r = run(Limits {
        max_file_bytes: 10,
        ..Limits::default()
    })
    .await;
    assert!(
        r.errors[0].message.en.contains("more than the limit")
            && r.errors[0].message.nl.contains("meer dan de limiet"),
        "{:?}",
        r.errors
    );
    let r = run(Limits {
        max_problems: 1,
        ..Limits::default()
    })
    .await;
    assert!(r.is_ok());
    let bad = "E-mail;A1Q1;A1Q2\na@x.be;9;9\nb@x.be;9;9\n";
    let req = ImportRequest {
        organisation: &org,
        year: 2026,
        file_name: "b.csv",
        bytes: bad.as_bytes(),
        sheet: None,
        dry_run: false,
    };
    let r = import::run(
        &db,
        &cat,
        &Limits {
            max_problems: 2,
            ..Limits::default()
        },
        &req,
    )
    .await
    .expect("runs");
    assert_eq!((r.errors.len(), r.errors_not_shown), (2, 2));
    assert_eq!(
        snapshot(&db, &org).await.0,
        vec![(2026, 3, 9, 1)],
        "only the one valid import was stored"
    );
}

#[tokio::test]
async fn unknown_organisation_and_unknown_sheet_are_named() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let req = ImportRequest {
        organisation: "bestaat-niet",
        year: 2026,
        file_name: "x.csv",
        bytes: b"A1Q1\n1\n",
        sheet: None,
        dry_run: false,
    };
    let err = import::run(&db, &catalogue(), &Limits::default(), &req)
        .await
        .expect_err("unknown org");
    assert!(
        err.to_string()
            .contains("organisation `bestaat-niet` does not exist"),
        "{err}"
    );
    let bytes = xlsx(&small_grid());
    let req = ImportRequest {
        organisation: &org,
        year: 2026,
        file_name: "x.xlsx",
        bytes: &bytes,
        sheet: Some("Blad9"),
        dry_run: false,
    };
    let r = import::run(&db, &catalogue(), &Limits::default(), &req)
        .await
        .expect("runs");
    assert!(
        r.errors[0]
            .message
            .en
            .contains("--sheet Blad9: no such sheet; the file has Blad1"),
        "{:?}",
        r.errors
    );
    assert!(
        r.errors[0]
            .message
            .nl
            .contains("--sheet Blad9: dat blad bestaat niet; het bestand heeft Blad1"),
        "{:?}",
        r.errors
    );
}
