//! The advice page of a scan: the counsellor's editor (save → a new version and a 303, a stale
//! form → 409 keeping what was typed, a half-filled row named in Dutch), the coordinator's
//! read-only view and status update, the analyst kept out, the empty states, the dashboard's link.

use blendscan::domain::access::Role;
use serde_json::{Value, json};

use super::advice_editor::{advice_url, current};
use crate::support::service::{Session, TestApp, YEAR, hidden};

fn page_url(app: &TestApp) -> String {
    format!("/organisations/{}/scans/{YEAR}/advice", app.own_org)
}

/// The editor's fields for one advice with one action.
fn editor_fields<'a>(version: &'a str, summary: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("version", version),
        ("counsellor", "An Peeters"),
        ("summary", summary),
        ("aspect_A9", "Reserveer innovatie-uren."),
        ("action_1", "R14.1"),
        ("owner_1", "Directie"),
        ("due_1", "2026-06-30"),
        ("status_1", "planned"),
        ("indicator_1", "In het IKZ-jaarplan"),
        ("resources_1", ""),
        ("note_1", ""),
        ("action_2", ""),
        ("owner_2", ""),
        ("due_2", ""),
        ("status_2", "planned"),
    ]
}

async fn post(
    app: &TestApp,
    s: &Session,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let res = app.page_post(s, path, fields).await;
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, location, res.text().await.expect("body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counsellor_saves_versions_in_the_editor_and_a_stale_form_keeps_what_was_typed() {
    let app = TestApp::start().await;
    let s = app.login(Role::Counsellor).await;
    let page = page_url(&app);

    let res = app.page_get(&s, &page).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("nog geen advies"), "the empty state");
    assert_eq!(hidden(&html, "version").as_deref(), Some(""));
    assert!(
        html.contains("type=\"date\"") && html.contains("<optgroup"),
        "{html}"
    );

    // Save → 303 to the page, which says the version.
    let (status, location, _) = post(&app, &s, &page, &editor_fields("", "Eerste advies.")).await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("{page}?saved=1").as_str())
    );
    let html = app
        .page_get(&s, &location)
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("versie 1"), "{html}");
    assert!(html.contains("Eerste advies."));
    assert!(
        html.contains(&app.account(Role::Counsellor).email),
        "the history says who"
    );
    assert_eq!(hidden(&html, "version").as_deref(), Some("1"));

    let (status, location, _) = post(&app, &s, &page, &editor_fields("1", "Tweede advies.")).await;
    assert_eq!((status, location.contains("saved=2")), (303, true));

    // A form made from version 1: a conflict, in Dutch, with the typed text kept and the new
    // version in the form (saving again replaces it on purpose); nothing stored.
    let (status, _, html) = post(&app, &s, &page, &editor_fields("1", "Mijn eigen tekst.")).await;
    assert_eq!(status, 409);
    assert!(
        html.contains("Conflict") && html.contains("intussen bewaard"),
        "{html}"
    );
    assert!(html.contains("Mijn eigen tekst."), "what was typed stays");
    assert_eq!(hidden(&html, "version").as_deref(), Some("2"));
    let (tag, now) = current(&app).await;
    assert_eq!(
        (tag.as_str(), &now["summary"]),
        ("\"2\"", &json!("Tweede advies."))
    );
    assert_eq!(now["plan"][0]["indicator"], "In het IKZ-jaarplan");

    // A half-filled row is named in the page's language; nothing stored.
    let mut half = editor_fields("2", "Derde advies.");
    half.push(("action_3", "R14.2"));
    let (status, _, html) = post(&app, &s, &page, &half).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Actie 3: vul in wie de actie draagt"),
        "{html}"
    );
    assert!(html.contains("Derde advies."));
    // A form without its version field is refused.
    let (status, ..) = post(&app, &s, &page, &[("summary", "x")]).await;
    assert_eq!(status, 400);
    assert_eq!(current(&app).await.0, "\"2\"");

    // The dashboard links the page.
    let dash = app
        .page_get(&s, &format!("/organisations/{}/scans/{YEAR}", app.own_org))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        dash.contains(&format!("href=\"{page}\"")),
        "the dashboard links the advice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coordinator_reads_the_plan_and_updates_only_the_status_of_actions() {
    let app = TestApp::start().await;
    let page = page_url(&app);
    let status_url = format!("{page}/status");
    let coordinator = app.login(Role::Coordinator).await;

    let html = app
        .page_get(&coordinator, &page)
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Nog geen advies"), "the empty state: {html}");
    assert!(!html.contains("<textarea"));

    let counsellor = app.login(Role::Counsellor).await;
    let (status, ..) = post(&app, &counsellor, &page, &editor_fields("", "Advies.")).await;
    assert_eq!(status, 303);

    let res = app.page_get(&coordinator, &page).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(
        !html.contains("<textarea") && html.contains("Advies."),
        "read-only"
    );
    assert!(
        html.contains("<th scope=\"col\">") && html.contains("/advice/status"),
        "{html}"
    );
    assert_eq!(hidden(&html, "version").as_deref(), Some("1"));

    // The editor's save is not the coordinator's; the status form is.
    let (status, ..) = post(&app, &coordinator, &page, &editor_fields("1", "Anders.")).await;
    assert_eq!(status, 403);
    let update = [
        ("version", "1"),
        ("row", "1"),
        ("code", "R14.1"),
        ("status", "in_progress"),
    ];
    let (status, location, _) = post(&app, &coordinator, &status_url, &update).await;
    assert_eq!((status, location.contains("saved=2")), (303, true));
    let (tag, now) = current(&app).await;
    assert_eq!(tag, "\"2\"");
    assert_eq!(now["plan"][0]["status"], "in_progress");
    assert_eq!(now["summary"], "Advies.", "only the status changed");
    let versions: Value = app
        .api_get(Role::Coordinator, &format!("{}/versions", advice_url(&app)))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        versions["versions"][0]["saved_by"],
        app.account(Role::Coordinator).email
    );

    // A status form of the old version: a conflict, nothing stored.
    let done = [
        ("version", "1"),
        ("row", "1"),
        ("code", "R14.1"),
        ("status", "done"),
    ];
    let (status, _, html) = post(&app, &coordinator, &status_url, &done).await;
    assert_eq!(status, 409);
    assert!(html.contains("actieplan intussen gewijzigd"), "{html}");
    assert_eq!(current(&app).await.1["plan"][0]["status"], "in_progress");

    // The federation analyst reads no member's advice; a year without a scan is an empty state.
    let analyst = app.login(Role::Federation).await;
    assert_eq!(app.page_get(&analyst, &page).await.status(), 403);
    let next = format!("/organisations/{}/scans/{}/advice", app.own_org, YEAR + 1);
    let res = app.page_get(&coordinator, &next).await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("Nog geen scan voor") && html.contains("/import"),
        "{html}"
    );
}
