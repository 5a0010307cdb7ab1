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
        "answers.item_code",
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
    let a = blendscan::db::add_organisation(&db, &new)
        .await
        .expect("first");
    let b = blendscan::db::add_organisation(&db, &new)
        .await
        .expect("second");
    assert_eq!(a.slug, "caw-de-brug");
    assert_eq!(b.slug, "caw-de-brug-2");
    assert_eq!(a.federation.as_deref(), Some("koepel-welzijn"));
    let (s1, created1) = blendscan::db::ensure_scan(&db, a.id, 2026, "2026.1")
        .await
        .expect("scan");
    let (s2, created2) = blendscan::db::ensure_scan(&db, a.id, 2026, "2026.1")
        .await
        .expect("scan again");
    assert!(created1 && !created2);
    assert_eq!(s1, s2);
    assert!(
        blendscan::db::ensure_scan(&db, a.id, 1999, "2026.1")
            .await
            .is_err()
    );
    let err = blendscan::db::add_organisation(
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

/// Answers stored before migration 6 have no `answers_packed`: the migration folds them, and the
/// scores are the same as before.
#[tokio::test]
async fn the_packed_answers_migration_folds_answers_stored_before_it() {
    use blendscan::domain::scoring::{Scorer, ScoringConfig};
    use migration::{Migrator, MigratorTrait};

    let t = TestDb::new().await;
    let (db, org) = crate::import::with_org(&t).await;
    let csv = crate::scoring::example_csv(7);
    let r = crate::import::import_bytes(&db, &org, 2026, "scan.csv", &csv, false).await;
    assert!(r.is_ok(), "{:?}", r.errors);
    let cat = crate::import::catalogue();
    let score = |db: DatabaseConnection| {
        let cat = cat.clone();
        let org = org.clone();
        async move {
            let inputs = blendscan::db::score_inputs(&db, &org, 2026)
                .await
                .expect("inputs");
            let report = Scorer::new(&cat, ScoringConfig::default())
                .score(&inputs.current, inputs.previous.as_ref());
            serde_json::to_string(&report).expect("json")
        }
    };
    let before = score(db.clone()).await;

    // Back to the schema before the column, then up again: the column is filled from the rows.
    Migrator::down(&db, Some(1)).await.expect("down");
    assert!(
        !schema(&db)
            .await
            .iter()
            .any(|c| c.starts_with("respondents.answers_packed")),
        "the column is gone"
    );
    Migrator::up(&db, None).await.expect("up");
    let empty = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT count(*) AS n FROM respondents WHERE answers_packed IS NULL OR answers_packed = ''",
        ))
        .await
        .expect("count")
        .expect("row")
        .try_get::<i64>("", "n")
        .expect("n");
    assert_eq!(empty, 0, "every respondent's answers were folded");
    assert_eq!(score(db.clone()).await, before, "the same scores");
}
