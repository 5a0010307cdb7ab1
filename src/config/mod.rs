//! Settings: one tree for the whole installation (database, catalogue, report templates, scoring,
//! mail, HTTP), with defaults that serve a laptop, read from the environment here and nowhere else.
//! Command-line flags are layered on top by the CLI (`serve --bind …`). Secrets stay out of `Debug`.
//!
//! Every variable follows one rule: unset and empty (or only spaces) mean the same, the default. The
//! README keeps the table of every variable.

pub mod mail;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::scoring::{Anonymity, ScoringConfig};

pub use mail::{MailSettings, RetryPolicy, Security, SmtpConfig, TransportConfig};

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://blendscan.db";
/// Where `.eml` files go when no SMTP server is configured.
pub const DEFAULT_OUTBOX_DIR: &str = "outbox";

pub const DATABASE_URL_ENV: &str = "DATABASE_URL";
pub const CATALOGUE_DIR_ENV: &str = "BLENDSCAN_CATALOGUE_DIR";
pub const TEMPLATES_DIR_ENV: &str = "BLENDSCAN_TEMPLATES_DIR";
pub const ANONYMITY_ENV: &str = "BLENDSCAN_ANONYMITY_THRESHOLD";
pub const BIND_ENV: &str = "BLENDSCAN_BIND";
pub const UPLOAD_LIMIT_ENV: &str = "BLENDSCAN_UPLOAD_LIMIT_MB";
pub const SECURE_COOKIES_ENV: &str = "BLENDSCAN_SECURE_COOKIES";
pub const NO_SCORE_CACHE_ENV: &str = "BLENDSCAN_NO_SCORE_CACHE";
pub const DB_POOL_ENV: &str = "BLENDSCAN_DB_POOL";
pub const NO_MIGRATE_ENV: &str = "BLENDSCAN_NO_MIGRATE";
pub const MAIL_WORKER_ENV: &str = "BLENDSCAN_MAIL_WORKER";
pub const MAIL_INTERVAL_ENV: &str = "BLENDSCAN_MAIL_INTERVAL_SECS";
pub const DRAIN_ENV: &str = "BLENDSCAN_DRAIN_SECS";
pub const TOKEN_DAYS_ENV: &str = "BLENDSCAN_TOKEN_DAYS";
pub const MAX_CONNECTIONS_ENV: &str = "BLENDSCAN_MAX_CONNECTIONS";
pub const FIRST_BYTE_ENV: &str = "BLENDSCAN_FIRST_BYTE_SECS";
pub const KEY_FILE_ENV: &str = "BLENDSCAN_KEY_FILE";
pub const KEY_ENV: &str = "BLENDSCAN_PSEUDONYM_KEY";
/// The default key file, beside the default database.
pub const DEFAULT_KEY_FILE: &str = "blendscan.key";
/// The log filter; read by `main` before anything else, so that reading the settings can log.
pub const LOG_ENV: &str = "BLENDSCAN_LOG";

/// A setting that cannot be used, with the variable (or flag) that holds it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub reason: String,
}

impl ConfigError {
    pub fn new(variable: &'static str, reason: impl Into<String>) -> Self {
        Self {
            variable,
            reason: reason.into(),
        }
    }
}

/// The whole installation's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub catalogue: CatalogueSettings,
    pub templates: TemplateSettings,
    pub scoring: ScoringConfig,
    pub mail: MailSettings,
    pub http: HttpSettings,
    /// Where the pseudonymisation key lives.
    pub key: KeySource,
}

/// Where the installation's pseudonymisation key lives: never beside the pseudonyms it makes.
#[derive(Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A file readable by its owner only (`BLENDSCAN_KEY_FILE`, default `blendscan.key`), created
    /// on the first import that is stored.
    File(PathBuf),
    /// The key itself (`BLENDSCAN_PSEUDONYM_KEY`, 64 hexadecimal digits), e.g. from a secret store.
    Value(crate::domain::respondent::PseudonymKey),
    /// The `installation` table of the database: how installations kept it before (and tests).
    Database,
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::File(p) => write!(f, "File({})", p.display()),
            KeySource::Value(_) => f.write_str("Value(***)"),
            KeySource::Database => f.write_str("Database"),
        }
    }
}

/// Which database, and how.
#[derive(Clone)]
pub struct DatabaseSettings {
    /// `sqlite://FILE` (default) or `postgres://…` (`DATABASE_URL`).
    pub url: String,
    /// Whether `DATABASE_URL` chose it (the demo then uses it instead of its own file).
    pub url_chosen: bool,
    /// Connections in this process's pool (`BLENDSCAN_DB_POOL`; default 8 for SQLite, 16 for
    /// PostgreSQL). Several instances share PostgreSQL's `max_connections`.
    pub pool: Option<u32>,
    /// Apply pending migrations when starting (`serve --no-migrate` or `BLENDSCAN_NO_MIGRATE`
    /// turns it off for deployments that migrate once, with `blendscan migrate`).
    pub migrate: bool,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: DEFAULT_DATABASE_URL.to_owned(),
            url_chosen: false,
            pool: None,
            migrate: true,
        }
    }
}

impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &redact(&self.url))
            .field("pool", &self.pool)
            .field("migrate", &self.migrate)
            .finish()
    }
}

/// Where the catalogue comes from.
#[derive(Debug, Clone)]
pub struct CatalogueSettings {
    /// Directory holding `framework/` and `checklists/` (`BLENDSCAN_CATALOGUE_DIR`, default the
    /// working directory). The working directory may hold none (the built-in copy is used); a
    /// directory named in the environment must hold one.
    pub dir: PathBuf,
}

/// Where the report templates come from.
#[derive(Debug, Clone)]
pub struct TemplateSettings {
    /// `report-templates/` beside the catalogue unless `BLENDSCAN_TEMPLATES_DIR` names another
    /// directory; every file it lacks comes from the built-in copy.
    pub dir: PathBuf,
}

/// Settings of the HTTP service.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Address and port to listen on (`BLENDSCAN_BIND`, `serve --bind`).
    pub bind: String,
    /// The largest upload accepted (default 50 MB); larger requests get 413.
    pub upload_limit: usize,
    /// Mark cookies `Secure` (set when the site is served over TLS, directly or by a proxy).
    pub secure_cookies: bool,
    /// How long a login lasts.
    pub session_ttl: chrono::Duration,
    /// How long a new API token lasts (`BLENDSCAN_TOKEN_DAYS`, 90 days).
    pub token_ttl: chrono::Duration,
    /// Connections served at once (`BLENDSCAN_MAX_CONNECTIONS`, 4096); beyond, the oldest is closed
    /// for the newest, so a flood of idle connections cannot lock everyone out.
    pub max_connections: usize,
    /// A connection that sends nothing this long after it opened is closed
    /// (`BLENDSCAN_FIRST_BYTE_SECS`, 10 s).
    pub first_byte_timeout: Duration,
    /// A request that takes longer is answered 408.
    pub request_timeout: Duration,
    /// Whether this instance runs the e-mail worker (`BLENDSCAN_MAIL_WORKER`); with several
    /// instances any number of them may, each message still goes out once.
    pub mail_worker: bool,
    /// How often the background worker delivers due e-mail (`BLENDSCAN_MAIL_INTERVAL_SECS`).
    pub mail_interval: Duration,
    /// Keep scores in memory while the data they rest on is unchanged.
    pub score_cache: bool,
    /// On SIGTERM, how long `/ready` answers 503 while requests are still served, so a load
    /// balancer stops sending new ones before the instance stops (`BLENDSCAN_DRAIN_SECS`).
    pub drain: Duration,
}

/// The largest upload limit `serve` accepts, in MB.
pub const MAX_UPLOAD_LIMIT_MB: usize = 1024;

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".to_owned(),
            upload_limit: 50 << 20,
            secure_cookies: false,
            session_ttl: chrono::Duration::hours(12),
            token_ttl: chrono::Duration::days(90),
            max_connections: 4096,
            first_byte_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(120),
            mail_worker: true,
            mail_interval: Duration::from_secs(30),
            score_cache: true,
            drain: Duration::from_secs(5),
        }
    }
}

impl HttpSettings {
    /// Set the upload limit in MB (1 to 1024), as `--upload-limit-mb` and `BLENDSCAN_UPLOAD_LIMIT_MB`.
    pub fn set_upload_limit_mb(
        &mut self,
        variable: &'static str,
        mb: usize,
    ) -> Result<(), ConfigError> {
        if mb == 0 || mb > MAX_UPLOAD_LIMIT_MB {
            return Err(ConfigError::new(
                variable,
                format!("choose 1 to {MAX_UPLOAD_LIMIT_MB}"),
            ));
        }
        self.upload_limit = mb << 20;
        Ok(())
    }
}

impl Settings {
    /// Every default, as if no variable were set.
    pub fn defaults() -> Result<Self, ConfigError> {
        Self::from_vars(|_| None)
    }

    /// Read the settings from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Read the settings from `var` (the environment, or a map in tests). Empty values count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| {
            var(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut database = DatabaseSettings::default();
        if let Some(url) = var(DATABASE_URL_ENV) {
            database.url = url;
            database.url_chosen = true;
        }
        if let Some(n) = var(DB_POOL_ENV) {
            database.pool = Some(number(DB_POOL_ENV, &n, 1, 512)?);
        }
        if let Some(v) = var(NO_MIGRATE_ENV) {
            database.migrate = !flag(NO_MIGRATE_ENV, &v)?;
        }
        let catalogue = CatalogueSettings {
            dir: var(CATALOGUE_DIR_ENV).map_or_else(|| PathBuf::from("."), PathBuf::from),
        };
        let templates = TemplateSettings {
            dir: var(TEMPLATES_DIR_ENV)
                .map_or_else(|| catalogue.dir.join("report-templates"), PathBuf::from),
        };
        let scoring = match var(ANONYMITY_ENV) {
            Some(v) => ScoringConfig::with_anonymity(
                Anonymity::parse(&v)
                    .map_err(|e| ConfigError::new(ANONYMITY_ENV, format!("{v}: {e}")))?,
            ),
            None => ScoringConfig::default(),
        };
        let mail = mail_settings(&var)?;
        let key = match (var(KEY_ENV), var(KEY_FILE_ENV)) {
            (Some(hex), _) => KeySource::Value(
                crate::domain::respondent::PseudonymKey::from_hex(&hex)
                    .ok_or_else(|| ConfigError::new(KEY_ENV, "give 64 hexadecimal digits"))?,
            ),
            (None, Some(file)) => KeySource::File(PathBuf::from(file)),
            (None, None) => KeySource::File(PathBuf::from(DEFAULT_KEY_FILE)),
        };
        let mut http = HttpSettings::default();
        if let Some(bind) = var(BIND_ENV) {
            http.bind = bind;
        }
        if let Some(mb) = var(UPLOAD_LIMIT_ENV) {
            let n = mb.parse::<usize>().map_err(|_| {
                ConfigError::new(UPLOAD_LIMIT_ENV, format!("`{mb}` is not a number"))
            })?;
            http.set_upload_limit_mb(UPLOAD_LIMIT_ENV, n)?;
        }
        if let Some(v) = var(SECURE_COOKIES_ENV) {
            http.secure_cookies = flag(SECURE_COOKIES_ENV, &v)?;
        }
        if let Some(v) = var(NO_SCORE_CACHE_ENV) {
            http.score_cache = !flag(NO_SCORE_CACHE_ENV, &v)?;
        }
        if let Some(v) = var(MAIL_WORKER_ENV) {
            http.mail_worker = flag(MAIL_WORKER_ENV, &v)?;
        }
        if let Some(n) = var(MAIL_INTERVAL_ENV) {
            http.mail_interval =
                Duration::from_secs(number(MAIL_INTERVAL_ENV, &n, 1, 3600)?.into());
        }
        if let Some(n) = var(DRAIN_ENV) {
            http.drain = Duration::from_secs(number(DRAIN_ENV, &n, 0, 600)?.into());
        }
        if let Some(n) = var(TOKEN_DAYS_ENV) {
            http.token_ttl = chrono::Duration::days(number(TOKEN_DAYS_ENV, &n, 1, 3650)?.into());
        }
        if let Some(n) = var(MAX_CONNECTIONS_ENV) {
            http.max_connections = number(MAX_CONNECTIONS_ENV, &n, 16, 1_000_000)? as usize;
        }
        if let Some(n) = var(FIRST_BYTE_ENV) {
            http.first_byte_timeout =
                Duration::from_secs(number(FIRST_BYTE_ENV, &n, 1, 600)?.into());
        }
        Ok(Self {
            database,
            catalogue,
            templates,
            scoring,
            mail,
            http,
            key,
        })
    }

    /// The same installation with its database at `database_url` and `.eml` files in `dir` (the
    /// demo's): e-mail goes to `dir/outbox` unless SMTP or an outbox directory was set.
    pub fn in_directory(mut self, dir: &Path, database_url: String) -> Self {
        self.database.url = database_url;
        if self.key == KeySource::File(PathBuf::from(DEFAULT_KEY_FILE)) {
            self.key = KeySource::File(dir.join(DEFAULT_KEY_FILE));
        }
        if !self.mail.outbox_dir_chosen && matches!(self.mail.transport, TransportConfig::File(_)) {
            self.mail.transport = TransportConfig::File(dir.join(DEFAULT_OUTBOX_DIR));
        }
        self
    }
}

/// The mail part (see [`mail`]).
fn mail_settings(var: &impl Fn(&str) -> Option<String>) -> Result<MailSettings, ConfigError> {
    use mail::{CONNECTIONS_ENV, LEASE_ENV, MAIL_FROM_ENV, OUTBOX_DIR_ENV, SMTP_URL_ENV};
    let from = var(MAIL_FROM_ENV);
    let mut settings = match var(SMTP_URL_ENV) {
        Some(url) => {
            let smtp = SmtpConfig::parse(&url)?;
            let from = from.ok_or_else(|| {
                ConfigError::new(
                    MAIL_FROM_ENV,
                    format!(
                        "set the sender (e.g. `Kwaliteit CAW <kwaliteit@caw.example>`) when {SMTP_URL_ENV} is set"
                    ),
                )
            })?;
            MailSettings::with(TransportConfig::Smtp(smtp), mail::parse_from(&from)?)
        }
        None => {
            let dir = var(OUTBOX_DIR_ENV);
            let mut s = MailSettings::file(
                dir.as_deref().unwrap_or(DEFAULT_OUTBOX_DIR),
                mail::parse_from(from.as_deref().unwrap_or(mail::DEFAULT_FROM))?,
            );
            s.outbox_dir_chosen = dir.is_some();
            s
        }
    };
    if let Some(n) = var(CONNECTIONS_ENV) {
        settings.connections = number(CONNECTIONS_ENV, &n, 1, 64)?;
    }
    if let Some(n) = var(LEASE_ENV) {
        settings.lease = Duration::from_secs(number(LEASE_ENV, &n, 1, 86_400)?.into());
    }
    if let Some(list) = var(mail::ALLOWED_DOMAINS_ENV) {
        settings.allowed_domains = list
            .split(',')
            .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        if let Some(bad) = settings
            .allowed_domains
            .iter()
            .find(|d| !d.contains('.') || d.contains(['@', ' ', '/']))
        {
            return Err(ConfigError::new(
                mail::ALLOWED_DOMAINS_ENV,
                format!("`{bad}` is not a domain name (e.g. caw.example)"),
            ));
        }
    }
    if let Some(n) = var(mail::MAX_RECIPIENTS_ENV) {
        settings.max_recipients = number(mail::MAX_RECIPIENTS_ENV, &n, 1, 1000)? as usize;
    }
    if let Some(n) = var(mail::SENDS_PER_DAY_ENV) {
        settings.max_sends_per_day = number(mail::SENDS_PER_DAY_ENV, &n, 1, 100_000)?;
    }
    Ok(settings)
}

fn number(variable: &'static str, raw: &str, min: u32, max: u32) -> Result<u32, ConfigError> {
    raw.parse::<u32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            ConfigError::new(
                variable,
                format!("`{raw}` is not a number from {min} to {max}"),
            )
        })
}

/// An on/off variable, read as clap reads a flag's variable.
fn flag(variable: &'static str, raw: &str) -> Result<bool, ConfigError> {
    match raw.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" | "y" => Ok(true),
        "0" | "false" | "no" | "off" | "n" => Ok(false),
        _ => Err(ConfigError::new(
            variable,
            format!("`{raw}`: use true or false"),
        )),
    }
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_vars(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_serve_a_laptop() {
        let s = read(&[]).expect("defaults");
        assert_eq!(s.database.url, DEFAULT_DATABASE_URL);
        assert_eq!(s.catalogue.dir, PathBuf::from("."));
        assert_eq!(s.templates.dir, PathBuf::from("./report-templates"));
        assert_eq!(s.scoring.anonymity.threshold(), 5);
        assert_eq!(s.http.bind, "127.0.0.1:8080");
        assert!(s.http.score_cache);
        assert!(matches!(&s.mail.transport, TransportConfig::File(d) if d == Path::new("outbox")));
    }

    #[test]
    fn empty_means_unset_for_every_variable() {
        let all = [
            DATABASE_URL_ENV,
            CATALOGUE_DIR_ENV,
            TEMPLATES_DIR_ENV,
            ANONYMITY_ENV,
            BIND_ENV,
            UPLOAD_LIMIT_ENV,
            SECURE_COOKIES_ENV,
            NO_SCORE_CACHE_ENV,
            DB_POOL_ENV,
            NO_MIGRATE_ENV,
            MAIL_WORKER_ENV,
            MAIL_INTERVAL_ENV,
            DRAIN_ENV,
            TOKEN_DAYS_ENV,
            MAX_CONNECTIONS_ENV,
            FIRST_BYTE_ENV,
            KEY_FILE_ENV,
            KEY_ENV,
            mail::SMTP_URL_ENV,
            mail::MAIL_FROM_ENV,
            mail::OUTBOX_DIR_ENV,
            mail::CONNECTIONS_ENV,
            mail::LEASE_ENV,
            mail::ALLOWED_DOMAINS_ENV,
            mail::MAX_RECIPIENTS_ENV,
            mail::SENDS_PER_DAY_ENV,
        ];
        let vars: Vec<(&str, &str)> = all.iter().map(|k| (*k, "  ")).collect();
        let s = read(&vars).expect("empty values are defaults");
        assert_eq!(s.database.url, DEFAULT_DATABASE_URL);
        assert_eq!(s.catalogue.dir, PathBuf::from("."));
        assert!(!s.mail.outbox_dir_chosen);
        assert!(!s.database.url_chosen && s.database.migrate && s.http.mail_worker);
    }

    #[test]
    fn variables_are_read_and_checked() {
        let s = read(&[
            (CATALOGUE_DIR_ENV, "/srv/cat"),
            (ANONYMITY_ENV, "7"),
            (UPLOAD_LIMIT_ENV, "10"),
            (SECURE_COOKIES_ENV, "true"),
            (NO_SCORE_CACHE_ENV, "1"),
            (DB_POOL_ENV, "4"),
            (NO_MIGRATE_ENV, "yes"),
            (MAIL_WORKER_ENV, "off"),
            (MAIL_INTERVAL_ENV, "2"),
            (DRAIN_ENV, "0"),
        ])
        .expect("valid");
        assert_eq!(s.database.pool, Some(4));
        assert!(!s.database.migrate && !s.http.mail_worker);
        assert_eq!(s.http.mail_interval, Duration::from_secs(2));
        assert_eq!(s.http.drain, Duration::ZERO);
        assert!(read(&[(DB_POOL_ENV, "0")]).is_err());
        let d =
            read(&[(mail::ALLOWED_DOMAINS_ENV, "caw.example, @Koepel.example ,")]).expect("valid");
        assert_eq!(d.mail.allowed_domains, ["caw.example", "koepel.example"]);
        assert!(read(&[(mail::ALLOWED_DOMAINS_ENV, "localhost")]).is_err());
        assert!(read(&[(MAIL_INTERVAL_ENV, "soon")]).is_err());
        assert_eq!(s.templates.dir, PathBuf::from("/srv/cat/report-templates"));
        assert_eq!(s.scoring.anonymity.threshold(), 7);
        assert_eq!(s.http.upload_limit, 10 << 20);
        assert!(s.http.secure_cookies && !s.http.score_cache);
        let e = read(&[(ANONYMITY_ENV, "2")]).expect_err("below 3");
        assert_eq!(e.variable, ANONYMITY_ENV);
        assert!(
            e.to_string()
                .starts_with("BLENDSCAN_ANONYMITY_THRESHOLD: 2"),
            "{e}"
        );
        assert!(read(&[(UPLOAD_LIMIT_ENV, "0")]).is_err());
        assert!(read(&[(SECURE_COOKIES_ENV, "maybe")]).is_err());
        let e = read(&[(mail::SMTP_URL_ENV, "smtp://127.0.0.1:25")]).expect_err("no sender");
        assert_eq!(e.variable, mail::MAIL_FROM_ENV);
    }

    #[test]
    fn the_demo_directory_takes_the_default_outbox_only() {
        let dir = Path::new("/tmp/demo");
        let s = read(&[])
            .expect("defaults")
            .in_directory(dir, "sqlite:///tmp/demo/x.db".into());
        assert!(matches!(&s.mail.transport, TransportConfig::File(d) if d == &dir.join("outbox")));
        let s = read(&[(mail::OUTBOX_DIR_ENV, "/var/mail/out")])
            .expect("valid")
            .in_directory(dir, "sqlite:///tmp/demo/x.db".into());
        assert!(
            matches!(&s.mail.transport, TransportConfig::File(d) if d == Path::new("/var/mail/out"))
        );
    }

    #[test]
    fn debug_hides_the_database_password() {
        let s = read(&[(DATABASE_URL_ENV, "postgres://u:geheim@db/x")]).expect("valid");
        let shown = format!("{s:?}");
        assert!(!shown.contains("geheim"), "{shown}");
        assert_eq!(redact("postgres://u:geheim@db/x"), "postgres://u:***@db/x");
    }
}
