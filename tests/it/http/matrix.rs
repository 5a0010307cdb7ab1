//! The authorisation matrix: every route the router serves (from its own record) × every role and
//! no account × the account's own and a foreign tenant, against the status written down here. A
//! route that is not written down here fails the test.

use blendscan::domain::access::Role;
use blendscan::http::{RouteInfo, Surface};
use reqwest::Method;

use crate::scoring::example_csv;
use crate::support::service::{Session, TestApp, Who, YEAR};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tenant {
    Own,
    Foreign,
}

/// What a route does with a tenant, for the expectations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Anyone, no account needed: the status.
    Public(u16),
    /// Any account; the status when allowed.
    AnyAccount(u16),
    /// An organisation's data (score, import, reports, mail): the status when allowed.
    OrgData(u16),
    /// A federation's aggregate benchmark: the status when allowed.
    Federation(u16),
    /// Writing a process counsellor's advice: as `OrgData`, but not by the organisation's own
    /// coordinator.
    Advice(u16),
    /// The installation's own records (every send): the admin only.
    AdminOnly(u16),
}

/// The written-down matrix: each route's kind and the status of an allowed request.
fn kind_of(r: &RouteInfo) -> Kind {
    use Kind::*;
    match (r.method.as_str(), r.path) {
        ("GET", "/health") => Public(200),
        ("GET", "/ready") => Public(200),
        ("GET", "/api/v1/openapi.json") => Public(200),
        ("GET", "/") => Public(303),
        ("GET", "/login") => Public(200),
        // Without the login form's double-submit cookie.
        ("POST", "/login") => Public(403),
        ("GET", "/lang/{code}") => Public(303),
        ("GET", "/static/app.css") => Public(200),
        ("GET", "/static/favicon.svg") => Public(200),
        ("POST", "/logout") => AnyAccount(303),
        ("GET", "/organisations") => AnyAccount(200),
        ("GET", "/api/v1/organisations") => AnyAccount(200),
        ("GET", "/api/v1/catalogue") => AnyAccount(200),
        ("GET", "/organisations/{org}") => OrgData(303),
        ("GET", "/organisations/{org}/scans/{year}") => OrgData(200),
        ("GET", "/organisations/{org}/scans/{year}/import") => OrgData(200),
        ("POST", "/organisations/{org}/scans/{year}/import") => OrgData(200),
        ("GET", "/organisations/{org}/scans/{year}/reports/{report}") => OrgData(200),
        // Sent, then to the delivery page: a refresh does not send again.
        ("POST", "/organisations/{org}/scans/{year}/reports/{report}/send") => OrgData(303),
        ("GET", "/organisations/{org}/scans/{year}/reports/{report}/sent") => OrgData(200),
        ("GET", "/organisations/{org}/scans/{year}/reports/{report}/pages/{page}") => OrgData(200),
        ("GET", "/federations/{fed}/scans/{year}/benchmark") => Federation(200),
        ("GET", "/federations/{fed}/scans/{year}/benchmark.pdf") => Federation(200),
        ("GET", "/federations/{fed}/scans/{year}/benchmark.csv") => Federation(200),
        ("POST", "/api/v1/organisations/{org}/scans/{year}/imports") => OrgData(200),
        ("GET", "/api/v1/organisations/{org}/scans/{year}/score") => OrgData(200),
        ("GET", "/api/v1/organisations/{org}/scans/{year}/reports/{report}") => OrgData(200),
        ("POST", "/api/v1/organisations/{org}/scans/{year}/reports/{report}/send") => OrgData(200),
        ("GET", "/api/v1/organisations/{org}/outbox") => OrgData(200),
        ("GET", "/api/v1/sends") => AdminOnly(200),
        ("GET", "/api/v1/organisations/{org}/scans/{year}/advice") => OrgData(200),
        ("PUT", "/api/v1/organisations/{org}/scans/{year}/advice") => Advice(200),
        ("PATCH", "/api/v1/organisations/{org}/scans/{year}/advice") => Advice(200),
        ("GET", "/api/v1/organisations/{org}/scans/{year}/advice/versions") => OrgData(200),
        ("GET", "/organisations/{org}/scans/{year}/advice") => OrgData(200),
        // A form with only its CSRF token lacks the version it was made from.
        ("POST", "/organisations/{org}/scans/{year}/advice") => Advice(400),
        ("POST", "/organisations/{org}/scans/{year}/advice/status") => OrgData(400),
        ("GET", "/api/v1/federations/{fed}/scans/{year}/benchmark") => Federation(200),
        ("POST", "/organisations/{org}/scans") => OrgData(303),
        ("GET", "/organisations/{org}/questionnaire.xlsx") => OrgData(200),
        ("GET", "/organisations/{org}/scans/{year}/imports") => OrgData(200),
        // Names an import the scan does not have.
        ("POST", "/organisations/{org}/scans/{year}/imports/undo") => OrgData(404),
        ("GET", "/organisations/{org}/settings") => OrgData(200),
        ("POST", "/organisations/{org}/settings") => OrgData(303),
        ("POST", "/organisations/{org}/contacts") => OrgData(303),
        // Names a contact the organisation does not have.
        ("POST", "/organisations/{org}/contacts/remove") => OrgData(404),
        ("GET", "/admin") => AdminOnly(200),
        ("GET", "/admin/users") => AdminOnly(200),
        // Adds (then updates) one account: a redirect to the list.
        ("POST", "/admin/users") => AdminOnly(303),
        // These name an account, token or message that does not exist: the admin gets past the gate
        // and is told so; everybody else is stopped at it.
        ("POST", "/admin/users/disable") => AdminOnly(404),
        ("POST", "/admin/users/enable") => AdminOnly(404),
        ("POST", "/admin/users/remove") => AdminOnly(404),
        ("GET", "/admin/organisations") => AdminOnly(200),
        // Adds an organisation: to its page.
        ("POST", "/admin/organisations") => AdminOnly(303),
        ("GET", "/admin/organisations/{org}") => AdminOnly(200),
        // A form without a name changes nothing: said beside the form.
        ("POST", "/admin/organisations/{org}") => AdminOnly(400),
        ("POST", "/admin/organisations/{org}/contacts") => AdminOnly(303),
        // Names a contact the organisation does not have.
        ("POST", "/admin/organisations/{org}/contacts/remove") => AdminOnly(404),
        ("GET", "/admin/tokens") => AdminOnly(200),
        // A token for the admin's own account, shown once.
        ("POST", "/admin/tokens") => AdminOnly(201),
        ("POST", "/admin/tokens/revoke") => AdminOnly(404),
        ("GET", "/admin/outbox") => AdminOnly(200),
        ("POST", "/admin/outbox/retry") => AdminOnly(404),
        (m, p) => {
            panic!("route {m} {p} is missing from the authorisation matrix: add it to kind_of")
        }
    }
}

/// The status the matrix expects.
fn expected(r: &RouteInfo, who: Who, tenant: Tenant) -> u16 {
    let kind = kind_of(r);
    if let Kind::Public(s) = kind {
        return s;
    }
    let role = match who {
        // Pages send a reader without a session to the login; a form without one is refused.
        Who::Anonymous if r.surface == Surface::Page && r.method == Method::GET => return 303,
        Who::Anonymous => return 401,
        Who::As(role) => role,
    };
    match kind {
        Kind::Public(s) | Kind::AnyAccount(s) => s,
        Kind::Advice(ok) => match (role, tenant) {
            (Role::Coordinator | Role::Federation, Tenant::Own) => 403,
            _ => expected_org_data(ok, role, tenant),
        },
        Kind::OrgData(ok) => expected_org_data(ok, role, tenant),
        Kind::AdminOnly(ok) => match role {
            Role::Admin => ok,
            _ => 403,
        },
        Kind::Federation(ok) => match (role, tenant) {
            (Role::Admin, _) => ok,
            (Role::Federation, Tenant::Own) => ok,
            (Role::Federation, Tenant::Foreign) => 404,
            // A federation an account may not see answers as one that does not exist.
            (Role::Coordinator | Role::Counsellor, _) => 404,
        },
    }
}

/// An organisation's data: its own people and the admin, nobody else.
fn expected_org_data(ok: u16, role: Role, tenant: Tenant) -> u16 {
    match (role, tenant) {
        (Role::Admin, _) => ok,
        (Role::Coordinator | Role::Counsellor, Tenant::Own) => ok,
        (Role::Coordinator | Role::Counsellor, Tenant::Foreign) => 404,
        // A federation analyst sees its members only in aggregate.
        (Role::Federation, Tenant::Own) => 403,
        (Role::Federation, Tenant::Foreign) => 404,
    }
}

/// The concrete request of a route for a tenant.
fn concrete(app: &TestApp, r: &RouteInfo, tenant: Tenant) -> String {
    let (org, fed) = match tenant {
        Tenant::Own => (&app.own_org, &app.own_fed),
        Tenant::Foreign => (&app.foreign_org, &app.foreign_fed),
    };
    let report =
        if r.method == Method::GET && !r.path.contains("/pages/") && !r.path.ends_with("/sent") {
            "selfscan.pdf"
        } else {
            "selfscan"
        };
    let mut path = r
        .path
        .replace("{org}", org)
        .replace("{fed}", fed)
        .replace("{year}", &YEAR.to_string())
        .replace("{report}", report)
        .replace("{code}", "en")
        .replace("{page}", "1");
    if r.surface == Surface::Api && r.path.ends_with("/imports") {
        path.push_str("?dry_run=true");
    }
    path
}

/// The fields of an admin form in the matrix: a real account to add, and for the rest an account,
/// token or message that does not exist.
fn admin_form(app: &TestApp, path: &str, csrf: &str) -> Vec<(&'static str, String)> {
    let mut form = vec![("csrf", csrf.to_owned())];
    match path {
        "/admin/users" => form.extend([
            ("email", "matrix@test.example".to_owned()),
            ("role", "coordinator".to_owned()),
            ("organisation", app.own_org.clone()),
            ("password", "matrix password 1".to_owned()),
        ]),
        "/admin/organisations" => form.extend([
            ("name", "Matrix organisatie".to_owned()),
            ("staff", "12".to_owned()),
        ]),
        "/admin/tokens" => form.push(("email", app.account(Role::Admin).email.clone())),
        _ => form.extend([
            ("email", "nobody@test.example".to_owned()),
            ("id", "999999".to_owned()),
        ]),
    }
    form
}

/// A valid advice: one aspect and one action of the plan.
pub fn advice_body() -> serde_json::Value {
    serde_json::json!({
        "counsellor": "An Peeters",
        "summary": "Begin bij de kosten en opbrengsten.",
        "aspect": [{ "code": "A9", "advice": "Reserveer innovatie-uren in de planning." }],
        "action": [{ "code": "R14.1", "owner": "Directie", "due": "2026-06-30", "status": "planned" }],
    })
}

/// Both organisations' scans have an advice, so that reading one answers 200 when allowed.
async fn seed_advice(app: &TestApp) {
    let cat = crate::support::catalogue();
    for org in [&app.own_org, &app.foreign_org] {
        let advice =
            blendscan::report::advice::parse("advice.json", &advice_body().to_string(), &cat)
                .expect("a valid advice");
        let (_, scan) = crate::support::app_on(&app.db)
            .scan(org, YEAR)
            .await
            .expect("scan");
        blendscan::db::advice::replace_advice(&app.db, scan.id, &advice.to_stored())
            .await
            .expect("stored");
    }
}

async fn call(
    app: &TestApp,
    r: &RouteInfo,
    who: Who,
    tenant: Tenant,
    session: Option<&Session>,
) -> u16 {
    let c = TestApp::client();
    let url = app.url(&concrete(app, r, tenant));
    let mut req = c.request(r.method.clone(), &url);
    let page = r.surface != Surface::Api;
    match (who, page) {
        (Who::As(role), false) => {
            req = req.bearer_auth(&app.account(role).token);
        }
        (Who::As(_), true) => {
            if let Some(s) = session {
                req = req.header("cookie", &s.cookie);
            }
        }
        (Who::Anonymous, _) => {}
    }
    let csrf = session.map(|s| s.csrf.clone()).unwrap_or_default();
    if r.method == Method::POST {
        if r.path.ends_with("/import") || r.path.ends_with("/imports") {
            let file = reqwest::multipart::Part::bytes(example_csv(1)).file_name("scan.csv");
            let mut form = reqwest::multipart::Form::new();
            if page {
                form = form.text("csrf", csrf).text("dry_run", "on");
            }
            req = req.multipart(form.part("file", file));
        } else if r.path.ends_with("/send") && !page {
            req = req.json(&serde_json::json!({ "to": ["directie@test.example"] }));
        } else if r.path.ends_with("/send") {
            req = req.form(&[("csrf", csrf.as_str()), ("to", "directie@test.example")]);
        } else if r.path.ends_with("/scans") {
            req = req.form(&[("csrf", csrf.as_str()), ("year", "2030")]);
        } else if r.path.ends_with("/settings") {
            req = req.form(&[("csrf", csrf.as_str()), ("sector", "CAW"), ("staff", "30")]);
        } else if r.path.ends_with("/contacts") {
            req = req.form(&[("csrf", csrf.as_str()), ("email", "matrix@caw.example")]);
        } else if r.path.ends_with("/imports/undo") {
            req = req.form(&[("csrf", csrf.as_str()), ("id", "999999")]);
        } else if r.path.ends_with("/contacts/remove") {
            req = req.form(&[("csrf", csrf.as_str()), ("email", "nobody@caw.example")]);
        } else if r.path.starts_with("/admin/") {
            req = req.form(&admin_form(app, r.path, &csrf));
        } else {
            req = req.form(&[("csrf", csrf.as_str())]);
        }
    }
    if r.method == Method::PUT && r.path.ends_with("/advice") {
        req = req.json(&advice_body()).header("if-match", "*");
    }
    if r.method == Method::PATCH && r.path.ends_with("/advice") {
        req = req
            .json(&serde_json::json!({ "summary": "Nieuw" }))
            .header("if-match", "*");
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    if status == 200 && r.surface == Surface::Page {
        // A page is HTML; the only other things the page surface serves are its style and icon,
        // PDFs, the SVG images of the report preview, the benchmark's CSV and the questionnaire.
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            [
                "text/html",
                "text/css",
                "text/csv",
                "application/pdf",
                "image/svg+xml",
                "application/vnd.openxmlformats"
            ]
            .iter()
            .any(|t| ct.starts_with(t)),
            "{} {url}: {ct}",
            r.method
        );
    }
    if status >= 400 {
        // Every refusal has the error shape of its surface.
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        if r.path.starts_with("/api/") {
            assert!(
                ct.starts_with("application/json"),
                "{} {url}: {ct}",
                r.method
            );
            let body: serde_json::Value = res.json().await.expect("json error");
            assert!(body["error"]["code"].is_string(), "{body}");
        } else {
            assert!(ct.starts_with("text/html"), "{} {url}: {ct}", r.method);
        }
    }
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let app = TestApp::start().await;
    seed_advice(&app).await;
    assert!(app.routes.len() >= 20, "the router records its routes");
    let mut failures = Vec::new();
    let mut checked = 0;
    let whos: Vec<Who> = std::iter::once(Who::Anonymous)
        .chain(Role::ALL.iter().map(|r| Who::As(*r)))
        .collect();
    for r in &app.routes {
        for &who in &whos {
            for tenant in [Tenant::Own, Tenant::Foreign] {
                // A fresh session per request: logging out ends one.
                let session = match who {
                    Who::As(role) if r.surface == Surface::Page => Some(app.login(role).await),
                    _ => None,
                };
                let want = expected(r, who, tenant);
                let got = call(&app, r, who, tenant, session.as_ref()).await;
                checked += 1;
                if got != want {
                    failures.push(format!(
                        "{} {} as {who:?} on {tenant:?}: want {want}, got {got}",
                        r.method, r.path
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Nothing of the dry runs was stored: one import per organisation, from the set-up.
    let imports = crate::support::queries::imports_count(&app.db).await;
    assert_eq!(imports, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_form_refuses_a_missing_or_wrong_csrf_token() {
    let app = TestApp::start().await;
    let session = app.login(Role::Admin).await;
    let c = TestApp::client();
    for r in app
        .routes
        .iter()
        .filter(|r| r.surface == Surface::Page && r.method == Method::POST)
    {
        for token in ["", "not-the-token"] {
            let url = app.url(&concrete(&app, r, Tenant::Own));
            let req = c.post(&url).header("cookie", &session.cookie);
            let req = if r.path.ends_with("/import") {
                let file = reqwest::multipart::Part::bytes(example_csv(2)).file_name("scan.csv");
                req.multipart(
                    reqwest::multipart::Form::new()
                        .text("csrf", token)
                        .part("file", file),
                )
            } else {
                req.form(&[("csrf", token), ("to", "directie@test.example")])
            };
            let res = req.send().await.expect("post");
            assert_eq!(res.status(), 403, "{} {url} with csrf `{token}`", r.method);
        }
    }
    assert_eq!(crate::support::queries::imports_count(&app.db).await, 2);
    let outbox = blendscan::db::outbox::list_outbox(&app.db, None)
        .await
        .expect("outbox");
    assert!(outbox.is_empty(), "nothing was queued");
}
