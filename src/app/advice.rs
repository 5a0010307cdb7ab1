//! A process counsellor's advice and action plan for a scan: checked against the catalogue, then
//! stored in place of the previous one as a new numbered version (who, when). A save through the
//! API or the pages names the version it started from, so that two people cannot overwrite each
//! other; the command line stores unconditionally.

use super::{App, Error, Result};
use crate::db::advice::{AdviceVersion, Author, Precondition, SaveOutcome};
use crate::db::{self, Organisation, Scan};
use crate::report::advice::{self, Advice};

/// The largest advice accepted, as a file or a request body.
pub const MAX_ADVICE_BYTES: usize = 1 << 20;

/// An advice with the number of its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned {
    pub advice: Advice,
    pub version: i32,
}

/// How the new advice is given.
#[derive(Debug, Clone, Copy)]
pub enum AdviceEdit<'a> {
    /// A whole advice file (TOML or JSON; `file` names it and its format), as the CLI reads it.
    File { file: &'a str, text: &'a str },
    /// A full replacement in JSON that must name every part (the API's PUT).
    Replace(&'a str),
    /// The parts to change, in JSON (the API's PATCH, the status forms of the pages).
    Patch(&'a str),
}

/// A save of an advice: what, on which condition, by whom.
#[derive(Debug, Clone)]
pub struct AdviceSave<'a> {
    pub organisation: &'a str,
    pub year: i32,
    pub edit: AdviceEdit<'a>,
    pub precondition: Precondition,
    pub by: Author,
}

impl App {
    /// The advice stored for an organisation's scan.
    pub async fn advice(&self, slug: &str, year: i32) -> Result<Advice> {
        let (org, scan) = self.scan(slug, year).await?;
        Ok(self.advice_of(&org, scan.id, scan.year).await?.0)
    }

    /// The advice of a scan with its version; `None` when no advice was stored yet (the scan must
    /// exist).
    pub async fn versioned_advice(&self, slug: &str, year: i32) -> Result<Option<Versioned>> {
        let (_, scan) = self.scan(slug, year).await?;
        Ok(db::advice::versioned_advice_of_scan(&self.db, scan.id)
            .await?
            .map(|(stored, version)| Versioned {
                advice: Advice::from_stored(stored),
                version,
            }))
    }

    /// The versions of a scan's advice, newest first.
    pub async fn advice_versions(&self, slug: &str, year: i32) -> Result<Vec<AdviceVersion>> {
        let (_, scan) = self.scan(slug, year).await?;
        Ok(db::advice::advice_versions(&self.db, scan.id).await?)
    }

    /// Parse an advice file (TOML, or JSON when `file` ends in `.json` or the text starts with `{`;
    /// `file` names it in messages), check it against the catalogue and store it for the scan as a
    /// new version by the command line, replacing the previous one. Nothing is stored when
    /// anything is wrong.
    pub async fn store_advice(
        &self,
        slug: &str,
        year: i32,
        file: &str,
        text: &str,
    ) -> Result<(Organisation, Scan, Versioned)> {
        let saved = self
            .save_advice(&AdviceSave {
                organisation: slug,
                year,
                edit: AdviceEdit::File { file, text },
                precondition: Precondition::Any,
                by: Author::CommandLine,
            })
            .await?;
        let (org, scan) = self.scan(slug, year).await?;
        Ok((org, scan, saved))
    }

    /// Check and store a change of a scan's advice as a new version when its precondition holds;
    /// [`Error::AdviceConflict`] when someone else saved first. A patch needs a stored advice.
    pub async fn save_advice(&self, save: &AdviceSave<'_>) -> Result<Versioned> {
        // A whole advice is checked first: its problems are named even when the scan is wrong too.
        let whole = match save.edit {
            AdviceEdit::File { file, text } => Ok(advice::parse(file, text, &self.catalogue)?),
            AdviceEdit::Replace(text) => Ok(advice::parse_replacement(
                "advice.json",
                text,
                &self.catalogue,
            )?),
            AdviceEdit::Patch(patch) => Err(patch),
        };
        let (org, scan) = self.scan(save.organisation, save.year).await?;
        let conflict = |current| Error::AdviceConflict {
            organisation: org.slug.clone(),
            year: scan.year,
            given: match save.precondition {
                Precondition::Version(v) => Some(v),
                _ => None,
            },
            current,
        };
        let advice = match whole {
            Ok(advice) => advice,
            Err(patch) => {
                let Some((stored, version)) =
                    db::advice::versioned_advice_of_scan(&self.db, scan.id).await?
                else {
                    return Err(Error::NoAdvice {
                        organisation: org.slug.clone(),
                        year: scan.year,
                    });
                };
                // A patch applies to the version it was written against, or to none.
                if let Precondition::Version(v) = save.precondition
                    && v != version
                {
                    return Err(conflict(Some(version)));
                }
                advice::apply_patch(&Advice::from_stored(stored), patch, &self.catalogue)?
            }
        };
        let stored = advice.to_stored();
        match db::advice::save_advice(&self.db, scan.id, &stored, save.precondition, &save.by)
            .await?
        {
            SaveOutcome::Saved(version) => Ok(Versioned { advice, version }),
            SaveOutcome::Stale { current } => Err(conflict(current)),
        }
    }
}
