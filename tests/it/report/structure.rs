//! Every report kind in both languages as a reader with assistive technology gets it: the PDF's
//! structure tree read back with `qpdf --json` (tags in reading order, alternative text of every
//! figure, header cells of every table, heading levels without gaps, the document title shown), and
//! as a sighted reader gets it: each page rendered to PNG with `pdftoppm` under
//! `$CARGO_TARGET_TMPDIR/report-pages/`, with the new parts of the reports checked in the text.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use blendscan::app::Subject;
use blendscan::domain::text::Lang;
use blendscan::report::ReportKind;
use serde_json::Value;

use super::support::{FEDERATION, date, federation, pdf_text, render};

/// The objects of a PDF as `qpdf --json` decodes them, keyed `"12 0 R"`.
struct Objects(HashMap<String, Value>);

impl Objects {
    fn of(pdf: &[u8]) -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("report.pdf");
        std::fs::write(&path, pdf).expect("write");
        let out = Command::new("qpdf")
            .args(["--json=2", "--json-key=qpdf", "--decode-level=none"])
            .arg(&path)
            .output()
            .expect("qpdf (scripts/install-deps.sh installs it)");
        assert!(out.status.success(), "qpdf --json failed");
        let json: Value = serde_json::from_slice(&out.stdout).expect("qpdf json");
        let objects = json["qpdf"][1]
            .as_object()
            .expect("qpdf objects")
            .iter()
            .filter_map(|(k, v)| {
                let key = k.strip_prefix("obj:")?.to_owned();
                Some((key, v.get("value").cloned().unwrap_or(Value::Null)))
            })
            .collect();
        Self(objects)
    }

    /// A value with an indirect reference followed.
    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.as_str() {
            Some(r) if r.ends_with(" R") => self.0.get(r).unwrap_or(&Value::Null),
            _ => v,
        }
    }

    fn catalog(&self) -> &Value {
        self.0
            .values()
            .find(|v| v["/Type"] == "/Catalog")
            .expect("a document catalog")
    }
}

/// One structure element in reading order: its tag, depth, alternative text and text.
#[derive(Debug)]
struct Element {
    tag: String,
    alt: Option<String>,
    kids: Vec<Element>,
}

impl Element {
    fn walk<'a>(&'a self, out: &mut Vec<&'a Element>) {
        out.push(self);
        for k in &self.kids {
            k.walk(out);
        }
    }
}

/// A PDF text string as qpdf writes it in JSON: `u:` followed by the text.
fn text_of(v: &Value) -> Option<String> {
    v.as_str()
        .map(|s| s.strip_prefix("u:").unwrap_or(s).to_owned())
}

fn tree(objects: &Objects, v: &Value, depth: usize) -> Vec<Element> {
    assert!(depth < 200, "structure tree too deep");
    let v = objects.resolve(v);
    match v {
        Value::Array(items) => items
            .iter()
            .flat_map(|i| tree(objects, i, depth + 1))
            .collect(),
        Value::Object(d) if d.contains_key("/S") => vec![Element {
            tag: d["/S"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches('/')
                .to_owned(),
            alt: d.get("/Alt").and_then(text_of),
            kids: d
                .get("/K")
                .map(|k| tree(objects, k, depth + 1))
                .unwrap_or_default(),
        }],
        // Marked-content references and integers (MCIDs) are content, not elements.
        _ => Vec::new(),
    }
}

/// The structure tree of a PDF, resolving role-mapped tags to their standard ones.
fn structure(pdf: &[u8]) -> (Objects, Vec<Element>) {
    let objects = Objects::of(pdf);
    let root = objects
        .resolve(&objects.catalog()["/StructTreeRoot"])
        .clone();
    assert!(
        root.is_object(),
        "the PDF is tagged: it has a structure tree"
    );
    let role_map: HashMap<String, String> = objects
        .resolve(&root["/RoleMap"])
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    Some((
                        k.trim_start_matches('/').to_owned(),
                        v.as_str()?.trim_start_matches('/').to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut elements = tree(&objects, &root["/K"], 0);
    fn map(e: &mut Element, role_map: &HashMap<String, String>) {
        if let Some(std) = role_map.get(&e.tag) {
            e.tag = std.clone();
        }
        e.kids.iter_mut().for_each(|k| map(k, role_map));
    }
    elements.iter_mut().for_each(|e| map(e, &role_map));
    (objects, elements)
}

/// What PDF/UA-1 asks of the structure, checked the way a validator reads it.
fn assert_accessible(pdf: &[u8], what: &str) -> Vec<String> {
    let (objects, roots) = structure(pdf);
    let catalog = objects.catalog();
    assert_eq!(
        objects.resolve(&catalog["/MarkInfo"])["/Marked"],
        Value::Bool(true),
        "{what}: marked as tagged"
    );
    assert!(
        text_of(&catalog["/Lang"]).is_some_and(|l| !l.is_empty()),
        "{what}: document language"
    );
    assert_eq!(
        objects.resolve(&catalog["/ViewerPreferences"])["/DisplayDocTitle"],
        Value::Bool(true),
        "{what}: the title, not the file name, is shown"
    );
    let mut all = Vec::new();
    roots.iter().for_each(|r| r.walk(&mut all));
    let tags: Vec<String> = all.iter().map(|e| e.tag.clone()).collect();

    // Every figure says what it shows.
    let figures: Vec<&&Element> = all.iter().filter(|e| e.tag == "Figure").collect();
    assert!(!figures.is_empty(), "{what}: the charts are figures");
    for f in &figures {
        assert!(
            f.alt.as_deref().is_some_and(|a| a.trim().len() > 10),
            "{what}: a figure without alternative text: {f:?}"
        );
    }
    // Every table has header cells.
    for t in all.iter().filter(|e| e.tag == "Table") {
        let mut cells = Vec::new();
        t.walk(&mut cells);
        assert!(
            cells.iter().any(|c| c.tag == "TH"),
            "{what}: a table without header cells"
        );
    }
    // Headings start at H1 and never skip a level going down.
    let levels: Vec<u32> = tags
        .iter()
        .filter_map(|t| t.strip_prefix('H').and_then(|n| n.parse().ok()))
        .collect();
    assert_eq!(levels.first(), Some(&1), "{what}: the first heading is H1");
    for w in levels.windows(2) {
        assert!(
            w[1] <= w[0] + 1,
            "{what}: heading levels skip from H{} to H{}: {levels:?}",
            w[0],
            w[1]
        );
    }
    figures.iter().filter_map(|f| f.alt.clone()).collect()
}

/// The pages of a PDF as PNG files, kept for a person to look at.
fn keep_pages(pdf: &[u8], name: &str) -> usize {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-pages");
    std::fs::create_dir_all(&dir).expect("pages dir");
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).expect("write pdf");
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(&file)
        .arg(dir.join(name))
        .output()
        .expect("pdftoppm (poppler-utils)");
    assert!(out.status.success(), "pdftoppm failed");
    std::fs::read_dir(&dir)
        .expect("pages")
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&format!("{name}-")) && n.ends_with(".png")
        })
        .count()
}

#[tokio::test]
async fn every_report_kind_is_tagged_with_alt_text_header_cells_and_ordered_headings() {
    let f = federation(10, None).await;
    let (slug, name) = f.members[0].clone();
    let advice = r#"
        counsellor = "An Peeters"
        summary = "Werk eerst aan de kosten."
        [[action]]
        code = "R14.1"
        owner = "Kwaliteitscoördinator"
        due = 2026-03-31
        status = "in_progress"
    "#;
    super::advice::store(&f.db, &slug, advice).await;
    let org = || Subject::Organisation(slug.clone());
    let fed = || Subject::Federation(FEDERATION.to_owned());
    for lang in [Lang::Nl, Lang::En] {
        let nl = lang == Lang::Nl;
        let cases = [
            ("selfscan", ReportKind::SelfScan, org()),
            ("advice", ReportKind::Advice, org()),
            ("benchmark", ReportKind::Benchmark, fed()),
            ("member", ReportKind::Benchmark, org()),
        ];
        for (label, kind, subject) in cases {
            let what = format!("{label} {}", lang.code());
            let pdf = render(&f.db, kind, subject, lang, date()).await;
            let alts = assert_accessible(&pdf, &what);
            let pages = keep_pages(&pdf, &format!("{label}-{}", lang.code()));
            assert!(pages >= 2, "{what}: pages kept as PNG");
            let text = pdf_text(&pdf);
            // The keys of the charts and the new parts of each kind.
            let expect: Vec<&str> = match (label, nl) {
                ("selfscan" | "advice", true) => {
                    vec![
                        "In het kort",
                        "Wat u zelf doet",
                        "vorig jaar",
                        "verwacht niveau",
                    ]
                }
                ("selfscan" | "advice", false) => {
                    vec![
                        "In short",
                        "What you do yourself",
                        "last year",
                        "expected level",
                    ]
                }
                ("benchmark", true) => vec![
                    "middelste helft",
                    "mediaan",
                    "Leden per fase",
                    "Competenties van medewerkers",
                ],
                ("benchmark", false) => vec![
                    "middle half",
                    "median",
                    "Members per stage",
                    "Staff competences",
                ],
                (_, true) => vec!["Uw positie", "uw score", "percentiel"],
                (_, false) => vec!["Your position", "your score", "percentile"],
            };
            for s in expect {
                assert!(text.contains(s), "{what}: {s}");
            }
            if label == "advice" {
                // Due 31 March, report of 23 November, in progress: overdue; signed by both.
                let s = if nl { "te laat" } else { "overdue" };
                assert!(text.contains(s), "{what}: {s}");
                let s = if nl { "Ondertekening" } else { "Signatures" };
                assert!(text.contains(s), "{what}: {s}");
            }
            if label == "selfscan" || label == "advice" {
                let radar = if nl { "Radardiagram" } else { "Radar chart" };
                assert!(
                    alts.iter()
                        .any(|a| a.starts_with(radar) && a.contains("A1")),
                    "{what}: the radar's alternative text lists the aspects: {alts:?}"
                );
            }
            if label == "member" {
                assert!(
                    text.contains(&name),
                    "{what}: the member's own page names it"
                );
                assert!(
                    alts.iter()
                        .any(|a| a.contains(if nl { "uw score" } else { "your score" })),
                    "{what}: {alts:?}"
                );
                // Never another member's name.
                for (_, other) in f.members.iter().skip(1) {
                    assert!(!text.contains(other.as_str()), "{what}: names {other}");
                }
            } else if label == "benchmark" {
                for (_, member) in &f.members {
                    assert!(!text.contains(member.as_str()), "{what}: names {member}");
                }
            }
        }
    }
}
