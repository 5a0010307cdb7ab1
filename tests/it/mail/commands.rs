//! The mail commands as a user runs them: `contact add|list`, `send` (to `.eml` files without an SMTP
//! server), `outbox list|retry|flush`, and their answers to bad input — a clear message and nothing
//! stored.

use std::path::Path;
use std::process::Output;

use blendscan::db::{self, OutboxStatus};
use blendscan::mail::Mailer;
use mail_parser::{MessageParser, MimeHeaders};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use super::server::{Behaviour, SmtpServer};
use super::{fake_pdf, org_with_scan, queue, smtp_settings, stored_report};
use crate::support::TestDb;

fn blendscan(db_url: &str, outbox: &Path, smtp: Option<&str>, args: &[&str]) -> Output {
    let outbox = outbox.to_str().expect("UTF-8 path");
    let mut env = vec![("BLENDSCAN_OUTBOX_DIR", outbox)];
    if let Some(url) = smtp {
        env.push(("BLENDSCAN_SMTP_URL", url));
        env.push((
            "BLENDSCAN_MAIL_FROM",
            "Kwaliteit CAW Test <kwaliteit@caw-test.example>",
        ));
    }
    crate::support::blendscan(db_url, args, &env)
}

fn text(o: &Output) -> (String, String) {
    (crate::support::stdout(o), crate::support::stderr(o))
}

async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .expect("count")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

#[tokio::test]
async fn contact_add_checks_the_address_and_adding_it_again_updates_the_contact() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| blendscan(&t.url, dir.path(), None, args);

    let out = run(&[
        "contact",
        "add",
        "--org",
        &slug,
        "--email",
        "An@CAW-Test.example",
    ]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("toegevoegd: an@caw-test.example"),
        "{stdout}"
    );
    let out = run(&[
        "contact",
        "add",
        "--org",
        &slug,
        "--email",
        "an@caw-test.example",
        "--name",
        "An Peeters",
        "--lang",
        "en",
    ]);
    assert!(text(&out).0.contains("bijgewerkt"), "{:?}", text(&out));
    let out = run(&["contact", "list", "--org", &slug, "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["name"], "An Peeters");
    assert_eq!(list[0]["lang"], "en");

    for (args, expected) in [
        (
            vec!["--org", slug.as_str(), "--email", "an.caw-test.example"],
            "not a valid e-mail address",
        ),
        (
            vec![
                "--org",
                slug.as_str(),
                "--email",
                "Jan <jan@caw-test.example>",
            ],
            "not a valid e-mail address",
        ),
        (
            vec!["--org", "bestaat-niet", "--email", "jan@caw-test.example"],
            "organisation `bestaat-niet` does not exist",
        ),
    ] {
        let mut full = vec!["contact", "add"];
        full.extend(args);
        let out = run(&full);
        let (_, stderr) = text(&out);
        assert!(!out.status.success());
        assert!(stderr.contains(expected), "{stderr}");
    }
    let org = db::organisations::organisation_by_slug(&db, &slug)
        .await
        .expect("org");
    assert_eq!(
        db::contacts::contacts_of(&db, org.id)
            .await
            .expect("contacts")
            .len(),
        1,
        "nothing stored"
    );
}

#[tokio::test]
async fn send_without_an_smtp_server_writes_the_report_mail_as_an_eml_file() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let dir = tempfile::tempdir().expect("dir");
    let out = blendscan(
        &t.url,
        dir.path(),
        None,
        &[
            "send",
            "--org",
            &slug,
            "--year",
            "2026",
            "--kind",
            "selfscan",
            "--to",
            "board@caw-test.example",
            "--lang",
            "en",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("board@caw-test.example") && stdout.contains("verzonden"),
        "{stdout}"
    );
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .expect("outbox dir")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(files.len(), 1);
    let bytes = std::fs::read(files[0].path()).expect("eml");
    let parsed = MessageParser::default().parse(&bytes).expect("parses");
    assert_eq!(
        parsed.subject(),
        Some("Blended support self-scan 2026 – CAW Test")
    );
    let attachment = parsed.attachments().next().expect("attachment");
    assert_eq!(
        attachment.attachment_name(),
        Some(format!("blendscan-{slug}-2026-selfscan.pdf").as_str())
    );
    let row = db::outbox::list_outbox(&db, None)
        .await
        .expect("list")
        .remove(0);
    assert_eq!(row.status, OutboxStatus::Sent);
    let pdf = db::outbox::report_attachment(&db, row.report_id.expect("report"))
        .await
        .expect("pdf")
        .pdf;
    assert!(attachment.contents() == pdf.as_slice());
}

#[tokio::test]
async fn send_refuses_bad_input_with_a_clear_message_and_stores_nothing() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let dir = tempfile::tempdir().expect("dir");
    let send = |extra: &[&str]| {
        let mut args = vec!["send", "--kind", "selfscan"];
        args.extend(extra);
        blendscan(&t.url, dir.path(), None, &args)
    };
    for (args, expected) in [
        (
            vec![
                "--org",
                slug.as_str(),
                "--year",
                "2026",
                "--to",
                "geen-adres",
            ],
            "not a valid e-mail address",
        ),
        (
            vec![
                "--org",
                "bestaat-niet",
                "--year",
                "2026",
                "--to",
                "a@caw-test.example",
            ],
            "organisation `bestaat-niet` does not exist",
        ),
        (
            vec!["--org", slug.as_str(), "--year", "2026"],
            "has no management contacts",
        ),
        (
            vec![
                "--org",
                slug.as_str(),
                "--year",
                "2019",
                "--to",
                "a@caw-test.example",
            ],
            "has no scan for 2019",
        ),
    ] {
        let out = send(&args);
        let (_, stderr) = text(&out);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert_eq!(count(&db, "outbox").await, 0);
    assert_eq!(count(&db, "reports").await, 0);
    assert_eq!(
        std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(0),
        0
    );
}

#[tokio::test]
async fn outbox_list_shows_the_server_reply_of_a_failed_mail_and_retry_sends_it() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let report_id = stored_report(&db, &slug, &fake_pdf(3000, 7)).await;
    let server = SmtpServer::start_with(Behaviour {
        rcpt_reply: Some((550, "5.1.1 Mailbox unavailable".to_owned())),
        ..Default::default()
    });
    let m = queue(&db, report_id, "weg@caw-test.example", "list-1").await;
    let mailer = Mailer::new(db.clone(), &smtp_settings(&server.url())).expect("mailer");
    mailer.deliver(&[m.id]).await.expect("deliver");
    let dir = tempfile::tempdir().expect("dir");
    let url = server.url();
    let run = |args: &[&str]| blendscan(&t.url, dir.path(), Some(&url), args);

    let (stdout, stderr) = text(&run(&["outbox", "list"]));
    assert!(
        stdout.contains("mislukt")
            && stdout.contains("550")
            && stdout.contains("Mailbox unavailable"),
        "{stdout}{stderr}"
    );
    let out = run(&["outbox", "list", "--json", "--status", "failed"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json[0]["status"], "failed");
    assert!(
        json[0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("550"))
    );

    let out = run(&["outbox", "retry", "999"]);
    assert!(!out.status.success());
    assert!(
        text(&out).1.contains("outbox message `999` does not exist"),
        "{:?}",
        text(&out)
    );

    server.set_behaviour(Behaviour::default());
    let out = run(&["outbox", "retry", &m.id.to_string()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("verzonden"), "{stdout}");
    let out = run(&["outbox", "flush"]);
    assert!(text(&out).0.contains("0 geprobeerd"), "{:?}", text(&out));
    assert_eq!(server.received().len(), 1);
}
