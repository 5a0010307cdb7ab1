//! Management contacts of an organisation: the people its reports are e-mailed to. An address is
//! stored once per organisation; adding it again updates its name and language. Addresses are
//! validated by the caller (`crate::mail`), which also lower-cases them.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use super::DbError;
use super::entities::contact;
use crate::domain::text::Lang;

/// A management contact as the rest of the product sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub id: i32,
    pub organisation_id: i32,
    pub email: String,
    pub name: Option<String>,
    pub lang: Lang,
}

/// What `contact add` stores. `None` keeps what an existing contact has (or the default: no name,
/// Dutch).
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub email: String,
    pub name: Option<String>,
    pub lang: Option<Lang>,
}

/// Add a contact, or update the one with the same address; returns it and whether it is new.
pub async fn upsert_contact<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    new: &NewContact,
) -> Result<(Contact, bool), DbError> {
    let name = new
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let existing = contact::Entity::find()
        .filter(contact::Column::OrganisationId.eq(organisation_id))
        .filter(contact::Column::Email.eq(new.email.as_str()))
        .one(db)
        .await?;
    let now = Utc::now();
    let (row, created) = match existing {
        Some(found) => {
            let mut active: contact::ActiveModel = found.into();
            if let Some(name) = name {
                active.name = Set(Some(name));
            }
            if let Some(lang) = new.lang {
                active.lang = Set(lang.code().to_owned());
            }
            active.updated_at = Set(now);
            (active.update(db).await?, false)
        }
        None => {
            let row = contact::ActiveModel {
                organisation_id: Set(organisation_id),
                email: Set(new.email.clone()),
                name: Set(name),
                lang: Set(new.lang.unwrap_or_default().code().to_owned()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            (row, true)
        }
    };
    Ok((to_domain(row), created))
}

/// The contacts of an organisation, by address.
pub async fn contacts_of<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<Contact>, DbError> {
    let rows = contact::Entity::find()
        .filter(contact::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(contact::Column::Email)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(to_domain).collect())
}

/// Remove a contact; returns whether it existed.
pub async fn remove_contact<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    email: &str,
) -> Result<bool, DbError> {
    let done = contact::Entity::delete_many()
        .filter(contact::Column::OrganisationId.eq(organisation_id))
        .filter(contact::Column::Email.eq(email))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

fn to_domain(row: contact::Model) -> Contact {
    Contact {
        id: row.id,
        organisation_id: row.organisation_id,
        lang: row.lang.parse().unwrap_or_default(),
        email: row.email,
        name: row.name,
    }
}
