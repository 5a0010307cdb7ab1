//! Claiming queued messages for delivery and recording what became of each attempt: the part of
//! the outbox that several workers share (see the parent module).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

use super::super::DbError;
use super::super::entities::outbox;
use super::{OutboxMessage, OutboxStatus, ms, to_domain};

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
    /// Who claims them (`host:pid`), for `outbox list` and for renewing the claims.
    pub worker: &'a str,
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
        .col_expr(outbox::Column::ClaimedBy, Expr::value(req.worker))
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
    let mut update = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(outbox::Column::ClaimedBy, Expr::value(None::<String>));
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

/// Extend the claims `worker` still holds on these messages (while they are being sent) until
/// `lease_until`; returns how many it still held.
pub async fn renew_claims<C: ConnectionTrait>(
    db: &C,
    ids: &[i32],
    worker: &str,
    lease_until: DateTime<Utc>,
) -> Result<u64, DbError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let done = outbox::Entity::update_many()
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(ms(lease_until)))
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending.code()))
        .filter(outbox::Column::ClaimedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}
