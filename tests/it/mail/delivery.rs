//! A rendered report reaches a real SMTP server: the message parses, its headers are right, its PDF
//! is byte-identical to the stored report; a repeated request sends nothing twice; credentials.

use blendscan::app::{App, SendRequest};
use blendscan::db::{self, OutboxStatus};
use blendscan::domain::text::Lang;
use blendscan::mail::send::QueuedMail;
use blendscan::mail::{FlushMode, Mailer, contacts};
use blendscan::report::ReportKind;
use chrono::NaiveDate;
use mail_parser::{MessageParser, MimeHeaders};
use sea_orm::DatabaseConnection;

use super::server::{Behaviour, SmtpServer};
use super::{YEAR, org_with_scan, queue, smtp_settings, stored_report};
use crate::support::TestDb;

async fn send_report(
    db: &DatabaseConnection,
    mailer: &Mailer,
    req: &SendRequest,
) -> Vec<QueuedMail> {
    let mut settings = crate::support::settings("sqlite://unused.db");
    settings.mail.from = mailer.from().clone();
    let app = App::with_database(db.clone(), settings).expect("app");
    app.queue_report(req).await.expect("queue the report")
}

fn request(slug: &str, request_id: Option<&str>) -> SendRequest {
    SendRequest {
        organisation: slug.to_owned(),
        year: YEAR,
        kind: ReportKind::SelfScan,
        to: Vec::new(),
        lang: None,
        request_id: request_id.map(str::to_owned),
        generated: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        by: blendscan::app::Sender::Operator,
    }
}

#[tokio::test]
async fn mail_with_the_report_reaches_a_real_smtp_server_intact() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    contacts::add_contact(
        &db,
        &slug,
        "An.Peeters@CAW-Test.example",
        Some("An Peeters"),
        None,
    )
    .await
    .expect("contact nl");
    contacts::add_contact(&db, &slug, "board@caw-test.example", None, Some(Lang::En))
        .await
        .expect("contact en");
    let server = SmtpServer::start();
    let mailer = Mailer::new(db.clone(), &smtp_settings(&server.url())).expect("mailer");
    let queued = send_report(&db, &mailer, &request(&slug, None)).await;
    assert_eq!(queued.len(), 2, "one message per contact");
    let ids: Vec<i32> = queued.iter().map(|q| q.message.id).collect();
    let report = mailer.deliver(&ids).await.expect("deliver");
    assert_eq!((report.attempted, report.sent), (2, 2), "{report:?}");

    let received = server.received();
    assert_eq!(received.len(), 2);
    for q in &queued {
        let stored = db::outbox::outbox_message(&db, q.message.id)
            .await
            .expect("row");
        assert_eq!(stored.status, OutboxStatus::Sent);
        assert_eq!(stored.attempts, 1);
        assert!(stored.sent_at.is_some());
        let r = received
            .iter()
            .find(|r| {
                r.to.iter()
                    .any(|to| to.trim_matches(['<', '>']) == q.recipient)
            })
            .unwrap_or_else(|| panic!("{} received nothing", q.recipient));
        assert_eq!(
            r.from.trim_matches(['<', '>']),
            "kwaliteit@caw-test.example"
        );
        let parsed = MessageParser::default()
            .parse(&r.data)
            .expect("the message parses");

        let from = parsed.from().and_then(|a| a.first()).expect("From");
        assert_eq!(from.address(), Some("kwaliteit@caw-test.example"));
        assert_eq!(from.name(), Some("Kwaliteit CAW Test"));
        let to = parsed.to().and_then(|a| a.first()).expect("To");
        assert_eq!(to.address(), Some(q.recipient.as_str()));
        assert_eq!(parsed.subject(), Some(stored.subject.as_str()));
        assert_eq!(
            parsed.message_id().map(|id| format!("<{id}>")),
            Some(stored.message_id.clone())
        );
        assert!(stored.message_id.ends_with("@caw-test.example>"));
        let date = parsed.date().expect("Date").to_timestamp();
        assert!(
            (date - stored.created_at.timestamp()).abs() <= 1,
            "Date is the queueing time"
        );

        let text = parsed.body_text(0).expect("text part");
        let html = parsed.body_html(0).expect("html part");
        let attachment = parsed.attachments().next().expect("an attachment");
        assert_eq!(parsed.attachment_count(), 1);
        let ctype = attachment.content_type().expect("content type");
        assert_eq!(
            (ctype.ctype(), ctype.subtype()),
            ("application", Some("pdf"))
        );
        let pdf = db::outbox::report_attachment(&db, stored.report_id.expect("report id"))
            .await
            .expect("stored report")
            .pdf;
        assert!(pdf.starts_with(b"%PDF"), "a real rendered PDF");
        assert!(
            attachment.contents() == pdf.as_slice(),
            "the PDF is byte-identical"
        );
        match q.lang {
            Lang::Nl => {
                assert_eq!(q.recipient, "an.peeters@caw-test.example");
                assert_eq!(stored.subject, "Zelfscan blended hulp 2026 – CAW Test");
                assert_eq!(
                    attachment.attachment_name(),
                    Some(format!("blendscan-{slug}-2026-zelfscan.pdf").as_str())
                );
                assert!(text.starts_with("Beste An Peeters,"), "{text}");
                assert!(text.contains("Readiness-index: "), "{text}");
                assert!(text.contains("De eerste prioriteiten:"), "{text}");
                assert!(html.contains("<ol>"), "{html}");
            }
            Lang::En => {
                assert_eq!(stored.subject, "Blended support self-scan 2026 – CAW Test");
                assert_eq!(
                    attachment.attachment_name(),
                    Some(format!("blendscan-{slug}-2026-selfscan.pdf").as_str())
                );
                assert!(text.starts_with("Hello,"), "{text}");
                assert!(text.contains("Readiness index: "), "{text}");
            }
        }
        assert!(text.contains("Kwaliteit CAW Test"), "who sent it: {text}");
    }
    let langs: Vec<String> = {
        let mut v = Vec::new();
        for q in &queued {
            let id = q.message.report_id.expect("report");
            v.push(
                db::outbox::report_attachment(&db, id)
                    .await
                    .expect("report")
                    .lang,
            );
        }
        v
    };
    assert!(langs.contains(&"nl".to_owned()) && langs.contains(&"en".to_owned()));
}

#[tokio::test]
async fn the_same_send_request_twice_mails_each_contact_once() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    contacts::add_contact(&db, &slug, "directie@caw-test.example", None, None)
        .await
        .expect("contact");
    let server = SmtpServer::start();
    let mailer = Mailer::new(db.clone(), &smtp_settings(&server.url())).expect("mailer");
    let mut req = request(&slug, Some("request-1"));
    req.to = vec![
        "directie@caw-test.example".into(),
        "DIRECTIE@caw-test.example".into(),
    ];
    let first = send_report(&db, &mailer, &req).await;
    assert_eq!(first.len(), 1, "the same address once");
    assert!(first[0].newly_queued);
    mailer
        .deliver(&[first[0].message.id])
        .await
        .expect("deliver");
    // The same request again, on another day: the report is rendered anew, the mail is not.
    req.generated = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let again = send_report(&db, &mailer, &req).await;
    assert_eq!(again[0].message.id, first[0].message.id);
    assert!(!again[0].newly_queued);
    assert_eq!(again[0].message.status, OutboxStatus::Sent);
    let r = mailer
        .deliver(&[again[0].message.id])
        .await
        .expect("deliver");
    assert_eq!(r.attempted, 0, "a sent message is not claimed again");
    mailer.flush(FlushMode::All).await.expect("flush");
    assert_eq!(server.received().len(), 1);

    // A new request is a new message.
    let other = send_report(&db, &mailer, &request(&slug, Some("request-2"))).await;
    assert_ne!(other[0].message.id, first[0].message.id);
    assert_eq!(
        db::outbox::list_outbox(&db, None)
            .await
            .expect("list")
            .len(),
        2
    );
}

#[tokio::test]
async fn mail_authenticates_with_the_credentials_of_the_smtp_url() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let report_id = stored_report(&db, &slug, &super::fake_pdf(1000, 1)).await;
    let server = SmtpServer::start_with(Behaviour {
        credentials: Some(("blendscan".into(), "s3cr#t:pw".into())),
        ..Default::default()
    });
    let url = |pass: &str| format!("smtp://blendscan:{pass}@{}", server.addr);

    let wrong = Mailer::new(db.clone(), &smtp_settings(&url("wrong"))).expect("mailer");
    let m = queue(&db, report_id, "directie@caw-test.example", "auth-1").await;
    wrong.deliver(&[m.id]).await.expect("deliver");
    let after = db::outbox::outbox_message(&db, m.id).await.expect("row");
    assert_eq!(
        after.status,
        OutboxStatus::Queued,
        "refused credentials are retried later"
    );
    let error = after.last_error.expect("reason");
    assert!(
        error.contains("credentials") && error.contains("535"),
        "{error}"
    );
    assert!(
        !error.contains("wrong"),
        "the password is not in the error: {error}"
    );

    let right = Mailer::new(db.clone(), &smtp_settings(&url("s3cr%23t%3Apw"))).expect("mailer");
    let r = right.flush(FlushMode::All).await.expect("flush");
    assert_eq!(r.sent, 1, "{r:?}");
    assert_eq!(server.received().len(), 1);
}
