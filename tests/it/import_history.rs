//! Import history (issue 17): a corrected copy of an anonymous file is not counted twice — the import
//! stops and asks whether it replaces the earlier one (`--replaces ID|none`) — and an import can be
//! taken out again. Fixtures `anonymous.xlsx` and `anonymous_corrected.xlsx` (openpyxl, through
//! scripts/make_fixtures.py coordinators): the same twelve rows without anyone's identity, one answer
//! changed.

use blendscan::import::{ImportOptions, Replaces};
use sea_orm::DatabaseConnection;
use serde_json::Value;

use crate::import_text::{all_messages, answers, expected, import, org};
use crate::support::{TestDb, app_on};

const FIRST: &str = "anonymous.xlsx";
const CORRECTED: &str = "anonymous_corrected.xlsx";

fn spec() -> Value {
    expected()
        .into_iter()
        .find(|e| e["file"] == CORRECTED)
        .expect("spec of the corrected file")
}

fn replacing(replaces: Replaces) -> ImportOptions {
    ImportOptions {
        replaces,
        ..ImportOptions::default()
    }
}

/// How many respondents the scan holds, and the value the corrected answer has in it (if any row has it).
async fn respondents(db: &DatabaseConnection, slug: &str) -> usize {
    let mut people: Vec<String> = answers(db, slug, 2026)
        .await
        .into_iter()
        .map(|a| a.0)
        .collect();
    people.dedup();
    people.len()
}

#[tokio::test]
async fn a_corrected_anonymous_file_stops_and_replaces_the_earlier_import_only_when_told() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let app = app_on(&db);
    let slug = org(&db, "Anoniem").await;
    let spec = spec();
    let first = import(&db, &slug, 2026, FIRST, false, ImportOptions::default()).await;
    assert!(first.is_ok() && first.stored, "{}", all_messages(&first));
    let first_id = app.imports(&slug, Some(2026)).await.expect("list")[0].id;
    let before = answers(&db, &slug, 2026).await;

    // Unasked: nothing stored, the earlier import named with how alike they are; a dry run says the same.
    for dry_run in [true, false] {
        let r = import(
            &db,
            &slug,
            2026,
            CORRECTED,
            dry_run,
            ImportOptions::default(),
        )
        .await;
        let like = r
            .resembles
            .clone()
            .unwrap_or_else(|| panic!("dry run {dry_run}: no resemblance: {}", all_messages(&r)));
        assert!(!r.is_ok() && !r.stored, "dry run {dry_run}");
        assert_eq!(like.import, first_id);
        assert_eq!(like.file_name, spec["resembles"]);
        assert_eq!(
            like.equal_rows as u64,
            spec["equal_rows"].as_u64().expect("n")
        );
        assert_eq!((like.rows, like.earlier_rows), (12, 12));
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["resembles"]["import"], first_id, "{json}");
    }
    assert_eq!(answers(&db, &slug, 2026).await, before, "nothing stored");

    // An id that is not an import of this scan is refused with its place, before anything is stored.
    let other = org(&db, "Ander").await;
    let theirs = import(&db, &other, 2026, FIRST, false, ImportOptions::default()).await;
    assert!(theirs.stored);
    let their_id = app.imports(&other, None).await.expect("list")[0].id;
    for wrong in [their_id, first_id + 1000] {
        let r = import(
            &db,
            &slug,
            2026,
            CORRECTED,
            false,
            replacing(Replaces::Import(wrong)),
        )
        .await;
        assert!(!r.stored, "{wrong}");
        assert_eq!(r.errors[0].cell, "replaces", "{}", all_messages(&r));
        assert!(r.errors[0].message.nl.contains(&format!("import {wrong}")));
    }
    assert_eq!(
        respondents(&db, &other).await,
        12,
        "the other tenant's import is untouched"
    );

    // Told it replaces the first: the first is taken out in the same transaction; twelve people, the
    // corrected answer in place.
    let r = import(
        &db,
        &slug,
        2026,
        CORRECTED,
        false,
        replacing(Replaces::Import(first_id)),
    )
    .await;
    assert!(r.is_ok() && r.stored, "{}", all_messages(&r));
    let replaced = r.replaced_import.expect("replaced import");
    assert_eq!((replaced.import, replaced.removed), (first_id, 12));
    assert_eq!(respondents(&db, &slug).await, 12);
    let code = spec["changed"]["code"].as_str().expect("code");
    let value = spec["changed"]["value"].as_i64().expect("value") as i16;
    let now = answers(&db, &slug, 2026).await;
    assert_ne!(now, before);
    let count = |list: &[(String, String, Option<i16>, Option<String>)]| {
        list.iter()
            .filter(|a| a.1 == code && a.2 == Some(value))
            .count()
    };
    assert_eq!(
        count(&now),
        count(&before) + 1,
        "the corrected answer is stored"
    );
    let history = app.imports(&slug, Some(2026)).await.expect("list");
    assert_eq!(
        history.len(),
        1,
        "the replaced import is gone from the history"
    );

    // Told it is new answers: both kept (24 people).
    let slug2 = org(&db, "Twee keer").await;
    assert!(
        import(&db, &slug2, 2026, FIRST, false, ImportOptions::default())
            .await
            .stored
    );
    let r = import(
        &db,
        &slug2,
        2026,
        CORRECTED,
        false,
        replacing(Replaces::Nothing),
    )
    .await;
    assert!(r.is_ok() && r.stored, "{}", all_messages(&r));
    assert_eq!(respondents(&db, &slug2).await, 24);
}

#[tokio::test]
async fn files_of_identified_people_or_other_answers_never_ask() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let slug = org(&db, "Benoemd").await;
    // The coded twin names everyone (e-mail): a later file of the same people replaces them by
    // pseudonym, so the question of resemblance does not arise.
    assert!(
        import(
            &db,
            &slug,
            2026,
            "coded.xlsx",
            false,
            ImportOptions::default()
        )
        .await
        .stored
    );
    let r = import(
        &db,
        &slug,
        2026,
        "text_nl.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    assert!(
        r.is_ok() && r.stored && r.resembles.is_none(),
        "{}",
        all_messages(&r)
    );
    assert_eq!(respondents(&db, &slug).await, 12);
    // An anonymous file beside a scan of other answers (another year) does not ask either.
    let r = import(&db, &slug, 2027, FIRST, false, ImportOptions::default()).await;
    assert!(r.stored && r.resembles.is_none(), "{}", all_messages(&r));
}

#[tokio::test]
async fn undo_takes_an_import_out_and_puts_back_what_it_replaced() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let app = app_on(&db);
    let slug = org(&db, "Ongedaan").await;
    assert!(
        import(
            &db,
            &slug,
            2026,
            "coded.xlsx",
            false,
            ImportOptions::default()
        )
        .await
        .stored
    );
    let before = answers(&db, &slug, 2026).await;
    let score = |app: blendscan::app::App, slug: String| async move {
        let (_, report) = app.score_scan(&slug, 2026).await.expect("score");
        serde_json::to_value(&report).expect("json")
    };
    let before_score = score(app.clone(), slug.clone()).await;
    // Three of the same people again, with other answers: their submissions replace the first ones.
    let later = import(
        &db,
        &slug,
        2026,
        "answers.xlsx",
        false,
        ImportOptions::default(),
    )
    .await;
    assert!(later.stored, "{}", all_messages(&later));
    assert_eq!(later.duplicates_replaced, 3, "{}", all_messages(&later));
    assert_ne!(answers(&db, &slug, 2026).await, before);
    let list = app.imports(&slug, None).await.expect("list");
    assert_eq!(list.len(), 2);
    let newest = &list[0];
    assert_eq!(newest.file_name, "answers.xlsx");
    let done = app.undo_import(&slug, newest.id).await.expect("undo");
    assert_eq!((done.year, done.removed, done.restored), (2026, 0, 3));
    assert_eq!(answers(&db, &slug, 2026).await, before, "back as it was");
    assert_eq!(score(app.clone(), slug.clone()).await, before_score);
    // Undo again, or another organisation's import: refused, nothing changed.
    assert!(app.undo_import(&slug, newest.id).await.is_err());
    let other = org(&db, "Ander").await;
    assert!(
        app.undo_import(&other, list[1].id).await.is_err(),
        "another tenant's import"
    );
    assert_eq!(app.imports(&slug, None).await.expect("list").len(), 1);
}
