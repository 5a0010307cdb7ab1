//! The answer scales and the labels that mean "no answer" (`framework/scales.toml`).

use super::*;

pub(super) fn scales(ck: &mut Checker, file: &str, raw: &ScalesFile) -> Vec<Scale> {
    let mut out = Vec::new();
    for s in &raw.scales {
        if s.min > s.max {
            ck.problem(
                file,
                &s.code,
                format!("min {} is above max {}", s.min, s.max),
            );
        }
        let values: Vec<u8> = s.levels.iter().map(|l| l.value).collect();
        let expected: Vec<u8> = (s.min..=s.max).collect();
        if values != expected {
            ck.problem(
                file,
                &s.code,
                format!("levels must be {expected:?} in order, found {values:?}"),
            );
        }
        let levels = s
            .levels
            .iter()
            .map(|l| {
                let entry = format!("{} level {}", s.code, l.value);
                ScaleLevel {
                    value: l.value,
                    label: ck.text(file, &entry, "label", &l.label),
                    description: ck.text(file, &entry, "description", &l.description),
                }
            })
            .collect();
        out.push(Scale {
            code: s.code.clone(),
            name: ck.text(file, &s.code, "name", &s.name),
            min: s.min,
            max: s.max,
            source: ck.source(file, &s.code, &s.source),
            levels,
        });
    }
    for m in &raw.missing {
        ck.text(file, &m.code, "label", &m.label);
    }
    for required in REQUIRED_MISSING {
        if !raw.missing.iter().any(|m| m.code == required) {
            ck.problem(
                file,
                required,
                "missing label required: every questionnaire offers it, and it means no answer",
            );
        }
    }
    out
}

/// The "no answer" labels every questionnaire offers (DOMAIN: "don't know" and "not applicable").
const REQUIRED_MISSING: [&str; 2] = ["dont_know", "not_applicable"];

pub(super) fn missing(raw: &ScalesFile) -> Vec<MissingLabel> {
    raw.missing
        .iter()
        .map(|m| MissingLabel {
            code: m.code.clone(),
            label: Text {
                nl: m.label.nl.clone().unwrap_or_default(),
                en: m.label.en.clone().unwrap_or_default(),
            },
            aliases: m.aliases.clone(),
        })
        .collect()
}
