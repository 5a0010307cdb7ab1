//! What happens to an account after it was added: listed, disabled and enabled, its access ended,
//! removed with everything that belongs to it.

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::revoke_tokens_of;
use crate::db::DbError;
use crate::db::entities::{api_token, federation, organisation, session, user, user_organisation};
use crate::domain::access::Role;

/// An account as `user list` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct UserSummary {
    pub id: i32,
    pub email: String,
    pub role: String,
    /// The slugs of a coordinator's organisation or a counsellor's organisations.
    pub organisations: Vec<String>,
    /// The slug of a federation analyst's federation.
    pub federation: Option<String>,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// What ending an account's access took away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccessEnded {
    pub sessions: u64,
    pub tokens: u64,
}

/// Every account, by address.
pub async fn user_summaries<C: ConnectionTrait>(db: &C) -> Result<Vec<UserSummary>, DbError> {
    let orgs: HashMap<i32, String> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.slug))
        .collect();
    let feds: HashMap<i32, String> = federation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.slug))
        .collect();
    let mut assigned: HashMap<i32, Vec<String>> = HashMap::new();
    for a in user_organisation::Entity::find()
        .order_by_asc(user_organisation::Column::OrganisationId)
        .all(db)
        .await?
    {
        if let Some(slug) = orgs.get(&a.organisation_id) {
            assigned.entry(a.user_id).or_default().push(slug.clone());
        }
    }
    let users = user::Entity::find()
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| {
            let mut organisations = assigned.remove(&u.id).unwrap_or_default();
            if let Some(slug) = u.organisation_id.and_then(|id| orgs.get(&id)) {
                organisations.insert(0, slug.clone());
            }
            UserSummary {
                id: u.id,
                email: u.email,
                role: u.role,
                organisations,
                federation: u.federation_id.and_then(|id| feds.get(&id).cloned()),
                created_at: u.created_at,
                disabled_at: u.disabled_at,
            }
        })
        .collect())
}

/// How many enabled admins there are besides the user `user_id`.
pub async fn enabled_admins_besides<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<u64, DbError> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.code()))
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::Id.ne(user_id))
        .count(db)
        .await?)
}

/// Mark an account disabled from `at`, or (with `None`) enabled again.
pub async fn set_disabled<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    user::Entity::update_many()
        .col_expr(
            user::Column::DisabledAt,
            Expr::value(at.map(|t| t.trunc_subsecs(3))),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// End every session of an account and revoke its tokens.
pub async fn end_access<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<AccessEnded, DbError> {
    let sessions = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    let tokens = revoke_tokens_of(db, user_id, now).await?;
    Ok(AccessEnded { sessions, tokens })
}

/// What removing an account deleted with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    pub sessions: u64,
    pub tokens: u64,
    pub organisations: u64,
}

/// Delete an account with its sessions, tokens and organisation links (the foreign keys would
/// cascade; deleting them here says how many there were). The record of its sends stays.
pub async fn remove_user<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<Removed, DbError> {
    let sessions = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    let tokens = api_token::Entity::delete_many()
        .filter(api_token::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    let organisations = user_organisation::Entity::delete_many()
        .filter(user_organisation::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    user::Entity::delete_by_id(user_id).exec(db).await?;
    Ok(Removed {
        sessions,
        tokens,
        organisations,
    })
}
