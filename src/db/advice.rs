//! A process counsellor's advice per scan: stored whole, replaced whole. Plain records here; the
//! report layer checks the advice against the catalogue before it gets this far.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use super::DbError;
use super::entities::{action_plan_item, advice, advice_aspect};
use super::organisations::{RevisionOf, bump_revision};

/// The advice on one scan as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredAdvice {
    pub counsellor: Option<String>,
    pub summary: Option<String>,
    /// (aspect code, advice).
    pub aspects: Vec<(String, String)>,
    /// In plan order.
    pub plan: Vec<StoredPlanItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPlanItem {
    pub action_code: String,
    pub owner: String,
    pub due_date: NaiveDate,
    pub status: String,
    pub note: Option<String>,
}

/// Replace the advice of a scan (in one transaction: the old advice is gone only when the new one is in).
pub async fn replace_advice(
    db: &DatabaseConnection,
    scan_id: i32,
    new: &StoredAdvice,
) -> Result<(), DbError> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db.begin_with_options(options).await?;
    bump_revision(&txn, RevisionOf::Scan(scan_id)).await?;
    if let Some(old) = advice::Entity::find()
        .filter(advice::Column::ScanId.eq(scan_id))
        .one(&txn)
        .await?
    {
        advice_aspect::Entity::delete_many()
            .filter(advice_aspect::Column::AdviceId.eq(old.id))
            .exec(&txn)
            .await?;
        action_plan_item::Entity::delete_many()
            .filter(action_plan_item::Column::AdviceId.eq(old.id))
            .exec(&txn)
            .await?;
        advice::Entity::delete_by_id(old.id).exec(&txn).await?;
    }
    let row = advice::ActiveModel {
        scan_id: Set(scan_id),
        counsellor: Set(new.counsellor.clone()),
        summary: Set(new.summary.clone()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
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
        .exec(&txn)
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
                ..Default::default()
            }
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
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
        })
        .collect();
    Ok(Some(StoredAdvice {
        counsellor: row.counsellor,
        summary: row.summary,
        aspects,
        plan,
    }))
}
