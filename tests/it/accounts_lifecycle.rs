//! Access that can be taken back, through the binary as an operator runs it and the library calls
//! the service makes for every request: tokens run out and are revoked, accounts are disabled,
//! enabled and removed, a new password ends what the old one opened, and an enabled admin remains.

use std::io::Write;
use std::process::{Output, Stdio};

use blendscan::accounts::{self, NewSession, UserRequest};
use blendscan::db::entities::api_token;
use blendscan::domain::access::Role;
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::support::{TestDb, command, stderr, stdout};

const PASSWORD: &str = "correct horse battery";

fn blendscan(t: &TestDb, args: &[&str]) -> Output {
    crate::support::blendscan(&t.url, args, &[])
}

/// `blendscan user add ARGS --password-stdin` with `password` on standard input.
fn user_add(t: &TestDb, args: &[&str], password: &str) -> Output {
    let mut child = command(&t.url)
        .args(["user", "add"])
        .args(args)
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run blendscan user add");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("write the password");
    child.wait_with_output().expect("user add")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    stdout(&out)
}

fn refused(out: Output, reason: &str) {
    assert!(!out.status.success(), "should fail: {}", stdout(&out));
    assert!(stderr(&out).contains(reason), "{}", stderr(&out));
}

async fn admin(db: &DatabaseConnection, email: &str) {
    accounts::add_user(
        db,
        &UserRequest {
            email: email.into(),
            role: Role::Admin,
            organisations: vec![],
            federation: None,
            password: PASSWORD.into(),
        },
    )
    .await
    .expect("admin");
}

/// `token create` through the binary: (id, token).
fn token_create(t: &TestDb, email: &str) -> (i64, String) {
    let out = blendscan(t, &["token", "create", "--email", email]);
    let text = ok(out.clone());
    let token = text.lines().last().expect("the token").to_owned();
    let list = ok(blendscan(t, &["token", "list", "--email", email, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&list).expect("json");
    let id = v.as_array().and_then(|a| a.last()).expect("listed")["id"]
        .as_i64()
        .expect("id");
    (id, token)
}

async fn login(db: &DatabaseConnection, email: &str, password: &str) -> Option<NewSession> {
    accounts::login(db, email, password, "nl", Duration::hours(1))
        .await
        .expect("login")
}

async fn token_opens(db: &DatabaseConnection, token: &str) -> bool {
    accounts::authenticate_token(db, token)
        .await
        .expect("authenticate")
        .is_some()
}

async fn session_opens(db: &DatabaseConnection, s: &NewSession) -> bool {
    accounts::session(db, &s.cookie)
        .await
        .expect("session")
        .is_some()
}

#[tokio::test]
async fn a_token_works_is_listed_without_its_secret_and_once_revoked_opens_nothing() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    admin(&db, "beheer@test.example").await;
    let out = blendscan(
        &t,
        &[
            "token",
            "create",
            "--email",
            "beheer@test.example",
            "--days",
            "30",
            "--name",
            "rapportage",
        ],
    );
    let token = ok(out.clone()).lines().last().expect("token").to_owned();
    assert!(token.starts_with("bls_"), "{token}");
    assert!(stderr(&out).contains("geldig tot"), "{}", stderr(&out));
    assert!(token_opens(&db, &token).await);

    let list = ok(blendscan(&t, &["token", "list", "--json"]));
    assert!(
        !list.contains(&token) && !list.contains(&accounts::digest(&token)),
        "{list}"
    );
    let v: serde_json::Value = serde_json::from_str(&list).expect("json");
    let row = &v[0];
    assert_eq!(row["email"], "beheer@test.example");
    assert_eq!(row["name"], "rapportage");
    assert_eq!(row["state"], "active");
    let expires: chrono::DateTime<Utc> =
        serde_json::from_value(row["expires_at"].clone()).expect("expires_at");
    let days = (expires - Utc::now()).num_hours() as f64 / 24.0;
    assert!((29.9..=30.0).contains(&days), "{days} days");
    let table = ok(blendscan(&t, &["token", "list"]));
    assert!(
        table.contains("rapportage") && table.contains("active"),
        "{table}"
    );

    let id = row["id"].to_string();
    let revoked = ok(blendscan(&t, &["token", "revoke", &id]));
    assert!(revoked.contains("ingetrokken"), "{revoked}");
    assert!(
        !token_opens(&db, &token).await,
        "a revoked token opens nothing"
    );
    let list = ok(blendscan(&t, &["token", "list", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&list).expect("json");
    assert_eq!(v[0]["state"], "revoked");
    assert!(v[0]["revoked_at"].is_string());
    let again = ok(blendscan(&t, &["token", "revoke", &id]));
    assert!(again.contains("was al ingetrokken"), "{again}");
    refused(
        blendscan(&t, &["token", "revoke", "9999"]),
        "API token `9999` does not exist",
    );
    refused(
        blendscan(&t, &["token", "list", "--email", "niemand@test.example"]),
        "user `niemand@test.example` does not exist",
    );
    refused(
        blendscan(
            &t,
            &[
                "token",
                "create",
                "--email",
                "beheer@test.example",
                "--days",
                "0",
            ],
        ),
        "--days",
    );
}

#[tokio::test]
async fn an_expired_token_and_an_undated_old_one_are_refused() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    admin(&db, "beheer@test.example").await;
    let short = accounts::issue_token(&db, "beheer@test.example", Duration::milliseconds(1), None)
        .await
        .expect("token");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert!(!token_opens(&db, &short.token).await, "expired");

    // A token made before migration 10 has no expiry: it lasts 90 days from when it was made.
    let (old_id, old) = token_create(&t, "beheer@test.example");
    let undate = |days_ago: i64| {
        api_token::Entity::update_many()
            .col_expr(
                api_token::Column::ExpiresAt,
                Expr::value(None::<chrono::DateTime<Utc>>),
            )
            .col_expr(
                api_token::Column::CreatedAt,
                Expr::value(Utc::now() - Duration::days(days_ago)),
            )
            .filter(api_token::Column::Id.eq(old_id as i32))
            .exec(&db)
    };
    undate(89).await.expect("made 89 days ago");
    assert!(token_opens(&db, &old).await, "89 days old, undated");
    undate(91).await.expect("made 91 days ago");
    assert!(!token_opens(&db, &old).await, "91 days old, undated");

    let list = ok(blendscan(&t, &["token", "list", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&list).expect("json");
    let states: Vec<&str> = v
        .as_array()
        .expect("tokens")
        .iter()
        .map(|r| r["state"].as_str().expect("state"))
        .collect();
    assert_eq!(states, ["expired", "expired"], "{list}");
}

#[tokio::test]
async fn disabling_a_user_ends_its_sessions_and_tokens_and_enabling_does_not_bring_them_back() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    admin(&db, "beheer@test.example").await;
    admin(&db, "tweede@test.example").await;
    let session = login(&db, "tweede@test.example", PASSWORD)
        .await
        .expect("signed in");
    let (_, token) = token_create(&t, "tweede@test.example");
    assert!(session_opens(&db, &session).await && token_opens(&db, &token).await);

    let out = ok(blendscan(
        &t,
        &["user", "disable", "--email", "Tweede@test.example"],
    ));
    assert!(
        out.contains(
            "Uitgeschakeld: tweede@test.example (1 sessie beëindigd, 1 API-token ingetrokken)"
        ),
        "{out}"
    );
    assert!(!session_opens(&db, &session).await, "the session ended");
    assert!(!token_opens(&db, &token).await, "the token was revoked");
    assert!(
        login(&db, "tweede@test.example", PASSWORD).await.is_none(),
        "a disabled account cannot sign in"
    );
    refused(
        blendscan(&t, &["token", "create", "--email", "tweede@test.example"]),
        "is disabled",
    );
    let again = ok(blendscan(
        &t,
        &["user", "disable", "--email", "tweede@test.example"],
    ));
    assert!(again.contains("was al uitgeschakeld"), "{again}");
    let list = ok(blendscan(&t, &["user", "list", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&list).expect("json");
    let disabled: Vec<bool> = v
        .as_array()
        .expect("users")
        .iter()
        .map(|u| !u["disabled_at"].is_null())
        .collect();
    assert_eq!(disabled, [false, true], "{list}");
    let table = ok(blendscan(&t, &["user", "list"]));
    assert!(table.contains("uitgeschakeld sinds"), "{table}");

    let out = ok(blendscan(
        &t,
        &["user", "enable", "--email", "tweede@test.example"],
    ));
    assert!(out.contains("Ingeschakeld: tweede@test.example"), "{out}");
    let back = login(&db, "tweede@test.example", PASSWORD)
        .await
        .expect("signs in again");
    assert!(session_opens(&db, &back).await);
    assert!(
        !token_opens(&db, &token).await,
        "the old token stays revoked"
    );

    // A session of an account that is disabled some other way opens nothing either.
    let user = blendscan::db::accounts::user_by_email(&db, "tweede@test.example")
        .await
        .expect("read")
        .expect("user");
    blendscan::db::accounts::set_disabled(&db, user.principal.user_id, Some(Utc::now()))
        .await
        .expect("disabled");
    assert!(!session_opens(&db, &back).await);
}

#[tokio::test]
async fn a_new_password_or_role_ends_old_sessions_and_tokens_and_the_same_ones_do_not() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let slug = ok(blendscan(&t, &["org", "add", "--name", "CAW Oost"]))
        .lines()
        .last()
        .expect("slug")
        .to_owned();
    let email = "kwaliteit@test.example";
    let coordinator = ["--email", email, "--role", "coordinator", "--org", &slug];
    assert!(ok(user_add(&t, &coordinator, PASSWORD)).contains("toegevoegd:"));
    let session = login(&db, email, PASSWORD).await.expect("signed in");
    let (_, token) = token_create(&t, email);

    // The same password and role: nothing ends.
    let out = ok(user_add(&t, &coordinator, PASSWORD));
    assert!(
        out.contains("bijgewerkt:") && !out.contains("beëindigd"),
        "{out}"
    );
    assert!(session_opens(&db, &session).await && token_opens(&db, &token).await);

    let out = ok(user_add(&t, &coordinator, "een heel ander wachtwoord"));
    assert!(
        out.contains("bijgewerkt: kwaliteit@test.example (coordinator)")
            && out.contains("1 sessie beëindigd, 1 API-token ingetrokken"),
        "{out}"
    );
    assert!(!session_opens(&db, &session).await, "the old session ended");
    assert!(!token_opens(&db, &token).await, "the old token was revoked");
    assert!(login(&db, email, PASSWORD).await.is_none());
    let session = login(&db, email, "een heel ander wachtwoord")
        .await
        .expect("the new password");
    let (_, token) = token_create(&t, email);

    // Another role with the same password: the rights of the old one end too.
    let counsellor = ["--email", email, "--role", "counsellor", "--org", &slug];
    let out = ok(user_add(&t, &counsellor, "een heel ander wachtwoord"));
    assert!(
        out.contains("1 sessie beëindigd, 1 API-token ingetrokken"),
        "{out}"
    );
    assert!(!session_opens(&db, &session).await && !token_opens(&db, &token).await);
}

#[tokio::test]
async fn the_last_admin_cannot_be_removed_disabled_or_demoted_and_removal_takes_everything() {
    let t = TestDb::new().await;
    let db = t.connect().await;
    admin(&db, "beheer@test.example").await;
    let last = "is the last enabled admin";
    refused(
        blendscan(&t, &["user", "remove", "--email", "beheer@test.example"]),
        last,
    );
    refused(
        blendscan(&t, &["user", "disable", "--email", "beheer@test.example"]),
        last,
    );
    let slug = ok(blendscan(&t, &["org", "add", "--name", "CAW West"]))
        .lines()
        .last()
        .expect("slug")
        .to_owned();
    refused(
        user_add(
            &t,
            &[
                "--email",
                "beheer@test.example",
                "--role",
                "coordinator",
                "--org",
                &slug,
            ],
            PASSWORD,
        ),
        last,
    );
    assert!(token_opens(&db, &token_create(&t, "beheer@test.example").1).await);

    // A counsellor goes with its session, token and organisation link.
    let email = "begeleider@test.example";
    ok(user_add(
        &t,
        &["--email", email, "--role", "counsellor", "--org", &slug],
        PASSWORD,
    ));
    let session = login(&db, email, PASSWORD).await.expect("signed in");
    let (_, token) = token_create(&t, email);
    let out = ok(blendscan(&t, &["user", "remove", "--email", email]));
    assert!(
        out.contains(
            "Verwijderd: begeleider@test.example (counsellor), met 1 sessie, 1 API-token en 1 organisatiekoppeling."
        ),
        "{out}"
    );
    assert!(!session_opens(&db, &session).await && !token_opens(&db, &token).await);
    assert!(
        blendscan::db::accounts::user_by_email(&db, email)
            .await
            .expect("read")
            .is_none()
    );
    refused(
        blendscan(&t, &["user", "remove", "--email", email]),
        "does not exist",
    );

    // With a second admin the first may go; then the second is the last.
    admin(&db, "tweede@test.example").await;
    ok(blendscan(
        &t,
        &["user", "remove", "--email", "beheer@test.example"],
    ));
    refused(
        blendscan(&t, &["user", "remove", "--email", "tweede@test.example"]),
        last,
    );
    let list = ok(blendscan(&t, &["user", "list", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&list).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(v[0]["email"], "tweede@test.example");
}

#[test]
fn the_account_and_token_commands_explain_themselves() {
    for (path, subcommands) in [
        (
            &["user"][..],
            &["add", "list", "disable", "enable", "remove"][..],
        ),
        (&["token"][..], &["create", "list", "revoke"][..]),
    ] {
        let mut args = path.to_vec();
        args.push("--help");
        let out = crate::support::blendscan("sqlite://unused.db", &args, &[]);
        let text = ok(out);
        for sub in subcommands {
            assert!(
                text.contains(&format!("  {sub} ")),
                "{path:?} {sub}: {text}"
            );
            let help =
                crate::support::blendscan("sqlite://unused.db", &[path[0], sub, "--help"], &[]);
            assert!(ok(help).contains("Usage: blendscan"), "{path:?} {sub}");
        }
    }
}
