//! Scoring from the database at scale — a measuring harness, ignored by default and without timed
//! assertions; `scripts/bench-scoring.sh` runs it in release mode on SQLite and PostgreSQL, prints
//! the figures and fails when one misses its target. Targets: one organisation with 500
//! respondents scored in < 20 ms (load + score), for a first scan and for a second year that reads
//! the previous scan of 500 for the trend too, and a federation benchmark over 300 organisations × 100
//! respondents in < 2 s. Data are seeded with multi-row INSERTs of the short questionnaire (every
//! indicator and the core competence items, ~8% missing).

use std::time::{Duration, Instant};

use blendscan::db::{self, NewOrganisation};
use blendscan::domain::catalogue::Catalogue;
use blendscan::domain::scoring::{BenchmarkInput, Scorer, ScoringConfig};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::support::TestDb;
use crate::support::catalogue;

const ROLES: [&str; 4] = [
    "'basic_worker'",
    "'team_lead'",
    "'staff_policy'",
    "'management'",
];
const GROUPS: [&str; 4] = [
    "'staff'",
    "'staff'",
    "'management'",
    "'client_representative'",
];
const ROWS_PER_INSERT: usize = 1_000;

async fn exec(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql).await.expect("seed insert");
}

/// Insert `n` respondents into each scan and their answers; returns the number of answers.
async fn seed(
    db: &DatabaseConnection,
    cat: &Catalogue,
    scans: &[(i32, Option<i32>)],
    n: usize,
) -> usize {
    let mut codes: Vec<(String, i16, i16)> = cat
        .aspects
        .iter()
        .flat_map(|a| a.indicators.iter().map(|i| (i.code.clone(), 0, 4)))
        .collect();
    codes.extend(
        cat.clusters
            .iter()
            .flat_map(|c| c.items.iter().filter(|i| i.core))
            .map(|i| (i.code.clone(), 1, 5)),
    );
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut total = 0;
    let mut rows = Vec::new();
    for (scan, team) in scans {
        for i in 0..n {
            let team = team.map_or("NULL".to_owned(), |t| (t + (i % 5) as i32).to_string());
            // As the import stores them: the answers folded into one text (`code:value` or
            // `code:dont_know`).
            let mut answers = Vec::with_capacity(codes.len());
            for (code, lo, hi) in &codes {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                if state % 100 < 8 {
                    answers.push(format!("{code}:dont_know"));
                } else {
                    let v = lo + ((state >> 8) % (hi - lo + 1) as u64) as i16;
                    answers.push(format!("{code}:{v}"));
                }
            }
            total += answers.len();
            rows.push(format!(
                "({scan}, 'p{scan}x{i}', {}, {team}, {}, '{}')",
                ROLES[i % 4],
                GROUPS[i % 4],
                answers.join(",")
            ));
        }
    }
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO respondents (scan_id, pseudonym, role, team_id, respondent_group, \
             answers_packed) VALUES {}",
            chunk.join(",")
        );
        exec(db, &sql).await;
    }
    total
}

async fn org(
    db: &DatabaseConnection,
    name: &str,
    sector: &str,
    federation: Option<&str>,
    staff: i32,
) -> i32 {
    let new = NewOrganisation {
        name: name.into(),
        sector: Some(sector.into()),
        federation: federation.map(str::to_owned),
        staff_headcount: Some(staff),
    };
    db::organisations::add_organisation(db, &new)
        .await
        .expect("org")
        .id
}

fn stats(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "min {:.1} ms, median {:.1} ms, max {:.1} ms over {} runs",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        times.len()
    )
}

#[tokio::test]
#[ignore = "performance measurement; run scripts/bench-scoring.sh"]
async fn scoring_from_the_database_is_fast_enough() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let cat = catalogue();
    let backend = db::backend_name(&db);
    let scorer = Scorer::new(&cat, ScoringConfig::default());

    // One organisation: 500 respondents in 2026, 500 in 2025 (for the trend), 5 teams.
    let started = Instant::now();
    let id = org(&db, "Groot CAW", "CAW", None, 650).await;
    for i in 0..5 {
        exec(
            &db,
            &format!("INSERT INTO teams (organisation_id, name) VALUES ({id}, 'Team {i}')"),
        )
        .await;
    }
    let first_team: i32 = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT MIN(id) AS m FROM teams WHERE organisation_id = {id}"),
        ))
        .await
        .expect("team")
        .and_then(|r| r.try_get::<i32>("", "m").ok())
        .expect("team id");
    let mut scans = Vec::new();
    for year in [2025, 2026] {
        scans.push((
            db::scans::ensure_scan(&db, id, year, &cat.version)
                .await
                .expect("scan")
                .0
                .id,
            Some(first_team),
        ));
    }
    let answers = seed(&db, &cat, &scans, 500).await;
    if t.is_postgres() {
        exec(&db, "ANALYZE").await;
    }
    let slug = db::organisations::organisation_by_slug(&db, "groot-caw")
        .await
        .expect("org")
        .slug;
    println!(
        "[{backend}] seeded 1 organisation, 2 × 500 respondents, {answers} answers in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut times = Vec::new();
    let mut load_times = Vec::new();
    for _ in 0..20 {
        let t0 = Instant::now();
        let inputs = db::scores::score_inputs(&db, &slug, 2026)
            .await
            .expect("inputs");
        let loaded = t0.elapsed();
        let report = scorer.score(&inputs.current, inputs.previous.as_ref());
        times.push(t0.elapsed());
        load_times.push(loaded);
        assert_eq!(report.respondents, 500);
        assert!(report.overall_trend.is_some());
    }
    println!(
        "[{backend}] score one organisation (500 respondents + previous scan of 500): {}",
        stats(times.clone())
    );
    println!(
        "[{backend}]   of which loading from the database: {}",
        stats(load_times)
    );
    times.sort();
    let org_median = times[times.len() / 2];
    let mut first: Vec<Duration> = Vec::new();
    for _ in 0..20 {
        let t0 = Instant::now();
        let inputs = db::scores::score_inputs(&db, &slug, 2025)
            .await
            .expect("inputs");
        let report = scorer.score(&inputs.current, inputs.previous.as_ref());
        first.push(t0.elapsed());
        assert!(report.previous.is_none());
    }
    println!(
        "[{backend}] score one organisation's first scan (500 respondents, no earlier scan): {}",
        stats(first.clone())
    );
    first.sort();
    let single_median = first[first.len() / 2];

    // A federation: 300 organisations × 100 respondents, 2026.
    let started = Instant::now();
    let mut scans = Vec::new();
    for i in 0..300 {
        let sector = ["CAW", "CLB", "Pleegzorg", "Kinderopvang"][i % 4];
        let id = org(
            &db,
            &format!("Lid {i:03}"),
            sector,
            Some("Koepel Groot"),
            120,
        )
        .await;
        scans.push((
            db::scans::ensure_scan(&db, id, 2026, &cat.version)
                .await
                .expect("scan")
                .0
                .id,
            None,
        ));
    }
    let answers = seed(&db, &cat, &scans, 100).await;
    if t.is_postgres() {
        exec(&db, "ANALYZE").await;
    }
    println!(
        "[{backend}] seeded 300 organisations × 100 respondents, {answers} answers in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut times = Vec::new();
    let mut load_times = Vec::new();
    for _ in 0..5 {
        let t0 = Instant::now();
        let (fed, scans) = db::scores::benchmark_inputs(&db, "koepel-groot", 2026)
            .await
            .expect("inputs");
        let loaded = t0.elapsed();
        let input = BenchmarkInput {
            federation: fed.slug,
            year: 2026,
            scans,
            ..BenchmarkInput::default()
        };
        let report = scorer.benchmark(&input).expect("benchmark");
        times.push(t0.elapsed());
        load_times.push(loaded);
        assert_eq!((report.organisations, report.groups.len()), (300, 5));
    }
    println!(
        "[{backend}] federation benchmark (300 organisations × 100 respondents): {}",
        stats(times.clone())
    );
    println!(
        "[{backend}]   of which loading from the database: {}",
        stats(load_times)
    );
    times.sort();
    let federation_median = times[times.len() / 2];
    // Figures, not assertions: `scripts/bench-scoring.sh` compares them with the targets.
    for (what, median, target) in [
        (
            "one organisation, first scan",
            single_median,
            Duration::from_millis(20),
        ),
        (
            "one organisation with its previous scan",
            org_median,
            Duration::from_millis(20),
        ),
        ("federation", federation_median, Duration::from_secs(2)),
    ] {
        let verdict = if median < target { "ok" } else { "MISSED" };
        println!("[{backend}] target {what}: median {median:?} < {target:?}: {verdict}");
    }
}
