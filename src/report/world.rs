//! The typst `World` a report compiles in. What every render shares — the standard library, the fonts
//! and the parsed template sources — lives once in [`Assets`]; a [`RenderWorld`] borrows it and adds
//! only that render's data, served as the file `/data.json`. User text therefore reaches Typst as JSON
//! strings, never as markup. No file outside the templates is readable and nothing is downloaded.

use std::collections::HashMap;
use std::path::PathBuf;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{DiagSpanKind, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::ReportError;
use super::templates::{TemplateFile, Templates};

/// The path under which a render's data is served.
pub(super) const DATA_PATH: &str = "/data.json";

/// Everything renders share: built once per [`super::Renderer`], read by many threads.
pub(super) struct Assets {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// Typst sources, parsed once.
    sources: HashMap<FileId, Source>,
    /// Other template files (images, data).
    files: HashMap<FileId, Bytes>,
    data_id: FileId,
    /// Where each template came from, for messages (`report-templates/selfscan.typ` or `built-in`).
    origins: HashMap<FileId, String>,
}

/// A file id under the project root (`/selfscan.typ`).
pub(super) fn file_id(path: &str) -> Result<FileId, ReportError> {
    let vpath = VirtualPath::new(path).map_err(|e| ReportError::TemplatePath {
        path: path.to_owned(),
        reason: format!("{e:?}"),
    })?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl Assets {
    pub fn new(templates: Templates) -> Result<Self, ReportError> {
        let fonts: Vec<Font> = templates.fonts.into_iter().flat_map(Font::iter).collect();
        if fonts.is_empty() {
            return Err(ReportError::NoFonts);
        }
        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        let mut origins = HashMap::new();
        for TemplateFile {
            path,
            bytes,
            origin,
        } in templates.files
        {
            let id = file_id(&path)?;
            if path.ends_with(".typ") {
                let text = String::from_utf8(bytes)
                    .map_err(|_| ReportError::TemplateNotUtf8(origin.clone()))?;
                sources.insert(id, Source::new(id, text));
            } else {
                files.insert(id, Bytes::new(bytes));
            }
            origins.insert(id, origin);
        }
        Ok(Self {
            // `a11y-extras` gives the templates `pdf.header-cell` for the row headers of tables.
            library: LazyHash::new(
                Library::builder()
                    .with_features([typst::Feature::A11yExtras].into_iter().collect())
                    .build(),
            ),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            sources,
            files,
            data_id: file_id(DATA_PATH)?,
            origins,
        })
    }

    /// Whether a template with this path exists.
    pub fn has_source(&self, id: FileId) -> bool {
        self.sources.contains_key(&id)
    }

    /// The font families available to templates, for messages.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .book
            .families()
            .map(|(name, _)| name.to_owned())
            .collect();
        names.dedup();
        names
    }

    /// A diagnostic as one line: file (where it came from), line, message, hints.
    pub fn describe(&self, d: &SourceDiagnostic) -> String {
        let mut out = String::new();
        if let Some(id) = d.span.id() {
            let origin = self
                .origins
                .get(&id)
                .cloned()
                .unwrap_or_else(|| id.vpath().get_with_slash().to_owned());
            out.push_str(&origin);
            let start = match (d.span.get(), self.sources.get(&id)) {
                (DiagSpanKind::Number { num, sub_range, .. }, Some(source)) => {
                    source.range(num, sub_range).map(|r| r.start)
                }
                (DiagSpanKind::Range { range, .. }, _) => Some(range.start),
                _ => None,
            };
            if let (Some(source), Some(start)) = (self.sources.get(&id), start)
                && let Some(line) = source.lines().byte_to_line(start)
            {
                out.push_str(&format!(":{}", line + 1));
            }
            out.push_str(": ");
        }
        out.push_str(&d.message);
        for hint in &d.hints {
            out.push_str(&format!(" (hint: {})", hint.v));
        }
        out
    }
}

/// One render: the shared assets plus this render's entry template, data and date.
pub(super) struct RenderWorld<'a> {
    assets: &'a Assets,
    main: FileId,
    data: Bytes,
    today: Datetime,
}

impl<'a> RenderWorld<'a> {
    pub fn new(assets: &'a Assets, main: FileId, data: Vec<u8>, today: Datetime) -> Self {
        Self {
            assets,
            main,
            data: Bytes::new(data),
            today,
        }
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.vpath().get_with_slash()))
}

impl World for RenderWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.assets.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.assets.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.assets
            .sources
            .get(&id)
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.assets.data_id {
            return Ok(self.data.clone());
        }
        if let Some(bytes) = self.assets.files.get(&id) {
            return Ok(bytes.clone());
        }
        self.assets
            .sources
            .get(&id)
            .map(|s| Bytes::from_string(s.clone()))
            .ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.assets.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
