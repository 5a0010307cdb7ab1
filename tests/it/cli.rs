//! The binary as a user runs it: `framework`, `org add|list`, `migrate`, `demo`, and their errors.

use std::process::Output;

use crate::support::{TestDb, command, stderr, stdout};

fn blendscan(db_url: &str, args: &[&str]) -> Output {
    crate::support::blendscan(db_url, args, &[])
}

#[test]
fn framework_json_holds_the_whole_catalogue() {
    let out = blendscan("sqlite://unused.db", &["framework", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["version"], "2026.1");
    let aspects = v["aspects"].as_array().expect("aspects");
    assert_eq!(aspects.len(), 9);
    assert!(
        aspects
            .iter()
            .all(|a| a["indicators"].as_array().is_some_and(|i| i.len() >= 4))
    );
    assert_eq!(
        aspects[0]["name"]["nl"],
        "Meerwaarde van onlinehulp bepalen"
    );
    let recs = v["recommendations"].as_array().expect("recommendations");
    assert_eq!(recs.len(), 20);
    let actions: usize = recs
        .iter()
        .map(|r| r["actions"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(actions, 64);
    assert_eq!(recs[13]["actions"][1]["code"], "R14.2");
    assert_eq!(v["focus_areas"].as_array().map(Vec::len), Some(3));
    let clusters = v["clusters"].as_array().expect("clusters");
    assert_eq!(clusters.len(), 9);
    let items: usize = clusters
        .iter()
        .map(|c| c["items"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(items, 143);
    let scales = v["scales"].as_array().expect("scales");
    let maturity = scales
        .iter()
        .find(|s| s["code"] == "maturity")
        .expect("maturity");
    assert_eq!(
        (maturity["min"].as_u64(), maturity["max"].as_u64()),
        (Some(0), Some(4))
    );
    assert!(maturity["levels"][0]["label"]["en"].is_string());
    assert!(v["missing"].as_array().is_some_and(|m| m.len() == 2));
    assert!(v["role_profiles"].as_array().is_some_and(|r| r.len() >= 4));
    assert!(
        v["mappings"]["cluster_aspect"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(
        v["mappings"]["recommendation_aspect"]
            .as_array()
            .is_some_and(|m| m.len() >= 20)
    );
    assert_eq!(v["checklists"].as_array().map(Vec::len), Some(8));
}

#[test]
fn framework_listing_is_readable_in_both_languages() {
    let nl = stdout(&blendscan("sqlite://unused.db", &["framework"]));
    assert!(
        nl.contains("Implementatieaspecten") && nl.contains("A6Q1") && nl.contains("R14.2"),
        "{nl}"
    );
    let en = stdout(&blendscan(
        "sqlite://unused.db",
        &["framework", "--lang", "en"],
    ));
    assert!(
        en.contains("Implementation aspects") && en.contains("Make staff competent"),
        "{en}"
    );
    let bad = blendscan("sqlite://unused.db", &["framework", "--lang", "fr"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("unknown language `fr`"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_broken_catalogue_dir_is_refused_with_file_and_entry() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["framework", "checklists"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        for e in std::fs::read_dir(root.join(sub)).expect("read") {
            let e = e.expect("entry");
            std::fs::copy(e.path(), dir.path().join(sub).join(e.file_name())).expect("copy");
        }
    }
    let p = dir.path().join("framework/catalogue.toml");
    let text = std::fs::read_to_string(&p)
        .expect("read")
        .replace("aspects = 9", "aspects = 10");
    std::fs::write(&p, text).expect("write");
    let out = command("sqlite://unused.db")
        .args(["framework", "--json"])
        .env("BLENDSCAN_CATALOGUE_DIR", dir.path())
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "prints nothing on stdout");
    assert!(
        stderr(&out).contains(
            "framework/aspects.toml: aspects: wrong count: 9 aspects, catalogue.toml declares 10"
        ),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn org_add_prints_the_slug_last_and_org_list_shows_it() {
    let t = TestDb::new().await;
    let out = blendscan(
        &t.url,
        &[
            "org",
            "add",
            "--name",
            "CAW Oost",
            "--sector",
            "CAW",
            "--federation",
            "Koepel X",
            "--staff",
            "30",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().last(), Some("caw-oost"));
    let again = blendscan(&t.url, &["org", "add", "--name", "CAW Oost"]);
    assert_eq!(stdout(&again).lines().last(), Some("caw-oost-2"));
    let list = blendscan(&t.url, &["org", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(2));
    assert_eq!(v[0]["federation"], "koepel-x");
    assert_eq!(v[0]["staff_headcount"], 30);
}

#[tokio::test]
async fn org_add_refuses_bad_input_and_stores_nothing() {
    let t = TestDb::new().await;
    for (args, expect) in [
        (vec!["org", "add", "--name", "   "], "--name"),
        (vec!["org", "add", "--name", "X", "--staff", "0"], "--staff"),
        (
            vec!["org", "add", "--name", "X", "--staff", "veel"],
            "invalid value 'veel'",
        ),
        (
            vec!["org", "add", "--name", "X", "--federation", ""],
            "--federation",
        ),
    ] {
        let out = blendscan(&t.url, &args);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(stderr(&out).contains(expect), "{args:?}: {}", stderr(&out));
    }
    let list = blendscan(&t.url, &["org", "list", "--json"]);
    assert_eq!(stdout(&list).trim(), "[]");
}

#[tokio::test]
async fn migrate_reports_the_backend_and_is_repeatable() {
    let t = TestDb::new().await;
    for _ in 0..2 {
        let out = blendscan(&t.url, &["migrate"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.contains(if t.is_postgres() {
                "PostgreSQL"
            } else {
                "SQLite"
            }),
            "{text}"
        );
        assert!(text.contains("m20261123_000001_core"), "{text}");
    }
}

#[test]
fn unknown_database_url_is_refused_clearly() {
    let out = blendscan("mysql://root:secret@localhost/x", &["org", "list"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("unsupported DATABASE_URL") && !err.contains("secret"),
        "{err}"
    );
}

#[tokio::test]
async fn demo_builds_a_fresh_installation_and_can_run_again() {
    let dir = tempfile::tempdir().expect("tmp");
    let out_dir = dir.path().join("demo");
    let out_arg = out_dir.to_str().expect("utf8");
    for _ in 0..2 {
        // Without DATABASE_URL the demo makes its own SQLite file in DIR.
        let out = command("sqlite://unused.db")
            .env_remove("DATABASE_URL")
            .args(["demo", "--out", out_arg])
            .output()
            .expect("run demo");
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("Koepel Welzijn Vlaanderen (demo)"), "{text}");
    }
    let url = format!("sqlite://{}", out_dir.join("blendscan.db").display());
    let list = blendscan(&url, &["org", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    let orgs = v.as_array().expect("array");
    assert_eq!(
        orgs.len(),
        blendscan::demo::organisations().len(),
        "re-running replaced the demo instead of adding to it"
    );
    let sectors: std::collections::BTreeSet<&str> =
        orgs.iter().filter_map(|o| o["sector"].as_str()).collect();
    assert_eq!(sectors.len(), 2);
    // The demo federation is large enough to show a benchmark of the whole federation; the small
    // sector is left out, and so is the sector of five, whose complement would be the small one.
    let bench = blendscan(
        &url,
        &[
            "benchmark",
            "--federation",
            "koepel-welzijn-vlaanderen-demo",
            "--year",
            "2026",
            "--json",
        ],
    );
    assert!(bench.status.success(), "{}", stderr(&bench));
    let v: serde_json::Value = serde_json::from_slice(&bench.stdout).expect("json");
    let groups = v["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 1, "{v}");
    assert_eq!(v["suppressed"]["groups"], 2, "{v}");
    assert_eq!(v["suppressed"]["complementary"], 1, "{v}");
}

/// Every command and subcommand path of the binary, from clap's own definition.
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_owned());
            out.push(path.clone());
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(
        &<blendscan::cli::Cli as clap::CommandFactory>::command(),
        &[],
        &mut out,
    );
    out
}

#[test]
fn every_command_has_help() {
    let paths = command_paths();
    for expected in [
        "migrate",
        "framework",
        "org add",
        "org list",
        "demo",
        "import",
        "template",
    ] {
        assert!(
            paths.iter().any(|p| p.join(" ") == expected),
            "no command `{expected}` in {paths:?}"
        );
    }
    for path in &paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = blendscan("sqlite://unused.db", &args);
        let text = stdout(&out);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            text.contains("Usage: blendscan ") && text.contains(&path.join(" ")),
            "{args:?}: {text}"
        );
        // A line of description above the usage: no command is left unexplained.
        let about = text.lines().next().unwrap_or_default().trim();
        assert!(
            !about.is_empty() && !about.starts_with("Usage"),
            "{args:?} has no description: {text}"
        );
    }
}

#[test]
fn a_catalogue_directory_without_a_catalogue_is_refused_not_replaced_by_the_built_in_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = command("sqlite://unused.db")
        .args(["framework", "--json"])
        .env("BLENDSCAN_CATALOGUE_DIR", dir.path().join("typo"))
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("BLENDSCAN_CATALOGUE_DIR=") && err.contains("no framework/catalogue.toml"),
        "{err}"
    );
}

#[tokio::test]
async fn import_command_exit_codes_json_report_dry_run_and_repeat() {
    let t = TestDb::new().await;
    let add = blendscan(&t.url, &["org", "add", "--name", "CAW Import"]);
    let org = stdout(&add).lines().last().expect("slug").to_owned();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let good = format!("{fixtures}/msforms_nl.xlsx");
    let broken = format!("{fixtures}/broken_out_of_scale.xlsx");
    let import = |file: &str, extra: &[&str]| {
        let mut args = vec!["import", "--org", &org, "--year", "2026", file];
        args.extend_from_slice(extra);
        blendscan(&t.url, &args)
    };
    let json = |o: &Output| -> serde_json::Value {
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
    };

    // A broken file: exit status 2, cell-precise errors, nothing stored.
    let out = import(&broken, &["--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stored"], false);
    let first = &v["errors"][0];
    assert!(
        first["cell"]
            .as_str()
            .is_some_and(|c| c.starts_with("Blad1!"))
            && first["message"]["nl"].is_string()
            && first["message"]["en"].is_string(),
        "{v}"
    );
    let out = import(&broken, &["--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("Nothing stored: correct the errors above"),
        "{}",
        stdout(&out)
    );

    // A dry run of a good file: exit 0, the counts, nothing stored.
    let out = import(&good, &["--dry-run", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(
        (v["dry_run"].clone(), v["stored"].clone()),
        (true.into(), false.into())
    );
    assert_eq!(v["respondents_imported"], 11, "{v}");
    assert_eq!(v["already_imported"], false);
    let score = blendscan(&t.url, &["score", "--org", &org, "--year", "2026"]);
    assert!(!score.status.success(), "a dry run stored a scan");

    // The real import, then the same file again: exit 0 both times, the second changes nothing.
    let out = import(&good, &["--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(
        (v["stored"].clone(), v["scan_created"].clone()),
        (true.into(), true.into())
    );
    let out = import(&good, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("werd al in deze scan geïmporteerd"),
        "{}",
        stdout(&out)
    );
    let v = json(&import(&good, &["--json", "--dry-run"]));
    assert_eq!(
        v["already_imported"], true,
        "a dry run sees the earlier import"
    );

    // A file over the size limit is refused by its size, with the same report.
    let dir = tempfile::tempdir().expect("tmp");
    let big = dir.path().join("groot.xlsx");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(51 << 20))
        .expect("sparse file");
    let out = import(big.to_str().expect("utf8"), &["--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["errors"][0]["cell"], "groot.xlsx", "{v}");
    assert_eq!(
        v["errors"][0]["message"]["en"],
        "the file is 51 MB, more than the limit of 50 MB"
    );
    assert_eq!(v["stored"], false);

    // Bad arguments name the argument.
    let out = import(&good, &["--sheet", "Geen"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("--sheet Geen"), "{}", stdout(&out));
    let out = blendscan(
        &t.url,
        &["import", "--org", "bestaat-niet", "--year", "2026", &good],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bestaat-niet"), "{}", stderr(&out));
}

/// `import list`, `import undo` and `--replaces`: a corrected anonymous file asks whether it replaces
/// the first, and the answer is given on the command line.
#[tokio::test]
async fn import_list_undo_and_replaces_from_the_command_line() {
    let t = TestDb::new().await;
    let add = blendscan(&t.url, &["org", "add", "--name", "CAW Geschiedenis"]);
    let org = stdout(&add).lines().last().expect("slug").to_owned();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/coordinators");
    let (first, corrected) = (
        format!("{dir}/anonymous.xlsx"),
        format!("{dir}/anonymous_corrected.xlsx"),
    );
    let import = |file: &str, extra: &[&str]| {
        let mut args = vec!["import", "--org", &org, "--year", "2026", file];
        args.extend_from_slice(extra);
        blendscan(&t.url, &args)
    };
    let list = || -> Vec<serde_json::Value> {
        let out = blendscan(&t.url, &["import", "list", "--org", &org, "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
    };
    assert!(import(&first, &[]).status.success());
    let id = list()[0]["id"].as_i64().expect("id").to_string();

    let out = import(&corrected, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("lijkt op import {id} (anonymous.xlsx"))
            && text.contains(&format!("--replaces {id}"))
            && text.contains("--replaces none"),
        "{text}"
    );
    let out = import(&corrected, &["--lang", "en"]);
    assert!(
        stdout(&out).contains(&format!("resembles import {id}")),
        "{}",
        stdout(&out)
    );
    assert_eq!(list().len(), 1, "nothing stored");

    let out = import(&corrected, &["--replaces", "abc"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`abc`"), "{}", stderr(&out));

    let out = import(&corrected, &["--replaces", &id]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!("vervangt import {id}")),
        "{}",
        stdout(&out)
    );
    let rows = list();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["file_name"], "anonymous_corrected.xlsx");
    assert_eq!(rows[0]["current_respondents"], 12);
    let table = stdout(&blendscan(&t.url, &["import", "list", "--org", &org]));
    assert!(table.contains("anonymous_corrected.xlsx"), "{table}");

    let newest = rows[0]["id"].as_i64().expect("id").to_string();
    let out = blendscan(&t.url, &["import", "undo", &newest, "--org", &org]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("12 respondenten verwijderd"),
        "{}",
        stdout(&out)
    );
    assert!(list().is_empty());
    let out = blendscan(&t.url, &["import", "undo", &newest, "--org", &org]);
    assert!(!out.status.success(), "a second undo");
    assert!(stderr(&out).contains("import list"), "{}", stderr(&out));
}

/// `demo` honours DATABASE_URL (SQLite, or PostgreSQL when the suite runs on it), and never mixes its
/// organisations into a database that already holds some.
#[tokio::test]
async fn demo_runs_on_the_database_of_database_url_and_refuses_a_used_one() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().expect("tmp");
    let out_arg = dir.path().to_str().expect("utf8");
    let first = blendscan(&t.url, &["demo", "--out", out_arg]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        !dir.path().join("blendscan.db").exists(),
        "no SQLite file of its own"
    );
    let list = blendscan(&t.url, &["org", "list", "--json"]);
    let orgs: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    let n = orgs.as_array().expect("list").len();
    assert_eq!(
        n, 7,
        "the seven demo members are in DATABASE_URL's database"
    );
    let again = blendscan(&t.url, &["demo", "--out", out_arg]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("needs an empty database"),
        "{}",
        stderr(&again)
    );
    let list = blendscan(&t.url, &["org", "list", "--json"]);
    let after: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(after.as_array().expect("list").len(), n, "nothing added");
}

/// The pseudonymisation key is kept apart from the pseudonyms: in a key file only its owner can read,
/// made by the first stored import; an installation that kept it in the database moves it out with
/// `blendscan key move`, and the same people keep the same pseudonyms.
#[tokio::test]
async fn the_pseudonym_key_lives_in_its_own_file_and_an_old_one_moves_out() {
    use blendscan::db::imports::{existing_pseudonym_key, store_pseudonym_key};
    let dir = tempfile::tempdir().expect("tmp");
    let key_file = dir.path().join("sleutel").join("blendscan.key");
    let key_env = key_file.to_str().expect("utf8").to_owned();
    let csv = |shift: i16, name: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, crate::scoring::example_csv(shift)).expect("write");
        p.to_str().expect("utf8").to_owned()
    };
    let (first, second) = (csv(0, "a.csv"), csv(1, "b.csv"));

    // A fresh installation: the first stored import makes the key file, the database holds none.
    let t = TestDb::new().await;
    let db = t.connect().await;
    let add = blendscan(&t.url, &["org", "add", "--name", "CAW Sleutel"]);
    let org = stdout(&add).lines().last().expect("slug").to_owned();
    let import = |file: &str| {
        crate::support::blendscan(
            &t.url,
            &["import", "--org", &org, "--year", "2026", file],
            &[("BLENDSCAN_KEY_FILE", key_env.as_str())],
        )
    };
    assert!(import(&first).status.success());
    let text = std::fs::read_to_string(&key_file).expect("a key file");
    assert_eq!(text.trim().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }
    assert!(existing_pseudonym_key(&db).await.expect("read").is_none());
    // The same people again, with other answers: replaced, so the same pseudonyms.
    let again = import(&second);
    assert!(
        stdout(&again).contains("11 dubbele inzendingen vervangen"),
        "{}",
        stdout(&again)
    );

    // An installation from before: its key in the database; `key move` puts it in the file.
    let old = TestDb::new().await;
    let old_db = old.connect().await;
    let legacy = blendscan::import::PseudonymKey::random();
    store_pseudonym_key(&old_db, &legacy)
        .await
        .expect("legacy key");
    let moved_file = dir.path().join("oud.key");
    let env = [("BLENDSCAN_KEY_FILE", moved_file.to_str().expect("utf8"))];
    let out = crate::support::blendscan(&old.url, &["key", "move"], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&moved_file).expect("moved").trim(),
        legacy.to_hex()
    );
    assert!(
        existing_pseudonym_key(&old_db)
            .await
            .expect("read")
            .is_none()
    );
    let out = crate::support::blendscan(&old.url, &["key", "move"], &env);
    assert!(out.status.success(), "again: {}", stderr(&out));
    assert!(stdout(&out).contains("staat al in"), "{}", stdout(&out));
}
