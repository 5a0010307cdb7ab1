//! `blendscan demo [--out DIR]`: a fresh demo installation in DIR — a federation, member organisations in
//! two sectors, two yearly scans each — so a newcomer sees the product work in one command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::db::{self, NewOrganisation};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write the demo into (created when missing; its demo database is replaced).
    #[arg(long, default_value = "blendscan-demo")]
    out: PathBuf,
}

/// The demo federation.
pub const DEMO_FEDERATION: &str = "Koepel Welzijn Vlaanderen (demo)";

/// The demo members: name, sector, staff headcount.
pub const DEMO_ORGANISATIONS: [(&str, &str, i32); 4] = [
    ("CAW De Brug (demo)", "CAW", 42),
    ("CAW Zuiderkempen (demo)", "CAW", 65),
    ("CLB Noordrand (demo)", "CLB", 30),
    ("CLB Waasland (demo)", "CLB", 24),
];

/// The years the demo scans.
pub const DEMO_YEARS: [i32; 2] = [2025, 2026];

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let catalogue = crate::catalogue::load_default()?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let db_path = args.out.join("blendscan.db");
    remove_database(&db_path)?;
    let url = sqlite_url(&db_path)?;
    let conn = db::connect(&url).await?;
    println!("Demo in {}", args.out.display());
    println!(
        "  database: {} (catalogus {})",
        db_path.display(),
        catalogue.version
    );
    let (fed, _) = db::ensure_federation(&conn, DEMO_FEDERATION).await?;
    println!("  federatie: {} [{}]", fed.name, fed.slug);
    for (name, sector, staff) in DEMO_ORGANISATIONS {
        let new = NewOrganisation {
            name: name.into(),
            sector: Some(sector.into()),
            federation: Some(fed.slug.clone()),
            staff_headcount: Some(staff),
        };
        let org = db::add_organisation(&conn, &new).await?;
        for year in DEMO_YEARS {
            db::ensure_scan(&conn, org.id, year, &catalogue.version).await?;
        }
        let years: Vec<String> = DEMO_YEARS.iter().map(i32::to_string).collect();
        println!(
            "  organisatie: {name} [{}], sector {sector}, {staff} medewerkers, scans {}",
            org.slug,
            years.join(" en ")
        );
    }
    println!();
    println!("Bekijk de organisaties met:");
    println!("  DATABASE_URL={url} blendscan org list");
    Ok(ExitCode::SUCCESS)
}

/// Remove a previous demo database (and its WAL files) so the demo always starts fresh.
fn remove_database(path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("cannot remove the old demo database {}", path.display())
                });
            }
        }
    }
    Ok(())
}

/// A `sqlite://` URL for a file path (absolute, so it works from any directory).
pub fn sqlite_url(path: &Path) -> anyhow::Result<String> {
    let abs =
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    let s = abs
        .to_str()
        .with_context(|| format!("the path {} is not valid UTF-8", abs.display()))?;
    Ok(format!("sqlite://{s}"))
}
