//! The transports a message leaves by: SMTP through lettre's pooled async transport (built once,
//! cloned cheaply: clones share the pool), or `.eml` files in a directory. A failed delivery is
//! classified as temporary (try again later) or permanent (the server refused it for good).

use std::time::Duration;

use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::MailError;
use crate::config::mail::{SmtpConfig, TransportConfig};

/// Where messages go.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Transport::Smtp(_) => "Transport::Smtp",
            Transport::File(_) => "Transport::File",
        })
    }
}

/// Why a delivery did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth trying again: no connection, a 4xx reply, a timeout, refused credentials.
    #[error("{0}")]
    Temporary(String),
    /// The server refused the message for good (5xx), or it cannot be built.
    #[error("{0}")]
    Permanent(String),
}

/// SMTP reply codes about the sender's credentials or encryption rather than the message: the
/// installation must be fixed, and then every message can still go out.
const CREDENTIAL_CODES: [&str; 4] = ["530", "534", "535", "538"];

impl Transport {
    /// Build the transport of `config`, with `connections` pooled SMTP connections.
    pub fn build(config: &TransportConfig, connections: u32) -> Result<Self, MailError> {
        match config {
            TransportConfig::Smtp(smtp) => Ok(Transport::Smtp(smtp_transport(smtp, connections)?)),
            TransportConfig::File(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| MailError::OutboxDir {
                    path: dir.clone(),
                    source,
                })?;
                Ok(Transport::File(AsyncFileTransport::new(dir)))
            }
        }
    }

    /// Hand one message over.
    pub async fn deliver(&self, message: &Message) -> Result<(), DeliveryError> {
        match self {
            Transport::Smtp(t) => t.send(message.clone()).await.map(drop).map_err(classify),
            Transport::File(t) => {
                t.send(message.clone()).await.map(drop).map_err(|e| {
                    DeliveryError::Temporary(format!("cannot write the .eml file: {e}"))
                })
            }
        }
    }
}

fn smtp_transport(
    config: &SmtpConfig,
    connections: u32,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url).map_err(|e| {
        MailError::Config(crate::config::ConfigError::new(
            crate::config::mail::SMTP_URL_ENV,
            format!("{}: {e}", crate::config::redact(&config.url)),
        ))
    })?;
    let pool = PoolConfig::new()
        .max_size(connections.max(1))
        .min_idle(0)
        .idle_timeout(Duration::from_secs(60));
    Ok(builder
        .timeout(Some(config.timeout))
        .pool_config(pool)
        .build())
}

/// Temporary or permanent, with the server's reply when there is one.
fn classify(e: lettre::transport::smtp::Error) -> DeliveryError {
    let text = e.to_string();
    if e.is_permanent() {
        let code = e.status().map(|c| c.to_string()).unwrap_or_default();
        if CREDENTIAL_CODES.contains(&code.as_str()) {
            return DeliveryError::Temporary(format!(
                "the mail server refused the credentials or connection security of BLENDSCAN_SMTP_URL: {text}"
            ));
        }
        return DeliveryError::Permanent(text);
    }
    let mut detail = text;
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !detail.contains(&s_text) {
            detail = format!("{detail}: {s_text}");
        }
        source = s.source();
    }
    DeliveryError::Temporary(detail)
}
