//! Logging in, guarded: Argon2 checks run a few at a time (about one per core; more wait a moment
//! or are told to come back), and an account or a client that keeps giving wrong passwords waits
//! longer and longer before the next attempt is even checked.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use super::{App, Error, Result};
use crate::accounts::{self, NewSession};
use crate::db;

/// Failed attempts allowed before the backoff starts.
const FREE_FAILURES: u32 = 5;
/// The longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// Keys remembered at most (failures of unknown addresses and clients); beyond, the oldest go.
const MAX_KEYS: usize = 100_000;
/// How long a login waits for a free hashing slot before it is told to come back.
const QUEUE_WAIT: Duration = Duration::from_millis(500);

/// The installation secret that signs login forms.
const LOGIN_FORM_SECRET: &str = "login_form_secret";

/// Login protection, shared by every request of one instance.
pub struct LoginGuard {
    hashing: Semaphore,
    checkers: accounts::PasswordCheckers,
    failures: Mutex<HashMap<String, Failures>>,
    form_secret: tokio::sync::OnceCell<[u8; 32]>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    /// No attempt is checked before then.
    until: Instant,
}

impl Default for LoginGuard {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            hashing: Semaphore::new(cores),
            checkers: accounts::PasswordCheckers::new(cores),
            failures: Mutex::default(),
            form_secret: tokio::sync::OnceCell::new(),
        }
    }
}

impl LoginGuard {
    /// How long `keys` must still wait, if any must.
    fn wait(&self, keys: &[String], now: Instant) -> Option<Duration> {
        let failures = self.failures.lock().ok()?;
        keys.iter()
            .filter_map(|k| failures.get(k))
            .filter(|f| f.until > now)
            .map(|f| f.until - now)
            .max()
    }

    fn failed(&self, keys: &[String], now: Instant) {
        let Ok(mut failures) = self.failures.lock() else {
            return;
        };
        if failures.len() >= MAX_KEYS {
            let oldest = failures
                .iter()
                .min_by_key(|(_, f)| f.until)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                failures.remove(&k);
            }
        }
        for k in keys {
            let f = failures.entry(k.clone()).or_insert(Failures {
                count: 0,
                until: now,
            });
            f.count += 1;
            if f.count > FREE_FAILURES {
                let doublings = (f.count - FREE_FAILURES - 1).min(20);
                f.until = now + Duration::from_secs(1u64 << doublings).min(MAX_BACKOFF);
            }
        }
    }

    fn succeeded(&self, account: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(account);
        }
    }
}

/// Who tries to log in.
#[derive(Debug, Clone)]
pub struct LoginAttempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
    /// The language the session's pages start in.
    pub lang: &'a str,
    /// The client's address, when known.
    pub client: Option<IpAddr>,
}

impl App {
    /// Check a password and start a session; `None` when the address and password do not match.
    /// [`Error::LoginBusy`] when every hashing slot stays taken, [`Error::LoginThrottled`] while an
    /// account or client that failed too often must wait.
    pub async fn login(&self, attempt: &LoginAttempt<'_>) -> Result<Option<NewSession>> {
        let account = format!("account:{}", attempt.email.trim().to_lowercase());
        let mut keys = vec![account.clone()];
        if let Some(ip) = attempt.client {
            keys.push(format!("client:{ip}"));
        }
        let guard = &self.login;
        if let Some(wait) = guard.wait(&keys, Instant::now()) {
            return Err(Error::LoginThrottled {
                retry_after_secs: wait.as_secs().max(1),
            });
        }
        let permit = tokio::time::timeout(QUEUE_WAIT, guard.hashing.acquire())
            .await
            .ok()
            .and_then(std::result::Result::ok)
            .ok_or(Error::LoginBusy {
                retry_after_secs: 1,
            })?;
        let ttl = self.settings.http.session_ttl;
        let check = |password, hash| guard.checkers.verify(password, hash);
        let session = accounts::login_checked(
            &self.db,
            attempt.email,
            attempt.password,
            attempt.lang,
            ttl,
            check,
        )
        .await?;
        drop(permit);
        match &session {
            Some(_) => guard.succeeded(&account),
            None => guard.failed(&keys, Instant::now()),
        }
        Ok(session)
    }

    /// A fresh token for the login form (see `accounts::login_form_token`).
    pub async fn login_form_token(&self) -> Result<String> {
        let secret = self.login_form_secret().await?;
        Ok(accounts::login_form_token(&secret, chrono::Utc::now()))
    }

    /// Whether a login form's token is one this installation issued within the hour.
    pub async fn valid_login_form_token(&self, token: &str) -> Result<bool> {
        let secret = self.login_form_secret().await?;
        Ok(accounts::valid_login_form_token(
            &secret,
            token,
            chrono::Utc::now(),
        ))
    }

    async fn login_form_secret(&self) -> Result<[u8; 32]> {
        let secret = self
            .login
            .form_secret
            .get_or_try_init(|| db::accounts::installation_secret(&self.db, LOGIN_FORM_SECRET))
            .await?;
        Ok(*secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_beyond_the_free_ones_wait_longer_and_longer() {
        let g = LoginGuard::default();
        let keys = vec!["account:a@x".to_owned(), "client:127.0.0.1".to_owned()];
        let now = Instant::now();
        for _ in 0..FREE_FAILURES {
            g.failed(&keys, now);
        }
        assert_eq!(g.wait(&keys, now), None, "five wrong passwords are free");
        g.failed(&keys, now);
        assert_eq!(g.wait(&keys, now), Some(Duration::from_secs(1)));
        g.failed(&keys, now);
        assert_eq!(g.wait(&keys, now), Some(Duration::from_secs(2)));
        for _ in 0..30 {
            g.failed(&keys, now);
        }
        assert_eq!(g.wait(&keys, now), Some(MAX_BACKOFF), "capped");
        // Another account from the same client waits too; the right password clears the account.
        assert!(g.wait(&["client:127.0.0.1".to_owned()], now).is_some());
        g.succeeded("account:a@x");
        assert!(g.wait(&["account:a@x".to_owned()], now).is_none());
    }
}
