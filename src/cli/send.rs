//! `blendscan send --org ORG --year YEAR --kind selfscan|advice [--to EMAIL …] [--lang nl|en]`:
//! render the report, queue one e-mail per recipient in the outbox, attempt delivery and print the
//! status per recipient. Also the demo's e-mail.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::db;
use crate::domain::catalogue::Catalogue;
use crate::domain::scoring::ScoringConfig;
use crate::domain::text::Lang;
use crate::mail::send::{self, ReportSources, SendRequest};
use crate::mail::{MailSettings, Mailer, TransportConfig, contacts};
use crate::report::{self, Renderer, ReportKind};

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

pub async fn run(settings: &Settings, args: Args) -> anyhow::Result<ExitCode> {
    let config = super::score::scoring_config()?;
    let catalogue = super::load_catalogue(settings)?;
    let mail = MailSettings::from_env()?;
    let conn = db::connect(&settings.database_url).await?;
    let mailer = Mailer::new(conn.clone(), &mail)?;
    let renderer = super::report::renderer(settings)?;
    let req = SendRequest {
        organisation: args.org,
        year: args.year,
        kind: args.kind,
        to: args.to,
        lang: args.lang,
        request_id: args.request_id,
        generated: args.date.unwrap_or_else(report::today),
    };
    let sources = ReportSources {
        catalogue: &catalogue,
        config: &config,
        renderer: &renderer,
    };
    let queued = send::queue_report(&conn, sources, mailer.from(), &req).await?;
    let ids: Vec<i32> = queued
        .iter()
        .filter(|q| q.message.status == db::OutboxStatus::Queued)
        .map(|q| q.message.id)
        .collect();
    let report = mailer.deliver(&ids).await?;
    println!(
        "{} {} {} via {}:",
        req.kind.code(),
        req.year,
        req.organisation.trim(),
        mail.describe()
    );
    let ids: Vec<i32> = queued.iter().map(|q| q.message.id).collect();
    for m in db::outbox_messages(&conn, &ids).await? {
        println!("  {}", super::outbox::status_line(&m));
    }
    Ok(super::outbox::exit_code(&report))
}

/// The demo's e-mail: the self-scan report of `slug` to its demo management contact, through the
/// configured transport (`.eml` files in `dir/outbox` unless `BLENDSCAN_SMTP_URL` is set). Returns
/// a line to print.
pub(super) async fn demo_mail(
    conn: &DatabaseConnection,
    catalogue: &Catalogue,
    slug: &str,
    year: i32,
    dir: &Path,
) -> anyhow::Result<String> {
    let email = format!("directie@{slug}.example");
    contacts::add_contact(conn, slug, &email, Some("Directie"), Some(Lang::Nl)).await?;
    let outbox = dir.join("outbox");
    let mail = MailSettings::from_env_or_dir(&outbox)?;
    if matches!(&mail.transport, TransportConfig::File(d) if *d == outbox) {
        remove_eml_files(&outbox)?;
    }
    let mailer = Mailer::new(conn.clone(), &mail)?;
    let renderer = Arc::new(Renderer::builtin()?);
    let config = ScoringConfig::default();
    let req = SendRequest {
        organisation: slug.to_owned(),
        year,
        kind: ReportKind::SelfScan,
        to: Vec::new(),
        lang: None,
        request_id: Some("demo".to_owned()),
        generated: report::today(),
    };
    let sources = ReportSources {
        catalogue,
        config: &config,
        renderer: &renderer,
    };
    let queued = send::queue_report(conn, sources, mailer.from(), &req).await?;
    let ids: Vec<i32> = queued.iter().map(|q| q.message.id).collect();
    let report = mailer.deliver(&ids).await?;
    Ok(format!(
        "e-mail: zelfscan {year} aan {email} via {} ({})",
        mail.describe(),
        super::outbox::summary(&report)
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
