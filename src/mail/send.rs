//! Sending a report: choose the recipients (given addresses, else the organisation's contacts),
//! render the report in each recipient's language and keep it, then write one message per
//! recipient to the outbox. Delivery is the [`super::Mailer`]'s job.
//!
//! Everything that can be wrong with the request — an address, the organisation, the scan, a
//! missing advice — is found before anything is stored.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use lettre::Address;
use lettre::message::Mailbox;
use sea_orm::DatabaseConnection;

use super::MailError;
use super::contacts::organisation;
use super::message::{attachment_name, idempotency_key, mailbox, new_message_id, parse_address};
use super::templates::{self, ReportMail, ScoreSummary};
use crate::db::{self, NewOutboxMessage, NewReport, OutboxMessage};
use crate::domain::catalogue::Catalogue;
use crate::domain::scoring::{Scorer, ScoringConfig};
use crate::domain::text::Lang;
use crate::report::{self, Renderer, ReportKind, ReportRequest, Subject};

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
}

/// What reports are made from.
#[derive(Clone, Copy)]
pub struct ReportSources<'a> {
    pub catalogue: &'a Catalogue,
    pub config: &'a ScoringConfig,
    pub renderer: &'a Arc<Renderer>,
}

/// One recipient's message in the outbox.
#[derive(Debug, Clone)]
pub struct QueuedMail {
    pub recipient: String,
    pub lang: Lang,
    pub message: OutboxMessage,
    /// False when the same request had already queued it.
    pub newly_queued: bool,
}

/// A recipient with the name and language the message uses.
#[derive(Debug, Clone)]
struct Recipient {
    address: Address,
    name: Option<String>,
    lang: Lang,
}

/// Render (and keep) the report for every language needed and queue one message per recipient.
pub async fn queue_report(
    db: &DatabaseConnection,
    sources: ReportSources<'_>,
    from: &Mailbox,
    req: &SendRequest,
) -> Result<Vec<QueuedMail>, MailError> {
    if req.kind == ReportKind::Benchmark {
        return Err(MailError::UnsupportedKind(req.kind.code()));
    }
    let addresses = req
        .to
        .iter()
        .map(|a| parse_address(a))
        .collect::<Result<Vec<_>, _>>()?;
    let org = organisation(db, &req.organisation).await?;
    let recipients = recipients(db, &org, addresses, req.lang).await?;
    // Fails with a clear message before anything is stored when there is no such scan.
    report::scan_of(db, &org.slug, req.year).await?;
    let inputs = db::score_inputs(db, &org.slug, req.year).await?;
    let score = Scorer::new(sources.catalogue, sources.config.clone())
        .score(&inputs.current, inputs.previous.as_ref());
    let summary = ScoreSummary::of(sources.catalogue, &score);

    let request_id = req
        .request_id
        .clone()
        .unwrap_or_else(|| format!("{:032x}", rand::random::<u128>()));
    // The report as the reader knows it (not one rendering of it): repeating a request on another
    // day, after the PDF changed, still finds the message queued the first time.
    let report_key = format!("{}/{}/{}", org.slug, req.year, req.kind.code());
    let mut queued = Vec::with_capacity(recipients.len());
    let mut pending = Vec::new();
    for r in recipients {
        let key = idempotency_key(&report_key, &r.address, &request_id);
        match db::outbox_message_by_key(db, &key).await? {
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
            let id = render_report(db, sources, &org.slug, req, lang).await?;
            report_ids.insert(lang.code(), id);
        }
    }
    let sender = from.name.clone().unwrap_or_else(|| from.email.to_string());
    for (r, key) in &pending {
        let report_id = report_ids
            .get(r.lang.code())
            .copied()
            .ok_or_else(|| MailError::Build(format!("no report rendered in {}", r.lang.code())))?;
        let attachment = attachment_name(&org.slug, req.year, req.kind.code(), r.lang);
        let rendered = templates::render(&ReportMail {
            lang: r.lang,
            kind: req.kind.code(),
            organisation: &org.name,
            year: req.year,
            recipient_name: r.name.as_deref(),
            attachment: &attachment,
            summary: &summary,
            sender: &sender,
        });
        let message_id = new_message_id(from);
        let to = [mailbox(&r.address, r.name.as_deref()).to_string()];
        let (message, newly_queued) = db::queue_message(
            db,
            &NewOutboxMessage {
                idempotency_key: key,
                report_id: Some(report_id),
                recipients: &to,
                subject: &rendered.subject,
                body_text: &rendered.text,
                body_html: &rendered.html,
                message_id: &message_id,
                now: Utc::now(),
            },
        )
        .await?;
        queued.push(QueuedMail {
            recipient: r.address.to_string(),
            lang: r.lang,
            message,
            newly_queued,
        });
    }
    queued.sort_by_key(|q| q.message.id);
    Ok(queued)
}

/// The recipients: the given addresses (named, and in their language, when they are contacts), or
/// else every contact of the organisation. Each address once.
async fn recipients(
    db: &DatabaseConnection,
    org: &db::Organisation,
    addresses: Vec<Address>,
    lang: Option<Lang>,
) -> Result<Vec<Recipient>, MailError> {
    let contacts = db::contacts_of(db, org.id).await?;
    let mut out: Vec<Recipient> = if addresses.is_empty() {
        if contacts.is_empty() {
            return Err(MailError::NoRecipients(org.slug.clone()));
        }
        contacts
            .iter()
            .map(|c| {
                Ok(Recipient {
                    address: parse_address(&c.email)?,
                    name: c.name.clone(),
                    lang: lang.unwrap_or(c.lang),
                })
            })
            .collect::<Result<_, MailError>>()?
    } else {
        addresses
            .into_iter()
            .map(|address| {
                let contact = contacts
                    .iter()
                    .find(|c| c.email == AsRef::<str>::as_ref(&address));
                Recipient {
                    name: contact.and_then(|c| c.name.clone()),
                    lang: lang.or(contact.map(|c| c.lang)).unwrap_or_default(),
                    address,
                }
            })
            .collect()
    };
    let mut seen = std::collections::HashSet::new();
    out.retain(|r| seen.insert(r.address.clone()));
    Ok(out)
}

/// Render the report in `lang` and keep it (an identical PDF is stored once); returns its id.
async fn render_report(
    db: &DatabaseConnection,
    sources: ReportSources<'_>,
    slug: &str,
    req: &SendRequest,
    lang: Lang,
) -> Result<i32, MailError> {
    let request = ReportRequest {
        kind: req.kind,
        subject: Subject::Organisation(slug.to_owned()),
        year: req.year,
        lang,
        generated: req.generated,
    };
    let prepared = report::prepare(db, sources.catalogue, sources.config, &request).await?;
    let pdf = sources.renderer.render_async(prepared.data).await?;
    let id = db::store_report(
        db,
        &NewReport {
            scan_id: prepared.scan_id,
            federation_id: prepared.federation_id,
            year: req.year,
            kind: req.kind.code(),
            lang: lang.code(),
            pdf: &pdf,
        },
    )
    .await?;
    Ok(id)
}
