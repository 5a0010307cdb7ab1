//! Federations, organisations and scans: who the data belongs to.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;

use super::DbError;
use super::entities::{federation, organisation, scan};

/// An organisation as the rest of the product sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// A federation (koepel) and whether this call created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Federation {
    pub id: i32,
    pub slug: String,
    pub name: String,
}

/// A lowercase ASCII slug of a name: `CAW De Brug` → `caw-de-brug`.
pub fn slugify(name: &str) -> String {
    slug::slugify(name)
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

/// Find a federation by slug or by name.
pub async fn find_federation<C: ConnectionTrait>(
    db: &C,
    key: &str,
) -> Result<Option<Federation>, DbError> {
    let found = federation::Entity::find()
        .filter(
            Condition::any()
                .add(federation::Column::Slug.eq(slugify(key)))
                .add(federation::Column::Name.eq(key.trim())),
        )
        .one(db)
        .await?;
    Ok(found.map(|f| Federation {
        id: f.id,
        slug: f.slug,
        name: f.name,
    }))
}

/// Find a federation by slug or name, creating it when it does not exist. Returns it and whether it is new.
pub async fn ensure_federation<C: ConnectionTrait>(
    db: &C,
    name: &str,
) -> Result<(Federation, bool), DbError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DbError::Invalid(
            "--federation: the federation name is empty".into(),
        ));
    }
    if let Some(f) = find_federation(db, name).await? {
        return Ok((f, false));
    }
    let f = federation::ActiveModel {
        slug: Set(slugify(name)),
        name: Set(name.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((
        Federation {
            id: f.id,
            slug: f.slug,
            name: f.name,
        },
        true,
    ))
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
    let federation = match new.federation.as_deref() {
        Some(f) => Some(ensure_federation(db, f).await?.0),
        None => None,
    };
    let sector = new
        .sector
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let o = organisation::ActiveModel {
        slug: Set(free_slug(db, &slugify(name)).await?),
        name: Set(name.to_owned()),
        sector: Set(sector),
        staff_headcount: Set(new.staff_headcount),
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
