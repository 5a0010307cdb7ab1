//! Questionnaires as coordinators build them (issue 17), from tests/fixtures/coordinators/ (written by
//! openpyxl, XlsxWriter, LibreOffice and the csv module through scripts/make_fixtures.py): question
//! texts instead of codes, wrappers of the survey tools, proposals confirmed once and remembered,
//! no silent partial import, the data found on the sheet, Belgian dates and typed answers.

use std::path::Path;

use blendscan::db::{self, NewOrganisation};
use blendscan::domain::text::Lang;
use blendscan::import::{
    self, ImportOptions, ImportReport, ImportRequest, Limits, MappingFile, Reason,
};
use sea_orm::DatabaseConnection;
use serde_json::Value;

use crate::support::queries::StoredAnswer;
use crate::support::{TestDb, app_on, catalogue};

pub(crate) fn dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/coordinators"
    ))
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub(crate) fn expected() -> Vec<Value> {
    let text = std::fs::read_to_string(dir().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("valid expected.json")
}

pub(crate) async fn org(db: &DatabaseConnection, name: &str) -> String {
    db::organisations::add_organisation(
        db,
        &NewOrganisation {
            name: name.into(),
            staff_headcount: Some(50),
            ..Default::default()
        },
    )
    .await
    .expect("org")
    .slug
}

pub(crate) async fn import(
    db: &DatabaseConnection,
    org: &str,
    year: i32,
    name: &str,
    dry_run: bool,
    options: ImportOptions,
) -> ImportReport {
    let bytes = read(name);
    let req = ImportRequest {
        organisation: org,
        year,
        file_name: name,
        bytes: &bytes,
        sheet: None,
        dry_run,
    };
    import::run_with(db, &catalogue(), &Limits::default(), &req, &options)
        .await
        .expect("import runs")
}

pub(crate) async fn answers(
    db: &DatabaseConnection,
    org: &str,
    year: i32,
) -> Vec<(String, String, Option<i16>, Option<String>)> {
    let o = db::organisations::organisation_by_slug(db, org)
        .await
        .expect("org");
    let scan = db::scans::scans_of(db, o.id)
        .await
        .expect("scans")
        .into_iter()
        .find(|s| s.year == year)
        .expect("scan");
    let mut out: Vec<_> = crate::support::queries::answers_of_scan(db, scan.id)
        .await
        .into_iter()
        .map(
            |StoredAnswer {
                 pseudonym,
                 item_code,
                 value,
                 missing,
             }| (pseudonym, item_code, value, missing),
        )
        .collect();
    out.sort();
    out
}

pub(crate) fn all_messages(r: &ImportReport) -> String {
    r.errors
        .iter()
        .chain(&r.warnings)
        .map(|p| format!("{} | {}", p.render(Lang::Nl), p.render(Lang::En)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn text_headers_import_without_flags_and_score_like_their_coded_twin() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let app = app_on(&db);
    let coded = org(&db, "Coded").await;
    let base = import(
        &db,
        &coded,
        2026,
        "coded.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    assert!(base.is_ok() && base.stored, "{}", all_messages(&base));
    let (_, want_score) = app.score_scan(&coded, 2026).await.expect("score");
    let want_score = serde_json::to_value(&want_score).expect("json");
    let want = answers(&db, &coded, 2026).await;
    assert!(want.len() > 12 * 30, "the twin has answers: {}", want.len());
    let twins: Vec<String> = expected()
        .iter()
        .filter(|e| e["twin"] == true && e["file"] != "coded.xlsx")
        .map(|e| e["file"].as_str().expect("file").to_owned())
        .collect();
    assert!(twins.len() >= 5, "{twins:?}");
    for (i, name) in twins.iter().enumerate() {
        let slug = org(&db, &format!("Twin {i}")).await;
        let r = import(&db, &slug, 2026, name, false, ImportOptions::default()).await;
        assert!(r.is_ok() && r.stored, "{name}: {}", all_messages(&r));
        assert!(!r.needs_confirmation, "{name}");
        let flagged: Vec<_> = r
            .warnings
            .iter()
            .filter(|w| !w.message.en.contains("title above"))
            .collect();
        assert!(flagged.is_empty(), "{name}: {flagged:?}");
        assert!(
            r.columns.ignored.is_empty(),
            "{name}: {:?}",
            r.columns.ignored
        );
        assert_eq!(r.respondents_imported, 12, "{name}");
        assert_eq!(
            answers(&db, &slug, 2026).await,
            want,
            "{name}: stored answers"
        );
        let (_, score) = app.score_scan(&slug, 2026).await.expect("score");
        let got_score = serde_json::to_value(&score).expect("json");
        for (key, want) in want_score.as_object().expect("object") {
            if key.contains("organisation") || key == "generated_at" {
                continue;
            }
            assert_eq!(&got_score[key], want, "{name}: scores, {key}");
        }
        let text_columns = r
            .mapping
            .iter()
            .filter(|m| m.reason == Reason::Text)
            .count();
        if name.starts_with("text_") {
            assert!(text_columns >= 30, "{name}: {text_columns} columns by text");
        }
    }
}

#[tokio::test]
async fn an_edited_questionnaire_is_confirmed_once_and_remembered_for_next_year() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let slug = org(&db, "Edited").await;
    let spec = expected()
        .into_iter()
        .find(|e| e["file"] == "text_edited.xlsx")
        .expect("spec");
    let proposals: Vec<String> = spec["proposals"]
        .as_array()
        .expect("proposals")
        .iter()
        .map(|v| v.as_str().expect("code").to_owned())
        .collect();
    // Not stored silently: the proposals stop the import and the warnings name them.
    let first = import(
        &db,
        &slug,
        2026,
        "text_edited.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    assert!(
        !first.stored && first.blocked() && first.errors.is_empty(),
        "{}",
        all_messages(&first)
    );
    for code in &proposals {
        assert!(
            first
                .warnings
                .iter()
                .any(|w| w.message.en.contains(code.as_str())
                    && w.message.nl.contains("--allow-partial")),
            "{code}: {}",
            all_messages(&first)
        );
    }
    // The dry run's mapping proposes exactly those, with confidence below 1 and the reason.
    let dry = import(
        &db,
        &slug,
        2026,
        "text_edited.xlsx",
        true,
        ImportOptions::default(),
    )
    .await;
    let proposed: Vec<&import::MappedColumn> = dry
        .mapping
        .iter()
        .filter(|m| m.needs_confirmation)
        .collect();
    let mut got: Vec<String> = proposed.iter().filter_map(|m| m.code.clone()).collect();
    got.sort();
    assert_eq!(got, proposals);
    assert!(
        proposed
            .iter()
            .all(|m| m.reason == Reason::CloseText && m.confidence < 1.0 && m.confidence >= 0.8)
    );
    // The user confirms the mapping file as written: stored, and remembered.
    let file: MappingFile = serde_json::from_str(
        &serde_json::to_string(&MappingFile {
            columns: dry.mapping.clone(),
        })
        .expect("json"),
    )
    .expect("mapping file round trip");
    let confirmed = import(
        &db,
        &slug,
        2026,
        "text_edited.xlsx",
        false,
        ImportOptions {
            mapping: Some(file),
            ..ImportOptions::default()
        },
    )
    .await;
    assert!(
        confirmed.is_ok() && confirmed.stored,
        "{}",
        all_messages(&confirmed)
    );
    let reason_of = |r: &ImportReport, code: &str| {
        r.mapping
            .iter()
            .find(|m| m.code.as_deref() == Some(code))
            .map(|m| m.reason)
    };
    for code in &proposals {
        assert_eq!(reason_of(&confirmed, code), Some(Reason::Mapping), "{code}");
    }
    // Next year, the same headers import without asking.
    let next = import(
        &db,
        &slug,
        2027,
        "text_edited.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    assert!(next.is_ok() && next.stored, "{}", all_messages(&next));
    for code in &proposals {
        assert_eq!(reason_of(&next, code), Some(Reason::Remembered), "{code}");
    }
    // Another organisation is asked again: remembered mappings are the organisation's own.
    let other = org(&db, "Other").await;
    let asked = import(
        &db,
        &other,
        2026,
        "text_edited.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    assert!(asked.blocked() && !asked.stored);
}

#[tokio::test]
async fn a_half_coded_file_stops_and_names_the_columns_unless_partial_is_allowed() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let slug = org(&db, "Half").await;
    let r = import(
        &db,
        &slug,
        2026,
        "half_coded.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    assert!(
        r.blocked() && !r.stored && r.errors.is_empty(),
        "{}",
        all_messages(&r)
    );
    let named = r
        .warnings
        .iter()
        .filter(|w| w.message.en.contains("--allow-partial"))
        .count();
    assert!(named >= 10, "{named}: {}", all_messages(&r));
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["needs_confirmation"], true);
    assert!(
        json["warnings"]
            .as_array()
            .is_some_and(|w| w.len() >= named)
    );
    let allowed = import(
        &db,
        &slug,
        2026,
        "half_coded.xlsx",
        false,
        ImportOptions {
            allow_partial: true,
            ..ImportOptions::default()
        },
    )
    .await;
    assert!(
        allowed.is_ok() && allowed.stored,
        "{}",
        all_messages(&allowed)
    );
}

#[tokio::test]
async fn the_data_is_found_and_what_is_not_data_is_named() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let slug = org(&db, "Layout").await;
    // Empty first sheet, merged title, formatting to row 1,048,576: found and imported.
    let clean = import(
        &db,
        &slug,
        2026,
        "layout_clean.xlsx",
        true,
        ImportOptions::default(),
    )
    .await;
    assert!(clean.is_ok(), "{}", all_messages(&clean));
    assert_eq!(clean.sheet.as_deref(), Some("Antwoorden"));
    assert!(
        clean
            .warnings
            .iter()
            .any(|w| w.cell == "Antwoorden!A1" && w.message.en.contains("row 1 skipped"))
    );
    // A totals row of AVERAGE formulas is named as such.
    let totals = import(
        &db,
        &slug,
        2026,
        "layout.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    assert!(!totals.stored);
    assert_eq!(totals.errors.len(), 1, "{}", all_messages(&totals));
    assert_eq!(totals.errors[0].cell, "Antwoorden!A16");
    assert!(
        totals.errors[0]
            .message
            .nl
            .contains("verwijder deze totaalrij")
    );
    assert!(
        totals.errors[0]
            .message
            .en
            .contains("delete this totals row")
    );
    // Two sheets with questions: both listed with their counts, and --sheet named.
    let two = import(
        &db,
        &slug,
        2026,
        "two_sheets.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    let m = &two.errors[0].message;
    assert!(
        m.en.contains("Team Noord (") && m.en.contains("Team Zuid (") && m.en.contains("--sheet"),
        "{m:?}"
    );
}

#[tokio::test]
async fn answers_as_people_type_them_and_multi_select_semicolons() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let slug = org(&db, "Answers").await;
    let r = import(
        &db,
        &slug,
        2026,
        "answers.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    assert!(r.is_ok() && r.stored, "{}", all_messages(&r));
    let stored = answers(&db, &slug, 2026).await;
    let values: Vec<Option<i16>> = stored
        .iter()
        .filter(|a| a.2.is_some())
        .map(|a| a.2)
        .collect();
    assert_eq!(
        values.iter().filter(|v| **v == Some(3)).count(),
        9,
        "{stored:?}"
    );
    assert_eq!(
        values.iter().filter(|v| **v == Some(4)).count(),
        3,
        "{stored:?}"
    );
    assert_eq!(
        stored.iter().filter(|a| a.3.is_some()).count(),
        6,
        "{stored:?}"
    );
    for cell in ["Blad1!F2", "Blad1!M2"] {
        assert!(
            r.warnings
                .iter()
                .any(|w| w.cell == cell && w.message.nl.contains("';'")),
            "{cell}: {}",
            all_messages(&r)
        );
    }
    let multi = import(
        &db,
        &slug,
        2026,
        "answers_multi.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    assert_eq!(multi.errors.len(), 1, "{}", all_messages(&multi));
    assert_eq!(multi.errors[0].cell, "Blad1!G2");
    assert!(multi.errors[0].message.en.contains("several answers"));
}

#[tokio::test]
async fn an_xls_of_256_columns_names_the_questions_it_lost() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let slug = org(&db, "Xls").await;
    let spec = expected()
        .into_iter()
        .find(|e| e["file"] == "template_256.xls")
        .expect("spec");
    let r = import(
        &db,
        &slug,
        2026,
        "template_256.xls",
        true,
        ImportOptions::default(),
    )
    .await;
    let w = r
        .warnings
        .iter()
        .find(|w| w.message.en.contains("256 columns"))
        .unwrap_or_else(|| panic!("{}", all_messages(&r)));
    for code in spec["lost"].as_array().expect("lost") {
        assert!(
            w.message.en.contains(code.as_str().expect("code")),
            "{code}: {w:?}"
        );
    }
}
