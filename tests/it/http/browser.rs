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

struct Driver(Child);

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
async fn browser(profile: &std::path::Path) -> (Driver, Client) {
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

async fn shoot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    let path = screenshots().join(name);
    std::fs::write(&path, png).expect("write screenshot");
    println!("screenshot: {}", path.display());
}

/// Click what `css` finds and wait until the browser has left the page (its `<html>` is gone), so
/// that what is read next is from the new page.
async fn click_and_load(c: &Client, css: &str) {
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

async fn text_of(c: &Client, css: &str) -> String {
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
