//! Two workers — each with its own connection pool, as two processes would have — flush one outbox
//! at the same time: every message is delivered exactly once. The real test runs on PostgreSQL
//! (`FOR UPDATE SKIP LOCKED`); on SQLite the same run is a sanity check of the IMMEDIATE claims.

use std::collections::HashSet;

use blendscan::db::{self, OutboxStatus};
use blendscan::mail::{FlushMode, Mailer};

use super::server::SmtpServer;
use super::{fake_pdf, org_with_scan, queue, smtp_settings, stored_report};
use crate::support::TestDb;

const MESSAGES: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn outbox_flushed_by_two_workers_delivers_each_of_200_messages_exactly_once() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let report_id = stored_report(&db, &slug, &fake_pdf(20_000, 6)).await;
    let mut queued = Vec::with_capacity(MESSAGES);
    for i in 0..MESSAGES {
        let to = format!("directie{i}@caw-test.example");
        queued.push(queue(&db, report_id, &to, &format!("two-workers-{i}")).await);
    }
    let server = SmtpServer::start();
    let settings = smtp_settings(&server.url());
    let a = Mailer::new(t.connect().await, &settings).expect("worker a");
    let b = Mailer::new(t.connect().await, &settings).expect("worker b");
    let (ra, rb) = tokio::join!(a.flush(FlushMode::All), b.flush(FlushMode::All));
    let (ra, rb) = (ra.expect("worker a"), rb.expect("worker b"));
    assert_eq!(ra.sent + rb.sent, MESSAGES, "a: {ra:?}, b: {rb:?}");
    assert_eq!(
        ra.attempted + rb.attempted,
        MESSAGES,
        "no message attempted twice"
    );
    if t.is_postgres() {
        assert!(
            ra.sent > 0 && rb.sent > 0,
            "both workers took part: a {ra:?}, b {rb:?}"
        );
    }

    let received = server.received();
    assert_eq!(received.len(), MESSAGES);
    let ids: HashSet<String> = server.data_message_ids().into_iter().collect();
    assert_eq!(ids.len(), MESSAGES, "every Message-ID once");
    let expected: HashSet<String> = queued.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids, expected);
    for m in db::outbox::list_outbox(&db, None).await.expect("list") {
        assert_eq!(
            (m.status, m.attempts),
            (OutboxStatus::Sent, 1),
            "message {}",
            m.id
        );
    }
}

/// A claim is renewed while its message is being sent: a delivery slower than the lease is not
/// taken over by another worker, so nothing goes out twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_claim_held_longer_than_its_lease_is_renewed_and_not_sent_twice() {
    let t = TestDb::new().await;
    let (db, slug) = org_with_scan(&t).await;
    let report_id = stored_report(&db, &slug, &fake_pdf(5_000, 9)).await;
    for i in 0..4 {
        let to = format!("traag{i}@caw-test.example");
        queue(&db, report_id, &to, &format!("slow-{i}")).await;
    }
    let server = SmtpServer::start_with(super::server::Behaviour {
        accept_delay: Some(std::time::Duration::from_millis(2500)),
        ..Default::default()
    });
    let mut settings = smtp_settings(&server.url());
    settings.lease = std::time::Duration::from_secs(1);
    settings.connections = 2;
    let a = Mailer::new(t.connect().await, &settings).expect("worker a");
    let b = Mailer::new(t.connect().await, &settings).expect("worker b");
    let late_b = async {
        // B starts when A's first claims are older than their lease.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        b.flush(FlushMode::All).await
    };
    let (ra, rb) = tokio::join!(a.flush(FlushMode::All), late_b);
    let (ra, rb) = (ra.expect("a"), rb.expect("b"));
    assert_eq!(ra.sent + rb.sent, 4, "a {ra:?}, b {rb:?}");
    assert_eq!(ra.lost_claims + rb.lost_claims, 0);
    let ids = server.data_message_ids();
    let unique: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!((ids.len(), unique.len()), (4, 4), "each message once");
    for m in db::outbox::list_outbox(&db, None).await.expect("list") {
        assert_eq!(
            (m.status, m.attempts),
            (OutboxStatus::Sent, 1),
            "message {}",
            m.id
        );
        assert_eq!(m.claimed_by, None, "the claim is released");
    }
}
