//! Queueing and delivering a report: choose the recipients, render the report in each recipient's
//! language and keep it, write one message per recipient to the outbox, and deliver.
//!
//! Everything that can be wrong with the request — an address, the organisation, the scan, a
//! missing advice — is found before anything is stored.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::TransactionTrait;
use serde::Serialize;

use super::reports::{ReportRequest, Subject};
use super::{App, Error, Result};
use crate::db::{self, OutboxMessage};
use crate::domain::text::Lang;
use crate::mail::FlushReport;
use crate::mail::send::{self, MailContext, QueuedMail};
use crate::mail::templates::ScoreSummary;
use crate::report::ReportKind;

/// What to send.
#[derive(Debug, Clone)]
pub struct SendRequest {
    /// The organisation's slug.
    pub organisation: String,
    pub year: i32,
    /// Self-scan or advice.
    pub kind: ReportKind,
    /// Addresses to send to; empty: the organisation's contacts.
    pub to: Vec<String>,
    /// The language of every message and report; `None`: each contact's own (Dutch for others).
    pub lang: Option<Lang>,
    /// Repeating a request with the same id queues nothing new; `None`: a fresh id.
    pub request_id: Option<String>,
    /// The generation date printed in the report.
    pub generated: NaiveDate,
    /// Who asks.
    pub by: Sender,
}

/// Who asks to send a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// The command line: the installation's operator, who may send anywhere.
    Operator,
    /// An account of the service. Unless it is the admin, it sends only to the organisation's
    /// contacts and the domains the admin allows; every account has a daily cap.
    Account { user_id: i32, admin: bool },
}

/// What became of one recipient's message after a send.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub recipient: String,
    /// False when the same request had already queued it.
    pub newly_queued: bool,
    /// The message as it stands after the delivery attempt.
    pub message: OutboxMessage,
}

/// One recipient's message as the API shows it after a send (the `Delivery` schema).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Delivery)]
pub struct DeliveryView<'a> {
    pub id: i32,
    pub recipient: &'a str,
    pub status: db::OutboxStatus,
    pub attempts: i32,
    pub message_id: &'a str,
    pub last_error: Option<&'a str>,
    /// False when the same request had already queued it.
    pub newly_queued: bool,
}

impl Serialize for Delivery {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DeliveryView {
            id: self.message.id,
            recipient: &self.recipient,
            status: self.message.status,
            attempts: self.message.attempts,
            message_id: &self.message.message_id,
            last_error: self.message.last_error.as_deref(),
            newly_queued: self.newly_queued,
        }
        .serialize(serializer)
    }
}

/// The outcome of a send: every recipient's message, and the delivery attempt (`None` when it could
/// not be made now; the messages stay queued and the worker tries again).
#[derive(Debug)]
pub struct Sent {
    pub deliveries: Vec<Delivery>,
    pub flush: Option<FlushReport>,
}

impl App {
    /// Render (and keep) the report for every language needed and queue one message per recipient.
    pub async fn queue_report(&self, req: &SendRequest) -> Result<Vec<QueuedMail>> {
        if req.kind == ReportKind::Benchmark {
            return Err(Error::NotMailed(req.kind.code()));
        }
        for address in &req.to {
            crate::mail::message::parse_address(address)?;
        }
        let org = self.organisation(&req.organisation).await?;
        let recipients = send::recipients(&self.db, &org, &req.to, req.lang).await?;
        self.may_send(req, &org, &recipients).await?;
        // Fails with a clear message before anything is stored when there is no such scan.
        let (_, score) = self.score_scan(&org.slug, req.year).await?;
        let summary = ScoreSummary::of(&self.catalogue, &score);
        let ctx = MailContext {
            organisation: &org,
            year: req.year,
            kind: req.kind,
            summary: &summary,
        };
        // Every front door checks it in its own words; this keeps what none checked out of the
        // database (PostgreSQL cannot store a NUL in text).
        if let Some(id) = &req.request_id
            && (id.is_empty() || id.chars().count() > 200 || id.chars().any(char::is_control))
        {
            return Err(Error::Invalid(
                "a request id is 1 to 200 characters without control characters".into(),
            ));
        }
        let request_id = req
            .request_id
            .clone()
            .unwrap_or_else(|| format!("{:032x}", rand::random::<u128>()));
        let mut queued = Vec::with_capacity(recipients.len());
        let mut pending = Vec::new();
        for r in recipients {
            let key = send::message_key(&ctx, &r.address, &request_id);
            match db::outbox::outbox_message_by_key(&self.db, &key).await? {
                Some(message) => queued.push(QueuedMail {
                    recipient: r.address.to_string(),
                    lang: r.lang,
                    message,
                    newly_queued: false,
                }),
                None => pending.push((r, key)),
            }
        }
        let mut report_ids = BTreeMap::new();
        for lang in [Lang::Nl, Lang::En] {
            if pending.iter().any(|(r, _)| r.lang == lang) {
                let request = ReportRequest {
                    kind: req.kind,
                    subject: Subject::Organisation(org.slug.clone()),
                    year: req.year,
                    lang,
                    generated: req.generated,
                };
                report_ids.insert(lang.code(), self.render_and_keep(&request).await?);
            }
        }
        // Every recipient's message and the record of the request, all or nothing.
        let txn = self.db.begin().await.map_err(crate::db::DbError::from)?;
        let mut newly = 0;
        for (r, key) in &pending {
            let report_id = report_ids.get(r.lang.code()).copied().ok_or_else(|| {
                Error::Mail(crate::mail::MailError::Build(format!(
                    "no report rendered in {}",
                    r.lang.code()
                )))
            })?;
            let from = self.mailer.from();
            let q = send::queue_message(&txn, from, &ctx, r, key, report_id).await?;
            newly += usize::from(q.newly_queued);
            queued.push(q);
        }
        db::sends::record_send(
            &txn,
            &db::sends::NewSend {
                user_id: match req.by {
                    Sender::Account { user_id, .. } => Some(user_id),
                    Sender::Operator => None,
                },
                organisation_id: org.id,
                year: req.year,
                kind: req.kind.code(),
                recipients: queued.len(),
                queued: newly,
                request_id: &request_id,
                at: chrono::Utc::now(),
            },
        )
        .await?;
        txn.commit().await.map_err(crate::db::DbError::from)?;
        queued.sort_by_key(|q| q.message.id);
        Ok(queued)
    }

    /// Whether `req.by` may send to these recipients now (see [`Sender`]).
    async fn may_send(
        &self,
        req: &SendRequest,
        org: &crate::db::Organisation,
        recipients: &[send::Recipient],
    ) -> Result<()> {
        let Sender::Account { user_id, admin } = req.by else {
            return Ok(());
        };
        let mail = &self.settings.mail;
        if recipients.len() > mail.max_recipients {
            return Err(Error::TooManyRecipients {
                count: recipients.len(),
                max: mail.max_recipients,
            });
        }
        if !admin && !req.to.is_empty() {
            let contacts = db::contacts::contacts_of(&self.db, org.id).await?;
            for r in recipients {
                let address = r.address.to_string();
                let domain = r.address.domain().to_ascii_lowercase();
                let known = contacts.iter().any(|c| c.email == address)
                    || mail.allowed_domains.contains(&domain);
                if !known {
                    return Err(Error::RecipientNotAllowed { address });
                }
            }
        }
        let since = chrono::Utc::now() - chrono::Duration::hours(24);
        let queued = db::sends::queued_by_since(&self.db, user_id, since).await?;
        if queued + recipients.len() as i64 > i64::from(mail.max_sends_per_day) {
            return Err(Error::SendLimit {
                queued,
                max: mail.max_sends_per_day,
            });
        }
        Ok(())
    }

    /// Queue a report for its recipients and attempt delivery now; every recipient's message as it
    /// stands afterwards.
    pub async fn send_report(&self, req: &SendRequest) -> Result<Sent> {
        let queued = self.queue_report(req).await?;
        let due: Vec<i32> = queued
            .iter()
            .filter(|q| q.message.status == db::OutboxStatus::Queued)
            .map(|q| q.message.id)
            .collect();
        let flush = match self.mailer.deliver(&due).await {
            Ok(report) => Some(report),
            Err(e) => {
                // Queued all the same: the background worker (or `outbox flush`) tries again.
                tracing::warn!(error = %e, "delivery after send failed; the worker will retry");
                None
            }
        };
        let ids: Vec<i32> = queued.iter().map(|q| q.message.id).collect();
        let messages = db::outbox::outbox_messages(&self.db, &ids).await?;
        let deliveries = queued
            .into_iter()
            .filter_map(|q| {
                let message = messages.iter().find(|m| m.id == q.message.id)?.clone();
                Some(Delivery {
                    recipient: q.recipient,
                    newly_queued: q.newly_queued,
                    message,
                })
            })
            .collect();
        Ok(Sent { deliveries, flush })
    }
}
