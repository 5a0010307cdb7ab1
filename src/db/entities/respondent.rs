//! The `respondents` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "respondents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub scan_id: i32,
    pub pseudonym: String,
    pub role: Option<String>,
    pub team_id: Option<i32>,
    pub respondent_group: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub import_id: Option<i32>,
    /// The respondent's answers, folded into one text (`A1Q1:3,A1Q2:dont_know,…`; see
    /// `crate::db::packed`). NULL only for a respondent stored without answers by hand.
    #[sea_orm(column_type = "Text", nullable)]
    pub answers_packed: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
