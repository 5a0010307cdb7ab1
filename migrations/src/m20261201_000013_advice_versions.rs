//! Versions of a counsellor's advice, and more to each action-plan row (expand only: a previous
//! release keeps working beside this one during a rolling upgrade).
//!
//! - `advice_versions`: every save of a scan's advice — its number (1, 2, … per scan), when, by
//!   whom (`user_id` and the e-mail address it had, or the command line) and the advice itself as
//!   JSON. The unique (scan, number) lets two saves on the same version never both succeed.
//!   The advice saved before this migration becomes version 1, `origin = 'earlier'` (who is not
//!   known, and its content is the current advice).
//! - `action_plan_items.indicator` (the success indicator) and `.resources` (what it takes).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("advice_versions")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("scan_id"))
                .col(integer("version"))
                .col(timestamp_with_time_zone("saved_at"))
                .col(string_len("origin", 20))
                .col(integer_null("user_id"))
                .col(text_null("saved_by"))
                .col(text_null("content"))
                .foreign_key(
                    ForeignKey::create()
                        .from("advice_versions", "scan_id")
                        .to("scans", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_advice_versions_scan_version")
                .table("advice_versions")
                .col("scan_id")
                .col("version")
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO advice_versions (scan_id, version, saved_at, origin) \
                 SELECT scan_id, 1, updated_at, 'earlier' FROM advice",
            )
            .await?;
        for column in [text_null("indicator"), text_null("resources")] {
            m.alter_table(
                Table::alter()
                    .table("action_plan_items")
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["resources", "indicator"] {
            m.alter_table(
                Table::alter()
                    .table("action_plan_items")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(
            Table::drop()
                .table("advice_versions")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
