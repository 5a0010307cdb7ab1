//! The HTTP service: a JSON API under `/api/v1` (bearer tokens) and server-rendered web pages
//! (session cookies, CSRF tokens), both thin layers over the use cases of [`crate::app::App`]: a
//! handler extracts, calls the app and responds.
//!
//! - [`routes`] records every route; [`openapi`] documents the API from that record.
//! - [`auth`] says who is asking; [`scope`] decides, in one place, which organisation or federation
//!   they may touch (via `domain::access`).
//! - [`api`] and [`pages`] hold the handlers, [`shared`] what both do with a request; [`error`] the
//!   one error type. Handlers return `Result<_, AppError>`; [`respond_errors`] decides once whether
//!   an error becomes JSON or an HTML page.
//!
//! This file only puts the router together: no other file of `http` imports from it.

pub mod api;
pub mod auth;
pub mod connections;
pub mod error;
pub mod guard;
pub mod health;
pub mod openapi;
pub mod pages;
pub mod routes;
pub mod scope;
pub mod shared;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use routes::{RouteInfo, Routes, Surface};

use crate::app::App;
use error::{AppError, ErrorPage};

/// The whole application and the record of its routes; `life` tells `/ready` when it is stopping.
pub fn app(app: App, life: health::Lifecycle) -> (Router, Vec<RouteInfo>) {
    let upload_limit = app.settings().http.upload_limit;
    let timeout = app.settings().http.request_timeout;
    let (router, list) = app_routes(upload_limit);
    let router = router
        .fallback(not_found)
        // Inner to outer: the body limits and the timeout answer in plain text, which
        // `respond_errors` (outside them, inside compression) turns into JSON or a page.
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(upload_limit + (1 << 20)))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(middleware::from_fn(guard::refuse_unknown_lang))
        .layer(middleware::from_fn(guard::refuse_control_characters))
        .layer(middleware::from_fn(respond_errors))
        .layer(middleware::from_fn_with_state(
            guard::Hsts(app.settings().http.secure_cookies),
            guard::security_headers,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(axum::Extension(life))
        .with_state(app);
    (router, list)
}

/// The largest request body of a route that is not an upload (an advice is 1 MB at most).
pub const BODY_LIMIT: usize = 2 << 20;

/// Every route of the service, recorded; the OpenAPI document is built from that record. Upload
/// routes take bodies up to `upload_limit`, every other route up to [`BODY_LIMIT`].
pub fn app_routes(upload_limit: usize) -> (Router<App>, Vec<RouteInfo>) {
    let routes = Routes::default()
        .add(
            Surface::Public,
            Method::GET,
            "/health",
            "Is the service up and its database reachable? With the version.",
            health::health,
        )
        .add(
            Surface::Public,
            Method::GET,
            "/ready",
            "May this instance get requests: schema current, nothing pending, not stopping?",
            health::ready,
        )
        .merge(api::routes(upload_limit))
        .merge(pages::routes(upload_limit));
    let mut documented = routes.infos().to_vec();
    documented.push(openapi::route());
    let document = Bytes::from(
        serde_json::to_vec(&openapi::build(&documented)).unwrap_or_else(|_| b"{}".to_vec()),
    );
    routes
        .add(
            Surface::Public,
            Method::GET,
            openapi::PATH,
            openapi::SUMMARY,
            move || {
                let document = document.clone();
                async move { shared::bytes_response("application/json", document) }
            },
        )
        .into_parts()
}

async fn not_found() -> StatusCode {
    StatusCode::NOT_FOUND
}

/// The error layer, for every route. Rejections that axum and tower-http answer in plain text (a
/// malformed JSON body, a wrong content type, an upload over the limit, an unknown path, a timeout)
/// get the same shape as every other error; then an error of a page (anything outside `/api/`)
/// becomes an HTML page in the reader's language, an error of the API stays JSON.
async fn respond_errors(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let lang = auth::lang_of(req.headers());
    let mut res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    if res.extensions().get::<ErrorPage>().is_none() {
        res = normalise(res).await;
    }
    match res.extensions().get::<ErrorPage>().cloned() {
        Some(error) if !api => {
            let mut page = pages::error_response(lang, &error);
            for name in [header::CONNECTION, header::RETRY_AFTER] {
                if let Some(v) = res.headers().get(&name) {
                    page.headers_mut().insert(name, v.clone());
                }
            }
            page
        }
        _ => res,
    }
}

/// A plain-text error response (or an HTML or JSON one a handler made itself) as an [`AppError`].
async fn normalise(res: Response) -> Response {
    let status = res.status();
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/json") || content_type.starts_with("text/html") {
        return res;
    }
    let (_, body) = res.into_parts();
    let detail = axum::body::to_bytes(body, 16 << 10)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let (code, nl, en) = match status {
        StatusCode::NOT_FOUND => ("not_found", "deze pagina bestaat niet", "no such page"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "deze methode is hier niet toegestaan",
            "this method is not allowed here",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "de aanvraag duurde te lang",
            "the request took too long",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "het bestand of de aanvraag is groter dan de limiet",
            "the file or request is larger than the limit",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "dit type inhoud wordt hier niet aanvaard",
            "this content type is not accepted here",
        ),
        s if s.is_server_error() => ("internal", "er ging iets mis", "something went wrong"),
        _ => (
            "invalid_request",
            "de aanvraag is ongeldig",
            "the request is invalid",
        ),
    };
    let with = |m: &str| {
        if detail.is_empty() {
            m.to_owned()
        } else {
            format!("{m}: {detail}")
        }
    };
    let mut res = AppError::new(status, code, with(nl), with(en)).into_response();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        res.headers_mut().insert(
            header::CONNECTION,
            header::HeaderValue::from_static("close"),
        );
    }
    res
}
