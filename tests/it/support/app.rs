//! The settings of a test installation, the app on a test database, and the catalogue.

use blendscan::app::App;
use blendscan::catalogue::builtin_files;
use blendscan::config::{MailSettings, Settings};
use blendscan::domain::catalogue::{Catalogue, parse};
use blendscan::domain::scoring::ScoringConfig;
use sea_orm::DatabaseConnection;

/// The built-in catalogue.
pub fn catalogue() -> Catalogue {
    parse(&builtin_files()).expect("catalogue")
}

/// The settings of a test installation on `url`: the catalogue and templates of this checkout,
/// `.eml` files in a temporary directory, every other setting its default.
pub fn settings(url: &str) -> Settings {
    let mut s = Settings::defaults().expect("default settings");
    s.database.url = url.to_owned();
    s.catalogue.dir = env!("CARGO_MANIFEST_DIR").into();
    s.templates.dir = s.catalogue.dir.join("report-templates");
    s.mail = MailSettings::file(
        std::env::temp_dir().join("blendscan-test-outbox"),
        "blendscan <blendscan@localhost>".parse().expect("sender"),
    );
    // The library's own imports in the tests keep the key in the database: the app does the same.
    s.key = blendscan::config::KeySource::Database;
    s
}

/// The app on an open test database, with the given scoring settings.
pub fn app_with(db: &DatabaseConnection, scoring: ScoringConfig) -> App {
    let mut s = settings("sqlite://unused.db");
    s.scoring = scoring;
    App::with_database(db.clone(), s).expect("app")
}

/// The app on an open test database, with the default settings.
pub fn app_on(db: &DatabaseConnection) -> App {
    app_with(db, ScoringConfig::default())
}
