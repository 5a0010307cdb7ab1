//! `blendscan outbox list [--json] [--status S]|flush|retry ID`: what happened to the e-mails, and
//! delivering them now.

use std::process::ExitCode;

use chrono::Utc;

use crate::app::App;
use crate::db::{self, OutboxMessage, OutboxStatus};
use crate::mail::{FlushMode, FlushReport};

#[derive(Debug, clap::Subcommand)]
pub enum OutboxCommand {
    /// List the messages with their status, attempts and the mail server's last reply.
    List(ListArgs),
    /// Attempt every queued message now, whatever its backoff.
    Flush,
    /// Queue a failed (or waiting) message again and attempt it now; a sent message is never sent twice.
    Retry(RetryArgs),
    /// Every request to e-mail a report: who asked, what, to how many; newest first.
    Sends(SendsArgs),
}

#[derive(Debug, clap::Args)]
pub struct SendsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// How many, at most.
    #[arg(long, default_value_t = 50)]
    limit: u64,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Only messages with this status: queued, sending, sent or failed.
    #[arg(long, value_parser = parse_status)]
    status: Option<OutboxStatus>,
}

#[derive(Debug, clap::Args)]
pub struct RetryArgs {
    /// The message's id (see `outbox list`).
    id: i32,
}

fn parse_status(s: &str) -> Result<OutboxStatus, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "queued" => Ok(OutboxStatus::Queued),
        "sending" => Ok(OutboxStatus::Sending),
        "sent" => Ok(OutboxStatus::Sent),
        "failed" => Ok(OutboxStatus::Failed),
        other => Err(format!(
            "unknown status `{other}`: use queued, sending, sent or failed"
        )),
    }
}

pub async fn run(app: &App, cmd: OutboxCommand) -> anyhow::Result<ExitCode> {
    let conn = app.db();
    match cmd {
        OutboxCommand::List(a) => {
            let messages = db::outbox::list_outbox(conn, a.status).await?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&messages)?);
            } else if messages.is_empty() {
                println!("De outbox is leeg.");
            } else {
                println!(
                    "{:>5}  {:<28} {:>8}  aan — onderwerp",
                    "id", "status", "pogingen"
                );
                for m in &messages {
                    println!(
                        "{:>5}  {:<28} {:>8}  {} — {}",
                        m.id,
                        status_word(m),
                        m.attempts,
                        m.recipients.join(", "),
                        m.subject
                    );
                    if let Some(e) = m
                        .last_error
                        .as_deref()
                        .filter(|_| m.status != OutboxStatus::Sent)
                    {
                        println!("{:>7}{}", "", e);
                    }
                    if let (OutboxStatus::Sending, Some(by), Some(until)) =
                        (m.status, &m.claimed_by, m.claimed_until)
                    {
                        println!(
                            "{:>7}geclaimd door {by} tot {}",
                            "",
                            until
                                .with_timezone(&chrono::Local)
                                .format("%Y-%m-%d %H:%M:%S")
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        OutboxCommand::Flush => {
            let report = app.mailer().flush(FlushMode::All).await?;
            let via = app.settings().mail.describe();
            println!("Outbox via {via}: {}", summary(&report));
            Ok(exit_code(&report))
        }
        OutboxCommand::Sends(a) => {
            let sends = db::sends::list_sends(conn, a.limit).await?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&sends)?);
            } else if sends.is_empty() {
                println!("Er is nog niets verzonden.");
            } else {
                println!(
                    "{:>5}  {:<19}  {:<32} {:<28} {:<14} ontvangers  nieuw",
                    "id", "wanneer", "door", "organisatie", "rapport"
                );
                for s in &sends {
                    println!(
                        "{:>5}  {:<19}  {:<32} {:<28} {:<14} {:>10}  {:>5}",
                        s.id,
                        s.at.with_timezone(&chrono::Local)
                            .format("%Y-%m-%d %H:%M:%S"),
                        s.user.as_deref().unwrap_or("(opdrachtregel)"),
                        s.organisation,
                        format!("{} {}", s.kind, s.year),
                        s.recipients,
                        s.queued
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        OutboxCommand::Retry(a) => {
            let message = db::outbox::requeue_message(conn, a.id, Utc::now()).await?;
            let report = app.mailer().deliver(&[message.id]).await?;
            let after = db::outbox::outbox_message(conn, message.id).await?;
            println!("{}", status_line(&after));
            Ok(exit_code(&report))
        }
    }
}

/// Failure when a message failed for good; queued-for-retry still counts as success.
pub(super) fn exit_code(report: &FlushReport) -> ExitCode {
    if report.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `3 geprobeerd: 2 verzonden, 1 opnieuw later, 0 mislukt`.
pub(super) fn summary(r: &FlushReport) -> String {
    format!(
        "{} geprobeerd: {} verzonden, {} later opnieuw, {} mislukt",
        r.attempted, r.sent, r.retrying, r.failed
    )
}

/// The status in words, with the next attempt of a queued message.
pub(super) fn status_word(m: &OutboxMessage) -> String {
    match m.status {
        OutboxStatus::Queued if m.attempts == 0 => "in wachtrij".to_owned(),
        OutboxStatus::Queued => format!(
            "opnieuw na {}",
            m.next_attempt_at
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
        ),
        OutboxStatus::Sending => "wordt verzonden".to_owned(),
        OutboxStatus::Sent => "verzonden".to_owned(),
        OutboxStatus::Failed => "mislukt".to_owned(),
    }
}

/// One line per message: id, recipients, status and the server's reply when it did not go out.
pub(super) fn status_line(m: &OutboxMessage) -> String {
    let mut line = format!(
        "{:<36} {} (bericht {}, poging {})",
        m.recipients.join(", "),
        status_word(m),
        m.id,
        m.attempts
    );
    if m.status != OutboxStatus::Sent
        && let Some(e) = &m.last_error
    {
        line.push_str(": ");
        line.push_str(e);
    }
    line
}
