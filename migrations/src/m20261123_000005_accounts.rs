//! Accounts for the service: API tokens, login sessions and the organisations a process counsellor
//! is assigned to. The `users` table itself exists since the first migration. Tokens and session
//! ids are stored only as SHA-256 digests: a copy of the database opens no account.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk_user(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, "user_id")
        .to("users", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("api_tokens")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string_len_uniq("token_hash", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .foreign_key(&mut fk_user("api_tokens"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("sessions")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string_len_uniq("token_hash", 64))
                .col(string_len("csrf_token", 64))
                .col(string_len("lang", 8))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(&mut fk_user("sessions"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("user_organisations")
                .if_not_exists()
                .col(integer("user_id"))
                .col(integer("organisation_id"))
                .primary_key(Index::create().col("user_id").col("organisation_id"))
                .foreign_key(&mut fk_user("user_organisations"))
                .foreign_key(
                    ForeignKey::create()
                        .from("user_organisations", "organisation_id")
                        .to("organisations", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["user_organisations", "sessions", "api_tokens"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
