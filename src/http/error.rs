//! One error type for every handler. The API answers `{"error": {"code", "message": {"nl", "en"}}}`
//! with a stable `code`; pages answer with an HTML page in the reader's language. Database and
//! other unexpected errors become an opaque 500 that is logged in full.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::db::DbError;
use crate::domain::text::{Lang, Text};
use crate::import::RunError;
use crate::mail::MailError;
use crate::report::ReportError;

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    /// Stable, machine-readable: `unauthorized`, `forbidden`, `not_found`, `invalid_request`, …
    pub code: &'static str,
    pub message: Text,
    pub details: Option<serde_json::Value>,
    /// Answer with an HTML page in this language (pages), else JSON (the API).
    pub page: Option<Lang>,
}

fn text(nl: impl Into<String>, en: impl Into<String>) -> Text {
    Text {
        nl: nl.into(),
        en: en.into(),
    }
}

impl AppError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        nl: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            message: text(nl, en),
            details: None,
            page: None,
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "aanmelden is nodig: geef een geldig token (Authorization: Bearer …) of meld u aan",
            "authentication required: give a valid token (Authorization: Bearer …) or log in",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "uw account mag dit niet",
            "your account may not do this",
        )
    }

    pub fn not_found(what_nl: &str, what_en: &str, key: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what_nl} `{key}` bestaat niet (of is niet zichtbaar voor u)"),
            format!("{what_en} `{key}` does not exist (or is not visible to you)"),
        )
    }

    pub fn bad_request(nl: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", nl, en)
    }

    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "het formulier is verlopen of komt niet van deze site: laad de pagina opnieuw",
            "the form has expired or does not come from this site: reload the page",
        )
    }

    /// An unexpected failure: logged in full, answered without detail.
    pub fn internal(err: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %err, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "er ging iets mis op de server; het is gelogd",
            "something went wrong on the server; it has been logged",
        )
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// Answer as a page in `lang`.
    pub fn on_page(mut self, lang: Lang) -> Self {
        self.page = Some(lang);
        self
    }

    pub fn body(&self) -> serde_json::Value {
        let mut v = json!({
            "error": {
                "code": self.code,
                "message": { "nl": self.message.nl, "en": self.message.en },
            }
        });
        if let Some(d) = &self.details {
            v["details"] = d.clone();
        }
        v
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = match self.page {
            Some(lang) => {
                let html = super::pages::error_page(lang, self.status, self.message.get(lang));
                (self.status, html).into_response()
            }
            None => (self.status, Json(self.body())).into_response(),
        };
        if self.status == StatusCode::UNAUTHORIZED && self.page.is_none() {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"blendscan\""),
            );
        }
        res
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound { what, key } => AppError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{what} `{key}` bestaat niet"),
                format!("{what} `{key}` does not exist"),
            ),
            DbError::Invalid(m) => AppError::bad_request(m.clone(), m),
            other => AppError::internal(&other),
        }
    }
}

impl From<ReportError> for AppError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::NotFound(m) => {
                AppError::new(StatusCode::NOT_FOUND, "not_found", m.clone(), m)
            }
            ReportError::Invalid(m) | ReportError::UnknownKind(m) => {
                AppError::bad_request(m.clone(), m)
            }
            ReportError::Db(d) => d.into(),
            other => AppError::internal(&other),
        }
    }
}

impl From<MailError> for AppError {
    fn from(e: MailError) -> Self {
        match e {
            MailError::InvalidAddress { .. } | MailError::UnsupportedKind(_) => {
                let m = e.to_string();
                AppError::bad_request(m.clone(), m)
            }
            MailError::NoRecipients(_) => {
                let m = e.to_string();
                AppError::new(StatusCode::CONFLICT, "no_recipients", m.clone(), m)
            }
            MailError::UnknownOrganisation(_) => {
                let m = e.to_string();
                AppError::new(StatusCode::NOT_FOUND, "not_found", m.clone(), m)
            }
            MailError::Db(d) => d.into(),
            MailError::Report(r) => r.into(),
            other => AppError::internal(&other),
        }
    }
}

impl From<RunError> for AppError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Db(d) => d.into(),
            other => AppError::internal(&other),
        }
    }
}
