//! API tokens: kept with the moment they run out, refused once expired or revoked or when their
//! account is disabled, and listed with their state — never with the token itself.

use std::collections::HashMap;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use super::principal;
use crate::db::DbError;
use crate::db::entities::{api_token, user};
use crate::domain::access::Principal;

/// How long a token without an expiry lasts from when it was made. Those are the tokens made before
/// migration 10, and any an older release makes beside this one during a rolling upgrade; one rule
/// read here covers both, where a migration's UPDATE could cover only the first.
pub const UNDATED_TOKEN_DAYS: i64 = 90;

/// Where a token stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

impl TokenState {
    pub fn code(self) -> &'static str {
        match self {
            TokenState::Active => "active",
            TokenState::Expired => "expired",
            TokenState::Revoked => "revoked",
        }
    }
}

/// A token as `token list` shows it: who holds it and its dates, not the secret or its digest.
#[derive(Debug, Clone, Serialize)]
pub struct TokenRecord {
    pub id: i32,
    /// The account's e-mail address.
    pub email: String,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub state: TokenState,
}

fn expires_at(t: &api_token::Model) -> DateTime<Utc> {
    t.expires_at
        .unwrap_or(t.created_at + Duration::days(UNDATED_TOKEN_DAYS))
}

fn state(t: &api_token::Model, now: DateTime<Utc>) -> TokenState {
    if t.revoked_at.is_some() {
        TokenState::Revoked
    } else if expires_at(t) <= now {
        TokenState::Expired
    } else {
        TokenState::Active
    }
}

fn record(t: api_token::Model, email: String, now: DateTime<Utc>) -> TokenRecord {
    TokenRecord {
        id: t.id,
        email,
        state: state(&t, now),
        expires_at: expires_at(&t),
        name: t.name,
        created_at: t.created_at,
        last_used_at: t.last_used_at,
        revoked_at: t.revoked_at,
    }
}

/// Keep a new API token of a user; returns its id.
pub async fn add_token<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    token_hash: &str,
    name: Option<&str>,
    expires_at: DateTime<Utc>,
) -> Result<i32, DbError> {
    let m = api_token::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        expires_at: Set(Some(expires_at.trunc_subsecs(3))),
        revoked_at: Set(None),
        name: Set(name.map(str::to_owned)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(m.id)
}

/// The principal of an API token that is active and whose account is enabled. Notes when it was
/// used, at most once a minute (a write per request would make every read wait for SQLite's one
/// writer).
pub async fn principal_by_token<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Principal>, DbError> {
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if state(&t, now) != TokenState::Active {
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(t.user_id)
        .one(db)
        .await?
        .filter(|u| u.disabled_at.is_none())
    else {
        return Ok(None);
    };
    if t.last_used_at
        .is_none_or(|at| now - at > Duration::minutes(1))
    {
        api_token::Entity::update_many()
            .col_expr(
                api_token::Column::LastUsedAt,
                Expr::value(Some(now.trunc_subsecs(3))),
            )
            .filter(api_token::Column::Id.eq(t.id))
            .exec(db)
            .await?;
    }
    Ok(Some(principal(db, &u).await?))
}

/// Every token, or those of one user, oldest first.
pub async fn tokens<C: ConnectionTrait>(
    db: &C,
    user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Vec<TokenRecord>, DbError> {
    let mut query = api_token::Entity::find().order_by_asc(api_token::Column::Id);
    if let Some(id) = user_id {
        query = query.filter(api_token::Column::UserId.eq(id));
    }
    let rows = query.all(db).await?;
    let emails: HashMap<i32, String> = user::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    Ok(rows
        .into_iter()
        .map(|t| {
            let email = emails.get(&t.user_id).cloned().unwrap_or_default();
            record(t, email, now)
        })
        .collect())
}

/// The token with this id.
pub async fn token<C: ConnectionTrait>(
    db: &C,
    id: i32,
    now: DateTime<Utc>,
) -> Result<TokenRecord, DbError> {
    let not_found = || DbError::NotFound {
        what: "API token",
        key: id.to_string(),
    };
    let t = api_token::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let email = user::Entity::find_by_id(t.user_id)
        .one(db)
        .await?
        .map(|u| u.email)
        .unwrap_or_default();
    Ok(record(t, email, now))
}

/// Revoke a token; `false` when it was revoked already. An unknown id is `NotFound`.
pub async fn revoke_token<C: ConnectionTrait>(
    db: &C,
    id: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let revoked = api_token::Entity::update_many()
        .col_expr(
            api_token::Column::RevokedAt,
            Expr::value(Some(now.trunc_subsecs(3))),
        )
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected;
    if revoked == 0 {
        token(db, id, now).await?;
    }
    Ok(revoked > 0)
}

/// Revoke every token of a user that is not revoked yet; returns how many.
pub async fn revoke_tokens_of<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    Ok(api_token::Entity::update_many()
        .col_expr(
            api_token::Column::RevokedAt,
            Expr::value(Some(now.trunc_subsecs(3))),
        )
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}
