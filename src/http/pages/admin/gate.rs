//! Who may use the admin pages (the installation's own records: accounts, organisations, tokens,
//! the outbox), and
//! what they answer after a change. The decision is `domain::access`'s; this file only enforces it.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::super::super::auth::{Page, PageViewer, Viewer};
use super::super::super::error::AppError;
use crate::app::App;
use crate::domain::access::Decision;

/// A signed-in admin, on a page.
pub struct Admin(pub PageViewer);

impl FromRequestParts<App> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let Viewer(v) = Viewer::<Page>::from_request_parts(parts, app).await?;
        match v.principal.installation() {
            Decision::Allow => Ok(Admin(v)),
            _ => Err(AppError::forbidden().into_response()),
        }
    }
}

/// What was just done, shown once above the list it changed. Only these fixed codes are read
/// from the address, so nobody can make a page say something of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Done {
    Saved,
    Disabled,
    Enabled,
    Removed,
    Revoked,
    Retried,
    Added,
    Changed,
    ContactSaved,
    ContactRemoved,
}

impl Done {
    /// The sentence for the page, Dutch and English.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Done::Saved => ("Het account is bewaard.", "The account was saved."),
            Done::Disabled => (
                "Het account is uitgeschakeld: de sessies zijn beëindigd en de API-tokens ingetrokken.",
                "The account was disabled: its sessions ended and its API tokens were revoked.",
            ),
            Done::Enabled => (
                "Het account is weer ingeschakeld. Ingetrokken API-tokens blijven ingetrokken.",
                "The account was enabled again. Revoked API tokens stay revoked.",
            ),
            Done::Removed => (
                "Het account is verwijderd, met zijn sessies, tokens en organisatiekoppelingen.",
                "The account was removed, with its sessions, tokens and organisation links.",
            ),
            Done::Revoked => (
                "Het API-token is ingetrokken.",
                "The API token was revoked.",
            ),
            Done::Retried => (
                "Het bericht staat opnieuw in de wachtrij.",
                "The message is queued again.",
            ),
            Done::Added => (
                "De organisatie is toegevoegd. Voeg nu haar contactpersonen toe.",
                "The organisation was added. Now add its contacts.",
            ),
            Done::Changed => ("De organisatie is bewaard.", "The organisation was saved."),
            Done::ContactSaved => ("De contactpersoon is bewaard.", "The contact was saved."),
            Done::ContactRemoved => (
                "De contactpersoon is verwijderd.",
                "The contact was removed.",
            ),
        }
    }
}

/// `?done=…` on a list page.
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    pub done: Option<Done>,
}

/// After a change: back to the list, which says what happened (a refresh does not repeat it).
pub fn done(path: &str, what: Done) -> Redirect {
    let code = serde_json::to_value(what)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    Redirect::to(&format!("{path}?done={code}"))
}

/// A form that names no record.
pub fn missing_id() -> AppError {
    AppError::bad_request(
        "het formulier noemt geen nummer",
        "the form names no number",
    )
}
