//! The persisted outbox: every e-mail is written here before it is delivered, and its delivery is
//! tracked here — queued, being sent (claimed by a worker until a lease runs out), sent or failed.
//!
//! Claims are safe with several workers on one database: on PostgreSQL the claim selects with
//! `FOR UPDATE SKIP LOCKED`, on SQLite it runs in an IMMEDIATE transaction (one writer at a time).
//! A claim marks the rows `sending`, counts the attempt and sets `claimed_until`; only the worker
//! holding that attempt may record its outcome. A worker that dies leaves its rows `sending` until
//! the lease runs out, after which any worker claims them again (at-least-once delivery).

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use super::entities::{organisation, outbox, report, scan};
use super::{DbError, statement};

mod claim;

pub use claim::{AttemptOutcome, ClaimRequest, claim_messages, record_attempt, renew_claims};

/// Where a message is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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
    /// The instance (`host:pid`) that holds the claim while the message is being sent.
    pub claimed_by: Option<String>,
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
    let stored = outbox_message_by_key(db, new.idempotency_key)
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "outbox message with key",
            key: new.idempotency_key.to_owned(),
        })?;
    Ok((stored, created))
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

/// The message with this idempotency key, if one was queued.
pub async fn outbox_message_by_key<C: ConnectionTrait>(
    db: &C,
    key: &str,
) -> Result<Option<OutboxMessage>, DbError> {
    outbox::Entity::find()
        .filter(outbox::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
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
        claimed_by: row.claimed_by,
        last_error: row.last_error,
        created_at: row.created_at,
        sent_at: row.sent_at,
    })
}

/// The messages about the organisation's reports, oldest first.
pub async fn organisation_outbox<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<OutboxMessage>, DbError> {
    let sql = "SELECT m.id FROM outbox m JOIN reports r ON r.id = m.report_id \
               JOIN scans s ON s.id = r.scan_id WHERE s.organisation_id = $1 ORDER BY m.id";
    let rows = db
        .query_all_raw(statement(db, sql, vec![organisation_id.into()]))
        .await?;
    let ids = rows
        .iter()
        .map(|r| r.try_get_by_index::<i32>(0))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    outbox_messages(db, &ids).await
}

/// The newest `limit` messages, newest first (the admin's outbox page).
pub async fn recent_outbox<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<OutboxMessage>, DbError> {
    outbox::Entity::find()
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}
