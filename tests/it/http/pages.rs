//! The coordinator's pages beyond the happy path: sending answers with a redirect (a refresh or a
//! second submit of the same form sends nothing again), a refused address keeps what was typed,
//! and a report that cannot exist yet says what is missing instead of showing broken previews.

use blendscan::domain::access::Role;

use crate::support::service::{TestApp, YEAR, hidden};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_from_the_page_redirects_and_a_second_submit_sends_nothing_new() {
    let app = TestApp::start().await;
    let session = app.login(Role::Coordinator).await;
    let page = format!(
        "/organisations/{}/scans/{YEAR}/reports/selfscan",
        app.own_org
    );
    let html = app
        .page_get(&session, &page)
        .await
        .text()
        .await
        .expect("html");
    let request_id = hidden(&html, "request_id").expect("a request id in the form");
    assert!(
        html.contains("type=\"email\""),
        "the address field is an e-mail field"
    );

    let form = [
        ("to", ""),
        ("lang", "nl"),
        ("request_id", request_id.as_str()),
    ];
    let res = app
        .page_post(&session, &format!("{page}/send"), &form)
        .await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        location.starts_with(&format!("{page}/sent?messages=")),
        "{location}"
    );
    let outbox = || async {
        blendscan::db::outbox::list_outbox(&app.db, None)
            .await
            .expect("outbox")
    };
    let first = outbox().await;
    assert!(!first.is_empty(), "the contacts' messages were queued");

    // The delivery page names the recipients and their status, in Dutch.
    let res = app.page_get(&session, &location).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    for m in &first {
        let address = m.recipients[0]
            .rsplit('<')
            .next()
            .unwrap_or("")
            .trim_end_matches('>');
        assert!(html.contains(address), "{address} in {html}");
    }
    assert!(
        html.contains("verstuurd") || html.contains("in de wachtrij"),
        "{html}"
    );

    // Refreshing the delivery page is a GET; submitting the same form again queues nothing new.
    let _ = app.page_get(&session, &location).await;
    let res = app
        .page_post(&session, &format!("{page}/send"), &form)
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(outbox().await.len(), first.len(), "nothing queued twice");

    // Another organisation's message ids show nothing here.
    let foreign = format!("{page}/sent?messages=999999");
    let html = app
        .page_get(&session, &foreign)
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Geen berichten gevonden"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_address_is_said_beside_the_form_which_keeps_what_was_typed() {
    let app = TestApp::start().await;
    let session = app.login(Role::Coordinator).await;
    let page = format!(
        "/organisations/{}/scans/{YEAR}/reports/selfscan",
        app.own_org
    );
    let res = app
        .page_post(
            &session,
            &format!("{page}/send"),
            &[("to", "iemand@elders.example")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let html = res.text().await.expect("html");
    assert!(html.contains("id=\"send-error\""), "{html}");
    assert!(
        html.contains("value=\"iemand@elders.example\""),
        "what was typed stays"
    );
    assert!(
        html.contains("<header class=\"top\">") && html.contains("Afmelden"),
        "still logged in"
    );
    assert!(
        blendscan::db::outbox::list_outbox(&app.db, None)
            .await
            .expect("outbox")
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_without_its_scan_or_advice_says_what_is_missing() {
    let app = TestApp::start().await;
    let session = app.login(Role::Coordinator).await;
    // A year without a scan: no previews, no send form, a way forward.
    let page = format!("/organisations/{}/scans/2031/reports/selfscan", app.own_org);
    let res = app.page_get(&session, &page).await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.expect("html");
    assert!(html.contains("Voor 2031 is er nog geen scan"), "{html}");
    assert!(
        !html.contains("img class=\"page\"") && !html.contains("/send\""),
        "{html}"
    );
    assert!(html.contains("/scans/2031/import"), "{html}");
    // Its dashboard too: 404 as in the API, with the way to start the scan.
    let res = app
        .page_get(
            &session,
            &format!("/organisations/{}/scans/2031", app.own_org),
        )
        .await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("nog geen scan") && html.contains("/scans\""),
        "{html}"
    );
    // A scan without advice: the advice report is not there yet, the self-scan is.
    let page = format!("/organisations/{}/scans/{YEAR}/reports/advice", app.own_org);
    let res = app.page_get(&session, &page).await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.expect("html");
    assert!(html.contains("nog geen advies"), "{html}");
    assert!(
        !html.contains("blendscan advice"),
        "no command line on a page: {html}"
    );
    assert!(html.contains("/reports/selfscan"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_starts_next_years_scan_downloads_the_questionnaire_and_keeps_contacts() {
    let app = TestApp::start().await;
    let session = app.login(Role::Coordinator).await;
    let org = app.own_org.clone();
    let next = YEAR + 1;

    // Start next year's scan: to its upload page; its dashboard says it has no answers yet.
    let res = app
        .page_post(
            &session,
            &format!("/organisations/{org}/scans"),
            &[("year", &next.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/organisations/{org}/scans/{next}/import").as_str()
    );
    let html = app
        .page_get(&session, &format!("/organisations/{org}/scans/{next}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("is gestart, maar er zijn nog geen antwoorden"),
        "{html}"
    );
    // Starting it again changes nothing; a year out of range is refused.
    let again = app
        .page_post(
            &session,
            &format!("/organisations/{org}/scans"),
            &[("year", &next.to_string())],
        )
        .await;
    assert_eq!(again.status(), 303);
    let bad = app
        .page_post(
            &session,
            &format!("/organisations/{org}/scans"),
            &[("year", "1999")],
        )
        .await;
    assert_eq!(bad.status(), 400);

    // The questionnaire: a real workbook, short and per role too.
    for query in [
        "lang=nl&variant=full",
        "lang=en&variant=short",
        "lang=nl&role=basic_worker",
    ] {
        let res = app
            .page_get(
                &session,
                &format!("/organisations/{org}/questionnaire.xlsx?{query}"),
            )
            .await;
        assert_eq!(res.status(), 200, "{query}");
        let disposition = res.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(disposition.contains(".xlsx"), "{disposition}");
        let bytes = res.bytes().await.expect("bytes");
        assert!(bytes.starts_with(b"PK"), "an xlsx is a zip: {query}");
    }
    let res = app
        .page_get(
            &session,
            &format!("/organisations/{org}/questionnaire.xlsx?variant=half"),
        )
        .await;
    assert_eq!(res.status(), 400);

    // The profile: a headcount that is no number is said beside the form, which keeps it.
    let settings = format!("/organisations/{org}/settings");
    let res = app
        .page_post(
            &session,
            &settings,
            &[("sector", "CAW"), ("staff", "veertig")],
        )
        .await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("geef een geheel getal vanaf 1") && html.contains("value=\"veertig\""),
        "{html}"
    );
    let res = app
        .page_post(&session, &settings, &[("sector", "CAW"), ("staff", "40")])
        .await;
    assert_eq!(
        res.headers()["location"],
        format!("{settings}?done=profile").as_str()
    );
    let score: serde_json::Value = app
        .api_get(
            Role::Coordinator,
            &format!("/api/v1/organisations/{org}/scans/{YEAR}/score"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        score["staff_headcount"], 40,
        "the score uses the new headcount at once"
    );

    // Contacts: a bad address keeps what was typed; a good one is listed and can be removed.
    let contacts = format!("/organisations/{org}/contacts");
    let res = app
        .page_post(
            &session,
            &contacts,
            &[("email", "geen adres"), ("name", "Els")],
        )
        .await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("id=\"contact-error\"") && html.contains("value=\"Els\""),
        "{html}"
    );
    let res = app
        .page_post(
            &session,
            &contacts,
            &[
                ("email", "els@caw.example"),
                ("name", "Els"),
                ("lang", "en"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = app
        .page_get(&session, &settings)
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("data-contact=\"els@caw.example\""), "{html}");
    let res = app
        .page_post(
            &session,
            &format!("{contacts}/remove"),
            &[("email", "els@caw.example")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = app
        .page_get(&session, &settings)
        .await
        .text()
        .await
        .expect("html");
    assert!(!html.contains("data-contact=\"els@caw.example\""));

    // Another organisation's settings are not there for this coordinator.
    let foreign = format!("/organisations/{}/settings", app.foreign_org);
    assert_eq!(app.page_get(&session, &foreign).await.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_federation_analyst_switches_years_and_downloads_the_benchmark() {
    let app = TestApp::start().await;
    let session = app.login(Role::Federation).await;
    let fed = app.own_fed.clone();
    let page = format!("/federations/{fed}/scans/{YEAR}/benchmark");

    // One member with a scan: the page says why there is nothing to compare, and lists no year.
    let res = app.page_get(&session, &page).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("een benchmark toont pas groepen van minstens"),
        "{html}"
    );
    assert!(!html.contains("benchmark.pdf"), "nothing to download yet");
    // A year without any member scan is missing, as on the API.
    assert_eq!(
        app.page_get(
            &session,
            &format!("/federations/{fed}/scans/2031/benchmark")
        )
        .await
        .status(),
        404
    );

    // Five more members: the year is listed, the sectors can be chosen, and both downloads work.
    let members = crate::federation::members(&app.db, &fed, "CAW", 5).await;
    let html = app
        .page_get(&session, &page)
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains(&format!("<strong aria-current=\"page\">{YEAR}</strong>")),
        "{html}"
    );
    assert!(html.contains("<option value=\"CAW\""), "{html}");
    assert!(
        html.contains(&format!("{page}.pdf")) && html.contains(&format!("{page}.csv")),
        "{html}"
    );

    let res = app
        .page_get(&session, &format!("{page}.csv?sector=CAW"))
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    let csv = res.text().await.expect("csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("groep,sector,organisaties,aspect,naam,n,p25,mediaan,p75")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() >= 10, "the index and nine aspects: {csv}");
    assert!(
        rows.iter().all(|r| r[1] == "CAW"),
        "only the chosen sector: {csv}"
    );
    let index = rows
        .iter()
        .find(|r| r[3] == "index")
        .expect("the index row");
    // The five new members and the organisation that was there already (a CAW too).
    assert_eq!(index[2], "6");
    assert!(index[7].parse::<f64>().is_ok(), "a median: {csv}");
    for slug in &members {
        assert!(!csv.contains(slug.as_str()), "no member named");
    }

    let res = app.page_get(&session, &format!("{page}.pdf")).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("benchmark.pdf")
    );
    assert!(res.bytes().await.expect("pdf").starts_with(b"%PDF-"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_intervals_and_the_staff_response_rate() {
    let app = TestApp::start().await;
    let session = app.login(Role::Coordinator).await;
    let html = app
        .page_get(
            &session,
            &format!("/organisations/{}/scans/{YEAR}", app.own_org),
        )
        .await
        .text()
        .await
        .expect("html");
    let score: serde_json::Value = app
        .api_get(
            Role::Coordinator,
            &format!("/api/v1/organisations/{}/scans/{YEAR}/score", app.own_org),
        )
        .await
        .json()
        .await
        .expect("json");
    // Every aspect with an interval in the score shows it on its card.
    let with_interval = score["aspects"]
        .as_array()
        .expect("aspects")
        .iter()
        .filter(|a| a["interval"].is_object())
        .count();
    assert!(with_interval > 0, "the example has intervals: {score}");
    assert_eq!(
        html.matches("class=\"meta interval\"").count()
            - usize::from(score["index_interval"].is_object()),
        with_interval,
        "{html}"
    );
    assert!(
        html.contains("respons personeel") || score["confidence"]["response_rate"].is_null(),
        "{html}"
    );
}
