//! `blendscan migrate`: apply the migrations and say which are in place.

use std::process::ExitCode;

use crate::config::Settings;
use crate::db;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(settings: &Settings, _args: Args) -> anyhow::Result<ExitCode> {
    let conn = db::open(&settings.database.url).await?;
    db::migrate(&conn).await?;
    let applied = db::applied_migrations(&conn).await?;
    println!(
        "Database ({}, {}) is up to date.",
        db::backend_name(&conn),
        crate::config::redact(&settings.database.url)
    );
    for m in applied {
        println!("  applied: {m}");
    }
    Ok(ExitCode::SUCCESS)
}
