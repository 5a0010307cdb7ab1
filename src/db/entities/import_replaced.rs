//! The `import_replaced` table: a respondent's state before an import replaced it, for undo.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_replaced")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub import_id: i32,
    pub respondent_id: i32,
    pub previous_import_id: Option<i32>,
    pub role: Option<String>,
    pub team_id: Option<i32>,
    pub respondent_group: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub answers_packed: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
