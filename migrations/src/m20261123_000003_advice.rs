//! A process counsellor's advice per scan: one `advice` row per scan (counsellor, summary), the advice
//! per aspect, and the action plan (catalogue action, owner, due date, status). Replacing an advice
//! deletes the old rows; deleting a scan deletes its advice.

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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("advice")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer_uniq("scan_id"))
                .col(text_null("counsellor"))
                .col(text_null("summary"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("advice", "scan_id", "scans"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("advice_aspects")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("advice_id"))
                .col(string("aspect"))
                .col(text("advice"))
                .foreign_key(&mut fk("advice_aspects", "advice_id", "advice"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("action_plan_items")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("advice_id"))
                .col(integer("position"))
                .col(string("action_code"))
                .col(text("owner"))
                .col(date("due_date"))
                .col(string("status"))
                .col(text_null("note"))
                .foreign_key(&mut fk("action_plan_items", "advice_id", "advice"))
                .to_owned(),
        )
        .await?;
        for (table, name) in [
            ("advice_aspects", "idx_advice_aspects_advice"),
            ("action_plan_items", "idx_action_plan_items_advice"),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(table)
                    .col("advice_id")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["action_plan_items", "advice_aspects", "advice"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
