//! Where templates and fonts come from: the installation's `report-templates/` directory when it has
//! one (so an organisation can adapt the layout, wording or fonts), with the copies built into the
//! binary as the fallback for every file it does not provide.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use typst::foundations::Bytes;

use super::ReportError;

/// A template directory may hold at most this much (templates, images, fonts).
const MAX_DIR_BYTES: u64 = 64 << 20;

/// The templates built into the binary, by their path under `report-templates/`.
const BUILTIN: &[(&str, &str)] = &[
    (
        "selfscan.typ",
        include_str!("../../report-templates/selfscan.typ"),
    ),
    (
        "advice.typ",
        include_str!("../../report-templates/advice.typ"),
    ),
    (
        "benchmark.typ",
        include_str!("../../report-templates/benchmark.typ"),
    ),
    (
        "lib/layout.typ",
        include_str!("../../report-templates/lib/layout.typ"),
    ),
    (
        "lib/charts.typ",
        include_str!("../../report-templates/lib/charts.typ"),
    ),
    (
        "lib/i18n.typ",
        include_str!("../../report-templates/lib/i18n.typ"),
    ),
    (
        "lib/scan.typ",
        include_str!("../../report-templates/lib/scan.typ"),
    ),
    (
        "lib/method.typ",
        include_str!("../../report-templates/lib/method.typ"),
    ),
];

/// The sans-serif text font (Noto Sans, SIL Open Font License 1.1; see `report-templates/fonts/`).
const BUILTIN_FONTS: &[(&str, &[u8])] = &[
    (
        "fonts/NotoSans-Regular.ttf",
        include_bytes!("../../report-templates/fonts/NotoSans-Regular.ttf"),
    ),
    (
        "fonts/NotoSans-Bold.ttf",
        include_bytes!("../../report-templates/fonts/NotoSans-Bold.ttf"),
    ),
    (
        "fonts/NotoSans-Italic.ttf",
        include_bytes!("../../report-templates/fonts/NotoSans-Italic.ttf"),
    ),
];

/// One template file, with where it came from.
pub(super) struct TemplateFile {
    /// Path under the template root, with a leading slash (`/lib/charts.typ`).
    pub path: String,
    pub bytes: Vec<u8>,
    /// `report-templates/lib/charts.typ (built-in)` or the file on disk.
    pub origin: String,
}

/// The templates and fonts a renderer uses.
pub(super) struct Templates {
    pub files: Vec<TemplateFile>,
    pub fonts: Vec<Bytes>,
}

impl Templates {
    /// A digest of every file and font, and of the release.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        for f in &self.files {
            h.update(f.path.as_bytes());
            h.update((f.bytes.len() as u64).to_le_bytes());
            h.update(&f.bytes);
        }
        for font in &self.fonts {
            h.update((font.len() as u64).to_le_bytes());
            h.update(font.as_slice());
        }
        hex::encode(h.finalize())
    }

    /// Only what is built into the binary.
    pub fn builtin() -> Self {
        let files = BUILTIN
            .iter()
            .map(|(path, text)| TemplateFile {
                path: format!("/{path}"),
                bytes: text.as_bytes().to_vec(),
                origin: format!("report-templates/{path} (built-in)"),
            })
            .collect();
        let fonts = BUILTIN_FONTS
            .iter()
            .map(|(_, bytes)| Bytes::new(*bytes))
            .chain(typst_assets::fonts().map(Bytes::new))
            .collect();
        Self { files, fonts }
    }

    /// The files of `dir` over the built-in ones: a file on disk replaces the built-in file with the
    /// same path, fonts in `dir/fonts/` are added (or replace a built-in font of the same file name).
    /// A missing directory means the built-in templates.
    pub fn load(dir: &Path) -> Result<Self, ReportError> {
        if !dir.is_dir() {
            return Ok(Self::builtin());
        }
        let mut found = Vec::new();
        walk(dir, dir, &mut found)?;
        let total: u64 = found.iter().map(|(_, _, len)| len).sum();
        if total > MAX_DIR_BYTES {
            return Err(ReportError::TemplateDirTooLarge {
                dir: dir.to_owned(),
                bytes: total,
            });
        }
        let mut files: BTreeMap<String, TemplateFile> = Self::builtin()
            .files
            .into_iter()
            .map(|f| (f.path.clone(), f))
            .collect();
        let mut fonts: BTreeMap<String, Bytes> = BUILTIN_FONTS
            .iter()
            .map(|(path, bytes)| (format!("/{path}"), Bytes::new(*bytes)))
            .collect();
        for (rel, path, _) in found {
            let read = |p: &Path| {
                std::fs::read(p).map_err(|source| ReportError::ReadTemplate {
                    path: p.to_owned(),
                    source,
                })
            };
            let lower = rel.to_ascii_lowercase();
            if [".ttf", ".otf", ".ttc", ".otc"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                fonts.insert(rel, Bytes::new(read(&path)?));
            } else if [".typ", ".svg", ".png", ".jpg", ".jpeg", ".json", ".toml"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                files.insert(
                    rel.clone(),
                    TemplateFile {
                        path: rel,
                        bytes: read(&path)?,
                        origin: path.display().to_string(),
                    },
                );
            }
        }
        Ok(Self {
            files: files.into_values().collect(),
            fonts: fonts
                .into_values()
                .chain(typst_assets::fonts().map(Bytes::new))
                .collect(),
        })
    }
}

/// Every regular file under `dir` as (path relative to `root` with a leading slash, real path, size).
fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf, u64)>) -> Result<(), ReportError> {
    let io = |source| ReportError::ReadTemplate {
        path: dir.to_owned(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            walk(root, &path, out)?;
        } else if kind.is_file() {
            let Some(rel) = path
                .strip_prefix(root)
                .ok()
                .and_then(|p| p.to_str())
                .map(|p| format!("/{}", p.replace('\\', "/")))
            else {
                continue;
            };
            let len = entry.metadata().map_err(io)?.len();
            out.push((rel, path, len));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_in_the_directory_is_built_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates");
        let mut found = Vec::new();
        walk(&dir, &dir, &mut found).unwrap_or_else(|e| panic!("{e}"));
        let builtin: Vec<String> = BUILTIN
            .iter()
            .map(|(p, _)| format!("/{p}"))
            .chain(BUILTIN_FONTS.iter().map(|(p, _)| format!("/{p}")))
            .collect();
        for (rel, _, _) in found {
            if rel.ends_with(".typ") || rel.ends_with(".ttf") {
                assert!(builtin.contains(&rel), "{rel} is not built in");
            }
        }
    }
}
