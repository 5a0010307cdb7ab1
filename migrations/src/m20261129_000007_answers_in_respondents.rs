//! A respondent's answers live in one place: `respondents.answers_packed`, one text per respondent
//! (`A1Q1:3,A1Q2:dont_know,C2K1:4`; an entry's value is the answer or the reason it is missing). The
//! `answers` table, one row per answer, goes: storing 5,000 × 150 answers as 750,000 rows took most of
//! an import's time, and since migration 6 nothing read them but tests and counts.
//!
//! Nothing is lost: the text is folded again from the rows first, now with the reason of every missing
//! answer (migration 6 folded a missing answer to an empty value), in the order the rows were stored.
//! `down` rebuilds the rows from the text, reasons included, and the text as migration 6 wrote it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::m20261123_000001_core::create_answers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Answer rows per INSERT in `down` (4 parameters each, under SQLite's limit of 32,766).
const ROWS_PER_INSERT: usize = 4_000;

/// `UPDATE respondents` folding each respondent's `answers` rows with `value` as the entry's value.
fn fold_rows(backend: DbBackend, value: &str) -> String {
    let aggregate = match backend {
        DbBackend::Postgres => "string_agg",
        _ => "group_concat",
    };
    format!(
        "UPDATE respondents SET answers_packed = coalesce((SELECT {aggregate}(a.item_code || ':' || \
         {value}, ',' ORDER BY a.id) FROM answers a WHERE a.respondent_id = respondents.id), \
         answers_packed, '')"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing on SQLite too (sea-orm wraps only PostgreSQL migrations by default): the answers
    /// are never half folded or the table half dropped.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        m.get_connection()
            .execute_unprepared(&fold_rows(
                backend,
                "coalesce(CAST(a.value AS TEXT), a.missing, '')",
            ))
            .await?;
        m.drop_table(Table::drop().table("answers").to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_answers(m).await?;
        let backend = m.get_database_backend();
        let db = m.get_connection();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, answers_packed FROM respondents WHERE answers_packed <> '' ORDER BY id",
            ))
            .await?;
        let mut batch: Vec<[Value; 4]> = Vec::with_capacity(ROWS_PER_INSERT);
        for row in rows {
            let id: i32 = row.try_get_by_index(0)?;
            let text: String = row.try_get_by_index(1)?;
            for entry in text.split(',') {
                let Some((code, value)) = entry.rsplit_once(':') else {
                    continue;
                };
                let (value, missing) = match value.parse::<i16>() {
                    Ok(n) => (Some(n), None),
                    Err(_) => (None, (!value.is_empty()).then(|| value.to_owned())),
                };
                batch.push([
                    Value::Int(Some(id)),
                    Value::String(Some(code.to_owned())),
                    Value::SmallInt(value),
                    Value::String(missing),
                ]);
                if batch.len() == ROWS_PER_INSERT {
                    insert_rows(db, backend, &mut batch).await?;
                }
            }
        }
        insert_rows(db, backend, &mut batch).await?;
        db.execute_unprepared(&fold_rows(backend, "coalesce(CAST(a.value AS TEXT), '')"))
            .await?;
        Ok(())
    }
}

/// Insert the rows of `batch` into `answers` and empty it.
async fn insert_rows<C: ConnectionTrait>(
    db: &C,
    backend: DbBackend,
    batch: &mut Vec<[Value; 4]>,
) -> Result<(), DbErr> {
    if batch.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (0..batch.len())
        .map(|i| match backend {
            DbBackend::Postgres => {
                let n = i * 4;
                format!("(${},${},${},${})", n + 1, n + 2, n + 3, n + 4)
            }
            _ => "(?,?,?,?)".to_owned(),
        })
        .collect();
    let sql = format!(
        "INSERT INTO answers (respondent_id, item_code, value, missing) VALUES {}",
        placeholders.join(",")
    );
    let values: Vec<Value> = batch.drain(..).flatten().collect();
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(())
}
