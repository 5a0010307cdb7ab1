//! The core schema: tenants (federations, organisations, teams), scans with their respondents and
//! answers, the imports that brought them in, and room for users, stored reports and the mail outbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(from: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, col)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn fk_null(from: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, col)
        .to(to, "id")
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

fn unique(table: &'static str, name: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table).unique().if_not_exists();
    for c in cols {
        idx.col(*c);
    }
    idx.to_owned()
}

fn index(table: &'static str, name: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table).if_not_exists();
    for c in cols {
        idx.col(*c);
    }
    idx.to_owned()
}

fn table(name: &'static str) -> TableCreateStatement {
    Table::create().table(name).if_not_exists().to_owned()
}

/// The `answers` table, one row per answer, as this migration made it; migration 7 folds it into
/// `respondents.answers_packed` and drops it, and its `down` makes it again with this.
pub(crate) async fn create_answers(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        table("answers")
            .col(pk_auto("id"))
            .col(integer("respondent_id"))
            .col(string("item_code"))
            .col(small_integer_null("value"))
            .col(string_null("missing"))
            .foreign_key(&mut fk("answers", "respondent_id", "respondents"))
            .to_owned(),
    )
    .await?;
    m.create_index(unique(
        "answers",
        "uq_answers_respondent_item",
        &["respondent_id", "item_code"],
    ))
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("federations")
                .col(pk_auto("id"))
                .col(string_uniq("slug"))
                .col(string("name"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            table("organisations")
                .col(pk_auto("id"))
                .col(string_uniq("slug"))
                .col(string("name"))
                .col(string_null("sector"))
                .col(integer_null("staff_headcount"))
                .col(integer_null("federation_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk_null(
                    "organisations",
                    "federation_id",
                    "federations",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "organisations",
            "idx_organisations_federation",
            &["federation_id"],
        ))
        .await?;
        m.create_table(
            table("teams")
                .col(pk_auto("id"))
                .col(integer("organisation_id"))
                .col(string("name"))
                .foreign_key(&mut fk("teams", "organisation_id", "organisations"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique(
            "teams",
            "uq_teams_organisation_name",
            &["organisation_id", "name"],
        ))
        .await?;
        m.create_table(
            table("scans")
                .col(pk_auto("id"))
                .col(integer("organisation_id"))
                .col(integer("year"))
                .col(string("catalogue_version"))
                .col(string("status"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("scans", "organisation_id", "organisations"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique(
            "scans",
            "uq_scans_organisation_year",
            &["organisation_id", "year"],
        ))
        .await?;
        m.create_table(
            table("imports")
                .col(pk_auto("id"))
                .col(integer("scan_id"))
                .col(string("file_digest"))
                .col(string("file_name"))
                .col(integer("respondents"))
                .col(integer("answers"))
                .col(integer("replaced"))
                .col(timestamp_with_time_zone("imported_at"))
                .foreign_key(&mut fk("imports", "scan_id", "scans"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique(
            "imports",
            "uq_imports_scan_digest",
            &["scan_id", "file_digest"],
        ))
        .await?;
        m.create_table(
            table("respondents")
                .col(pk_auto("id"))
                .col(integer("scan_id"))
                .col(string("pseudonym"))
                .col(string_null("role"))
                .col(integer_null("team_id"))
                .col(string_null("respondent_group"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .col(integer_null("import_id"))
                .foreign_key(&mut fk("respondents", "scan_id", "scans"))
                .foreign_key(&mut fk_null("respondents", "team_id", "teams"))
                .foreign_key(&mut fk_null("respondents", "import_id", "imports"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique(
            "respondents",
            "uq_respondents_scan_pseudonym",
            &["scan_id", "pseudonym"],
        ))
        .await?;
        create_answers(m).await?;
        m.create_table(
            table("role_profile_overrides")
                .col(pk_auto("id"))
                .col(integer("organisation_id"))
                .col(string("role"))
                .col(string("cluster"))
                .col(small_integer("expected"))
                .foreign_key(&mut fk(
                    "role_profile_overrides",
                    "organisation_id",
                    "organisations",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique(
            "role_profile_overrides",
            "uq_role_overrides",
            &["organisation_id", "role", "cluster"],
        ))
        .await?;
        m.create_table(
            table("users")
                .col(pk_auto("id"))
                .col(string_uniq("email"))
                .col(string("password_hash"))
                .col(string("role"))
                .col(integer_null("organisation_id"))
                .col(integer_null("federation_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("users", "organisation_id", "organisations"))
                .foreign_key(&mut fk("users", "federation_id", "federations"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            table("reports")
                .col(pk_auto("id"))
                .col(integer_null("scan_id"))
                .col(integer_null("federation_id"))
                .col(integer("year"))
                .col(string("kind"))
                .col(string("lang"))
                .col(string("digest"))
                .col(blob("pdf"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("reports", "scan_id", "scans"))
                .foreign_key(&mut fk("reports", "federation_id", "federations"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            table("outbox")
                .col(pk_auto("id"))
                .col(string_uniq("idempotency_key"))
                .col(integer_null("report_id"))
                .col(text("recipients"))
                .col(string("subject"))
                .col(text("body_text"))
                .col(text("body_html"))
                .col(string("message_id"))
                .col(string("status"))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("claimed_until"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .foreign_key(&mut fk_null("outbox", "report_id", "reports"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "outbox",
            "idx_outbox_status_next",
            &["status", "next_attempt_at"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "outbox",
            "reports",
            "users",
            "role_profile_overrides",
            "answers",
            "respondents",
            "imports",
            "scans",
            "teams",
            "organisations",
            "federations",
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
