//! Scans: one organisation's questionnaire round of one year.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

use super::DbError;
use super::entities::scan;

/// A scan: one organisation's questionnaire round of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scan {
    pub id: i32,
    pub organisation_id: i32,
    pub year: i32,
    pub catalogue_version: String,
    pub status: String,
}

/// The scan of this organisation and year, created (status `open`) when it does not exist yet.
pub async fn ensure_scan<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    year: i32,
    catalogue_version: &str,
) -> Result<(Scan, bool), DbError> {
    if !(2000..=2100).contains(&year) {
        return Err(DbError::Invalid(format!(
            "--year: {year} is not a plausible scan year (2000–2100)"
        )));
    }
    let find = || {
        scan::Entity::find()
            .filter(scan::Column::OrganisationId.eq(organisation_id))
            .filter(scan::Column::Year.eq(year))
    };
    let (m, created) = match find().one(db).await? {
        Some(m) => (m, false),
        None => {
            // Another process may create the same scan at the same moment: the unique index keeps
            // one, and both read it back.
            let inserted = scan::Entity::insert(scan::ActiveModel {
                organisation_id: Set(organisation_id),
                year: Set(year),
                catalogue_version: Set(catalogue_version.to_owned()),
                status: Set("open".to_owned()),
                created_at: Set(Utc::now()),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([scan::Column::OrganisationId, scan::Column::Year])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
            let m = find().one(db).await?.ok_or_else(|| DbError::NotFound {
                what: "scan",
                key: format!("{organisation_id}/{year}"),
            })?;
            (m, inserted == 1)
        }
    };
    let scan = Scan {
        id: m.id,
        organisation_id: m.organisation_id,
        year: m.year,
        catalogue_version: m.catalogue_version,
        status: m.status,
    };
    Ok((scan, created))
}

/// The scans of an organisation, oldest first.
/// The organisation's scan of `year`, when it has one; reads only.
pub async fn scan_in_year<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    year: i32,
) -> Result<Option<scan::Model>, DbError> {
    Ok(scan::Entity::find()
        .filter(scan::Column::OrganisationId.eq(organisation_id))
        .filter(scan::Column::Year.eq(year))
        .one(db)
        .await?)
}

pub async fn scans_of<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<Scan>, DbError> {
    let rows = scan::Entity::find()
        .filter(scan::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(scan::Column::Year)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|m| Scan {
            id: m.id,
            organisation_id: m.organisation_id,
            year: m.year,
            catalogue_version: m.catalogue_version,
            status: m.status,
        })
        .collect())
}
