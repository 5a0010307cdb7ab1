//! Organisations: the tenants whose staff take the scan, with what access needs to know of them.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::Serialize;

use super::entities::{federation, organisation};
use super::federations::{ensure_federation, slugify};
use super::{DbError, statement};
use crate::domain::access::OrgRef;

/// An organisation as the rest of the product sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub sector: Option<String>,
    pub staff_headcount: Option<i32>,
    pub federation: Option<String>,
}

/// What `org add` asks for.
#[derive(Debug, Clone, Default)]
pub struct NewOrganisation {
    pub name: String,
    pub sector: Option<String>,
    pub federation: Option<String>,
    pub staff_headcount: Option<i32>,
}

async fn free_slug<C: ConnectionTrait>(db: &C, base: &str) -> Result<String, DbError> {
    let base = if base.is_empty() {
        "organisatie".to_owned()
    } else {
        base.to_owned()
    };
    let taken: Vec<String> = organisation::Entity::find()
        .filter(organisation::Column::Slug.starts_with(&base))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.slug)
        .collect();
    if !taken.contains(&base) {
        return Ok(base);
    }
    let mut n = 2;
    while taken.contains(&format!("{base}-{n}")) {
        n += 1;
    }
    Ok(format!("{base}-{n}"))
}

/// The name an organisation is stored under: trimmed, not empty.
fn checked_name(name: &str) -> Result<&str, DbError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DbError::Invalid("the organisation name is empty".into()));
    }
    Ok(name)
}

/// An organisation's profile as stored: a sector (blank is none) and a staff headcount from 1 to
/// 1,000,000 — one rule whether it is added or changed, from the command line or a page.
fn checked_profile(
    sector: Option<&str>,
    staff_headcount: Option<i32>,
) -> Result<(Option<String>, Option<i32>), DbError> {
    if let Some(n) = staff_headcount
        && !(1..=1_000_000).contains(&n)
    {
        return Err(DbError::Invalid(format!(
            "the staff headcount must be between 1 and 1000000, got {n}"
        )));
    }
    let sector = sector
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    Ok((sector, staff_headcount))
}

/// Add an organisation with a fresh, unique slug.
pub async fn add_organisation<C: ConnectionTrait>(
    db: &C,
    new: &NewOrganisation,
) -> Result<Organisation, DbError> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(DbError::Invalid(
            "--name: the organisation name is empty".into(),
        ));
    }
    if let Some(n) = new.staff_headcount
        && n < 1
    {
        return Err(DbError::Invalid(format!(
            "--staff: the staff headcount must be at least 1, got {n}"
        )));
    }
    let (sector, staff_headcount) = checked_profile(new.sector.as_deref(), new.staff_headcount)?;
    let federation = match new.federation.as_deref() {
        Some(f) => Some(ensure_federation(db, f).await?.0),
        None => None,
    };
    let o = organisation::ActiveModel {
        slug: Set(free_slug(db, &slugify(name)).await?),
        name: Set(name.to_owned()),
        sector: Set(sector),
        staff_headcount: Set(staff_headcount),
        federation_id: Set(federation.as_ref().map(|f| f.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Organisation {
        id: o.id,
        slug: o.slug,
        name: o.name,
        sector: o.sector,
        staff_headcount: o.staff_headcount,
        federation: federation.map(|f| f.slug),
    })
}

/// Every organisation, by name.
pub async fn list_organisations<C: ConnectionTrait>(db: &C) -> Result<Vec<Organisation>, DbError> {
    let feds = federation::Entity::find().all(db).await?;
    let orgs = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?;
    Ok(orgs.into_iter().map(|o| to_domain(o, &feds)).collect())
}

/// The organisation with this slug.
pub async fn organisation_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Organisation, DbError> {
    let o = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "organisation",
            key: slug.to_owned(),
        })?;
    let feds = federation::Entity::find().all(db).await?;
    Ok(to_domain(o, &feds))
}

fn to_domain(o: organisation::Model, feds: &[federation::Model]) -> Organisation {
    let federation = o
        .federation_id
        .and_then(|id| feds.iter().find(|f| f.id == id))
        .map(|f| f.slug.clone());
    Organisation {
        id: o.id,
        slug: o.slug,
        name: o.name,
        sector: o.sector,
        staff_headcount: o.staff_headcount,
        federation,
    }
}

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

/// Every organisation as access sees it, with its slug.
pub async fn organisation_refs<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<(String, OrgRef)>, DbError> {
    Ok(organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            (
                o.slug,
                OrgRef {
                    id: o.id,
                    federation_id: o.federation_id,
                },
            )
        })
        .collect())
}

/// Raise the data revision of the organisation of `scan_id` (or of `organisation_id`), inside the
/// transaction that changes its data. On PostgreSQL the row stays locked until that transaction ends,
/// so changes to one organisation's data are made one after the other, and the revision follows the
/// order in which they commit.
pub(crate) async fn bump_revision<C: ConnectionTrait>(
    db: &C,
    organisation: RevisionOf,
) -> Result<(), DbError> {
    let (sql, id) = match organisation {
        RevisionOf::Organisation(id) => (
            "UPDATE organisations SET data_revision = data_revision + 1 WHERE id = $1",
            id,
        ),
        RevisionOf::Scan(id) => (
            "UPDATE organisations SET data_revision = data_revision + 1 \
             WHERE id = (SELECT organisation_id FROM scans WHERE id = $1)",
            id,
        ),
    };
    db.execute_raw(statement(db, sql, vec![id.into()])).await?;
    Ok(())
}

/// Whose revision to raise.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RevisionOf {
    Organisation(i32),
    Scan(i32),
}

/// Change an organisation's sector and staff headcount (what its response rate is measured
/// against); its data revision goes up with it, so scores made with the old headcount are not used
/// again.
pub async fn update_profile(
    db: &sea_orm::DatabaseConnection,
    organisation_id: i32,
    sector: Option<&str>,
    staff_headcount: Option<i32>,
) -> Result<(), DbError> {
    let (sector, staff_headcount) = checked_profile(sector, staff_headcount)?;
    let txn = db.begin().await?;
    organisation::Entity::update_many()
        .col_expr(organisation::Column::Sector, Expr::value(sector))
        .col_expr(
            organisation::Column::StaffHeadcount,
            Expr::value(staff_headcount),
        )
        .filter(organisation::Column::Id.eq(organisation_id))
        .exec(&txn)
        .await?;
    bump_revision(&txn, RevisionOf::Organisation(organisation_id)).await?;
    txn.commit().await?;
    Ok(())
}

/// What the admin may change of an organisation. Its slug stays: addresses, accounts and API
/// clients name the organisation by it.
#[derive(Debug, Clone, Default)]
pub struct OrganisationChange {
    pub name: String,
    pub sector: Option<String>,
    pub staff_headcount: Option<i32>,
    /// By name or slug, created when new; none takes it out of its federation.
    pub federation: Option<String>,
}

/// Change an organisation's name, profile and federation, in one transaction; its data revision
/// goes up with it, as with [`update_profile`].
pub async fn update_organisation(
    db: &sea_orm::DatabaseConnection,
    organisation_id: i32,
    change: &OrganisationChange,
) -> Result<(), DbError> {
    let name = checked_name(&change.name)?.to_owned();
    let (sector, staff_headcount) =
        checked_profile(change.sector.as_deref(), change.staff_headcount)?;
    let txn = db.begin().await?;
    let federation = match change.federation.as_deref().map(str::trim) {
        Some(f) if !f.is_empty() => Some(ensure_federation(&txn, f).await?.0),
        _ => None,
    };
    let updated = organisation::Entity::update_many()
        .col_expr(organisation::Column::Name, Expr::value(name))
        .col_expr(organisation::Column::Sector, Expr::value(sector))
        .col_expr(
            organisation::Column::StaffHeadcount,
            Expr::value(staff_headcount),
        )
        .col_expr(
            organisation::Column::FederationId,
            Expr::value(federation.map(|f| f.id)),
        )
        .filter(organisation::Column::Id.eq(organisation_id))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(DbError::NotFound {
            what: "organisation",
            key: organisation_id.to_string(),
        });
    }
    bump_revision(&txn, RevisionOf::Organisation(organisation_id)).await?;
    txn.commit().await?;
    Ok(())
}
