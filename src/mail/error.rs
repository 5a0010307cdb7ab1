//! What can go wrong in `mail`, in its own words. Delivery failures are not errors of this kind: a
//! failed delivery is recorded in the outbox (see [`super::DeliveryError`]).

use std::path::PathBuf;

/// An error of the mail layer.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("`{address}` is not a valid e-mail address: {reason}")]
    InvalidAddress { address: String, reason: String },
    #[error("the name `{name}` cannot be used: {reason}")]
    InvalidName { name: String, reason: String },
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("organisation `{0}` does not exist (see `blendscan org list`)")]
    UnknownOrganisation(String),
    #[error(
        "organisation `{0}` has no management contacts: add one with `blendscan contact add --org {0} --email …`, or give --to"
    )]
    NoRecipients(String),
    #[error("a {0} report is not sent by e-mail from here: send selfscan or advice")]
    UnsupportedKind(&'static str),
    #[error("cannot create the outbox directory {path}: {source}")]
    OutboxDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot build the e-mail: {0}")]
    Build(String),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
}
