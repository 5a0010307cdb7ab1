//! E-mailing reports through the outbox, against a real SMTP server on loopback (`server`), on the
//! real database (SQLite, or PostgreSQL with `TEST_DATABASE_URL`).
//!
//! - `delivery`: a report reaches the server intact; idempotency; authentication.
//! - `faults`: server down, 4xx, 5xx, a worker that dies after claiming.
//! - `workers`: two workers on one database deliver each message exactly once.
//! - `commands`: the binary — contact, send (to `.eml` files), outbox list/retry — and bad input.

mod commands;
mod delivery;
mod faults;
pub mod server;
mod workers;

use std::time::Duration;

use blendscan::db::outbox::NewOutboxMessage;
use blendscan::db::reports::NewReport;
use blendscan::db::{self, OutboxMessage};
use blendscan::mail::{MailSettings, RetryPolicy};
use lettre::message::Mailbox;
use sea_orm::DatabaseConnection;

use crate::import::{import_bytes, with_org};
use crate::scoring::example_csv;
use crate::support::TestDb;

pub const YEAR: i32 = 2026;

pub fn sender() -> Mailbox {
    "Kwaliteit CAW Test <kwaliteit@caw-test.example>"
        .parse()
        .expect("sender")
}

/// Settings for the test server at `url`, with a short retry delay and lease.
pub fn smtp_settings(url: &str) -> MailSettings {
    let mut s = MailSettings::smtp(url, sender()).expect("smtp settings");
    s.retry = RetryPolicy {
        first_delay: Duration::from_secs(60),
        max_delay: Duration::from_secs(3600),
        max_attempts: 5,
    };
    s
}

/// A database with one organisation and its scan of `YEAR` (the worked example); returns its slug.
pub async fn org_with_scan(t: &TestDb) -> (DatabaseConnection, String) {
    let (db, slug) = with_org(t).await;
    let report = import_bytes(&db, &slug, YEAR, "scan.csv", &example_csv(0), false).await;
    assert!(report.is_ok(), "the example imports");
    (db, slug)
}

/// Store a stand-in report (any bytes) for the organisation's scan; returns its id.
pub async fn stored_report(db: &DatabaseConnection, slug: &str, pdf: &[u8]) -> i32 {
    let org = db::organisations::organisation_by_slug(db, slug)
        .await
        .expect("org");
    let scan = db::scans::scans_of(db, org.id)
        .await
        .expect("scans")
        .into_iter()
        .find(|s| s.year == YEAR);
    db::reports::store_report(
        db,
        &NewReport {
            scan_id: scan.map(|s| s.id),
            federation_id: None,
            year: YEAR,
            kind: "selfscan",
            lang: "nl",
            pdf,
            data_key: None,
        },
    )
    .await
    .expect("store report")
}

/// Queue a plain message with the report attached, straight into the outbox.
pub async fn queue(db: &DatabaseConnection, report_id: i32, to: &str, key: &str) -> OutboxMessage {
    let recipients = [to.to_owned()];
    let (m, created) = db::outbox::queue_message(
        db,
        &NewOutboxMessage {
            idempotency_key: key,
            report_id: Some(report_id),
            recipients: &recipients,
            subject: "Zelfscan blended hulp 2026 – CAW Test",
            body_text: "In de bijlage vindt u het rapport.",
            body_html: "<p>In de bijlage vindt u het rapport.</p>",
            message_id: &blendscan::mail::message::new_message_id(&sender()),
            now: chrono::Utc::now(),
        },
    )
    .await
    .expect("queue");
    assert!(created);
    m
}

/// Some bytes that stand in for a PDF.
pub fn fake_pdf(len: usize, seed: u8) -> Vec<u8> {
    let mut v = b"%PDF-1.7\n".to_vec();
    v.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    v
}
