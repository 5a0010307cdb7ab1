//! Federations (koepels): the umbrella organisations whose members are benchmarked together.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
};
use serde::Serialize;

use super::DbError;
use super::entities::federation;

/// A federation (koepel) and whether this call created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Federation {
    pub id: i32,
    pub slug: String,
    pub name: String,
}

/// A lowercase ASCII slug of a name: `CAW De Brug` → `caw-de-brug`.
pub fn slugify(name: &str) -> String {
    slug::slugify(name)
}

/// Find a federation by slug or by name.
pub async fn find_federation<C: ConnectionTrait>(
    db: &C,
    key: &str,
) -> Result<Option<Federation>, DbError> {
    let found = federation::Entity::find()
        .filter(
            Condition::any()
                .add(federation::Column::Slug.eq(slugify(key)))
                .add(federation::Column::Name.eq(key.trim())),
        )
        .one(db)
        .await?;
    Ok(found.map(|f| Federation {
        id: f.id,
        slug: f.slug,
        name: f.name,
    }))
}

/// Find a federation by slug or name, creating it when it does not exist. Returns it and whether it is new.
pub async fn ensure_federation<C: ConnectionTrait>(
    db: &C,
    name: &str,
) -> Result<(Federation, bool), DbError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DbError::Invalid(
            "--federation: the federation name is empty".into(),
        ));
    }
    if let Some(f) = find_federation(db, name).await? {
        return Ok((f, false));
    }
    let f = federation::ActiveModel {
        slug: Set(slugify(name)),
        name: Set(name.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((
        Federation {
            id: f.id,
            slug: f.slug,
            name: f.name,
        },
        true,
    ))
}

/// The federation with this id, if it exists.
pub async fn federation_by_id<C: ConnectionTrait>(
    db: &C,
    id: i32,
) -> Result<Option<Federation>, DbError> {
    Ok(federation::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|f| Federation {
            id: f.id,
            slug: f.slug,
            name: f.name,
        }))
}
