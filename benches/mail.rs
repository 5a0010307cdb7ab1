//! Mail benchmark (issue 6): 500 queued report e-mails, each with its own 200 kB PDF, delivered by
//! one `outbox flush` over pooled SMTP connections to a real SMTP server on loopback (the test
//! suite's `mailin` server). Target: under 15 s. One timed run; the figures go to stdout.
//!
//! `scripts/bench-mail.sh` runs it; `BENCH_MESSAGES`, `BENCH_ATTACHMENT_KB`, `BENCH_CONNECTIONS` and
//! `BENCH_DATABASE_URL` (default: a temporary SQLite file) change the set-up.

#[path = "../tests/it/mail/server.rs"]
mod server;

use std::process::ExitCode;
use std::time::Instant;

use blendscan::db::outbox::NewOutboxMessage;
use blendscan::db::reports::NewReport;
use blendscan::db::{self, NewOrganisation, OutboxStatus};
use blendscan::mail::message::new_message_id;
use blendscan::mail::{FlushMode, MailSettings, Mailer};
use lettre::message::Mailbox;

const TARGET_SECS: f64 = 15.0;

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("mail benchmark: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<bool, Box<dyn std::error::Error>> {
    let messages = env_num("BENCH_MESSAGES", 500);
    let kb = env_num("BENCH_ATTACHMENT_KB", 200);
    let connections = env_num("BENCH_CONNECTIONS", 4) as u32;
    let dir = tempfile::tempdir()?;
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let conn = db::connect(&url).await?;
    let org = db::organisations::add_organisation(
        &conn,
        &NewOrganisation {
            name: format!("Benchmark {}", rand::random::<u32>()),
            ..Default::default()
        },
    )
    .await?;
    let (scan, _) = db::scans::ensure_scan(&conn, org.id, 2026, "bench").await?;
    let from: Mailbox = "Kwaliteit <kwaliteit@bench.example>".parse()?;

    let set_up = Instant::now();
    let mut ids = Vec::with_capacity(messages);
    for i in 0..messages {
        // Each message its own report: every PDF is read from the database once.
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend((0..kb * 1024).map(|j| (j as u8).wrapping_mul(31) ^ (i as u8)));
        pdf.extend(format!("\n%{i}").bytes());
        let report_id = db::reports::store_report(
            &conn,
            &NewReport {
                scan_id: Some(scan.id),
                federation_id: None,
                year: 2026,
                kind: "selfscan",
                lang: "nl",
                pdf: &pdf,
                data_key: None,
            },
        )
        .await?;
        let to = [format!("directie{i}@bench.example")];
        let (m, _) = db::outbox::queue_message(
            &conn,
            &NewOutboxMessage {
                idempotency_key: &format!("bench-{}-{i}", org.slug),
                report_id: Some(report_id),
                recipients: &to,
                subject: "Zelfscan blended hulp 2026 – Benchmark",
                body_text: "In de bijlage vindt u het rapport van de zelfscan.",
                body_html: "<p>In de bijlage vindt u het rapport van de zelfscan.</p>",
                message_id: &new_message_id(&from),
                now: chrono::Utc::now(),
            },
        )
        .await?;
        ids.push(m.id);
    }
    let set_up = set_up.elapsed();

    let smtp = server::SmtpServer::start();
    let mut settings = MailSettings::smtp(&smtp.url(), from)?;
    settings.connections = connections;
    let mailer = Mailer::new(conn.clone(), &settings)?;
    let started = Instant::now();
    let report = mailer.flush(FlushMode::All).await?;
    let secs = started.elapsed().as_secs_f64();

    let received = smtp.received();
    let bytes: usize = received.iter().map(|r| r.data.len()).sum();
    let sent = db::outbox::outbox_messages(&conn, &ids)
        .await?
        .iter()
        .filter(|m| m.status == OutboxStatus::Sent)
        .count();
    let ok = sent == messages && received.len() == messages && secs < TARGET_SECS;
    println!(
        "mail benchmark: {messages} queued e-mails, each with its own {kb} kB PDF ({} backend)",
        db::backend_name(&conn)
    );
    println!(
        "  set-up (store reports, queue):  {:.1} s",
        set_up.as_secs_f64()
    );
    println!(
        "  outbox flush:                   {secs:.2} s — {:.0} messages/s, {:.1} MB/s of MIME on the wire",
        messages as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
    println!(
        "  delivered: {sent}/{messages} sent, {} received by the server over {} SMTP connections (pool of {connections}); {report:?}",
        received.len(),
        smtp.connections()
    );
    println!(
        "  target: < {TARGET_SECS} s — {}",
        if ok { "ok" } else { "MISSED" }
    );
    Ok(ok)
}
