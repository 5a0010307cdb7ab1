//! Test support: a database of its own per test — a temporary SQLite file, or, when
//! `TEST_DATABASE_URL` names a PostgreSQL server, a fresh database on it that is dropped afterwards.

use std::path::PathBuf;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

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
                let name = format!("blendscan_test_{}", rand::random::<u64>());
                let admin = Database::connect(&server)
                    .await
                    .expect("connect to TEST_DATABASE_URL");
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
