//! The web pages: server-rendered HTML (minijinja templates compiled into the binary), Dutch by
//! default with an English switch, no front-end build step. Every form carries the session's CSRF
//! token; the login form a double-submit token.

mod admin;
mod advice;
mod cycle;
mod federation;
mod imports;
mod reports;
mod scans;
mod views;

use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::{self, LANG_COOKIE, LOGIN_CSRF_COOKIE, Page, SESSION_COOKIE, Viewer};
use super::connections::PeerAddr;
use super::error::{AppError, Result};
use super::routes::{Routes, Surface};
use crate::accounts;
use crate::app::{App, LoginAttempt};
use crate::db;
use crate::domain::text::Lang;

pub use views::error_response;
use views::{Ctx, render};

pub fn routes(upload_limit: usize) -> Routes {
    use Method as M;
    use Surface::{Page as P, Public};
    Routes::default()
        .add(
            Public,
            M::GET,
            "/",
            "Start: to the organisations (or the login).",
            home,
        )
        .add(Public, M::GET, "/login", "The login form.", login_form)
        .add(Public, M::POST, "/login", "Log in.", login)
        .add(P, M::POST, "/logout", "Log out.", logout)
        .add(
            Public,
            M::GET,
            "/lang/{code}",
            "Switch the language of the pages (nl, en).",
            switch_lang,
        )
        .add(
            Public,
            M::GET,
            "/static/app.css",
            "The style sheet.",
            stylesheet,
        )
        .add(
            Public,
            M::GET,
            "/static/favicon.svg",
            "The icon of the pages.",
            favicon,
        )
        .merge(scans::routes(upload_limit))
        .merge(reports::routes())
        .merge(cycle::routes())
        .merge(imports::routes())
        .merge(federation::routes())
        .merge(admin::routes())
        .merge(advice::routes())
}

async fn home() -> Redirect {
    Redirect::to("/organisations")
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("app.css"),
    )
        .into_response()
}

async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("favicon.svg"),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only a path on this site is followed after login or a switch: it starts with one `/` (not
/// `//host` or `/\\host`), and neither it nor its percent-decoded form holds a control character,
/// white space or a backslash (browsers drop a tab or a newline, so `/%09/host` would leave the site).
pub fn local(next: Option<&str>) -> String {
    let fallback = || "/organisations".to_owned();
    let Some(n) = next else {
        return fallback();
    };
    let decoded = super::guard::percent_decoded(n);
    let clean = |s: &str| {
        s.starts_with('/')
            && !s[1..].starts_with(['/', '\\'])
            && !s
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    };
    if clean(n) && clean(&decoded) {
        n.to_owned()
    } else {
        fallback()
    }
}

async fn login_form(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response> {
    login_page(&app, &headers, q.next.as_deref(), None, StatusCode::OK).await
}

async fn login_page(
    app: &App,
    headers: &HeaderMap,
    next: Option<&str>,
    error: Option<(String, String)>,
    status: StatusCode,
) -> Result<Response> {
    let lang = auth::lang_of(headers);
    let token = app.login_form_token().await?;
    let ctx = Ctx::anonymous(lang, "/login");
    let html = render(
        "login.html",
        &ctx,
        minijinja::context! {
            login_csrf => token,
            next => local(next),
            error => error.map(|(nl, en)| if lang == Lang::En { en } else { nl }),
        },
    );
    let cookie = auth::set_cookie(
        LOGIN_CSRF_COOKIE,
        &token,
        accounts::LOGIN_FORM_SECONDS,
        auth::is_secure(app, headers),
    );
    Ok((status, [(header::SET_COOKIE, cookie)], html).into_response())
}

/// Every field may be missing, so that the CSRF check comes first and an
/// incomplete form gets the form back with a message instead of a parse error.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

/// The longest e-mail address and password a login form may carry.
const MAX_LOGIN_FIELD: usize = 1024;

async fn login(
    State(app): State<App>,
    ConnectInfo(PeerAddr(peer)): ConnectInfo<PeerAddr>,
    headers: HeaderMap,
    form: std::result::Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response> {
    let lang = auth::lang_of(&headers);
    let form = form.map(|Form(f)| f);
    let csrf = form.as_ref().map(|f| f.csrf.as_str()).unwrap_or("");
    // The form's token must be the one of its cookie (this browser fetched the form) and one this
    // installation issued within the hour (nobody can choose one).
    let expected = auth::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty()
        || !accounts::same_secret(expected, csrf)
        || !app.valid_login_form_token(csrf).await?
    {
        return Err(AppError::csrf());
    }
    let usable = |f: &LoginForm| {
        !f.email.trim().is_empty()
            && !f.password.is_empty()
            && f.email.len() <= MAX_LOGIN_FIELD
            && f.password.len() <= MAX_LOGIN_FIELD
            && !f.email.chars().any(char::is_control)
    };
    let form = match form {
        Ok(f) if usable(&f) => f,
        _ => {
            let msg = (
                "Vul e-mailadres en wachtwoord in.".to_owned(),
                "Fill in e-mail address and password.".to_owned(),
            );
            return login_page(&app, &headers, None, Some(msg), StatusCode::BAD_REQUEST).await;
        }
    };
    let attempt = LoginAttempt {
        email: &form.email,
        password: &form.password,
        lang: lang.code(),
        client: Some(peer.ip()),
    };
    let session = match app.login(&attempt).await {
        Ok(s) => s,
        Err(crate::app::Error::LoginThrottled { retry_after_secs }) => {
            let msg = (
                format!(
                    "Te veel verkeerde wachtwoorden. Probeer opnieuw over {retry_after_secs} seconden."
                ),
                format!("Too many wrong passwords. Try again in {retry_after_secs} seconds."),
            );
            let next = form.next.as_deref();
            let mut res = login_page(
                &app,
                &headers,
                next,
                Some(msg),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await?;
            if let Ok(v) = retry_after_secs.to_string().parse() {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return Ok(res);
        }
        Err(e) => return Err(e.into()),
    };
    Ok(match session {
        Some(session) => {
            let secure = auth::is_secure(&app, &headers);
            let ttl = app.settings().http.session_ttl.num_seconds();
            let mut res = Redirect::to(&local(form.next.as_deref())).into_response();
            let h = res.headers_mut();
            for c in [
                auth::set_cookie(SESSION_COOKIE, &session.cookie, ttl, secure),
                auth::set_cookie(LOGIN_CSRF_COOKIE, "", 0, secure),
            ] {
                if let Ok(v) = c.parse() {
                    h.append(header::SET_COOKIE, v);
                }
            }
            res
        }
        None => {
            let msg = (
                "Dit e-mailadres en wachtwoord horen niet bij elkaar.".to_owned(),
                "This e-mail address and password do not match.".to_owned(),
            );
            let next = form.next.as_deref();
            login_page(&app, &headers, next, Some(msg), StatusCode::UNAUTHORIZED).await?
        }
    })
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn logout(
    State(app): State<App>,
    headers: HeaderMap,
    Viewer(v): Viewer<Page>,
    Form(f): Form<CsrfForm>,
) -> Result<Response> {
    v.check_csrf(f.csrf.as_deref())?;
    db::accounts::delete_session(app.db(), v.session_id).await?;
    let cookie = auth::set_cookie(SESSION_COOKIE, "", 0, auth::is_secure(&app, &headers));
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

async fn switch_lang(
    State(app): State<App>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response> {
    let lang = match code.as_str() {
        "nl" | "en" => code,
        _ => return Err(AppError::bad_request("kies nl of en", "choose nl or en")),
    };
    let cookie = auth::set_cookie(
        LANG_COOKIE,
        &lang,
        365 * 86400,
        auth::is_secure(&app, &headers),
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&local(q.next.as_deref())),
    )
        .into_response())
}
