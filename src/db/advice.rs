//! A process counsellor's advice per scan: stored whole, replaced whole, and every save kept as a
//! numbered version (who, when, what) so that a save can be made conditional on the version the
//! writer read. Plain records here; the report layer checks the advice against the catalogue
//! before it gets this far.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, SqlErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::DbError;
use super::entities::{action_plan_item, advice, advice_aspect, advice_version};
use super::organisations::{RevisionOf, bump_revision};

/// The advice on one scan as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAdvice {
    pub counsellor: Option<String>,
    pub summary: Option<String>,
    /// (aspect code, advice).
    pub aspects: Vec<(String, String)>,
    /// In plan order.
    pub plan: Vec<StoredPlanItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPlanItem {
    pub action_code: String,
    pub owner: String,
    pub due_date: NaiveDate,
    pub status: String,
    pub note: Option<String>,
    #[serde(default)]
    pub indicator: Option<String>,
    #[serde(default)]
    pub resources: Option<String>,
}

/// Who saved a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    /// An account, through the API or the pages.
    Account { user_id: i32, email: String },
    /// `blendscan advice set` (or the demo).
    CommandLine,
}

/// On which condition a save goes ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    /// Always (the command line: the file is the truth).
    Any,
    /// Only when the scan has no advice yet (`If-None-Match: *`).
    Absent,
    /// Only when the current version is this one (`If-Match`).
    Version(i32),
    /// Only when the scan has an advice, whatever its version (`If-Match: *`).
    Present,
}

/// What became of a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Stored as this version.
    Saved(i32),
    /// Not stored: the precondition did not hold; the current version (none: no advice yet).
    Stale { current: Option<i32> },
}

/// One version of an advice, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AdviceVersion {
    pub version: i32,
    pub saved_at: DateTime<Utc>,
    /// `account`, `command_line` or `earlier` (saved before versions were kept).
    pub origin: String,
    pub user_id: Option<i32>,
    /// The account's e-mail address when it saved.
    pub saved_by: Option<String>,
}

/// Replace the advice of a scan unconditionally, as the command line does; kept as a new version.
pub async fn replace_advice(
    db: &DatabaseConnection,
    scan_id: i32,
    new: &StoredAdvice,
) -> Result<(), DbError> {
    save_advice(db, scan_id, new, Precondition::Any, &Author::CommandLine).await?;
    Ok(())
}

/// Store `new` as the advice of a scan when `pre` holds, as the next version (in one transaction:
/// the old advice is gone only when the new one and its version are in). Two saves that read the
/// same version cannot both succeed: one of them answers [`SaveOutcome::Stale`].
pub async fn save_advice(
    db: &DatabaseConnection,
    scan_id: i32,
    new: &StoredAdvice,
    pre: Precondition,
    by: &Author,
) -> Result<SaveOutcome, DbError> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db.begin_with_options(options).await?;
    // First: on PostgreSQL this locks the organisation's row, so saves of one scan take turns and
    // each reads the version the previous one wrote.
    bump_revision(&txn, RevisionOf::Scan(scan_id)).await?;
    let old = advice::Entity::find()
        .filter(advice::Column::ScanId.eq(scan_id))
        .one(&txn)
        .await?;
    let current = match &old {
        Some(_) => Some(latest_version(&txn, scan_id).await?.unwrap_or(0)),
        None => None,
    };
    let holds = match pre {
        Precondition::Any => true,
        Precondition::Absent => current.is_none(),
        Precondition::Present => current.is_some(),
        Precondition::Version(v) => current == Some(v),
    };
    if !holds {
        txn.rollback().await?;
        return Ok(SaveOutcome::Stale { current });
    }
    if let Some(old) = old {
        delete_advice_rows(&txn, old.id).await?;
    }
    let version = latest_version(&txn, scan_id).await?.unwrap_or(0) + 1;
    let (origin, user_id, saved_by) = match by {
        Author::Account { user_id, email } => ("account", Some(*user_id), Some(email.clone())),
        Author::CommandLine => ("command_line", None, None),
    };
    let content = serde_json::to_string(new).map_err(|e| DbError::Invalid(e.to_string()))?;
    let inserted = advice_version::ActiveModel {
        scan_id: Set(scan_id),
        version: Set(version),
        saved_at: Set(Utc::now()),
        origin: Set(origin.to_owned()),
        user_id: Set(user_id),
        saved_by: Set(saved_by),
        content: Set(Some(content)),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        // Another save took this number first: this one read an older version.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            return Ok(SaveOutcome::Stale {
                current: latest_version(db, scan_id).await?,
            });
        }
        Err(e) => return Err(e.into()),
    }
    insert_advice_rows(&txn, scan_id, new).await?;
    txn.commit().await?;
    Ok(SaveOutcome::Saved(version))
}

async fn delete_advice_rows(txn: &DatabaseTransaction, advice_id: i32) -> Result<(), DbError> {
    advice_aspect::Entity::delete_many()
        .filter(advice_aspect::Column::AdviceId.eq(advice_id))
        .exec(txn)
        .await?;
    action_plan_item::Entity::delete_many()
        .filter(action_plan_item::Column::AdviceId.eq(advice_id))
        .exec(txn)
        .await?;
    advice::Entity::delete_by_id(advice_id).exec(txn).await?;
    Ok(())
}

async fn insert_advice_rows(
    txn: &DatabaseTransaction,
    scan_id: i32,
    new: &StoredAdvice,
) -> Result<(), DbError> {
    let row = advice::ActiveModel {
        scan_id: Set(scan_id),
        counsellor: Set(new.counsellor.clone()),
        summary: Set(new.summary.clone()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    if !new.aspects.is_empty() {
        advice_aspect::Entity::insert_many(new.aspects.iter().map(|(aspect, text)| {
            advice_aspect::ActiveModel {
                advice_id: Set(row.id),
                aspect: Set(aspect.clone()),
                advice: Set(text.clone()),
                ..Default::default()
            }
        }))
        .exec(txn)
        .await?;
    }
    if !new.plan.is_empty() {
        action_plan_item::Entity::insert_many(new.plan.iter().enumerate().map(|(i, p)| {
            action_plan_item::ActiveModel {
                advice_id: Set(row.id),
                position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                action_code: Set(p.action_code.clone()),
                owner: Set(p.owner.clone()),
                due_date: Set(p.due_date),
                status: Set(p.status.clone()),
                note: Set(p.note.clone()),
                indicator: Set(p.indicator.clone()),
                resources: Set(p.resources.clone()),
                ..Default::default()
            }
        }))
        .exec(txn)
        .await?;
    }
    Ok(())
}

/// The number of the newest version of a scan's advice.
async fn latest_version<C: ConnectionTrait>(db: &C, scan_id: i32) -> Result<Option<i32>, DbError> {
    Ok(advice_version::Entity::find()
        .filter(advice_version::Column::ScanId.eq(scan_id))
        .order_by_desc(advice_version::Column::Version)
        .limit(1)
        .one(db)
        .await?
        .map(|v| v.version))
}

/// The advice of a scan with its version (0 for an advice an older release stored without one).
/// The version is read before and after the advice, so the pair always belongs together.
pub async fn versioned_advice_of_scan<C: ConnectionTrait>(
    db: &C,
    scan_id: i32,
) -> Result<Option<(StoredAdvice, i32)>, DbError> {
    let mut before = latest_version(db, scan_id).await?;
    for _ in 0..5 {
        let advice = advice_of_scan(db, scan_id).await?;
        let after = latest_version(db, scan_id).await?;
        if after == before {
            return Ok(advice.map(|a| (a, after.unwrap_or(0))));
        }
        before = after;
    }
    Err(DbError::Invalid(
        "the advice kept changing while it was read; try again".to_owned(),
    ))
}

/// The versions of a scan's advice, newest first.
pub async fn advice_versions<C: ConnectionTrait>(
    db: &C,
    scan_id: i32,
) -> Result<Vec<AdviceVersion>, DbError> {
    Ok(advice_version::Entity::find()
        .filter(advice_version::Column::ScanId.eq(scan_id))
        .order_by_desc(advice_version::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(|v| AdviceVersion {
            version: v.version,
            saved_at: v.saved_at,
            origin: v.origin,
            user_id: v.user_id,
            saved_by: v.saved_by,
        })
        .collect())
}

/// The content of one version, when it was kept (not for `earlier`).
pub async fn advice_version_content<C: ConnectionTrait>(
    db: &C,
    scan_id: i32,
    version: i32,
) -> Result<Option<StoredAdvice>, DbError> {
    let row = advice_version::Entity::find()
        .filter(advice_version::Column::ScanId.eq(scan_id))
        .filter(advice_version::Column::Version.eq(version))
        .one(db)
        .await?;
    match row.and_then(|r| r.content) {
        Some(json) => serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| DbError::Invalid(format!("advice version {version}: {e}"))),
        None => Ok(None),
    }
}

/// The advice of a scan, if a counsellor gave one.
pub async fn advice_of_scan<C: ConnectionTrait>(
    db: &C,
    scan_id: i32,
) -> Result<Option<StoredAdvice>, DbError> {
    let Some(row) = advice::Entity::find()
        .filter(advice::Column::ScanId.eq(scan_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let aspects = advice_aspect::Entity::find()
        .filter(advice_aspect::Column::AdviceId.eq(row.id))
        .order_by_asc(advice_aspect::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.aspect, a.advice))
        .collect();
    let plan = action_plan_item::Entity::find()
        .filter(action_plan_item::Column::AdviceId.eq(row.id))
        .order_by_asc(action_plan_item::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|p| StoredPlanItem {
            action_code: p.action_code,
            owner: p.owner,
            due_date: p.due_date,
            status: p.status,
            note: p.note,
            indicator: p.indicator,
            resources: p.resources,
        })
        .collect();
    Ok(Some(StoredAdvice {
        counsellor: row.counsellor,
        summary: row.summary,
        aspects,
        plan,
    }))
}
