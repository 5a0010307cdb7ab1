//! What can go wrong in a use case, as structured fields. Each front door phrases them for its own
//! readers: the CLI adds which command helps (`cli::phrase`), the HTTP service answers a status, a
//! stable code and a message in Dutch and English (`http::error`). The `Display` here is plain
//! English without any front door's advice, for logs and tests.

use crate::config::ConfigError;
use crate::db::DbError;
use crate::import::RunError;
use crate::mail::MailError;
use crate::report::ReportError;
use crate::report::advice::AdviceError;

/// An error of a use case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("organisation `{0}` does not exist")]
    NoOrganisation(String),
    #[error("federation `{0}` does not exist")]
    NoFederation(String),
    #[error("organisation `{organisation}` has no scan for {year} (its scans: {})", years_list(.years))]
    NoScan {
        organisation: String,
        year: i32,
        /// The years it does have a scan for, oldest first.
        years: Vec<i32>,
    },
    #[error("no advice is stored for `{organisation}` {year}")]
    NoAdvice { organisation: String, year: i32 },
    /// The advice was saved by someone else since the writer read it (or was, or was not, there).
    #[error("the advice of `{organisation}` {year} changed: it is at version {}, the change was made to {}", version_name(*.current), version_name(*.given))]
    AdviceConflict {
        organisation: String,
        year: i32,
        /// The version the writer started from (none: no advice, or any).
        given: Option<i32>,
        /// The version stored now (none: no advice yet).
        current: Option<i32>,
    },
    #[error("federation `{federation}` has no member with a scan for {year}")]
    NoMemberScans { federation: String, year: i32 },
    #[error("too many logins are being checked right now; try again in {retry_after_secs} s")]
    LoginBusy { retry_after_secs: u64 },
    #[error("too many wrong passwords; try again in {retry_after_secs} s")]
    LoginThrottled { retry_after_secs: u64 },
    #[error(
        "`{address}` is not a contact of the organisation and its domain is not one reports may be sent to"
    )]
    RecipientNotAllowed { address: String },
    #[error("{count} recipients: one request sends to {max} at most")]
    TooManyRecipients { count: usize, max: usize },
    #[error("this account has queued {queued} e-mails in the last 24 hours; {max} is the limit")]
    SendLimit { queued: i64, max: u32 },
    #[error("organisation `{0}` has no management contacts")]
    NoRecipients(String),
    #[error("`{address}` is not a valid e-mail address: {reason}")]
    InvalidAddress { address: String, reason: String },
    /// A report of this kind is made for the other kind of subject (a benchmark for a federation,
    /// a self-scan or advice for an organisation).
    #[error("a {kind} report is made for {}", if *.for_federation { "a federation" } else { "an organisation" })]
    WrongSubject {
        kind: &'static str,
        for_federation: bool,
    },
    /// A member's benchmark was asked for an organisation outside any federation.
    #[error(
        "organisation `{0}` belongs to no federation: a benchmark compares a federation's members"
    )]
    NoMembership(String),
    #[error("a {0} report is not sent by e-mail: send selfscan or advice")]
    NotMailed(&'static str),
    #[error(transparent)]
    AdviceRejected(AdviceError),
    /// Input the data layer refused, with its reason.
    #[error("{0}")]
    Invalid(String),
    /// A record of the installation that does not exist: an account, an API token, an outbox
    /// message, … (`what` in English, as the database layer names it).
    #[error("{what} `{key}` does not exist")]
    NotFound { what: &'static str, key: String },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot load the report templates ({dir}): {source}")]
    Templates {
        dir: String,
        #[source]
        source: ReportError,
    },
    #[error(transparent)]
    Db(DbError),
    #[error(transparent)]
    Report(ReportError),
    #[error("cannot serialise the report data: {0}")]
    Data(#[from] serde_json::Error),
    #[error(transparent)]
    Mail(MailError),
    #[error(transparent)]
    Import(RunError),
    #[error(transparent)]
    Scoring(#[from] crate::domain::scoring::ScoringError),
    #[error(transparent)]
    Catalogue(#[from] crate::catalogue::LoadError),
    #[error(transparent)]
    Account(#[from] crate::accounts::AccountError),
}

fn version_name(v: Option<i32>) -> String {
    v.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

fn years_list(years: &[i32]) -> String {
    if years.is_empty() {
        "none yet".to_owned()
    } else {
        years
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl From<DbError> for Error {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound {
                what: "organisation",
                key,
            } => Error::NoOrganisation(key),
            DbError::NotFound {
                what: "federation",
                key,
            } => Error::NoFederation(key),
            DbError::NoScan {
                organisation,
                year,
                years,
            } => Error::NoScan {
                organisation,
                year,
                years,
            },
            DbError::Invalid(m) => Error::Invalid(m),
            DbError::NotFound { what, key } => Error::NotFound { what, key },
            other => Error::Db(other),
        }
    }
}

impl From<ReportError> for Error {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Db(d) => d.into(),
            other => Error::Report(other),
        }
    }
}

impl From<MailError> for Error {
    fn from(e: MailError) -> Self {
        match e {
            MailError::UnknownOrganisation(slug) => Error::NoOrganisation(slug),
            MailError::NoRecipients(slug) => Error::NoRecipients(slug),
            MailError::InvalidAddress { address, reason } => {
                Error::InvalidAddress { address, reason }
            }
            MailError::UnsupportedKind(kind) => Error::NotMailed(kind),
            MailError::InvalidName { name, reason } => {
                Error::Invalid(format!("the name `{name}` cannot be used: {reason}"))
            }
            MailError::Db(d) => d.into(),
            MailError::Report(r) => r.into(),
            MailError::Config(c) => Error::Config(c),
            other => Error::Mail(other),
        }
    }
}

impl From<RunError> for Error {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Db(d) => d.into(),
            other => Error::Import(other),
        }
    }
}

impl From<AdviceError> for Error {
    fn from(e: AdviceError) -> Self {
        Error::AdviceRejected(e)
    }
}
