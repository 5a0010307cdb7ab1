//! The counsellor's advice through the API, with versions and conflict protection: the ETag,
//! If-Match, 412, 428, PATCH and the refusal of a partial PUT; the versions (API and CLI); saves
//! racing on one version. The pages are in `advice_pages`.

use blendscan::domain::access::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::service::{TestApp, YEAR};

pub fn advice_url(app: &TestApp) -> String {
    format!("/api/v1/organisations/{}/scans/{YEAR}/advice", app.own_org)
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

pub async fn current(app: &TestApp) -> (String, Value) {
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

    // A patch of aspects changes only the aspects it names; a null advice removes one.
    let aspects = json!({ "aspect": [
        { "code": "A2", "advice": "Betrek cliënten." },
        { "code": "A9", "advice": "Reserveer uren." },
    ] });
    let res = change(&app, Method::PATCH, &[("if-match", "\"6\"")], &aspects).await;
    assert_eq!(res.status(), 200);
    let one = json!({ "aspect": [{ "code": "a9", "advice": null }, { "code": "A2", "advice": "Betrek cliënten vroeg." }] });
    let res = change(&app, Method::PATCH, &[("if-match", "\"7\"")], &one).await;
    assert_eq!(res.status(), 200);
    let (tag, now) = current(&app).await;
    assert_eq!(tag, "\"8\"");
    assert_eq!(
        now["aspects"],
        json!([{ "aspect": "A2", "text": "Betrek cliënten vroeg." }])
    );
    assert_eq!(now["summary"], "Van de opdrachtregel", "the rest stays");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_saves_racing_on_one_version_exactly_one_succeeds() {
    let app = TestApp::start().await;
    let res = change(
        &app,
        Method::PUT,
        &[("if-none-match", "*")],
        &super::matrix::advice_body(),
    )
    .await;
    assert_eq!(res.status(), 200);
    let app = &app;
    let save = |i: usize| async move {
        let body = json!({ "summary": format!("Schrijver {i}") });
        change(app, Method::PATCH, &[("if-match", "\"1\"")], &body)
            .await
            .status()
            .as_u16()
    };
    let (a, b, c, d, e, f) = tokio::join!(save(0), save(1), save(2), save(3), save(4), save(5));
    let mut statuses = vec![a, b, c, d, e, f];
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 412, 412, 412, 412, 412]);
    let (tag, now) = current(app).await;
    assert_eq!(tag, "\"2\"");
    assert!(
        now["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("Schrijver "))
    );
}
