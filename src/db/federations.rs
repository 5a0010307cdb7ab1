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

/// Every federation, by name.
pub async fn list_federations<C: ConnectionTrait>(db: &C) -> Result<Vec<Federation>, DbError> {
    use sea_orm::QueryOrder;
    Ok(federation::Entity::find()
        .order_by_asc(federation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|f| Federation {
            id: f.id,
            slug: f.slug,
            name: f.name,
        })
        .collect())
}

/// A year of a federation's scans: how many members have answers in it, and their sectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberYear {
    pub year: i32,
    pub members: usize,
}

/// The years in which members of the federation have a scan with answers, oldest first, with how
/// many members each (a scan that was started but has no answers does not count).
pub async fn member_years<C: ConnectionTrait>(
    db: &C,
    federation_id: i32,
) -> Result<Vec<MemberYear>, DbError> {
    let sql = "SELECT s.year, COUNT(DISTINCT s.organisation_id) FROM scans s \
               JOIN organisations o ON o.id = s.organisation_id \
               WHERE o.federation_id = $1 \
               AND EXISTS (SELECT 1 FROM respondents r WHERE r.scan_id = s.id) \
               GROUP BY s.year ORDER BY s.year";
    let rows = db
        .query_all_raw(super::statement(db, sql, vec![federation_id.into()]))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(MemberYear {
                year: r.try_get_by_index::<i32>(0)?,
                members: usize::try_from(r.try_get_by_index::<i64>(1)?).unwrap_or(0),
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()
        .map_err(DbError::from)
}

/// The sectors of the federation's members, sorted, each once.
pub async fn member_sectors<C: ConnectionTrait>(
    db: &C,
    federation_id: i32,
) -> Result<Vec<String>, DbError> {
    use super::entities::organisation;
    let mut sectors: Vec<String> = organisation::Entity::find()
        .filter(organisation::Column::FederationId.eq(federation_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|o| o.sector)
        .collect();
    sectors.sort();
    sectors.dedup();
    Ok(sectors)
}
