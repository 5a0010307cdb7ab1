//! The parts of sending a report that are about mail: choosing the recipients (given addresses,
//! else the organisation's contacts) and writing one message per recipient to the outbox, with an
//! idempotency key. `App::queue_report` puts them together with rendering the report in each
//! recipient's language; delivery is the [`super::Mailer`]'s job.

use chrono::Utc;
use lettre::Address;
use lettre::message::Mailbox;
use sea_orm::DatabaseConnection;

use super::MailError;
use super::message::{attachment_name, idempotency_key, mailbox, new_message_id, parse_address};
use super::templates::{self, ReportMail, ScoreSummary};
use crate::db::outbox::NewOutboxMessage;
use crate::db::{self, OutboxMessage};
use crate::domain::text::Lang;
use crate::report::ReportKind;

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
pub struct Recipient {
    pub address: Address,
    pub name: Option<String>,
    pub lang: Lang,
}

/// What one message is about, for its text.
pub struct MailContext<'a> {
    pub organisation: &'a db::Organisation,
    pub year: i32,
    pub kind: ReportKind,
    pub summary: &'a ScoreSummary,
}

/// The idempotency key of the report as the reader knows it (not one rendering of it): repeating a
/// request on another day, after the PDF changed, still finds the message queued the first time.
pub fn message_key(ctx: &MailContext<'_>, recipient: &Address, request_id: &str) -> String {
    let report_key = format!("{}/{}/{}", ctx.organisation.slug, ctx.year, ctx.kind.code());
    idempotency_key(&report_key, recipient, request_id)
}

/// Write one recipient's message, with the stored report `report_id` attached, to the outbox; the
/// message and whether it is new (false when the key was queued before).
pub async fn queue_message<C: sea_orm::ConnectionTrait>(
    db: &C,
    from: &Mailbox,
    ctx: &MailContext<'_>,
    recipient: &Recipient,
    key: &str,
    report_id: i32,
) -> Result<QueuedMail, MailError> {
    let sender = from.name.clone().unwrap_or_else(|| from.email.to_string());
    let attachment = attachment_name(
        &ctx.organisation.slug,
        ctx.year,
        ctx.kind.code(),
        recipient.lang,
    );
    let rendered = templates::render(&ReportMail {
        lang: recipient.lang,
        kind: ctx.kind.code(),
        organisation: &ctx.organisation.name,
        year: ctx.year,
        recipient_name: recipient.name.as_deref(),
        attachment: &attachment,
        summary: ctx.summary,
        sender: &sender,
    });
    let message_id = new_message_id(from);
    let to = [mailbox(&recipient.address, recipient.name.as_deref()).to_string()];
    let (message, newly_queued) = db::outbox::queue_message(
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
    Ok(QueuedMail {
        recipient: recipient.address.to_string(),
        lang: recipient.lang,
        message,
        newly_queued,
    })
}

/// The recipients: the given addresses (named, and in their language, when they are contacts), or
/// else every contact of the organisation. Each address once.
pub async fn recipients(
    db: &DatabaseConnection,
    org: &db::Organisation,
    to: &[String],
    lang: Option<Lang>,
) -> Result<Vec<Recipient>, MailError> {
    let addresses = to
        .iter()
        .map(|a| parse_address(a))
        .collect::<Result<Vec<_>, _>>()?;
    let contacts = db::contacts::contacts_of(db, org.id).await?;
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
