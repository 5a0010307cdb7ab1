//! Mail servers go down, answer 4xx or 5xx, and workers die: nothing is lost, nothing is sent twice
//! (except the documented at-least-once edge), and the outbox says what happened.

use std::process::Stdio;
use std::time::{Duration, Instant};

use blendscan::db::outbox::ClaimRequest;
use blendscan::db::{self, OutboxStatus};
use blendscan::mail::{FlushMode, Mailer};
use chrono::Utc;

use super::server::{Behaviour, SmtpServer, Stall, unused_addr};
use super::{fake_pdf, org_with_scan, queue, smtp_settings, stored_report};
use crate::support::TestDb;

#[tokio::test]
async fn mail_waits_in_the_outbox_while_the_server_is_down_and_goes_out_once_after() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let report_id = stored_report(&db, &slug, &fake_pdf(5000, 2)).await;
    let addr = unused_addr();
    let mailer =
        Mailer::new(db.clone(), &smtp_settings(&format!("smtp://{addr}"))).expect("mailer");
    let m = queue(&db, report_id, "directie@caw-test.example", "down-1").await;

    let before = Utc::now();
    let r = mailer.deliver(&[m.id]).await.expect("deliver");
    assert_eq!((r.attempted, r.retrying, r.sent), (1, 1, 0), "{r:?}");
    let queued = db::outbox::outbox_message(&db, m.id).await.expect("row");
    assert_eq!(queued.status, OutboxStatus::Queued);
    assert_eq!(queued.attempts, 1);
    assert!(
        queued
            .last_error
            .as_deref()
            .is_some_and(|e| e.to_lowercase().contains("connect")),
        "{:?}",
        queued.last_error
    );
    assert!(
        queued.next_attempt_at >= before + chrono::Duration::seconds(59),
        "backoff recorded"
    );

    // Still down: the background worker leaves it alone until its backoff has run out.
    let r = mailer.flush(FlushMode::Due).await.expect("flush due");
    assert_eq!(r.attempted, 0);

    let server = SmtpServer::start_on(addr, Behaviour::default());
    let r = mailer.flush(FlushMode::All).await.expect("flush");
    assert_eq!(r.sent, 1, "{r:?}");
    let sent = db::outbox::outbox_message(&db, m.id).await.expect("row");
    assert_eq!((sent.status, sent.attempts), (OutboxStatus::Sent, 2));
    assert_eq!(sent.last_error, None);
    let r = mailer.flush(FlushMode::All).await.expect("flush again");
    assert_eq!(r.attempted, 0);
    assert_eq!(server.received().len(), 1, "delivered once");
    assert_eq!(server.data_message_ids(), vec![m.message_id.clone()]);
}

#[tokio::test]
async fn mail_refused_with_4xx_is_retried_with_growing_backoff_and_the_same_message_id() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let report_id = stored_report(&db, &slug, &fake_pdf(5000, 3)).await;
    let server = SmtpServer::start_with(Behaviour {
        data_replies: [
            (451, "4.3.0 Mail server temporarily busy".to_owned()),
            (452, "4.3.1 Insufficient system storage".to_owned()),
        ]
        .into(),
        ..Default::default()
    });
    let mailer = Mailer::new(db.clone(), &smtp_settings(&server.url())).expect("mailer");
    let m = queue(&db, report_id, "directie@caw-test.example", "busy-1").await;

    let t1 = Utc::now();
    mailer.deliver(&[m.id]).await.expect("first attempt");
    let after1 = db::outbox::outbox_message(&db, m.id).await.expect("row");
    assert_eq!((after1.status, after1.attempts), (OutboxStatus::Queued, 1));
    assert!(
        after1
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("451") && e.contains("busy"))
    );
    let wait1 = after1.next_attempt_at - t1;
    assert!(
        wait1 >= chrono::Duration::seconds(59) && wait1 <= chrono::Duration::seconds(70),
        "{wait1}"
    );

    let t2 = Utc::now();
    let r = mailer.flush(FlushMode::All).await.expect("second attempt");
    assert_eq!(r.retrying, 1);
    let after2 = db::outbox::outbox_message(&db, m.id).await.expect("row");
    assert_eq!(after2.attempts, 2);
    assert!(
        after2
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("452"))
    );
    let wait2 = after2.next_attempt_at - t2;
    assert!(
        wait2 >= chrono::Duration::seconds(119) && wait2 <= chrono::Duration::seconds(130),
        "doubled: {wait2}"
    );

    mailer.flush(FlushMode::All).await.expect("third attempt");
    let sent = db::outbox::outbox_message(&db, m.id).await.expect("row");
    assert_eq!((sent.status, sent.attempts), (OutboxStatus::Sent, 3));
    assert_eq!(server.received().len(), 1);
    assert_eq!(
        server.data_message_ids(),
        vec![m.message_id.clone(); 3],
        "one Message-ID for every attempt"
    );
}

#[tokio::test]
async fn mail_refused_with_5xx_fails_with_the_reason_and_is_not_retried() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let report_id = stored_report(&db, &slug, &fake_pdf(5000, 4)).await;
    let server = SmtpServer::start_with(Behaviour {
        rcpt_reply: Some((550, "5.1.1 No such user here".to_owned())),
        ..Default::default()
    });
    let mailer = Mailer::new(db.clone(), &smtp_settings(&server.url())).expect("mailer");
    let m = queue(&db, report_id, "niemand@caw-test.example", "bounce-1").await;
    let r = mailer.deliver(&[m.id]).await.expect("deliver");
    assert_eq!(r.failed, 1, "{r:?}");
    let failed = db::outbox::outbox_message(&db, m.id).await.expect("row");
    assert_eq!((failed.status, failed.attempts), (OutboxStatus::Failed, 1));
    let reason = failed.last_error.expect("reason");
    assert!(
        reason.contains("550") && reason.contains("No such user here"),
        "{reason}"
    );
    assert_eq!(
        mailer.flush(FlushMode::All).await.expect("flush").attempted,
        0
    );
    assert!(server.received().is_empty());

    // The coordinator fixes the address on the server side and retries by hand.
    server.set_behaviour(Behaviour::default());
    let again = db::outbox::requeue_message(&db, m.id, Utc::now())
        .await
        .expect("retry");
    assert_eq!((again.status, again.attempts), (OutboxStatus::Queued, 0));
    mailer.deliver(&[m.id]).await.expect("deliver");
    assert_eq!(
        db::outbox::outbox_message(&db, m.id)
            .await
            .expect("row")
            .status,
        OutboxStatus::Sent
    );
    let refused = db::outbox::requeue_message(&db, m.id, Utc::now())
        .await
        .expect_err("sent stays sent");
    assert!(refused.to_string().contains("already sent"), "{refused}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn mail_claimed_by_a_worker_that_died_goes_out_after_its_lease_with_the_same_message_id() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let report_id = stored_report(&db, &slug, &fake_pdf(5000, 5)).await;
    let server = SmtpServer::start();
    let m = queue(&db, report_id, "directie@caw-test.example", "crash-1").await;

    // A worker claims the message and dies before it sends: its claim holds for one second.
    let now = Utc::now();
    let claimed = db::outbox::claim_messages(
        &db,
        &ClaimRequest {
            now,
            lease_until: now + chrono::Duration::seconds(1),
            limit: 10,
            after_id: 0,
            ignore_backoff: true,
            only: None,
            worker: "crashed-host:1",
        },
    )
    .await
    .expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].status, OutboxStatus::Sending);

    // The restarted worker does not touch it while the claim holds …
    let mailer = Mailer::new(db.clone(), &smtp_settings(&server.url())).expect("mailer");
    assert_eq!(
        mailer.flush(FlushMode::All).await.expect("flush").attempted,
        0
    );
    let busy = db::outbox::requeue_message(&db, m.id, Utc::now())
        .await
        .expect_err("busy");
    assert!(busy.to_string().contains("being delivered"), "{busy}");
    // … and delivers it once the claim has run out.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let r = mailer.flush(FlushMode::Due).await.expect("flush");
    assert_eq!(r.sent, 1, "{r:?}");
    let sent = db::outbox::outbox_message(&db, m.id).await.expect("row");
    assert_eq!((sent.status, sent.attempts), (OutboxStatus::Sent, 2));
    assert_eq!(server.data_message_ids(), vec![m.message_id.clone()]);

    // The dead worker's late outcome (had it come back) is refused: the message is not its own.
    let late =
        db::outbox::record_attempt(&db, m.id, 1, &db::outbox::AttemptOutcome::Sent, Utc::now())
            .await
            .expect("record");
    assert!(!late, "a stale claim cannot record an outcome");
}

/// Run `blendscan outbox flush` against `server` until the server hangs, kill it there, and run it
/// again after the claim ran out: returns the message as stored after the second run.
async fn kill_flush_at(stall: Stall) -> (SmtpServer, db::OutboxMessage, db::OutboxMessage) {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let report_id = stored_report(&db, &slug, &fake_pdf(50_000, 8)).await;
    let m = queue(&db, report_id, "directie@caw-test.example", "killed-1").await;
    let server = SmtpServer::start_with(Behaviour {
        stall_once: Some(stall),
        ..Default::default()
    });
    let flush = || {
        let mut cmd = crate::support::command(&t.url);
        cmd.args(["outbox", "flush"])
            .env("BLENDSCAN_SMTP_URL", server.url())
            .env(
                "BLENDSCAN_MAIL_FROM",
                "Kwaliteit <kwaliteit@caw-test.example>",
            )
            .env("BLENDSCAN_OUTBOX_LEASE_SECS", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    let mut child = flush().spawn().expect("start blendscan");
    let started = Instant::now();
    while server.stalled() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the flush never reached the server"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().expect("kill");
    child.wait().expect("reap");
    let claimed = db::outbox::outbox_message(&db, m.id).await.expect("row");
    assert_eq!(
        (claimed.status, claimed.attempts),
        (OutboxStatus::Sending, 1),
        "left claimed"
    );

    tokio::time::sleep(Duration::from_millis(1200)).await;
    let out = flush().status().expect("run blendscan");
    assert!(out.success());
    let after = db::outbox::outbox_message(&db, m.id).await.expect("row");
    assert_eq!((after.status, after.attempts), (OutboxStatus::Sent, 2));
    (server, m, after)
}

#[tokio::test]
async fn mail_of_a_flush_killed_before_sending_goes_out_once_after_restart() {
    let (server, queued, sent) = kill_flush_at(Stall::Mail).await;
    assert_eq!(sent.message_id, queued.message_id);
    assert_eq!(
        server.data_message_ids(),
        vec![queued.message_id.clone()],
        "sent once"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn mail_of_a_flush_killed_while_sending_goes_out_again_with_the_same_message_id() {
    // The at-least-once edge: the server had the whole message when the worker died, so it is sent
    // again — with the same Message-ID, by which mail servers and clients recognise the copy.
    let (server, queued, _) = kill_flush_at(Stall::DataEnd).await;
    assert_eq!(
        server.data_message_ids(),
        vec![queued.message_id.clone(); 2]
    );
    assert_eq!(
        server.received().len(),
        1,
        "the first copy was never acknowledged"
    );
}
