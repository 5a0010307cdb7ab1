//! Templates on disk: an installation's file replaces the built-in one, the rest falls back to the
//! built-in copies, and a template that names a missing font or does not compile is refused with a
//! message that says where.

use blendscan::domain::text::Lang;
use blendscan::report::{Renderer, ReportData, ReportError, ReportKind};

use super::support::{date, pdf_text};

fn data(payload: serde_json::Value) -> ReportData {
    ReportData {
        kind: ReportKind::SelfScan,
        lang: Lang::Nl,
        generated: date(),
        ident: "test".into(),
        payload,
    }
}

fn dir_with(template: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("selfscan.typ"), template).expect("template");
    dir
}

#[test]
fn a_template_on_disk_replaces_the_built_in_one_and_imports_the_rest() {
    let dir = dir_with(
        "#import \"lib/layout.typ\": palette\n\
         #let d = json(\"/data.json\")\n\
         #set document(title: d.name, date: datetime(year: 2026, month: 11, day: 23))\n\
         #set text(font: \"Noto Sans\", fill: palette.accent)\n\
         Maatwerk voor #d.name\n",
    );
    let renderer = Renderer::from_dir(dir.path()).expect("renderer");
    let pdf = renderer
        .render(&data(serde_json::json!({ "name": "*CAW* #Oost" })))
        .expect("render");
    assert!(pdf_text(&pdf).contains("Maatwerk voor *CAW* #Oost"));
}

#[test]
fn a_missing_font_or_a_broken_template_is_refused_with_where() {
    let dir = dir_with("#set text(font: \"Comic Nonexistent\")\nHallo\n");
    let err = Renderer::from_dir(dir.path())
        .expect("renderer")
        .render(&data(serde_json::json!({})))
        .expect_err("refused");
    assert!(matches!(err, ReportError::MissingFont { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("comic nonexistent") && msg.contains("Noto Sans"),
        "{msg}"
    );

    let dir = dir_with("#let x = (\nHallo\n");
    let err = Renderer::from_dir(dir.path())
        .expect("renderer")
        .render(&data(serde_json::json!({})))
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("selfscan.typ:"),
        "names the file and line: {err}"
    );
}

#[test]
fn a_missing_directory_means_the_built_in_templates() {
    let renderer = Renderer::from_dir(std::path::Path::new("/nonexistent/report-templates"));
    assert!(renderer.is_ok());
}

/// Headings are made with `heading(…)`, which sets their level for the PDF's structure and
/// bookmarks. A content block that starts with `=` is a heading in Typst's markup too, so text such
/// as `[= #p.tie]` became a level-1 heading in the middle of a page (and a bookmark); none is left.
#[test]
fn no_content_block_of_the_templates_turns_text_into_a_heading() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates");
    let mut files = Vec::new();
    for sub in [dir.clone(), dir.join("lib")] {
        for entry in std::fs::read_dir(&sub).expect("templates") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "typ") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 4, "the templates were read: {files:?}");
    let mut found = Vec::new();
    for path in &files {
        let source = std::fs::read_to_string(path).expect("read");
        for (i, line) in source.lines().enumerate() {
            let markup_heading = line.contains("[=") || line.trim_start().starts_with("= ");
            if markup_heading {
                found.push(format!("{}:{}: {line}", path.display(), i + 1));
            }
        }
    }
    assert!(found.is_empty(), "markup headings: {found:#?}");
}
