//! What tests read back from the database that the product itself never asks: counts of what an
//! import stored, every answer of a scan, and a session's expiry moved so that it runs out.

use blendscan::db::entities::{import, respondent, session};
use blendscan::db::packed;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// One stored answer, as the tests read them back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoredAnswer {
    pub pseudonym: String,
    pub item_code: String,
    pub value: Option<i16>,
    pub missing: Option<String>,
}

async fn respondents_of_scan<C: ConnectionTrait>(db: &C, scan_id: i32) -> Vec<respondent::Model> {
    respondent::Entity::find()
        .filter(respondent::Column::ScanId.eq(scan_id))
        .order_by_asc(respondent::Column::Id)
        .all(db)
        .await
        .expect("respondents of the scan")
}

/// Every stored answer of a scan, ordered by respondent pseudonym and item code.
pub async fn answers_of_scan<C: ConnectionTrait>(db: &C, scan_id: i32) -> Vec<StoredAnswer> {
    let mut out = Vec::new();
    for r in respondents_of_scan(db, scan_id).await {
        let text = r.answers_packed.unwrap_or_default();
        out.extend(
            packed::entries(&text).map(|(code, value, missing)| StoredAnswer {
                pseudonym: r.pseudonym.clone(),
                item_code: code.to_owned(),
                value,
                missing: missing.map(str::to_owned),
            }),
        );
    }
    out.sort();
    out
}

/// How many respondents, answers and imports a scan holds.
pub async fn scan_counts<C: ConnectionTrait>(db: &C, scan_id: i32) -> (usize, usize, usize) {
    let respondents = respondents_of_scan(db, scan_id).await;
    let answers = respondents
        .iter()
        .map(|r| r.answers_packed.as_deref().map_or(0, packed::count))
        .sum();
    let imports = import::Entity::find()
        .filter(import::Column::ScanId.eq(scan_id))
        .count(db)
        .await
        .expect("imports of the scan");
    (respondents.len(), answers, imports as usize)
}

/// How many files have been imported, in all scans (a refused request stored none).
pub async fn imports_count<C: ConnectionTrait>(db: &C) -> u64 {
    import::Entity::find().count(db).await.expect("imports")
}

/// Move a session's expiry, to let it run out.
pub async fn set_session_expiry<C: ConnectionTrait>(db: &C, id: i32, expires_at: DateTime<Utc>) {
    session::Entity::update_many()
        .col_expr(session::Column::ExpiresAt, Expr::value(expires_at))
        .filter(session::Column::Id.eq(id))
        .exec(db)
        .await
        .expect("session expiry moved");
}

/// Mark an outbox message as failed for good, as a worker does after its last attempt.
pub async fn fail_message<C: ConnectionTrait>(db: &C, id: i32, error: &str) {
    use blendscan::db::entities::outbox;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value("failed"))
        .col_expr(outbox::Column::LastError, Expr::value(error))
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await
        .expect("message marked failed");
}
