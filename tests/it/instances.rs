//! Several `blendscan serve` processes on one PostgreSQL database, as a federation-wide installation
//! runs them behind a load balancer. These tests run only against PostgreSQL (`TEST_DATABASE_URL`);
//! on SQLite they return at once.
//!
//! - start together on an empty database (and `migrate` twice at once);
//! - the same file, and two overlapping files, uploaded to both at once: no 5xx, the result of one
//!   after the other;
//! - a slow import on one and a fast one on the other: both then serve the score of the last commit;
//! - 300 queued e-mails flushed by both workers and a CLI flush: each delivered once;
//! - one instance killed mid-flush: the other delivers the rest within two minutes;
//! - SIGTERM: `/ready` answers 503 while the instance drains, then it stops (this one on any backend).

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use blendscan::accounts::{self, UserRequest};
use blendscan::db::{self, NewOrganisation, OutboxStatus};
use blendscan::domain::access::Role;
use sea_orm::DatabaseConnection;

use crate::mail::server::{Behaviour, SmtpServer};
use crate::mail::{fake_pdf, queue, stored_report};
use crate::scoring::example_csv;
use crate::support::TestDb;

const YEAR: i32 = 2026;
const FROM: &str = "Kwaliteit CAW Test <kwaliteit@caw-test.example>";

/// A `blendscan serve` process on port 0.
struct Instance {
    child: Child,
    base: String,
}

/// A started process whose address is not read yet (so that several start at the same moment).
struct Starting {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Starting {
    fn spawn(url: &str, env: &[(&str, &str)]) -> Starting {
        let mut cmd = crate::support::command(url);
        cmd.args(["serve", "--bind", "127.0.0.1:0"])
            .env(
                "BLENDSCAN_OUTBOX_DIR",
                std::env::temp_dir().join("blendscan-instances"),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start blendscan serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Starting { child, lines }
    }

    /// Wait for the line that names the address (`blendscan luistert op http://…/`).
    fn ready(mut self) -> Instance {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|e| {
                let status = self.child.try_wait();
                panic!("the instance did not start ({e}; exit status {status:?})")
            });
        let start = line.find("http://").expect("an address in the first line");
        let base = line[start..]
            .split_whitespace()
            .next()
            .expect("address")
            .trim_end_matches('/')
            .to_owned();
        Instance {
            child: self.child,
            base,
        }
    }
}

impl Instance {
    fn start(url: &str, env: &[(&str, &str)]) -> Instance {
        Starting::spawn(url, env).ready()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stop it the hard way, as a crash would (SIGKILL).
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A PostgreSQL test database, or `None` on SQLite (the test then has nothing to do).
async fn postgres() -> Option<TestDb> {
    crate::support::db::postgres_url()?;
    Some(TestDb::new().await)
}

/// An organisation and a coordinator's API token for it; returns (slug, token).
async fn tenant(db: &DatabaseConnection) -> (String, String) {
    let org = db::organisations::add_organisation(
        db,
        &NewOrganisation {
            name: "CAW Twee Instanties".into(),
            sector: Some("CAW".into()),
            federation: Some("Koepel Instanties".into()),
            staff_headcount: Some(40),
        },
    )
    .await
    .expect("organisation");
    let email = "kwaliteit@instanties.example";
    accounts::add_user(
        db,
        &UserRequest {
            email: email.into(),
            role: Role::Coordinator,
            organisations: vec![org.slug.clone()],
            federation: None,
            password: "correct horse battery".into(),
        },
    )
    .await
    .expect("user");
    let token = accounts::create_token(db, email).await.expect("token");
    (org.slug, token)
}

/// Upload `bytes` as `name` into the organisation's scan through `instance`; (status, report).
async fn upload(
    instance: &Instance,
    token: &str,
    slug: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, serde_json::Value) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let res = reqwest::Client::new()
        .post(instance.url(&format!(
            "/api/v1/organisations/{slug}/scans/{YEAR}/imports"
        )))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or_default())
}

/// The score JSON `instance` serves.
async fn served_score(instance: &Instance, token: &str, slug: &str) -> serde_json::Value {
    let res = reqwest::Client::new()
        .get(instance.url(&format!("/api/v1/organisations/{slug}/scans/{YEAR}/score")))
        .bearer_auth(token)
        .send()
        .await
        .expect("score");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

/// The score of the data as committed, computed afresh by the library.
async fn committed_score(db: &DatabaseConnection, slug: &str) -> serde_json::Value {
    serde_json::to_value(crate::scoring::score(db, slug, YEAR).await).expect("json")
}

async fn get_status(instance: &Instance, path: &str) -> u16 {
    reqwest::get(instance.url(path))
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_and_migrations_start_together_on_an_empty_database() {
    let Some(t) = postgres().await else { return };
    // Two `migrate` at once: both succeed, the schema is applied once.
    let migrate = || {
        crate::support::command(&t.url)
            .arg("migrate")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("migrate")
    };
    let (a, b) = (migrate(), migrate());
    for child in [a, b] {
        let out = child.wait_with_output().expect("migrate ends");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Two instances at once, on another empty database.
    let Some(fresh) = postgres().await else {
        return;
    };
    let (a, b) = (
        Starting::spawn(&fresh.url, &[]),
        Starting::spawn(&fresh.url, &[]),
    );
    let (a, b) = (a.ready(), b.ready());
    for i in [&a, &b] {
        assert_eq!(get_status(i, "/health").await, 200);
        let ready: serde_json::Value = reqwest::get(i.url("/ready"))
            .await
            .expect("ready")
            .json()
            .await
            .expect("json");
        assert_eq!(ready["status"], "ready", "{ready}");
        assert_eq!(ready["version"], env!("CARGO_PKG_VERSION"));
    }
    let db = fresh.connect().await;
    assert!(
        db::pending_migrations(&db)
            .await
            .expect("pending")
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_uploads_to_two_instances_give_the_result_of_one_after_the_other() {
    let Some(t) = postgres().await else { return };
    let db = t.connect().await;
    let (slug, token) = tenant(&db).await;
    let (a, b) = (Instance::start(&t.url, &[]), Instance::start(&t.url, &[]));

    // The same file to both at once: one stores it, the other says it was already imported.
    let file = example_csv(0);
    let ((sa, ra), (sb, rb)) = tokio::join!(
        upload(&a, &token, &slug, "scan.csv", file.clone()),
        upload(&b, &token, &slug, "scan.csv", file.clone()),
    );
    let mut statuses = [sa, sb];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 201], "a: {ra}, b: {rb}");
    let repeat = if sa == 200 { &ra } else { &rb };
    assert_eq!(repeat["already_imported"], true, "{repeat}");
    assert_eq!(crate::support::queries::imports_count(&db).await, 1);
    let once = committed_score(&db, &slug).await;

    // Two overlapping files (the same people, other answers) at once: both stored, and the result
    // is that of one file after the other, in one of the two orders.
    let (x, y) = (example_csv(1), example_csv(-1));
    let ((sx, rx), (sy, ry)) = tokio::join!(
        upload(&a, &token, &slug, "later-x.csv", x.clone()),
        upload(&b, &token, &slug, "later-y.csv", y.clone()),
    );
    assert_eq!((sx, sy), (201, 201), "x: {rx}, y: {ry}");
    let both = committed_score(&db, &slug).await;
    assert_ne!(both, once, "the new answers count");
    let mut orders = Vec::new();
    for (first, second) in [(&x, &y), (&y, &x)] {
        let r = TestDb::new().await;
        let rdb = r.connect().await;
        let (rslug, _) = tenant(&rdb).await;
        assert_eq!(rslug, slug);
        for (name, bytes) in [("scan.csv", &file), ("1.csv", first), ("2.csv", second)] {
            let rep = crate::import::import_bytes(&rdb, &rslug, YEAR, name, bytes, false).await;
            assert!(rep.is_ok());
        }
        orders.push(committed_score(&rdb, &rslug).await);
    }
    assert!(
        orders.contains(&both),
        "concurrent result is a sequential one"
    );
    assert_eq!(crate::support::queries::imports_count(&db).await, 3);
}

/// A file of `n` respondents with the example's columns (slow to import when `n` is large).
fn many(n: usize, value: i16) -> Vec<u8> {
    let mut out =
        String::from("E-mail;Functie;Team;Respondentgroep;A1Q1;A1Q2;A6Q1;A6Q2;C2K1;C2S1\n");
    for i in 0..n {
        let v = (i as i16 + value) % 5;
        out.push_str(&format!(
            "veel{i}@org.be;hulpverlener;Team Zuid;medewerker;{};{};{};{};{};{}\n",
            v.min(4),
            (v + 1).min(4),
            v.min(4),
            (v + 2) % 5,
            v.max(1),
            (v + 1).clamp(1, 5)
        ));
    }
    out.into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_a_slow_and_a_fast_import_both_instances_serve_the_last_commit() {
    let Some(t) = postgres().await else { return };
    let db = t.connect().await;
    let (slug, token) = tenant(&db).await;
    let (a, b) = (Instance::start(&t.url, &[]), Instance::start(&t.url, &[]));
    let first = upload(&a, &token, &slug, "start.csv", example_csv(0)).await;
    assert_eq!(first.0, 201);
    // Both instances keep the score of the first file.
    served_score(&a, &token, &slug).await;
    served_score(&b, &token, &slug).await;

    let slow = upload(&a, &token, &slug, "veel.csv", many(4000, 1));
    let fast = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let r = upload(&b, &token, &slug, "weinig.csv", example_csv(1)).await;
        // Read the score on B while A's import may still run.
        for _ in 0..5 {
            served_score(&b, &token, &slug).await;
        }
        r
    };
    let ((s1, r1), (s2, r2)) = tokio::join!(slow, fast);
    assert_eq!((s1, s2), (201, 201), "{r1} {r2}");
    let expected = committed_score(&db, &slug).await;
    assert_eq!(served_score(&a, &token, &slug).await, expected, "A");
    assert_eq!(served_score(&b, &token, &slug).await, expected, "B");
}

/// Queue `n` messages with one stored report; returns their Message-IDs.
async fn queue_many(db: &DatabaseConnection, slug: &str, n: usize, tag: &str) -> HashSet<String> {
    let report_id = stored_report(db, slug, &fake_pdf(10_000, 3)).await;
    let mut ids = HashSet::new();
    for i in 0..n {
        let to = format!("directie{i}@caw-test.example");
        ids.insert(
            queue(db, report_id, &to, &format!("{tag}-{i}"))
                .await
                .message_id,
        );
    }
    ids
}

/// Wait until every message is sent (or `limit` passes); whether they all were.
async fn all_sent(db: &DatabaseConnection, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        let list = db::outbox::list_outbox(db, None).await.expect("outbox");
        if list.iter().all(|m| m.status == OutboxStatus::Sent) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_and_a_cli_flush_deliver_each_of_300_messages_once() {
    let Some(t) = postgres().await else { return };
    let db = t.connect().await;
    let (slug, _) = tenant(&db).await;
    crate::import::import_bytes(&db, &slug, YEAR, "scan.csv", &example_csv(0), false).await;
    let queued = queue_many(&db, &slug, 300, "drie-honderd").await;
    let server = SmtpServer::start();
    let smtp = server.url();
    let env = [
        ("BLENDSCAN_SMTP_URL", smtp.as_str()),
        ("BLENDSCAN_MAIL_FROM", FROM),
        ("BLENDSCAN_MAIL_INTERVAL_SECS", "1"),
    ];
    let (_a, _b) = (Instance::start(&t.url, &env), Instance::start(&t.url, &env));
    let mut flush = crate::support::command(&t.url);
    flush
        .args(["outbox", "flush"])
        .env("BLENDSCAN_SMTP_URL", &smtp)
        .env("BLENDSCAN_MAIL_FROM", FROM)
        .stdout(Stdio::null());
    let flushed = flush.status().expect("outbox flush");
    assert!(flushed.success());
    assert!(all_sent(&db, Duration::from_secs(120)).await, "all sent");
    let received = server.data_message_ids();
    assert_eq!(received.len(), 300, "each message once");
    let unique: HashSet<String> = received.into_iter().collect();
    assert_eq!(unique, queued);
    for m in db::outbox::list_outbox(&db, None).await.expect("outbox") {
        assert_eq!(m.attempts, 1, "message {} attempted once", m.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn when_an_instance_dies_mid_flush_the_other_delivers_the_rest_within_two_minutes() {
    let Some(t) = postgres().await else { return };
    let db = t.connect().await;
    let (slug, _) = tenant(&db).await;
    crate::import::import_bytes(&db, &slug, YEAR, "scan.csv", &example_csv(0), false).await;
    let queued = queue_many(&db, &slug, 30, "gestorven").await;
    let server = SmtpServer::start_with(Behaviour {
        accept_delay: Some(Duration::from_millis(300)),
        ..Default::default()
    });
    let smtp = server.url();
    let env = [
        ("BLENDSCAN_SMTP_URL", smtp.as_str()),
        ("BLENDSCAN_MAIL_FROM", FROM),
        ("BLENDSCAN_MAIL_INTERVAL_SECS", "1"),
        ("BLENDSCAN_SMTP_CONNECTIONS", "2"),
    ];
    let mut a = Instance::start(&t.url, &env);
    let start = Instant::now();
    while server.data_message_ids().len() < 3 {
        assert!(start.elapsed() < Duration::from_secs(60), "A sends");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    a.kill();
    let killed = Instant::now();
    let claimed = db::outbox::list_outbox(&db, Some(OutboxStatus::Sending))
        .await
        .expect("outbox");
    assert!(
        claimed.len() <= 2,
        "A held only what it was sending: {}",
        claimed.len()
    );
    let _b = Instance::start(&t.url, &env);
    let done = all_sent(&db, Duration::from_secs(120)).await;
    let left: Vec<String> = db::outbox::list_outbox(&db, None)
        .await
        .expect("outbox")
        .iter()
        .filter(|m| m.status != OutboxStatus::Sent)
        .map(|m| {
            format!(
                "{} {:?} {} {:?} {:?}",
                m.id, m.status, m.attempts, m.claimed_until, m.last_error
            )
        })
        .collect();
    assert!(done, "B delivered the rest; left: {left:#?}");
    assert!(killed.elapsed() < Duration::from_secs(120));
    let received: HashSet<String> = server.data_message_ids().into_iter().collect();
    assert_eq!(received, queued, "every message arrived");
}

/// SIGTERM: `/ready` answers 503 at once while requests are still served for the drain time, then
/// the process stops by itself. (Any backend.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_an_instance_drains_then_stops() {
    let t = TestDb::new().await;
    let mut a = Instance::start(&t.url, &[("BLENDSCAN_DRAIN_SECS", "3")]);
    assert_eq!(get_status(&a, "/ready").await, 200);
    let term = std::process::Command::new("kill")
        .args(["-TERM", &a.child.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(term.success());
    let asked = Instant::now();
    let mut saw_draining = false;
    while asked.elapsed() < Duration::from_secs(2) {
        if get_status(&a, "/ready").await == 503 {
            saw_draining = true;
            assert_eq!(get_status(&a, "/health").await, 200, "still serving");
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(saw_draining, "/ready answered 503 while draining");
    let status = loop {
        if let Some(s) = a.child.try_wait().expect("wait") {
            break s;
        }
        assert!(asked.elapsed() < Duration::from_secs(30), "it stops");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "{status:?}");
    assert!(
        asked.elapsed() >= Duration::from_secs(3),
        "after the drain time"
    );
}

/// Opens `n` TCP connections to `addr` that never send a byte, and holds them until killed.
const IDLE_CLIENT: &str = r#"
import socket, sys, time
host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
held, failed = [], 0
for _ in range(n):
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect((host, port))
        held.append(s)
    except OSError:
        failed += 1
        s.close()
print(f"ready {len(held)} {failed}", flush=True)
time.sleep(120)
"#;

/// 20,000 connections that never send anything (two clients of 10,000: a process may hold 20,000
/// files here) do not stop `/health` from answering: the oldest idle ones are closed for newer ones.
/// (Any backend.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_idle_connections_do_not_stop_health() {
    let t = TestDb::new().await;
    let a = Instance::start(&t.url, &[]);
    let addr = a.base.trim_start_matches("http://").to_owned();
    let (host, port) = addr.rsplit_once(':').expect("host:port");
    let mut clients: Vec<Child> = (0..2)
        .map(|_| {
            std::process::Command::new("python3")
                .args(["-c", IDLE_CLIENT, host, port, "10000"])
                .stdout(Stdio::piped())
                .spawn()
                .expect("python3")
        })
        .collect();
    let mut opened = 0;
    for c in &mut clients {
        let mut line = String::new();
        BufReader::new(c.stdout.as_mut().expect("stdout"))
            .read_line(&mut line)
            .expect("ready line");
        let held: usize = line
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        opened += held;
    }
    assert!(opened >= 19_000, "the clients opened {opened} connections");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    for _ in 0..10 {
        let started = Instant::now();
        let res = client
            .get(a.url("/health"))
            .send()
            .await
            .expect("health answers");
        assert_eq!(res.status(), 200);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for mut c in clients {
        let _ = c.kill();
        let _ = c.wait();
    }
}
