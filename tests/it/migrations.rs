//! The migrations apply to an empty database, and applying them again changes nothing — on SQLite and,
//! when `TEST_DATABASE_URL` is set, on PostgreSQL.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::support::TestDb;

/// A description of the schema: every table and column with its type and nullability, every index
/// and every constraint (foreign keys, uniques, checks).
async fn schema(db: &DatabaseConnection) -> Vec<String> {
    let queries: &[&str] = match db.get_database_backend() {
        DbBackend::Postgres => &[
            "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS d \
             FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1",
            "SELECT 'index ' || indexname || ': ' || indexdef AS d FROM pg_indexes \
             WHERE schemaname = 'public' ORDER BY 1",
            "SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ': ' || \
             pg_get_constraintdef(oid) AS d FROM pg_constraint \
             WHERE connamespace = 'public'::regnamespace ORDER BY 1",
        ],
        _ => &[
            "SELECT m.name || '.' || p.name || ' ' || p.type || ' ' || p.\"notnull\" AS d \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1",
            "SELECT 'index ' || name || ' on ' || tbl_name || ': ' || coalesce(sql, 'automatic') AS d \
             FROM sqlite_master WHERE type = 'index' ORDER BY 1",
            "SELECT 'foreign key ' || m.name || '.' || f.\"from\" || ' -> ' || f.\"table\" || '.' || \
             f.\"to\" || ' ' || f.on_delete AS d \
             FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 1",
        ],
    };
    let mut out = Vec::new();
    for sql in queries {
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), *sql))
            .await
            .expect("schema query");
        out.extend(
            rows.iter()
                .map(|r| r.try_get::<String>("", "d").expect("column d")),
        );
    }
    out
}

#[tokio::test]
async fn migrations_apply_to_an_empty_database_and_again_change_nothing() {
    let t = TestDb::new().await;
    let db = blendscan::db::open(&t.url).await.expect("open");
    assert!(schema(&db).await.is_empty(), "starts empty");
    blendscan::db::migrate(&db).await.expect("first run");
    let first = schema(&db).await;
    for table in [
        "federations.slug",
        "organisations.staff_headcount",
        "scans.catalogue_version",
        "respondents.pseudonym",
        "respondents.answers_packed",
        "imports.file_digest",
        "users.password_hash",
        "reports.pdf",
        "outbox.idempotency_key",
    ] {
        assert!(
            first.iter().any(|c| c.starts_with(&format!("{table} "))),
            "{table} in {first:?}"
        );
    }
    // Indexes and foreign keys are part of what a second run must leave alone.
    assert!(first.iter().any(|d| d.starts_with("index ")), "{first:?}");
    assert!(
        first
            .iter()
            .any(|d| d.starts_with("foreign key ") || d.contains("FOREIGN KEY")),
        "{first:?}"
    );
    blendscan::db::migrate(&db).await.expect("second run");
    assert_eq!(schema(&db).await, first, "a second run changes nothing");
    let applied = blendscan::db::applied_migrations(&db)
        .await
        .expect("applied");
    assert_eq!(
        applied.len(),
        <migration::Migrator as migration::MigratorTrait>::migrations().len()
    );
    assert_eq!(
        blendscan::db::backend_name(&db),
        if t.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
}

#[tokio::test]
async fn organisations_get_unique_slugs_and_scans_are_created_once() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let new = blendscan::db::NewOrganisation {
        name: "CAW De Brug".into(),
        sector: Some("CAW".into()),
        federation: Some("Koepel Welzijn".into()),
        staff_headcount: Some(40),
    };
    let a = blendscan::db::organisations::add_organisation(&db, &new)
        .await
        .expect("first");
    let b = blendscan::db::organisations::add_organisation(&db, &new)
        .await
        .expect("second");
    assert_eq!(a.slug, "caw-de-brug");
    assert_eq!(b.slug, "caw-de-brug-2");
    assert_eq!(a.federation.as_deref(), Some("koepel-welzijn"));
    let (s1, created1) = blendscan::db::scans::ensure_scan(&db, a.id, 2026, "2026.1")
        .await
        .expect("scan");
    let (s2, created2) = blendscan::db::scans::ensure_scan(&db, a.id, 2026, "2026.1")
        .await
        .expect("scan again");
    assert!(created1 && !created2);
    assert_eq!(s1, s2);
    assert!(
        blendscan::db::scans::ensure_scan(&db, a.id, 1999, "2026.1")
            .await
            .is_err()
    );
    let err = blendscan::db::organisations::add_organisation(
        &db,
        &blendscan::db::NewOrganisation {
            name: " ".into(),
            ..Default::default()
        },
    )
    .await
    .expect_err("empty name");
    assert!(err.to_string().contains("--name"), "{err}");
}

/// Migrations 6 and 7 move the answers from one row each into one text per respondent. Going back
/// before them rebuilds the rows, with the reason each missing answer is missing; going up again folds
/// them back: the same answers and the same scores as before.
#[tokio::test]
async fn answers_move_into_respondents_and_back_without_loss() {
    use blendscan::domain::scoring::{Scorer, ScoringConfig};
    use migration::{Migrator, MigratorTrait};

    let t = TestDb::new().await;
    let (db, org) = crate::import::with_org(&t).await;
    let csv = crate::scoring::example_csv(7);
    let r = crate::import::import_bytes(&db, &org, 2026, "scan.csv", &csv, false).await;
    assert!(r.is_ok(), "{:?}", r.errors);
    let cat = crate::support::catalogue();
    let score = |db: DatabaseConnection| {
        let cat = cat.clone();
        let org = org.clone();
        async move {
            let inputs = blendscan::db::scores::score_inputs(&db, &org, 2026)
                .await
                .expect("inputs");
            let report = Scorer::new(&cat, ScoringConfig::default())
                .score(&inputs.current, inputs.previous.as_ref());
            serde_json::to_string(&report).expect("json")
        }
    };
    let count = |db: DatabaseConnection, sql: &'static str| async move {
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("count")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n")
    };
    let before = score(db.clone()).await;
    let (counts, answers) = crate::import::snapshot(&db, &org).await;
    let dont_know = answers[0]
        .iter()
        .filter(|a| a.value.is_none() && a.missing.as_deref() == Some("dont_know"))
        .count();
    assert_eq!(dont_know, 4, "the example has four 'Weet ik niet' answers");
    assert_eq!(counts[0].2, answers[0].len());

    // Back to migration 7, undoing the later ones.
    let later = (Migrator::migrations().len() - 7) as u32;
    if later > 0 {
        Migrator::down(&db, Some(later)).await.expect("down to 7");
    }
    // Before migration 7: one row per answer again, reasons included.
    Migrator::down(&db, Some(1)).await.expect("down 7");
    assert_eq!(
        count(db.clone(), "SELECT count(*) AS n FROM answers").await,
        answers[0].len() as i64
    );
    assert_eq!(
        count(
            db.clone(),
            "SELECT count(*) AS n FROM answers WHERE value IS NULL AND missing = 'dont_know'"
        )
        .await,
        dont_know as i64
    );
    // Before migration 6: no text at all, the rows are all there is.
    Migrator::down(&db, Some(1)).await.expect("down 6");
    let schema_before_6 = schema(&db).await;
    assert!(
        !schema_before_6
            .iter()
            .any(|c| c.starts_with("respondents.answers_packed")),
        "the column is gone"
    );
    assert!(
        schema_before_6
            .iter()
            .any(|c| c.starts_with("answers.missing "))
    );

    Migrator::up(&db, None).await.expect("up");
    assert!(
        !schema(&db).await.iter().any(|c| c.starts_with("answers.")),
        "the answers table is gone"
    );
    assert_eq!(
        count(
            db.clone(),
            "SELECT count(*) AS n FROM respondents WHERE answers_packed IS NULL OR answers_packed = ''"
        )
        .await,
        0,
        "every respondent's answers were folded"
    );
    assert_eq!(
        crate::import::snapshot(&db, &org).await,
        (counts, answers),
        "the same answers, reasons included"
    );
    assert_eq!(score(db.clone()).await, before, "the same scores");
}
