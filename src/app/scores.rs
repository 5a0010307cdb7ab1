//! Scoring a scan: the one place where a scan's inputs are read and scored.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::{App, Result};
use crate::db::scores::ScoreInputs;
use crate::db::{self, Organisation};
use crate::domain::scoring::{ScoreReport, Scorer};

/// A score with its JSON, as served.
pub struct Scored {
    pub report: ScoreReport,
    pub json: Bytes,
}

/// Scores by organisation and year, kept while the data they rest on is unchanged (see
/// `db::scores::score_revision`) and for at most a minute, so a dashboard read a thousand times a
/// second is scored once. A changed role-profile override or headcount shows within that minute at
/// the latest; an import at once.
#[derive(Default)]
pub struct ScoreCache {
    entries: Mutex<HashMap<(i32, i32), Entry>>,
}

struct Entry {
    revision: (i64, i64, i64),
    at: Instant,
    scored: Arc<Scored>,
}

const SCORE_TTL: Duration = Duration::from_secs(60);
const SCORE_ENTRIES: usize = 4096;

impl App {
    /// The score of an organisation's scan, from the cache when the data has not changed (unless the
    /// cache is off: `serve --no-score-cache`).
    pub async fn score(&self, org: &Organisation, year: i32) -> Result<Arc<Scored>> {
        let cache = self.settings.http.score_cache;
        let revision = db::scores::score_revision(&self.db, org.id).await?;
        let key = (org.id, year);
        if cache
            && let Ok(entries) = self.scores.entries.lock()
            && let Some(e) = entries.get(&key)
            && e.revision == revision
            && e.at.elapsed() < SCORE_TTL
        {
            return Ok(e.scored.clone());
        }
        let (_, report) = self.score_scan(&org.slug, year).await?;
        let json = serde_json::to_vec(&report)
            .map_err(|e| super::Error::Report(crate::report::ReportError::Data(e)))?;
        let scored = Arc::new(Scored {
            report,
            json: Bytes::from(json),
        });
        if cache && let Ok(mut entries) = self.scores.entries.lock() {
            if entries.len() >= SCORE_ENTRIES {
                entries.clear();
            }
            entries.insert(
                key,
                Entry {
                    revision,
                    at: Instant::now(),
                    scored: scored.clone(),
                },
            );
        }
        Ok(scored)
    }

    /// Read an organisation's scan of `year` (and its previous one) and score it, afresh.
    pub async fn score_scan(&self, slug: &str, year: i32) -> Result<(ScoreInputs, ScoreReport)> {
        let inputs = db::scores::score_inputs(&self.db, slug.trim(), year).await?;
        let report = Scorer::new(&self.catalogue, self.settings.scoring.clone())
            .score(&inputs.current, inputs.previous.as_ref());
        Ok((inputs, report))
    }
}
