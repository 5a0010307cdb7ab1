//! Federation benchmarks end to end: members imported through the real import, `blendscan benchmark`
//! run as a user runs it. A comparison group of fewer than five organisations is never shown, and no
//! member is named unless it asks for its own row.

use blendscan::db::{self, NewOrganisation};
use sea_orm::DatabaseConnection;

use crate::import::import_bytes;
use crate::scoring::example_csv;
use crate::support::TestDb;
use crate::support::blendscan;

/// A federation with `n` members of `sector`, each with the worked example (shifted by member) for 2026.
pub async fn members(
    db: &DatabaseConnection,
    federation: &str,
    sector: &str,
    n: usize,
) -> Vec<String> {
    let mut slugs = Vec::new();
    for i in 0..n {
        let org = db::organisations::add_organisation(
            db,
            &NewOrganisation {
                name: format!("{sector} lid {i}"),
                sector: Some(sector.into()),
                federation: Some(federation.into()),
                staff_headcount: Some(30),
            },
        )
        .await
        .expect("org");
        let shift = (i % 3) as i16 - 1;
        let report =
            import_bytes(db, &org.slug, 2026, "scan.csv", &example_csv(shift), false).await;
        assert!(report.is_ok(), "{:?}", report.errors);
        slugs.push(org.slug);
    }
    slugs
}

#[tokio::test]
async fn a_benchmark_shows_five_organisations_and_suppresses_four() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let caw = members(&db, "Koepel Test", "CAW", 5).await;
    members(&db, "Koepel Test", "CLB", 4).await;
    let out = blendscan(
        &t.url,
        &[
            "benchmark",
            "--federation",
            "koepel-test",
            "--year",
            "2026",
            "--json",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let groups: Vec<(String, u64)> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["sector"].as_str().unwrap_or("(alle)").to_owned(),
                g["organisations"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // CAW (5) reaches five, but all members (9) minus CAW would be the hidden CLB sector (4):
    // CAW is hidden too (complementary suppression, docs/scoring.md §10).
    assert_eq!(groups, vec![("(alle)".to_owned(), 9)]);
    assert_eq!(v["suppressed"]["groups"], 2);
    assert_eq!(v["suppressed"]["complementary"], 1);
    assert_eq!(v["suppressed"]["organisations_in_suppressed_groups"], 9);
    assert!(
        !text.contains("lid-") && v["members"].as_array().is_some_and(Vec::is_empty),
        "no member named"
    );
    // Nine organisations: quartiles as bands of five points, no minimum or maximum.
    let a1 = &v["groups"][0]["aspects"][0]["distribution"];
    assert_eq!(
        (a1["n"].as_u64(), a1["band"].as_f64()),
        (Some(9), Some(5.0))
    );
    assert!(a1.get("min").is_none() && a1.get("max").is_none());

    let own = blendscan(
        &t.url,
        &[
            "benchmark",
            "--federation",
            "Koepel Test",
            "--year",
            "2026",
            "--org",
            &caw[0],
            "--json",
        ],
        &[],
    );
    let v: serde_json::Value = serde_json::from_slice(&own.stdout).expect("JSON");
    assert_eq!(
        v["members"][0]["organisation"].as_str(),
        Some(caw[0].as_str())
    );
    // Its sector group is not shown, so neither is a percentile within it.
    assert!(v["members"][0]["aspects"][0]["percentile"].is_number());
    assert!(v["members"][0]["aspects"][0]["sector_percentile"].is_null());
    let clb = blendscan(
        &t.url,
        &[
            "benchmark",
            "--federation",
            "koepel-test",
            "--year",
            "2026",
            "--sector",
            "clb",
        ],
        &[],
    );
    let plain = String::from_utf8_lossy(&clb.stdout);
    assert!(
        plain.contains("Niet getoond: 1 vergelijkingsgroep"),
        "{plain}"
    );
    let none = blendscan(
        &t.url,
        &["benchmark", "--federation", "koepel-test", "--year", "2024"],
        &[],
    );
    assert!(String::from_utf8_lossy(&none.stderr).contains("has no member with a scan for 2024"));
}
