//! Mail settings: where messages go (SMTP or `.eml` files), the sender, retries and the claim lease,
//! with defaults that need no mail server. [`super::Settings::from_env`] reads them from the environment:
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `BLENDSCAN_SMTP_URL` | unset: write `.eml` files | `smtp://user:pass@host:587` (STARTTLS required), `smtps://user:pass@host:465` (implicit TLS); plain text only to a loopback host (`smtp://127.0.0.1:25`) |
//! | `BLENDSCAN_MAIL_FROM` | `blendscan <blendscan@localhost>` without SMTP; required with it | the sender, `Name <address>` |
//! | `BLENDSCAN_OUTBOX_DIR` | `./outbox` | where the file transport writes `.eml` files |
//! | `BLENDSCAN_SMTP_CONNECTIONS` | 4 | pooled SMTP connections, and messages delivered at once |
//! | `BLENDSCAN_OUTBOX_LEASE_SECS` | 60 | how long a worker's claim on a message holds; renewed every third of it while the message is being sent, so a message claimed by a worker that died is attempted again after at most this long |
//!
//! The SMTP password is never shown: `Debug` prints the URL with the password replaced.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;

use super::ConfigError;

pub const SMTP_URL_ENV: &str = "BLENDSCAN_SMTP_URL";
pub const MAIL_FROM_ENV: &str = "BLENDSCAN_MAIL_FROM";
pub const OUTBOX_DIR_ENV: &str = "BLENDSCAN_OUTBOX_DIR";
pub const CONNECTIONS_ENV: &str = "BLENDSCAN_SMTP_CONNECTIONS";
pub const LEASE_ENV: &str = "BLENDSCAN_OUTBOX_LEASE_SECS";
pub const ALLOWED_DOMAINS_ENV: &str = "BLENDSCAN_MAIL_ALLOWED_DOMAINS";
pub const MAX_RECIPIENTS_ENV: &str = "BLENDSCAN_MAIL_MAX_RECIPIENTS";
pub const SENDS_PER_DAY_ENV: &str = "BLENDSCAN_MAIL_SENDS_PER_DAY";

/// The sender when none is configured (fine for `.eml` files, not for a real server).
pub const DEFAULT_FROM: &str = "blendscan <blendscan@localhost>";

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (`smtps://`, port 465 by default).
    ImplicitTls,
    /// STARTTLS, required: no message goes out unencrypted (`smtp://`, port 587 by default).
    StartTls,
    /// No encryption: only to a server on this machine (loopback).
    Plain,
}

/// An SMTP server to deliver through.
#[derive(Clone)]
pub struct SmtpConfig {
    /// The URL as lettre reads it (may hold the password: never print it).
    pub(crate) url: String,
    pub host: String,
    pub port: Option<u16>,
    pub security: Security,
    pub authenticated: bool,
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("url", &super::redact(&self.url))
            .field("security", &self.security)
            .field("authenticated", &self.authenticated)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl SmtpConfig {
    /// Read an `smtp://` or `smtps://` URL; see the module docs for the rules.
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let bad = |reason: String| ConfigError::new(SMTP_URL_ENV, reason);
        let shown = super::redact(raw.trim());
        let mut url =
            url::Url::parse(raw.trim()).map_err(|e| bad(format!("`{shown}` is not a URL: {e}")))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad(format!("`{shown}` names no host")))?
            .to_owned();
        let loopback = is_loopback(&host);
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.to_ascii_lowercase());
        let security = match (url.scheme(), tls.as_deref()) {
            ("smtps", None | Some("required" | "wrapper")) => Security::ImplicitTls,
            ("smtp", Some("required")) => Security::StartTls,
            ("smtp", None) if !loopback => Security::StartTls,
            ("smtp", None | Some("none")) if loopback => Security::Plain,
            ("smtp", Some("none" | "opportunistic")) => {
                return Err(bad(format!(
                    "`{shown}`: unencrypted SMTP is only allowed to a server on this machine \
                     (127.0.0.1, ::1, localhost); use smtp://…?tls=required or smtps://…"
                )));
            }
            (scheme @ ("smtp" | "smtps"), Some(other)) => {
                return Err(bad(format!(
                    "`{shown}`: unknown tls={other} for {scheme}://; use tls=required{}",
                    if loopback { " or tls=none" } else { "" }
                )));
            }
            (scheme, _) => {
                return Err(bad(format!(
                    "`{shown}`: unsupported scheme `{scheme}`: use smtp:// (STARTTLS) or smtps:// (TLS)"
                )));
            }
        };
        let authenticated = !url.username().is_empty() || url.password().is_some();
        if authenticated && url.password().is_none() {
            return Err(bad(format!(
                "`{shown}` has a user name but no password: smtp://user:password@host"
            )));
        }
        // lettre reads the security from the scheme and `tls`: state it exactly.
        url.set_query(match security {
            Security::StartTls => Some("tls=required"),
            Security::ImplicitTls | Security::Plain => None,
        });
        Ok(Self {
            port: url.port(),
            url: url.into(),
            host,
            security,
            authenticated,
            timeout: Duration::from_secs(60),
        })
    }
}

/// Whether a host is this machine: `localhost`, 127.0.0.0/8 or ::1.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Where messages go.
#[derive(Debug, Clone)]
pub enum TransportConfig {
    Smtp(SmtpConfig),
    /// `.eml` files in this directory.
    File(PathBuf),
}

/// When to try a message again after a temporary failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failed attempt; it doubles with every further attempt.
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// After this many attempts a message is marked failed.
    pub max_attempts: i32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first_delay: Duration::from_secs(60),
            max_delay: Duration::from_secs(6 * 3600),
            max_attempts: 10,
        }
    }
}

impl RetryPolicy {
    /// The wait after attempt `attempt` (1 = the first) failed: 1, 2, 4, … minutes, at most 6 hours.
    pub fn delay_after(&self, attempt: i32) -> Duration {
        let doublings = u32::try_from(attempt.max(1) - 1).unwrap_or(0).min(30);
        self.first_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay)
    }
}

/// Everything the mail layer needs to know about this installation.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub transport: TransportConfig,
    pub from: Mailbox,
    pub retry: RetryPolicy,
    /// How long a worker's claim on a message lasts; a worker that dies releases its messages then.
    pub lease: Duration,
    /// Messages delivered at once (and pooled SMTP connections).
    pub connections: u32,
    /// Whether `BLENDSCAN_OUTBOX_DIR` chose the directory of `.eml` files (the demo keeps it then).
    pub outbox_dir_chosen: bool,
    /// Domains an account may send a report to besides the organisation's own contacts
    /// (`BLENDSCAN_MAIL_ALLOWED_DOMAINS`, comma-separated; default none). The admin sets them.
    pub allowed_domains: Vec<String>,
    /// Recipients of one send request at most (`BLENDSCAN_MAIL_MAX_RECIPIENTS`, 20).
    pub max_recipients: usize,
    /// Messages one account may queue in 24 hours (`BLENDSCAN_MAIL_SENDS_PER_DAY`, 100).
    pub max_sends_per_day: u32,
}

impl MailSettings {
    /// `.eml` files in `dir`, from `from`.
    pub fn file(dir: impl Into<PathBuf>, from: Mailbox) -> Self {
        Self::with(TransportConfig::File(dir.into()), from)
    }

    /// Through an SMTP server, from `from`.
    pub fn smtp(url: &str, from: Mailbox) -> Result<Self, ConfigError> {
        Ok(Self::with(
            TransportConfig::Smtp(SmtpConfig::parse(url)?),
            from,
        ))
    }

    pub(super) fn with(transport: TransportConfig, from: Mailbox) -> Self {
        Self {
            transport,
            from,
            retry: RetryPolicy::default(),
            lease: Duration::from_secs(60),
            connections: 4,
            outbox_dir_chosen: false,
            allowed_domains: Vec::new(),
            max_recipients: 20,
            max_sends_per_day: 100,
        }
    }

    /// A short description for messages: where mail goes, without secrets.
    pub fn describe(&self) -> String {
        match &self.transport {
            TransportConfig::File(dir) => format!("`.eml` files in {}", dir.display()),
            TransportConfig::Smtp(s) => format!(
                "SMTP {}{} ({})",
                s.host,
                s.port.map(|p| format!(":{p}")).unwrap_or_default(),
                match s.security {
                    Security::ImplicitTls => "TLS",
                    Security::StartTls => "STARTTLS",
                    Security::Plain => "plain, loopback",
                }
            ),
        }
    }
}

/// A sender address, `Name <address>`.
pub fn parse_from(raw: &str) -> Result<Mailbox, ConfigError> {
    raw.parse::<Mailbox>().map_err(|e| {
        ConfigError::new(
            MAIL_FROM_ENV,
            format!("`{raw}` is not a sender address (`Name <address>`): {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_choose_the_protection() {
        let s = SmtpConfig::parse("smtp://u:p%40ss@mail.example.org:587").expect("valid");
        assert_eq!(s.security, Security::StartTls);
        assert!(s.authenticated);
        assert!(s.url.ends_with("?tls=required"));
        let s = SmtpConfig::parse("smtps://u:p@mail.example.org").expect("valid");
        assert_eq!(s.security, Security::ImplicitTls);
        let s = SmtpConfig::parse("smtp://127.0.0.1:2525").expect("valid");
        assert_eq!(s.security, Security::Plain);
        let s = SmtpConfig::parse("smtp://[::1]:25?tls=none").expect("valid");
        assert_eq!(s.security, Security::Plain);
        let s = SmtpConfig::parse("smtp://localhost:25?tls=required").expect("valid");
        assert_eq!(s.security, Security::StartTls);
    }

    #[test]
    fn plain_text_to_another_machine_is_refused() {
        for url in [
            "smtp://mail.example.org:25?tls=none",
            "smtp://mail.example.org?tls=opportunistic",
            "http://mail.example.org",
            "smtp://u@mail.example.org",
        ] {
            assert!(SmtpConfig::parse(url).is_err(), "{url}");
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let s = SmtpConfig::parse("smtps://user:geheim123@mail.example.org").expect("valid");
        let shown = format!("{s:?}");
        assert!(!shown.contains("geheim123"), "{shown}");
        assert!(shown.contains("user:***"), "{shown}");
        let settings = MailSettings {
            transport: TransportConfig::Smtp(s),
            ..MailSettings::file("x", DEFAULT_FROM.parse().expect("sender"))
        };
        assert!(!format!("{settings:?}").contains("geheim123"));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_after(1), Duration::from_secs(60));
        assert_eq!(p.delay_after(2), Duration::from_secs(120));
        assert_eq!(p.delay_after(4), Duration::from_secs(480));
        assert_eq!(p.delay_after(40), Duration::from_secs(6 * 3600));
    }
}
