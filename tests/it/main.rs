//! The integration suite: one binary, modules per area. Database tests run on SQLite by default and on
//! PostgreSQL when `TEST_DATABASE_URL` is set (see `support`).

mod catalogue;
mod cli;
mod fixtures;
mod import;
mod migrations;
mod support;
mod template;
