//! Test support: a database of its own per test — a temporary SQLite file, or, when
//! `TEST_DATABASE_URL` names a PostgreSQL server, a fresh database on it that is dropped afterwards.
//! A PostgreSQL test database is named after its test process (`blendscan_test_PID_N`), so that one
//! left behind by a process killed before its `Drop` (a timeout) is dropped by the next test run.

use std::path::PathBuf;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

pub struct TestDb {
    pub url: String,
    /// Keeps the SQLite file alive for the test's duration.
    _dir: Option<tempfile::TempDir>,
    /// (server URL, database name) to drop when done.
    pg: Option<(String, String)>,
}

/// Whether this run of the suite targets PostgreSQL.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
}

impl TestDb {
    pub async fn new() -> TestDb {
        match postgres_url() {
            Some(server) => {
                let name = format!(
                    "blendscan_test_{}_{}",
                    std::process::id(),
                    rand::random::<u32>()
                );
                let admin = Database::connect(&server)
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                drop_abandoned(&admin).await;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let url = with_database(&server, &name);
                TestDb {
                    url,
                    _dir: None,
                    pg: Some((server, name)),
                }
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path: PathBuf = dir.path().join("test.db");
                TestDb {
                    url: format!("sqlite://{}", path.display()),
                    _dir: Some(dir),
                    pg: None,
                }
            }
        }
    }

    /// Connect and migrate.
    pub async fn connect(&self) -> DatabaseConnection {
        blendscan::db::connect(&self.url)
            .await
            .expect("connect test database")
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }
}

/// Drop the test databases whose process no longer runs. Only names of the form
/// `blendscan_test_PID_N` (digits only) are touched, and only where `/proc` tells which processes run.
async fn drop_abandoned(admin: &DatabaseConnection) {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(rows) = admin
        .query_all_raw(Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'blendscan\\_test\\_%'",
        ))
        .await
    else {
        return;
    };
    for row in rows {
        let Ok(name) = row.try_get_by_index::<String>(0) else {
            continue;
        };
        if abandoned_test_database(&name, |pid| {
            std::path::Path::new(&format!("/proc/{pid}")).exists()
        }) {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}

/// Whether `name` is a test database (`blendscan_test_PID_N`) of a process that no longer runs.
fn abandoned_test_database(name: &str, running: impl Fn(u32) -> bool) -> bool {
    let Some((pid, n)) = name
        .strip_prefix("blendscan_test_")
        .and_then(|rest| rest.split_once('_'))
    else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(pid) && digits(n) && pid.parse::<u32>().is_ok_and(|pid| !running(pid))
}

#[test]
fn only_test_databases_of_ended_processes_are_abandoned() {
    let running = |pid: u32| pid == 42;
    assert!(abandoned_test_database("blendscan_test_7_123", running));
    assert!(!abandoned_test_database("blendscan_test_42_123", running));
    assert!(
        !abandoned_test_database("blendscan_test_123", running),
        "older names"
    );
    assert!(!abandoned_test_database(
        "blendscan_test_7_x; DROP",
        running
    ));
    assert!(!abandoned_test_database("blendscan_test_+7_1", running));
    assert!(!abandoned_test_database("blendscan", running));
}

/// On PostgreSQL: a database left by a test process that ended is gone once the next test starts.
#[tokio::test]
async fn a_test_database_left_by_an_ended_process_is_dropped() {
    let Some(server) = postgres_url() else {
        return;
    };
    // Beyond Linux's largest process id (2^22), so never a running process.
    let left = format!(
        "blendscan_test_{}_1",
        4_194_305 + rand::random::<u16>() as u32
    );
    let admin = Database::connect(&server).await.expect("connect");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {left}"))
        .await
        .expect("create");
    let _t = TestDb::new().await;
    let still = admin
        .query_all_raw(Statement::from_string(
            admin.get_database_backend(),
            format!("SELECT datname FROM pg_database WHERE datname = '{left}'"),
        ))
        .await
        .expect("list");
    admin.close().await.ok();
    assert!(still.is_empty(), "{left} is still there");
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = self.pg.take() {
            // Drop runs outside async context; use a short-lived runtime on its own thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(&server).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// Replace the database name (the URL path) of a PostgreSQL URL.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(base.len());
    let mut url = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}
