//! The pages in a real browser: headless Chromium driven through chromedriver (Debian's
//! `chromium` and `chromium-driver`, installed by `scripts/install-deps.sh`). A quality coordinator
//! logs in, uploads a fixture spreadsheet, reads the import report, opens the dashboard, downloads
//! the PDF and sends it to a loopback SMTP server. Screenshots go to
//! `$CARGO_TARGET_TMPDIR/screenshots/`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use blendscan::domain::access::Role;
use fantoccini::{Client, ClientBuilder, Locator};
use mail_parser::{MessageParser, MimeHeaders};

use crate::mail::server::SmtpServer;
use crate::support::service::{Options, PASSWORD, TestApp, YEAR};

pub(super) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

/// Start chromedriver and a headless Chromium session.
pub(super) async fn browser(profile: &std::path::Path) -> (Driver, Client) {
    let port = free_port();
    let driver =
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver; run scripts/install-deps.sh)");
    let driver = Driver(driver);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,1000", "--lang=nl-BE",
                format!("--user-data-dir={}", profile.display()),
            ],
            // Headless Chromium ignores --lang for Accept-Language; a Flemish coordinator's browser
            // asks for Dutch.
            "prefs": { "intl.accept_languages": "nl-BE,nl" },
        }),
    );
    // chromedriver is on loopback: plain HTTP, no TLS stack needed.
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session");
    (driver, client)
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// A screenshot of the page as it is, and axe-core's check of it (see [`axe`]).
pub(super) async fn shoot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    let path = screenshots().join(name);
    std::fs::write(&path, png).expect("write screenshot");
    println!("screenshot: {}", path.display());
    axe(c, name).await;
}

/// axe-core's source, installed by `scripts/install-deps.sh` (npm, pinned).
fn axe_source() -> String {
    let path = std::env::var("BLENDSCAN_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            let home = std::env::var("HOME").unwrap_or_else(|_| ".".into());
            PathBuf::from(home).join(".cache/blendscan-npm/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core at {}: {e} (run scripts/install-deps.sh)",
            path.display()
        )
    })
}

/// Run axe-core inside the page (WCAG 2.1 A and AA rules and best practices) and fail on any
/// violation, naming the rule and the elements.
async fn axe(c: &Client, page: &str) {
    let inject = format!("{}\nreturn typeof axe;", axe_source());
    let kind = c.execute(&inject, vec![]).await.expect("inject axe-core");
    assert_eq!(kind, "object", "axe-core is loaded");
    let result = c
        .execute(
            "return axe.run(document, { runOnly: { type: 'tag', values: \
             ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }) \
             .then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, \
             nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) })));",
            vec![],
        )
        .await
        .expect("axe.run");
    let violations = result.as_array().cloned().unwrap_or_default();
    assert!(
        violations.is_empty(),
        "axe-core on {page}: {}",
        serde_json::to_string_pretty(&violations).unwrap_or_default()
    );
}

/// Click what `css` finds and wait until the browser has left the page (its `<html>` is gone), so
/// that what is read next is from the new page.
pub(super) async fn click_and_load(c: &Client, css: &str) {
    let old = c.find(Locator::Css("html")).await.expect("the page");
    c.find(Locator::Css(css))
        .await
        .expect(css)
        .click()
        .await
        .expect("click");
    let started = Instant::now();
    while old.tag_name().await.is_ok() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{css}: no new page"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(super) async fn text_of(c: &Client, css: &str) -> String {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_uploads_reads_the_dashboard_downloads_and_sends_in_chromium() {
    let smtp = SmtpServer::start();
    let app = TestApp::start_with(Options {
        smtp: Some(smtp.url()),
        ..Options::default()
    })
    .await;
    let profile = tempfile::tempdir().expect("profile");
    let (_driver, c) = browser(profile.path()).await;
    let org = app.own_org.clone();

    // Log in: the login page in Dutch, then the organisations.
    c.goto(&app.url(&format!("/organisations/{org}/scans/2025/import")))
        .await
        .expect("goto");
    c.wait()
        .for_element(Locator::Css("input#email"))
        .await
        .expect("login form")
        .send_keys(&app.account(Role::Coordinator).email)
        .await
        .expect("email");
    c.find(Locator::Css("input#password"))
        .await
        .expect("password")
        .send_keys(PASSWORD)
        .await
        .expect("type");
    click_and_load(&c, "form button[type=submit]").await;

    // Back where we wanted to go: the upload of a real MS Forms export.
    let heading = text_of(&c, "main h1").await;
    assert!(heading.contains("Vragenlijst importeren"), "{heading}");
    let fixture = format!(
        "{}/tests/fixtures/msforms_nl.xlsx",
        env!("CARGO_MANIFEST_DIR")
    );
    c.find(Locator::Css("input#file"))
        .await
        .expect("file input")
        .send_keys(&fixture)
        .await
        .expect("choose file");
    click_and_load(&c, "form[enctype] button[type=submit]").await;
    let report = text_of(&c, "#import-report").await;
    assert!(
        report.contains("Bewaard"),
        "the import report says it is stored: {report}"
    );
    assert!(report.contains("respondenten"), "{report}");
    shoot(&c, "upload.png").await;

    // A broken file: the report names the cells, nothing is stored.
    c.goto(&app.url(&format!("/organisations/{org}/scans/2025/import")))
        .await
        .expect("goto");
    let broken = format!(
        "{}/tests/fixtures/broken_out_of_scale.xlsx",
        env!("CARGO_MANIFEST_DIR")
    );
    c.wait()
        .for_element(Locator::Css("input#file"))
        .await
        .expect("file input")
        .send_keys(&broken)
        .await
        .expect("choose");
    click_and_load(&c, "form[enctype] button[type=submit]").await;
    let report = text_of(&c, "#import-report").await;
    assert!(report.contains("Er is niets bewaard"), "{report}");
    assert!(
        report.contains('!'),
        "cell references like Blad1!F17: {report}"
    );
    shoot(&c, "upload-errors.png").await;

    // The dashboard of this year, with last year's scan for a trend.
    c.goto(&app.url(&format!("/organisations/{org}/scans/{YEAR}")))
        .await
        .expect("goto");
    let index = text_of(&c, ".index").await;
    assert!(
        index.contains("Readiness-index") && index.contains("/100"),
        "{index}"
    );
    let cards = c
        .find_all(Locator::Css("article.aspect"))
        .await
        .expect("cards");
    assert_eq!(cards.len(), 9, "a card per aspect");
    assert!(
        c.find(Locator::Css("svg.radar polygon.area")).await.is_ok(),
        "the radar"
    );
    assert!(
        text_of(&c, ".priorities").await.contains("R"),
        "priorities with recommendations"
    );
    shoot(&c, "dashboard.png").await;
    c.set_window_size(820, 1180).await.expect("tablet");
    shoot(&c, "dashboard-tablet.png").await;
    c.set_window_size(1280, 1000).await.expect("laptop");

    // The English switch.
    click_and_load(&c, "a[lang=en]").await;
    assert!(text_of(&c, ".index").await.contains("Readiness index"));
    click_and_load(&c, "a[lang=nl]").await;

    // The report page; download the PDF with the browser's session.
    c.goto(&app.url(&format!(
        "/organisations/{org}/scans/{YEAR}/reports/selfscan"
    )))
    .await
    .expect("goto");
    let href = c
        .wait()
        .for_element(Locator::Css("a#download"))
        .await
        .expect("download link")
        .attr("href")
        .await
        .expect("attr")
        .expect("href");
    // The preview shows the first page as an image a tablet can display.
    let loaded = c
        .execute(
            "const i = document.querySelector('img.page'); \
             return new Promise(r => { if (i.complete) r(i.naturalWidth); \
             else { i.onload = () => r(i.naturalWidth); i.onerror = () => r(0); } });",
            vec![],
        )
        .await
        .expect("script");
    assert!(
        loaded.as_f64().is_some_and(|w| w > 100.0),
        "the first preview page loads: {loaded}"
    );
    shoot(&c, "report.png").await;
    let session = c
        .get_named_cookie("blendscan_session")
        .await
        .expect("session cookie");
    let pdf = TestApp::client()
        .get(app.url(&href))
        .header("cookie", format!("blendscan_session={}", session.value()))
        .send()
        .await
        .expect("download");
    assert_eq!(pdf.status(), 200);
    assert!(
        pdf.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains(".pdf")
    );
    let pdf = pdf.bytes().await.expect("bytes");
    assert!(pdf.starts_with(b"%PDF-"));

    // Send it to management through the loopback SMTP server.
    c.find(Locator::Css("input#to"))
        .await
        .expect("to")
        .send_keys("directie@caw.example")
        .await
        .expect("type");
    click_and_load(&c, ".send button[type=submit]").await;
    let status = text_of(&c, "#delivery").await;
    assert!(
        status.contains("directie@caw.example") && status.contains("verstuurd"),
        "{status}"
    );
    let page = text_of(&c, "main").await;
    assert!(
        !page.split_whitespace().any(|w| w == "sent"),
        "every status in Dutch: {page}"
    );
    let received = smtp.received();
    assert_eq!(received.len(), 1, "one message reached the server");
    let msg = MessageParser::default()
        .parse(&received[0].data)
        .expect("parses");
    let attachment = msg.attachments().next().expect("the PDF is attached");
    assert!(
        attachment
            .attachment_name()
            .is_some_and(|n| n.ends_with("zelfscan.pdf"))
    );
    assert!(attachment.contents().starts_with(b"%PDF-"));
    shoot(&c, "sent.png").await;
    c.close().await.expect("close");
}

/// Take a screenshot at a laptop's and a phone's width (each checked by axe-core).
pub(super) async fn shoot_both(c: &Client, name: &str) {
    shoot(c, &format!("{name}.png")).await;
    c.set_window_size(390, 844).await.expect("phone");
    shoot(c, &format!("{name}-390.png")).await;
    c.set_window_size(1280, 1000).await.expect("laptop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_disables_a_user_and_revokes_a_token_in_chromium() {
    let app = TestApp::start().await;
    let profile = tempfile::tempdir().expect("profile");
    let (_driver, c) = browser(profile.path()).await;

    c.goto(&app.url("/login")).await.expect("goto");
    shoot(&c, "login.png").await;
    log_in(&c, &app.account(Role::Admin).email).await;
    disable_a_user_and_revoke_a_token(&app, &c).await;
    c.close().await.expect("close");
}

/// Sign in on the login page that is open.
pub(super) async fn log_in(c: &Client, email: &str) {
    c.wait()
        .for_element(Locator::Css("input#email"))
        .await
        .expect("the login form")
        .send_keys(email)
        .await
        .expect("type");
    c.find(Locator::Css("input#password"))
        .await
        .expect("password")
        .send_keys(PASSWORD)
        .await
        .expect("type");
    click_and_load(c, "form button[type=submit]").await;
}

/// The admin, signed in: disables the coordinator, makes a token for the counsellor, sees it work,
/// revokes it and sees it refused; every admin page checked at both widths.
pub(super) async fn disable_a_user_and_revoke_a_token(app: &TestApp, c: &Client) {
    click_and_load(c, "header a[href='/admin']").await;
    assert!(text_of(c, "main h1").await.contains("Beheer"));
    shoot_both(c, "admin").await;

    // Disable the coordinator with the button in its row.
    click_and_load(c, ".subnav a[href='/admin/users']").await;
    shoot_both(c, "admin-users").await;
    let coordinator = app.account(Role::Coordinator).email.clone();
    let row = format!("tr[data-email='{coordinator}']");
    click_and_load(
        c,
        &format!("{row} form[action='/admin/users/disable'] button"),
    )
    .await;
    assert!(text_of(c, "[role=status]").await.contains("uitgeschakeld"));
    assert!(
        text_of(c, &format!("{row} .status"))
            .await
            .contains("uitgeschakeld sinds")
    );
    assert_eq!(
        app.attempt_login(&coordinator, PASSWORD).await.status(),
        401,
        "a disabled account cannot sign in"
    );

    // Make a token for the counsellor, see it once, use it, revoke it.
    click_and_load(c, ".subnav a[href='/admin/tokens']").await;
    let counsellor = app.account(Role::Counsellor).email.clone();
    c.find(Locator::Css(&format!(
        "select#email option[value='{counsellor}']"
    )))
    .await
    .expect("the counsellor in the list")
    .click()
    .await
    .expect("choose");
    c.find(Locator::Css("input#name"))
        .await
        .expect("name")
        .send_keys("koppeling")
        .await
        .expect("type");
    click_and_load(c, "form[action='/admin/tokens'] button[type=submit]").await;
    let token = c
        .find(Locator::Css("input#token"))
        .await
        .expect("the new token")
        .prop("value")
        .await
        .expect("value")
        .expect("a value");
    assert!(token.starts_with("bls_"), "{token}");
    shoot_both(c, "admin-token-made").await;
    let score = app.url(&format!(
        "/api/v1/organisations/{}/scans/{YEAR}/score",
        app.own_org
    ));
    let call = |t: String| {
        let url = score.clone();
        async move {
            TestApp::client()
                .get(url)
                .bearer_auth(t)
                .send()
                .await
                .expect("api")
                .status()
        }
    };
    assert_eq!(call(token.clone()).await, 200);
    let id = c
        .find(Locator::Css("#tokens tbody tr"))
        .await
        .expect("the newest token first")
        .attr("data-token")
        .await
        .expect("attr")
        .expect("an id");
    click_and_load(c, &format!("tr[data-token='{id}'] button")).await;
    assert!(
        text_of(c, &format!("tr[data-token='{id}'] .status"))
            .await
            .contains("ingetrokken")
    );
    assert_eq!(call(token).await, 401, "a revoked token no longer works");
    shoot_both(c, "admin-tokens").await;

    click_and_load(c, ".subnav a[href='/admin/outbox']").await;
    shoot_both(c, "admin-outbox").await;
}
