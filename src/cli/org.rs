//! `blendscan org add|list`: the organisations whose staff take the scan.

use std::process::ExitCode;

use crate::app::App;
use crate::db::{self, NewOrganisation};

#[derive(Debug, clap::Subcommand)]
pub enum OrgCommand {
    /// Add an organisation; prints its slug (used by every later `--org`) as the last line.
    Add(AddArgs),
    /// List the organisations.
    List(ListArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Name of the organisation, e.g. "CAW De Brug".
    #[arg(long)]
    name: String,
    /// Sector, e.g. CAW, CLB, pleegzorg, kinderopvang.
    #[arg(long)]
    sector: Option<String>,
    /// Federation (koepel) the organisation is a member of, by name or slug; created when new.
    #[arg(long)]
    federation: Option<String>,
    /// Staff headcount, used for the response rate.
    #[arg(long)]
    staff: Option<i32>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub async fn run(app: &App, cmd: OrgCommand) -> anyhow::Result<ExitCode> {
    let conn = app.db();
    match cmd {
        OrgCommand::Add(a) => {
            let new = NewOrganisation {
                name: a.name,
                sector: a.sector,
                federation: a.federation,
                staff_headcount: a.staff,
            };
            let org = db::organisations::add_organisation(conn, &new).await?;
            println!(
                "Organisatie toegevoegd: {} (sector {}, federatie {}).",
                org.name,
                show(&org.sector),
                show(&org.federation)
            );
            println!("{}", org.slug);
        }
        OrgCommand::List(a) => {
            let orgs = db::organisations::list_organisations(conn).await?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&orgs)?);
            } else if orgs.is_empty() {
                println!(
                    "Nog geen organisaties. Voeg er een toe met `blendscan org add --name …`."
                );
            } else {
                println!(
                    "{:<28} {:<36} {:<14} {:>6}  federatie",
                    "slug", "naam", "sector", "staf"
                );
                for o in orgs {
                    let staff = o
                        .staff_headcount
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| "-".into());
                    println!(
                        "{:<28} {:<36} {:<14} {:>6}  {}",
                        o.slug,
                        o.name,
                        show(&o.sector),
                        staff,
                        show(&o.federation)
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}
