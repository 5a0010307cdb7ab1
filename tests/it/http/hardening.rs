//! The service against an attacker: a login flood and guessing, a client-chosen login token, mail to
//! outside addresses, control characters in addresses and names, redirects off the site, direction
//! overrides in names, and the headers every response carries.

use blendscan::app::{SendRequest, Sender};
use blendscan::domain::access::Role;
use blendscan::report::ReportKind;

use crate::support::service::{PASSWORD, TestApp, YEAR};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_token_chosen_by_the_client_is_refused() {
    let app = TestApp::start().await;
    let email = app.account(Role::Coordinator).email.clone();
    let res = TestApp::client()
        .post(app.url("/login"))
        .header("cookie", "blendscan_login=chosen")
        .form(&[
            ("email", email.as_str()),
            ("password", PASSWORD),
            ("csrf", "chosen"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403, "a pair the server did not issue");
    // The form's own token works.
    assert_eq!(app.attempt_login(&email, PASSWORD).await.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_five_wrong_passwords_even_the_right_one_waits() {
    let app = TestApp::start().await;
    let email = app.account(Role::Coordinator).email.clone();
    for i in 0..5 {
        let res = app.attempt_login(&email, "wrong password!").await;
        assert_eq!(res.status(), 401, "attempt {i}");
    }
    let res = app.attempt_login(&email, "wrong password!").await;
    assert_eq!(
        res.status(),
        401,
        "the sixth is checked, and starts the wait"
    );
    let res = app.attempt_login(&email, PASSWORD).await;
    assert_eq!(res.status(), 429, "the right password waits too");
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&wait), "{wait}");
    let html = res.text().await.expect("html");
    assert!(html.contains("Te veel verkeerde wachtwoorden"), "{html}");
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    assert_eq!(
        app.attempt_login(&email, PASSWORD).await.status(),
        303,
        "after the wait"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_login_flood_is_answered_503_with_retry_after_not_queued_without_end() {
    let app = TestApp::start().await;
    let email = app.account(Role::Admin).email.clone();
    let attempts: Vec<_> = (0..120)
        .map(|_| Box::pin(app.attempt_login(&email, PASSWORD)))
        .collect();
    let responses = join_all(attempts).await;
    let busy: Vec<&reqwest::Response> = responses.iter().filter(|r| r.status() == 503).collect();
    let ok = responses.iter().filter(|r| r.status() == 303).count();
    assert_eq!(
        ok + busy.len(),
        120,
        "every attempt is answered: logged in or told to come back"
    );
    assert!(ok >= 2, "logins still succeed under the flood");
    assert!(
        !busy.is_empty(),
        "more than the hashing slots at once are turned away"
    );
    assert!(busy.iter().all(|r| r.headers().contains_key("retry-after")));
}

/// Every future at once, polled together (join_all without another dependency).
async fn join_all<F: std::future::Future + Unpin>(mut futures: Vec<F>) -> Vec<F::Output> {
    use std::future::poll_fn;
    use std::task::Poll;
    let mut done: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in futures.iter_mut().enumerate() {
            if done[i].is_none() {
                match std::pin::Pin::new(f).poll(cx) {
                    Poll::Ready(v) => done[i] = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    done.into_iter().flatten().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_sends_only_to_contacts_and_allowed_domains_within_the_caps() {
    let app = TestApp::start().await;
    let send = format!(
        "/api/v1/organisations/{}/scans/{YEAR}/reports/selfscan/send",
        app.own_org
    );
    let post = |body: serde_json::Value| {
        app.api(Role::Coordinator, reqwest::Method::POST, &send)
            .json(&body)
            .send()
    };
    let res = post(serde_json::json!({ "to": ["iemand@elders.example"] }))
        .await
        .expect("send");
    assert_eq!(res.status(), 403);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "recipient_not_allowed");
    let many: Vec<String> = (0..25).map(|i| format!("d{i}@caw.example")).collect();
    let res = post(serde_json::json!({ "to": many })).await.expect("send");
    assert_eq!(res.status(), 400, "25 recipients");
    // A body without its content type is refused, not read as "to every contact".
    let res = app
        .api(Role::Coordinator, reqwest::Method::POST, &send)
        .body(r#"{"to": ["iemand@elders.example"]}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 415);
    assert!(
        blendscan::db::outbox::list_outbox(&app.db, None)
            .await
            .expect("outbox")
            .is_empty(),
        "nothing queued"
    );
    // A contact is fine, and the send is recorded for the admin.
    blendscan::mail::contacts::add_contact(
        &app.db,
        &app.own_org,
        "directie@caw.example",
        Some("Directie"),
        None,
    )
    .await
    .expect("contact");
    let res = post(serde_json::json!({ "to": ["directie@caw.example"] }))
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let res = app.api_get(Role::Admin, "/api/v1/sends").await;
    assert_eq!(res.status(), 200);
    let sends: serde_json::Value = res.json().await.expect("json");
    assert_eq!(
        sends["sends"][0]["user"],
        app.account(Role::Coordinator).email.as_str()
    );
    assert_eq!(sends["sends"][0]["recipients"], 1);
    assert_eq!(
        app.api_get(Role::Coordinator, "/api/v1/sends")
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn an_account_reaches_its_daily_cap() {
    let t = crate::support::TestDb::new().await;
    let (db, slug) = crate::mail::org_with_scan(&t).await;
    let mut settings = crate::support::settings(&t.url);
    settings.mail.max_sends_per_day = 3;
    let app = blendscan::app::App::with_database(db.clone(), settings).expect("app");
    let request = |to: Vec<String>, id: &str| SendRequest {
        organisation: slug.clone(),
        year: YEAR,
        kind: ReportKind::SelfScan,
        to,
        lang: None,
        request_id: Some(id.to_owned()),
        generated: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        by: Sender::Account {
            user_id: 7,
            admin: true,
        },
    };
    let two: Vec<String> = vec!["a@caw.example".into(), "b@caw.example".into()];
    app.queue_report(&request(two.clone(), "one"))
        .await
        .expect("two of three");
    let err = app
        .queue_report(&request(two, "two"))
        .await
        .expect_err("four would be over three");
    assert!(
        matches!(err, blendscan::app::Error::SendLimit { queued: 2, max: 3 }),
        "{err}"
    );
    // The operator (the command line) has no cap.
    let mut op = request(
        vec!["c@caw.example".into(), "d@caw.example".into()],
        "three",
    );
    op.by = Sender::Operator;
    app.queue_report(&op).await.expect("the operator sends");
}

#[tokio::test]
async fn a_contact_name_with_a_line_break_is_refused_and_an_old_one_cannot_break_a_message() {
    let t = crate::support::TestDb::new().await;
    let (db, slug) = crate::mail::org_with_scan(&t).await;
    let out = crate::support::blendscan(
        &t.url,
        &[
            "contact",
            "add",
            "--org",
            &slug,
            "--email",
            "x@caw.example",
            "--name",
            "Evil\r\nBcc: all@x.example",
        ],
        &[],
    );
    assert!(!out.status.success());
    assert!(
        crate::support::stderr(&out).contains("control character"),
        "{}",
        crate::support::stderr(&out)
    );
    let (_, contacts) = blendscan::mail::contacts::list_contacts(&db, &slug)
        .await
        .expect("list");
    assert!(contacts.is_empty(), "nothing stored");
    // A name stored before names were checked: the message is built without it breaking a header.
    let address: lettre::Address = "x@caw.example".parse().expect("address");
    let mailbox = blendscan::mail::message::mailbox(&address, Some("Evil\r\nBcc: all@x.example"));
    assert!(!mailbox.to_string().contains('\n'), "{mailbox}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_in_addresses_are_refused_with_400_before_any_query() {
    let app = TestApp::start().await;
    for path in [
        format!("/api/v1/organisations/a%00b/scans/{YEAR}/score"),
        format!("/api/v1/federations/koepel%00x/scans/{YEAR}/benchmark"),
        "/organisations/a%0Ab".to_owned(),
        "/login?next=%0d%0aSet-Cookie:x".to_owned(),
    ] {
        let res = app.api_get(Role::Admin, &path).await;
        assert_eq!(res.status(), 400, "{path}");
    }
    // A NUL in the login e-mail: the form again, never a 500.
    let res = app.attempt_login("admin\0@test.example", PASSWORD).await;
    assert_eq!(res.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_stay_on_the_site() {
    for (next, kept) in [
        ("/organisations/x", true),
        ("/%09/evil.example", false),
        ("//evil.example", false),
        ("/\\evil.example", false),
        ("/%2F/evil.example", false),
        ("/a%0ab", false),
        ("https://evil.example", false),
    ] {
        let got = blendscan::http::pages::local(Some(next));
        assert_eq!(got == next, kept, "{next} → {got}");
    }
    let app = TestApp::start().await;
    let get = |path: &'static str| TestApp::client().get(app.url(path)).send();
    let res = get("/lang/en?next=//evil.example").await.expect("switch");
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/organisations");
    // A tab in the address is refused before the redirect is even looked at.
    let res = get("/lang/en?next=/%09/evil.example")
        .await
        .expect("switch");
    assert_eq!(res.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers_and_data_is_not_cached() {
    let app = TestApp::start().await;
    let session = app.login(Role::Coordinator).await;
    let page = app.page_get(&session, "/organisations").await;
    let api = app
        .api_get(
            Role::Coordinator,
            &format!("/api/v1/organisations/{}/scans/{YEAR}/score", app.own_org),
        )
        .await;
    let pdf = app
        .api_get(
            Role::Coordinator,
            &format!(
                "/api/v1/organisations/{}/scans/{YEAR}/reports/selfscan.pdf",
                app.own_org
            ),
        )
        .await;
    let error = app.api_get(Role::Coordinator, "/api/v1/nothing").await;
    for res in [&page, &api, &pdf, &error] {
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().expect("ascii");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'none'"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["cache-control"], "no-store", "{}", res.url());
        assert!(h.contains_key("referrer-policy"));
    }
    let css = TestApp::client()
        .get(app.url("/static/app.css"))
        .send()
        .await
        .expect("css");
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("max-age")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direction_override_in_a_name_reaches_neither_page_nor_pdf() {
    let app = TestApp::start().await;
    let tricky = "CAW \u{202E}gurB eD";
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.db,
        &format!(
            "UPDATE organisations SET name = '{tricky}' WHERE slug = '{}'",
            app.own_org
        ),
    )
    .await
    .expect("rename");
    let session = app.login(Role::Coordinator).await;
    let html = app
        .page_get(&session, "/organisations")
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("CAW gurB eD") && !html.contains('\u{202E}'),
        "{html}"
    );
    let pdf = app
        .api_get(
            Role::Coordinator,
            &format!(
                "/api/v1/organisations/{}/scans/{YEAR}/reports/selfscan.pdf",
                app.own_org
            ),
        )
        .await
        .bytes()
        .await
        .expect("pdf");
    let text = crate::report::support::pdf_text(&pdf);
    assert!(
        text.contains("CAW gurB eD") && !text.contains('\u{202E}'),
        "{text}"
    );
}

#[tokio::test]
async fn an_unreachable_database_is_named_and_refused_quickly() {
    let started = std::time::Instant::now();
    let err = blendscan::db::connect("postgres://blendscan:geheim@127.0.0.1:9/blendscan")
        .await
        .expect_err("nothing listens on port 9");
    let text = err.to_string();
    assert!(
        text.contains("127.0.0.1:9") && !text.contains("geheim"),
        "{text}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_uploads_take_large_bodies() {
    let app = TestApp::start().await;
    let big = vec![b'a'; 3 << 20];
    let send = format!(
        "/api/v1/organisations/{}/scans/{YEAR}/reports/selfscan/send",
        app.own_org
    );
    let res = app
        .api(Role::Coordinator, reqwest::Method::POST, &send)
        .header("content-type", "application/json")
        .body(big.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 413, "3 MB is not a send request");
    let res = TestApp::client()
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big.clone())
        .send()
        .await
        .expect("login");
    // Refused unread: the form cannot be parsed, so its token cannot match.
    assert!(
        matches!(res.status().as_u16(), 403 | 413),
        "nor a login: {}",
        res.status()
    );
    // An upload of 3 MB is read (and refused for its content, not its size).
    let imports = format!(
        "/api/v1/organisations/{}/scans/{YEAR}/imports?dry_run=true",
        app.own_org
    );
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(big).file_name("groot.csv"),
    );
    let res = app
        .api(Role::Coordinator, reqwest::Method::POST, &imports)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), 422, "an upload may be large");
}
