//! Every request to e-mail a report, recorded: who asked (the account; none for the command line),
//! for which organisation, scan and report, to how many recipients, and how many messages it queued.
//! The admin reads it; the daily cap per account is counted from it. Expand only.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("sends")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer_null("user_id"))
                .col(integer("organisation_id"))
                .col(integer("year"))
                .col(string_len("kind", 16))
                .col(integer("recipients"))
                .col(integer("queued"))
                .col(string("request_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("sends", "organisation_id")
                        .to("organisations", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sends_user_created")
                .table("sends")
                .col("user_id")
                .col("created_at")
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("sends").to_owned()).await
    }
}
