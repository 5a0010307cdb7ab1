//! Pure domain types and rules: the catalogue model and its validation. No IO, no database, no HTTP.

pub mod access;
pub mod catalogue;
pub mod format;
pub mod resemblance;
pub mod respondent;
pub mod scoring;
pub mod text;
