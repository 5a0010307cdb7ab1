//! The record of every request to e-mail a report (see migration 9), and what the daily cap per
//! account counts.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;

use super::DbError;
use super::entities::{organisation, send, user};

/// One recorded send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SendRecord {
    pub id: i32,
    /// The account that asked (`account N (verwijderd)` once removed); `None`: the command line.
    pub user: Option<String>,
    pub organisation: String,
    pub year: i32,
    pub kind: String,
    /// Recipients of the request.
    pub recipients: i32,
    /// Messages it queued (fewer when the same request had queued some before).
    pub queued: i32,
    pub request_id: String,
    pub at: DateTime<Utc>,
}

/// What to record.
#[derive(Debug, Clone)]
pub struct NewSend<'a> {
    pub user_id: Option<i32>,
    pub organisation_id: i32,
    pub year: i32,
    pub kind: &'a str,
    pub recipients: usize,
    pub queued: usize,
    pub request_id: &'a str,
    pub at: DateTime<Utc>,
}

pub async fn record_send<C: ConnectionTrait>(db: &C, new: &NewSend<'_>) -> Result<(), DbError> {
    send::ActiveModel {
        user_id: Set(new.user_id),
        organisation_id: Set(new.organisation_id),
        year: Set(new.year),
        kind: Set(new.kind.to_owned()),
        recipients: Set(i32::try_from(new.recipients).unwrap_or(i32::MAX)),
        queued: Set(i32::try_from(new.queued).unwrap_or(i32::MAX)),
        request_id: Set(new.request_id.to_owned()),
        created_at: Set(new.at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Messages an account has queued since `since`.
pub async fn queued_by_since<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    since: DateTime<Utc>,
) -> Result<i64, DbError> {
    let rows: Vec<i32> = send::Entity::find()
        .select_only()
        .column(send::Column::Queued)
        .filter(send::Column::UserId.eq(user_id))
        .filter(send::Column::CreatedAt.gte(since))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(i64::from).sum())
}

/// The latest `limit` sends, newest first, with the account's address and the organisation's slug.
pub async fn list_sends<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<SendRecord>, DbError> {
    let rows = send::Entity::find()
        .order_by_desc(send::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let user = match r.user_id {
            Some(id) => Some(
                user::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .map_or_else(|| format!("account {id} (verwijderd)"), |u| u.email),
            ),
            None => None,
        };
        let organisation = organisation::Entity::find_by_id(r.organisation_id)
            .one(db)
            .await?
            .map_or_else(|| r.organisation_id.to_string(), |o| o.slug);
        out.push(SendRecord {
            id: r.id,
            user,
            organisation,
            year: r.year,
            kind: r.kind,
            recipients: r.recipients,
            queued: r.queued,
            request_id: r.request_id,
            at: r.created_at,
        });
    }
    Ok(out)
}
