//! The command line: one file per subcommand, each a thin layer over the library.

mod advice;
mod benchmark;
mod contact;
mod demo;
mod framework;
mod import;
mod key;
mod migrate;
mod org;
mod outbox;
mod report;
mod score;
mod send;
mod serve;
mod template;
mod user;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::{self, App};
use crate::config::Settings;

/// blendscan — hoe klaar is uw organisatie voor blended hulp? / how ready is your organisation for blended support?
#[derive(Debug, Parser)]
#[command(name = "blendscan", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply the database migrations (also done automatically by every command).
    Migrate(migrate::Args),
    /// Print the catalogue: aspects, recommendations and actions, competences, scales, role profiles, checklists.
    Framework(framework::Args),
    /// Manage organisations.
    #[command(subcommand)]
    Org(org::OrgCommand),
    /// Build a demo installation with a federation, member organisations and two yearly scans.
    Demo(demo::Args),
    /// Import a questionnaire file (xlsx, xlsm, xlsb, xls, ods, csv, tsv) into an organisation's scan.
    Import(import::Args),
    /// Write a questionnaire spreadsheet (.xlsx) to fill in, one row per respondent, ready for import.
    Template(template::Args),
    /// Readiness score of an organisation's scan: index, stage, aspects, clusters, priorities, trend.
    Score(score::Args),
    /// Anonymised benchmark of a federation's members for a year, overall and per sector.
    Benchmark(benchmark::Args),
    /// Render a PDF report: self-scan or advice (--org), or federation benchmark (--federation).
    Report(report::Args),
    /// A process counsellor's advice and action plan for a scan, entered from a TOML or JSON file.
    #[command(subcommand)]
    Advice(advice::AdviceCommand),
    /// Management contacts of an organisation: who receives its reports by e-mail.
    #[command(subcommand)]
    Contact(contact::ContactCommand),
    /// E-mail a report to the organisation's management (or --to): render, queue, deliver.
    Send(send::Args),
    /// The e-mail outbox: list what happened, deliver queued messages now, retry one.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// Run the web pages and the JSON API (with the e-mail worker).
    Serve(serve::Args),
    /// Accounts of the service: admin, federation analyst, process counsellor, quality coordinator.
    #[command(subcommand)]
    User(user::UserCommand),
    /// The pseudonymisation key: move it out of the database into its key file.
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// API tokens (bearer tokens for /api/v1).
    #[command(subcommand)]
    Token(user::TokenCommand),
}

/// Run a parsed command; the exit code says whether it succeeded. Errors of the use cases are
/// phrased for a person at the command line (see [`phrase`]).
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    run_command(cli.command).await.map_err(phrase)
}

async fn run_command(command: Command) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    // Commands that need no database, or set up their own.
    let command = match command {
        Command::Migrate(args) => return migrate::run(&settings, args).await,
        Command::Framework(args) => return framework::run(&settings, args),
        Command::Template(args) => return template::run(&settings, args),
        Command::Demo(args) => return demo::run(settings, args).await,
        Command::Serve(args) => return serve::run(settings, args).await,
        Command::Key(cmd) => return key::run(&settings, cmd).await,
        other => other,
    };
    let app = App::build(settings).await?;
    match command {
        Command::Org(cmd) => org::run(&app, cmd).await,
        Command::Import(args) => import::run(&app, args).await,
        Command::Score(args) => score::run(&app, args).await,
        Command::Benchmark(args) => benchmark::run(&app, args).await,
        Command::Report(args) => report::run(&app, args).await,
        Command::Advice(cmd) => advice::run(&app, cmd).await,
        Command::Contact(cmd) => contact::run(&app, cmd).await,
        Command::Send(args) => send::run(&app, args).await,
        Command::Outbox(cmd) => outbox::run(&app, cmd).await,
        Command::User(cmd) => user::run_user(&app, cmd).await,
        Command::Token(cmd) => user::run_token(&app, cmd).await,
        Command::Migrate(_)
        | Command::Framework(_)
        | Command::Template(_)
        | Command::Demo(_)
        | Command::Serve(_)
        | Command::Key(_) => Ok(ExitCode::SUCCESS),
    }
}

/// An error of a use case in the words of the command line: which command shows or fixes it.
fn phrase(e: anyhow::Error) -> anyhow::Error {
    let Some(app_error) = e.downcast_ref::<app::Error>() else {
        return e;
    };
    let hint = match app_error {
        app::Error::NoOrganisation(_) => " (see `blendscan org list`)".to_owned(),
        app::Error::NoFederation(_) => " (see `blendscan org list`)".to_owned(),
        app::Error::NoAdvice { organisation, year } => format!(
            ": enter it with `blendscan advice set --org {organisation} --year {year} FILE`"
        ),
        app::Error::NoRecipients(org) => {
            format!(": add one with `blendscan contact add --org {org} --email …`, or give --to")
        }
        app::Error::WrongSubject { for_federation, .. } => {
            if *for_federation {
                ": use --federation instead of --org".to_owned()
            } else {
                ": use --org instead of --federation".to_owned()
            }
        }
        _ => return e,
    };
    anyhow::anyhow!("{app_error}{hint}")
}
