//! Persistence: connecting to SQLite or PostgreSQL, applying the migrations, and the query functions
//! that the CLI and the service call. Query functions return domain-shaped values, not entities.

pub mod accounts;
pub mod advice;
pub mod contacts;
pub mod entities;
pub mod federations;
pub mod import_history;
pub mod imports;
pub mod mappings;
pub mod organisations;
pub mod outbox;
pub mod packed;
pub mod reports;
pub mod resemblance;
pub mod scans;
pub mod scores;
pub mod sends;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::config::DatabaseSettings;

// The shapes the rest of the product reads; the queries stay under their module
// (`db::organisations::add_organisation`, `db::outbox::queue_message`, …).
pub use federations::Federation;
pub use organisations::{NewOrganisation, Organisation};
pub use outbox::{OutboxMessage, OutboxStatus};
pub use scans::Scan;

/// What can go wrong in the data layer, in its own words.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported DATABASE_URL `{0}`: use sqlite://FILE or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot connect to the database {target}: {source}")]
    Connect {
        /// The URL without its password.
        target: String,
        #[source]
        source: DbErr,
    },
    #[error("cannot apply the migrations: {0}")]
    Migrate(#[source] DbErr),
    #[error("{what} `{key}` does not exist")]
    NotFound { what: &'static str, key: String },
    #[error("organisation `{organisation}` has no scan for {year} (its scans: {})", if .years.is_empty() { "none yet".to_owned() } else { .years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ") })]
    NoScan {
        organisation: String,
        year: i32,
        years: Vec<i32>,
    },
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Query(#[from] DbErr),
}

/// Open the database named by `url` (SQLite file or PostgreSQL) and apply pending migrations.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbError> {
    connect_with(&DatabaseSettings {
        url: url.to_owned(),
        ..DatabaseSettings::default()
    })
    .await
}

/// Open the database of `settings` and, unless it says not to, apply pending migrations.
pub async fn connect_with(settings: &DatabaseSettings) -> Result<DatabaseConnection, DbError> {
    let db = open_with(settings).await?;
    if settings.migrate {
        migrate(&db).await?;
    }
    Ok(db)
}

/// Open without migrating (for `migrate` itself and for tests of the migrations).
pub async fn open(url: &str) -> Result<DatabaseConnection, DbError> {
    open_with(&DatabaseSettings {
        url: url.to_owned(),
        ..DatabaseSettings::default()
    })
    .await
}

/// Open the database of `settings` without migrating.
pub async fn open_with(settings: &DatabaseSettings) -> Result<DatabaseConnection, DbError> {
    let url = settings.url.as_str();
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        // One writer at a time is SQLite's rule; WAL lets readers go on meanwhile, and the busy timeout
        // makes a second writer wait instead of failing.
        opts.max_connections(settings.pool.unwrap_or(8))
            .min_connections(1)
            .map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(30))
                    .foreign_keys(true)
            });
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        opts.max_connections(settings.pool.unwrap_or(16));
    } else {
        return Err(DbError::UnsupportedUrl(crate::config::redact(url)));
    }
    let target = crate::config::redact(url);
    if url.starts_with("postgres") {
        reachable(url).await.map_err(|reason| DbError::Connect {
            target: target.clone(),
            source: DbErr::Custom(reason),
        })?;
    }
    Database::connect(opts)
        .await
        .map_err(|source| DbError::Connect { target, source })
}

/// Whether the server of a PostgreSQL URL accepts a connection within five seconds: a refused or
/// unreachable host is reported at once, by name, instead of after the pool's 30 s of retries.
async fn reachable(url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    let host = parsed.host_str().unwrap_or("localhost").to_owned();
    if host.starts_with('/') || host.is_empty() {
        return Ok(()); // a Unix socket: the pool says what is wrong
    }
    let port = parsed.port().unwrap_or(5432);
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    match tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::TcpStream::connect((host.as_str(), port)),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!("{host}:{port} refused the connection: {e}")),
        Err(_) => Err(format!("{host}:{port} did not answer within 5 s")),
    }
}

/// The key of the advisory lock under which PostgreSQL migrates (any constant the installation does
/// not use for anything else).
const MIGRATION_LOCK: i64 = 0x626c_656e_6473_6361;

/// Apply every pending migration; applying them again changes nothing. Any number of processes may
/// do this at once: they migrate one after the other, in one transaction each, under PostgreSQL's
/// advisory lock or SQLite's write lock (`BEGIN IMMEDIATE`), and the later ones find nothing to do.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbError> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db
        .begin_with_options(options)
        .await
        .map_err(DbError::Migrate)?;
    if db.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            .await
            .map_err(DbError::Migrate)?;
    }
    Migrator::up(&txn, None).await.map_err(DbError::Migrate)?;
    txn.commit().await.map_err(DbError::Migrate)
}

/// The migrations this release knows that the database has not applied yet (none: the schema is the
/// one this release expects, or a later, compatible one).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbError> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await?;
    let applied: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    Ok(Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .filter(|name| !applied.contains(name))
        .collect())
}

/// The migrations that have been applied, in order.
pub async fn applied_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbError> {
    let models = Migrator::get_applied_migrations(db).await?;
    Ok(models.into_iter().map(|m| m.name().to_owned()).collect())
}

/// Which backend this connection talks to, for messages.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Postgres => "PostgreSQL",
        DbBackend::Sqlite => "SQLite",
        _ => "other",
    }
}

/// A raw statement with `$1`-style parameters on either backend.
pub(crate) fn statement<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Statement {
    let backend = db.get_database_backend();
    // SQLite numbers its parameters `?1`, PostgreSQL `$1`; both may repeat one.
    let sql = if backend == DbBackend::Sqlite {
        sql.replace('$', "?")
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}
