//! Management contacts: the people an organisation's reports are e-mailed to. Addresses are checked
//! and lower-cased before anything is stored.

use sea_orm::ConnectionTrait;

use super::MailError;
use super::message::{check_name, parse_address};
use crate::db::contacts::{Contact, NewContact};
use crate::db::{self, DbError, Organisation};
use crate::domain::text::Lang;

/// The organisation with this slug, or an error that says how to find the slug.
pub async fn organisation<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Organisation, MailError> {
    db::organisations::organisation_by_slug(db, slug.trim())
        .await
        .map_err(|e| match e {
            DbError::NotFound { .. } => MailError::UnknownOrganisation(slug.trim().to_owned()),
            other => other.into(),
        })
}

/// Add a contact to an organisation, or update the one with the same address (name and language
/// when given). Returns the contact and whether it is new.
pub async fn add_contact<C: ConnectionTrait>(
    db: &C,
    organisation_slug: &str,
    email: &str,
    name: Option<&str>,
    lang: Option<Lang>,
) -> Result<(Contact, bool), MailError> {
    let address = parse_address(email)?;
    let name = match name {
        Some(n) => check_name(n)?,
        None => None,
    };
    let org = organisation(db, organisation_slug).await?;
    let new = NewContact {
        email: address.to_string(),
        name,
        lang,
    };
    Ok(db::contacts::upsert_contact(db, org.id, &new).await?)
}

/// The organisation and its contacts.
pub async fn list_contacts<C: ConnectionTrait>(
    db: &C,
    organisation_slug: &str,
) -> Result<(Organisation, Vec<Contact>), MailError> {
    let org = organisation(db, organisation_slug).await?;
    let contacts = db::contacts::contacts_of(db, org.id).await?;
    Ok((org, contacts))
}

/// Remove a contact; returns whether it existed.
pub async fn remove_contact<C: ConnectionTrait>(
    db: &C,
    organisation_slug: &str,
    email: &str,
) -> Result<bool, MailError> {
    let address = parse_address(email)?;
    let org = organisation(db, organisation_slug).await?;
    Ok(db::contacts::remove_contact(db, org.id, address.as_ref()).await?)
}
