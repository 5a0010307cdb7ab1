//! `blendscan user add|list|disable|enable|remove` and `blendscan token create|list|revoke`: the
//! accounts of the service and their API tokens, and taking access back.

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};

use crate::accounts::{self, UserRequest};
use crate::app::App;
use crate::db::accounts::AccessEnded;
use crate::domain::access::Role;

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add an account, or give an existing one this password, role and scope (a new password or
    /// role ends its sessions and revokes its tokens).
    Add(AddArgs),
    /// List the accounts with their role, scope and whether they are disabled.
    List(ListArgs),
    /// Disable an account: it can no longer sign in, its sessions end and its tokens are revoked.
    Disable(EmailArgs),
    /// Enable a disabled account again (its revoked tokens stay revoked).
    Enable(EmailArgs),
    /// Remove an account with its sessions, tokens and organisation links.
    Remove(EmailArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    #[arg(long)]
    email: String,
    /// admin, federation (analyst), counsellor (process counsellor) or coordinator (quality coordinator).
    #[arg(long)]
    role: Role,
    /// The organisation of a coordinator; a counsellor's organisations (repeat --org).
    #[arg(long)]
    org: Vec<String>,
    /// The federation of a federation analyst.
    #[arg(long)]
    federation: Option<String>,
    /// Read the password from standard input (its first line), so it stays out of the shell history.
    #[arg(long, required = true)]
    password_stdin: bool,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct EmailArgs {
    /// The account's e-mail address.
    #[arg(long)]
    email: String,
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// A new API token for an account; printed once, as the last line (its expiry on stderr).
    Create(CreateTokenArgs),
    /// List the API tokens with their account, dates and state (never the tokens themselves).
    List(ListTokensArgs),
    /// Revoke an API token by its id (see `token list`).
    Revoke(RevokeArgs),
}

#[derive(Debug, clap::Args)]
pub struct CreateTokenArgs {
    #[arg(long)]
    email: String,
    /// Days the token lasts (default BLENDSCAN_TOKEN_DAYS, 90).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=3650))]
    days: Option<u16>,
    /// A label saying what the token is for, shown by `token list`.
    #[arg(long)]
    name: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ListTokensArgs {
    /// Only the tokens of this account.
    #[arg(long)]
    email: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct RevokeArgs {
    /// The token's id (see `token list`).
    id: i32,
}

pub async fn run_user(app: &App, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let db = app.db();
    match cmd {
        UserCommand::Add(args) => add(app, args).await?,
        UserCommand::List(a) => {
            let users = accounts::list_users(db).await?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&users)?);
            } else if users.is_empty() {
                println!(
                    "Nog geen accounts. Voeg er een toe met `blendscan user add --email … --role … --password-stdin`."
                );
            } else {
                println!(
                    "{:<36} {:<12} {:<32} {:<16}  status",
                    "e-mail", "rol", "bereik", "aangemaakt"
                );
                for u in users {
                    let scope = match (&u.federation, u.organisations.is_empty()) {
                        (Some(f), _) => f.clone(),
                        (None, false) => u.organisations.join(", "),
                        (None, true) => "-".to_owned(),
                    };
                    let status = match u.disabled_at {
                        Some(at) => format!("uitgeschakeld sinds {}", when(at)),
                        None => "actief".to_owned(),
                    };
                    println!(
                        "{:<36} {:<12} {:<32} {:<16}  {status}",
                        u.email,
                        u.role,
                        scope,
                        when(u.created_at)
                    );
                }
            }
        }
        UserCommand::Disable(a) => match accounts::disable_user(db, &a.email).await? {
            Some(ended) => println!(
                "Uitgeschakeld: {} ({}).",
                address(&a.email),
                ended_words(ended)
            ),
            None => println!("{} was al uitgeschakeld.", address(&a.email)),
        },
        UserCommand::Enable(a) => {
            let email = address(&a.email);
            if accounts::enable_user(db, &a.email).await? {
                println!("Ingeschakeld: {email}.");
                println!(
                    "Ingetrokken API-tokens blijven ingetrokken; maak zo nodig een nieuw met `blendscan token create --email {email}`."
                );
            } else {
                println!("{email} was niet uitgeschakeld.");
            }
        }
        UserCommand::Remove(a) => {
            let gone = accounts::remove_user(db, &a.email).await?;
            let r = gone.removed;
            println!(
                "Verwijderd: {} ({}), met {}, {} en {}.",
                gone.email,
                gone.role.code(),
                count(r.sessions, "sessie", "sessies"),
                count(r.tokens, "API-token", "API-tokens"),
                count(
                    r.organisations,
                    "organisatiekoppeling",
                    "organisatiekoppelingen"
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn add(app: &App, args: AddArgs) -> anyhow::Result<()> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("cannot read the password from standard input")?;
    let password = input.lines().next().unwrap_or("").to_owned();
    if password.is_empty() {
        anyhow::bail!(
            "no password on standard input: give the account's (new) password as its first line"
        );
    }
    let req = UserRequest {
        email: args.email.clone(),
        role: args.role,
        organisations: args.org,
        federation: args.federation,
        password,
    };
    let change = accounts::add_user(app.db(), &req).await?;
    let email = address(&args.email);
    println!(
        "{} {} ({})",
        if change.created {
            "toegevoegd:"
        } else {
            "bijgewerkt:"
        },
        email,
        args.role.code()
    );
    if let Some(ended) = change.access_ended {
        println!("Nieuw wachtwoord of nieuwe rol: {}.", ended_words(ended));
    }
    if change.disabled {
        println!(
            "Het account blijft uitgeschakeld; `blendscan user enable --email {email}` schakelt het in."
        );
    }
    Ok(())
}

pub async fn run_token(app: &App, cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    let db = app.db();
    match cmd {
        TokenCommand::Create(a) => {
            let lifetime = match a.days {
                Some(d) => chrono::Duration::days(d.into()),
                None => app.settings().http.token_ttl,
            };
            let t = accounts::issue_token(db, &a.email, lifetime, a.name.as_deref()).await?;
            eprintln!(
                "Nieuw API-token {} voor {}, geldig tot {} (wordt maar één keer getoond / shown only once):",
                t.id,
                t.email,
                when(t.expires_at)
            );
            println!("{}", t.token);
        }
        TokenCommand::List(a) => {
            let tokens = accounts::list_tokens(db, a.email.as_deref()).await?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&tokens)?);
            } else if tokens.is_empty() {
                println!(
                    "Nog geen API-tokens. Maak er een met `blendscan token create --email …`."
                );
            } else {
                println!(
                    "{:>5}  {:<32} {:<20} {:<16}  {:<16}  {:<16}  status",
                    "id", "account", "naam", "aangemaakt", "vervalt", "laatst gebruikt"
                );
                for t in tokens {
                    println!(
                        "{:>5}  {:<32} {:<20} {:<16}  {:<16}  {:<16}  {}",
                        t.id,
                        t.email,
                        t.name.as_deref().unwrap_or("-"),
                        when(t.created_at),
                        when(t.expires_at),
                        t.last_used_at.map_or_else(|| "-".to_owned(), when),
                        t.state.code()
                    );
                }
            }
        }
        TokenCommand::Revoke(a) => {
            let (t, now) = accounts::revoke_token(db, a.id).await?;
            if now {
                println!("API-token {} van {} ingetrokken.", t.id, t.email);
            } else {
                println!("API-token {} van {} was al ingetrokken.", t.id, t.email);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A moment in local time, to the minute.
fn when(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn address(email: &str) -> String {
    email.trim().to_lowercase()
}

/// `2 sessies beëindigd, 1 API-token ingetrokken`.
fn ended_words(e: AccessEnded) -> String {
    format!(
        "{} beëindigd, {} ingetrokken",
        count(e.sessions, "sessie", "sessies"),
        count(e.tokens, "API-token", "API-tokens")
    )
}

fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
