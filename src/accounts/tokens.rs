//! API tokens: made for an account with a lifetime and an optional label, listed with their state,
//! revoked one by one. The token itself is shown once, when it is made.

use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseConnection;

use super::{AccountError, digest, random_secret};
use crate::config::HttpSettings;
use crate::db::accounts::TokenRecord;
use crate::db::{self, DbError};
use crate::domain::access::Principal;

/// The longest label `token create --name` keeps.
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

/// A token just made: the secret (given once, never stored) and what `token list` will show of it.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub id: i32,
    pub email: String,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// A new API token for the (enabled) account with this address, lasting `lifetime`, with an
/// optional label. Only its digest is stored.
pub async fn issue_token(
    db: &DatabaseConnection,
    email: &str,
    lifetime: Duration,
    name: Option<&str>,
) -> Result<IssuedToken, AccountError> {
    if lifetime <= Duration::zero() {
        return Err(AccountError::Invalid(
            "a token must last longer than no time at all".into(),
        ));
    }
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = name {
        if n.chars().count() > MAX_TOKEN_NAME_CHARS {
            return Err(AccountError::Invalid(format!(
                "--name: at most {MAX_TOKEN_NAME_CHARS} characters"
            )));
        }
        if n.chars().any(char::is_control) {
            return Err(AccountError::Invalid(
                "--name: no control characters".into(),
            ));
        }
    }
    let user = enabled_user(db, email).await?;
    let token = format!("bls_{}", random_secret());
    let expires_at = Utc::now() + lifetime;
    let id = db::accounts::add_token(
        db,
        user.principal.user_id,
        &digest(&token),
        name,
        expires_at,
    )
    .await?;
    Ok(IssuedToken {
        id,
        email: user.principal.email,
        token,
        expires_at,
    })
}

/// A new API token for the account with this address, lasting the default lifetime
/// ([`HttpSettings::token_ttl`]'s default); the token is returned once and stored only as its
/// digest.
pub async fn create_token(db: &DatabaseConnection, email: &str) -> Result<String, AccountError> {
    let lifetime = HttpSettings::default().token_ttl;
    Ok(issue_token(db, email, lifetime, None).await?.token)
}

/// The principal of a bearer token that is active and whose account is enabled.
pub async fn authenticate_token(
    db: &DatabaseConnection,
    token: &str,
) -> Result<Option<Principal>, DbError> {
    db::accounts::principal_by_token(db, &digest(token), Utc::now()).await
}

/// Every token, or those of the account with this address; never the tokens themselves.
pub async fn list_tokens(
    db: &DatabaseConnection,
    email: Option<&str>,
) -> Result<Vec<TokenRecord>, AccountError> {
    let user_id = match email {
        Some(e) => Some(super::users::user(db, e).await?.principal.user_id),
        None => None,
    };
    Ok(db::accounts::tokens(db, user_id, Utc::now()).await?)
}

/// Revoke the token with this id (see `token list`). Returns it, and whether it was revoked now
/// (`false`: it was already).
pub async fn revoke_token(
    db: &DatabaseConnection,
    id: i32,
) -> Result<(TokenRecord, bool), AccountError> {
    let now = Utc::now();
    let revoked = db::accounts::revoke_token(db, id, now).await?;
    Ok((db::accounts::token(db, id, now).await?, revoked))
}

async fn enabled_user(
    db: &DatabaseConnection,
    email: &str,
) -> Result<db::accounts::UserRecord, AccountError> {
    let user = super::users::user(db, email).await?;
    if user.disabled_at.is_some() {
        return Err(AccountError::Disabled {
            email: user.principal.email,
        });
    }
    Ok(user)
}
