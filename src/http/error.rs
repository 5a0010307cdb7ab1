//! One error type for every handler: `{"error": {"code", "message": {"nl", "en"}}, "details"?}` with a
//! stable `code`. Whether a reader gets that JSON or an HTML page in their language is decided once,
//! by the error layer (`http::respond_errors`), from the [`ErrorPage`] every error response carries.
//! Database and other unexpected errors become an opaque 500 that is logged in full.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::app;
use crate::domain::text::Text;
use crate::report::ReportError;

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    /// Stable, machine-readable: `unauthorized`, `forbidden`, `not_found`, `invalid_request`, …
    pub code: &'static str,
    pub message: Text,
    pub details: Option<serde_json::Value>,
    /// Seconds after which the client may try again (`Retry-After`), for 429 and 503.
    pub retry_after: Option<u64>,
}

/// Every error of the API, as JSON (the `Error` schema of the OpenAPI document).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorInfo,
    /// More about the error, where there is more: the import report of a refused file, the
    /// problems of a refused advice, the versions of a conflict, …
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub details: Option<serde_json::Value>,
}

/// What went wrong: a stable code and a message in Dutch and English.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorInfo {
    /// Stable, machine-readable: `unauthorized`, `forbidden`, `not_found`, `invalid_request`, …
    pub code: String,
    pub message: Text,
}

/// What an error page shows, carried on every error response for the error layer.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub message: Text,
}

/// The result of a handler.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

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
            retry_after: None,
        }
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
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

    /// A refusal a page says beside its form (which keeps what was typed): the message in the page's
    /// language and the status. A server error is not the user's to mend: it stays the error page.
    pub fn beside_form(self, lang: crate::domain::text::Lang) -> Result<(String, StatusCode)> {
        if self.status.is_server_error() {
            return Err(self);
        }
        Ok((self.message.get(lang).to_owned(), self.status))
    }

    pub fn bad_request(nl: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", nl, en)
    }

    pub fn unsupported_media_type(nl: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            nl,
            en,
        )
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

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorInfo {
                code: self.code.to_owned(),
                message: self.message.clone(),
            },
            details: self.details.clone(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(self.body())).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = header::HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"blendscan\""),
            );
        }
        res.extensions_mut().insert(ErrorPage {
            status: self.status,
            message: self.message,
        });
        res
    }
}

/// A use case's error in the service's words: a status, a stable code and a message in both
/// languages, naming what was asked for and never a command of the CLI.
impl From<app::Error> for AppError {
    fn from(e: app::Error) -> Self {
        use app::Error as E;
        let not_found =
            |nl: String, en: String| Self::new(StatusCode::NOT_FOUND, "not_found", nl, en);
        match e {
            E::NoOrganisation(slug) => Self::not_found("organisatie", "organisation", &slug),
            E::NoFederation(key) => Self::not_found("koepel", "federation", &key),
            E::NotFound { what, key } => {
                let nl = match what {
                    "user" => "account",
                    "API token" => "API-token",
                    "outbox message" | "outbox message with key" => "bericht",
                    "report" => "rapport",
                    "scan" => "scan",
                    other => other,
                };
                Self::not_found(nl, what, &key)
            }
            E::NoScan {
                organisation,
                year,
                years,
            } => {
                let list = years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                let (nl_years, en_years) = if years.is_empty() {
                    ("nog geen".to_owned(), "none yet".to_owned())
                } else {
                    (list.clone(), list)
                };
                not_found(
                    format!(
                        "organisatie `{organisation}` heeft geen scan voor {year} (scans: {nl_years})"
                    ),
                    format!(
                        "organisation `{organisation}` has no scan for {year} (its scans: {en_years})"
                    ),
                )
            }
            E::NoAdvice { organisation, year } => not_found(
                format!("er is nog geen advies bewaard voor de scan {year} van `{organisation}`"),
                format!("no advice is stored for the {year} scan of `{organisation}` yet"),
            ),
            E::AdviceConflict {
                organisation,
                year,
                given,
                current,
            } => {
                let (nl, en) = match current {
                    Some(v) => (
                        format!("het advies voor de scan {year} van `{organisation}` is intussen bewaard als versie {v}: haal het opnieuw op en pas uw wijziging daarop toe (If-Match: \"{v}\")"),
                        format!("the advice for the {year} scan of `{organisation}` has since been saved as version {v}: fetch it again and apply your change to it (If-Match: \"{v}\")"),
                    ),
                    None => (
                        format!("er is nog geen advies voor de scan {year} van `{organisation}`: maak het met If-None-Match: *"),
                        format!("there is no advice for the {year} scan of `{organisation}` yet: create it with If-None-Match: *"),
                    ),
                };
                Self::new(StatusCode::PRECONDITION_FAILED, "precondition_failed", nl, en)
                    .with_details(json!({ "current_version": current, "given_version": given }))
            }
            E::NoMemberScans { federation, year } => not_found(
                format!("geen lid van koepel `{federation}` heeft een scan voor {year}"),
                format!("no member of federation `{federation}` has a scan for {year}"),
            ),
            E::LoginBusy { retry_after_secs } => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "er worden nu te veel aanmeldingen gecontroleerd; probeer het zo opnieuw",
                "too many logins are being checked right now; try again shortly",
            )
            .retry_after(retry_after_secs),
            E::LoginThrottled { retry_after_secs } => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                format!("te veel verkeerde wachtwoorden; probeer opnieuw over {retry_after_secs} s"),
                format!("too many wrong passwords; try again in {retry_after_secs} s"),
            )
            .retry_after(retry_after_secs),
            E::RecipientNotAllowed { address } => Self::new(
                StatusCode::FORBIDDEN,
                "recipient_not_allowed",
                format!("`{address}` is geen contactpersoon van de organisatie en het domein staat niet op de lijst van de beheerder"),
                format!("`{address}` is not a contact of the organisation and its domain is not on the admin's list"),
            ),
            E::TooManyRecipients { count, max } => Self::bad_request(
                format!("{count} ontvangers: één verzending gaat naar hoogstens {max}"),
                format!("{count} recipients: one send goes to {max} at most"),
            ),
            E::SendLimit { queued, max } => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "send_limit",
                format!("dit account verstuurde de laatste 24 uur {queued} e-mails; {max} is het maximum"),
                format!("this account sent {queued} e-mails in the last 24 hours; {max} is the limit"),
            )
            .retry_after(3600),
            E::NoRecipients(org) => Self::new(
                StatusCode::CONFLICT,
                "no_recipients",
                format!(
                    "organisatie `{org}` heeft nog geen contactpersonen van de directie: voeg er een toe of geef adressen in `to`"
                ),
                format!(
                    "organisation `{org}` has no management contacts yet: add one, or give addresses in `to`"
                ),
            ),
            E::InvalidAddress { address, reason } => Self::bad_request(
                format!("`{address}` is geen geldig e-mailadres: {reason}"),
                format!("`{address}` is not a valid e-mail address: {reason}"),
            ),
            E::WrongSubject {
                kind,
                for_federation,
            } => {
                let (nl, en) = if for_federation {
                    ("een koepel", "a federation")
                } else {
                    ("een organisatie", "an organisation")
                };
                Self::bad_request(
                    format!("een {kind}-rapport wordt voor {nl} gemaakt"),
                    format!("a {kind} report is made for {en}"),
                )
            }
            E::NoMembership(org) => Self::new(
                StatusCode::CONFLICT,
                "no_membership",
                format!("organisatie `{org}` hoort bij geen koepel: een benchmark vergelijkt de leden van een koepel"),
                format!("organisation `{org}` belongs to no federation: a benchmark compares a federation's members"),
            ),
            E::NotMailed(kind) => Self::bad_request(
                format!(
                    "een {kind}-rapport wordt niet per e-mail verstuurd: kies selfscan of advice"
                ),
                format!("a {kind} report is not sent by e-mail: choose selfscan or advice"),
            ),
            E::AdviceRejected(a) => {
                use crate::report::advice::AdviceError as A;
                let problems = match a {
                    A::Invalid { problems, .. } => problems,
                    A::Syntax { reason, .. } => vec![reason],
                    A::Incomplete { missing } => {
                        let list = missing.join(", ");
                        return Self::new(
                            StatusCode::UNPROCESSABLE_ENTITY,
                            "advice_incomplete",
                            format!("een volledig advies (PUT) noemt summary, aspect en action (lijsten mogen leeg zijn); ontbreekt: {list}. Wijzig één deel met PATCH"),
                            format!("a full advice (PUT) names summary, aspect and action (lists may be empty); missing: {list}. Change one part with PATCH"),
                        )
                        .with_details(json!({ "missing": missing }));
                    }
                    A::NothingToChange => {
                        return Self::new(
                            StatusCode::UNPROCESSABLE_ENTITY,
                            "nothing_to_change",
                            "de wijziging noemt geen enkel deel van het advies (summary, counsellor, aspect, action of action_status)",
                            "the change names no part of the advice (summary, counsellor, aspect, action or action_status)",
                        );
                    }
                };
                Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "advice_rejected",
                    "het advies is niet bewaard: verbeter de problemen in `details`",
                    "the advice was not stored: correct the problems in `details`",
                )
                .with_details(json!({ "problems": problems }))
            }
            E::Invalid(m) => Self::bad_request(m.clone(), m),
            E::Report(ReportError::UnknownKind(kind)) => {
                Self::not_found("rapport", "report", &kind)
            }
            E::Scoring(s) => Self::bad_request(s.to_string(), s.to_string()),
            E::Account(a) => a.into(),
            other => Self::internal(&other),
        }
    }
}

impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> Self {
        app::Error::from(e).into()
    }
}

impl From<crate::accounts::AccountError> for AppError {
    fn from(e: crate::accounts::AccountError) -> Self {
        use crate::accounts::{AccountError as E, MIN_PASSWORD_CHARS, scope_rule};
        match e {
            E::Db(d) => d.into(),
            E::BadEmail(a) => Self::bad_request(
                format!("`{a}` is geen e-mailadres"),
                format!("`{a}` is not an e-mail address"),
            ),
            E::WeakPassword => Self::bad_request(
                format!(
                    "het wachtwoord is te zwak: minstens {MIN_PASSWORD_CHARS} tekens, niet alleen spaties of één teken herhaald"
                ),
                format!(
                    "the password is too weak: at least {MIN_PASSWORD_CHARS} characters, not only spaces or one repeated character"
                ),
            ),
            E::Scope(role) => {
                let (nl, en) = scope_rule(role);
                Self::bad_request(nl, en)
            }
            E::LastAdmin { email } => Self::new(
                StatusCode::CONFLICT,
                "last_admin",
                format!(
                    "`{email}` is de laatste actieve beheerder: voeg eerst een andere beheerder toe of schakel er een in, zodat iemand de dienst kan blijven beheren"
                ),
                format!(
                    "`{email}` is the last enabled admin: add or enable another admin first, so someone can still manage the service"
                ),
            ),
            E::Disabled { email } => Self::new(
                StatusCode::CONFLICT,
                "account_disabled",
                format!("het account `{email}` is uitgeschakeld: schakel het eerst in"),
                format!("the account `{email}` is disabled: enable it first"),
            ),
            E::Invalid(m) => Self::bad_request(m.clone(), m),
        }
    }
}
