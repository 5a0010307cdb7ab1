//! What every handler shares: the database, the catalogue, scoring configuration, the report
//! renderer, the mail worker and the service's own settings.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use sea_orm::DatabaseConnection;

use super::error::AppError;
use crate::db::{self, Organisation};
use crate::domain::catalogue::Catalogue;
use crate::domain::scoring::{ScoreReport, Scorer, ScoringConfig};
use crate::import::Limits;
use crate::mail::Mailer;
use crate::report::Renderer;

/// Settings of the HTTP service.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// The largest upload accepted (default 50 MB); larger requests get 413.
    pub upload_limit: usize,
    /// Mark cookies `Secure` (set when the site is served over TLS, directly or by a proxy).
    pub secure_cookies: bool,
    /// How long a login lasts.
    pub session_ttl: chrono::Duration,
    /// A request that takes longer is answered 408.
    pub request_timeout: Duration,
    /// How often the background worker delivers due e-mail.
    pub mail_interval: Duration,
    /// Keep scores in memory while the data they rest on is unchanged (see [`ScoreCache`]).
    pub score_cache: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            upload_limit: 50 << 20,
            secure_cookies: false,
            session_ttl: chrono::Duration::hours(12),
            request_timeout: Duration::from_secs(120),
            mail_interval: Duration::from_secs(30),
            score_cache: true,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub catalogue: Arc<Catalogue>,
    pub config: ScoringConfig,
    pub renderer: Arc<Renderer>,
    pub mailer: Mailer,
    pub limits: Limits,
    pub http: HttpSettings,
    pub scores: Arc<ScoreCache>,
}

/// A score with its JSON, as served.
pub struct Scored {
    pub report: ScoreReport,
    pub json: Bytes,
}

/// Scores by organisation and year, kept while the data they rest on is unchanged (see
/// `db::score_revision`) and for at most a minute, so a dashboard read a thousand times a second
/// is scored once. A changed role-profile override or headcount shows within that minute at the
/// latest; an import at once.
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

impl AppState {
    /// The score of an organisation's scan, from the cache when the data has not changed.
    pub async fn score(&self, org: &Organisation, year: i32) -> Result<Arc<Scored>, AppError> {
        let revision = db::score_revision(&self.db, org.id).await?;
        let key = (org.id, year);
        if self.http.score_cache
            && let Ok(entries) = self.scores.entries.lock()
            && let Some(e) = entries.get(&key)
            && e.revision == revision
            && e.at.elapsed() < SCORE_TTL
        {
            return Ok(e.scored.clone());
        }
        let inputs = db::score_inputs(&self.db, &org.slug, year).await?;
        let report = Scorer::new(&self.catalogue, self.config.clone())
            .score(&inputs.current, inputs.previous.as_ref());
        let json = serde_json::to_vec(&report).map_err(|e| AppError::internal(&e))?;
        let scored = Arc::new(Scored {
            report,
            json: Bytes::from(json),
        });
        if self.http.score_cache
            && let Ok(mut entries) = self.scores.entries.lock()
        {
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
}
