//! An anonymous file that resembles an import already in the scan (a corrected copy would count every
//! person twice): found before storing, so the import can stop and ask whether it replaces that one.
//! The rule itself is `domain::resemblance`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::entities::{import, respondent};
use super::{DbError, packed};
pub use crate::domain::resemblance::Replaces;
use crate::domain::resemblance::{RowPrint, closest};
use crate::domain::respondent::ParsedRespondent;

/// The earlier import a file of anonymous answers resembles.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Resemblance {
    /// The earlier import's id (`import list`; `--replaces ID`).
    pub import: i32,
    pub file_name: String,
    pub imported_at: DateTime<Utc>,
    /// Anonymous rows of the new file equal to a row of the earlier import.
    pub equal_rows: usize,
    /// Anonymous rows of the new file.
    pub rows: usize,
    /// Rows of the earlier import still in the scan.
    pub earlier_rows: usize,
}

/// The import of the organisation's scan of `year` the file's anonymous rows resemble; reads only.
pub async fn resembling<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    year: i32,
    respondents: &[ParsedRespondent],
) -> Result<Option<Resemblance>, DbError> {
    let Some(scan) = super::scans::scan_in_year(db, organisation_id, year).await? else {
        return Ok(None);
    };
    let stored = respondent::Entity::find()
        .filter(respondent::Column::ScanId.eq(scan.id))
        .all(db)
        .await?;
    in_scan(db, respondents, &stored).await
}

/// The import among the scan's `stored` respondents that the file's anonymous rows resemble.
pub(super) async fn in_scan<C: ConnectionTrait>(
    db: &C,
    respondents: &[ParsedRespondent],
    stored: &[respondent::Model],
) -> Result<Option<Resemblance>, DbError> {
    // Nothing to resemble, or nobody anonymous: no row is folded and compared.
    if stored.is_empty() || !respondents.iter().any(|r| r.anonymous) {
        return Ok(None);
    }
    let new: Vec<RowPrint> = respondents
        .iter()
        .filter(|r| r.anonymous)
        .map(|r| {
            let text = packed::fold(&r.answers);
            RowPrint::new(r.role.as_deref(), r.group.as_deref(), entries(&text))
        })
        .collect();
    let mut earlier: HashMap<i32, Vec<RowPrint>> = HashMap::new();
    for r in stored {
        if let Some(id) = r.import_id {
            let text = r.answers_packed.as_deref().unwrap_or("");
            earlier.entry(id).or_default().push(RowPrint::new(
                r.role.as_deref(),
                r.respondent_group.as_deref(),
                entries(text),
            ));
        }
    }
    let Some((id, likeness)) = closest(&new, &earlier) else {
        return Ok(None);
    };
    let row = import::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "import",
            key: id.to_string(),
        })?;
    Ok(Some(Resemblance {
        import: id,
        file_name: row.file_name,
        imported_at: row.imported_at,
        equal_rows: likeness.equal_rows,
        rows: likeness.rows,
        earlier_rows: likeness.earlier_rows,
    }))
}

/// The `CODE:VALUE` entries of a packed answer text (see `packed`).
fn entries(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect()
}
