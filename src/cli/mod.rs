//! The command line: one file per subcommand, each a thin layer over the library.

mod advice;
mod benchmark;
mod contact;
mod demo;
mod framework;
mod import;
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
    /// API tokens (bearer tokens for /api/v1).
    #[command(subcommand)]
    Token(user::TokenCommand),
}

/// Run a parsed command; the exit code says whether it succeeded.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env();
    match cli.command {
        Command::Migrate(args) => migrate::run(&settings, args).await,
        Command::Framework(args) => framework::run(&settings, args),
        Command::Org(cmd) => org::run(&settings, cmd).await,
        Command::Demo(args) => demo::run(args).await,
        Command::Import(args) => import::run(&settings, args).await,
        Command::Template(args) => template::run(&settings, args),
        Command::Score(args) => score::run(&settings, args).await,
        Command::Benchmark(args) => benchmark::run(&settings, args).await,
        Command::Report(args) => report::run(&settings, args).await,
        Command::Advice(cmd) => advice::run(&settings, cmd).await,
        Command::Contact(cmd) => contact::run(&settings, cmd).await,
        Command::Send(args) => send::run(&settings, args).await,
        Command::Outbox(cmd) => outbox::run(&settings, cmd).await,
        Command::Serve(args) => serve::run(&settings, args).await,
        Command::User(cmd) => user::run_user(&settings, cmd).await,
        Command::Token(cmd) => user::run_token(&settings, cmd).await,
    }
}

/// Load the catalogue the installation uses, with a message that says where it was looked for.
fn load_catalogue(settings: &Settings) -> anyhow::Result<crate::domain::catalogue::Catalogue> {
    Ok(crate::catalogue::load_installation(
        &settings.catalogue_dir,
    )?)
}
