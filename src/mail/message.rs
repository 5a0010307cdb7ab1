//! The MIME message of an outbox row: From, To, Subject, a Date and Message-ID fixed when it was
//! queued (so every attempt sends the same message), text and HTML parts, and the report's PDF.

use std::time::SystemTime;

use lettre::Address;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use sha2::{Digest, Sha256};

use super::MailError;
use crate::db::OutboxMessage;
use crate::db::outbox::ReportAttachment;
use crate::domain::text::Lang;

/// A checked e-mail address, lower-cased: `Jan@CAW.example` → `jan@caw.example`.
pub fn parse_address(raw: &str) -> Result<Address, MailError> {
    let trimmed = raw.trim();
    let invalid = |reason: &str| MailError::InvalidAddress {
        address: trimmed.to_owned(),
        reason: reason.to_owned(),
    };
    if trimmed.is_empty() {
        return Err(invalid("it is empty"));
    }
    if trimmed.len() > 254 {
        return Err(invalid("it is longer than 254 characters"));
    }
    let address: Address = trimmed
        .to_lowercase()
        .parse()
        .map_err(|e: lettre::address::AddressError| invalid(&e.to_string()))?;
    let domain = address.domain();
    if domain.starts_with('[') {
        return Err(invalid("give a domain name, not an IP address"));
    }
    if !domain.contains('.') && domain != "localhost" {
        return Err(invalid("the domain has no dot (e.g. caw.example)"));
    }
    Ok(address)
}

/// The longest contact name kept.
pub const MAX_NAME_CHARS: usize = 120;

/// A contact's name as it may be stored: trimmed, at most [`MAX_NAME_CHARS`] characters, without
/// control characters (a CR or LF would end a mail header) or direction overrides.
pub fn check_name(raw: &str) -> Result<Option<String>, MailError> {
    let name = raw.trim();
    let invalid = |reason: &str| MailError::InvalidName {
        name: name.chars().take(40).collect(),
        reason: reason.to_owned(),
    };
    if name
        .chars()
        .any(|c| c.is_control() || crate::domain::text::is_bidi_control(c))
    {
        return Err(invalid(
            "it holds a control character (such as a line break)",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid("it is longer than 120 characters"));
    }
    Ok((!name.is_empty()).then(|| name.to_owned()))
}

/// A mailbox for a recipient: the address, with the name when known. A name stored before names
/// were checked loses its control characters here, so building a message never fails on one.
pub fn mailbox(address: &Address, name: Option<&str>) -> Mailbox {
    let name = name.map(|n| {
        n.chars()
            .filter(|c| !c.is_control() && !crate::domain::text::is_bidi_control(*c))
            .collect::<String>()
            .trim()
            .to_owned()
    });
    Mailbox::new(name.filter(|n| !n.is_empty()), address.clone())
}

/// A fresh Message-ID in the sender's domain: `<32 hex digits.blendscan@domain>`.
pub fn new_message_id(from: &Mailbox) -> String {
    let token: u128 = rand::random();
    format!("<{token:032x}.blendscan@{}>", from.email.domain())
}

/// The idempotency key of one report × recipient × request: the same request sends a report to
/// an address once, however often it is repeated. `report` names the report, e.g.
/// `caw-de-brug/2026/selfscan`.
pub fn idempotency_key(report: &str, recipient: &Address, request_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(format!("report:{report}\nto:{recipient}\nrequest:{request_id}").as_bytes());
    hex::encode(h.finalize())
}

/// The attachment's file name: `blendscan-<org>-<year>-zelfscan.pdf` (`-advies`; in English
/// `-selfscan`, `-advice`).
pub fn attachment_name(organisation: &str, year: i32, kind: &str, lang: Lang) -> String {
    let word = match (kind, lang) {
        ("selfscan", Lang::Nl) => "zelfscan",
        ("advice", Lang::Nl) => "advies",
        ("selfscan", Lang::En) => "selfscan",
        ("advice", Lang::En) => "advice",
        (other, _) => other,
    };
    let org: String = organisation
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("blendscan-{org}-{year}-{word}.pdf")
}

/// The attachment of a stored report: its file name and bytes.
pub fn report_file(report: &ReportAttachment) -> (String, &[u8]) {
    let lang = report.lang.parse().unwrap_or_default();
    let subject = report.organisation.as_deref().unwrap_or("rapport");
    (
        attachment_name(subject, report.year, &report.kind, lang),
        &report.pdf,
    )
}

/// Build the message of an outbox row, with the report's PDF attached when it has one.
pub fn build(
    row: &OutboxMessage,
    from: &Mailbox,
    attachment: Option<&ReportAttachment>,
) -> Result<Message, MailError> {
    let mut builder = Message::builder()
        .from(from.clone())
        .subject(row.subject.clone())
        .date(SystemTime::from(row.created_at))
        .message_id(Some(row.message_id.clone()))
        .user_agent("blendscan".to_owned());
    for recipient in &row.recipients {
        let to: Mailbox = recipient.parse().map_err(|e| MailError::InvalidAddress {
            address: recipient.clone(),
            reason: format!("{e}"),
        })?;
        builder = builder.to(to);
    }
    let alternative =
        MultiPart::alternative_plain_html(row.body_text.clone(), row.body_html.clone());
    let body = match attachment {
        Some(report) => {
            let (name, pdf) = report_file(report);
            let pdf_type = ContentType::parse("application/pdf")
                .map_err(|e| MailError::Build(e.to_string()))?;
            MultiPart::mixed()
                .multipart(alternative)
                .singlepart(Attachment::new(name).body(pdf.to_vec(), pdf_type))
        }
        None => alternative,
    };
    builder
        .multipart(body)
        .map_err(|e| MailError::Build(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_lower_cased() {
        let a = parse_address("  Jan.Peeters@CAW-Brug.example ").expect("valid");
        assert_eq!(a.to_string(), "jan.peeters@caw-brug.example");
        for bad in [
            "",
            "jan",
            "jan@",
            "@caw.example",
            "jan@@caw.example",
            "Jan <jan@caw.example>",
            "jan@caw",
            "jan@[127.0.0.1]",
            "jan peeters@caw.example",
        ] {
            assert!(parse_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn attachment_names_follow_kind_and_language() {
        assert_eq!(
            attachment_name("caw-de-brug", 2026, "selfscan", Lang::Nl),
            "blendscan-caw-de-brug-2026-zelfscan.pdf"
        );
        assert_eq!(
            attachment_name("caw-de-brug", 2026, "advice", Lang::Nl),
            "blendscan-caw-de-brug-2026-advies.pdf"
        );
        assert_eq!(
            attachment_name("caw-de-brug", 2026, "advice", Lang::En),
            "blendscan-caw-de-brug-2026-advice.pdf"
        );
    }

    #[test]
    fn idempotency_keys_differ_per_recipient_and_request() {
        let a = parse_address("a@x.example").expect("valid");
        let b = parse_address("b@x.example").expect("valid");
        let k = |report, to, request| idempotency_key(report, to, request);
        assert_eq!(k("o/2026/selfscan", &a, "r"), k("o/2026/selfscan", &a, "r"));
        assert_ne!(k("o/2026/selfscan", &a, "r"), k("o/2026/selfscan", &b, "r"));
        assert_ne!(k("o/2026/selfscan", &a, "r"), k("o/2026/selfscan", &a, "s"));
        assert_ne!(k("o/2026/selfscan", &a, "r"), k("o/2026/advice", &a, "r"));
    }
}
