//! Role profiles and respondent groups.

use super::*;

/// The role profiles every installation has (000 §3): the ones an import's Role column maps to.
const REQUIRED_ROLES: [&str; 4] = ["basic_worker", "team_lead", "staff_policy", "volunteer"];

pub(super) fn roles(
    ck: &mut Checker,
    file: &str,
    raw: RoleProfilesFile,
    clusters: &HashSet<String>,
    scales: &[Scale],
) -> Vec<RoleProfile> {
    let prof = scales.iter().find(|s| s.code == COMPETENCE_SCALE);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for r in raw.roles {
        if !seen.insert(r.code.clone()) {
            ck.problem(file, &r.code, "duplicate role code");
        }
        for c in r.expected.keys() {
            if !clusters.contains(c) {
                ck.problem(
                    file,
                    &r.code,
                    format!("dangling reference: cluster `{c}` does not exist"),
                );
            }
        }
        let mut missing: Vec<&String> = clusters
            .iter()
            .filter(|c| !r.expected.contains_key(*c))
            .collect();
        missing.sort();
        if !missing.is_empty() {
            let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
            ck.problem(
                file,
                &r.code,
                format!("no expected level for cluster(s) {}", list.join(", ")),
            );
        }
        if let Some(p) = prof {
            for (c, level) in &r.expected {
                if *level < p.min || *level > p.max {
                    ck.problem(
                        file,
                        &r.code,
                        format!(
                            "expected level {level} for {c} is outside {}–{}",
                            p.min, p.max
                        ),
                    );
                }
            }
        }
        out.push(RoleProfile {
            name: ck.text(file, &r.code, "name", &r.name),
            description: ck.text(file, &r.code, "description", &r.description),
            source: ck.source(file, &r.code, &r.source),
            code: r.code,
            aliases: r.aliases,
            expected: r.expected,
        });
    }
    for required in REQUIRED_ROLES {
        if !seen.contains(required) {
            ck.problem(file, required, "required role profile is missing");
        }
    }
    out
}

pub(super) fn groups(ck: &mut Checker, file: &str, raw: &[RawGroup]) -> Vec<RespondentGroup> {
    let mut seen = HashSet::new();
    let out: Vec<RespondentGroup> = raw
        .iter()
        .map(|g| {
            if !seen.insert(g.code.clone()) {
                ck.problem(file, &g.code, "duplicate respondent group code");
            }
            RespondentGroup {
                name: ck.text(file, &g.code, "name", &g.name),
                code: g.code.clone(),
                aliases: g.aliases.clone(),
                default: g.default,
            }
        })
        .collect();
    if out.iter().filter(|g| g.default).count() != 1 {
        ck.problem(
            file,
            "group",
            "exactly one respondent group must have `default = true`",
        );
    }
    out
}
