//! The import history page of a scan: it lists every import, an undo takes the import's
//! respondents out (the score changes back), a second undo of the same import changes nothing, and
//! an import of another organisation is not found through this organisation's page — not even for
//! the admin, who may see both.

use blendscan::domain::access::Role;

use crate::scoring::example_csv;
use crate::support::app_on;
use crate::support::service::{Session, TestApp, YEAR};

/// The worked example with other people (other e-mail addresses): eleven new respondents.
fn other_people() -> Vec<u8> {
    String::from_utf8(example_csv(1))
        .expect("utf-8")
        .replace("@org.be", "@elders.be")
        .into_bytes()
}

async fn upload(app: &TestApp, session: &Session, org: &str, name: &str, bytes: Vec<u8>) {
    let file = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new()
        .text("csrf", session.csrf.clone())
        .part("file", file);
    let res = TestApp::client()
        .post(app.url(&format!("/organisations/{org}/scans/{YEAR}/import")))
        .header("cookie", &session.cookie)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), 200, "{name} imports");
}

/// The respondents and the index of the scan, as the API scores it.
async fn scored(app: &TestApp, org: &str) -> (u64, serde_json::Value) {
    let score: serde_json::Value = app
        .api_get(
            Role::Admin,
            &format!("/api/v1/organisations/{org}/scans/{YEAR}/score"),
        )
        .await
        .json()
        .await
        .expect("score");
    (
        score["respondents"].as_u64().expect("respondents"),
        score["index"].clone(),
    )
}

async fn import_ids(app: &TestApp, org: &str) -> Vec<i32> {
    app_on(&app.db)
        .imports(org, Some(YEAR))
        .await
        .expect("imports")
        .iter()
        .map(|i| i.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undoing_an_import_on_its_page_takes_its_respondents_out_and_a_second_post_changes_nothing()
{
    let app = TestApp::start().await;
    let org = app.own_org.clone();
    let session = app.login(Role::Coordinator).await;
    let before = scored(&app, &org).await;
    upload(&app, &session, &org, "elders.csv", other_people()).await;
    let with = scored(&app, &org).await;
    assert_eq!(with.0, before.0 + 11, "eleven more respondents");

    // The history lists both files, newest first, with what each brought.
    let history = format!("/organisations/{org}/scans/{YEAR}/imports");
    let res = app.page_get(&session, &history).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    let (newest, oldest) = (
        html.find("elders.csv").expect("the new file"),
        html.find("scan.csv").expect("the first file"),
    );
    assert!(newest < oldest, "newest first");
    assert!(html.contains("Ongedaan maken"), "Dutch by default");
    let ids = import_ids(&app, &org).await;
    assert_eq!(ids.len(), 2);
    let id = ids[0].to_string();
    assert!(html.contains(&format!("data-import=\"{id}\"")), "{html}");

    let undo = format!("{history}/undo");
    let res = app.page_post(&session, &undo, &[("id", &id)]).await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(
        location,
        format!("{history}?done=undone&removed=11&restored=0")
    );
    assert_eq!(
        scored(&app, &org).await,
        before,
        "the score is the one before"
    );
    let html = app
        .page_get(&session, &location)
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("11 respondent(en) verwijderd"), "{html}");
    assert!(!html.contains("elders.csv"), "the undone import is gone");

    // The same form again (a double click, a resubmit): not found, nothing changes.
    let res = app.page_post(&session, &undo, &[("id", &id)]).await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.expect("html");
    assert!(html.contains("bestaat niet"), "{html}");
    assert_eq!(scored(&app, &org).await, before);
    assert_eq!(import_ids(&app, &org).await, ids[1..]);

    // In English.
    let english = TestApp::client()
        .get(app.url(&history))
        .header("cookie", format!("{}; blendscan_lang=en", session.cookie))
        .send()
        .await
        .expect("english")
        .text()
        .await
        .expect("html");
    assert!(english.contains("Undo…") && english.contains("Now in the scan"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_of_another_organisation_is_not_found_through_this_ones_page() {
    let app = TestApp::start().await;
    let (own, foreign) = (app.own_org.clone(), app.foreign_org.clone());
    let foreign_ids = import_ids(&app, &foreign).await;
    let foreign_before = scored(&app, &foreign).await;
    let theirs = foreign_ids[0].to_string();

    // The admin may undo in both organisations, but only an import of the scan named.
    let admin = app.login(Role::Admin).await;
    let res = app
        .page_post(
            &admin,
            &format!("/organisations/{own}/scans/{YEAR}/imports/undo"),
            &[("id", &theirs)],
        )
        .await;
    assert_eq!(res.status(), 404);
    // Nor an import of another year of the same organisation.
    let res = app
        .page_post(
            &admin,
            &format!("/organisations/{foreign}/scans/2025/imports/undo"),
            &[("id", &theirs)],
        )
        .await;
    assert_eq!(res.status(), 404);

    // The coordinator of the one organisation cannot reach the other's history at all.
    let coordinator = app.login(Role::Coordinator).await;
    let foreign_history = format!("/organisations/{foreign}/scans/{YEAR}/imports");
    let res = app.page_get(&coordinator, &foreign_history).await;
    assert_eq!(res.status(), 404);
    let res = app
        .page_post(
            &coordinator,
            &format!("{foreign_history}/undo"),
            &[("id", &theirs)],
        )
        .await;
    assert_eq!(res.status(), 404);
    // Their own page does not list the other's import.
    let html = app
        .page_get(
            &coordinator,
            &format!("/organisations/{own}/scans/{YEAR}/imports"),
        )
        .await
        .text()
        .await
        .expect("html");
    assert!(!html.contains(&format!("data-import=\"{theirs}\"")));

    assert_eq!(import_ids(&app, &foreign).await, foreign_ids);
    assert_eq!(scored(&app, &foreign).await, foreign_before);
}
