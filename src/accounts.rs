//! Accounts: adding users, API tokens and logging in, and taking access back. Passwords are hashed
//! with Argon2id; tokens and session ids are 256-bit random values of which only the SHA-256 digest
//! is stored. A new password or role ends the account's sessions and revokes its tokens.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, TransactionTrait};
use sha2::{Digest, Sha256};

use crate::db::accounts::{AccessEnded, NewUser};
use crate::db::{self, DbError};
use crate::domain::access::Role;

mod tokens;
mod users;

pub use tokens::{
    IssuedToken, authenticate_token, create_token, issue_token, list_tokens, revoke_token,
};
pub use users::{RemovedUser, disable_user, enable_user, list_users, remove_user};

/// The shortest password `user add` accepts.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Why an account could not be added or changed, or a token not made.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("`{0}` is not an e-mail address")]
    BadEmail(String),
    #[error(
        "the password is too weak: at least {MIN_PASSWORD_CHARS} characters, not only spaces or one repeated character"
    )]
    WeakPassword,
    /// The organisations or federation given do not fit the role.
    #[error("{}", scope_rule(*.0).1)]
    Scope(Role),
    #[error(
        "`{email}` is the last enabled admin: add or enable another admin first, so someone can still manage the service"
    )]
    LastAdmin { email: String },
    #[error(
        "the account `{email}` is disabled: enable it first (`blendscan user enable --email {email}`)"
    )]
    Disabled { email: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sea_orm::DbErr> for AccountError {
    fn from(e: sea_orm::DbErr) -> Self {
        AccountError::Db(e.into())
    }
}

/// What `add_user` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserChange {
    pub created: bool,
    /// The account existed and got another password or role: its sessions ended and its tokens were
    /// revoked, as many as these.
    pub access_ended: Option<AccessEnded>,
    /// The account exists and stays disabled.
    pub disabled: bool,
}

/// What `blendscan user add` asks for.
#[derive(Debug, Clone)]
pub struct UserRequest {
    pub email: String,
    pub role: Role,
    /// Organisation slugs: exactly one for a coordinator, one or more for a counsellor.
    pub organisations: Vec<String>,
    /// The federation (slug or name) of a federation analyst.
    pub federation: Option<String>,
    /// The new password; empty keeps the current one of an existing account (a new account needs
    /// one).
    pub password: String,
}

/// A password that is at least [`MIN_PASSWORD_CHARS`] long and not only spaces or one character
/// repeated (ten spaces or `aaaaaaaaaa` are no password).
pub fn strong_enough(password: &str) -> bool {
    let first = password.chars().next();
    password.chars().count() >= MIN_PASSWORD_CHARS
        && !password.chars().all(char::is_whitespace)
        && !password.chars().all(|c| Some(c) == first)
}

/// What a role needs besides itself, in Dutch and English: the words of [`AccountError::Scope`].
pub fn scope_rule(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Admin => (
            "een beheerder hoort bij geen organisatie en geen koepel",
            "an admin takes no organisation and no federation",
        ),
        Role::Coordinator => (
            "een kwaliteitscoördinator hoort bij precies één organisatie (en geen koepel)",
            "a coordinator needs exactly one organisation (and no federation)",
        ),
        Role::Counsellor => (
            "een procesbegeleider hoort bij één of meer organisaties (en geen koepel)",
            "a counsellor needs one or more organisations (and no federation)",
        ),
        Role::Federation => (
            "een koepelanalist hoort bij een koepel (en bij geen organisatie)",
            "a federation analyst needs a federation (and no organisation)",
        ),
    }
}

/// Add a user, or update the one with this address. When an existing account's password or role
/// changes, its sessions end and its tokens are revoked in the same transaction: whoever held the
/// old password, or the rights of the old role, keeps nothing.
pub async fn add_user(
    db: &DatabaseConnection,
    req: &UserRequest,
) -> Result<UserChange, AccountError> {
    let email = req.email.trim();
    if email.parse::<lettre::Address>().is_err() {
        return Err(AccountError::BadEmail(email.to_owned()));
    }
    let keep_password = req.password.is_empty();
    if !keep_password && !strong_enough(&req.password) {
        return Err(AccountError::WeakPassword);
    }
    let orgs = &req.organisations;
    let fits = match req.role {
        Role::Admin => orgs.is_empty() && req.federation.is_none(),
        Role::Coordinator => orgs.len() == 1 && req.federation.is_none(),
        Role::Counsellor => !orgs.is_empty() && req.federation.is_none(),
        Role::Federation => orgs.is_empty() && req.federation.is_some(),
    };
    if !fits {
        return Err(AccountError::Scope(req.role));
    }
    let mut ids = Vec::with_capacity(orgs.len());
    for slug in orgs {
        ids.push(
            db::organisations::organisation_by_slug(db, slug.trim())
                .await?
                .id,
        );
    }
    let federation_id = match &req.federation {
        Some(f) => Some(
            db::federations::find_federation(db, f)
                .await?
                .ok_or_else(|| DbError::NotFound {
                    what: "federation",
                    key: f.clone(),
                })?
                .id,
        ),
        None => None,
    };
    let new_hash = if keep_password {
        None
    } else {
        Some(hash_password(&req.password)?)
    };
    let txn = db.begin().await?;
    let existing = db::accounts::user_by_email(&txn, email).await?;
    let hash = match (&new_hash, &existing) {
        (Some(h), _) => h.clone(),
        (None, Some(u)) => u.password_hash.clone(),
        (None, None) => return Err(AccountError::WeakPassword),
    };
    let role_changes = existing
        .as_ref()
        .is_some_and(|u| u.principal.role != req.role);
    if let Some(u) = existing.as_ref().filter(|_| role_changes) {
        users::keep_an_admin(&txn, u).await?;
    }
    let same_password = match &existing {
        Some(_) if keep_password => true,
        Some(u) => {
            let (password, old) = (req.password.clone(), u.password_hash.clone());
            tokio::task::spawn_blocking(move || verify_password(&password, &old))
                .await
                .unwrap_or(false)
        }
        None => false,
    };
    let (id, created) = db::accounts::upsert_user(
        &txn,
        &NewUser {
            email,
            password_hash: &hash,
            role: req.role,
            organisation_id: (req.role == Role::Coordinator).then(|| ids[0]),
            federation_id,
            assigned: if req.role == Role::Counsellor {
                &ids
            } else {
                &[]
            },
        },
    )
    .await?;
    let access_ended = match &existing {
        Some(_) if role_changes || !same_password => {
            Some(db::accounts::end_access(&txn, id, Utc::now()).await?)
        }
        _ => None,
    };
    txn.commit().await?;
    Ok(UserChange {
        created,
        access_ended,
        disabled: existing.is_some_and(|u| u.disabled_at.is_some()),
    })
}

/// A session that has just begun: the cookie value (given to the browser, never stored) and its
/// CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub cookie: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// Check a password and start a session. `None` when the address or the password is wrong, or the
/// account is disabled; the cases take the same time, so a caller cannot learn which addresses have accounts. The Argon2
/// check runs on tokio's blocking pool; `App::login` bounds how many run at once.
pub async fn login(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    lang: &str,
    ttl: Duration,
) -> Result<Option<NewSession>, DbError> {
    let check = |password: String, hash: String| async move {
        tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .unwrap_or(false)
    };
    login_checked(db, email, password, lang, ttl, check).await
}

/// [`login`] with the password checked by `check(password, hash)` (the service checks on its own
/// few threads, see [`PasswordCheckers`]).
pub async fn login_checked<F, Fut>(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    lang: &str,
    ttl: Duration,
    check: F,
) -> Result<Option<NewSession>, DbError>
where
    F: FnOnce(String, String) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let user = db::accounts::user_by_email(db, email).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| DUMMY_HASH.to_owned(), |u| u.password_hash.clone());
    let ok = check(password.to_owned(), hash).await;
    // A disabled account is refused like a wrong password: the answer says nothing more.
    let Some(user) = user.filter(|u| ok && u.disabled_at.is_none()) else {
        return Ok(None);
    };
    let session = NewSession {
        cookie: random_secret(),
        csrf_token: random_secret(),
        expires_at: Utc::now() + ttl,
    };
    db::accounts::create_session(
        db,
        user.principal.user_id,
        &digest(&session.cookie),
        &session.csrf_token,
        lang,
        session.expires_at,
    )
    .await?;
    Ok(Some(session))
}

/// Argon2 checks on a fixed set of threads of their own. Each check takes 19 MiB; on tokio's
/// blocking pool every thread keeps its own allocator arena, so a flood of logins left hundreds of
/// megabytes resident after it, even with few checks at once. Here those megabytes are reused.
pub struct PasswordCheckers {
    jobs: std::sync::mpsc::SyncSender<PasswordJob>,
}

type PasswordJob = (String, String, tokio::sync::oneshot::Sender<bool>);

impl PasswordCheckers {
    /// `threads` checking threads (at least one).
    pub fn new(threads: usize) -> Self {
        let threads = threads.max(1);
        let (jobs, queue) = std::sync::mpsc::sync_channel::<PasswordJob>(threads);
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for i in 0..threads {
            let queue = std::sync::Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("password-check-{i}"))
                .spawn(move || {
                    loop {
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        let Ok((password, hash, answer)) = job else {
                            return; // the service is gone
                        };
                        let _ = answer.send(verify_password(&password, &hash));
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password-check thread");
            }
        }
        Self { jobs }
    }

    /// Check `password` against `hash` on one of the threads; false when none can take it.
    pub async fn verify(&self, password: String, hash: String) -> bool {
        let (answer, answered) = tokio::sync::oneshot::channel();
        if self.jobs.try_send((password, hash, answer)).is_err() {
            return false;
        }
        answered.await.unwrap_or(false)
    }
}

/// How long a login form's token holds.
pub const LOGIN_FORM_SECONDS: i64 = 3600;

/// A token for the login form, issued by the server: the time and an HMAC of it with the
/// installation's secret, so a client cannot choose one and must fetch the form first.
pub fn login_form_token(secret: &[u8; 32], now: DateTime<Utc>) -> String {
    let at = now.timestamp();
    format!("{at}.{}", login_form_mac(secret, at))
}

/// Whether `token` is a login-form token this installation issued less than an hour ago.
pub fn valid_login_form_token(secret: &[u8; 32], token: &str, now: DateTime<Utc>) -> bool {
    let Some((at, mac)) = token.split_once('.') else {
        return false;
    };
    let Ok(at) = at.parse::<i64>() else {
        return false;
    };
    let age = now.timestamp() - at;
    (0..=LOGIN_FORM_SECONDS).contains(&age) && same_secret(mac, &login_form_mac(secret, at))
}

fn login_form_mac(secret: &[u8; 32], at: i64) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(b"login-form:");
    mac.update(at.to_string().as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// The live session of a cookie value.
pub async fn session(
    db: &DatabaseConnection,
    cookie: &str,
) -> Result<Option<db::accounts::SessionRecord>, DbError> {
    db::accounts::session_by_hash(db, &digest(cookie), Utc::now()).await
}

/// A hash of a password nobody has, checked when the address is unknown (same cost as a real one).
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1ZpZ5oRZNnMHZFqHi3d0r0OFoGMnb02oXDYyQrnJ8vU";

/// Argon2id with the crate's recommended parameters, a fresh salt each time.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| AccountError::Invalid(format!("cannot make a salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Invalid(format!("cannot hash the password: {e}")))
}

/// Does `password` match `hash`? A malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// 32 random bytes, base64url without padding.
pub fn random_secret() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// SHA-256, hex: how tokens and session ids are stored.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compare two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_form_token_is_the_servers_and_runs_out() {
        let secret = [7u8; 32];
        let now = Utc::now();
        let t = login_form_token(&secret, now);
        assert!(valid_login_form_token(&secret, &t, now));
        assert!(valid_login_form_token(
            &secret,
            &t,
            now + Duration::minutes(59)
        ));
        assert!(!valid_login_form_token(
            &secret,
            &t,
            now + Duration::minutes(61)
        ));
        assert!(
            !valid_login_form_token(&[8u8; 32], &t, now),
            "another secret"
        );
        let at = now.timestamp();
        for forged in [
            format!("{at}.00"),
            "chosen-by-client".to_owned(),
            String::new(),
        ] {
            assert!(!valid_login_form_token(&secret, &forged, now), "{forged}");
        }
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = hash_password("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("anything", DUMMY_HASH));
    }

    #[test]
    fn secrets_are_random_and_compared_in_full() {
        let (a, b) = (random_secret(), random_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &b));
        assert!(!same_secret(&a, &a[..42]));
        assert_eq!(digest("x").len(), 64);
    }
}
