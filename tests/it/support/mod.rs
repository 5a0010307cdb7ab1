//! Test support, in one place:
//!
//! - [`db`]: a database of its own per test — a temporary SQLite file, or a fresh database on the
//!   PostgreSQL server of `TEST_DATABASE_URL`.
//! - [`app`]: the settings of a test installation, the [`App`](blendscan::app::App) on a test
//!   database, and the catalogue.
//! - [`service`]: the service on port 0 with two tenants and an account of every role, and request
//!   helpers for the API (bearer tokens) and the pages (sessions).
//! - [`cli`]: the binary as a user runs it, with a clean environment.
//! - [`queries`]: what tests read back from the database that the product itself never asks.

pub mod app;
pub mod cli;
pub mod db;
pub mod queries;
pub mod service;

pub use app::{app_on, app_with, catalogue, settings};
pub use cli::{blendscan, command, stderr, stdout};
pub use db::TestDb;
