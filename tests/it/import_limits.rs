//! Length limits of the import: a cell, header or metadata value of megabytes is refused by name before
//! it is copied, and an import report repeats no more than a short piece of anything from the file, so
//! it stays small whatever the file holds. Files are written here (rust_xlsxwriter, CSV) and swollen
//! afterwards, as an attacker would: no spreadsheet program writes a cell over 32,767 characters.

use std::io::{Read, Write};

use blendscan::db::entities::team;
use blendscan::domain::text::Lang;
use blendscan::import::{ImportReport, Limits};
use rust_xlsxwriter::Workbook;
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::import::{Grid, import_bytes, snapshot, with_org, xlsx as grid_xlsx};
use crate::support::TestDb;

/// What a report may weigh, serialised, whatever the file holds.
const SMALL_REPORT: usize = 50_000;

/// Where a swollen text goes: written as a short string, replaced in the saved file.
const LONG: &str = "@@LONG@@";

/// `n` letters that compress about as well as text does: a zip of megabytes of one letter repeated is
/// refused as a zip bomb before any cell is read, which is not what these tests are about.
fn text(n: usize) -> String {
    let mut x: u32 = 0x9E37_79B9;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect()
}

/// Rewrite one part of a zip container (.xlsx, .ods) with `edit`, keeping every other part.
fn rezip(original: &[u8], part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
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

/// An .xlsx with these rows on sheet Blad1 (row 1 the header; numbers as numbers), with [`LONG`]
/// replaced by `long` in the saved file.
fn xlsx(rows: &[&[&str]], long: &str) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Blad1").expect("name");
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v.parse::<f64>() {
                Ok(n) => ws.write_number(r, c, n).map(|_| ()).expect("write"),
                Err(_) => ws.write_string(r, c, *v).map(|_| ()).expect("write"),
            }
        }
    }
    let saved = wb.save_to_buffer().expect("xlsx");
    rezip(&saved, "xl/sharedStrings.xml", |xml| {
        xml.replace(LONG, long)
    })
}

/// A CSV with these rows, separated by semicolons, with [`LONG`] replaced by `long`.
fn csv(rows: &[&[&str]], long: &str) -> Vec<u8> {
    let lines: Vec<String> = rows.iter().map(|r| r.join(";")).collect();
    format!("{}\n", lines.join("\n"))
        .replace(LONG, long)
        .into_bytes()
}

/// The serialised report, as the API returns it.
fn json_len(report: &ImportReport) -> usize {
    serde_json::to_vec(report).expect("json").len()
}

/// The one error of a refused report: its cell, and its message in both languages.
fn only_error(report: &ImportReport) -> (&str, String, String) {
    assert!(!report.is_ok() && !report.stored, "{report:?}");
    assert_eq!(report.errors.len(), 1, "{:#?}", report.errors);
    let e = &report.errors[0];
    (
        e.cell.as_str(),
        e.message.get(Lang::Nl).to_owned(),
        e.message.get(Lang::En).to_owned(),
    )
}

async fn team_names(db: &DatabaseConnection) -> Vec<String> {
    let teams = team::Entity::find().all(db).await.expect("teams");
    teams.into_iter().map(|t| t.name).collect()
}

#[tokio::test]
async fn a_megabyte_in_an_answer_cell_is_refused_by_its_cell_in_every_reader() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let before = snapshot(&db, &org).await;
    let megabyte = text(1_000_000);
    let rows: &[&[&str]] = &[
        &["E-mail", "A1Q1", "A1Q2"],
        &["an@org.be", "3", "2"],
        &["bo@org.be", "1", LONG],
    ];
    let ods = rezip(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/libreoffice.ods"
        ))
        .expect("fixture"),
        "content.xml",
        |xml| xml.replacen("Bart Dubois", &megabyte, 1),
    );
    for (name, bytes, cell) in [
        ("scan.xlsx", xlsx(rows, &megabyte), "Blad1!C3"),
        ("scan.csv", csv(rows, &megabyte), "scan.csv!C3"),
        ("scan.ods", ods, "Blad1!A2"),
    ] {
        let report = import_bytes(&db, &org, 2026, name, &bytes, false).await;
        let (at, nl, en) = only_error(&report);
        assert_eq!(at, cell, "{name}");
        assert_eq!(
            nl, "de cel bevat meer dan 32767 tekens, de limiet per cel",
            "{name}"
        );
        assert_eq!(
            en, "the cell holds more than 32767 characters, the limit per cell",
            "{name}"
        );
        assert_eq!(report.errors[0].value, None, "the text is not repeated");
        assert!(
            json_len(&report) < SMALL_REPORT,
            "{name}: {} bytes",
            json_len(&report)
        );
    }
    assert_eq!(snapshot(&db, &org).await, before, "nothing was stored");
}

#[tokio::test]
async fn a_megabyte_header_is_refused_and_a_long_one_is_echoed_short() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let megabyte = text(1_000_000);
    let rows: &[&[&str]] = &[&["E-mail", "A1Q1", LONG], &["an@org.be", "3", "ok"]];
    for (name, bytes, cell) in [
        ("kop.xlsx", xlsx(rows, &megabyte), "Blad1!C1"),
        ("kop.csv", csv(rows, &megabyte), "kop.csv!C1"),
    ] {
        let report = import_bytes(&db, &org, 2026, name, &bytes, true).await;
        let (at, _, en) = only_error(&report);
        assert_eq!(at, cell, "{name}");
        assert!(en.contains("more than 32767 characters"), "{en}");
        assert!(
            json_len(&report) < SMALL_REPORT,
            "{name}: {} bytes",
            json_len(&report)
        );
    }
    // A header as long as a cell may be imports; the report repeats 200 characters of it.
    let question = format!("Opmerkingen {}", text(30_000));
    let report = import_bytes(&db, &org, 2026, "lang.xlsx", &xlsx(rows, &question), true).await;
    assert!(report.is_ok(), "{:?}", report.errors);
    let ignored = &report.columns.ignored[0];
    assert_eq!(ignored.column, "Blad1!C1");
    assert_eq!(ignored.header.chars().count(), 201);
    assert!(ignored.header.starts_with("Opmerkingen ") && ignored.header.ends_with('…'));
    assert!(
        json_len(&report) < SMALL_REPORT,
        "{} bytes",
        json_len(&report)
    );
    // An item code of thousands of digits is not repeated whole in the warning about it.
    let code = format!("Vraag [C1K{}]", "9".repeat(30_000));
    let report = import_bytes(&db, &org, 2026, "code.xlsx", &xlsx(rows, &code), true).await;
    // A code the catalogue does not have stops the import until it is confirmed (#17).
    assert!(
        report.errors.is_empty() && report.blocked(),
        "{:?}",
        report.errors
    );
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.warnings[0].message.en.len() < 1_000);
    assert!(
        json_len(&report) < SMALL_REPORT,
        "{} bytes",
        json_len(&report)
    );
}

#[tokio::test]
async fn a_team_name_of_a_megabyte_is_refused_and_never_stored() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let before = snapshot(&db, &org).await;
    let rows: &[&[&str]] = &[
        &["E-mail", "Team", "A1Q1"],
        &["an@org.be", "Team Noord", "3"],
        &["bo@org.be", LONG, "2"],
    ];
    let megabyte = text(1_000_000);
    for (name, bytes, cell) in [
        ("team.xlsx", xlsx(rows, &megabyte), "Blad1!B3"),
        ("team.csv", csv(rows, &megabyte), "team.csv!B3"),
    ] {
        let report = import_bytes(&db, &org, 2026, name, &bytes, false).await;
        let (at, _, en) = only_error(&report);
        assert_eq!(at, cell, "{name}");
        assert!(en.contains("more than 32767 characters"), "{en}");
        assert!(
            json_len(&report) < SMALL_REPORT,
            "{name}: {} bytes",
            json_len(&report)
        );
    }
    // Shorter than a cell may be, longer than a name: refused by the metadata limit.
    let long_team = format!("Team {}", text(300));
    let report = import_bytes(&db, &org, 2026, "t.xlsx", &xlsx(rows, &long_team), false).await;
    let (at, nl, en) = only_error(&report);
    assert_eq!(at, "Blad1!B3");
    assert_eq!(nl, "te lang voor de kolom team: meer dan 256 tekens");
    assert_eq!(en, "too long for the Team column: more than 256 characters");
    let shown = report.errors[0]
        .value
        .as_deref()
        .expect("a team name is shown");
    assert!(shown.starts_with("Team ") && shown.chars().count() == 201);
    assert_eq!(snapshot(&db, &org).await, before, "nothing was stored");
    assert_eq!(team_names(&db).await, Vec::<String>::new());
}

#[tokio::test]
async fn personal_data_over_the_limit_is_refused_without_repeating_it() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let email = format!("{}@org.be", text(300));
    let file = format!("E-mail;A1Q1\n{email};3\n");
    let report = import_bytes(&db, &org, 2026, "p.csv", file.as_bytes(), false).await;
    let (at, nl, en) = only_error(&report);
    assert_eq!(at, "p.csv!A2");
    assert_eq!(nl, "te lang voor de kolom e-mail: meer dan 256 tekens");
    assert_eq!(
        en,
        "too long for the Email column: more than 256 characters"
    );
    assert_eq!(
        report.errors[0].value, None,
        "an e-mail address is not shown"
    );
    assert!(
        !serde_json::to_string(&report)
            .expect("json")
            .contains(&email[..20])
    );
}

#[tokio::test]
async fn file_and_sheet_names_are_echoed_short() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let rows: &[&[&str]] = &[&["E-mail", "A1Q1"], &["an@org.be", "9"]];
    let sheet = text(100_000);
    let bytes = rezip(&xlsx(rows, ""), "xl/workbook.xml", |xml| {
        xml.replace("name=\"Blad1\"", &format!("name=\"{sheet}\""))
    });
    let file_name = format!("{}.xlsx", text(100_000));
    let report = import_bytes(&db, &org, 2026, &file_name, &bytes, false).await;
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let shown_sheet = format!("{}…", &sheet[..200]);
    assert_eq!(report.errors[0].cell, format!("{shown_sheet}!B2"));
    assert_eq!(report.sheet.as_deref(), Some(shown_sheet.as_str()));
    assert_eq!(report.file, format!("{}…", &file_name[..200]));
    assert!(
        json_len(&report) < SMALL_REPORT,
        "{} bytes",
        json_len(&report)
    );
}

#[tokio::test]
async fn cells_and_names_within_the_limits_import_as_before() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    // The longest cell Excel holds, in an ignored column, and the longest team name allowed.
    let comment = text(32_767);
    let long_team = format!("Team {}", text(251));
    let rows: &[&[&str]] = &[
        &["E-mail", "Team", "A1Q1", "Opmerkingen"],
        &["an@org.be", long_team.as_str(), "3", LONG],
    ];
    let report = import_bytes(&db, &org, 2026, "rand.xlsx", &xlsx(rows, &comment), false).await;
    assert!(report.is_ok() && report.stored, "{:?}", report.errors);
    assert_eq!((report.respondents_imported, report.answers), (1, 1));
    assert_eq!(team_names(&db).await, vec![long_team.clone()]);
    // A limit is a setting: the same file is refused under a lower one.
    let limits = Limits {
        max_cell_chars: 1_000,
        ..Limits::default()
    };
    let req = blendscan::import::ImportRequest {
        organisation: &org,
        year: 2027,
        file_name: "rand.xlsx",
        bytes: &xlsx(rows, &comment),
        sheet: None,
        dry_run: true,
    };
    let report = blendscan::import::run(&db, &crate::support::catalogue(), &limits, &req)
        .await
        .expect("runs");
    assert_eq!(only_error(&report).0, "Blad1!D2");
}

/// A workbook whose header names one catalogue item and a comment column, with `rows` respondents
/// who all give the same `comment`: rust_xlsxwriter stores it once, as a shared string, and every
/// cell points to it, the way Excel saves a repeated text.
fn repeated_comment(rows: u32, comment: &str) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Blad1").expect("name");
    for (c, h) in ["E-mail", "A1Q1", "Opmerkingen"].into_iter().enumerate() {
        ws.write_string(0, c as u16, h).expect("write");
    }
    for r in 1..=rows {
        ws.write_string(r, 0, format!("persoon{r}@org.be"))
            .expect("write");
        ws.write_number(r, 1, 3).expect("write");
        ws.write_string(r, 2, LONG).expect("write");
    }
    // Swollen afterwards: the writer keeps a copy per cell, and its peak is not what is measured.
    let saved = wb.save_to_buffer().expect("xlsx");
    rezip(&saved, "xl/sharedStrings.xml", |xml| {
        xml.replace(LONG, comment)
    })
}

#[tokio::test]
async fn a_long_text_repeated_in_every_row_is_refused_where_the_text_budget_runs_out() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let before = snapshot(&db, &org).await;
    let comment = text(30_000);
    let bytes = repeated_comment(10_000, &comment);
    assert!(bytes.len() < 500_000, "{} bytes", bytes.len());
    // Reading stops at the first cell past the budget, counted as the reader counts: every text stored.
    let max = Limits::default().max_text_bytes;
    let mut spent = ["E-mail", "A1Q1", "Opmerkingen"]
        .map(str::len)
        .iter()
        .sum::<usize>();
    let last_row = (1..)
        .find(|r| {
            spent += format!("persoon{r}@org.be").len() + comment.len();
            spent > max
        })
        .expect("a row past the budget");
    let report = import_bytes(&db, &org, 2026, "herhaald.xlsx", &bytes, false).await;
    let (at, nl, en) = only_error(&report);
    assert_eq!(at, format!("Blad1!C{}", last_row + 1));
    assert_eq!(
        nl,
        "het bestand bevat meer dan 64 MB tekst, de limiet per import, en overschrijdt die in deze cel; \
         verwijder kolommen met lange teksten die de scan niet nodig heeft (zoals opmerkingen) en importeer opnieuw"
    );
    assert_eq!(
        en,
        "the file holds more than 64 MB of text, the limit per import, and passes it at this cell; \
         remove columns of long texts the scan does not need (such as comments) and import again"
    );
    assert_eq!(report.errors[0].value, None, "the text is not repeated");
    assert_eq!((report.rows, report.respondents_imported), (0, 0));
    assert!(
        json_len(&report) < SMALL_REPORT,
        "{} bytes",
        json_len(&report)
    );
    assert_eq!(snapshot(&db, &org).await, before, "nothing was stored");
    assert_eq!(team_names(&db).await, Vec::<String>::new());
}

#[tokio::test]
async fn every_reader_keeps_to_the_text_budget() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let before = snapshot(&db, &org).await;
    let limits = Limits {
        max_text_bytes: 200,
        ..Limits::default()
    };
    let rows: &[&[&str]] = &[
        &["E-mail", "A1Q1", "Opmerkingen"],
        &["an@org.be", "3", LONG],
        &["bo@org.be", "2", LONG],
    ];
    let comment = text(150);
    let fixture = |name: &str| {
        std::fs::read(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture")
    };
    // The two comments fit in the budget one at a time, not together: the second is where it runs out.
    // The same sheet saved by LibreOffice in three formats runs out at the same cell in each (.xls and
    // .ods counted before calamine reads them, .xlsx as it is read).
    for (name, bytes, cell) in [
        ("budget.xlsx", xlsx(rows, &comment), "Blad1!C3"),
        ("budget.csv", csv(rows, &comment), "budget.csv!C3"),
        ("libreoffice.xlsx", fixture("libreoffice.xlsx"), "Blad1!D4"),
        ("libreoffice.xls", fixture("libreoffice.xls"), "Blad1!D4"),
        ("libreoffice.ods", fixture("libreoffice.ods"), "Blad1!D4"),
    ] {
        let req = blendscan::import::ImportRequest {
            organisation: &org,
            year: 2026,
            file_name: name,
            bytes: &bytes,
            sheet: None,
            dry_run: false,
        };
        let report = blendscan::import::run(&db, &crate::support::catalogue(), &limits, &req)
            .await
            .expect("runs");
        let (at, nl, en) = only_error(&report);
        assert_eq!(at, cell, "{name}");
        assert!(
            nl.starts_with("het bestand bevat meer dan 200 bytes tekst, de limiet per import"),
            "{name}: {nl}"
        );
        assert!(
            en.starts_with("the file holds more than 200 bytes of text, the limit per import"),
            "{name}: {en}"
        );
    }
    // Under the default budget the same file imports.
    let report = import_bytes(&db, &org, 2026, "budget.csv", &csv(rows, &comment), true).await;
    assert!(report.is_ok(), "{:?}", report.errors);
    assert_eq!(snapshot(&db, &org).await, before, "nothing was stored");
}

#[tokio::test]
async fn a_large_questionnaire_of_short_text_answers_imports_within_the_budget() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let cat = crate::support::catalogue();
    // 150 items answered with their labels ("3 - Verankerd"), as text, and a short comment.
    let items: Vec<(String, Vec<String>)> = cat
        .aspects
        .iter()
        .flat_map(|a| a.indicators.iter().map(|i| i.code.clone()))
        .chain(
            cat.clusters
                .iter()
                .flat_map(|c| c.items.iter().map(|i| i.code.clone())),
        )
        .take(150)
        .map(|code| {
            let scale = cat
                .scale(cat.scored(&code).expect("code").scale())
                .expect("scale");
            let labels = scale
                .levels
                .iter()
                .map(|l| format!("{} - {}", l.value, l.label.nl))
                .collect();
            (code, labels)
        })
        .collect();
    assert_eq!(items.len(), 150, "the catalogue has 150 items to ask");
    let mut headers: Vec<String> = items.iter().map(|(c, _)| c.clone()).collect();
    headers.push("Opmerkingen".into());
    let grid = Grid {
        codes: headers[..150].to_vec(),
        headers,
        rows: (0..5_000)
            .map(|r: usize| {
                let mut cells: Vec<Option<String>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, (_, labels))| Some(labels[(r + i) % labels.len()].clone()))
                    .collect();
                cells.push(Some(format!("Opmerking van medewerker {r}")));
                (format!("medewerker{r:05}@org.be"), cells)
            })
            .collect(),
    };
    let bytes = grid_xlsx(&grid);
    let report = import_bytes(&db, &org, 2026, "groot.xlsx", &bytes, true).await;
    assert!(report.is_ok(), "{:?}", report.errors);
    assert_eq!(report.respondents_imported, 5_000);
    assert_eq!(report.answers, 5_000 * 150);
}
