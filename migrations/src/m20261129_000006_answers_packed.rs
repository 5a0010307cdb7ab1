//! Each respondent's answers folded into one text (`A1Q1:3,A1Q2:,…`; an empty value is missing), next
//! to the `answers` rows they are derived from. Scoring reads one short row per respondent instead of
//! folding ~75–190 answer rows per respondent on every request (on SQLite that folding was most of the
//! time of a score with a trend). The import writes both in one transaction; rows stored before this
//! migration are filled here, and the scoring still folds `answers` for a row left NULL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("respondents")
                .add_column(text_null("answers_packed"))
                .to_owned(),
        )
        .await?;
        let fold = match m.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                "string_agg(a.item_code || ':' || coalesce(a.value::text, ''), ',' ORDER BY a.id)"
            }
            _ => "group_concat(a.item_code || ':' || ifnull(a.value, ''), ',')",
        };
        m.get_connection()
            .execute_unprepared(&format!(
                "UPDATE respondents SET answers_packed = \
                 coalesce((SELECT {fold} FROM answers a WHERE a.respondent_id = respondents.id), '')"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("respondents")
                .drop_column("answers_packed")
                .to_owned(),
        )
        .await
    }
}
