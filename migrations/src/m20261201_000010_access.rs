//! Access that can be taken back (expand only: every column is new and nullable, so a previous
//! release keeps working beside this one during a rolling upgrade):
//!
//! - `api_tokens.expires_at`: when a token stops working. Tokens made before this migration — and
//!   any an older release still makes during the upgrade — have none; they are read as lasting
//!   90 days from `created_at` (`db::accounts::UNDATED_TOKEN_DAYS`). No UPDATE fills it in here,
//!   because it could not cover the rows an older instance writes after it ran.
//! - `api_tokens.revoked_at`: when a token was revoked (`token revoke`, `user disable`, a new
//!   password); a revoked token opens nothing.
//! - `api_tokens.name`: an optional label, so `token list` says what a token is for.
//! - `users.disabled_at`: when an account was disabled; its sessions and tokens open nothing.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            timestamp_with_time_zone_null("expires_at"),
            timestamp_with_time_zone_null("revoked_at"),
            string_len_null("name", 100),
        ] {
            m.alter_table(
                Table::alter()
                    .table("api_tokens")
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table("users")
                .add_column(timestamp_with_time_zone_null("disabled_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            ("users", "disabled_at"),
            ("api_tokens", "name"),
            ("api_tokens", "revoked_at"),
            ("api_tokens", "expires_at"),
        ] {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
