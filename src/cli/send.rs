//! `blendscan send --org ORG --year YEAR --kind selfscan|advice [--to EMAIL …] [--lang nl|en]`:
//! render the report, queue one e-mail per recipient in the outbox, attempt delivery and print the
//! status per recipient. Also the demo's e-mail.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;

use crate::app::{App, SendRequest, Sender};
use crate::domain::text::Lang;
use crate::mail::{TransportConfig, contacts};
use crate::report::{self, ReportKind};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The organisation's slug (see `org list`).
    #[arg(long)]
    org: String,
    /// The year of the scan.
    #[arg(long)]
    year: i32,
    /// selfscan (zelfscan) or advice (advies).
    #[arg(long, value_parser = parse_kind)]
    kind: ReportKind,
    /// A recipient (repeat for more); default: the organisation's contacts (`contact list`).
    #[arg(long = "to", value_name = "EMAIL")]
    to: Vec<String>,
    /// Language of every e-mail and report; default: each contact's own language (nl for others).
    #[arg(long)]
    lang: Option<Lang>,
    /// An id for this request: running the same request again sends nothing twice. Default: new.
    #[arg(long)]
    request_id: Option<String>,
    /// The generation date printed in the report, YYYY-MM-DD (default: today).
    #[arg(long)]
    date: Option<NaiveDate>,
}

fn parse_kind(s: &str) -> Result<ReportKind, String> {
    match s.parse() {
        Ok(ReportKind::Benchmark) => Err("send selfscan or advice reports by e-mail".into()),
        Ok(kind) => Ok(kind),
        Err(e) => Err(e.to_string()),
    }
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<ExitCode> {
    let req = SendRequest {
        organisation: args.org,
        year: args.year,
        kind: args.kind,
        to: args.to,
        lang: args.lang,
        request_id: args.request_id,
        generated: args.date.unwrap_or_else(report::today),
        by: Sender::Operator,
    };
    let sent = app.send_report(&req).await?;
    let Some(flush) = sent.flush else {
        anyhow::bail!(
            "the messages are queued, but delivery could not be attempted now: see the log, then `blendscan outbox flush`"
        );
    };
    println!(
        "{} {} {} via {}:",
        req.kind.code(),
        req.year,
        req.organisation.trim(),
        app.settings().mail.describe()
    );
    for d in &sent.deliveries {
        println!("  {}", super::outbox::status_line(&d.message));
    }
    Ok(super::outbox::exit_code(&flush))
}

/// The demo's e-mail: the self-scan report of `slug` to its demo management contact, through the
/// configured transport (`.eml` files in the demo's `outbox` unless `BLENDSCAN_SMTP_URL` is set).
/// Returns a line to print.
pub(super) async fn demo_mail(app: &App, slug: &str, year: i32) -> anyhow::Result<String> {
    let email = format!("directie@{slug}.example");
    contacts::add_contact(app.db(), slug, &email, Some("Directie"), Some(Lang::Nl)).await?;
    let mail = &app.settings().mail;
    if let TransportConfig::File(dir) = &mail.transport
        && !mail.outbox_dir_chosen
    {
        remove_eml_files(dir)?;
    }
    let req = SendRequest {
        organisation: slug.to_owned(),
        year,
        kind: ReportKind::SelfScan,
        to: Vec::new(),
        lang: None,
        request_id: Some("demo".to_owned()),
        generated: report::today(),
        by: Sender::Operator,
    };
    let sent = app.send_report(&req).await?;
    let outcome = match &sent.flush {
        Some(flush) => super::outbox::summary(flush),
        None => "in de wachtrij; bezorging later".to_owned(),
    };
    Ok(format!(
        "e-mail: zelfscan {year} aan {email} via {} ({outcome})",
        mail.describe()
    ))
}

/// A fresh demo starts with an empty outbox directory.
fn remove_eml_files(dir: &Path) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "eml") {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove the old demo e-mail {}", path.display()))?;
        }
    }
    Ok(())
}
