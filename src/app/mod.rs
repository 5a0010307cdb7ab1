//! The application layer: one [`App`] holds what every front door needs — the database, the
//! catalogue, the scoring settings, the report renderer, the mailer and the import limits — built
//! once from one [`Settings`] tree, and offers the use cases as methods:
//!
//! | use case | method |
//! |---|---|
//! | import a file into a scan | [`App::import`] |
//! | score a scan | [`App::score`] (kept while the data is unchanged), [`App::score_scan`] |
//! | build a benchmark | [`App::benchmark`] |
//! | render a report | [`App::render_report`], [`App::preview_report`], [`App::report_data`] |
//! | queue and deliver a report | [`App::queue_report`], [`App::send_report`] |
//! | store advice | [`App::store_advice`], [`App::save_advice`] (versions, conditional), [`App::advice`], [`App::versioned_advice`], [`App::advice_versions`] |
//!
//! The CLI and the HTTP service both call these: a CLI command is parse → call → print, a handler
//! extract → call → respond. Below this layer sit `import`, `report`, `mail` and `accounts`, then
//! `db`, then the pure `domain` (see `docs/architecture.md`).

mod advice;
mod error;
mod imports;
mod login;
mod mail;
mod reports;
mod scores;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::db::{self, Organisation};
use crate::domain::catalogue::Catalogue;
use crate::domain::scoring::ScoringConfig;
use crate::import::Limits;
use crate::mail::Mailer;
use crate::report::Renderer;

pub use advice::{AdviceEdit, AdviceSave, MAX_ADVICE_BYTES, Versioned};
pub use error::Error;
pub use login::LoginAttempt;
pub use mail::{Delivery, DeliveryView, SendRequest, Sender, Sent};
pub use reports::{BenchmarkRequest, Prepared, ReportRequest, Subject};
pub use scores::{ScoreCache, Scored};

/// The result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything the front doors share. Cheap to clone: every part is shared.
#[derive(Clone)]
pub struct App {
    db: DatabaseConnection,
    catalogue: Arc<Catalogue>,
    renderer: Arc<Renderer>,
    mailer: Mailer,
    limits: Limits,
    settings: Arc<Settings>,
    scores: Arc<ScoreCache>,
    login: Arc<login::LoginGuard>,
}

impl App {
    /// Connect to the database of `settings` (applying pending migrations) and build the app.
    pub async fn build(settings: Settings) -> Result<Self> {
        let db = db::connect_with(&settings.database).await?;
        Self::with_database(db, settings)
    }

    /// Build the app on a connection that is already open and migrated (tests, benchmarks).
    pub fn with_database(db: DatabaseConnection, settings: Settings) -> Result<Self> {
        let catalogue = Arc::new(load_catalogue(&settings)?);
        let renderer = Arc::new(
            Renderer::from_dir(&settings.templates.dir).map_err(|source| Error::Templates {
                dir: settings.templates.dir.display().to_string(),
                source,
            })?,
        );
        let mailer = Mailer::new(db.clone(), &settings.mail)?;
        let limits = Limits {
            max_file_bytes: settings.http.upload_limit,
            ..Limits::default()
        };
        Ok(Self {
            db,
            catalogue,
            renderer,
            mailer,
            limits,
            settings: Arc::new(settings),
            scores: Arc::new(ScoreCache::default()),
            login: Arc::new(login::LoginGuard::default()),
        })
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn catalogue(&self) -> &Arc<Catalogue> {
        &self.catalogue
    }

    pub fn scoring(&self) -> &ScoringConfig {
        &self.settings.scoring
    }

    pub fn renderer(&self) -> &Arc<Renderer> {
        &self.renderer
    }

    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The organisation with this slug.
    pub async fn organisation(&self, slug: &str) -> Result<Organisation> {
        Ok(db::organisations::organisation_by_slug(&self.db, slug.trim()).await?)
    }

    /// An organisation's scan of `year`, or an error that lists the years it has.
    pub async fn scan(&self, slug: &str, year: i32) -> Result<(Organisation, db::Scan)> {
        let org = self.organisation(slug).await?;
        let scans = db::scans::scans_of(&self.db, org.id).await?;
        match scans.iter().find(|s| s.year == year) {
            Some(scan) => {
                let scan = scan.clone();
                Ok((org, scan))
            }
            None => Err(Error::NoScan {
                organisation: org.slug,
                year,
                years: scans.iter().map(|s| s.year).collect(),
            }),
        }
    }

    /// Start an organisation's scan of `year` (open, on this catalogue); nothing happens when it
    /// exists already. Returns whether it is new.
    pub async fn start_scan(&self, org: &Organisation, year: i32) -> Result<bool> {
        let (_, created) =
            db::scans::ensure_scan(&self.db, org.id, year, &self.catalogue.version).await?;
        Ok(created)
    }
}

/// The catalogue an installation uses (see `catalogue::load_installation`), for commands that need
/// no database.
pub fn load_catalogue(settings: &Settings) -> Result<Catalogue> {
    Ok(crate::catalogue::load_installation(
        &settings.catalogue.dir,
    )?)
}
