//! The catalogue: aspects, recommendations and actions, the competence framework, scales, role profiles,
//! mappings and checklists. [`parse`] turns the texts of the catalogue files into a validated
//! [`Catalogue`], or refuses them with every problem it found, each naming file and entry.
//! Reading the files from disk is the caller's business (see `crate::catalogue`).

mod build;
mod check;
pub mod matching;
mod model;
mod raw;

pub use model::*;

/// The texts of the catalogue files, each with the name it is reported under.
#[derive(Debug, Clone)]
pub struct CatalogueFiles {
    pub catalogue: SourceFile,
    pub aspects: SourceFile,
    pub recommendations: SourceFile,
    pub competences: SourceFile,
    pub scales: SourceFile,
    pub role_profiles: SourceFile,
    pub mappings: SourceFile,
    pub checklists: Vec<SourceFile>,
}

/// One file: the name to report (e.g. `framework/aspects.toml`) and its contents.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub contents: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, contents: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            contents: contents.into(),
        }
    }
}

/// One inconsistency: where (file and entry) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub entry: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.entry, self.message)
    }
}

/// The catalogue was refused; holds every problem found (not just the first).
#[derive(Debug, Clone, thiserror::Error)]
pub struct CatalogueError {
    pub problems: Vec<Problem>,
}

impl std::fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "the catalogue is inconsistent ({n} problem{}):",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

/// Parse and validate the catalogue files.
pub fn parse(files: &CatalogueFiles) -> Result<Catalogue, CatalogueError> {
    build::build(files)
}
