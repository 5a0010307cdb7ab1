//! Importing a questionnaire file into a scan: checked off the async runtime, stored all or nothing.

use super::{App, Result};
use crate::import::{self, ImportReport, OwnedImportRequest};

impl App {
    /// Check a file and, unless it has errors or this is a dry run, store it in its scan (created
    /// when it does not exist yet). Problems in the file are in the report, not an error.
    pub async fn import(&self, mut req: OwnedImportRequest) -> Result<ImportReport> {
        req.sheet = req.sheet.filter(|s| !s.trim().is_empty());
        let catalogue = self.catalogue.clone();
        let (limits, key) = (self.limits.clone(), &self.settings.key);
        Ok(import::run_off_runtime(&self.db, catalogue, limits, key, req).await?)
    }
}
