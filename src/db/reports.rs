//! Rendered reports kept in the `reports` table, so a report can be sent or fetched again exactly as
//! it was made. The same PDF for the same subject, kind and language is stored once.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::DbError;
use super::entities::report;

/// A rendered report to keep: of a scan (self-scan, advice) or of a federation (benchmark).
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub scan_id: Option<i32>,
    pub federation_id: Option<i32>,
    pub year: i32,
    pub kind: &'a str,
    pub lang: &'a str,
    pub pdf: &'a [u8],
}

/// Store a report unless the identical PDF is already stored for the same subject; returns its id.
pub async fn store_report<C: ConnectionTrait>(db: &C, new: &NewReport<'_>) -> Result<i32, DbError> {
    let digest = hex::encode(Sha256::digest(new.pdf));
    let mut existing = report::Entity::find()
        .filter(report::Column::Digest.eq(digest.as_str()))
        .filter(report::Column::Kind.eq(new.kind))
        .filter(report::Column::Lang.eq(new.lang));
    existing = match (new.scan_id, new.federation_id) {
        (Some(s), _) => existing.filter(report::Column::ScanId.eq(s)),
        (None, Some(f)) => existing.filter(report::Column::FederationId.eq(f)),
        (None, None) => existing,
    };
    if let Some(found) = existing.one(db).await? {
        return Ok(found.id);
    }
    let row = report::ActiveModel {
        scan_id: Set(new.scan_id),
        federation_id: Set(new.federation_id),
        year: Set(new.year),
        kind: Set(new.kind.to_owned()),
        lang: Set(new.lang.to_owned()),
        digest: Set(digest),
        pdf: Set(new.pdf.to_vec()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}
