//! The persisted outbox: every e-mail is written here before it is delivered, and its delivery is
//! tracked here — queued, being sent (claimed by a worker until a lease runs out), sent or failed.
//!
//! Claims are safe with several workers on one database: on PostgreSQL the claim selects with
//! `FOR UPDATE SKIP LOCKED`, on SQLite it runs in an IMMEDIATE transaction (one writer at a time).
//! A claim marks the rows `sending`, counts the attempt and sets `claimed_until`; only the worker
//! holding that attempt may record its outcome. A worker that dies leaves its rows `sending` until
//! the lease runs out, after which any worker claims them again (at-least-once delivery).

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use serde::Serialize;

use super::DbError;
use super::entities::{organisation, outbox, report, scan};

/// Where a message is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutboxStatus {
    /// Waiting for (another) attempt.
    Queued,
    /// Claimed by a worker that is delivering it.
    Sending,
    /// Accepted by the mail server.
    Sent,
    /// Refused for good (or given up after too many attempts); `last_error` says why.
    Failed,
}

impl OutboxStatus {
    pub fn code(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }

    fn parse(code: &str) -> Self {
        match code {
            "sending" => OutboxStatus::Sending,
            "sent" => OutboxStatus::Sent,
            "failed" => OutboxStatus::Failed,
            _ => OutboxStatus::Queued,
        }
    }
}

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxMessage {
    pub id: i32,
    pub idempotency_key: String,
    pub report_id: Option<i32>,
    /// Mailboxes (`Name <address>` or `address`).
    pub recipients: Vec<String>,
    pub subject: String,
    #[serde(skip)]
    pub body_text: String,
    #[serde(skip)]
    pub body_html: String,
    pub message_id: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub claimed_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewOutboxMessage<'a> {
    pub idempotency_key: &'a str,
    pub report_id: Option<i32>,
    pub recipients: &'a [String],
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    pub message_id: &'a str,
    pub now: DateTime<Utc>,
}

/// Which messages a worker claims.
#[derive(Debug, Clone)]
pub struct ClaimRequest<'a> {
    pub now: DateTime<Utc>,
    /// The claim holds until then; after it another worker may claim the message again.
    pub lease_until: DateTime<Utc>,
    pub limit: u64,
    /// Only messages with a larger id: a pass over the outbox claims each message at most once.
    pub after_id: i32,
    /// Claim queued messages whatever their backoff (`outbox flush`).
    pub ignore_backoff: bool,
    /// Only these messages (those `send` has just queued).
    pub only: Option<&'a [i32]>,
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    Sent,
    /// A temporary failure: try again at `at`.
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    /// A permanent failure.
    Failed {
        error: String,
    },
}

/// A stored report as an attachment: the PDF and what names it.
#[derive(Debug, Clone)]
pub struct ReportAttachment {
    pub pdf: Vec<u8>,
    pub kind: String,
    pub lang: String,
    pub year: i32,
    /// The organisation's slug (self-scan, advice), if the report belongs to a scan.
    pub organisation: Option<String>,
}

/// Times are stored to the millisecond, so a value read back equals the value written.
fn ms(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(3)
}

/// Queue a message unless one with the same idempotency key exists; returns the stored message and
/// whether this call queued it.
pub async fn queue_message<C: ConnectionTrait>(
    db: &C,
    new: &NewOutboxMessage<'_>,
) -> Result<(OutboxMessage, bool), DbError> {
    let recipients = serde_json::to_string(new.recipients)
        .map_err(|e| DbError::Invalid(format!("cannot store the recipients: {e}")))?;
    let now = ms(new.now);
    let row = outbox::ActiveModel {
        idempotency_key: Set(new.idempotency_key.to_owned()),
        report_id: Set(new.report_id),
        recipients: Set(recipients),
        subject: Set(new.subject.to_owned()),
        body_text: Set(new.body_text.to_owned()),
        body_html: Set(new.body_html.to_owned()),
        message_id: Set(new.message_id.to_owned()),
        status: Set(OutboxStatus::Queued.code().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    };
    let inserted = outbox::Entity::insert(row)
        .on_conflict_do_nothing_on([outbox::Column::IdempotencyKey])
        .exec_without_returning(db)
        .await?;
    let created = matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0);
    let stored = outbox::Entity::find()
        .filter(outbox::Column::IdempotencyKey.eq(new.idempotency_key))
        .one(db)
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "outbox message with key",
            key: new.idempotency_key.to_owned(),
        })?;
    Ok((to_domain(stored)?, created))
}

/// Claim messages for delivery (see the module docs); returns them with the attempt counted.
pub async fn claim_messages(
    db: &DatabaseConnection,
    req: &ClaimRequest<'_>,
) -> Result<Vec<OutboxMessage>, DbError> {
    let now = ms(req.now);
    let mut queued = Condition::all().add(outbox::Column::Status.eq(OutboxStatus::Queued.code()));
    if !req.ignore_backoff {
        queued = queued.add(outbox::Column::NextAttemptAt.lte(now));
    }
    let abandoned = Condition::all()
        .add(outbox::Column::Status.eq(OutboxStatus::Sending.code()))
        .add(outbox::Column::ClaimedUntil.lt(now));
    let mut due = Condition::all()
        .add(Condition::any().add(queued).add(abandoned))
        .add(outbox::Column::Id.gt(req.after_id));
    if let Some(ids) = req.only {
        due = due.add(outbox::Column::Id.is_in(ids.iter().copied()));
    }
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db.begin_with_options(options).await?;
    let mut select = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .filter(due)
        .order_by_asc(outbox::Column::Id)
        .limit(req.limit);
    if db.get_database_backend() == DbBackend::Postgres {
        select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let ids: Vec<i32> = select.into_tuple().all(&txn).await?;
    if ids.is_empty() {
        txn.commit().await?;
        return Ok(Vec::new());
    }
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(OutboxStatus::Sending.code()),
        )
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(ms(req.lease_until)),
        )
        .col_expr(
            outbox::Column::Attempts,
            Expr::col(outbox::Column::Attempts).add(1),
        )
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .exec(&txn)
        .await?;
    let rows = outbox::Entity::find()
        .filter(outbox::Column::Id.is_in(ids))
        .order_by_asc(outbox::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    rows.into_iter().map(to_domain).collect()
}

/// Record the outcome of attempt `attempt` of a message. Returns false (and changes nothing) when
/// the message is no longer held by that attempt — its lease ran out and another worker took it.
pub async fn record_attempt<C: ConnectionTrait>(
    db: &C,
    id: i32,
    attempt: i32,
    outcome: &AttemptOutcome,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let now = ms(now);
    let mut update = outbox::Entity::update_many().col_expr(
        outbox::Column::ClaimedUntil,
        Expr::value(None::<DateTime<Utc>>),
    );
    update = match outcome {
        AttemptOutcome::Sent => update
            .col_expr(
                outbox::Column::Status,
                Expr::value(OutboxStatus::Sent.code()),
            )
            .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
            .col_expr(outbox::Column::LastError, Expr::value(None::<String>)),
        AttemptOutcome::Retry { at, error } => update
            .col_expr(
                outbox::Column::Status,
                Expr::value(OutboxStatus::Queued.code()),
            )
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(ms(*at)))
            .col_expr(outbox::Column::LastError, Expr::value(Some(error.clone()))),
        AttemptOutcome::Failed { error } => update
            .col_expr(
                outbox::Column::Status,
                Expr::value(OutboxStatus::Failed.code()),
            )
            .col_expr(outbox::Column::LastError, Expr::value(Some(error.clone()))),
    };
    let done = update
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending.code()))
        .filter(outbox::Column::Attempts.eq(attempt))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Every message, oldest first; only those with `status` when given.
pub async fn list_outbox<C: ConnectionTrait>(
    db: &C,
    status: Option<OutboxStatus>,
) -> Result<Vec<OutboxMessage>, DbError> {
    let mut q = outbox::Entity::find().order_by_asc(outbox::Column::Id);
    if let Some(s) = status {
        q = q.filter(outbox::Column::Status.eq(s.code()));
    }
    q.all(db).await?.into_iter().map(to_domain).collect()
}

/// Messages by id, in id order (missing ids are left out).
pub async fn outbox_messages<C: ConnectionTrait>(
    db: &C,
    ids: &[i32],
) -> Result<Vec<OutboxMessage>, DbError> {
    outbox::Entity::find()
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The message with this id.
pub async fn outbox_message<C: ConnectionTrait>(db: &C, id: i32) -> Result<OutboxMessage, DbError> {
    let row = outbox::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "outbox message",
            key: id.to_string(),
        })?;
    to_domain(row)
}

/// Queue a message again for an attempt now (`outbox retry`), with a fresh count of attempts. A sent
/// message is never queued again, nor one a worker is delivering right now.
pub async fn requeue_message<C: ConnectionTrait>(
    db: &C,
    id: i32,
    now: DateTime<Utc>,
) -> Result<OutboxMessage, DbError> {
    let now = ms(now);
    let current = outbox_message(db, id).await?;
    let movable = Condition::any()
        .add(
            outbox::Column::Status
                .is_in([OutboxStatus::Queued.code(), OutboxStatus::Failed.code()]),
        )
        .add(
            Condition::all()
                .add(outbox::Column::Status.eq(OutboxStatus::Sending.code()))
                .add(outbox::Column::ClaimedUntil.lt(now)),
        );
    let done = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(OutboxStatus::Queued.code()),
        )
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(outbox::Column::Id.eq(id))
        .filter(movable)
        .exec(db)
        .await?;
    if done.rows_affected == 1 {
        return outbox_message(db, id).await;
    }
    let latest = outbox_message(db, id).await.unwrap_or(current);
    Err(DbError::Invalid(match latest.status {
        OutboxStatus::Sent => format!(
            "outbox message {id} was already sent{}: it is not sent twice",
            latest
                .sent_at
                .map(|t| format!(" on {}", t.format("%Y-%m-%d %H:%M UTC")))
                .unwrap_or_default()
        ),
        _ => format!(
            "outbox message {id} is being delivered by a worker right now (until {}); try again later",
            latest
                .claimed_until
                .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                .unwrap_or_else(|| "?".into())
        ),
    }))
}

/// The stored report with this id, as an attachment.
pub async fn report_attachment<C: ConnectionTrait>(
    db: &C,
    report_id: i32,
) -> Result<ReportAttachment, DbError> {
    let r = report::Entity::find_by_id(report_id)
        .one(db)
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "report",
            key: report_id.to_string(),
        })?;
    let organisation = match r.scan_id {
        Some(scan_id) => match scan::Entity::find_by_id(scan_id).one(db).await? {
            Some(s) => organisation::Entity::find_by_id(s.organisation_id)
                .one(db)
                .await?
                .map(|o| o.slug),
            None => None,
        },
        None => None,
    };
    Ok(ReportAttachment {
        pdf: r.pdf,
        kind: r.kind,
        lang: r.lang,
        year: r.year,
        organisation,
    })
}

fn to_domain(row: outbox::Model) -> Result<OutboxMessage, DbError> {
    let recipients: Vec<String> = serde_json::from_str(&row.recipients).map_err(|e| {
        DbError::Invalid(format!(
            "outbox message {}: unreadable recipients: {e}",
            row.id
        ))
    })?;
    Ok(OutboxMessage {
        id: row.id,
        idempotency_key: row.idempotency_key,
        report_id: row.report_id,
        recipients,
        subject: row.subject,
        body_text: row.body_text,
        body_html: row.body_html,
        message_id: row.message_id,
        status: OutboxStatus::parse(&row.status),
        attempts: row.attempts,
        next_attempt_at: row.next_attempt_at,
        claimed_until: row.claimed_until,
        last_error: row.last_error,
        created_at: row.created_at,
        sent_at: row.sent_at,
    })
}
