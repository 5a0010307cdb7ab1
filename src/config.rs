//! Settings: defaults that serve a laptop, overridden by the environment. Secrets stay out of `Debug`.

use std::path::PathBuf;

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://blendscan.db";

#[derive(Clone)]
pub struct Settings {
    /// `sqlite://FILE` (default) or `postgres://…` (env `DATABASE_URL`).
    pub database_url: String,
    /// Directory holding `framework/` and `checklists/` (env `BLENDSCAN_CATALOGUE_DIR`, default the
    /// working directory). The working directory may hold none (the built-in copy is used); a directory
    /// named in the environment must hold one.
    pub catalogue_dir: PathBuf,
}

impl Settings {
    /// Read the settings from the environment, with defaults for everything.
    pub fn from_env() -> Self {
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let catalogue_dir = std::env::var_os("BLENDSCAN_CATALOGUE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        Self {
            database_url,
            catalogue_dir,
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &crate::db::redact(&self.database_url))
            .field("catalogue_dir", &self.catalogue_dir)
            .finish()
    }
}
