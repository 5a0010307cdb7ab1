//! Fixtures for the report tests: a federation whose members answered the demo questionnaires for
//! 2025 and 2026, and readers for the PDFs (pdftotext, qpdf, the XMP metadata).

use std::io::Write;
use std::process::{Command, Stdio};

use blendscan::app::{ReportRequest, Subject};
use blendscan::db::{self, NewOrganisation};
use blendscan::demo::{self, DemoOrganisation};
use blendscan::domain::text::Lang;
use blendscan::import::{self, ImportRequest, Limits};
use blendscan::report::{Renderer, ReportKind};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::support::TestDb;
use crate::support::catalogue;

pub const FEDERATION: &str = "Koepel Test";
pub const YEAR: i32 = 2026;

/// The fixed generation date of test reports.
pub fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

const NAMES: [&str; 10] = [
    "CAW De Brug",
    "CLB Noordrand",
    "CAW Zuiderkempen",
    "CLB Waasland",
    "CAW Oost",
    "CLB Meetjesland",
    "CAW Kust",
    "CLB Limburg",
    "CAW Centrum",
    "CLB Rivierenland",
];

/// A database with a federation of `members` organisations (CAW and CLB alternating), each with
/// scans for 2025 and 2026. The first member may get another name (for hostile strings).
pub struct Federation {
    pub t: TestDb,
    pub db: DatabaseConnection,
    /// (slug, name) of each member, in creation order.
    pub members: Vec<(String, String)>,
}

pub async fn federation(members: usize, first_name: Option<&str>) -> Federation {
    federation_named(members, first_name, None, FEDERATION).await
}

/// [`federation`] with the first member's sector and the federation's name given (for hostile
/// strings).
pub async fn federation_named(
    members: usize,
    first_name: Option<&str>,
    first_sector: Option<&str>,
    federation_name: &str,
) -> Federation {
    let t = TestDb::new().await;
    let db = t.connect().await;
    let cat = catalogue();
    let profiles = demo::organisations();
    let mut out = Vec::new();
    for i in 0..members {
        let base = &profiles[i % profiles.len()];
        let profile = DemoOrganisation {
            sector: if i % 2 == 0 { "CAW" } else { "CLB" },
            level: base.level + 0.03 * (i / profiles.len()) as f64,
            ..base.clone()
        };
        let name = match (i, first_name) {
            (0, Some(n)) => n.to_owned(),
            _ => NAMES[i % NAMES.len()].to_owned(),
        };
        let sector = match (i, first_sector) {
            (0, Some(s)) => s.to_owned(),
            _ => profile.sector.to_owned(),
        };
        let org = db::organisations::add_organisation(
            &db,
            &NewOrganisation {
                name: name.clone(),
                sector: Some(sector),
                federation: Some(federation_name.into()),
                staff_headcount: Some(profile.staff),
            },
        )
        .await
        .expect("organisation");
        for (y, year) in demo::YEARS.iter().enumerate() {
            let bytes = demo::questionnaire(&cat, &profile, i, y).expect("questionnaire");
            let req = ImportRequest {
                organisation: &org.slug,
                year: *year,
                file_name: "demo.xlsx",
                bytes: &bytes,
                sheet: None,
                dry_run: false,
            };
            let report = import::run(&db, &cat, &Limits::default(), &req)
                .await
                .expect("import");
            assert!(report.is_ok(), "demo questionnaire imports");
        }
        out.push((org.slug, name));
    }
    Federation {
        t,
        db,
        members: out,
    }
}

/// Prepare and render a report with the built-in templates.
pub async fn render(
    db: &DatabaseConnection,
    kind: ReportKind,
    subject: Subject,
    lang: Lang,
    date: NaiveDate,
) -> Vec<u8> {
    let req = ReportRequest {
        kind,
        subject,
        year: YEAR,
        lang,
        generated: date,
    };
    let prepared = crate::support::app_on(db)
        .report_data(&req)
        .await
        .expect("report data");
    Renderer::builtin()
        .expect("renderer")
        .render(&prepared.data)
        .expect("render")
}

/// The text of a PDF as `pdftotext` reads it, with every run of white space made one space and
/// ligatures spelled out, so wrapped lines compare as written.
pub fn pdf_text(pdf: &[u8]) -> String {
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils; scripts/install-deps.sh installs it)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(pdf)
        .expect("write pdf");
    let out = child.wait_with_output().expect("pdftotext output");
    assert!(out.status.success(), "pdftotext failed");
    normalise(&String::from_utf8_lossy(&out.stdout))
}

/// White space collapsed, ligatures spelled out.
pub fn normalise(s: &str) -> String {
    let s = s
        .replace('\u{FB00}', "ff")
        .replace('\u{FB01}', "fi")
        .replace('\u{FB02}', "fl")
        .replace('\u{FB03}', "ffi")
        .replace('\u{FB04}', "ffl");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `qpdf --check` passes.
pub fn assert_qpdf_ok(pdf: &[u8]) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf (scripts/install-deps.sh installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "qpdf --check failed: {text}");
    assert!(
        text.contains("No syntax or stream encoding errors"),
        "{text}"
    );
}

/// The XMP metadata declares PDF/A-2b.
pub fn assert_pdfa_2b(pdf: &[u8]) {
    let s = String::from_utf8_lossy(pdf);
    let start = s.find("<x:xmpmeta").expect("XMP metadata, uncompressed");
    let end = s[start..].find("</x:xmpmeta>").expect("end of XMP") + start;
    let xmp = &s[start..end];
    let part = xmp.contains("<pdfaid:part>2</pdfaid:part>") || xmp.contains("pdfaid:part=\"2\"");
    let conf = xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>")
        || xmp.contains("pdfaid:conformance=\"B\"");
    assert!(part && conf, "XMP declares PDF/A-2b: {xmp}");
}

/// Every font in the PDF is embedded and is Noto Sans: the templates name no font the renderer lacks
/// (its text would print invisibly) and use no glyph Noto Sans lacks (it would fall back to a serif).
pub fn assert_fonts_embedded(pdf: &[u8]) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = Command::new("pdffonts")
        .arg(&path)
        .output()
        .expect("pdffonts (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("NotoSans"), "{text}");
    for line in text.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // name type [encoding] emb sub uni object-id: `emb` is the fourth column from the end.
        assert!(cols.len() >= 6, "{line}");
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {line}");
        assert!(
            cols[0].contains("+NotoSans-"),
            "another font than Noto Sans: {line}"
        );
    }
}
