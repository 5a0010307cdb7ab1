//! Scans: one organisation's questionnaire round of one year.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
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
    let existing = scan::Entity::find()
        .filter(scan::Column::OrganisationId.eq(organisation_id))
        .filter(scan::Column::Year.eq(year))
        .one(db)
        .await?;
    let (m, created) = match existing {
        Some(m) => (m, false),
        None => {
            let m = scan::ActiveModel {
                organisation_id: Set(organisation_id),
                year: Set(year),
                catalogue_version: Set(catalogue_version.to_owned()),
                status: Set("open".to_owned()),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            (m, true)
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
