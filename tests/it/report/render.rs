//! Every kind of report in both languages: what a reader must find in it, that it is valid PDF/A-2b,
//! that it names no member in a benchmark, that user text prints literally, and that the same data
//! gives the same bytes.

use blendscan::app::{ReportRequest, Subject};
use blendscan::domain::scoring::{Anonymity, ScoringConfig};
use blendscan::domain::text::Lang;
use blendscan::report::{Renderer, ReportKind};
use chrono::NaiveDate;
use serde_json::Value;

use super::support::{
    YEAR, assert_fonts_embedded, assert_pdfa_2b, assert_qpdf_ok, date, federation,
    federation_named, pdf_text, render,
};
use crate::import::import_bytes;
use crate::support::catalogue;

/// A score formatted as the report prints it.
fn fmt(x: f64, lang: Lang) -> String {
    let s = format!("{x:.1}");
    if lang == Lang::Nl {
        s.replace('.', ",")
    } else {
        s
    }
}

/// What `blendscan score --org SLUG --year YEAR --json` prints, run as a user runs it.
fn score_json(db_url: &str, slug: &str) -> Value {
    let year = YEAR.to_string();
    let args = ["score", "--org", slug, "--year", &year, "--json"];
    let out = crate::support::blendscan(db_url, &args, &[]);
    assert!(
        out.status.success(),
        "score --json: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("score --json prints JSON")
}

/// What every scan report holds: the name, the nine aspect names, the index, every aspect score and
/// cluster mean of `score --json`, and for each of the three priorities at least one of its actions.
fn assert_scan_report(text: &str, name: &str, score: &Value, lang: Lang) {
    let cat = catalogue();
    assert!(text.contains(name), "organisation name {name}");
    for a in &cat.aspects {
        let n = super::support::normalise(a.name.get(lang));
        assert!(text.contains(&n), "aspect name {n}");
    }
    let overall = score["overall"].as_f64().expect("an index");
    assert!(text.contains(&fmt(overall, lang)), "index {overall}");
    let aspects = score["aspects"].as_array().expect("aspects");
    assert_eq!(aspects.len(), 9);
    for a in aspects {
        let s = a["score"].as_f64().expect("a score per aspect");
        assert!(text.contains(&fmt(s, lang)), "{} score {s}", a["code"]);
    }
    let clusters = score["clusters"].as_array().expect("clusters");
    assert!(!clusters.is_empty());
    for c in clusters {
        let m = c["mean"].as_f64().expect("a mean per cluster");
        assert!(text.contains(&fmt(m, lang)), "{} mean {m}", c["code"]);
    }
    let priorities = score["priorities"].as_array().expect("priorities");
    assert_eq!(priorities.len(), 3);
    for p in priorities {
        let actions = p["actions"].as_array().expect("actions");
        assert!(!actions.is_empty(), "priority {} has actions", p["aspect"]);
        let found = actions.iter().any(|code| {
            let action = cat
                .recommendations
                .iter()
                .flat_map(|r| &r.actions)
                .find(|a| a.code == code.as_str().expect("action code"))
                .expect("action in catalogue");
            text.contains(&super::support::normalise(
                action.told_to("organisation").get(lang),
            ))
        });
        assert!(found, "an action of priority {}", p["aspect"]);
    }
}

#[tokio::test]
async fn scan_reports_in_both_languages_hold_names_scores_and_actions() {
    let f = federation(2, None).await;
    let (slug, name) = f.members[0].clone();
    let score = score_json(&f.t.url, &slug);
    let advice = r#"
        counsellor = "An Peeters"
        summary = "Werk eerst aan de kosten."
        [[aspect]]
        code = "A9"
        advice = "Reserveer innovatie-uren."
        [[action]]
        code = "R14.1"
        owner = "Kwaliteitscoördinator"
        due = 2026-06-30
        status = "in_progress"
    "#;
    super::advice::store(&f.db, &slug, advice).await;
    for lang in [Lang::Nl, Lang::En] {
        for kind in [ReportKind::SelfScan, ReportKind::Advice] {
            let pdf = render(
                &f.db,
                kind,
                Subject::Organisation(slug.clone()),
                lang,
                date(),
            )
            .await;
            let text = pdf_text(&pdf);
            assert_scan_report(&text, &name, &score, lang);
            assert!(text.contains("23"), "generation date");
            assert_qpdf_ok(&pdf);
            assert_pdfa_2b(&pdf);
            assert_fonts_embedded(&pdf);
            // The first page answers; the actions speak to the reader; no deadline has aged.
            let (in_short, own, others) = match lang {
                Lang::Nl => (
                    "In het kort",
                    "Wat u zelf doet",
                    "Wat Opgroeien, de koepel of de overheid doet",
                ),
                Lang::En => (
                    "In short",
                    "What you do yourself",
                    "What Opgroeien, the umbrella body or the government does",
                ),
            };
            for s in [in_short, own, others] {
                assert!(text.contains(s), "{lang:?} {kind:?}: {s}");
            }
            for s in [
                "tegen eind 20",
                "by the end of 20",
                "Moedig organisaties aan",
            ] {
                assert!(!text.contains(s), "{lang:?} {kind:?}: {s}");
            }
            if kind == ReportKind::Advice {
                for s in [
                    "An Peeters",
                    "Werk eerst aan de kosten.",
                    "Reserveer innovatie-uren.",
                    "Kwaliteitscoördinator",
                ] {
                    assert!(text.contains(s), "advice text {s}");
                }
                // Due 30 June, report of 23 November, still in progress: overdue.
                let (late, signed, annex) = match lang {
                    Lang::Nl => ("te laat", "Ondertekening", "Bijlage: de zelfscan"),
                    Lang::En => ("overdue", "Signatures", "Annex: the self-scan"),
                };
                for s in [late, signed, annex] {
                    assert!(text.contains(s), "{lang:?} advice: {s}");
                }
            }
        }
    }
}

#[tokio::test]
async fn benchmark_reports_show_distributions_and_federation_actions_and_name_no_member() {
    let f = federation(10, None).await;
    let cat = catalogue();
    for lang in [Lang::Nl, Lang::En] {
        let subject = Subject::Federation(super::support::FEDERATION.to_owned());
        let pdf = render(&f.db, ReportKind::Benchmark, subject, lang, date()).await;
        let text = pdf_text(&pdf);
        assert_qpdf_ok(&pdf);
        assert_pdfa_2b(&pdf);
        assert_fonts_embedded(&pdf);
        assert!(text.contains(super::support::FEDERATION), "federation name");
        for a in &cat.aspects {
            assert!(
                text.contains(&super::support::normalise(a.name.get(lang))),
                "{}",
                a.code
            );
        }
        for (_, name) in &f.members {
            assert!(
                !text.contains(name.as_str()),
                "a benchmark names no member: {name}"
            );
        }
        for sector in ["Sector CAW", "Sector CLB"] {
            assert!(text.contains(sector), "{sector} shown");
        }
        // The federation's actions, and no action it takes no part in.
        let mut shown = 0;
        for a in cat.recommendations.iter().flat_map(|r| &r.actions) {
            let said = a.told_to("federation").get(lang);
            let line = super::support::normalise(&format!("{} {said}", a.code));
            if text.contains(&line) {
                assert!(
                    a.involves("federation"),
                    "not a federation action: {}",
                    a.code
                );
                shown += 1;
            }
        }
        assert!(shown > 0, "federation actions shown");
    }
}

/// A team of six staff members with a hostile name, added to the scan (a CSV export).
fn hostile_team_csv(team: &str) -> Vec<u8> {
    let mut csv = "E-mail;Functie;Team;Respondentgroep;A1Q1;A1Q2;A6Q1;A6Q2;C2K1;C2S1\n".to_owned();
    for i in 0..6 {
        csv.push_str(&format!(
            "hostile{i}@org.be;hulpverlener;{team};medewerker;2;3;2;1;3;4\n"
        ));
    }
    csv.into_bytes()
}

#[tokio::test]
async fn hostile_strings_print_literally() {
    // Every field a user fills in: organisation name, sector, federation name, team (from an
    // import), and every text of a counsellor's advice.
    let name = r#"#set text(red)] *bold* _it_ $x$ <label> @ref \"#;
    let sector = r#"CAW ]#{1 + 1} *s*"#;
    let fed = r#"Koepel #emph[x] $f$ <k> @l"#;
    let team = r#"#b[x] `v` //"#;
    let f = federation_named(5, Some(name), Some(sector), fed).await;
    let slug = f.members[0].0.clone();
    let imported = import_bytes(
        &f.db,
        &slug,
        YEAR,
        "team.csv",
        &hostile_team_csv(team),
        false,
    )
    .await;
    assert!(imported.is_ok(), "{:?}", imported.errors);
    let advice = r##"{
        "counsellor": "#set page(fill: red)",
        "summary": "*geen vet* _geen cursief_ $1 + 1$ <a> @b \\c",
        "aspect": [{ "code": "A1", "advice": "]#{ panic() } `raw` // geen commentaar" }],
        "action": [{ "code": "R14.1", "owner": "<owner> @x", "due": "30/06/2026",
                     "status": "gepland", "note": "#emph[x] \\ y" }]
    }"##;
    super::advice::store_json(&f.db, &slug, advice).await;
    let advice_texts = [
        "#set page(fill: red)",
        "*geen vet* _geen cursief_ $1 + 1$ <a> @b \\c",
        "]#{ panic() } `raw` // geen commentaar",
        "<owner> @x",
        "#emph[x] \\ y",
    ];
    for lang in [Lang::Nl, Lang::En] {
        for kind in [ReportKind::SelfScan, ReportKind::Advice] {
            let subject = Subject::Organisation(slug.clone());
            let text = pdf_text(&render(&f.db, kind, subject, lang, date()).await);
            for s in [name, sector, team] {
                assert!(
                    text.contains(s),
                    "{kind:?} {lang:?} prints literally: {s}\n{text}"
                );
            }
            if kind == ReportKind::Advice {
                for s in advice_texts {
                    assert!(text.contains(s), "{lang:?} prints literally: {s}\n{text}");
                }
            }
        }
        let subject = Subject::Federation(fed.to_owned());
        let text = pdf_text(&render(&f.db, ReportKind::Benchmark, subject, lang, date()).await);
        assert!(
            text.contains(fed),
            "benchmark {lang:?} prints literally: {fed}\n{text}"
        );
        assert!(!text.contains(name), "a benchmark names no member");
    }
}

#[tokio::test]
async fn the_same_data_gives_the_same_bytes_apart_from_the_date() {
    let f = federation(1, None).await;
    let slug = f.members[0].0.clone();
    let subject = || Subject::Organisation(slug.clone());
    let a = render(&f.db, ReportKind::SelfScan, subject(), Lang::Nl, date()).await;
    let b = render(&f.db, ReportKind::SelfScan, subject(), Lang::Nl, date()).await;
    assert!(a == b, "same data and date, same bytes");
    let later = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    let c = render(&f.db, ReportKind::SelfScan, subject(), Lang::Nl, later).await;
    assert!(a != c, "another date shows");
    assert!(pdf_text(&c).contains("1 december 2026"));
}

#[tokio::test]
async fn too_few_respondents_or_members_show_no_figures_but_say_why() {
    let f = federation(2, None).await;
    let slug = f.members[0].0.clone();
    let strict = ScoringConfig::with_anonymity(Anonymity::new(100).expect("threshold"));
    let req = ReportRequest {
        kind: ReportKind::SelfScan,
        subject: Subject::Organisation(slug),
        year: YEAR,
        lang: Lang::En,
        generated: date(),
    };
    let prepared = crate::support::app_with(&f.db, strict)
        .report_data(&req)
        .await
        .expect("data");
    let pdf = Renderer::builtin()
        .expect("renderer")
        .render(&prepared.data)
        .expect("render");
    let text = pdf_text(&pdf);
    assert!(text.contains("Too few respondents"), "{text}");
    assert!(
        text.contains("fewer than the anonymity threshold of 100"),
        "{text}"
    );
    assert!(!text.contains("The nine aspects"), "no figures");

    let subject = Subject::Federation(super::support::FEDERATION.to_owned());
    let text = pdf_text(&render(&f.db, ReportKind::Benchmark, subject, Lang::Nl, date()).await);
    assert!(
        text.contains("Te weinig organisaties met cijfers"),
        "{text}"
    );
    assert!(
        text.contains("R18.1"),
        "the federation's actions per aspect"
    );
}

#[tokio::test]
async fn the_preview_shows_the_first_pages_as_svg_without_the_data_as_text() {
    let name = r#"<script>alert(1)</script> & "CAW""#;
    let f = federation(1, Some(name)).await;
    let req = ReportRequest {
        kind: ReportKind::SelfScan,
        subject: Subject::Organisation(f.members[0].0.clone()),
        year: YEAR,
        lang: Lang::Nl,
        generated: date(),
    };
    let prepared = crate::support::app_on(&f.db)
        .report_data(&req)
        .await
        .expect("report data");
    let renderer = Renderer::builtin().expect("renderer");
    let first = renderer
        .preview(&prepared.data, 1)
        .expect("preview")
        .expect("page 1");
    assert!(
        first.starts_with("<svg"),
        "{}",
        &first[..80.min(first.len())]
    );
    assert!(!first.contains("<script"), "no script in the image");
    assert!(
        !first.contains("CAW"),
        "text is drawn as outlines, not written out"
    );
    let second = renderer.preview(&prepared.data, 2).expect("preview");
    assert!(second.is_some_and(|p| p != first), "page 2 is another page");
    assert_eq!(
        renderer
            .preview(&prepared.data, 1)
            .expect("again")
            .as_deref(),
        Some(first.as_str()),
        "the same page again"
    );
    for page in [0, blendscan::report::PREVIEW_PAGES + 1] {
        assert!(
            renderer
                .preview(&prepared.data, page)
                .expect("out of range")
                .is_none()
        );
    }
}
