//! The service on port 0 for tests: its own database (SQLite file or PostgreSQL database), e-mail to
//! `.eml` files or to a loopback SMTP server, two tenants and an account of every role.

use blendscan::accounts::{self, UserRequest};
use blendscan::app::App;
use blendscan::db::{self, NewOrganisation};
use blendscan::domain::access::Role;
use blendscan::http::RouteInfo;
use blendscan::http::health::Lifecycle;
use blendscan::mail::MailSettings;
use blendscan::startup::Application;
use sea_orm::DatabaseConnection;
use tokio::sync::oneshot;

use crate::import::import_bytes;
use crate::scoring::example_csv;
use crate::support::TestDb;

pub const YEAR: i32 = 2026;
pub const PASSWORD: &str = "correct horse battery";

/// The roles of the matrix, plus no account at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    As(Role),
}

pub struct Account {
    pub email: String,
    pub token: String,
}

pub struct TestApp {
    pub base: String,
    pub db: DatabaseConnection,
    /// The database's URL, for running the CLI on it.
    pub db_url: String,
    pub routes: Vec<RouteInfo>,
    /// The organisation every account but the admin's belongs to, and one of another federation.
    pub own_org: String,
    pub foreign_org: String,
    pub own_fed: String,
    pub foreign_fed: String,
    pub accounts: Vec<(Role, Account)>,
    /// Tells `/ready` the service is stopping.
    pub life: Lifecycle,
    _outbox_dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    _t: TestDb,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub struct Options {
    pub upload_limit: usize,
    /// `smtp://127.0.0.1:PORT` of a test server; `None`: `.eml` files.
    pub smtp: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            upload_limit: 50 << 20,
            smtp: None,
        }
    }
}

impl TestApp {
    pub async fn start() -> TestApp {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(opts: Options) -> TestApp {
        let t = TestDb::new().await;
        let db = t.connect().await;
        let own_fed = "Koepel Een".to_owned();
        let foreign_fed = "Koepel Twee".to_owned();
        let mut slugs = Vec::new();
        for (name, fed) in [("CAW Eigen", &own_fed), ("CAW Vreemd", &foreign_fed)] {
            let org = db::organisations::add_organisation(
                &db,
                &NewOrganisation {
                    name: name.into(),
                    sector: Some("CAW".into()),
                    federation: Some(fed.clone()),
                    staff_headcount: Some(40),
                },
            )
            .await
            .expect("organisation");
            let report =
                import_bytes(&db, &org.slug, YEAR, "scan.csv", &example_csv(0), false).await;
            assert!(report.is_ok(), "the example imports");
            slugs.push(org.slug);
        }
        let (own_org, foreign_org) = (slugs[0].clone(), slugs[1].clone());
        // Management contacts: an account sends a report to these (and to allowed domains) only.
        for slug in &slugs {
            for email in ["directie@caw.example", "directie@test.example"] {
                blendscan::mail::contacts::add_contact(&db, slug, email, Some("Directie"), None)
                    .await
                    .expect("contact");
            }
        }
        let mut accounts = Vec::new();
        for role in Role::ALL {
            let email = format!("{}@test.example", role.code());
            let req = UserRequest {
                email: email.clone(),
                role,
                organisations: match role {
                    Role::Coordinator | Role::Counsellor => vec![own_org.clone()],
                    _ => vec![],
                },
                federation: (role == Role::Federation).then(|| own_fed.clone()),
                password: PASSWORD.into(),
            };
            accounts::add_user(&db, &req).await.expect("user");
            let token = accounts::create_token(&db, &email).await.expect("token");
            accounts.push((role, Account { email, token }));
        }
        let outbox_dir = tempfile::tempdir().expect("outbox dir");
        let from = "Kwaliteit <kwaliteit@test.example>".parse().expect("from");
        let mail = match &opts.smtp {
            Some(url) => MailSettings::smtp(url, from).expect("smtp"),
            None => MailSettings::file(outbox_dir.path(), from),
        };
        let mut settings = crate::support::settings(&t.url);
        settings.mail = mail;
        settings.http.upload_limit = opts.upload_limit;
        settings.http.bind = "127.0.0.1:0".into();
        let app = Application::serve(App::with_database(db.clone(), settings).expect("app"))
            .await
            .expect("build");
        let base = format!("http://127.0.0.1:{}", app.port());
        let routes = app.routes().to_vec();
        let life = app.lifecycle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        TestApp {
            base,
            db,
            db_url: t.url.clone(),
            routes,
            own_org,
            foreign_org,
            own_fed: blendscan::db::federations::slugify(&own_fed),
            foreign_fed: blendscan::db::federations::slugify(&foreign_fed),
            accounts,
            life,
            _outbox_dir: outbox_dir,
            stop: Some(stop),
            _t: t,
        }
    }

    pub fn account(&self, role: Role) -> &Account {
        &self
            .accounts
            .iter()
            .find(|(r, _)| *r == role)
            .expect("account")
            .1
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `GET path` on the API as `role` (with its bearer token).
    pub async fn api_get(&self, role: Role, path: &str) -> reqwest::Response {
        Self::client()
            .get(self.url(path))
            .bearer_auth(&self.account(role).token)
            .send()
            .await
            .expect("GET on the API")
    }

    /// A request on the API as `role`, to finish and send (`.json(…)`, `.multipart(…)`, …).
    pub fn api(&self, role: Role, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        Self::client()
            .request(method, self.url(path))
            .bearer_auth(&self.account(role).token)
    }

    /// One login attempt through the form (fetched first, as a browser does); the response.
    pub async fn attempt_login(&self, email: &str, password: &str) -> reqwest::Response {
        let c = Self::client();
        let form = c.get(self.url("/login")).send().await.expect("login page");
        let cookie = cookie_of(&form, "blendscan_login").expect("login csrf cookie");
        let html = form.text().await.expect("html");
        let csrf = hidden(&html, "csrf").expect("csrf field");
        c.post(self.url("/login"))
            .header("cookie", format!("blendscan_login={cookie}"))
            .form(&[
                ("email", email),
                ("password", password),
                ("csrf", csrf.as_str()),
            ])
            .send()
            .await
            .expect("login")
    }

    /// `GET path` of the pages in `session`.
    pub async fn page_get(&self, session: &Session, path: &str) -> reqwest::Response {
        Self::client()
            .get(self.url(path))
            .header("cookie", &session.cookie)
            .send()
            .await
            .expect("GET of a page")
    }

    /// A form sent to `path` in `session`, with the session's CSRF token added.
    pub async fn page_post(
        &self,
        session: &Session,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", session.csrf.as_str()));
        Self::client()
            .post(self.url(path))
            .header("cookie", &session.cookie)
            .form(&form)
            .send()
            .await
            .expect("POST of a form")
    }

    /// A client that follows no redirects and keeps no cookies (tests set them).
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Log in through the form; returns the session cookie (`name=value`) and the CSRF token of
    /// the session's pages.
    pub async fn login(&self, role: Role) -> Session {
        let c = Self::client();
        let form = c.get(self.url("/login")).send().await.expect("login page");
        assert_html(&form);
        let login_cookie = cookie_of(&form, "blendscan_login").expect("login csrf cookie");
        let html = form.text().await.expect("html");
        let csrf = hidden(&html, "csrf").expect("csrf field");
        let res = c
            .post(self.url("/login"))
            .header("cookie", format!("blendscan_login={login_cookie}"))
            .form(&[
                ("email", self.account(role).email.as_str()),
                ("password", PASSWORD),
                ("csrf", csrf.as_str()),
                ("next", "/organisations"),
            ])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 303, "login as {role:?}");
        let session = cookie_of(&res, "blendscan_session").expect("session cookie");
        let cookie = format!("blendscan_session={session}");
        let page = c
            .get(self.url("/organisations"))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("organisations");
        assert_eq!(page.status(), 200);
        assert_html(&page);
        let csrf = hidden(&page.text().await.expect("html"), "csrf").expect("csrf in the page");
        Session { cookie, csrf }
    }
}

pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// The value of a `Set-Cookie` of a response.
pub fn cookie_of(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}

/// A page goes out as HTML (a browser shows anything else as text).
pub fn assert_html(res: &reqwest::Response) {
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(ct.starts_with("text/html"), "{}: {ct}", res.url());
}

/// The value of a hidden input.
pub fn hidden(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle)? + needle.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}
