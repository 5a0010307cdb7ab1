//! Scoring end to end: questionnaires imported through the real import into the real database
//! (SQLite, or PostgreSQL with `TEST_DATABASE_URL`), loaded by `db::scores::score_inputs`, scored, and
//! through the binary. The file imported here is the worked example of `docs/scoring.md`.

use blendscan::db;
use blendscan::domain::scoring::{ScoreReport, Scorer, ScoringConfig, Stage};
use sea_orm::DatabaseConnection;

use crate::import::{import_bytes, with_org};
use crate::support::TestDb;
use crate::support::{blendscan, catalogue};

/// The worked example of `docs/scoring.md` as a CSV export ("Weet ik niet" = missing).
pub const EXAMPLE_CSV: &str = "\
E-mail;Functie;Team;Respondentgroep;A1Q1;A1Q2;A6Q1;A6Q2;C2K1;C2S1
s1@org.be;hulpverlener;Team Noord;medewerker;2;2;1;1;3;3
s2@org.be;hulpverlener;Team Noord;medewerker;1;3;2;2;2;2
s3@org.be;hulpverlener;Team Noord;medewerker;2;Weet ik niet;1;Weet ik niet;3;4
s4@org.be;hulpverlener;Team Noord;medewerker;1;1;2;1;2;3
s5@org.be;hulpverlener;Team Noord;medewerker;3;1;1;2;3;3
s6@org.be;hulpverlener;Team Noord;medewerker;3;3;2;2;3;Weet ik niet
m1@org.be;directeur;Directie;directie;3;3;2;2;4;4
m2@org.be;directeur;Directie;directie;4;2;3;1;3;3
m3@org.be;directeur;;directie;3;4;2;2;4;3
m4@org.be;directeur;;directie;3;Weet ik niet;2;3;2;2
m5@org.be;directeur;;directie;2;3;1;2;3;4
";

/// The example with `shift` added to every answer (kept on its scale: 0–4 for the four indicators,
/// 1–5 for the two items).
pub fn example_csv(shift: i16) -> Vec<u8> {
    let mut out = String::new();
    for (row, line) in EXAMPLE_CSV.lines().enumerate() {
        let cells: Vec<String> = line
            .split(';')
            .enumerate()
            .map(|(col, cell)| match cell.parse::<i16>() {
                Ok(v) if row > 0 => {
                    let (lo, hi) = if col < 8 { (0, 4) } else { (1, 5) };
                    (v + shift).clamp(lo, hi).to_string()
                }
                _ => cell.to_owned(),
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push('\n');
    }
    out.into_bytes()
}

pub async fn score(db: &DatabaseConnection, org: &str, year: i32) -> ScoreReport {
    let cat = catalogue();
    let inputs = db::scores::score_inputs(db, org, year)
        .await
        .expect("inputs");
    Scorer::new(&cat, ScoringConfig::default()).score(&inputs.current, inputs.previous.as_ref())
}

#[tokio::test]
async fn the_imported_worked_example_scores_as_computed_by_hand() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let report = import_bytes(&db, &org, 2026, "scan.csv", &example_csv(0), false).await;
    assert!(report.is_ok(), "{:?}", report.errors);
    let r = score(&db, &org, 2026).await;
    assert_eq!(r.respondents, 11);
    // The numbers of docs/scoring.md §12 (method 2026.2): everyone once, competence against the role.
    assert_eq!(r.aspect("A1").and_then(|a| a.score), Some(61.4));
    assert_eq!(r.aspect("A6").and_then(|a| a.score), Some(65.9));
    assert_eq!(
        r.cluster("C2").and_then(|c| c.at_expected_share),
        Some(0.73)
    );
    // Two of nine aspects scored: an index, but no stage.
    assert_eq!((r.overall, r.stage), (Some(63.7), None::<Stage>));
    // `with_org` gives the organisation 50 staff: 11 / 50.
    assert_eq!((r.response.staff, r.response.staff_rate), (11, Some(0.22)));
    // The two managers of team "Directie" form a team below the threshold: left out, counted.
    assert_eq!(
        (r.suppressed.teams, r.suppressed.respondents_in_suppressed),
        (1, 2)
    );
    let json = serde_json::to_value(&r).expect("json");
    assert!(
        !json.to_string().contains("Directie"),
        "a small team never appears"
    );
    for key in [
        "catalogue_version",
        "method_version",
        "response",
        "index_interval",
        "overall",
        "stage",
        "aspects",
        "clusters",
        "priorities",
        "suppressed",
    ] {
        assert!(json.get(key).is_some(), "key {key}");
    }
    for key in [
        "code",
        "score",
        "interval",
        "n",
        "groups",
        "unknown",
        "trend",
        "confidence",
    ] {
        assert!(json["aspects"][0].get(key).is_some(), "aspects[].{key}");
    }
    for key in ["code", "mean", "n", "at_expected_share", "trend"] {
        assert!(json["clusters"][0].get(key).is_some(), "clusters[].{key}");
    }
    for key in [
        "aspect",
        "interval",
        "tied_with",
        "recommendations",
        "actions",
    ] {
        assert!(
            json["priorities"][0].get(key).is_some(),
            "priorities[].{key}"
        );
    }
    // Same data, same bytes — and the same on SQLite and PostgreSQL.
    let again = serde_json::to_string_pretty(&score(&db, &org, 2026).await).expect("json");
    assert_eq!(serde_json::to_string_pretty(&r).expect("json"), again);
    insta::assert_snapshot!("worked_example_score", again);
}

#[tokio::test]
async fn a_scan_below_the_threshold_shows_no_figures() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    let file = "E-mail;A1Q1;C2K1\nan@org.be;3;4\nbo@org.be;2;3\ncas@org.be;1;2\n";
    assert!(
        import_bytes(&db, &org, 2026, "klein.csv", file.as_bytes(), false)
            .await
            .is_ok()
    );
    let r = score(&db, &org, 2026).await;
    assert!(r.suppressed.organisation && r.overall.is_none() && r.aspects.is_empty());
    assert_eq!(r.suppressed.respondents_in_suppressed, 3);
    assert!(
        r.notes
            .iter()
            .any(|n| n.code == "organisation_below_threshold")
    );
}

#[tokio::test]
async fn the_second_year_shows_a_trend_against_the_first() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    assert!(
        import_bytes(&db, &org, 2025, "2025.csv", &example_csv(-1), false)
            .await
            .is_ok()
    );
    assert!(
        import_bytes(&db, &org, 2026, "2026.csv", &example_csv(0), false)
            .await
            .is_ok()
    );
    let first = score(&db, &org, 2025).await;
    assert!(first.previous.is_none() && first.overall_trend.is_none());
    let r = score(&db, &org, 2026).await;
    assert_eq!(
        r.previous.as_ref().map(|p| (p.year, p.comparable)),
        Some((2025, true))
    );
    let a1 = r.aspect("A1").expect("A1");
    let before = first
        .aspect("A1")
        .and_then(|a| a.score)
        .expect("A1 in 2025");
    assert_eq!(
        a1.trend,
        a1.score.map(|s| ((s - before) * 10.0).round() / 10.0)
    );
    assert!(a1.trend.is_some_and(|t| t > 0.0), "{:?}", a1.trend);
    assert!(
        r.cluster("C2")
            .and_then(|c| c.trend)
            .is_some_and(|t| t > 0.0)
    );
    assert!(r.overall_trend.is_some_and(|t| t > 0.0));
}

/// A command line, its environment, and the message its error must contain.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[tokio::test]
async fn the_score_command_prints_json_a_dutch_summary_and_clear_errors() {
    let t = TestDb::new().await;
    let (db, org) = with_org(&t).await;
    assert!(
        import_bytes(&db, &org, 2026, "scan.csv", &example_csv(0), false)
            .await
            .is_ok()
    );
    let out = blendscan(
        &t.url,
        &["score", "--org", &org, "--year", "2026", "--json"],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        (
            v["overall"].as_f64(),
            v["stage"].is_null(),
            v["method_version"].as_str()
        ),
        (
            Some(63.7),
            true,
            Some(blendscan::domain::scoring::METHOD_VERSION)
        )
    );
    let plain = blendscan(&t.url, &["score", "--org", &org, "--year", "2026"], &[]);
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(
        text.contains("Readiness-index: 63,7 / 100 [56,5 – 70,9] — fase: –"),
        "{text}"
    );
    assert!(
        text.contains("11 personeelsleden van 50 medewerkers: respons personeel 22")
            && text.contains("Gelijkwaardig binnen de onzekerheid met A6"),
        "{text}"
    );
    assert!(
        text.contains("Prioriteiten") && text.contains("perceptiekloof"),
        "{text}"
    );
    let en = blendscan(
        &t.url,
        &["score", "--org", &org, "--year", "2026", "--lang", "en"],
        &[],
    );
    assert!(
        String::from_utf8_lossy(&en.stdout)
            .contains("Readiness index: 63.7 / 100 [56.5 – 70.9] — stage: –")
    );

    let strict = blendscan(
        &t.url,
        &["score", "--org", &org, "--year", "2026", "--json"],
        &[("BLENDSCAN_ANONYMITY_THRESHOLD", "12")],
    );
    let v: serde_json::Value = serde_json::from_slice(&strict.stdout).expect("JSON");
    assert_eq!(
        (
            v["suppressed"]["organisation"].as_bool(),
            v["anonymity_threshold"].as_u64()
        ),
        (Some(true), Some(12))
    );

    let cases: [Case; 4] = [
        (
            &["score", "--org", &org, "--year", "2030"],
            &[],
            "has no scan for 2030 (its scans: 2026)",
        ),
        (
            &["score", "--org", "bestaat-niet", "--year", "2026"],
            &[],
            "organisation `bestaat-niet` does not exist",
        ),
        (
            &["score", "--org", &org, "--year", "2026"],
            &[("BLENDSCAN_ANONYMITY_THRESHOLD", "2")],
            "never be below 3",
        ),
        (
            &[
                "benchmark",
                "--federation",
                "Onbekende Koepel",
                "--year",
                "2026",
            ],
            &[],
            "federation `Onbekende Koepel` does not exist",
        ),
    ];
    for (args, env, message) in cases {
        let out = blendscan(&t.url, args, env);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(message),
            "{args:?}: {err}"
        );
    }
}
