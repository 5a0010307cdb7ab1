//! Imports a coordinator can correct (expand only: two new tables, nothing existing changes):
//!
//! - `import_mappings`: per organisation, the column choices a user confirmed, keyed by the
//!   normalised header (`code` null: "this column is no question"), offered again for the next file
//!   and the next year.
//! - `import_replaced`: what an import replaced — the earlier state of a respondent whose later
//!   submission it stored — so `import undo` can put it back and take the import out cleanly.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn cascade(from: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, col)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("import_mappings")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("organisation_id"))
                .col(string_len("header_key", 400))
                .col(string_len_null("code", 32))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut cascade(
                    "import_mappings",
                    "organisation_id",
                    "organisations",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_import_mappings_org_header")
                .table("import_mappings")
                .col("organisation_id")
                .col("header_key")
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("import_replaced")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("import_id"))
                .col(integer("respondent_id"))
                .col(integer_null("previous_import_id"))
                .col(string_null("role"))
                .col(integer_null("team_id"))
                .col(string_null("respondent_group"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .col(text_null("answers_packed"))
                .foreign_key(&mut cascade("import_replaced", "import_id", "imports"))
                .foreign_key(&mut cascade(
                    "import_replaced",
                    "respondent_id",
                    "respondents",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_import_replaced_import")
                .table("import_replaced")
                .col("import_id")
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("import_replaced").to_owned())
            .await?;
        m.drop_table(Table::drop().table("import_mappings").to_owned())
            .await
    }
}
