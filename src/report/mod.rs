//! PDF reports: the self-scan report for management, the advice report for a process counsellor and
//! the federation benchmark, each in Dutch and English, rendered in-process with Typst.
//!
//! - [`data`] turns a score (and advice, benchmark) into the JSON a template reads; `App::report_data`
//!   fetches what that needs from the database.
//! - [`Renderer`] compiles a template from `report-templates/` (or its built-in copy) against that
//!   JSON, served as `/data.json`: user text is data, never markup.
//! - The PDF is PDF/A-2b and PDF/UA-1 (tagged: headings, tables with header cells, charts as figures
//!   with alternative text) with title, author, language and date, and deterministic: the same data
//!   and generation date give the same bytes.
//!
//! Rendering is CPU work: call [`Renderer::render`] from a blocking context, or
//! [`Renderer::render_async`] from async code (it runs on tokio's blocking pool).

pub mod advice;
pub mod data;
mod templates;
mod world;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use typst::diag::Severity;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use data::ReportData;

use templates::Templates;
use world::{Assets, RenderWorld, file_id};

/// The three kinds of report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    /// The organisation's self-scan report for management.
    #[serde(rename = "selfscan")]
    SelfScan,
    /// The self-scan with a process counsellor's advice and action plan.
    Advice,
    /// A federation's anonymised benchmark of its members.
    Benchmark,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [
        ReportKind::SelfScan,
        ReportKind::Advice,
        ReportKind::Benchmark,
    ];

    /// The code used on the command line and in stored reports.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::SelfScan => "selfscan",
            ReportKind::Advice => "advice",
            ReportKind::Benchmark => "benchmark",
        }
    }

    /// The entry template.
    fn template(self) -> &'static str {
        match self {
            ReportKind::SelfScan => "/selfscan.typ",
            ReportKind::Advice => "/advice.typ",
            ReportKind::Benchmark => "/benchmark.typ",
        }
    }
}

impl std::str::FromStr for ReportKind {
    type Err = ReportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "selfscan" | "self-scan" | "zelfscan" => Ok(ReportKind::SelfScan),
            "advice" | "advies" => Ok(ReportKind::Advice),
            "benchmark" => Ok(ReportKind::Benchmark),
            other => Err(ReportError::UnknownKind(other.to_owned())),
        }
    }
}

/// What went wrong while preparing or rendering a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("unknown report kind `{0}`: use selfscan, advice or benchmark")]
    UnknownKind(String),
    #[error("cannot read the report template {path}: {source}")]
    ReadTemplate {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the template directory {dir} holds {bytes} bytes, more than the 64 MB a renderer loads"
    )]
    TemplateDirTooLarge { dir: PathBuf, bytes: u64 },
    #[error("the report template {0} is not UTF-8 text")]
    TemplateNotUtf8(String),
    #[error("invalid template path `{path}`: {reason}")]
    TemplatePath { path: String, reason: String },
    #[error("no fonts: the templates and the binary provide no font to render with")]
    NoFonts,
    #[error("the template {0} is missing")]
    MissingTemplate(&'static str),
    #[error("the report template failed: {}", .0.join("; "))]
    Template(Vec<String>),
    #[error(
        "the template asks for a font that is not available ({missing}); available: {available}"
    )]
    MissingFont { missing: String, available: String },
    #[error("cannot write the PDF: {}", .0.join("; "))]
    Pdf(Vec<String>),
    #[error("cannot serialise the report data: {0}")]
    Data(#[from] serde_json::Error),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error(transparent)]
    Scoring(#[from] crate::domain::scoring::ScoringError),
    #[error("the render task failed: {0}")]
    Task(String),
}

/// Compiles report templates to PDF. Build it once (it parses the templates and loads the fonts) and
/// share it: rendering takes `&self` and may run on several threads at once.
pub struct Renderer {
    assets: Assets,
    previews: PreviewCache,
    /// What the templates and fonts are, as a digest: the same data rendered by the same templates
    /// gives the same PDF, so a stored one can be served again.
    fingerprint: String,
}

/// The preview pages of recently previewed reports, keyed by everything a render reads (kind, date
/// and the full data), so a cached page is exactly the page a new render would give. A report page
/// asks for three pages at once: they come from one render.
#[derive(Default)]
struct PreviewCache {
    entries: std::sync::Mutex<HashMap<PreviewKey, Arc<Vec<String>>>>,
}

type PreviewKey = (ReportKind, NaiveDate, Vec<u8>);

/// Pages a preview shows (the first ones), and previewed reports kept.
pub const PREVIEW_PAGES: usize = 3;
const PREVIEW_ENTRIES: usize = 16;

/// Evicts typst's memoisation cache when a render ends, failed or not, so memory stays flat over
/// many renders with different data.
struct EvictOnDrop;

impl Drop for EvictOnDrop {
    fn drop(&mut self) {
        typst::comemo::evict(0);
    }
}

impl Renderer {
    /// The templates built into the binary.
    pub fn builtin() -> Result<Self, ReportError> {
        Self::with(Templates::builtin())
    }

    /// The templates in `dir` (an installation's `report-templates/`), falling back to the built-in
    /// copy for every file the directory does not have. A missing directory means the built-in copy.
    pub fn from_dir(dir: &Path) -> Result<Self, ReportError> {
        Self::with(Templates::load(dir)?)
    }

    fn with(templates: Templates) -> Result<Self, ReportError> {
        let fingerprint = templates.fingerprint();
        Ok(Self {
            assets: Assets::new(templates)?,
            previews: PreviewCache::default(),
            fingerprint,
        })
    }

    /// The key of a report's PDF before it is rendered: the renderer's templates and fonts, the
    /// kind, the generation date and the data. Equal keys, equal PDFs.
    pub fn data_key(&self, data: &ReportData) -> Result<String, ReportError> {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(self.fingerprint.as_bytes());
        h.update(data.kind.code().as_bytes());
        h.update(data.generated.to_string().as_bytes());
        h.update(data.ident.as_bytes());
        h.update(serde_json::to_vec(&data.payload)?);
        Ok(hex::encode(h.finalize()))
    }

    /// Render a report to PDF bytes. Blocking and CPU-bound: from async code use [`Self::render_async`].
    pub fn render(&self, data: &ReportData) -> Result<Vec<u8>, ReportError> {
        let _evict = EvictOnDrop;
        let (document, today) = self.compile(data)?;
        let options = PdfOptions {
            // A stable identifier: the same report of the same subject keeps its PDF id.
            ident: Smart::Custom(data.ident.clone()),
            creator: Smart::Custom(Some("blendscan".to_owned())),
            timestamp: Some(Timestamp::new_utc(today)),
            standards: PdfStandards::new(&[PdfStandard::A_2b, PdfStandard::Ua_1])
                .map_err(|e| ReportError::Pdf(vec![e.message().to_string()]))?,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| {
            ReportError::Pdf(errors.iter().map(|d| self.assets.describe(d)).collect())
        })
    }

    /// Page `page` (1 to 3) of a report as an SVG image, for a preview in the browser (tablets show
    /// no PDF inside a page); `None` when the report has fewer pages or `page` is out of range. Text
    /// is drawn as glyph outlines: the SVG holds no text or script of the data. The first pages of
    /// a report are rendered once and kept while the data is the same.
    pub fn preview(&self, data: &ReportData, page: usize) -> Result<Option<String>, ReportError> {
        let key: PreviewKey = (
            data.kind,
            data.generated,
            serde_json::to_vec(&data.payload)?,
        );
        let cached = self
            .previews
            .entries
            .lock()
            .ok()
            .and_then(|e| e.get(&key).cloned());
        let pages = match cached {
            Some(pages) => pages,
            None => {
                let _evict = EvictOnDrop;
                let (document, _) = self.compile(data)?;
                let pages: Arc<Vec<String>> = Arc::new(
                    document
                        .pages()
                        .iter()
                        .take(PREVIEW_PAGES)
                        .map(|p| typst_svg::svg(p, &typst_svg::SvgOptions::default()))
                        .collect(),
                );
                if let Ok(mut entries) = self.previews.entries.lock() {
                    if entries.len() >= PREVIEW_ENTRIES {
                        entries.clear();
                    }
                    entries.insert(key, Arc::clone(&pages));
                }
                pages
            }
        };
        Ok(page.checked_sub(1).and_then(|i| pages.get(i)).cloned())
    }

    /// [`Self::preview`] on tokio's blocking pool.
    pub async fn preview_async(
        self: &Arc<Self>,
        data: ReportData,
        page: usize,
    ) -> Result<Option<String>, ReportError> {
        let renderer = Arc::clone(self);
        tokio::task::spawn_blocking(move || renderer.preview(&data, page))
            .await
            .map_err(|e| ReportError::Task(e.to_string()))?
    }

    /// Lay the report out; with the generation date as typst's `today`.
    fn compile(&self, data: &ReportData) -> Result<(PagedDocument, Datetime), ReportError> {
        let main = file_id(data.kind.template())?;
        if !self.assets.has_source(main) {
            return Err(ReportError::MissingTemplate(data.kind.template()));
        }
        // Names come from users: no direction override in them reaches the PDF.
        let json = serde_json::to_vec(&without_bidi(&data.payload))?;
        let date = data.generated;
        let today = Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
            .ok_or_else(|| ReportError::Template(vec![format!("invalid date {date}")]))?;
        let world = RenderWorld::new(&self.assets, main, json, today);
        let warned = typst::compile::<PagedDocument>(&world);
        self.check_warnings(&warned.warnings)?;
        let document = warned.output.map_err(|errors| {
            ReportError::Template(errors.iter().map(|d| self.assets.describe(d)).collect())
        })?;
        Ok((document, today))
    }

    /// [`Self::render`] on tokio's blocking pool, so the async runtime keeps serving.
    pub async fn render_async(self: &Arc<Self>, data: ReportData) -> Result<Vec<u8>, ReportError> {
        let renderer = Arc::clone(self);
        tokio::task::spawn_blocking(move || renderer.render(&data))
            .await
            .map_err(|e| ReportError::Task(e.to_string()))?
    }

    /// A template that names a font the renderer lacks would print invisible text: refuse it. Other
    /// warnings are logged.
    fn check_warnings(
        &self,
        warnings: &[typst::diag::SourceDiagnostic],
    ) -> Result<(), ReportError> {
        for w in warnings {
            if w.message.starts_with("unknown font family") {
                return Err(ReportError::MissingFont {
                    missing: self.assets.describe(w),
                    available: self.assets.families().join(", "),
                });
            }
            if w.severity == Severity::Warning {
                tracing::warn!(warning = %self.assets.describe(w), "report template");
            }
        }
        Ok(())
    }
}

/// The generation date of a report made today (local date).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The data with every string's bidirectional controls removed.
fn without_bidi(value: &serde_json::Value) -> std::borrow::Cow<'_, serde_json::Value> {
    use serde_json::Value;
    fn has(v: &Value) -> bool {
        match v {
            Value::String(s) => s.chars().any(crate::domain::text::is_bidi_control),
            Value::Array(a) => a.iter().any(has),
            Value::Object(o) => o
                .iter()
                .any(|(k, v)| has(&Value::String(k.clone())) || has(v)),
            _ => false,
        }
    }
    fn clean(v: &Value) -> Value {
        let text = |s: &str| crate::domain::text::without_bidi_controls(s).into_owned();
        match v {
            Value::String(s) => Value::String(text(s)),
            Value::Array(a) => Value::Array(a.iter().map(clean).collect()),
            Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (text(k), clean(v))).collect()),
            other => other.clone(),
        }
    }
    if has(value) {
        std::borrow::Cow::Owned(clean(value))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}
