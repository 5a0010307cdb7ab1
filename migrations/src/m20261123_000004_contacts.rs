//! Management contacts per organisation: who receives its reports by e-mail, by name and in which
//! language. One row per organisation × address; adding the address again updates the row.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("contacts")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("organisation_id"))
                .col(string("email"))
                .col(string_null("name"))
                .col(string_len("lang", 8))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("contacts", "organisation_id")
                        .to("organisations", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_contacts_organisation_email")
                .table("contacts")
                .col("organisation_id")
                .col("email")
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("contacts").if_exists().to_owned())
            .await
    }
}
