//! The shipped catalogue is complete and consistent; each kind of inconsistency is refused with a
//! message naming file and entry.

use blendscan::catalogue::builtin_files;
use blendscan::domain::catalogue::{CatalogueFiles, ItemKind, parse};

/// Parse the built-in files after `edit` changed one of them; return the error text.
fn refused(edit: impl FnOnce(&mut CatalogueFiles)) -> String {
    let mut files = builtin_files();
    edit(&mut files);
    match parse(&files) {
        Ok(_) => panic!("the edited catalogue was accepted"),
        Err(e) => e.to_string(),
    }
}

fn replace_once(text: &mut String, from: &str, to: &str) {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur exactly once"
    );
    *text = text.replacen(from, to, 1);
}

#[test]
fn shipped_catalogue_is_complete() {
    let c = parse(&builtin_files()).expect("the shipped catalogue is valid");
    assert_eq!(c.aspects.len(), 9);
    assert!(c.aspects.iter().all(|a| a.indicators.len() >= 4));
    assert_eq!(c.recommendations.len(), 20);
    assert_eq!(c.recommendation_clusters.len(), 4);
    assert_eq!(c.action_count(), 64);
    assert_eq!(c.focus_areas.len(), 3);
    assert_eq!(c.clusters.len(), 9);
    // Every knowledge/skills/attitude bullet of seed 000 §6.
    assert_eq!(c.competence_item_count(), 143);
    assert!(c.role_profiles.len() >= 4);
    for code in ["maturity", "proficiency", "checklist", "position"] {
        assert!(c.scale(code).is_some(), "scale {code}");
    }
    let checklists: Vec<&str> = c.checklists.iter().map(|c| c.code.as_str()).collect();
    for code in ["POS", "VIS", "PAR", "OFF", "ACC", "INT", "EIN", "CCC"] {
        assert!(checklists.contains(&code), "checklist {code}");
    }
    let paradoxes = c
        .checklists
        .iter()
        .find(|c| c.code == "PAR")
        .expect("paradoxes");
    assert_eq!(paradoxes.items.len(), 7);
    // Every aspect is reachable from some recommendation, and organisations get actions.
    for a in &c.aspects {
        assert!(
            !c.recommendations_for(&a.code).is_empty(),
            "{} has recommendations",
            a.code
        );
    }
    assert!(
        c.recommendations
            .iter()
            .flat_map(|r| &r.actions)
            .any(|a| a.involves("organisation"))
    );
    assert!(
        c.recommendations
            .iter()
            .flat_map(|r| &r.actions)
            .any(|a| a.involves("federation"))
    );
}

#[test]
fn codes_are_recognised_case_insensitively() {
    let c = parse(&builtin_files()).expect("valid");
    assert!(c.scored("c1k1").is_some());
    assert!(c.scored("A6Q3").is_some());
    assert!(c.scored("par1").is_some());
    assert!(c.scored("C1K99").is_none());
}

#[test]
fn refuses_duplicate_code() {
    let msg = refused(|f| {
        replace_once(
            &mut f.competences.contents,
            "code = \"C2K2\"",
            "code = \"C2K1\"",
        )
    });
    assert!(
        msg.contains("framework/competences.toml: C2K1: duplicate code"),
        "{msg}"
    );
}

#[test]
fn refuses_duplicate_code_across_files() {
    let msg = refused(|f| {
        let vision = f
            .checklists
            .iter_mut()
            .find(|c| c.name.ends_with("vision.toml"))
            .expect("vision");
        replace_once(&mut vision.contents, "code = \"VIS\"", "code = \"POS\"");
    });
    assert!(
        msg.contains("checklists/vision.toml: POS: duplicate code (first declared in checklists/"),
        "{msg}"
    );
}

#[test]
fn refuses_dangling_actor() {
    let msg = refused(|f| {
        let start = f
            .recommendations
            .contents
            .find("code = \"R14.2\"")
            .expect("R14.2");
        let actors = start
            + f.recommendations.contents[start..]
                .find("actors = [")
                .expect("actors");
        f.recommendations
            .contents
            .insert_str(actors + "actors = [".len(), "\"nobody\", ");
    });
    assert!(
        msg.contains("framework/recommendations.toml: R14.2: dangling reference: actor `nobody`"),
        "{msg}"
    );
}

#[test]
fn refuses_dangling_aspect_in_mapping() {
    let msg = refused(|f| {
        f.mappings
            .contents
            .push_str("\n[[cluster_aspect]]\ncluster = \"C1\"\naspect = \"A10\"\nweight = 0.5\n")
    });
    assert!(
        msg.contains(
            "framework/mappings.toml: cluster_aspect C1 → A10: dangling reference: aspect `A10`"
        ),
        "{msg}"
    );
}

#[test]
fn refuses_missing_translation() {
    let msg = refused(|f| {
        let c = &mut f.competences.contents;
        let start = c.find("code = \"C4S3\"").expect("C4S3");
        let line = start + c[start..].find("text = {").expect("text");
        let end = line + c[line..].find('\n').expect("end of line");
        c.replace_range(line..end, "text = { nl = \"Ik kan iets\", en = \"  \" }");
    });
    assert!(
        msg.contains(
            "framework/competences.toml: C4S3: missing translation: `text` has no English (en) text"
        ),
        "{msg}"
    );
}

#[test]
fn refuses_wrong_count() {
    let msg = refused(|f| replace_once(&mut f.catalogue.contents, "actions = 64", "actions = 65"));
    assert!(msg.contains("framework/recommendations.toml: recommendation.action: wrong count: 64 actions, catalogue.toml declares 65"), "{msg}");
}

#[test]
fn refuses_too_few_indicators() {
    let msg = refused(|f| {
        replace_once(
            &mut f.catalogue.contents,
            "min_indicators_per_aspect = 4",
            "min_indicators_per_aspect = 9",
        )
    });
    assert!(
        msg.contains("framework/aspects.toml: A1: wrong count:"),
        "{msg}"
    );
}

#[test]
fn refuses_unknown_source_document() {
    let msg = refused(|f| {
        replace_once(
            &mut f.aspects.contents,
            "code = \"A2Q1\"",
            "code = \"A2Q1\"\nsource = \"999 §1\"\nsourcex = 1",
        )
    });
    // A typo'd key is refused with its line; the shape error stops before entry checks.
    assert!(msg.contains("framework/aspects.toml: line"), "{msg}");
    let msg = refused(|f| {
        let start = f.aspects.contents.find("code = \"A2Q1\"").expect("A2Q1");
        let src = start
            + f.aspects.contents[start..]
                .find("source = \"")
                .expect("source")
            + "source = \"".len();
        f.aspects.contents.replace_range(src..src + 3, "999");
    });
    assert!(
        msg.contains("framework/aspects.toml: A2Q1: source `999"),
        "{msg}"
    );
    assert!(msg.contains("cites unknown document `999`"), "{msg}");
}

#[test]
fn refuses_out_of_sequence_code() {
    let msg = refused(|f| {
        replace_once(
            &mut f.recommendations.contents,
            "code = \"R3.2\"",
            "code = \"R3.7\"",
        )
    });
    assert!(
        msg.contains(
            "framework/recommendations.toml: R3.7: code out of sequence: expected R3.2 here"
        ),
        "{msg}"
    );
}

#[test]
fn refuses_role_profile_without_every_cluster() {
    let msg = refused(|f| {
        replace_once(
            &mut f.role_profiles.contents,
            "expected = { C1 = 3, C2 = 2,",
            "expected = { C2 = 2,",
        )
    });
    assert!(
        msg.contains(
            "framework/role_profiles.toml: volunteer: no expected level for cluster(s) C1"
        ),
        "{msg}"
    );
}

#[test]
fn reports_syntax_errors_with_their_line() {
    let msg = refused(|f| f.scales.contents.push_str("\n[[scale]\n"));
    assert!(msg.contains("framework/scales.toml: line "), "{msg}");
}

#[test]
fn collects_every_problem_not_just_the_first() {
    let msg = refused(|f| {
        replace_once(&mut f.catalogue.contents, "actions = 64", "actions = 65");
        replace_once(
            &mut f.competences.contents,
            "code = \"C2K2\"",
            "code = \"C2K1\"",
        );
    });
    assert!(
        msg.contains("wrong count") && msg.contains("duplicate code"),
        "{msg}"
    );
}

#[test]
fn json_texts_all_have_both_languages() {
    let c = parse(&builtin_files()).expect("valid");
    let json = serde_json::to_value(&c).expect("json");
    fn walk(v: &serde_json::Value, path: &str, texts: &mut usize) {
        match v {
            serde_json::Value::Object(map) => {
                if map.contains_key("nl") || map.contains_key("en") {
                    for lang in ["nl", "en"] {
                        let s = map.get(lang).and_then(|s| s.as_str()).unwrap_or("");
                        assert!(!s.trim().is_empty(), "{path} lacks {lang}");
                    }
                    *texts += 1;
                } else {
                    for (k, v) in map {
                        walk(v, &format!("{path}.{k}"), texts);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{path}[{i}]"), texts);
                }
            }
            _ => {}
        }
    }
    let mut texts = 0;
    walk(&json, "$", &mut texts);
    assert!(texts > 500, "found {texts} texts");
}

/// The shape of the source documents, counted by hand in the seeds: knowledge, skills and attitude
/// items per cluster (seed 000 §6) and actions per recommendation (seed 003 §4–§8). The totals in
/// catalogue.toml would not notice an item moved from one cluster to another.
#[test]
fn items_per_cluster_and_actions_per_recommendation_follow_the_seeds() {
    let c = parse(&builtin_files()).expect("catalogue");
    let per_cluster: [(&str, [usize; 3]); 9] = [
        ("C1", [3, 5, 4]),
        ("C2", [4, 10, 5]),
        ("C3", [3, 5, 4]),
        ("C4", [4, 8, 6]),
        ("C5", [12, 15, 11]),
        ("C6", [2, 6, 2]),
        ("C7", [5, 6, 3]),
        ("C8", [3, 6, 1]),
        ("C9", [2, 4, 4]),
    ];
    for (code, [k, s, a]) in per_cluster {
        let cluster = c.clusters.iter().find(|x| x.code == code).expect(code);
        let count = |kind: ItemKind| cluster.items.iter().filter(|i| i.kind == kind).count();
        assert_eq!(
            [
                count(ItemKind::Knowledge),
                count(ItemKind::Skill),
                count(ItemKind::Attitude)
            ],
            [k, s, a],
            "{code}: knowledge, skills, attitude"
        );
        // Codes run C{n}K1…, C{n}S1…, C{n}A1… without gaps.
        for (kind, letter) in [
            (ItemKind::Knowledge, 'K'),
            (ItemKind::Skill, 'S'),
            (ItemKind::Attitude, 'A'),
        ] {
            let codes: Vec<&str> = cluster
                .items
                .iter()
                .filter(|i| i.kind == kind)
                .map(|i| i.code.as_str())
                .collect();
            let want: Vec<String> = (1..=codes.len())
                .map(|n| format!("{code}{letter}{n}"))
                .collect();
            assert_eq!(codes, want, "{code} {letter}");
        }
    }
    let per_recommendation = [4, 1, 3, 3, 3, 5, 3, 4, 5, 4, 3, 2, 2, 3, 4, 3, 2, 4, 3, 3];
    for (n, want) in per_recommendation.into_iter().enumerate() {
        let code = format!("R{}", n + 1);
        let r = c
            .recommendations
            .iter()
            .find(|r| r.code == code)
            .expect("recommendation");
        let codes: Vec<&str> = r.actions.iter().map(|a| a.code.as_str()).collect();
        let expected: Vec<String> = (1..=want).map(|m| format!("{code}.{m}")).collect();
        assert_eq!(codes, expected, "{code}");
    }
}

#[test]
fn refuses_a_catalogue_without_the_dont_know_label() {
    let msg = refused(|f| {
        replace_once(
            &mut f.scales.contents,
            "code = \"dont_know\"",
            "code = \"weet_niet\"",
        )
    });
    assert!(
        msg.contains("framework/scales.toml: dont_know: missing label required"),
        "{msg}"
    );
}

#[test]
fn refuses_a_catalogue_without_a_required_role_profile() {
    let msg = refused(|f| {
        replace_once(
            &mut f.role_profiles.contents,
            "code = \"volunteer\"",
            "code = \"vrijwilliger\"",
        )
    });
    assert!(
        msg.contains("framework/role_profiles.toml: volunteer: required role profile is missing"),
        "{msg}"
    );
}

#[test]
fn every_action_speaks_to_its_reader_in_its_own_words() {
    let c = parse(&builtin_files()).expect("the shipped catalogue is valid");
    for a in c.recommendations.iter().flat_map(|r| &r.actions) {
        for reader in ["organisation", "federation"] {
            assert_eq!(
                a.involves(reader),
                a.voice(reader).is_some(),
                "{} {reader}",
                a.code
            );
        }
        // The organisation's own text addresses it ("u", "uw"), never the agency's "organisaties".
        if let Some(t) = a.voice("organisation") {
            assert!(
                !t.nl.starts_with("Moedig organisaties") && !t.nl.starts_with("Verwacht"),
                "{}: {}",
                a.code,
                t.nl
            );
        }
        assert!(!a.others.nl.is_empty() && !a.others.en.is_empty());
    }
    let r14 = c
        .recommendations
        .iter()
        .flat_map(|r| &r.actions)
        .find(|a| a.code == "R14.1")
        .expect("R14.1");
    assert!(r14.told_to("organisation").nl.contains("uw IKZ-jaarplan"));
}

#[test]
fn refuses_an_action_of_the_organisation_or_federation_without_its_own_text() {
    let err = refused(|f| {
        replace_once(
            &mut f.recommendations.contents,
            "voice.organisation = { nl = \"Neem blended hulp op in uw IKZ-jaarplan",
            "# voice.organisation = { nl = \"Neem blended hulp op in uw IKZ-jaarplan",
        )
    });
    assert!(
        err.contains("R14.1: `organisation` is among the actors but has no text of its own"),
        "{err}"
    );
    let err = refused(|f| {
        replace_once(
            &mut f.recommendations.contents,
            "voice.federation = { nl = \"Bundel de inventarissen",
            "# voice.federation = { nl = \"Bundel de inventarissen",
        )
    });
    assert!(
        err.contains("R15.3: `federation` is among the actors"),
        "{err}"
    );
    let err = refused(|f| {
        replace_once(
            &mut f.recommendations.contents,
            "code = \"R1.1\"\n",
            "code = \"R1.1\"\nvoice.organisation = { nl = \"x\", en = \"x\" }\n",
        )
    });
    assert!(
        err.contains("R1.1: voice for `organisation`, which is not among"),
        "{err}"
    );
}

/// A dated deadline ages: no action text names a year, so no report made in a later year asks for
/// something by a date already past (the advice's "tegen eind 2024").
#[test]
fn no_action_names_a_year_and_a_deadline_year_is_refused() {
    let c = parse(&builtin_files()).expect("the shipped catalogue is valid");
    for a in c.recommendations.iter().flat_map(|r| &r.actions) {
        let texts = [&a.text, &a.others]
            .into_iter()
            .chain(a.voice.values())
            .flat_map(|t| [&t.nl, &t.en]);
        for t in texts {
            let years: Vec<&str> = t
                .split(|ch: char| !ch.is_ascii_digit())
                .filter(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
                .collect();
            assert!(years.is_empty(), "{}: {t}", a.code);
        }
    }
    let err = refused(|f| {
        replace_once(
            &mut f.recommendations.contents,
            "Help organisaties hun visie uit te werken",
            "Help organisaties hun visie tegen eind 2024 uit te werken",
        )
    });
    assert!(
        err.contains("R3.2: `text` names the year 2024; a dated deadline ages"),
        "{err}"
    );
}
