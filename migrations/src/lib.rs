//! The database schema of blendscan, one migration set for SQLite and PostgreSQL.
//!
//! Rules that keep both backends on one set: foreign keys are declared inside `create_table`, one
//! ALTER per statement, no column modification or constraint drop (SQLite cannot), and tables that
//! must change shape are rebuilt in a new migration.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_core;
mod m20261123_000002_installation;
mod m20261123_000003_advice;
mod m20261123_000004_contacts;
mod m20261123_000005_accounts;
mod m20261129_000006_answers_packed;
mod m20261129_000007_answers_in_respondents;
mod m20261201_000008_instances;
mod m20261201_000009_sends;
mod m20261201_000010_access;
mod m20261201_000011_import_mappings;
mod m20261201_000013_advice_versions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_core::Migration),
            Box::new(m20261123_000002_installation::Migration),
            Box::new(m20261123_000003_advice::Migration),
            Box::new(m20261123_000004_contacts::Migration),
            Box::new(m20261123_000005_accounts::Migration),
            Box::new(m20261129_000006_answers_packed::Migration),
            Box::new(m20261129_000007_answers_in_respondents::Migration),
            Box::new(m20261201_000008_instances::Migration),
            Box::new(m20261201_000009_sends::Migration),
            Box::new(m20261201_000010_access::Migration),
            Box::new(m20261201_000011_import_mappings::Migration),
            Box::new(m20261201_000013_advice_versions::Migration),
        ]
    }
}
