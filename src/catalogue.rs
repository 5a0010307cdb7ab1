//! Where the catalogue comes from: the `framework/` and `checklists/` directories on disk when present
//! (so an installation can edit them), otherwise the copies built into the binary.

use std::path::Path;

use crate::domain::catalogue::{self, Catalogue, CatalogueError, CatalogueFiles, SourceFile};

/// Why the catalogue could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "BLENDSCAN_CATALOGUE_DIR={dir}: there is no framework/catalogue.toml in that directory (geen framework/catalogue.toml in die map)"
    )]
    NotACatalogue { dir: String },
    #[error(transparent)]
    Invalid(#[from] CatalogueError),
}

const FRAMEWORK_FILES: [&str; 7] = [
    "catalogue",
    "aspects",
    "recommendations",
    "competences",
    "scales",
    "role_profiles",
    "mappings",
];

macro_rules! builtin {
    ($($dir:literal / $name:literal),* $(,)?) => {
        &[$((concat!($dir, "/", $name, ".toml"), include_str!(concat!("../", $dir, "/", $name, ".toml")))),*]
    };
}

/// The catalogue as shipped, compiled into the binary.
const BUILTIN: &[(&str, &str)] = builtin![
    "framework" / "catalogue",
    "framework" / "aspects",
    "framework" / "recommendations",
    "framework" / "competences",
    "framework" / "scales",
    "framework" / "role_profiles",
    "framework" / "mappings",
    "checklists" / "accessibility",
    "checklists" / "click_call_connect",
    "checklists" / "e_inclusion",
    "checklists" / "intake",
    "checklists" / "offer_matrix",
    "checklists" / "paradoxes",
    "checklists" / "positioning",
    "checklists" / "vision",
];

/// Load from `root` (which holds `framework/` and `checklists/`), or the built-in copy when `root` is
/// `None` or has no `framework/catalogue.toml`.
pub fn load(root: Option<&Path>) -> Result<Catalogue, LoadError> {
    let files = match root {
        Some(r) if r.join("framework/catalogue.toml").is_file() => read_dir(r)?,
        _ => builtin_files(),
    };
    Ok(catalogue::parse(&files)?)
}

/// Load the catalogue from an installation's catalogue directory (`Settings::catalogue_dir`). The
/// working directory (`.`, the default) may hold none, and then the built-in copy counts; any other
/// directory was named on purpose (`BLENDSCAN_CATALOGUE_DIR`), and one without a catalogue is an
/// error, never a silent fall-back to the built-in copy.
pub fn load_installation(dir: &Path) -> Result<Catalogue, LoadError> {
    if dir != Path::new(".") && !dir.join("framework/catalogue.toml").is_file() {
        return Err(LoadError::NotACatalogue {
            dir: dir.display().to_string(),
        });
    }
    load(Some(dir))
}

/// The built-in catalogue files, e.g. for tests that change one of them.
pub fn builtin_files() -> CatalogueFiles {
    let get = |name: &str| {
        let (path, text) = BUILTIN
            .iter()
            .find(|(p, _)| *p == format!("framework/{name}.toml"))
            .copied()
            .unwrap_or(("", ""));
        SourceFile::new(path, text)
    };
    CatalogueFiles {
        catalogue: get("catalogue"),
        aspects: get("aspects"),
        recommendations: get("recommendations"),
        competences: get("competences"),
        scales: get("scales"),
        role_profiles: get("role_profiles"),
        mappings: get("mappings"),
        checklists: BUILTIN
            .iter()
            .filter(|(p, _)| p.starts_with("checklists/"))
            .map(|(p, t)| SourceFile::new(*p, *t))
            .collect(),
    }
}

/// Read the catalogue files under `root`; checklists are every `*.toml` in `checklists/`, by name.
pub fn read_dir(root: &Path) -> Result<CatalogueFiles, LoadError> {
    let read = |rel: String| -> Result<SourceFile, LoadError> {
        let path = root.join(&rel);
        let contents = std::fs::read_to_string(&path).map_err(|source| LoadError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(SourceFile::new(rel, contents))
    };
    let mut f = FRAMEWORK_FILES
        .iter()
        .map(|n| read(format!("framework/{n}.toml")));
    let mut next = || f.next().unwrap_or_else(|| Ok(SourceFile::new("", "")));
    let (catalogue, aspects, recommendations, competences, scales, role_profiles, mappings) = (
        next()?,
        next()?,
        next()?,
        next()?,
        next()?,
        next()?,
        next()?,
    );
    let dir = root.join("checklists");
    let entries = std::fs::read_dir(&dir).map_err(|source| LoadError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let checklists = names
        .into_iter()
        .map(|n| read(format!("checklists/{n}")))
        .collect::<Result<_, _>>()?;
    Ok(CatalogueFiles {
        catalogue,
        aspects,
        recommendations,
        competences,
        scales,
        role_profiles,
        mappings,
        checklists,
    })
}
