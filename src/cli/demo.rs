//! `blendscan demo [--out DIR]`: a fresh demo installation in DIR — a federation, member organisations in
//! two sectors, two yearly scans each — so a newcomer sees the product work in one command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::app::App;
use crate::config::Settings;
use crate::db::{self, NewOrganisation};
use crate::demo;
use crate::domain::text::Lang;
use crate::import::OwnedImportRequest;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write the demo into (created when missing; its demo database is replaced).
    #[arg(long, default_value = "blendscan-demo")]
    out: PathBuf,
}

pub async fn run(settings: Settings, args: Args) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    // The demo's own SQLite file, made afresh; or the database DATABASE_URL names (PostgreSQL, say),
    // which must be empty: the demo never mixes its organisations with real ones.
    let (app, url, shown) = if settings.database.url_chosen {
        let url = settings.database.url.clone();
        let shown = crate::config::redact(&url);
        let app = App::build(settings.in_directory(&args.out, url.clone())).await?;
        let existing = db::organisations::list_organisations(app.db()).await?.len();
        if existing > 0 {
            anyhow::bail!(
                "DATABASE_URL={shown} already holds {existing} organisation(s): the demo needs an empty database \
                 (create one, e.g. `createdb blendscan_demo`), or unset DATABASE_URL for the demo's own SQLite file"
            );
        }
        (app, shown.clone(), shown)
    } else {
        let db_path = args.out.join("blendscan.db");
        remove_database(&db_path)?;
        let url = sqlite_url(&db_path)?;
        let app = App::build(settings.in_directory(&args.out, url.clone())).await?;
        (app, url, db_path.display().to_string())
    };
    let (conn, catalogue) = (app.db(), app.catalogue());
    let sheets = args.out.join("vragenlijsten");
    std::fs::create_dir_all(&sheets)
        .with_context(|| format!("cannot create {}", sheets.display()))?;
    println!("Demo in {}", args.out.display());
    println!("  database: {shown} (catalogus {})", catalogue.version);
    let (fed, _) = db::federations::ensure_federation(conn, demo::FEDERATION).await?;
    println!("  federatie: {} [{}]", fed.name, fed.slug);
    for (i, o) in demo::organisations().iter().enumerate() {
        let new = NewOrganisation {
            name: o.name.into(),
            sector: Some(o.sector.into()),
            federation: Some(fed.slug.clone()),
            staff_headcount: Some(o.staff),
        };
        let org = db::organisations::add_organisation(conn, &new).await?;
        println!(
            "  organisatie: {} [{}], sector {}, {} medewerkers",
            o.name, org.slug, o.sector, o.staff
        );
        for (y, year) in demo::YEARS.iter().enumerate() {
            let bytes = demo::questionnaire(catalogue, o, i, y)?;
            let file = sheets.join(format!("{}-{year}.xlsx", org.slug));
            std::fs::write(&file, &bytes)
                .with_context(|| format!("cannot write {}", file.display()))?;
            let file_name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("demo.xlsx")
                .to_owned();
            let report = app
                .import(OwnedImportRequest {
                    organisation: org.slug.clone(),
                    year: *year,
                    file_name,
                    bytes,
                    sheet: None,
                    dry_run: false,
                })
                .await?;
            if !report.is_ok() {
                print!("{}", super::import::summary(&report, Lang::Nl));
                anyhow::bail!("the demo questionnaire {} did not import", file.display());
            }
            println!(
                "    scan {year}: {} geïmporteerd: {} respondenten, {} antwoorden",
                file.display(),
                report.respondents_imported,
                report.answers
            );
        }
    }
    let year = demo::YEARS[demo::YEARS.len() - 1];
    for file in super::report::demo_reports(&app, &fed.slug, year, &args.out).await? {
        println!("  rapport: {}", file.display());
    }
    let orgs = db::organisations::list_organisations(conn).await?;
    if let Some(first) = orgs.iter().map(|o| o.slug.as_str()).min() {
        let line = super::send::demo_mail(&app, first, year).await?;
        println!("  {line}");
    }
    let accounts =
        demo_accounts(conn, orgs.iter().map(|o| o.slug.as_str()).min(), &fed.slug).await?;
    println!();
    // Started through `cargo run`, the binary is not on PATH: say how to start it the same way.
    let me = if std::env::var_os("CARGO").is_some() {
        "cargo run --locked --"
    } else {
        "blendscan"
    };
    println!("Bekijk de organisaties met:");
    println!("  DATABASE_URL={url} {me} org list");
    println!();
    println!("Open de demo in de browser:");
    println!("  DATABASE_URL={url} {me} serve");
    println!("  en ga naar http://127.0.0.1:8080/ — meld u aan als");
    for (email, role) in &accounts {
        println!("    {email} ({role}), wachtwoord {DEMO_PASSWORD}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The password of the demo accounts (a demo database only; never use it for real accounts).
pub const DEMO_PASSWORD: &str = "demo-blendscan";

/// A quality coordinator of the first organisation and an analyst of the federation.
async fn demo_accounts(
    conn: &sea_orm::DatabaseConnection,
    first: Option<&str>,
    federation: &str,
) -> anyhow::Result<Vec<(String, &'static str)>> {
    use crate::accounts::{UserRequest, add_user};
    use crate::domain::access::Role;
    let mut made = Vec::new();
    if let Some(slug) = first {
        let email = format!("kwaliteit@{slug}.example");
        add_user(
            conn,
            &UserRequest {
                email: email.clone(),
                role: Role::Coordinator,
                organisations: vec![slug.to_owned()],
                federation: None,
                password: DEMO_PASSWORD.to_owned(),
            },
        )
        .await?;
        made.push((email, "kwaliteitscoördinator"));
    }
    let email = "analist@koepel.example".to_owned();
    add_user(
        conn,
        &UserRequest {
            email: email.clone(),
            role: Role::Federation,
            organisations: Vec::new(),
            federation: Some(federation.to_owned()),
            password: DEMO_PASSWORD.to_owned(),
        },
    )
    .await?;
    made.push((email, "koepelanalist"));
    Ok(made)
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
