//! What every request and response passes: requests whose path or query holds a control character
//! (NUL, CR, LF, …, also percent-encoded) are refused with 400 before any handler or query runs, and
//! every response gets the security headers and, unless it says otherwise, `Cache-Control: no-store`
//! (pages, PDFs and JSON hold an organisation's data).

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::AppError;

/// The security policy of every page: no script at all, styles from the site (and the inline style
/// attributes of the bars), no framing, forms only to the site.
const CSP: &str = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
                   frame-ancestors 'none'";

/// Whether `raw` (a path or query, percent-encoded) holds a control character.
pub fn has_control(raw: &str) -> bool {
    raw.chars().any(char::is_control) || percent_decoded(raw).chars().any(|c| c.is_control())
}

/// `raw` with every `%XX` decoded (the whole text: every parameter of a query, `+` left as it is).
pub fn percent_decoded(raw: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::percent_decode_str(raw).decode_utf8_lossy()
}

/// Refuse control characters in the path and query, before anything else looks at them.
pub async fn refuse_control_characters(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let bad = has_control(uri.path()) || uri.query().is_some_and(has_control);
    if bad {
        return AppError::bad_request(
            "het adres bevat een stuurteken (zoals NUL of een regeleinde)",
            "the address holds a control character (such as NUL or a line break)",
        )
        .into_response();
    }
    next.run(req).await
}

/// Refuse a `?lang=` other than `nl` or `en` on every route, with the same error, so no route
/// quietly ignores a language it cannot speak and none answers it differently.
pub async fn refuse_unknown_lang(req: Request, next: Next) -> Response {
    let query = req.uri().query().unwrap_or("");
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if name == "lang"
            && let Err(e) = super::shared::parse_lang(Some(&value))
        {
            return e.into_response();
        }
    }
    next.run(req).await
}

/// Whether responses should tell browsers to use HTTPS only (the site is served over TLS).
#[derive(Debug, Clone, Copy)]
pub struct Hsts(pub bool);

/// The security headers of every response, and `no-store` unless the response chose its caching.
pub async fn security_headers(State(hsts): State<Hsts>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    if hsts.0 {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_raw_and_percent_encoded() {
        for bad in [
            "/a\0b",
            "/%00",
            "/organisations/x%0Ay",
            "%09/evil",
            "a=%0d",
            "a=1&b=%00",
        ] {
            assert!(has_control(bad), "{bad}");
        }
        for good in [
            "/organisations/caw-de-brug",
            "lang=en",
            "/x%20y",
            "next=%2Forganisations",
        ] {
            assert!(!has_control(good), "{good}");
        }
    }
}
