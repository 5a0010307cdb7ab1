//! The `reports` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub scan_id: Option<i32>,
    pub federation_id: Option<i32>,
    pub year: i32,
    pub kind: String,
    pub lang: String,
    pub digest: String,
    pub pdf: Vec<u8>,
    pub created_at: DateTimeUtc,
    /// What the report was rendered from (see `db::reports::stored_report`).
    pub data_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
