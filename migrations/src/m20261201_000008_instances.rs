//! What several instances on one database need (expand only: every column is new, nullable or with
//! a default, so a previous release keeps working beside this one during a rolling upgrade):
//!
//! - `organisations.data_revision`: raised inside every transaction that changes what a score rests
//!   on (an import, an advice), so it orders changes by commit; the score cache keys on it.
//! - `outbox.claimed_by`: which instance holds a claim (shown by `outbox list`).
//! - `reports.data_key`: what a stored report was rendered from, so an unchanged report is served
//!   from storage; and one row per PDF (`uq_reports_digest`), duplicates folded first.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("organisations")
                .add_column(big_integer("data_revision").default(0))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("outbox")
                .add_column(text_null("claimed_by"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("reports")
                .add_column(text_null("data_key"))
                .to_owned(),
        )
        .await?;
        // Identical PDFs stored more than once (concurrent first downloads): keep the oldest row,
        // point the outbox at it, drop the others.
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE outbox SET report_id = (SELECT MIN(k.id) FROM reports k WHERE k.digest = \
             (SELECT r.digest FROM reports r WHERE r.id = outbox.report_id)) \
             WHERE report_id IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "DELETE FROM reports WHERE id NOT IN (SELECT MIN(id) FROM reports GROUP BY digest)",
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_reports_digest")
                .table("reports")
                .col("digest")
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_reports_data_key")
                .table("reports")
                .col("data_key")
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_reports_data_key")
                .table("reports")
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("uq_reports_digest")
                .table("reports")
                .to_owned(),
        )
        .await?;
        for (table, column) in [
            ("reports", "data_key"),
            ("outbox", "claimed_by"),
            ("organisations", "data_revision"),
        ] {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
