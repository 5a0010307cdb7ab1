//! The yearly cycle in one Chromium session, as every role in turn, with a screenshot at 1280 and
//! 390 px and axe-core on every page visited: the coordinator starts next year's scan, downloads
//! the questionnaire, uploads a file whose edited question texts need a mapping and confirms it,
//! undoes a wrong import, keeps the contacts and sends the report once (a reload sends nothing
//! again); the counsellor writes advice and an action plan and meets a conflict; the federation
//! analyst switches years and downloads the benchmark; the admin keeps an organisation, disables a
//! user and revokes a token.

use blendscan::domain::access::Role;
use fantoccini::{Client, Locator};
use reqwest::Method;

use super::advice_editor::advice_url;
use super::browser::{
    browser, click_and_load, disable_a_user_and_revoke_a_token, log_in, shoot_both, text_of,
};
use crate::import::import_bytes;
use crate::mail::server::SmtpServer;
use crate::scoring::example_csv;
use crate::support::app_on;
use crate::support::service::{Options, TestApp, YEAR};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `GET href` with the browser's session, as a download would: the response.
async fn download(app: &TestApp, c: &Client, href: &str) -> reqwest::Response {
    let session = c
        .get_named_cookie("blendscan_session")
        .await
        .expect("session cookie");
    TestApp::client()
        .get(app.url(href))
        .header("cookie", format!("blendscan_session={}", session.value()))
        .send()
        .await
        .expect("download")
}

async fn href_of(c: &Client, css: &str) -> String {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .expect(css)
        .attr("href")
        .await
        .expect("attr")
        .expect("href")
}

async fn type_into(c: &Client, css: &str, text: &str) {
    let field = c.find(Locator::Css(css)).await.expect(css);
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

async fn log_out(c: &Client) {
    click_and_load(c, "form[action='/logout'] button").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_yearly_cycle_as_every_role_in_chromium() {
    let smtp = SmtpServer::start();
    let app = TestApp::start_with(Options {
        smtp: Some(smtp.url()),
        ..Options::default()
    })
    .await;
    let profile = tempfile::tempdir().expect("profile");
    let (_driver, c) = browser(profile.path()).await;

    c.goto(&app.url("/login")).await.expect("goto");
    log_in(&c, &app.account(Role::Coordinator).email).await;
    coordinator(&app, &c, &smtp).await;
    log_out(&c).await;

    log_in(&c, &app.account(Role::Counsellor).email).await;
    counsellor(&app, &c).await;
    log_out(&c).await;

    log_in(&c, &app.account(Role::Federation).email).await;
    analyst(&app, &c).await;
    log_out(&c).await;

    log_in(&c, &app.account(Role::Admin).email).await;
    admin(&app, &c).await;
    disable_a_user_and_revoke_a_token(&app, &c).await;
    c.close().await.expect("close");
}

async fn coordinator(app: &TestApp, c: &Client, smtp: &SmtpServer) {
    let org = app.own_org.clone();
    let next = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    c.goto(&app.url(&format!("/organisations/{org}/scans/{YEAR}")))
        .await
        .expect("goto");
    c.find(Locator::Css("details.cycle summary"))
        .await
        .expect("the yearly cycle")
        .click()
        .await
        .expect("open");
    shoot_both(c, "cycle-dashboard").await;

    // The questionnaire, as the browser would download it.
    let href = href_of(c, "details.cycle a[href*='variant=full']").await;
    let xlsx = download(app, c, &href).await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.expect("bytes").starts_with(b"PK"));

    // Start next year's scan: to its (empty) upload page.
    c.find(Locator::Css(&format!("#start-year option[value='{next}']")))
        .await
        .expect("next year offered")
        .click()
        .await
        .expect("choose");
    click_and_load(
        c,
        &format!("form[action='/organisations/{org}/scans'] button"),
    )
    .await;
    let url = c.current_url().await.expect("url");
    assert!(
        url.path().ends_with(&format!("/scans/{next}/import")),
        "{url}"
    );

    // Edited question texts: nothing is stored until the mapping is confirmed in the table.
    c.find(Locator::Css("input#file"))
        .await
        .expect("file")
        .send_keys(&fixture("coordinators/text_edited.xlsx"))
        .await
        .expect("choose");
    click_and_load(c, "form[enctype] button[type=submit]").await;
    let report = text_of(c, "#import-report").await;
    assert!(report.contains("Er is niets bewaard"), "{report}");
    let proposals = c
        .find_all(Locator::Css("#review select option[selected]"))
        .await
        .expect("proposals");
    assert_eq!(proposals.len(), 3, "a proposal per edited question");
    shoot_both(c, "cycle-mapping").await;
    c.find(Locator::Css("input#review-file"))
        .await
        .expect("the same file again")
        .send_keys(&fixture("coordinators/text_edited.xlsx"))
        .await
        .expect("choose");
    click_and_load(c, "#review button[type=submit]").await;
    let report = text_of(c, "#import-report").await;
    assert!(
        report.contains("Bewaard") && report.contains("12 respondenten"),
        "{report}"
    );

    // A wrong file (another organisation's export), stored, then undone on the history page.
    c.find(Locator::Css("input#file"))
        .await
        .expect("file")
        .send_keys(&fixture("msforms_nl.xlsx"))
        .await
        .expect("choose");
    click_and_load(c, "form[enctype] button[type=submit]").await;
    assert!(text_of(c, "#import-report").await.contains("Bewaard"));
    click_and_load(
        c,
        &format!("a[href='/organisations/{org}/scans/{next}/imports']"),
    )
    .await;
    let imports = app_on(&app.db)
        .imports(&org, Some(next))
        .await
        .expect("imports");
    assert_eq!(imports.len(), 2);
    let wrong = imports[0].id;
    let row = format!("tr[data-import='{wrong}']");
    c.find(Locator::Css(&format!("{row} summary")))
        .await
        .expect("undo")
        .click()
        .await
        .expect("open");
    shoot_both(c, "cycle-imports").await;
    click_and_load(c, &format!("{row} button")).await;
    assert!(
        text_of(c, "[role=status]")
            .await
            .contains("ongedaan gemaakt")
    );
    assert!(c.find(Locator::Css(&row)).await.is_err(), "the row is gone");
    let left = app_on(&app.db)
        .imports(&org, Some(next))
        .await
        .expect("imports");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].file_name, "text_edited.xlsx");

    // A new management contact.
    c.goto(&app.url(&format!("/organisations/{org}/settings")))
        .await
        .expect("goto");
    type_into(c, "#contact-email", "kwaliteit@caw.example").await;
    type_into(c, "#contact-name", "Kwaliteitsteam").await;
    click_and_load(c, "form[action$='/contacts'] button[type=submit]").await;
    assert!(text_of(c, "[role=status]").await.contains("bewaard"));
    assert!(
        text_of(c, "#contact-list")
            .await
            .contains("kwaliteit@caw.example")
    );
    shoot_both(c, "cycle-settings").await;

    // Send the report once; reloading the delivery page sends nothing again.
    c.goto(&app.url(&format!(
        "/organisations/{org}/scans/{YEAR}/reports/selfscan"
    )))
    .await
    .expect("goto");
    type_into(c, "input#to", "kwaliteit@caw.example").await;
    click_and_load(c, ".send button[type=submit]").await;
    assert!(
        text_of(c, "#delivery")
            .await
            .contains("kwaliteit@caw.example")
    );
    shoot_both(c, "cycle-sent").await;
    assert_eq!(smtp.received().len(), 1);
    c.refresh().await.expect("reload");
    assert!(
        text_of(c, "#delivery")
            .await
            .contains("kwaliteit@caw.example")
    );
    assert_eq!(smtp.received().len(), 1, "a reload sends nothing again");
}

async fn counsellor(app: &TestApp, c: &Client) {
    let page = format!("/organisations/{}/scans/{YEAR}/advice", app.own_org);
    c.goto(&app.url(&page)).await.expect("goto");
    type_into(c, "#counsellor", "An Peeters").await;
    type_into(c, "#summary", "Begin bij de kosten en opbrengsten.").await;
    type_into(c, "#aspect_A9", "Reserveer innovatie-uren in de planning.").await;
    c.find(Locator::Css("#action_1 option[value='R14.1']"))
        .await
        .expect("an action of the catalogue")
        .click()
        .await
        .expect("choose");
    type_into(c, "#owner_1", "Directie").await;
    // A date field is typed in the browser's locale; its value is the same everywhere.
    c.execute(
        "document.getElementById('due_1').value = '2027-06-30';",
        vec![],
    )
    .await
    .expect("due date");
    type_into(c, "#indicator_1", "In het IKZ-jaarplan").await;
    shoot_both(c, "cycle-advice-editor").await;
    click_and_load(c, "form.advice-form > button[type=submit]").await;
    assert!(text_of(c, "[role=status]").await.contains("versie 1"));

    // Someone else saves first (through the API, with the version they read).
    let res = app
        .api(Role::Admin, Method::PATCH, &advice_url(app))
        .header("if-match", "\"1\"")
        .json(&serde_json::json!({ "summary": "Tekst van een collega." }))
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), 200);
    type_into(c, "#summary", "Mijn aangepaste advies.").await;
    click_and_load(c, "form.advice-form > button[type=submit]").await;
    let alert = text_of(c, "[role=alert]").await;
    assert!(
        alert.contains("iemand anders heeft eerst bewaard"),
        "{alert}"
    );
    let kept = c
        .find(Locator::Css("#summary"))
        .await
        .expect("summary")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(
        kept.as_deref(),
        Some("Mijn aangepaste advies."),
        "what was typed stays"
    );
    shoot_both(c, "cycle-advice-conflict").await;
    // Saving again replaces the colleague's version on purpose.
    click_and_load(c, "form.advice-form > button[type=submit]").await;
    assert!(text_of(c, "[role=status]").await.contains("versie 3"));
}

async fn analyst(app: &TestApp, c: &Client) {
    // Five more members, with a scan this year and last year.
    let fed = app.own_fed.clone();
    let members = crate::federation::members(&app.db, &fed, "CAW", 5).await;
    for slug in &members {
        let report =
            import_bytes(&app.db, slug, YEAR - 1, "vorig.csv", &example_csv(0), false).await;
        assert!(report.is_ok());
    }
    c.goto(&app.url(&format!("/federations/{fed}/scans/{YEAR}/benchmark")))
        .await
        .expect("goto");
    shoot_both(c, "cycle-benchmark").await;
    click_and_load(
        c,
        &format!("a[href='/federations/{fed}/scans/{}/benchmark']", YEAR - 1),
    )
    .await;
    assert!(
        text_of(c, "main h1")
            .await
            .contains(&(YEAR - 1).to_string())
    );
    shoot_both(c, "cycle-benchmark-last-year").await;
    let pdf = download(app, c, &href_of(c, "a[href*='benchmark.pdf']").await).await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.expect("pdf").starts_with(b"%PDF-"));
    let csv = download(app, c, &href_of(c, "a[href*='benchmark.csv']").await).await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.expect("csv");
    assert!(csv.starts_with("groep,sector,organisaties"), "{csv}");
    for slug in &members {
        assert!(!csv.contains(slug.as_str()), "no member named");
    }
}

async fn admin(app: &TestApp, c: &Client) {
    c.goto(&app.url("/admin/organisations"))
        .await
        .expect("goto");
    shoot_both(c, "cycle-admin-organisations").await;
    click_and_load(c, &format!("tr[data-organisation='{}'] a", app.own_org)).await;
    type_into(c, "#org-staff", "45").await;
    let save = format!("form[action='/admin/organisations/{}'] button", app.own_org);
    click_and_load(c, &save).await;
    assert!(text_of(c, "[role=status]").await.contains("bewaard"));
    shoot_both(c, "cycle-admin-organisation").await;
}
