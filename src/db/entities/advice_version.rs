//! The `advice_versions` table: one save of a scan's advice, numbered per scan.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advice_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub scan_id: i32,
    pub version: i32,
    pub saved_at: DateTimeUtc,
    /// `account`, `command_line` or `earlier` (saved before versions were kept).
    pub origin: String,
    pub user_id: Option<i32>,
    /// The account's e-mail address when it saved.
    pub saved_by: Option<String>,
    /// The advice as saved (JSON of `db::advice::StoredAdvice`); none for `earlier`.
    pub content: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
