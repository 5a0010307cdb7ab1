//! The OpenAPI document drives a generated client: it validates as OpenAPI 3.1
//! (`openapi-spec-validator`), and schemathesis, reading only the served document, calls every
//! operation with generated parameters and bodies as the admin and finds no 5xx, no undocumented
//! status, content type or response shape. Both tools live in the Python environment that
//! `scripts/install-deps.sh` makes (`BLENDSCAN_PY`, default `~/.cache/blendscan-py`).

use std::path::PathBuf;
use std::process::Command;

use blendscan::domain::access::Role;

use crate::support::service::{TestApp, YEAR};

/// The Python environment with schemathesis and openapi-spec-validator.
fn python_env() -> PathBuf {
    let dir = std::env::var_os("BLENDSCAN_PY")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").unwrap_or_default();
            PathBuf::from(home).join(".cache/blendscan-py")
        });
    assert!(
        dir.join("bin/schemathesis").is_file(),
        "schemathesis at {} (run scripts/install-deps.sh)",
        dir.display()
    );
    dir
}

async fn document(app: &TestApp) -> serde_json::Value {
    let res = TestApp::client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_is_valid_openapi_3_1_with_schemas_for_every_operation() {
    let app = TestApp::start().await;
    let doc = document(&app).await;
    assert!(
        doc["openapi"]
            .as_str()
            .expect("version")
            .starts_with("3.1."),
        "{}",
        doc["openapi"]
    );
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec(&doc).expect("json")).expect("write");
    // To read it: BLENDSCAN_OPENAPI_OUT=openapi.json cargo nextest run -E 'test(valid_openapi)'
    if let Some(out) = std::env::var_os("BLENDSCAN_OPENAPI_OUT") {
        std::fs::write(out, serde_json::to_vec_pretty(&doc).expect("json")).expect("write");
    }
    let out = Command::new(python_env().join("bin/openapi-spec-validator"))
        .arg(&file)
        .output()
        .expect("openapi-spec-validator");
    assert!(
        out.status.success(),
        "the document is not valid OpenAPI:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let error = &schemas["Error"];
    assert_eq!(
        error["properties"]["error"]["$ref"],
        "#/components/schemas/ErrorInfo"
    );
    for r in app.routes.iter().filter(|r| r.path.starts_with("/api/v1/")) {
        let op = &doc["paths"][r.path][r.method.as_str().to_lowercase()];
        let what = format!("{} {}", r.method, r.path);
        for p in op["parameters"].as_array().into_iter().flatten() {
            assert!(
                p["schema"].is_object(),
                "{what}: parameter {} has a schema",
                p["name"]
            );
        }
        for name in r
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        {
            let documented = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p["name"] == name && p["in"] == "path");
            assert!(documented, "{what}: path parameter {name}");
        }
        let responses = op["responses"].as_object().expect("responses");
        let ok = responses
            .iter()
            .find(|(s, _)| s.starts_with('2'))
            .unwrap_or_else(|| panic!("{what}: a success response"));
        assert!(
            ok.1["content"].is_object(),
            "{what}: its success has content"
        );
        for (status, res) in responses.iter().filter(|(s, _)| !s.starts_with('2')) {
            assert_eq!(
                res["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error",
                "{what} {status}"
            );
        }
        if r.path != "/api/v1/openapi.json" {
            assert!(responses.contains_key("401"), "{what}: 401");
        }
        // Every schema an operation refers to is in the document.
        let text = op.to_string();
        for name in text.split("#/components/schemas/").skip(1) {
            let name = name.split('"').next().unwrap_or("");
            assert!(schemas.contains_key(name), "{what}: schema {name}");
        }
    }
    let year = &doc["paths"]["/api/v1/organisations/{org}/scans/{year}/score"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "year")
        .expect("year")["schema"]
        .clone();
    assert_eq!(
        (year["minimum"].as_i64(), year["maximum"].as_i64()),
        (Some(2000), Some(2100))
    );
}

/// A missing scan is 404 on the API as on the pages; a `lang` other than nl or en is the same 400
/// on every route, whether it reads `lang` or not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_scan_is_404_and_an_unknown_lang_is_the_same_400_everywhere() {
    let app = TestApp::start().await;
    let org = &app.own_org;
    for path in [
        format!("/api/v1/organisations/{org}/scans/2031/score"),
        format!("/api/v1/organisations/{org}/scans/2031/reports/selfscan.pdf"),
        format!("/api/v1/organisations/{org}/scans/2031/advice"),
        format!("/api/v1/organisations/{org}/scans/2031/advice/versions"),
        format!("/api/v1/federations/{}/scans/2031/benchmark", app.own_fed),
    ] {
        let res = app.api_get(Role::Admin, &path).await;
        assert_eq!(res.status(), 404, "{path}");
        let body: serde_json::Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
    let mut messages = Vec::new();
    for path in [
        format!("/api/v1/organisations/{org}/scans/{YEAR}/reports/selfscan.pdf?lang=AAA"),
        format!("/api/v1/organisations/{org}/scans/{YEAR}/score?lang=AAA"),
        "/api/v1/catalogue?lang=AAA".to_owned(),
        format!(
            "/api/v1/federations/{}/scans/{YEAR}/benchmark?lang=AAA",
            app.own_fed
        ),
    ] {
        let res = app.api_get(Role::Admin, &path).await;
        assert_eq!(res.status(), 400, "{path}");
        let body: serde_json::Value = res.json().await.expect("json");
        messages.push(body["error"].clone());
    }
    assert!(messages.windows(2).all(|w| w[0] == w[1]), "{messages:?}");
    assert_eq!(messages[0]["code"], "invalid_request");
    let page = app.login(Role::Coordinator).await;
    let res = app
        .page_get(
            &page,
            &format!("/organisations/{org}/scans/{YEAR}/reports/selfscan?lang=AAA"),
        )
        .await;
    assert_eq!(res.status(), 400, "a page with lang=AAA");
    let res = app
        .api(
            Role::Admin,
            reqwest::Method::POST,
            &format!("/api/v1/organisations/{org}/scans/{YEAR}/reports/selfscan/send"),
        )
        .json(&serde_json::json!({ "lang": "AAA" }))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 400, "lang AAA in a send body");
}

/// The schemathesis configuration: the service's own organisations, federation and scan year are
/// offered for most generated path parameters, so that operations get past the lookup of their
/// tenant; random values still test the rest.
fn schemathesis_config(app: &TestApp) -> String {
    format!(
        r#"
[dictionaries.orgs]
values = ["{own}", "{foreign}"]
[dictionaries.feds]
values = ["{fed}"]
[dictionaries.years]
values = [{YEAR}]
[parameters]
"path.org" = {{ dictionary = "orgs", probability = 0.8 }}
"path.fed" = {{ dictionary = "feds", probability = 0.8 }}
"path.year" = {{ dictionary = "years", probability = 0.9 }}
"#,
        own = app.own_org,
        foreign = app.foreign_org,
        fed = app.own_fed,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn schemathesis_finds_no_server_error_and_no_undocumented_answer() {
    let app = TestApp::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("schemathesis.toml");
    std::fs::write(&config, schemathesis_config(&app)).expect("config");
    let examples = std::env::var("BLENDSCAN_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "40".into());
    let seed = std::env::var("BLENDSCAN_SCHEMATHESIS_SEED").unwrap_or_else(|_| "19".into());
    let token = app.account(Role::Admin).token.clone();
    let schemathesis = python_env().join("bin/schemathesis");
    let url = app.url("/api/v1/openapi.json");
    // BLENDSCAN_SCHEMATHESIS_REPORT=DIR keeps a HAR file of every request and response there.
    let report_dir = std::env::var_os("BLENDSCAN_SCHEMATHESIS_REPORT")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("report"));
    let out = tokio::task::spawn_blocking(move || {
        Command::new(schemathesis)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .arg("--config-file")
            .arg(&config)
            .args(["run", &url])
            .args(["-H", &format!("Authorization: Bearer {token}")])
            .args([
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            ])
            .args(["--phases", "examples,coverage,fuzzing"])
            .args(["--max-examples", &examples, "--seed", &seed])
            .args(["--workers", "2", "--request-timeout", "30"])
            .args(["--suppress-health-check", "all", "--no-shrink"])
            .args(["--report", "har"])
            .arg("--report-dir")
            .arg(&report_dir)
            .output()
            .expect("schemathesis")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found failures:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // It did call the operations, not skip them for want of data.
    println!("{stdout}");
    assert!(!stdout.contains("Can not generate"), "{stdout}");
    assert!(!stdout.contains("0 operations"), "{stdout}");
}

/// What a generated client may send in a field the document leaves free is refused with 400, never
/// stored and never a 500 (a NUL cannot be stored in PostgreSQL text).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_id_with_a_control_character_or_too_long_is_refused() {
    let app = TestApp::start().await;
    let send = format!(
        "/api/v1/organisations/{}/scans/{YEAR}/reports/selfscan/send",
        app.own_org
    );
    for id in ["a\u{0}b".to_owned(), "x".repeat(201), String::new()] {
        let res = app
            .api(Role::Admin, reqwest::Method::POST, &send)
            .json(&serde_json::json!({ "request_id": id }))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 400, "request_id {id:?}");
        let body: serde_json::Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "invalid_request");
        assert!(
            body["error"]["message"]["nl"]
                .as_str()
                .expect("nl")
                .contains("request_id"),
            "{body}"
        );
    }
    assert!(
        blendscan::db::outbox::list_outbox(&app.db, None)
            .await
            .expect("outbox")
            .is_empty(),
        "nothing was queued"
    );
}
