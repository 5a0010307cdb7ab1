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
