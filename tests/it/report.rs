//! PDF reports end to end: demo questionnaires imported through the real import into the real
//! database, scored, rendered with the real templates, and read back with poppler's `pdftotext` and
//! checked with `qpdf --check`, as a reader's tools would see them.

mod advice;
mod render;
mod structure;
pub mod support;
mod templates;
