//! The web pages: server-rendered HTML (minijinja templates compiled into the binary), Dutch by
//! default with an English switch, no front-end build step. Every form carries the session's CSRF
//! token; the login form a double-submit token.

mod scans;
mod views;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::{self, LANG_COOKIE, LOGIN_CSRF_COOKIE, Page, SESSION_COOKIE, Viewer};
use super::error::{AppError, Result};
use super::routes::{Routes, Surface};
use crate::accounts;
use crate::app::App;
use crate::db;
use crate::domain::text::Lang;

pub use views::error_response;
use views::{Ctx, render};

pub fn routes() -> Routes {
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
        .merge(scans::routes())
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

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only a path on this site (`/…`, not `//host`) is followed after login or a switch.
fn local(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/organisations".to_owned(),
    }
}

async fn login_form(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    login_page(&app, &headers, q.next.as_deref(), None, StatusCode::OK)
}

fn login_page(
    app: &App,
    headers: &HeaderMap,
    next: Option<&str>,
    error: Option<(&str, &str)>,
    status: StatusCode,
) -> Response {
    let lang = auth::lang_of(headers);
    let token = accounts::random_secret();
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
        3600,
        auth::is_secure(app, headers),
    );
    (status, [(header::SET_COOKIE, cookie)], html).into_response()
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

async fn login(
    State(app): State<App>,
    headers: HeaderMap,
    form: std::result::Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response> {
    let lang = auth::lang_of(&headers);
    let form = form.map(|Form(f)| f);
    let csrf = form.as_ref().map(|f| f.csrf.as_str()).unwrap_or("");
    let expected = auth::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !accounts::same_secret(expected, csrf) {
        return Err(AppError::csrf());
    }
    let form = match form {
        Ok(f) if !f.email.trim().is_empty() && !f.password.is_empty() => f,
        _ => {
            return Ok(login_page(
                &app,
                &headers,
                None,
                Some((
                    "Vul e-mailadres en wachtwoord in.",
                    "Fill in e-mail address and password.",
                )),
                StatusCode::BAD_REQUEST,
            ));
        }
    };
    let ttl = app.settings().http.session_ttl;
    let session = accounts::login(app.db(), &form.email, &form.password, lang.code(), ttl).await?;
    Ok(match session {
        Some(session) => {
            let secure = auth::is_secure(&app, &headers);
            let ttl = ttl.num_seconds();
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
        None => login_page(
            &app,
            &headers,
            form.next.as_deref(),
            Some((
                "Dit e-mailadres en wachtwoord horen niet bij elkaar.",
                "This e-mail address and password do not match.",
            )),
            StatusCode::UNAUTHORIZED,
        ),
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
