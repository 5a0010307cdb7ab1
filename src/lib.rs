//! blendscan: how ready is a social-work, youth-care or welfare organisation to offer blended support
//! (online and face-to-face), and what should it do next?
//!
//! Layers, from the front doors down (see `docs/architecture.md`): `cli` and `http` (with `startup`)
//! call the use cases of `app`; `app` puts together `import`, `report`, `mail`, `accounts`,
//! `catalogue` and `template`; those persist through `db`; everything rests on the pure `domain`
//! and on `config`, the one settings tree.

#![forbid(unsafe_code)]

pub mod accounts;
pub mod app;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod http;
pub mod import;
pub mod mail;
pub mod report;
pub mod startup;
pub mod template;
