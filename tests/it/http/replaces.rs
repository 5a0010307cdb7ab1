//! A corrected copy of an anonymous file, uploaded on the page and through the API: nothing is stored
//! until the user says whether it replaces the earlier import (issue 17), and the answer is kept
//! to one form: the radio buttons on the page, `replaces=` in the API.

use blendscan::domain::access::Role;
use reqwest::multipart::{Form, Part};

use crate::support::service::TestApp;

fn coordinators(name: &str) -> Vec<u8> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/coordinators");
    std::fs::read(format!("{dir}/{name}")).expect("fixture")
}

fn upload(name: &str, fields: &[(&str, &str)]) -> Form {
    let mut form = Form::new().part(
        "file",
        Part::bytes(coordinators(name)).file_name(name.to_owned()),
    );
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form
}

/// The value of the first radio button named `replaces` that is a number.
fn offered_import(html: &str) -> Option<String> {
    html.split("name=\"replaces\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default().to_owned())
        .find(|v| v.parse::<u32>().is_ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upload_page_asks_whether_a_corrected_anonymous_file_replaces_the_first() {
    let app = TestApp::start().await;
    let session = app.login(Role::Coordinator).await;
    let path = app.url(&format!("/organisations/{}/scans/2029/import", app.own_org));
    let post = |form: Form| {
        TestApp::client()
            .post(&path)
            .header("cookie", &session.cookie)
            .multipart(form)
            .send()
    };
    let csrf = session.csrf.as_str();
    let res = post(upload("anonymous.xlsx", &[("csrf", csrf)]))
        .await
        .expect("post");
    assert_eq!(res.status(), 200);

    let res = post(upload("anonymous_corrected.xlsx", &[("csrf", csrf)]))
        .await
        .expect("post");
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("lijkt op een eerdere import"), "{html}");
    assert!(html.contains("11 van de 12"), "{html}");
    let id = offered_import(&html).expect("the earlier import offered");
    assert!(html.contains("name=\"replaces\" value=\"none\""), "{html}");

    // A value that is neither an import nor `none` is a clear 400, not a guess.
    let res = post(upload(
        "anonymous_corrected.xlsx",
        &[("csrf", csrf), ("replaces", "x")],
    ))
    .await
    .expect("post");
    assert_eq!(res.status(), 400);

    let res = post(upload(
        "anonymous_corrected.xlsx",
        &[("csrf", csrf), ("replaces", &id)],
    ))
    .await
    .expect("post");
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("Bewaard") && html.contains(&format!("Import {id} is vervangen")),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_refuses_a_resembling_file_with_its_own_code_until_replaces_is_given() {
    let app = TestApp::start().await;
    let path = format!("/api/v1/organisations/{}/scans/2029/imports", app.own_org);
    let send = |name: &'static str, query: &'static str| {
        app.api(
            Role::Coordinator,
            reqwest::Method::POST,
            &format!("{path}{query}"),
        )
        .multipart(upload(name, &[]))
        .send()
    };
    assert_eq!(
        send("anonymous.xlsx", "").await.expect("post").status(),
        201
    );
    let res = send("anonymous_corrected.xlsx", "").await.expect("post");
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "import_resembles", "{body}");
    assert_eq!(body["details"]["resembles"]["equal_rows"], 11, "{body}");
    assert!(
        body["error"]["message"]["nl"]
            .as_str()
            .expect("nl")
            .contains("replaces="),
        "{body}"
    );
    let res = send("anonymous_corrected.xlsx", "?replaces=none")
        .await
        .expect("post");
    assert_eq!(res.status(), 201);
    let report: serde_json::Value = res.json().await.expect("json");
    assert_eq!(report["respondents_imported"], 12);
    let res = send("anonymous_corrected.xlsx", "?replaces=-3")
        .await
        .expect("post");
    assert_eq!(res.status(), 400);
}
