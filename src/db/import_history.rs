//! The imports of an organisation's scans, and taking one out again (undo): its respondents removed,
//! the earlier answers it replaced put back, the organisation's data revision raised so cached
//! scores are recomputed.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use super::DbError;
use super::entities::{import, import_replaced, respondent, scan};
use super::organisations::{RevisionOf, bump_revision};

/// One import as `import list` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportRow {
    pub id: i32,
    pub year: i32,
    pub file_name: String,
    pub digest: String,
    pub imported_at: DateTime<Utc>,
    pub respondents: i32,
    pub answers: i32,
    pub replaced: i32,
    /// Respondents of the scan that still come from this import.
    pub current_respondents: u64,
}

/// The organisation's imports, newest first; of one year when given.
pub async fn list(
    db: &DatabaseConnection,
    organisation_id: i32,
    year: Option<i32>,
) -> Result<Vec<ImportRow>, DbError> {
    let mut scans = scan::Entity::find().filter(scan::Column::OrganisationId.eq(organisation_id));
    if let Some(y) = year {
        scans = scans.filter(scan::Column::Year.eq(y));
    }
    let mut out = Vec::new();
    for s in scans.all(db).await? {
        let imports = import::Entity::find()
            .filter(import::Column::ScanId.eq(s.id))
            .order_by_desc(import::Column::Id)
            .all(db)
            .await?;
        for i in imports {
            let current = sea_orm::PaginatorTrait::count(
                respondent::Entity::find().filter(respondent::Column::ImportId.eq(i.id)),
                db,
            )
            .await?;
            out.push(ImportRow {
                id: i.id,
                year: s.year,
                file_name: i.file_name,
                digest: i.file_digest,
                imported_at: i.imported_at,
                respondents: i.respondents,
                answers: i.answers,
                replaced: i.replaced,
                current_respondents: current,
            });
        }
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.id));
    Ok(out)
}

/// What undo did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Undone {
    pub year: i32,
    /// Respondents taken out of the scan.
    pub removed: u64,
    /// Respondents whose earlier submission (from an earlier import) was put back.
    pub restored: u64,
}

/// Take import `import_id` of the organisation out of its scan, in one transaction.
pub async fn undo(
    db: &DatabaseConnection,
    organisation_id: i32,
    import_id: i32,
) -> Result<Undone, DbError> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db.begin_with_options(options).await?;
    bump_revision(&txn, RevisionOf::Organisation(organisation_id)).await?;
    let done = undo_in(&txn, organisation_id, import_id).await?;
    txn.commit().await?;
    Ok(done)
}

/// The import `import_id` of the organisation, with the year of its scan.
pub async fn import_of<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    import_id: i32,
) -> Result<(import::Model, scan::Model), DbError> {
    let not_found = || DbError::NotFound {
        what: "import",
        key: import_id.to_string(),
    };
    let row = import::Entity::find_by_id(import_id)
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let scan = scan::Entity::find_by_id(row.scan_id)
        .one(db)
        .await?
        .filter(|s| s.organisation_id == organisation_id)
        .ok_or_else(not_found)?;
    Ok((row, scan))
}

/// [`undo`] inside the caller's transaction (which raised the organisation's data revision): also
/// the first step of an import that replaces an earlier one.
pub(super) async fn undo_in<C: ConnectionTrait>(
    txn: &C,
    organisation_id: i32,
    import_id: i32,
) -> Result<Undone, DbError> {
    let (_, scan) = import_of(txn, organisation_id, import_id).await?;
    let mut done = Undone {
        year: scan.year,
        ..Undone::default()
    };
    // Put back what this import replaced, unless a later import replaced it again since.
    let replaced = import_replaced::Entity::find()
        .filter(import_replaced::Column::ImportId.eq(import_id))
        .order_by_desc(import_replaced::Column::Id)
        .all(txn)
        .await?;
    for old in replaced {
        let Some(current) = respondent::Entity::find_by_id(old.respondent_id)
            .one(txn)
            .await?
            .filter(|r| r.import_id == Some(import_id))
        else {
            continue;
        };
        let mut m: respondent::ActiveModel = current.into();
        m.role = Set(old.role);
        m.team_id = Set(old.team_id);
        m.respondent_group = Set(old.respondent_group);
        m.submitted_at = Set(old.submitted_at);
        m.import_id = Set(old.previous_import_id);
        m.answers_packed = Set(old.answers_packed);
        m.update(txn).await?;
        done.restored += 1;
    }
    done.removed = respondent::Entity::delete_many()
        .filter(respondent::Column::ImportId.eq(import_id))
        .exec(txn)
        .await?
        .rows_affected;
    import::Entity::delete_by_id(import_id).exec(txn).await?;
    Ok(done)
}
