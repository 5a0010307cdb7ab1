//! Queries the service runs for one organisation: the organisation with what access needs to know
//! of it, its outbox, and a cheap revision of its scan data (for the score cache).

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use sea_orm::EntityTrait;

use super::entities::federation;
use super::{DbError, Federation, Organisation, OutboxMessage, outbox_messages};
use crate::domain::access::OrgRef;

/// The organisation with this slug and its access reference, in two small queries at most.
pub async fn organisation_with_ref<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<(Organisation, OrgRef)>, DbError> {
    let sql = "SELECT o.id, o.slug, o.name, o.sector, o.staff_headcount, o.federation_id, f.slug \
               FROM organisations o LEFT JOIN federations f ON f.id = o.federation_id \
               WHERE o.slug = $1";
    let Some(row) = db
        .query_one_raw(statement(db, sql, vec![slug.into()]))
        .await?
    else {
        return Ok(None);
    };
    let org = Organisation {
        id: row.try_get_by_index(0)?,
        slug: row.try_get_by_index(1)?,
        name: row.try_get_by_index(2)?,
        sector: row.try_get_by_index(3)?,
        staff_headcount: row.try_get_by_index(4)?,
        federation: row.try_get_by_index(6)?,
    };
    let r = OrgRef {
        id: org.id,
        federation_id: row.try_get_by_index(5)?,
    };
    Ok(Some((org, r)))
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

/// What a score of the organisation depends on besides the catalogue: the last import into any
/// of its scans, its staff headcount and its role-profile overrides. Equal revisions, equal scores.
pub async fn score_revision<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<(i64, i64, i64), DbError> {
    let sql = "SELECT \
        (SELECT COALESCE(MAX(i.id), 0) FROM imports i JOIN scans s ON s.id = i.scan_id \
           WHERE s.organisation_id = $1), \
        (SELECT COALESCE(staff_headcount, -1) FROM organisations WHERE id = $1), \
        (SELECT COUNT(*) FROM role_profile_overrides WHERE organisation_id = $1)";
    let row = db
        .query_one_raw(statement(db, sql, vec![organisation_id.into()]))
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "organisation",
            key: organisation_id.to_string(),
        })?;
    let get = |i: usize| -> Result<i64, DbError> {
        row.try_get_by_index::<i64>(i)
            .or_else(|_| row.try_get_by_index::<i32>(i).map(i64::from))
            .map_err(DbError::from)
    };
    Ok((get(0)?, get(1)?, get(2)?))
}

/// The messages about the organisation's reports, oldest first.
pub async fn organisation_outbox<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<OutboxMessage>, DbError> {
    let sql = "SELECT m.id FROM outbox m JOIN reports r ON r.id = m.report_id \
               JOIN scans s ON s.id = r.scan_id WHERE s.organisation_id = $1 ORDER BY m.id";
    let rows = db
        .query_all_raw(statement(db, sql, vec![organisation_id.into()]))
        .await?;
    let ids = rows
        .iter()
        .map(|r| r.try_get_by_index::<i32>(0))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    outbox_messages(db, &ids).await
}

fn statement<C: ConnectionTrait>(db: &C, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    let backend = db.get_database_backend();
    // SQLite numbers its parameters `?1`, PostgreSQL `$1`; both may repeat one.
    let sql = if backend == DbBackend::Sqlite {
        sql.replace('$', "?")
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}
