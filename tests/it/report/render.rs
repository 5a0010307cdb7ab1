//! Every kind of report in both languages: what a reader must find in it, that it is valid PDF/A-2b,
//! that it names no member in a benchmark, that user text prints literally, and that the same data
//! gives the same bytes.

use blendscan::domain::scoring::{Anonymity, ScoreReport, Scorer, ScoringConfig};
use blendscan::domain::text::Lang;
use blendscan::report::{self, Renderer, ReportKind, ReportRequest, Subject};
use chrono::NaiveDate;

use super::support::{
    YEAR, assert_fonts_embedded, assert_pdfa_2b, assert_qpdf_ok, date, federation, pdf_text, render,
};
use crate::import::catalogue;

/// A score formatted as the report prints it.
fn fmt(x: f64, lang: Lang) -> String {
    let s = format!("{x:.1}");
    if lang == Lang::Nl {
        s.replace('.', ",")
    } else {
        s
    }
}

async fn score(db: &sea_orm::DatabaseConnection, slug: &str) -> ScoreReport {
    let inputs = blendscan::db::score_inputs(db, slug, YEAR)
        .await
        .expect("inputs");
    Scorer::new(&catalogue(), ScoringConfig::default())
        .score(&inputs.current, inputs.previous.as_ref())
}

/// What every scan report holds: the name, the nine aspect names, every aspect score and the
/// index, and an action of each priority.
fn assert_scan_report(text: &str, name: &str, score: &ScoreReport, lang: Lang) {
    let cat = catalogue();
    assert!(text.contains(name), "organisation name {name}");
    for a in &cat.aspects {
        let n = super::support::normalise(a.name.get(lang));
        assert!(text.contains(&n), "aspect name {n}");
    }
    let overall = score.overall.expect("an index");
    assert!(text.contains(&fmt(overall, lang)), "index {overall}");
    for a in &score.aspects {
        let s = a.score.expect("a score per aspect");
        assert!(text.contains(&fmt(s, lang)), "{} score {s}", a.code);
    }
    assert_eq!(score.priorities.len(), 3);
    for p in &score.priorities {
        if p.actions.is_empty() {
            continue;
        }
        let found = p.actions.iter().any(|code| {
            let action = cat
                .recommendations
                .iter()
                .flat_map(|r| &r.actions)
                .find(|a| &a.code == code)
                .expect("action in catalogue");
            text.contains(&super::support::normalise(action.text.get(lang)))
        });
        assert!(found, "an action of priority {} ({})", p.rank, p.aspect);
    }
}

#[tokio::test]
async fn scan_reports_in_both_languages_hold_names_scores_and_actions() {
    let f = federation(2, None).await;
    let (slug, name) = f.members[0].clone();
    let score = score(&f.db, &slug).await;
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
            if kind == ReportKind::Advice {
                for s in [
                    "An Peeters",
                    "Werk eerst aan de kosten.",
                    "Reserveer innovatie-uren.",
                    "Kwaliteitscoördinator",
                ] {
                    assert!(text.contains(s), "advice text {s}");
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
            let line = super::support::normalise(&format!("{} {}", a.code, a.text.get(lang)));
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

#[tokio::test]
async fn hostile_strings_print_literally() {
    let hostile = r#"#set text(red)] *bold* _it_ $x$ <label> @ref \ "#;
    let f = federation(1, Some(hostile)).await;
    let slug = f.members[0].0.clone();
    let advice = r##"{
        "counsellor": "#set page(fill: red)",
        "summary": "*geen vet* _geen cursief_ $1 + 1$ <a> @b \\c",
        "aspect": [{ "code": "A1", "advice": "]#{ panic() } `raw` // geen commentaar" }],
        "action": [{ "code": "R14.1", "owner": "<owner> @x", "due": "30/06/2026",
                     "status": "gepland", "note": "#emph[x] \\ y" }]
    }"##;
    super::advice::store_json(&f.db, &slug, advice).await;
    let pdf = render(
        &f.db,
        ReportKind::Advice,
        Subject::Organisation(slug),
        Lang::Nl,
        date(),
    )
    .await;
    let text = pdf_text(&pdf);
    for s in [
        hostile.trim(),
        "#set page(fill: red)",
        "*geen vet* _geen cursief_ $1 + 1$ <a> @b \\c",
        "]#{ panic() } `raw` // geen commentaar",
        "<owner> @x",
        "#emph[x] \\ y",
    ] {
        assert!(text.contains(s), "prints literally: {s}\n{text}");
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
    let prepared = report::prepare(&f.db, &catalogue(), &strict, &req)
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
