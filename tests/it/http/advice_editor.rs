//! The counsellor's advice with versions and conflict protection: the API's ETag, If-Match, 412,
//! 428, PATCH and the refusal of a partial PUT; the versions (API, pages, CLI); the editor page
//! (save → version, a stale form → 409 keeping what was typed); the coordinator's read-only view
//! and status update.

use blendscan::domain::access::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::service::{Session, TestApp, YEAR, hidden};

fn advice_url(app: &TestApp) -> String {
    format!("/api/v1/organisations/{}/scans/{YEAR}/advice", app.own_org)
}

fn page_url(app: &TestApp) -> String {
    format!("/organisations/{}/scans/{YEAR}/advice", app.own_org)
}

/// A change of the advice through the API as the counsellor, with these headers.
async fn change(
    app: &TestApp,
    method: Method,
    headers: &[(&str, &str)],
    body: &Value,
) -> reqwest::Response {
    let mut req = app
        .api(Role::Counsellor, method, &advice_url(app))
        .json(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.expect("request")
}

fn etag(res: &reqwest::Response) -> String {
    res.headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("an ETag")
        .to_owned()
}

/// Status, error code and both messages of an error response.
async fn error_of(res: reqwest::Response) -> (u16, String, String, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.expect("json error");
    let text = |k: &str| {
        body["error"]["message"][k]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    (
        status,
        body["error"]["code"].as_str().unwrap_or("").to_owned(),
        text("nl"),
        text("en"),
    )
}

async fn current(app: &TestApp) -> (String, Value) {
    let res = app.api_get(Role::Coordinator, &advice_url(app)).await;
    assert_eq!(res.status(), 200);
    let tag = etag(&res);
    (tag, res.json().await.expect("json"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_keeps_versions_and_refuses_stale_empty_and_unconditional_changes() {
    let app = TestApp::start().await;
    let full = super::matrix::advice_body();

    // No condition: 428; an empty or partial body: 422, and nothing is stored.
    let (status, code, ..) = error_of(change(&app, Method::PUT, &[], &full).await).await;
    assert_eq!((status, code.as_str()), (428, "precondition_required"));
    let create = [("if-none-match", "*")];
    for partial in [json!({}), json!({ "summary": "Alleen dit" })] {
        let (status, code, nl, en) =
            error_of(change(&app, Method::PUT, &create, &partial).await).await;
        assert_eq!(
            (status, code.as_str()),
            (422, "advice_incomplete"),
            "{partial}"
        );
        assert!(
            nl.contains("ontbreekt") && en.contains("missing"),
            "{nl} / {en}"
        );
        assert!(nl.contains("action") && en.contains("action"), "{en}");
    }
    assert_eq!(
        app.api_get(Role::Coordinator, &advice_url(&app))
            .await
            .status(),
        404
    );

    // The first advice is version 1; creating again is refused.
    let res = change(&app, Method::PUT, &create, &full).await;
    assert_eq!(res.status(), 200);
    assert_eq!(etag(&res), "\"1\"");
    let res = change(&app, Method::PUT, &create, &full).await;
    assert_eq!(error_of(res).await.0, 412);

    // A replacement on the version read is version 2; one on the old version is refused with 412.
    let mut second = full.clone();
    second["summary"] = json!("Tweede versie van het advies.");
    let res = change(&app, Method::PUT, &[("if-match", "\"1\"")], &second).await;
    assert_eq!(res.status(), 200);
    assert_eq!(etag(&res), "\"2\"");
    let mut stale = full.clone();
    stale["summary"] = json!("Verouderde wijziging.");
    let res = change(&app, Method::PUT, &[("if-match", "\"1\"")], &stale).await;
    let body_status = res.status();
    let body: Value = res.json().await.expect("json");
    assert_eq!(body_status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(body["error"]["code"], "precondition_failed");
    assert_eq!(body["details"]["current_version"], 2);
    let msg = body["error"]["message"].to_string();
    assert!(
        msg.contains("versie 2") && msg.contains("version 2"),
        "{msg}"
    );
    let (tag, now) = current(&app).await;
    assert_eq!(tag, "\"2\"");
    assert_eq!(now["summary"], "Tweede versie van het advies.");

    // PATCH: only what it names; `{}` and no If-Match are refused.
    let (status, code, ..) =
        error_of(change(&app, Method::PATCH, &[("if-match", "\"2\"")], &json!({})).await).await;
    assert_eq!((status, code.as_str()), (422, "nothing_to_change"));
    let summary = json!({ "summary": "Alleen de samenvatting is nieuw." });
    assert_eq!(
        error_of(change(&app, Method::PATCH, &[], &summary).await)
            .await
            .0,
        428
    );
    let res = change(&app, Method::PATCH, &[("if-match", "\"2\"")], &summary).await;
    assert_eq!(res.status(), 200);
    assert_eq!(etag(&res), "\"3\"");
    let (_, now) = current(&app).await;
    assert_eq!(now["summary"], "Alleen de samenvatting is nieuw.");
    assert_eq!(now["aspects"][0]["aspect"], "A9", "the aspect advice stays");
    assert_eq!(now["plan"][0]["action"], "R14.1", "the plan stays");
    let done = json!({ "action_status": [{ "row": 1, "status": "done", "code": "R14.1" }] });
    let res = change(&app, Method::PATCH, &[("if-match", "\"2\"")], &done).await;
    assert_eq!(error_of(res).await.0, 412, "a patch on a stale version");
    let res = change(&app, Method::PATCH, &[("if-match", "\"3\"")], &done).await;
    assert_eq!(res.status(), 200);
    let wrong_row = json!({ "action_status": [{ "row": 7, "status": "done" }] });
    let res = change(&app, Method::PATCH, &[("if-match", "\"4\"")], &wrong_row).await;
    assert_eq!(error_of(res).await.0, 422);
    let (tag, now) = current(&app).await;
    assert_eq!(
        (tag.as_str(), &now["plan"][0]["status"]),
        ("\"4\"", &json!("done"))
    );

    // What GET answers goes back with PUT; the new plan fields are kept.
    let mut back = now.clone();
    back["plan"][0]["indicator"] = json!("Innovatie-uren staan in het jaarplan");
    back["plan"][0]["resources"] = json!("4 uur per maand");
    let res = change(&app, Method::PUT, &[("if-match", "*")], &back).await;
    assert_eq!(res.status(), 200);
    let (tag, now) = current(&app).await;
    assert_eq!(tag, "\"5\"");
    assert_eq!(
        now["plan"][0]["indicator"],
        "Innovatie-uren staan in het jaarplan"
    );
    assert_eq!(now["plan"][0]["resources"], "4 uur per maand");

    // The coordinator reads the versions but changes nothing.
    let res = app
        .api(Role::Coordinator, Method::PATCH, &advice_url(&app))
        .header("if-match", "\"5\"")
        .json(&summary)
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), 403);
    // `advice set` on the command line is a version too.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("advies.toml");
    std::fs::write(
        &file,
        "summary = \"Van de opdrachtregel\"\n[[action]]\ncode = \"R14.1\"\nowner = \"Directie\"\ndue = 2026-09-30\n",
    )
    .expect("write");
    let out = crate::support::blendscan(
        &app.db_url,
        &[
            "advice",
            "set",
            "--org",
            &app.own_org,
            "--year",
            &YEAR.to_string(),
            file.to_str().expect("path"),
        ],
        &[],
    );
    assert!(out.status.success(), "{}", crate::support::stderr(&out));
    let res = app
        .api_get(Role::Coordinator, &format!("{}/versions", advice_url(&app)))
        .await;
    assert_eq!(res.status(), 200);
    let versions: Value = res.json().await.expect("json");
    let list = versions["versions"].as_array().expect("list");
    let numbers: Vec<i64> = list.iter().filter_map(|v| v["version"].as_i64()).collect();
    assert_eq!(numbers, vec![6, 5, 4, 3, 2, 1], "newest first");
    assert_eq!(list[0]["origin"], "command_line");
    assert_eq!(list[1]["saved_by"], app.account(Role::Counsellor).email);
    assert!(list[1]["saved_at"].is_string());
    assert_eq!(current(&app).await.0, "\"6\"");
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
