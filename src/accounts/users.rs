//! Taking access back: accounts listed, disabled (their sessions ended, their tokens revoked),
//! enabled again, removed. The service always keeps an enabled admin: the last one can be neither
//! disabled, removed nor given another role.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use super::AccountError;
use crate::db::accounts::{AccessEnded, Removed, UserRecord, UserSummary};
use crate::db::{self, DbError};
use crate::domain::access::Role;

/// The account with this address, or `NotFound`.
pub(super) async fn user<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<UserRecord, AccountError> {
    Ok(db::accounts::user_by_email(db, email)
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "user",
            key: email.trim().to_lowercase(),
        })?)
}

/// Refuse when `user` is the only enabled admin, before it stops being one.
pub(super) async fn keep_an_admin<C: ConnectionTrait>(
    db: &C,
    user: &UserRecord,
) -> Result<(), AccountError> {
    let p = &user.principal;
    if p.role == Role::Admin
        && user.disabled_at.is_none()
        && db::accounts::enabled_admins_besides(db, p.user_id).await? == 0
    {
        return Err(AccountError::LastAdmin {
            email: p.email.clone(),
        });
    }
    Ok(())
}

/// Every account, by address.
pub async fn list_users(db: &DatabaseConnection) -> Result<Vec<UserSummary>, AccountError> {
    Ok(db::accounts::user_summaries(db).await?)
}

/// Disable an account: its sessions end and its tokens are revoked, in one transaction. `None` when
/// it was disabled already.
pub async fn disable_user(
    db: &DatabaseConnection,
    email: &str,
) -> Result<Option<AccessEnded>, AccountError> {
    let txn = db.begin().await?;
    let u = user(&txn, email).await?;
    if u.disabled_at.is_some() {
        return Ok(None);
    }
    keep_an_admin(&txn, &u).await?;
    let now = Utc::now();
    db::accounts::set_disabled(&txn, u.principal.user_id, Some(now)).await?;
    let ended = db::accounts::end_access(&txn, u.principal.user_id, now).await?;
    txn.commit().await?;
    Ok(Some(ended))
}

/// Enable a disabled account; `false` when it was not disabled. Its revoked tokens stay revoked.
pub async fn enable_user(db: &DatabaseConnection, email: &str) -> Result<bool, AccountError> {
    let u = user(db, email).await?;
    if u.disabled_at.is_none() {
        return Ok(false);
    }
    db::accounts::set_disabled(db, u.principal.user_id, None).await?;
    Ok(true)
}

/// An account that is gone, and what went with it.
#[derive(Debug, Clone)]
pub struct RemovedUser {
    pub email: String,
    pub role: Role,
    pub removed: Removed,
}

/// Remove an account with its sessions, tokens and organisation links, in one transaction.
pub async fn remove_user(
    db: &DatabaseConnection,
    email: &str,
) -> Result<RemovedUser, AccountError> {
    let txn = db.begin().await?;
    let u = user(&txn, email).await?;
    keep_an_admin(&txn, &u).await?;
    let removed = db::accounts::remove_user(&txn, u.principal.user_id).await?;
    txn.commit().await?;
    Ok(RemovedUser {
        email: u.principal.email,
        role: u.principal.role,
        removed,
    })
}
