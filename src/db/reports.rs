//! Rendered reports kept in the `reports` table, so a report can be sent or fetched again exactly as
//! it was made. One row per PDF (`uq_reports_digest`); `data_key` says what it was rendered from, so
//! a report whose data has not changed is served from here instead of rendered again.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
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
    /// What it was rendered from (`Renderer::data_key`), when known.
    pub data_key: Option<&'a str>,
}

/// Store a report unless the identical PDF is already stored; returns its id. Safe when several
/// processes store the same PDF at once: the unique digest keeps one row, and all get its id.
pub async fn store_report<C: ConnectionTrait>(db: &C, new: &NewReport<'_>) -> Result<i32, DbError> {
    let digest = hex::encode(Sha256::digest(new.pdf));
    let find = || report::Entity::find().filter(report::Column::Digest.eq(digest.as_str()));
    let found: Option<i32> = find()
        .select_only()
        .column(report::Column::Id)
        .into_tuple()
        .one(db)
        .await?;
    if let Some(id) = found {
        if let Some(key) = new.data_key {
            // Stored before it had a key: give it this one, so the next request finds it.
            report::Entity::update_many()
                .col_expr(
                    report::Column::DataKey,
                    sea_orm::sea_query::Expr::value(key),
                )
                .filter(report::Column::Id.eq(id))
                .filter(report::Column::DataKey.is_null())
                .exec(db)
                .await?;
        }
        return Ok(id);
    }
    report::Entity::insert(report::ActiveModel {
        scan_id: Set(new.scan_id),
        federation_id: Set(new.federation_id),
        year: Set(new.year),
        kind: Set(new.kind.to_owned()),
        lang: Set(new.lang.to_owned()),
        digest: Set(digest.clone()),
        pdf: Set(new.pdf.to_vec()),
        created_at: Set(Utc::now()),
        data_key: Set(new.data_key.map(str::to_owned)),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(report::Column::Digest)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    find()
        .select_only()
        .column(report::Column::Id)
        .into_tuple()
        .one(db)
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "report",
            key: digest,
        })
}

/// A stored report rendered from `data_key` (see `Renderer::data_key`): its id and PDF.
pub async fn report_by_data_key<C: ConnectionTrait>(
    db: &C,
    data_key: &str,
) -> Result<Option<(i32, Vec<u8>)>, DbError> {
    Ok(report::Entity::find()
        .filter(report::Column::DataKey.eq(data_key))
        .one(db)
        .await?
        .map(|r| (r.id, r.pdf)))
}
