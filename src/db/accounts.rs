//! Accounts: users with their role and scope, API tokens, login sessions. Secrets never reach this
//! module in the clear: passwords arrive hashed, tokens and session ids as SHA-256 digests. A
//! disabled account's sessions and tokens open nothing.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::DbError;
use super::entities::{session, user, user_organisation};
use crate::domain::access::{Principal, Role};

mod tokens;
mod users;

pub use tokens::{
    TokenRecord, TokenState, UNDATED_TOKEN_DAYS, add_token, principal_by_token, revoke_token,
    revoke_tokens_of, token, tokens,
};
pub use users::{
    AccessEnded, Removed, UserSummary, enabled_admins_besides, end_access, remove_user,
    set_disabled, user_summaries,
};

/// What `user add` stores.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub organisation_id: Option<i32>,
    pub federation_id: Option<i32>,
    /// A counsellor's organisations.
    pub assigned: &'a [i32],
}

/// A user with the hash to check a password against.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub principal: Principal,
    pub password_hash: String,
    /// When the account was disabled; `None` while it may sign in.
    pub disabled_at: Option<DateTime<Utc>>,
}

/// A live login session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id: i32,
    pub principal: Principal,
    pub csrf_token: String,
    pub lang: String,
    pub expires_at: DateTime<Utc>,
}

/// Add the user, or — when the address exists — give it this password, role and scope. Returns
/// the user's id and whether it is new. Run it in a transaction (the assignments change with the
/// user, and a caller ends the account's access in the same one).
pub async fn upsert_user<C: ConnectionTrait>(
    txn: &C,
    new: &NewUser<'_>,
) -> Result<(i32, bool), DbError> {
    let email = new.email.trim().to_lowercase();
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(txn)
        .await?;
    let (id, created) = match existing {
        Some(u) => {
            let mut m: user::ActiveModel = u.into();
            m.password_hash = Set(new.password_hash.to_owned());
            m.role = Set(new.role.code().to_owned());
            m.organisation_id = Set(new.organisation_id);
            m.federation_id = Set(new.federation_id);
            (m.update(txn).await?.id, false)
        }
        None => {
            let m = user::ActiveModel {
                email: Set(email),
                password_hash: Set(new.password_hash.to_owned()),
                role: Set(new.role.code().to_owned()),
                organisation_id: Set(new.organisation_id),
                federation_id: Set(new.federation_id),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            (m.id, true)
        }
    };
    user_organisation::Entity::delete_many()
        .filter(user_organisation::Column::UserId.eq(id))
        .exec(txn)
        .await?;
    for &org in new.assigned {
        user_organisation::ActiveModel {
            user_id: Set(id),
            organisation_id: Set(org),
        }
        .insert(txn)
        .await?;
    }
    Ok((id, created))
}

async fn principal<C: ConnectionTrait>(db: &C, u: &user::Model) -> Result<Principal, DbError> {
    let role = Role::parse(&u.role)
        .ok_or_else(|| DbError::Invalid(format!("user {}: unknown role `{}`", u.id, u.role)))?;
    let assigned = if role == Role::Counsellor {
        user_organisation::Entity::find()
            .filter(user_organisation::Column::UserId.eq(u.id))
            .order_by_asc(user_organisation::Column::OrganisationId)
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.organisation_id)
            .collect()
    } else {
        Vec::new()
    };
    Ok(Principal {
        user_id: u.id,
        email: u.email.clone(),
        role,
        organisation_id: u.organisation_id,
        federation_id: u.federation_id,
        assigned,
    })
}

/// The user with this address (case ignored).
pub async fn user_by_email<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<Option<UserRecord>, DbError> {
    let Some(u) = user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(UserRecord {
        principal: principal(db, &u).await?,
        password_hash: u.password_hash,
        disabled_at: u.disabled_at,
    }))
}

/// Start a session.
pub async fn create_session<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    token_hash: &str,
    csrf_token: &str,
    lang: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    session::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash.to_owned()),
        csrf_token: Set(csrf_token.to_owned()),
        lang: Set(lang.to_owned()),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at.trunc_subsecs(3)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The live session with this digest; an expired one, or one of a disabled account, is removed and
/// not returned.
pub async fn session_by_hash<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionRecord>, DbError> {
    let Some(s) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let u = match user::Entity::find_by_id(s.user_id).one(db).await? {
        Some(u) if s.expires_at > now && u.disabled_at.is_none() => u,
        _ => {
            session::Entity::delete_by_id(s.id).exec(db).await?;
            return Ok(None);
        }
    };
    Ok(Some(SessionRecord {
        id: s.id,
        principal: principal(db, &u).await?,
        csrf_token: s.csrf_token,
        lang: s.lang,
        expires_at: s.expires_at,
    }))
}

/// End a session (logout).
pub async fn delete_session<C: ConnectionTrait>(db: &C, id: i32) -> Result<(), DbError> {
    session::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Remove every expired session; returns how many.
pub async fn delete_expired_sessions<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected)
}

/// An installation-wide secret of 32 bytes named `name` (in the `installation` table), created on
/// first use; every instance on the database reads the same one.
pub async fn installation_secret<C: ConnectionTrait>(
    db: &C,
    name: &str,
) -> Result<[u8; 32], DbError> {
    use super::entities::installation;
    let read = || async {
        let row = installation::Entity::find_by_id(name.to_owned())
            .one(db)
            .await?;
        Ok::<_, DbError>(row.and_then(|r| {
            hex::decode(r.value.trim())
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
        }))
    };
    if let Some(secret) = read().await? {
        return Ok(secret);
    }
    let candidate: [u8; 32] = rand::random();
    installation::Entity::insert(installation::ActiveModel {
        key: Set(name.to_owned()),
        value: Set(hex::encode(candidate)),
    })
    .on_conflict_do_nothing_on([installation::Column::Key])
    .exec(db)
    .await?;
    read()
        .await?
        .ok_or_else(|| DbError::Invalid(format!("the installation secret `{name}` is damaged")))
}
