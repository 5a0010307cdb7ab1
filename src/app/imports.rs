//! Importing a questionnaire file into a scan: checked off the async runtime, stored all or nothing;
//! the history of a scan's imports, and taking one out again.

use super::{App, Error, Result};
use crate::db::import_history::{ImportRow, Undone};
use crate::db::{self, DbError};
use crate::import::{self, ImportOptions, ImportReport, OwnedImportRequest};

impl App {
    /// Check a file and, unless it has errors or this is a dry run, store it in its scan (created
    /// when it does not exist yet). Problems in the file are in the report, not an error.
    pub async fn import(&self, req: OwnedImportRequest) -> Result<ImportReport> {
        self.import_with(req, ImportOptions::default()).await
    }

    /// [`App::import`] with a corrected mapping or `--allow-partial`; a mapping the user confirmed
    /// is remembered for the organisation once the file is stored.
    pub async fn import_with(
        &self,
        mut req: OwnedImportRequest,
        options: ImportOptions,
    ) -> Result<ImportReport> {
        req.sheet = req.sheet.filter(|s| !s.trim().is_empty());
        let catalogue = self.catalogue.clone();
        let (limits, key) = (self.limits.clone(), &self.settings.key);
        Ok(import::run_off_runtime(&self.db, catalogue, limits, key, req, options).await?)
    }
}

impl App {
    /// The organisation's imports, newest first; of one year when given.
    pub async fn imports(&self, slug: &str, year: Option<i32>) -> Result<Vec<ImportRow>> {
        let org = self.organisation(slug).await?;
        Ok(db::import_history::list(&self.db, org.id, year).await?)
    }

    /// Take an import out of its scan: its respondents removed, the earlier answers it replaced
    /// put back; cached scores are recomputed (the organisation's data revision is raised).
    pub async fn undo_import(&self, slug: &str, import_id: i32) -> Result<Undone> {
        let org = self.organisation(slug).await?;
        match db::import_history::undo(&self.db, org.id, import_id).await {
            Err(DbError::NotFound { what: "import", .. }) => Err(Error::Invalid(format!(
                "import {import_id} does not exist for organisation `{}` (see `blendscan import list --org {}`)",
                org.slug, org.slug
            ))),
            other => Ok(other?),
        }
    }
}
