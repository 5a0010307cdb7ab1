//! sea-orm entities, one per table of the migrations. Relations are expressed in the query functions of
//! `crate::db`, which return domain types; nothing outside `db` uses these models.

pub mod action_plan_item;
pub mod advice;
pub mod advice_aspect;
pub mod advice_version;
pub mod api_token;
pub mod contact;
pub mod federation;
pub mod import;
pub mod import_mapping;
pub mod import_replaced;
pub mod installation;
pub mod organisation;
pub mod outbox;
pub mod report;
pub mod respondent;
pub mod role_profile_override;
pub mod scan;
pub mod send;
pub mod session;
pub mod team;
pub mod user;
pub mod user_organisation;
