//! A process counsellor's advice and action plan for a scan: checked against the catalogue, then
//! stored in place of the previous one.

use super::{App, Result};
use crate::db::{self, Organisation, Scan};
use crate::report::advice::{self, Advice};

/// The largest advice accepted, as a file or a request body.
pub const MAX_ADVICE_BYTES: usize = 1 << 20;

impl App {
    /// The advice stored for an organisation's scan.
    pub async fn advice(&self, slug: &str, year: i32) -> Result<Advice> {
        let (org, scan) = self.scan(slug, year).await?;
        self.advice_of(&org, scan.id, scan.year).await
    }

    /// Parse an advice (TOML, or JSON when `file` ends in `.json` or the text starts with `{`; `file`
    /// names it in messages), check it against the catalogue and store it for the scan, replacing
    /// the previous one. Nothing is stored when anything is wrong.
    pub async fn store_advice(
        &self,
        slug: &str,
        year: i32,
        file: &str,
        text: &str,
    ) -> Result<(Organisation, Scan, Advice)> {
        let advice = advice::parse(file, text, &self.catalogue)?;
        let (org, scan) = self.scan(slug, year).await?;
        db::advice::replace_advice(&self.db, scan.id, &advice.to_stored()).await?;
        Ok((org, scan, advice))
    }
}
