//! Who is asking: the API takes bearer tokens (`Authorization: Bearer …`), the pages a session
//! cookie with a CSRF token for every form. [`Front`] says which a route uses; [`Viewer`] extracts
//! the account for routes without an organisation.

use std::future::Future;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::error::AppError;
use crate::accounts;
use crate::app::App;
use crate::domain::access::Principal;
use crate::domain::text::Lang;

pub const SESSION_COOKIE: &str = "blendscan_session";
pub const LANG_COOKIE: &str = "blendscan_lang";
/// The double-submit token of the login form (there is no session yet to hold one).
pub const LOGIN_CSRF_COOKIE: &str = "blendscan_login";

/// A logged-in reader of the pages.
#[derive(Debug, Clone)]
pub struct PageViewer {
    pub principal: Principal,
    pub session_id: i32,
    pub csrf: String,
    pub lang: Lang,
}

impl PageViewer {
    /// Refuse a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, token: Option<&str>) -> Result<(), AppError> {
        match token {
            Some(t) if accounts::same_secret(t, &self.csrf) => Ok(()),
            _ => Err(AppError::csrf()),
        }
    }
}

/// How a family of routes authenticates.
pub trait Front: Send + Sync + 'static {
    type Viewer: Clone + Send + Sync + 'static;
    fn viewer(
        parts: &mut Parts,
        app: &App,
    ) -> impl Future<Output = Result<Self::Viewer, Response>> + Send;
    fn principal(viewer: &Self::Viewer) -> &Principal;
}

/// `/api/v1`: bearer tokens, JSON errors.
pub struct Api;
/// The web pages: session cookies, HTML errors.
pub struct Page;

impl Front for Api {
    type Viewer = Principal;

    async fn viewer(parts: &mut Parts, app: &App) -> Result<Principal, Response> {
        let token =
            bearer(&parts.headers).ok_or_else(|| AppError::unauthorized().into_response())?;
        match accounts::authenticate_token(app.db(), token).await {
            Ok(Some(p)) => Ok(p),
            Ok(None) => Err(AppError::unauthorized().into_response()),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }

    fn principal(viewer: &Principal) -> &Principal {
        viewer
    }
}

impl Front for Page {
    type Viewer = PageViewer;

    async fn viewer(parts: &mut Parts, app: &App) -> Result<PageViewer, Response> {
        let lang = lang_of(&parts.headers);
        let session = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(c) => accounts::session(app.db(), c)
                .await
                .map_err(|e| AppError::from(e).into_response())?,
            None => None,
        };
        match session {
            Some(s) => Ok(PageViewer {
                principal: s.principal,
                session_id: s.id,
                csrf: s.csrf_token,
                lang,
            }),
            // A page read without a session leads to the login; a form sent with an expired one
            // is refused, and nothing it carried is kept.
            None if parts.method == Method::GET => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned();
                let to = format!(
                    "/login?next={}",
                    url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                Err(Redirect::to(&to).into_response())
            }
            None => Err(AppError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "unauthorized",
                "uw sessie is verlopen: meld u opnieuw aan; er is niets bewaard",
                "your session has expired: log in again; nothing was stored",
            )
            .into_response()),
        }
    }

    fn principal(viewer: &PageViewer) -> &Principal {
        &viewer.principal
    }
}

/// The account behind a request, for routes that name no organisation.
pub struct Viewer<F: Front>(pub F::Viewer);

impl<F: Front> FromRequestParts<App> for Viewer<F> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        F::viewer(parts, app).await.map(Viewer)
    }
}

impl<F: Front> OptionalFromRequestParts<App> for Viewer<F> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Option<Self>, Response> {
        Ok(F::viewer(parts, app).await.ok().map(Viewer))
    }
}

/// The token of `Authorization: Bearer …`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// A cookie's value.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The language of the pages: the switch's cookie, else the browser's preference, else Dutch.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG_COOKIE) {
        Some("en") => return Lang::En,
        Some("nl") => return Lang::Nl,
        _ => {}
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let first = accept
        .split(',')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if first.starts_with("en") {
        Lang::En
    } else {
        Lang::Nl
    }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure when the site is served over TLS.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Is the site served over TLS (directly configured, or by a proxy that says so)?
pub fn is_secure(app: &App, headers: &HeaderMap) -> bool {
    app.settings().http.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}
