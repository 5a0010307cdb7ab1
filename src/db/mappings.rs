//! Remembered column mappings: per organisation, the code a user confirmed for a header (by its
//! normalised text), or none for "this column is no question". Used again for the next file and year.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::DbError;
use super::entities::import_mapping;

/// The longest key stored: normalised headers are ASCII, so bytes are characters.
const KEY_CHARS: usize = 400;

fn cut(key: &str) -> String {
    key.chars().take(KEY_CHARS).collect()
}

/// The organisation's remembered choices, header key → code (`None`: no item).
pub async fn remembered(
    db: &DatabaseConnection,
    organisation_id: i32,
) -> Result<HashMap<String, Option<String>>, DbError> {
    Ok(import_mapping::Entity::find()
        .filter(import_mapping::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.header_key, m.code))
        .collect())
}

/// Remember choices (header key, code); a later choice for the same header replaces the earlier.
pub async fn remember(
    db: &DatabaseConnection,
    organisation_id: i32,
    choices: &[(String, Option<String>)],
) -> Result<(), DbError> {
    let now = Utc::now();
    let mut seen = std::collections::HashSet::new();
    let rows: Vec<import_mapping::ActiveModel> = choices
        .iter()
        .filter(|(k, _)| !k.is_empty() && seen.insert(cut(k)))
        .map(|(k, code)| import_mapping::ActiveModel {
            organisation_id: Set(organisation_id),
            header_key: Set(cut(k)),
            code: Set(code.clone()),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    import_mapping::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                import_mapping::Column::OrganisationId,
                import_mapping::Column::HeaderKey,
            ])
            .update_columns([
                import_mapping::Column::Code,
                import_mapping::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}
