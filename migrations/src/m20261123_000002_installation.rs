//! Installation-wide values, such as the secret key that turns respondents' e-mail addresses and names
//! into pseudonyms. Created on first use.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("installation")
                .if_not_exists()
                .col(string("key").primary_key())
                .col(text("value"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("installation").if_exists().to_owned())
            .await
    }
}
