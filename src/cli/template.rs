//! `blendscan template --out FILE.xlsx [--lang nl|en] [--variant full|short] [--role ROLE]`: write a
//! questionnaire spreadsheet to fill in, one row per respondent, that the import reads back.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::config::Settings;
use crate::domain::text::Lang;
use crate::template::{self as questionnaire, TemplateOptions, Variant};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the questionnaire (.xlsx); an existing file is replaced.
    #[arg(long)]
    out: PathBuf,
    /// Language of the questions, answers and explanation.
    #[arg(long, default_value = "nl")]
    lang: Lang,
    /// `full` asks every competence item, `short` only the core items (about three per cluster).
    #[arg(long, default_value = "full")]
    variant: Variant,
    /// Role profile code: ask only the competence clusters where this role is expected to reach level 2+.
    #[arg(long)]
    role: Option<String>,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<ExitCode> {
    let catalogue = crate::app::load_catalogue(settings)?;
    let options = TemplateOptions {
        lang: args.lang,
        variant: args.variant,
        role: args.role,
    };
    let count = questionnaire::questions(&catalogue, &options)?.len();
    let bytes = questionnaire::questionnaire(&catalogue, &options)?;
    std::fs::write(&args.out, bytes)
        .with_context(|| format!("kan {} niet schrijven", args.out.display()))?;
    println!(
        "Vragenlijst met {count} vragen geschreven naar {}",
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
