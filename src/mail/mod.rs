//! E-mail: reports reach management through a persisted outbox.
//!
//! - `crate::config::mail` holds the settings: SMTP (`BLENDSCAN_SMTP_URL`; STARTTLS or implicit TLS,
//!   plain text only to a loopback server) or, without it, `.eml` files in a directory.
//! - [`contacts`] keeps each organisation's management contacts.
//! - [`send`] renders a report, writes one message per recipient to the outbox (with an idempotency
//!   key and a Message-ID fixed at queueing), and [`Mailer`] delivers queued messages: temporary
//!   failures are retried with exponential backoff, permanent ones are marked failed with the
//!   server's reply.
//! - [`message`] and [`templates`] build the MIME message: short Dutch or English text and HTML
//!   parts, the PDF attached.
//!
//! Data flows `db → domain (score) → report → mail`; the CLI (and later HTTP) call in here.

pub mod contacts;
mod error;
pub mod message;
pub mod send;
pub mod templates;
mod transport;
mod worker;

pub use crate::config::mail::{MailSettings, RetryPolicy, Security, TransportConfig};
pub use error::MailError;
pub use transport::{DeliveryError, Transport};
pub use worker::{FlushMode, FlushReport, Mailer};
