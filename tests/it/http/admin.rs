//! The admin's pages, walked through as an admin would: accounts added, refused, disabled,
//! enabled and removed; API tokens made and revoked; a failed e-mail retried. Each step is checked
//! where it takes effect — a login, a session, an API call — not only on the page that says so.

use blendscan::domain::access::Role;

use crate::support::service::{PASSWORD, TestApp, YEAR};

const NEW: &str = "nieuw@test.example";

/// The `Location` of a redirect.
pub(super) fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// The row of `key` in a page's table (from its `<tr` to its `</tr>`), or "".
pub(super) fn row<'a>(html: &'a str, attr: &str, key: &str) -> &'a str {
    let needle = format!("{attr}=\"{key}\"");
    let Some(start) = html.find(&needle) else {
        return "";
    };
    let end = html[start..]
        .find("</tr>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_disables_enables_and_removes_an_account_in_the_pages() {
    let app = TestApp::start().await;
    let admin = app.login(Role::Admin).await;

    // A weak password is refused on the page itself, in Dutch, and what was typed stays.
    let res = app
        .page_post(
            &admin,
            "/admin/users",
            &[
                ("email", NEW),
                ("role", "counsellor"),
                ("organisation", app.own_org.as_str()),
                ("password", "          "),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("html");
    assert!(html.contains("het wachtwoord is te zwak"), "{html}");
    assert!(
        html.contains(&format!("value=\"{NEW}\"")),
        "the address stays"
    );
    assert!(
        !html.contains(&format!("data-email=\"{NEW}\"")),
        "nothing was stored"
    );

    // A counsellor needs an organisation: said in the page's words, not the command line's.
    let res = app
        .page_post(
            &admin,
            "/admin/users",
            &[
                ("email", NEW),
                ("role", "counsellor"),
                ("password", "een goed wachtwoord"),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("procesbegeleider hoort bij één of meer organisaties"),
        "{html}"
    );
    assert!(!html.contains("--org"), "no command-line flag on a page");

    // Added: the list shows it and the account can sign in.
    let res = app
        .page_post(
            &admin,
            "/admin/users",
            &[
                ("email", NEW),
                ("role", "counsellor"),
                ("organisation", app.own_org.as_str()),
                ("organisation", app.foreign_org.as_str()),
                ("password", "een goed wachtwoord"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/users?done=saved");
    let html = app
        .page_get(&admin, "/admin/users?done=saved")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Het account is bewaard."), "{html}");
    let r = row(&html, "data-email", NEW);
    assert!(
        r.contains(&app.own_org) && r.contains(&app.foreign_org),
        "{r}"
    );
    assert!(r.contains("actief"), "{r}");
    assert_eq!(
        app.attempt_login(NEW, "een goed wachtwoord").await.status(),
        303
    );

    // Disabled: its session ends and it can no longer sign in.
    let session = app.attempt_login(NEW, "een goed wachtwoord").await;
    let cookie =
        crate::support::service::cookie_of(&session, "blendscan_session").expect("session");
    let cookie = format!("blendscan_session={cookie}");
    let own = format!("/organisations/{}/scans/{YEAR}", app.own_org);
    let get = |cookie: String| {
        let url = app.url(&own);
        async move {
            TestApp::client()
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .expect("page")
                .status()
        }
    };
    assert_eq!(get(cookie.clone()).await, 200);
    let res = app
        .page_post(&admin, "/admin/users/disable", &[("email", NEW)])
        .await;
    assert_eq!(location(&res), "/admin/users?done=disabled");
    assert_eq!(get(cookie.clone()).await, 303, "the session ended");
    assert_eq!(
        app.attempt_login(NEW, "een goed wachtwoord").await.status(),
        401
    );
    let html = app
        .page_get(&admin, "/admin/users")
        .await
        .text()
        .await
        .expect("html");
    assert!(row(&html, "data-email", NEW).contains("uitgeschakeld sinds"));

    // Enabled again: it signs in.
    let res = app
        .page_post(&admin, "/admin/users/enable", &[("email", NEW)])
        .await;
    assert_eq!(location(&res), "/admin/users?done=enabled");
    assert_eq!(
        app.attempt_login(NEW, "een goed wachtwoord").await.status(),
        303
    );

    // Its role changed without a new password: the password stays, the old sessions end.
    let before = app.attempt_login(NEW, "een goed wachtwoord").await;
    let before = crate::support::service::cookie_of(&before, "blendscan_session").expect("session");
    let res = app
        .page_post(
            &admin,
            "/admin/users",
            &[
                ("email", NEW),
                ("role", "coordinator"),
                ("organisation", app.own_org.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        get(format!("blendscan_session={before}")).await,
        303,
        "a new role ends sessions"
    );
    assert_eq!(
        app.attempt_login(NEW, "een goed wachtwoord").await.status(),
        303
    );

    // Removed: gone from the list, and no login.
    let res = app
        .page_post(&admin, "/admin/users/remove", &[("email", NEW)])
        .await;
    assert_eq!(location(&res), "/admin/users?done=removed");
    let html = app
        .page_get(&admin, "/admin/users")
        .await
        .text()
        .await
        .expect("html");
    assert!(row(&html, "data-email", NEW).is_empty());
    assert_eq!(
        app.attempt_login(NEW, "een goed wachtwoord").await.status(),
        401
    );

    // The last admin cannot lock everybody out.
    let own_admin = app.account(Role::Admin).email.clone();
    let res = app
        .page_post(
            &admin,
            "/admin/users/disable",
            &[("email", own_admin.as_str())],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert!(
        res.text()
            .await
            .expect("html")
            .contains("de laatste actieve beheerder")
    );
    assert_eq!(app.attempt_login(&own_admin, PASSWORD).await.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_makes_a_token_that_works_and_revokes_it_in_the_pages() {
    let app = TestApp::start().await;
    let admin = app.login(Role::Admin).await;
    let coordinator = app.account(Role::Coordinator).email.clone();

    let res = app
        .page_post(
            &admin,
            "/admin/tokens",
            &[
                ("email", coordinator.as_str()),
                ("name", "rapportage"),
                ("days", "7"),
            ],
        )
        .await;
    assert_eq!(res.status(), 201);
    let html = res.text().await.expect("html");
    assert!(html.contains("maar één keer getoond"), "{html}");
    let token = html
        .split("value=\"")
        .filter_map(|s| s.split('"').next())
        .find(|v| v.starts_with("bls_"))
        .expect("the new token in the page")
        .to_owned();
    let id = html
        .split("data-token=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the newest token's row")
        .to_owned();
    let r = row(&html, "data-token", &id);
    assert!(r.contains("rapportage") && r.contains("actief"), "{r}");
    assert!(!r.contains(&token), "the list never shows a token");

    let score = format!("/api/v1/organisations/{}/scans/{YEAR}/score", app.own_org);
    let call = |t: String| {
        let url = app.url(&score);
        async move {
            TestApp::client()
                .get(url)
                .bearer_auth(t)
                .send()
                .await
                .expect("api")
                .status()
        }
    };
    assert_eq!(call(token.clone()).await, 200);

    // A days field that is no number keeps the form and says why.
    let res = app
        .page_post(
            &admin,
            "/admin/tokens",
            &[("email", coordinator.as_str()), ("days", "veel")],
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .expect("html")
            .contains("geef een aantal dagen van 1 tot 3650")
    );

    let res = app
        .page_post(&admin, "/admin/tokens/revoke", &[("id", id.as_str())])
        .await;
    assert_eq!(location(&res), "/admin/tokens?done=revoked");
    assert_eq!(call(token).await, 401, "a revoked token no longer works");
    let html = app
        .page_get(&admin, "/admin/tokens")
        .await
        .text()
        .await
        .expect("html");
    assert!(row(&html, "data-token", &id).contains("ingetrokken"));
    // The other tokens of the account still work.
    assert_eq!(app.api_get(Role::Coordinator, &score).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sees_every_send_and_retries_a_failed_message() {
    let app = TestApp::start().await;
    let res = app
        .api(
            Role::Coordinator,
            reqwest::Method::POST,
            &format!(
                "/api/v1/organisations/{}/scans/{YEAR}/reports/selfscan/send",
                app.own_org
            ),
        )
        .json(&serde_json::json!({ "lang": "nl" }))
        .send()
        .await
        .expect("send");
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let messages = blendscan::db::outbox::list_outbox(&app.db, None)
        .await
        .expect("outbox");
    let m = messages.first().expect("a message");
    crate::support::queries::fail_message(&app.db, m.id, "550 mailbox unavailable").await;

    let admin = app.login(Role::Admin).await;
    let html = app
        .page_get(&admin, "/admin/outbox")
        .await
        .text()
        .await
        .expect("html");
    let id = m.id.to_string();
    let r = row(&html, "data-message", &id);
    assert!(
        r.contains("mislukt") && r.contains("550 mailbox unavailable"),
        "{r}"
    );
    assert!(
        r.contains("Opnieuw proberen"),
        "a failed message can be retried: {r}"
    );
    let coordinator = &app.account(Role::Coordinator).email;
    assert!(
        html.contains(coordinator.as_str()),
        "the send is listed with who sent it"
    );

    let res = app
        .page_post(&admin, "/admin/outbox/retry", &[("id", id.as_str())])
        .await;
    assert_eq!(location(&res), "/admin/outbox?done=retried");
    let after = blendscan::db::outbox::outbox_message(&app.db, m.id)
        .await
        .expect("row");
    assert_eq!(after.status, blendscan::db::OutboxStatus::Sent);
    // A sent message is not sent twice.
    let res = app
        .page_post(&admin, "/admin/outbox/retry", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 400);

    // The pages are the admin's alone; the others do not see the way in.
    let coordinator = app.login(Role::Coordinator).await;
    assert_eq!(
        app.page_get(&coordinator, "/admin/outbox").await.status(),
        403
    );
    let html = app
        .page_get(&coordinator, "/organisations")
        .await
        .text()
        .await
        .expect("html");
    assert!(!html.contains("href=\"/admin\""));
    let html = app
        .page_get(&admin, "/organisations")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("href=\"/admin\""));
}
