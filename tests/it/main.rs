//! The integration suite: one binary, modules per area. Database tests run on SQLite by default and on
//! PostgreSQL when `TEST_DATABASE_URL` is set (see `support`).

mod accounts_lifecycle;
mod architecture;
mod catalogue;
mod cli;
mod federation;
mod fixtures;
mod http;
mod import;
mod import_history;
mod import_limits;
mod import_text;
mod instances;
mod mail;
mod migrations;
mod report;
mod scoring;
mod scoring_perf;
mod support;
mod template;
