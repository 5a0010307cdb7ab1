//! The delivery worker: claims queued messages from the outbox, delivers them over one shared
//! (pooled) transport, several at a time, and records each outcome — sent; queued again with
//! exponential backoff after a temporary failure; failed with the server's reply after a permanent
//! one or too many attempts.
//!
//! A pass walks the outbox once in id order, so every message is attempted at most once per pass
//! even when it is queued again. Any number of workers, in one process or many, may run passes on
//! the same database at once (see `db::outbox::claim_messages`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use lettre::message::Mailbox;
use sea_orm::DatabaseConnection;
use serde::Serialize;
use tokio::task::JoinSet;

use super::MailError;
use super::message;
use super::transport::{DeliveryError, Transport};
use crate::config::mail::{MailSettings, RetryPolicy};
use crate::db::outbox::{AttemptOutcome, ClaimRequest, ReportAttachment};
use crate::db::{self, DbError, OutboxMessage};

/// Which queued messages a pass attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlushMode {
    /// Those whose backoff has run out (the background worker).
    Due,
    /// All of them, now (`outbox flush`).
    All,
}

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FlushReport {
    pub attempted: usize,
    pub sent: usize,
    /// Temporary failures, queued again.
    pub retrying: usize,
    pub failed: usize,
    /// Attempts whose claim had run out when they ended: another worker had taken the message.
    pub lost_claims: usize,
}

/// Delivers the outbox. Cheap to clone; clones share the transport and its connection pool.
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    transport: Transport,
    from: Mailbox,
    retry: RetryPolicy,
    lease: Duration,
    concurrency: usize,
    /// This instance (`host:pid`), as its claims name it.
    worker: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("transport", &self.inner.transport)
            .field("from", &self.inner.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// A worker on `db` with the transport of `settings` (built here, once).
    pub fn new(db: DatabaseConnection, settings: &MailSettings) -> Result<Self, MailError> {
        let transport = Transport::build(&settings.transport, settings.connections)?;
        Ok(Self {
            inner: Arc::new(Inner {
                db,
                transport,
                from: settings.from.clone(),
                retry: settings.retry,
                lease: settings.lease,
                concurrency: settings.connections.max(1) as usize,
                worker: worker_id(),
            }),
        })
    }

    /// The sender of every message.
    pub fn from(&self) -> &Mailbox {
        &self.inner.from
    }

    /// One pass over the outbox.
    pub async fn flush(&self, mode: FlushMode) -> Result<FlushReport, MailError> {
        self.pass(mode == FlushMode::All, None).await
    }

    /// Attempt these messages now, whatever their backoff (after `send` queued them).
    pub async fn deliver(&self, ids: &[i32]) -> Result<FlushReport, MailError> {
        if ids.is_empty() {
            return Ok(FlushReport::default());
        }
        self.pass(true, Some(ids)).await
    }

    async fn pass(
        &self,
        ignore_backoff: bool,
        only: Option<&[i32]>,
    ) -> Result<FlushReport, MailError> {
        let mut report = FlushReport::default();
        let mut after_id = 0;
        // Claim only what is sent now: an instance that dies holds up at most this many messages,
        // for at most one lease.
        let batch = self.inner.concurrency as u64;
        loop {
            let now = Utc::now();
            let claimed = db::outbox::claim_messages(
                &self.inner.db,
                &ClaimRequest {
                    now,
                    lease_until: now + self.inner.lease(),
                    limit: batch,
                    after_id,
                    ignore_backoff,
                    only,
                    worker: &self.inner.worker,
                },
            )
            .await?;
            let Some(last) = claimed.last() else {
                break;
            };
            after_id = last.id;
            self.deliver_batch(claimed, &mut report).await?;
        }
        Ok(report)
    }

    async fn deliver_batch(
        &self,
        batch: Vec<OutboxMessage>,
        report: &mut FlushReport,
    ) -> Result<(), MailError> {
        // Many messages carry the same report: read each PDF once per batch.
        let mut attachments: HashMap<i32, Option<Arc<ReportAttachment>>> = HashMap::new();
        for id in batch.iter().filter_map(|m| m.report_id) {
            if attachments.contains_key(&id) {
                continue;
            }
            let found = match db::outbox::report_attachment(&self.inner.db, id).await {
                Ok(a) => Some(Arc::new(a)),
                Err(DbError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            };
            attachments.insert(id, found);
        }
        let ids: Vec<i32> = batch.iter().map(|m| m.id).collect();
        let renewing = tokio::spawn(Arc::clone(&self.inner).renew_while_sending(ids));
        let mut running = JoinSet::new();
        for msg in batch {
            if running.len() >= self.inner.concurrency
                && let Some(done) = running.join_next().await
            {
                tally(report, done);
            }
            let attachment = msg
                .report_id
                .map(|id| attachments.get(&id).cloned().flatten());
            let inner = Arc::clone(&self.inner);
            running.spawn(async move { inner.attempt(msg, attachment).await });
        }
        while let Some(done) = running.join_next().await {
            tally(report, done);
        }
        renewing.abort();
        Ok(())
    }
}

/// This instance, as a claim names it: `host:pid`.
fn worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}:{}", std::process::id())
}

type Attempted = Result<(AttemptOutcome, bool), DbError>;

fn tally(report: &mut FlushReport, done: Result<Attempted, tokio::task::JoinError>) {
    report.attempted += 1;
    match done {
        Ok(Ok((outcome, recorded))) => {
            if !recorded {
                report.lost_claims += 1;
            }
            match outcome {
                AttemptOutcome::Sent => report.sent += 1,
                AttemptOutcome::Retry { .. } => report.retrying += 1,
                AttemptOutcome::Failed { .. } => report.failed += 1,
            }
        }
        // The outcome could not be recorded: the message stays claimed until its lease runs out,
        // and is then attempted again.
        Ok(Err(e)) => {
            tracing::error!(error = %e, "cannot record a delivery attempt");
            report.retrying += 1;
        }
        Err(e) => {
            tracing::error!(error = %e, "a delivery task failed");
            report.retrying += 1;
        }
    }
}

impl Inner {
    fn lease(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.lease).unwrap_or_else(|_| chrono::Duration::minutes(1))
    }

    /// Keep the claims on messages being sent alive: every third of a lease, extend them by a
    /// lease. Aborted when the batch is done; if this instance dies, the claims run out a lease
    /// later and another worker takes the messages.
    async fn renew_while_sending(self: Arc<Self>, ids: Vec<i32>) {
        let every = (self.lease / 3).max(std::time::Duration::from_millis(200));
        loop {
            tokio::time::sleep(every).await;
            let until = Utc::now() + self.lease();
            if let Err(e) = db::outbox::renew_claims(&self.db, &ids, &self.worker, until).await {
                tracing::warn!(error = %e, "cannot renew the claims on messages being sent");
            }
        }
    }

    /// Deliver one claimed message and record what happened; returns the outcome and whether it
    /// was recorded (false: the claim had run out).
    async fn attempt(
        &self,
        msg: OutboxMessage,
        attachment: Option<Option<Arc<ReportAttachment>>>,
    ) -> Attempted {
        let outcome = match self.send(&msg, attachment).await {
            Ok(()) => AttemptOutcome::Sent,
            Err(DeliveryError::Permanent(error)) => AttemptOutcome::Failed { error },
            Err(DeliveryError::Temporary(error)) if msg.attempts >= self.retry.max_attempts => {
                AttemptOutcome::Failed {
                    error: format!("gave up after {} attempts: {error}", msg.attempts),
                }
            }
            Err(DeliveryError::Temporary(error)) => {
                let wait = chrono::Duration::from_std(self.retry.delay_after(msg.attempts))
                    .unwrap_or_else(|_| chrono::Duration::hours(1));
                AttemptOutcome::Retry {
                    at: Utc::now() + wait,
                    error,
                }
            }
        };
        match &outcome {
            AttemptOutcome::Sent => {
                tracing::info!(id = msg.id, message_id = %msg.message_id, "e-mail sent")
            }
            AttemptOutcome::Retry { error, at } => {
                tracing::info!(id = msg.id, %error, next = %at, "e-mail delivery will be retried")
            }
            AttemptOutcome::Failed { error } => {
                tracing::warn!(id = msg.id, %error, "e-mail delivery failed")
            }
        }
        let recorded =
            db::outbox::record_attempt(&self.db, msg.id, msg.attempts, &outcome, Utc::now())
                .await?;
        if !recorded {
            tracing::warn!(
                id = msg.id,
                "the claim on this message ran out before its attempt ended; another worker may deliver it again"
            );
        }
        Ok((outcome, recorded))
    }

    async fn send(
        &self,
        msg: &OutboxMessage,
        attachment: Option<Option<Arc<ReportAttachment>>>,
    ) -> Result<(), DeliveryError> {
        let attachment = match (msg.report_id, attachment) {
            (Some(id), Some(None) | None) => {
                return Err(DeliveryError::Permanent(format!(
                    "the report {id} to attach is no longer stored"
                )));
            }
            (_, Some(found)) => found,
            (None, None) => None,
        };
        let message = message::build(msg, &self.from, attachment.as_deref())
            .map_err(|e| DeliveryError::Permanent(e.to_string()))?;
        self.transport.deliver(&message).await
    }
}
