//! `blendscan user add --email X --role admin|federation|counsellor|coordinator [--org ORG … |
//! --federation FED] --password-stdin` and `blendscan token create --email X`.

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;

use crate::accounts::{self, UserRequest};
use crate::app::App;
use crate::domain::access::Role;

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add an account, or give an existing one this password, role and scope.
    Add(AddArgs),
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

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// A new API token for an account; printed once, as the last line.
    Create {
        #[arg(long)]
        email: String,
    },
}

pub async fn run_user(app: &App, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let UserCommand::Add(args) = cmd;
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("cannot read the password from standard input")?;
    let password = input.lines().next().unwrap_or("").to_owned();
    let req = UserRequest {
        email: args.email.clone(),
        role: args.role,
        organisations: args.org,
        federation: args.federation,
        password,
    };
    let created = accounts::add_user(app.db(), &req).await?;
    println!(
        "{} {} ({})",
        if created {
            "toegevoegd:"
        } else {
            "bijgewerkt:"
        },
        args.email.trim().to_lowercase(),
        args.role.code()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn run_token(app: &App, cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    let TokenCommand::Create { email } = cmd;
    let token = accounts::create_token(app.db(), &email).await?;
    eprintln!("Nieuw API-token voor {email} (wordt maar één keer getoond / shown only once):");
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}
