//! `blendscan contact add|list|remove`: an organisation's management contacts, to whom `send` mails
//! its reports by default.

use std::process::ExitCode;

use crate::app::App;
use crate::domain::text::Lang;
use crate::mail::contacts;

#[derive(Debug, clap::Subcommand)]
pub enum ContactCommand {
    /// Add a management contact (adding the same address again updates its name and language).
    Add(AddArgs),
    /// List an organisation's contacts.
    List(ListArgs),
    /// Remove a contact.
    Remove(RemoveArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The organisation's slug (see `org list`).
    #[arg(long)]
    org: String,
    /// The e-mail address.
    #[arg(long)]
    email: String,
    /// The contact's name, used in the greeting.
    #[arg(long)]
    name: Option<String>,
    /// Language of the e-mails and reports this contact receives: nl (default) or en.
    #[arg(long)]
    lang: Option<Lang>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The organisation's slug.
    #[arg(long)]
    org: String,
    /// The e-mail address.
    #[arg(long)]
    email: String,
}

pub async fn run(app: &App, cmd: ContactCommand) -> anyhow::Result<ExitCode> {
    let conn = app.db();
    match cmd {
        ContactCommand::Add(a) => {
            let (c, created) =
                contacts::add_contact(conn, &a.org, &a.email, a.name.as_deref(), a.lang).await?;
            println!(
                "{} {} ({}, {}) voor {}.",
                if created {
                    "Contactpersoon toegevoegd:"
                } else {
                    "Contactpersoon bijgewerkt:"
                },
                c.email,
                c.name.as_deref().unwrap_or("zonder naam"),
                c.lang.code(),
                a.org.trim()
            );
        }
        ContactCommand::List(a) => {
            let (org, list) = contacts::list_contacts(conn, &a.org).await?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                println!(
                    "{} heeft nog geen contactpersonen. Voeg er een toe met `blendscan contact add --org {} --email …`.",
                    org.name, org.slug
                );
            } else {
                println!("{:<40} {:<32} taal", "e-mail", "naam");
                for c in list {
                    println!(
                        "{:<40} {:<32} {}",
                        c.email,
                        c.name.as_deref().unwrap_or("-"),
                        c.lang.code()
                    );
                }
            }
        }
        ContactCommand::Remove(a) => {
            if contacts::remove_contact(conn, &a.org, &a.email).await? {
                println!("Contactpersoon verwijderd: {}", a.email.trim());
            } else {
                anyhow::bail!(
                    "`{}` is not a contact of `{}` (see `blendscan contact list --org {}`)",
                    a.email.trim(),
                    a.org.trim(),
                    a.org.trim()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
