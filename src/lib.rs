//! blendscan: how ready is a social-work, youth-care or welfare organisation to offer blended support
//! (online and face-to-face), and what should it do next?
//!
//! Data flows one way: catalogue and questionnaires come in (`catalogue`, later `import`), `domain` holds
//! the pure model and rules, `db` persists, and `cli` (and later `http`) are the front doors.

#![forbid(unsafe_code)]

pub mod accounts;
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
