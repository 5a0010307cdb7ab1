//! The `action_plan_items` table: one row of a counsellor's action plan.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "action_plan_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub advice_id: i32,
    pub position: i32,
    pub action_code: String,
    pub owner: String,
    pub due_date: Date,
    pub status: String,
    pub note: Option<String>,
    /// How one sees the action succeeded.
    pub indicator: Option<String>,
    /// What the action takes (people, time, budget).
    pub resources: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
