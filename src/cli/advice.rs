//! `blendscan advice set --org ORG --year YEAR FILE` and `blendscan advice show --org ORG --year YEAR`:
//! a process counsellor's advice and action plan for a scan, entered from a TOML or JSON file (see
//! `src/report/advice/mod.rs` for the format). Setting it again replaces it, as a new version.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::app::{App, MAX_ADVICE_BYTES};

#[derive(Debug, clap::Subcommand)]
pub enum AdviceCommand {
    /// Store the advice and action plan of a scan from a TOML or JSON file (replaces the previous one).
    Set(SetArgs),
    /// Print the stored advice of a scan as JSON.
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// The organisation's slug (see `org list`).
    #[arg(long)]
    org: String,
    /// The year of the scan.
    #[arg(long)]
    year: i32,
    /// The advice file (.toml or .json).
    file: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The year of the scan.
    #[arg(long)]
    year: i32,
}

pub async fn run(app: &App, cmd: AdviceCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        AdviceCommand::Set(args) => set(app, args).await,
        AdviceCommand::Show(args) => show(app, args).await,
    }
}

async fn set(app: &App, args: SetArgs) -> anyhow::Result<ExitCode> {
    let name = args.file.display().to_string();
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {name}"))?
        .len();
    if size > MAX_ADVICE_BYTES as u64 {
        anyhow::bail!("{name}: the file is {size} bytes, more than the 1 MB an advice file may be");
    }
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {name} as UTF-8 text"))?;
    let (org, scan, saved) = app.store_advice(&args.org, args.year, &name, &text).await?;
    println!(
        "advice stored for {} {} as version {}: {} aspect(s), {} action(s) in the plan",
        org.slug,
        scan.year,
        saved.version,
        saved.advice.aspects.len(),
        saved.advice.plan.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn show(app: &App, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let advice = app.advice(&args.org, args.year).await?;
    println!("{}", serde_json::to_string_pretty(&advice)?);
    Ok(ExitCode::SUCCESS)
}
