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
