//! The `advice_aspects` table: the counsellor's advice on one aspect.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advice_aspects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub advice_id: i32,
    pub aspect: String,
    pub advice: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
