//! `blendscan key move`: move the pseudonymisation key of an installation from before out of the
//! database into the key file (`BLENDSCAN_KEY_FILE`, default `blendscan.key`), readable by its owner
//! only. Safe to run again.

use std::process::ExitCode;

use crate::config::{KEY_ENV, KeySource, Settings};
use crate::db;
use crate::import::key::{read_key_file, write_key_file};

#[derive(Debug, clap::Subcommand)]
pub enum KeyCommand {
    /// Move the key from the database into the key file, and remove it from the database.
    Move,
}

pub async fn run(settings: &Settings, cmd: KeyCommand) -> anyhow::Result<ExitCode> {
    let KeyCommand::Move = cmd;
    let path = match &settings.key {
        KeySource::File(path) => path.clone(),
        KeySource::Value(_) => anyhow::bail!(
            "{KEY_ENV} holds the key: compare it with the database's (`blendscan key move` needs a key file) or unset it"
        ),
        KeySource::Database => anyhow::bail!("this installation keeps its key in the database"),
    };
    let conn = db::connect_with(&settings.database).await?;
    let Some(in_db) = db::imports::existing_pseudonym_key(&conn).await? else {
        match read_key_file(&path)? {
            Some(_) => println!(
                "De sleutel staat al in {}; de database heeft er geen.",
                path.display()
            ),
            None => println!(
                "Er is nog geen sleutel: de eerste import maakt hem aan in {}.",
                path.display()
            ),
        }
        return Ok(ExitCode::SUCCESS);
    };
    let kept = write_key_file(&path, &in_db)?;
    if kept != in_db {
        anyhow::bail!(
            "{} holds another key than the database: pseudonyms made with the one would not match those made with the other; nothing was changed",
            path.display()
        );
    }
    db::imports::forget_pseudonym_key(&conn).await?;
    println!(
        "De pseudonimiseringssleutel staat nu in {} (alleen leesbaar voor de eigenaar) en niet meer in de database. Maak er een back-up van, apart van de database.",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
