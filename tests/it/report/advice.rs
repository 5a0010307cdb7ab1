//! The counsellor's advice: files checked with precise messages, stored per scan, replaced when set
//! again; and the `advice` and `report` commands as a user runs them, with their errors.

use std::process::Output;

use blendscan::report::advice::{self, PlanStatus};
use sea_orm::DatabaseConnection;

use super::support::{YEAR, federation};
use crate::support::{catalogue, stderr};

/// Check and store an advice given as TOML.
pub async fn store(db: &DatabaseConnection, slug: &str, toml: &str) {
    let a = advice::parse("advies.toml", toml, &catalogue()).expect("valid advice");
    let (_, scan) = crate::support::app_on(db)
        .scan(slug, YEAR)
        .await
        .expect("scan");
    blendscan::db::advice::replace_advice(db, scan.id, &a.to_stored())
        .await
        .expect("stored");
}

/// Check and store an advice given as JSON.
pub async fn store_json(db: &DatabaseConnection, slug: &str, json: &str) {
    let a = advice::parse("advies.json", json, &catalogue()).expect("valid advice");
    let (_, scan) = crate::support::app_on(db)
        .scan(slug, YEAR)
        .await
        .expect("scan");
    blendscan::db::advice::replace_advice(db, scan.id, &a.to_stored())
        .await
        .expect("stored");
}

#[test]
fn advice_files_are_checked_with_messages_that_name_the_entry() {
    let cat = catalogue();
    let bad = r#"
        counsellor = "An"
        colour = "red"
        [[aspect]]
        code = "A10"
        advice = "x"
        [[aspect]]
        code = "a2"
        advice = "eerste"
        [[aspect]]
        code = "A2"
        advice = "tweede"
        [[action]]
        code = "R14"
        owner = "Directie"
        due = 2026-06-30
        [[action]]
        code = "R14.1"
        due = "31/02/2026"
        status = "misschien"
        [[action]]
        code = "R99.9"
        owner = "X"
        due = 2026-01-01
    "#;
    let err = advice::parse("advies.toml", bad, &cat)
        .expect_err("refused")
        .to_string();
    for expected in [
        "top level: unknown key `colour`",
        "aspect entry 1 (A10): unknown aspect `A10`",
        "aspect entry 3 (A2): aspect A2 already has advice in entry 2",
        "action entry 1 (R14): R14 is a recommendation; name one of its actions (R14.1, R14.2, R14.3)",
        "action entry 2 (R14.1): `owner` is missing",
        "action entry 2 (R14.1): due date `31/02/2026` is not a date",
        "action entry 2 (R14.1): unknown status `misschien`",
        "action entry 3 (R99.9): unknown action `R99.9`",
    ] {
        assert!(err.contains(expected), "{expected}\nin: {err}");
    }
    let syntax = advice::parse("advies.json", "{ \"aspect\": [", &cat).expect_err("bad JSON");
    assert!(
        syntax
            .to_string()
            .starts_with("advies.json: not valid JSON"),
        "{syntax}"
    );

    let good = r#"{ "aspects": [{ "code": "a9", "advice": "Begroting" }, { "code": "A1", "advice": "Visie" }],
                   "actions": [{ "code": "r14.1", "owner": "Directie", "due": "30-06-2026", "status": "Afgerond" }] }"#;
    let a = advice::parse("advies.json", good, &cat).expect("valid");
    let order: Vec<&str> = a.aspects.iter().map(|x| x.aspect.as_str()).collect();
    assert_eq!(order, ["A1", "A9"], "catalogue order, codes upper-cased");
    assert_eq!(a.plan[0].action, "R14.1");
    assert_eq!(a.plan[0].status, PlanStatus::Done);
    assert_eq!(a.plan[0].due.to_string(), "2026-06-30");
}

fn blendscan(db_url: &str, args: &[&str]) -> Output {
    crate::support::blendscan(db_url, args, &[])
}

#[tokio::test]
async fn advice_set_replaces_and_report_writes_every_kind_with_clear_errors() {
    let f = federation(1, None).await;
    let slug = f.members[0].0.clone();
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("advies.toml");
    let write = |text: &str| std::fs::write(&file, text).expect("write advice");
    let path = file.to_str().expect("utf-8 path");
    let url = f.t.url.as_str();

    write("[[action]]\ncode = \"R14.1\"\nowner = \"Directie\"\ndue = 2026-06-30\n");
    let out = blendscan(
        url,
        &["advice", "set", "--org", &slug, "--year", "2026", path],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    write("summary = \"Tweede versie\"\n[[aspect]]\ncode = \"A3\"\nadvice = \"Partners\"\n");
    let out = blendscan(
        url,
        &["advice", "set", "--org", &slug, "--year", "2026", path],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = blendscan(url, &["advice", "show", "--org", &slug, "--year", "2026"]);
    let v: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("JSON");
    assert_eq!(v["summary"], "Tweede versie");
    assert_eq!(
        v["plan"].as_array().map(Vec::len),
        Some(0),
        "replaced, not added to"
    );

    write("[[action]]\ncode = \"R14.9\"\nowner = \"X\"\ndue = 2026-06-30\n");
    let out = blendscan(
        url,
        &["advice", "set", "--org", &slug, "--year", "2026", path],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("action entry 1 (R14.9): unknown action `R14.9`"),
        "{}",
        stderr(&out)
    );

    for (kind, who) in [
        ("selfscan", "--org"),
        ("advice", "--org"),
        ("benchmark", "--federation"),
        // The member's own benchmark: "uw positie".
        ("benchmark", "--org"),
    ] {
        let subject = if who == "--org" {
            slug.as_str()
        } else {
            super::support::FEDERATION
        };
        let pdf = dir.path().join(format!("{kind}{who}.pdf"));
        let out = blendscan(
            url,
            &[
                "report",
                who,
                subject,
                "--year",
                "2026",
                "--kind",
                kind,
                "--lang",
                "en",
                "--date",
                "2026-11-23",
                "--out",
                pdf.to_str().expect("path"),
            ],
        );
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let bytes = std::fs::read(&pdf).expect("pdf written");
        assert!(bytes.starts_with(b"%PDF-"), "{kind} is a PDF");
    }

    // An organisation outside any federation has no benchmark to be placed in.
    let added = blendscan(url, &["org", "add", "--name", "Huis Alleen"]);
    assert!(added.status.success(), "{}", stderr(&added));
    let alone = String::from_utf8_lossy(&added.stdout)
        .lines()
        .last()
        .expect("slug")
        .trim()
        .to_owned();
    let out_pdf = dir.path().join("x.pdf");
    let out_path = out_pdf.to_str().expect("path");
    for (args, expected) in [
        (
            vec!["--org", "nobody", "--year", "2026", "--kind", "selfscan"],
            "organisation `nobody` does not exist",
        ),
        (
            vec![
                "--org",
                slug.as_str(),
                "--year",
                "2019",
                "--kind",
                "selfscan",
            ],
            "has no scan for 2019 (its scans: 2025, 2026)",
        ),
        (
            vec![
                "--org",
                slug.as_str(),
                "--year",
                "2026",
                "--kind",
                "jaarverslag",
            ],
            "unknown report kind `jaarverslag`",
        ),
        (
            vec![
                "--federation",
                "Geen Koepel",
                "--year",
                "2026",
                "--kind",
                "benchmark",
            ],
            "federation `Geen Koepel` does not exist",
        ),
        (
            vec![
                "--federation",
                super::support::FEDERATION,
                "--year",
                "2024",
                "--kind",
                "benchmark",
            ],
            "has no member with a scan for 2024",
        ),
        (
            vec![
                "--org",
                alone.as_str(),
                "--year",
                "2026",
                "--kind",
                "benchmark",
            ],
            "belongs to no federation",
        ),
        (
            vec!["--org", slug.as_str(), "--year", "2025", "--kind", "advice"],
            "no advice is stored",
        ),
    ] {
        let mut all = vec!["report"];
        all.extend(args);
        all.extend(["--out", out_path]);
        let out = blendscan(url, &all);
        assert!(!out.status.success(), "{all:?} fails");
        assert!(
            stderr(&out).contains(expected),
            "{expected}\nin: {}",
            stderr(&out)
        );
    }
}
