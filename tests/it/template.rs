//! The questionnaire template: headers with codes, exact metadata headers, drop-downs, the short and
//! role-specific variants, the explanation sheet, and the `template` command.

use std::collections::BTreeMap;
use std::io::{Cursor, Read as _};

use crate::support::catalogue;
use blendscan::catalogue::builtin_files;
use blendscan::domain::catalogue::parse;
use blendscan::domain::text::Lang;
use blendscan::template::{TemplateError, TemplateOptions, Variant, questionnaire, questions};
use calamine::{Data, Reader, SheetVisible, Xlsx};

fn options(lang: Lang, variant: Variant, role: Option<&str>) -> TemplateOptions {
    TemplateOptions {
        lang,
        variant,
        role: role.map(str::to_owned),
    }
}

fn workbook(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).expect("a readable xlsx")
}

/// Every non-empty cell of a sheet as text, row by row.
fn cells(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    let range = workbook(bytes.to_vec())
        .worksheet_range(sheet)
        .expect("the sheet exists");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The header row of the questionnaire sheet.
fn headers(bytes: &[u8], lang: Lang) -> Vec<String> {
    let sheet = if lang == Lang::Nl {
        "Vragenlijst"
    } else {
        "Questionnaire"
    };
    cells(bytes, sheet)
        .into_iter()
        .next()
        .expect("a header row")
}

/// The codes in brackets at the end of the headers, after the metadata block.
fn codes(headers: &[String]) -> Vec<String> {
    headers[5..]
        .iter()
        .map(|h| {
            let open = h.rfind(" [").expect("a code in brackets");
            assert!(h.ends_with(']'), "{h}");
            h[open + 2..h.len() - 1].to_owned()
        })
        .collect()
}

/// The XML of one part of the xlsx package.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    zip.by_name(name)
        .expect("the part exists")
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

#[test]
fn template_headers_carry_every_code_in_both_languages() {
    let c = catalogue();
    for lang in [Lang::Nl, Lang::En] {
        let bytes = questionnaire(&c, &options(lang, Variant::Full, None)).expect("written");
        let headers = headers(&bytes, lang);
        let mut expected = Vec::new();
        for i in c.aspects.iter().flat_map(|a| &a.indicators) {
            expected.push(format!("{} [{}]", i.text.get(lang), i.code));
        }
        for i in c.clusters.iter().flat_map(|cl| &cl.items) {
            expected.push(format!("{} [{}]", i.text.get(lang), i.code));
        }
        for i in c.checklists.iter().flat_map(|cl| &cl.items) {
            expected.push(format!("{} [{}]", i.text.get(lang), i.code));
        }
        assert_eq!(headers[5..], expected[..], "{lang:?}");
        assert_eq!(
            codes(&headers).len(),
            questions(&c, &options(lang, Variant::Full, None))
                .expect("questions")
                .len()
        );
    }
}

#[test]
fn template_metadata_headers_are_exact() {
    let c = catalogue();
    let nl = questionnaire(&c, &options(Lang::Nl, Variant::Full, None)).expect("written");
    assert_eq!(
        headers(&nl, Lang::Nl)[..5],
        ["Naam", "E-mail", "Functie", "Team", "Respondentgroep"]
    );
    let en = questionnaire(&c, &options(Lang::En, Variant::Full, None)).expect("written");
    assert_eq!(
        headers(&en, Lang::En)[..5],
        ["Name", "Email", "Role", "Team", "Respondent group"]
    );
}

#[test]
fn template_every_column_has_a_dropdown_with_levels_and_missing_labels() {
    let c = catalogue();
    let bytes = questionnaire(&c, &options(Lang::Nl, Variant::Full, None)).expect("written");
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    let count = questions(&c, &options(Lang::Nl, Variant::Full, None))
        .expect("questions")
        .len();
    // One validation per question column, plus Functie and Respondentgroep.
    assert_eq!(xml.matches("<dataValidation ").count(), count + 2);
    assert_eq!(xml.matches("allowBlank=\"1\"").count(), count + 2);
    assert!(xml.contains(
        "\"1 - Nog niet,2 - Beginnend,3 - Zelfstandig,4 - Gevorderd,5 - Expert,Weet ik niet,Niet van toepassing\""
    ));
    assert!(xml.contains("\"0 - Niet aanwezig,1 - Verkennend,"));
    assert!(
        xml.contains("promptTitle=\"C1K1\""),
        "an input message per code"
    );
    assert!(xml.contains("sqref=\"C2:C501\""), "Functie has a drop-down");
    assert!(xml.contains("Basiswerker"));
    assert!(xml.contains("Cliëntvertegenwoordigers"));
    assert!(
        xml.contains("<pane xSplit=\"5\" ySplit=\"1\""),
        "frozen panes"
    );
    // Short lists stay inline: no lists sheet.
    let sheets = workbook(bytes).sheet_names();
    assert_eq!(sheets, ["Vragenlijst", "Uitleg"]);
}

#[test]
fn template_long_or_comma_lists_go_to_a_hidden_sheet() {
    let mut files = builtin_files();
    let long = ["Zeer lange functienaam"; 12].join(" ");
    files.role_profiles.contents = files
        .role_profiles
        .contents
        .replacen("nl = \"Basiswerker\"", &format!("nl = \"{long}\""), 1)
        .replacen("nl = \"Partners\"", "nl = \"Partners, netwerken\"", 1);
    let c = parse(&files).expect("still valid");
    let bytes = questionnaire(&c, &options(Lang::Nl, Variant::Full, None)).expect("written");
    let book = workbook(bytes.clone());
    let lists = book
        .sheets_metadata()
        .iter()
        .find(|s| s.name == "Lijsten")
        .map(|s| s.visible)
        .expect("a lists sheet");
    assert_eq!(lists, SheetVisible::Hidden);
    let rows = cells(&bytes, "Lijsten");
    assert_eq!(rows[0][0], long);
    assert_eq!(rows[3][1], "Partners, netwerken");
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains("<formula1>Lijsten!$A$1:$A$5</formula1>"),
        "{xml}"
    );
    assert!(xml.contains("<formula1>Lijsten!$B$1:$B$4</formula1>"));
    // The answer lists are short and stay inline.
    assert!(xml.contains("\"0 - Niet aanwezig,"));
}

#[test]
fn template_short_variant_keeps_core_items_and_all_indicators() {
    let c = catalogue();
    let bytes = questionnaire(&c, &options(Lang::Nl, Variant::Short, None)).expect("written");
    let codes = codes(&headers(&bytes, Lang::Nl));
    for i in c.aspects.iter().flat_map(|a| &a.indicators) {
        assert!(codes.contains(&i.code), "indicator {}", i.code);
    }
    for i in c.checklists.iter().flat_map(|cl| &cl.items) {
        assert!(codes.contains(&i.code), "checklist item {}", i.code);
    }
    for cluster in &c.clusters {
        let asked: Vec<&str> = cluster
            .items
            .iter()
            .filter(|i| codes.contains(&i.code))
            .map(|i| {
                assert!(i.core, "{} is not a core item", i.code);
                i.code.as_str()
            })
            .collect();
        assert!(
            (2..=4).contains(&asked.len()),
            "{}: {asked:?}",
            cluster.code
        );
    }
    let uitleg = cells(&bytes, "Uitleg").concat().join("\n");
    assert!(uitleg.contains("Korte vragenlijst"), "{uitleg}");
}

#[test]
fn template_role_limits_competence_clusters() {
    let c = catalogue();
    let role = c.role_profile("volunteer").expect("volunteer");
    let bytes =
        questionnaire(&c, &options(Lang::Nl, Variant::Full, Some("volunteer"))).expect("written");
    let codes = codes(&headers(&bytes, Lang::Nl));
    let mut per_cluster = BTreeMap::new();
    for cluster in &c.clusters {
        let asked = cluster
            .items
            .iter()
            .filter(|i| codes.contains(&i.code))
            .count();
        let expected = role.expected.get(&cluster.code).copied().unwrap_or(0);
        let want = if expected >= 2 {
            cluster.items.len()
        } else {
            0
        };
        assert_eq!(asked, want, "{} (expected level {expected})", cluster.code);
        per_cluster.insert(cluster.code.as_str(), asked);
    }
    assert!(per_cluster.values().any(|&n| n == 0), "{per_cluster:?}");
    assert!(per_cluster.values().any(|&n| n > 0), "{per_cluster:?}");
    assert!(codes.contains(&"A1Q1".to_owned()) && codes.contains(&"PAR1".to_owned()));
    let uitleg = cells(&bytes, "Uitleg").concat().join("\n");
    assert!(uitleg.contains("Opgeleide vrijwilliger"), "{uitleg}");

    // With the short variant both limits apply.
    let short = questions(&c, &options(Lang::En, Variant::Short, Some("Volunteer")))
        .expect("codes are matched case-insensitively");
    assert!(
        short
            .iter()
            .all(|q| !q.code.starts_with("C7") && !q.code.starts_with("C9"))
    );
}

#[test]
fn template_unknown_role_is_refused_with_the_valid_codes() {
    let c = catalogue();
    let err = questionnaire(&c, &options(Lang::Nl, Variant::Full, Some("astronaut")))
        .expect_err("unknown role");
    assert!(matches!(err, TemplateError::UnknownRole { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("astronaut"), "{text}");
    for r in &c.role_profiles {
        assert!(text.contains(&r.code), "{text}");
    }
}

#[test]
fn template_explanation_lists_every_maturity_level() {
    let c = catalogue();
    let maturity = c.scale("maturity").expect("maturity");
    for (lang, sheet, privacy) in [
        (Lang::Nl, "Uitleg", "pseudoniem"),
        (Lang::En, "Explanation", "pseudonym"),
    ] {
        let bytes = questionnaire(&c, &options(lang, Variant::Full, None)).expect("written");
        let rows = cells(&bytes, sheet);
        let text = rows.concat().join("\n");
        for level in &maturity.levels {
            assert!(
                rows.iter().any(|r| r.len() > 2
                    && r[1] == level.label.get(lang)
                    && r[2] == level.description.get(lang)),
                "{lang:?} {}",
                level.label.get(lang)
            );
        }
        for m in &c.missing {
            assert!(text.contains(m.label.get(lang)), "{text}");
        }
        assert!(text.contains(&c.version), "{text}");
        assert!(text.contains(privacy), "{text}");
    }
}

#[test]
fn template_output_is_deterministic() {
    let c = catalogue();
    let o = options(Lang::En, Variant::Short, Some("team_lead"));
    assert_eq!(
        questionnaire(&c, &o).expect("first"),
        questionnaire(&c, &o).expect("second")
    );
}

#[test]
fn template_variant_parses_both_languages() {
    for (text, variant) in [
        ("full", Variant::Full),
        ("Volledig", Variant::Full),
        ("short", Variant::Short),
        ("kort", Variant::Short),
    ] {
        assert_eq!(text.parse::<Variant>(), Ok(variant));
    }
    assert!("medium".parse::<Variant>().is_err());
}

#[test]
fn template_command_writes_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("vragenlijst.xlsx");
    let run = |args: &[&str]| {
        crate::support::command("sqlite://unused.db")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("run blendscan")
    };
    let path = out.to_str().expect("utf-8 path");
    let ok = run(&[
        "template",
        "--out",
        path,
        "--variant",
        "kort",
        "--lang",
        "en",
    ]);
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(out.is_file());
    assert!(stdout.contains("vragen"), "{stdout}");
    let written = std::fs::read(&out).expect("read");
    assert_eq!(headers(&written, Lang::En)[0], "Name");

    let bad = run(&["template", "--out", path, "--role", "astronaut"]);
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("unknown role `astronaut`") && stderr.contains("basic_worker"),
        "{stderr}"
    );
}
