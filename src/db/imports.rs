//! Storing an import: all or nothing, in one transaction. A file already imported into the scan (same
//! digest) changes nothing; a person who answered before is replaced by their later submission.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use super::entities::{import, import_replaced, installation, respondent, scan, team};
use super::import_history::{Undone, import_of, undo_in};
use super::organisations::{RevisionOf, bump_revision};
use super::resemblance::{self, Replaces, Resemblance};
use super::scans::ensure_scan;
use super::{DbError, packed};
use crate::domain::respondent::{ParsedRespondent, PseudonymKey};

const PSEUDONYM_KEY: &str = "pseudonym_key";
/// Respondents per INSERT (8 columns each): under the bind-parameter limits of SQLite (32,766) and
/// PostgreSQL (65,535).
const BATCH: usize = 4_000;

/// The installation's pseudonymisation key, created (32 random bytes) on first use.
pub async fn pseudonym_key(db: &DatabaseConnection) -> Result<PseudonymKey, DbError> {
    match read_key(db).await? {
        Some(k) => Ok(k),
        None => store_pseudonym_key(db, &PseudonymKey::random()).await,
    }
}

/// The installation's pseudonymisation key, when one was stored; reads only.
pub async fn existing_pseudonym_key(
    db: &DatabaseConnection,
) -> Result<Option<PseudonymKey>, DbError> {
    read_key(db).await
}

/// Store `candidate` as the installation's key unless one exists, and return the key that counts.
/// Two processes may race on first use: the first insert wins, both read the winner back.
pub async fn store_pseudonym_key(
    db: &DatabaseConnection,
    candidate: &PseudonymKey,
) -> Result<PseudonymKey, DbError> {
    let row = installation::ActiveModel {
        key: Set(PSEUDONYM_KEY.to_owned()),
        value: Set(candidate.to_hex()),
    };
    installation::Entity::insert(row)
        .on_conflict_do_nothing_on([installation::Column::Key])
        .exec(db)
        .await?;
    read_key(db)
        .await?
        .ok_or_else(|| DbError::Invalid("the pseudonymisation key could not be stored".into()))
}

async fn read_key<C: ConnectionTrait>(db: &C) -> Result<Option<PseudonymKey>, DbError> {
    let Some(row) = installation::Entity::find_by_id(PSEUDONYM_KEY.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let bytes = hex::decode(row.value.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok());
    match bytes {
        Some(b) => Ok(Some(PseudonymKey::new(b))),
        None => Err(DbError::Invalid(
            "the stored pseudonymisation key is damaged".into(),
        )),
    }
}

/// What to store.
pub struct NewImport<'a> {
    pub organisation_id: i32,
    pub year: i32,
    pub catalogue_version: &'a str,
    pub digest: &'a str,
    pub file_name: &'a str,
    pub respondents: &'a [ParsedRespondent],
    /// Whether the file replaces an earlier import of the scan (asked when it resembles one).
    pub replaces: Replaces,
}

/// What storing did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StoreOutcome {
    /// Nothing stored: the file's anonymous rows resemble this earlier import, and the user has not
    /// said whether the file replaces it.
    pub resembles: Option<Resemblance>,
    /// The earlier import the file replaced (`Replaces::Import`), taken out first.
    pub replaced_import: Option<Undone>,
    pub scan_created: bool,
    pub already_imported: bool,
    /// Respondents whose earlier answers were replaced.
    pub replaced: usize,
    /// Rows not stored because the same person's stored submission is later.
    pub older_ignored: usize,
}

/// Whether a file with this digest was imported into the organisation's scan of `year`; reads only.
pub async fn digest_imported(
    db: &DatabaseConnection,
    organisation_id: i32,
    year: i32,
    digest: &str,
) -> Result<bool, DbError> {
    let Some(scan) = super::scans::scan_in_year(db, organisation_id, year).await? else {
        return Ok(false);
    };
    digest_in_scan(db, scan.id, digest).await
}

/// Whether a file with this digest was imported into the scan.
async fn digest_in_scan<C: ConnectionTrait>(
    db: &C,
    scan_id: i32,
    digest: &str,
) -> Result<bool, DbError> {
    Ok(import::Entity::find()
        .filter(import::Column::ScanId.eq(scan_id))
        .filter(import::Column::FileDigest.eq(digest))
        .one(db)
        .await?
        .is_some())
}

/// Store an import in one transaction (IMMEDIATE on SQLite, so concurrent imports queue instead of failing).
pub async fn store_import(
    db: &DatabaseConnection,
    new: &NewImport<'_>,
) -> Result<StoreOutcome, DbError> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db.begin_with_options(options).await?;
    // First, so that concurrent imports of one organisation wait here for each other (PostgreSQL
    // locks the row; SQLite's IMMEDIATE transaction already did), and the revision orders them.
    bump_revision(&txn, RevisionOf::Organisation(new.organisation_id)).await?;
    let (scan, scan_created) =
        ensure_scan(&txn, new.organisation_id, new.year, new.catalogue_version).await?;
    if digest_in_scan(&txn, scan.id, new.digest).await? {
        txn.rollback().await?;
        return Ok(StoreOutcome {
            already_imported: true,
            ..StoreOutcome::default()
        });
    }
    let mut outcome = StoreOutcome {
        scan_created,
        ..StoreOutcome::default()
    };
    match new.replaces {
        Replaces::Import(id) => {
            let (_, of) = import_of(&txn, new.organisation_id, id).await?;
            if of.id != scan.id {
                return Err(DbError::NotFound {
                    what: "import",
                    key: id.to_string(),
                });
            }
            outcome.replaced_import = Some(undo_in(&txn, new.organisation_id, id).await?);
        }
        Replaces::Unasked | Replaces::Nothing => {}
    }
    let stored = respondent::Entity::find()
        .filter(respondent::Column::ScanId.eq(scan.id))
        .all(&txn)
        .await?;
    if new.replaces == Replaces::Unasked
        && let Some(r) = resemblance::in_scan(&txn, new.respondents, &stored).await?
    {
        txn.rollback().await?;
        outcome.resembles = Some(r);
        return Ok(outcome);
    }
    let import_row = import::ActiveModel {
        scan_id: Set(scan.id),
        file_digest: Set(new.digest.to_owned()),
        file_name: Set(new.file_name.to_owned()),
        respondents: Set(0),
        answers: Set(0),
        replaced: Set(0),
        imported_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let teams = ensure_teams(&txn, new.organisation_id, new.respondents).await?;
    let existing: HashMap<String, respondent::Model> = stored
        .into_iter()
        .map(|r| (r.pseudonym.clone(), r))
        .collect();

    let mut to_insert = Vec::new();
    let mut answers_stored = 0;
    for r in new.respondents {
        match existing.get(&r.pseudonym) {
            Some(old)
                if old.submitted_at.is_some()
                    && r.submitted_at.is_some()
                    && old.submitted_at > r.submitted_at =>
            {
                outcome.older_ignored += 1;
            }
            Some(old) => {
                // What undo puts back.
                import_replaced::ActiveModel {
                    import_id: Set(import_row.id),
                    respondent_id: Set(old.id),
                    previous_import_id: Set(old.import_id),
                    role: Set(old.role.clone()),
                    team_id: Set(old.team_id),
                    respondent_group: Set(old.respondent_group.clone()),
                    submitted_at: Set(old.submitted_at),
                    answers_packed: Set(old.answers_packed.clone()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                let mut m: respondent::ActiveModel = old.clone().into();
                m.role = Set(r.role.clone());
                m.team_id = Set(r.team.as_ref().and_then(|t| teams.get(t).copied()));
                m.respondent_group = Set(r.group.clone());
                m.submitted_at = Set(r.submitted_at);
                m.import_id = Set(Some(import_row.id));
                m.answers_packed = Set(Some(packed::fold(&r.answers)));
                m.update(&txn).await?;
                answers_stored += r.answers.len();
                outcome.replaced += 1;
            }
            None => to_insert.push(r),
        }
    }
    for chunk in to_insert.chunks(BATCH) {
        let models = chunk.iter().map(|r| respondent::ActiveModel {
            scan_id: Set(scan.id),
            pseudonym: Set(r.pseudonym.clone()),
            role: Set(r.role.clone()),
            team_id: Set(r.team.as_ref().and_then(|t| teams.get(t).copied())),
            respondent_group: Set(r.group.clone()),
            submitted_at: Set(r.submitted_at),
            import_id: Set(Some(import_row.id)),
            answers_packed: Set(Some(packed::fold(&r.answers))),
            ..Default::default()
        });
        respondent::Entity::insert_many(models)
            .exec_without_returning(&txn)
            .await?;
        answers_stored += chunk.iter().map(|r| r.answers.len()).sum::<usize>();
    }
    let mut m: import::ActiveModel = import_row.into();
    m.respondents = Set((new.respondents.len() - outcome.older_ignored) as i32);
    m.answers = Set(answers_stored as i32);
    m.replaced = Set(outcome.replaced as i32);
    m.update(&txn).await?;
    let mut s: scan::ActiveModel = scan::Entity::find_by_id(scan.id)
        .one(&txn)
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "scan",
            key: scan.id.to_string(),
        })?
        .into();
    s.status = Set("collecting".to_owned());
    s.update(&txn).await?;
    txn.commit().await?;
    Ok(outcome)
}

async fn ensure_teams<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    respondents: &[ParsedRespondent],
) -> Result<HashMap<String, i32>, DbError> {
    let teams: HashMap<String, i32> = team::Entity::find()
        .filter(team::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.name, t.id))
        .collect();
    let missing: std::collections::BTreeSet<&String> = respondents
        .iter()
        .filter_map(|r| r.team.as_ref())
        .filter(|name| !teams.contains_key(*name))
        .collect();
    if missing.is_empty() {
        return Ok(teams);
    }
    // Another import may add the same team at the same moment: insert what is missing, skip what
    // exists by then, and read them all back.
    let rows = missing.into_iter().map(|name| team::ActiveModel {
        organisation_id: Set(organisation_id),
        name: Set(name.clone()),
        ..Default::default()
    });
    team::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([team::Column::OrganisationId, team::Column::Name])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(team::Entity::find()
        .filter(team::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.name, t.id))
        .collect())
}

/// Remove the pseudonymisation key from the database (after `blendscan key move` wrote it to its
/// file); whether there was one.
pub async fn forget_pseudonym_key(db: &DatabaseConnection) -> Result<bool, DbError> {
    let done = installation::Entity::delete_by_id(PSEUDONYM_KEY.to_owned())
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}
