//! The JSON API: an import through HTTP equals the library's, the score is `score --json`, the PDF
//! is a PDF; bad input — malformed JSON, an oversize upload, a wrong content type, an unknown
//! organisation, no or a wrong token, an expired session, a missing CSRF token — gets a clear 4xx
//! with a stable code, and nothing is stored.

use blendscan::domain::access::Role;
use sea_orm::EntityTrait;

use crate::scoring::example_csv;
use crate::support::service::{Options, TestApp, YEAR};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

async fn error_code(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: serde_json::Value = res.json().await.expect("a JSON error");
    assert!(
        body["error"]["message"]["nl"].is_string() && body["error"]["message"]["en"].is_string(),
        "{body}"
    );
    (
        status,
        body["error"]["code"].as_str().unwrap_or("").to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_imports_reads_the_score_and_downloads_the_pdf() {
    let app = TestApp::start().await;
    let token = &app.account(Role::Coordinator).token;
    let c = TestApp::client();
    let base = format!("/api/v1/organisations/{}/scans/2025", app.own_org);
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(fixture("msforms_nl.xlsx")).file_name("msforms_nl.xlsx"),
    );
    let res = app
        .api(
            Role::Coordinator,
            reqwest::Method::POST,
            &format!("{base}/imports"),
        )
        .multipart(form)
        .send()
        .await
        .expect("import");
    assert_eq!(res.status(), 201);
    let report: serde_json::Value = res.json().await.expect("report");
    assert_eq!(report["stored"], true);
    assert!(report["respondents_imported"].as_u64().expect("n") > 0);
    assert!(report["scan_created"].as_bool().expect("created"));

    // The score over HTTP is the library's score of the same data, byte for byte.
    let res = app
        .api_get(
            Role::Coordinator,
            &format!("/api/v1/organisations/{}/scans/{YEAR}/score", app.own_org),
        )
        .await;
    assert_eq!(res.status(), 200);
    let served: serde_json::Value = res.json().await.expect("json");
    let inputs = blendscan::db::scores::score_inputs(&app.db, &app.own_org, YEAR)
        .await
        .expect("inputs");
    let cat = crate::support::catalogue();
    let direct = blendscan::domain::scoring::Scorer::new(&cat, Default::default())
        .score(&inputs.current, inputs.previous.as_ref());
    assert_eq!(served, serde_json::to_value(&direct).expect("json"));
    assert!(
        served["previous"]["year"] == 2025,
        "the 2025 import is the previous scan: {}",
        served["previous"]
    );

    let res = c
        .get(app.url(&format!(
            "/api/v1/organisations/{}/scans/{YEAR}/reports/selfscan.pdf?lang=en",
            app.own_org
        )))
        .bearer_auth(token)
        .send()
        .await
        .expect("pdf");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.contains(&format!("blendscan-{}-{YEAR}-selfscan.pdf", app.own_org)),
        "{disposition}"
    );
    assert!(res.bytes().await.expect("bytes").starts_with(b"%PDF-"));

    // Sending to an address queues and delivers (to .eml files here), and the outbox shows it.
    let res = c
        .post(app.url(&format!(
            "/api/v1/organisations/{}/scans/{YEAR}/reports/selfscan/send",
            app.own_org
        )))
        .bearer_auth(token)
        .json(&serde_json::json!({"to": ["directie@caw.example"], "lang": "nl"}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let sent: serde_json::Value = res.json().await.expect("json");
    assert_eq!(sent["deliveries"][0]["status"], "sent", "{sent}");
    let res = app
        .api_get(
            Role::Coordinator,
            &format!("/api/v1/organisations/{}/outbox", app.own_org),
        )
        .await;
    let outbox: serde_json::Value = res.json().await.expect("json");
    assert_eq!(outbox["messages"].as_array().expect("list").len(), 1);
    // …and not the other organisation's.
    let res = app
        .api_get(
            Role::Coordinator,
            &format!("/api/v1/organisations/{}/outbox", app.foreign_org),
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_a_clear_error_and_store_nothing() {
    let app = TestApp::start_with(Options {
        upload_limit: 1 << 20,
        smtp: None,
    })
    .await;
    let token = &app.account(Role::Admin).token;
    let c = TestApp::client();
    let imports = format!("/api/v1/organisations/{}/scans/{YEAR}/imports", app.own_org);

    // No token, a wrong token.
    let res = c
        .get(app.url("/api/v1/organisations"))
        .send()
        .await
        .expect("get");
    assert_eq!(
        res.headers()["www-authenticate"],
        "Bearer realm=\"blendscan\""
    );
    assert_eq!(error_code(res).await, (401, "unauthorized".into()));
    let res = c
        .get(app.url("/api/v1/organisations"))
        .bearer_auth("bls_wrong")
        .send()
        .await
        .expect("get");
    assert_eq!(error_code(res).await, (401, "unauthorized".into()));

    // Malformed JSON, and a field that does not exist.
    let send = format!(
        "/api/v1/organisations/{}/scans/{YEAR}/reports/selfscan/send",
        app.own_org
    );
    for (body, status, code) in [
        ("{\"to\": [", 400, None),
        (r#"{"recipients": ["x@y.example"]}"#, 422, None),
        (
            r#"{"to": ["not an address"]}"#,
            400,
            Some("invalid_request"),
        ),
    ] {
        let res = c
            .post(app.url(&send))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("post");
        let got = error_code(res).await;
        assert_eq!(got.0, status, "{body}");
        if let Some(code) = code {
            assert_eq!(got.1, code, "{body}");
        }
    }

    // An upload over the limit, the wrong content type, no file field.
    let big = vec![b'a'; 3 << 19];
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(big).file_name("big.csv"),
    );
    let res = c
        .post(app.url(&imports))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(error_code(res).await, (413, "payload_too_large".into()));
    let res = c
        .post(app.url(&imports))
        .bearer_auth(token)
        .json(&serde_json::json!({"file": "x"}))
        .send()
        .await
        .expect("post");
    assert_eq!(
        error_code(res).await,
        (415, "unsupported_media_type".into())
    );
    let form = reqwest::multipart::Form::new().text("other", "x");
    let res = c
        .post(app.url(&imports))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(error_code(res).await, (400, "invalid_request".into()));

    // A file with errors: 422 with the cell references in the details.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(fixture("broken_out_of_scale.xlsx"))
            .file_name("broken_out_of_scale.xlsx"),
    );
    let res = c
        .post(app.url(&imports))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "import_rejected");
    let cell = body["details"]["errors"][0]["cell"]
        .as_str()
        .expect("a cell reference");
    assert!(cell.contains('!'), "sheet!cell: {cell}");

    // Unknown organisation, unknown federation, unknown report, an impossible year, no such route.
    let own = &app.own_org;
    for (path, status, code) in [
        (
            format!("/api/v1/organisations/bestaat-niet/scans/{YEAR}/score"),
            404,
            "not_found",
        ),
        (
            format!("/api/v1/federations/bestaat-niet/scans/{YEAR}/benchmark"),
            404,
            "not_found",
        ),
        (
            format!("/api/v1/organisations/{own}/scans/{YEAR}/reports/benchmark.pdf"),
            404,
            "not_found",
        ),
        (
            format!("/api/v1/organisations/{own}/scans/20x6/score"),
            400,
            "invalid_request",
        ),
        ("/api/v1/nothing-here".to_owned(), 404, "not_found"),
    ] {
        let res = c
            .get(app.url(&path))
            .bearer_auth(token)
            .send()
            .await
            .expect("get");
        assert_eq!(error_code(res).await, (status, code.into()), "{path}");
    }

    assert_eq!(
        crate::support::queries::imports_count(&app.db).await,
        2,
        "nothing was imported"
    );
    assert!(
        blendscan::db::outbox::list_outbox(&app.db, None)
            .await
            .expect("outbox")
            .is_empty(),
        "nothing was queued"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_and_a_missing_csrf_token_store_nothing() {
    let app = TestApp::start().await;
    let c = TestApp::client();
    let session = app.login(Role::Coordinator).await;
    let upload = app.url(&format!("/organisations/{}/scans/2025/import", app.own_org));
    let form = |csrf: &str| {
        reqwest::multipart::Form::new()
            .text("csrf", csrf.to_owned())
            .part(
                "file",
                reqwest::multipart::Part::bytes(example_csv(1)).file_name("scan.csv"),
            )
    };
    let res = c
        .post(&upload)
        .header("cookie", &session.cookie)
        .multipart(form(""))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    assert!(
        res.text().await.expect("html").contains("formulier"),
        "a Dutch page explains it"
    );

    // Let the session run out.
    let record = blendscan::accounts::session(
        &app.db,
        session.cookie.trim_start_matches("blendscan_session="),
    )
    .await
    .expect("lookup")
    .expect("live");
    crate::support::queries::set_session_expiry(
        &app.db,
        record.id,
        chrono::Utc::now() - chrono::Duration::minutes(1),
    )
    .await;
    let res = c
        .post(&upload)
        .header("cookie", &session.cookie)
        .multipart(form(&session.csrf))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 401);
    let res = app.page_get(&session, "/organisations").await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .expect("ascii")
            .starts_with("/login?next=")
    );

    // With a live session and its token the same upload goes in.
    let fresh = app.login(Role::Coordinator).await;
    let res = c
        .post(&upload)
        .header("cookie", &fresh.cookie)
        .multipart(form(&fresh.csrf))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("Bewaard"));
    assert_eq!(
        crate::support::queries::imports_count(&app.db).await,
        3,
        "only the last upload was stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_every_api_route_and_health_checks_the_database() {
    let app = TestApp::start().await;
    let c = TestApp::client();
    let doc: serde_json::Value = c
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    for r in app.routes.iter().filter(|r| r.path.starts_with("/api/")) {
        let op = &doc["paths"][r.path][r.method.as_str().to_lowercase()];
        assert!(op.is_object(), "{} {} is documented", r.method, r.path);
    }
    let health: serde_json::Value = c
        .get(app.url("/health"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(health["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counsellor_stores_advice_the_coordinator_reads_it_and_bad_advice_stores_nothing() {
    let app = TestApp::start().await;
    let c = TestApp::client();
    let url = app.url(&format!(
        "/api/v1/organisations/{}/scans/{YEAR}/advice",
        app.own_org
    ));
    let counsellor = &app.account(Role::Counsellor).token;
    let coordinator = &app.account(Role::Coordinator).token;
    let get = |token: &str| c.get(&url).bearer_auth(token).send();

    // Nothing yet.
    assert_eq!(
        error_code(get(coordinator).await.expect("get")).await,
        (404, "not_found".into())
    );

    // Problems are named by entry; nothing is stored.
    let mut bad = super::matrix::advice_body();
    bad["aspect"][0]["code"] = "A10".into();
    bad["action"][0]["code"] = "R14.9".into();
    bad["action"][0]["status"] = "someday".into();
    let res = c
        .put(&url)
        .bearer_auth(counsellor)
        .header("if-none-match", "*")
        .json(&bad)
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "advice_rejected");
    let problems = body["details"]["problems"].to_string();
    for needle in ["A10", "R14.9", "someday"] {
        assert!(problems.contains(needle), "{needle} in {problems}");
    }
    for (ct, want) in [
        ("text/plain", (415, "unsupported_media_type")),
        ("application/json", (422, "advice_rejected")),
    ] {
        let res = c
            .put(&url)
            .bearer_auth(counsellor)
            .header("if-none-match", "*")
            .header("content-type", ct)
            .body("{\"summary\": ")
            .send()
            .await
            .expect("put");
        assert_eq!(error_code(res).await, (want.0, want.1.into()), "{ct}");
    }
    // The coordinator reads the advice but does not write it.
    let res = c
        .put(&url)
        .bearer_auth(coordinator)
        .json(&super::matrix::advice_body())
        .send()
        .await
        .expect("put");
    assert_eq!(error_code(res).await, (403, "forbidden".into()));
    assert_eq!(get(coordinator).await.expect("get").status(), 404);

    // The counsellor's advice is stored, read back as `advice show` prints it, and in the report.
    let res = c
        .put(&url)
        .bearer_auth(counsellor)
        .header("if-none-match", "*")
        .json(&super::matrix::advice_body())
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 200);
    let stored: serde_json::Value = get(coordinator)
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(
        stored.to_string().contains("Reserveer innovatie-uren"),
        "{stored}"
    );
    assert!(stored.to_string().contains("R14.1"), "{stored}");
    let pdf = c
        .get(app.url(&format!(
            "/api/v1/organisations/{}/scans/{YEAR}/reports/advice.pdf",
            app.own_org
        )))
        .bearer_auth(coordinator)
        .send()
        .await
        .expect("pdf");
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.expect("bytes").starts_with(b"%PDF-"));
}

/// One error, phrased by each front door in its own words: the API answers JSON without any CLI
/// advice, a page answers an HTML page in the reader's language, the CLI names the command that helps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_front_door_phrases_the_same_error_in_its_own_words() {
    let app = TestApp::start().await;
    let advice = format!("/api/v1/organisations/{}/scans/{YEAR}/advice", app.own_org);
    let res = app.api_get(Role::Coordinator, &advice).await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "not_found");
    let (nl, en) = (
        body["error"]["message"]["nl"].as_str().expect("nl"),
        body["error"]["message"]["en"].as_str().expect("en"),
    );
    assert!(nl.contains("advies") && !nl.contains("advice"), "{nl}");
    assert!(en.contains("no advice is stored"), "{en}");
    assert!(
        !nl.contains("blendscan ") && !en.contains("blendscan "),
        "{body}"
    );

    let out = crate::support::blendscan(
        &app.db_url,
        &[
            "advice",
            "show",
            "--org",
            &app.own_org,
            "--year",
            &YEAR.to_string(),
        ],
        &[],
    );
    assert!(!out.status.success());
    let err = crate::support::stderr(&out);
    assert!(
        err.contains("no advice is stored") && err.contains("blendscan advice set"),
        "{err}"
    );

    // A bad address on the send form: an HTML page in Dutch with the status, nothing queued.
    let session = app.login(Role::Coordinator).await;
    let send = format!(
        "/organisations/{}/scans/{YEAR}/reports/selfscan/send",
        app.own_org
    );
    let res = app
        .page_post(&session, &send, &[("to", "geen-adres")])
        .await;
    assert_eq!(res.status(), 400);
    crate::support::service::assert_html(&res);
    let html = res.text().await.expect("html");
    assert!(html.contains("is geen geldig e-mailadres"), "{html}");
    // The same on the API: JSON.
    let res = app
        .api(
            Role::Coordinator,
            reqwest::Method::POST,
            &format!("/api/v1{send}"),
        )
        .json(&serde_json::json!({ "to": ["geen-adres"] }))
        .send()
        .await
        .expect("send");
    assert_eq!(error_code(res).await, (400, "invalid_request".into()));
    assert!(
        blendscan::db::outbox::list_outbox(&app.db, None)
            .await
            .expect("outbox")
            .is_empty(),
        "nothing was queued"
    );
}

/// Eight first downloads of one report at once store one PDF; later downloads of unchanged data are
/// served from storage (the same bytes), and new data gives a new PDF.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_report_is_stored_once_and_served_from_storage_while_its_data_is_unchanged() {
    let app = TestApp::start().await;
    let path = format!(
        "/api/v1/organisations/{}/scans/{YEAR}/reports/selfscan.pdf",
        app.own_org
    );
    let get = || async {
        let res = app.api_get(Role::Coordinator, &path).await;
        assert_eq!(res.status(), 200);
        res.bytes().await.expect("pdf").to_vec()
    };
    let pdfs = futures_join8(get).await;
    assert!(pdfs.iter().all(|p| p == &pdfs[0]), "one PDF");
    let stored = || async {
        blendscan::db::entities::report::Entity::find()
            .all(&app.db)
            .await
            .expect("reports")
    };
    let rows = stored().await;
    assert_eq!(rows.len(), 1, "stored once");
    assert!(rows[0].data_key.is_some(), "with what it was rendered from");
    // Served from storage, not rendered again: what the row holds is what comes back.
    let marked = b"%PDF-1.7 as stored".to_vec();
    let mut row: blendscan::db::entities::report::ActiveModel = rows[0].clone().into();
    row.pdf = sea_orm::Set(marked.clone());
    sea_orm::ActiveModelTrait::update(row, &app.db)
        .await
        .expect("mark the stored PDF");
    assert_eq!(get().await, marked, "served from storage");
    assert_eq!(stored().await.len(), 1);

    // New answers: a new PDF, kept beside the first.
    let r = crate::import::import_bytes(
        &app.db,
        &app.own_org,
        YEAR,
        "meer.csv",
        &example_csv(1),
        false,
    )
    .await;
    assert!(r.is_ok());
    let fresh = get().await;
    assert!(
        fresh != pdfs[0] && fresh != marked,
        "rendered from the new data"
    );
    assert_eq!(stored().await.len(), 2);
}

/// Eight calls of `f` at once.
async fn futures_join8<F, Fut>(f: F) -> Vec<Vec<u8>>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Vec<u8>>,
{
    let (a, b, c, d, e, g, h, i) = tokio::join!(f(), f(), f(), f(), f(), f(), f(), f());
    vec![a, b, c, d, e, g, h, i]
}

/// `/ready` says whether the instance may get requests: 503 while it stops (requests are still
/// served), and 503 with the pending migrations when it was started without migrating.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_answers_503_while_stopping_or_when_migrations_are_pending() {
    let app = TestApp::start().await;
    let c = TestApp::client();
    let ready = |c: reqwest::Client| {
        let url = app.url("/ready");
        async move {
            let res = c.get(url).send().await.expect("ready");
            let status = res.status().as_u16();
            (status, res.json::<serde_json::Value>().await.expect("json"))
        }
    };
    let (status, body) = ready(c.clone()).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("ready")),
        "{body}"
    );
    app.life.drain();
    let (status, body) = ready(c.clone()).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (503, Some("stopping")),
        "{body}"
    );
    let health = c.get(app.url("/health")).send().await.expect("health");
    assert_eq!(health.status(), 200, "still serving while it drains");

    // A database one migration behind, served by an instance that does not migrate.
    let t = crate::support::TestDb::new().await;
    let db = t.connect().await;
    <migration::Migrator as migration::MigratorTrait>::down(&db, Some(1))
        .await
        .expect("one migration back");
    let mut settings = crate::support::settings(&t.url);
    settings.database.migrate = false;
    settings.http.bind = "127.0.0.1:0".into();
    let behind = blendscan::startup::Application::serve(
        blendscan::app::App::with_database(db.clone(), settings).expect("app"),
    )
    .await
    .expect("serve");
    let base = format!("http://127.0.0.1:{}", behind.port());
    tokio::spawn(behind.run_until(std::future::pending()));
    let res = c.get(format!("{base}/ready")).send().await.expect("ready");
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.expect("json");
    let pending = body["pending_migrations"].as_array().expect("pending");
    assert_eq!(pending.len(), 1, "{body}");
    let last = <migration::Migrator as migration::MigratorTrait>::migrations()
        .last()
        .map(|m| m.name().to_owned())
        .expect("a migration");
    assert_eq!(pending[0].as_str(), Some(last.as_str()), "{body}");
    blendscan::db::migrate(&db).await.expect("migrate");
    let res = c.get(format!("{base}/ready")).send().await.expect("ready");
    assert_eq!(res.status(), 200, "ready once migrated");
}
