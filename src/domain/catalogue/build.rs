//! From the raw files to the validated [`Catalogue`]: one function per file, then the cross-file checks
//! (references, counts). Every problem is collected before the catalogue is refused.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::check::{Checker, numbered, plain_number};
use super::model::*;
use super::raw::*;
use super::{CatalogueError, CatalogueFiles};
use crate::domain::text::Text;

/// The scales the rest of the product relies on, and what uses them.
const INDICATOR_SCALE: &str = "maturity";
const COMPETENCE_SCALE: &str = "proficiency";
const REQUIRED_SCALES: [&str; 3] = [INDICATOR_SCALE, COMPETENCE_SCALE, "checklist"];

pub fn build(files: &CatalogueFiles) -> Result<Catalogue, CatalogueError> {
    let mut ck = Checker::new();
    let head: Option<CatalogueFile> = ck.toml(&files.catalogue);
    let aspects_raw: Option<AspectsFile> = ck.toml(&files.aspects);
    let recs_raw: Option<RecommendationsFile> = ck.toml(&files.recommendations);
    let comp_raw: Option<CompetencesFile> = ck.toml(&files.competences);
    let scales_raw: Option<ScalesFile> = ck.toml(&files.scales);
    let roles_raw: Option<RoleProfilesFile> = ck.toml(&files.role_profiles);
    let map_raw: Option<MappingsFile> = ck.toml(&files.mappings);
    let checklists_raw: Vec<(&str, Option<ChecklistFile>)> = files
        .checklists
        .iter()
        .map(|f| (f.name.as_str(), ck.toml(f)))
        .collect();

    let (
        Some(head),
        Some(aspects_raw),
        Some(recs_raw),
        Some(comp_raw),
        Some(scales_raw),
        Some(roles_raw),
        Some(map_raw),
    ) = (
        head,
        aspects_raw,
        recs_raw,
        comp_raw,
        scales_raw,
        roles_raw,
        map_raw,
    )
    else {
        return Err(CatalogueError {
            problems: ck.problems,
        });
    };

    let cat_file = files.catalogue.name.as_str();
    let title = ck.text(cat_file, "title", "title", &head.title);
    let mut sources = Vec::new();
    for s in head.sources {
        if !ck.source_ids.insert(s.id.clone()) {
            ck.problem(cat_file, &s.id, "duplicate source id");
        }
        sources.push(Source {
            code: s.id,
            title: s.title,
            publisher: s.publisher,
            year: s.year,
        });
    }
    if head.version.trim().is_empty() {
        ck.problem(cat_file, "version", "the catalogue needs a version");
    }

    let scales = scales(&mut ck, &files.scales.name, &scales_raw);
    let scale_codes: HashSet<&str> = scales.iter().map(|s| s.code.as_str()).collect();
    let aspects = aspects(&mut ck, &files.aspects.name, aspects_raw, &head.counts);
    let aspect_codes: HashSet<String> = aspects.iter().map(|a| a.code.clone()).collect();
    let (focus_areas, clusters) =
        competences(&mut ck, &files.competences.name, comp_raw, &head.counts);
    let cluster_codes: HashSet<String> = clusters.iter().map(|c| c.code.clone()).collect();
    let (actors, rec_clusters, recommendations) = recommendations(
        &mut ck,
        &files.recommendations.name,
        recs_raw,
        &aspect_codes,
        &head.counts,
    );
    let respondent_groups = groups(&mut ck, &files.role_profiles.name, &roles_raw.groups);
    let role_profiles = roles(
        &mut ck,
        &files.role_profiles.name,
        roles_raw,
        &cluster_codes,
        &scales,
    );
    let mut mappings = mappings(
        &mut ck,
        &files.mappings.name,
        map_raw,
        &aspect_codes,
        &cluster_codes,
    );
    mappings.recommendation_aspect = recommendations
        .iter()
        .flat_map(|r| {
            r.serves.iter().map(|l| RecommendationAspect {
                recommendation: r.code.clone(),
                aspect: l.aspect.clone(),
                weight: l.weight,
            })
        })
        .collect();
    let mut checklists = Vec::new();
    for (name, raw) in checklists_raw {
        if let Some(raw) = raw {
            checklists.push(checklist(&mut ck, name, raw, &aspect_codes, &scale_codes));
        }
    }
    let mut seen_scales = HashSet::new();
    for s in &scales {
        if !seen_scales.insert(s.code.as_str()) {
            ck.problem(&files.scales.name, &s.code, "duplicate scale code");
        }
    }
    for required in REQUIRED_SCALES {
        if !scale_codes.contains(required) {
            ck.problem(
                &files.scales.name,
                required,
                "missing scale: indicators, items and checklists need it",
            );
        }
    }

    if !ck.problems.is_empty() {
        return Err(CatalogueError {
            problems: ck.problems,
        });
    }
    let mut catalogue = Catalogue {
        version: head.version.trim().to_owned(),
        title,
        sources,
        aspects,
        actors,
        recommendation_clusters: rec_clusters,
        recommendations,
        focus_areas,
        clusters,
        missing: missing(&scales_raw),
        scales,
        role_profiles,
        respondent_groups,
        mappings,
        checklists,
        index: HashMap::new(),
    };
    catalogue.index = index(&catalogue);
    Ok(catalogue)
}

fn index(c: &Catalogue) -> HashMap<String, Scored> {
    let mut index = HashMap::new();
    for a in &c.aspects {
        for i in &a.indicators {
            index.insert(
                i.code.to_ascii_uppercase(),
                Scored::Indicator {
                    aspect: a.code.clone(),
                    scale: INDICATOR_SCALE.into(),
                },
            );
        }
    }
    for cl in &c.clusters {
        for i in &cl.items {
            let scored = Scored::Competence {
                cluster: cl.code.clone(),
                kind: i.kind,
                scale: COMPETENCE_SCALE.into(),
            };
            index.insert(i.code.to_ascii_uppercase(), scored);
        }
    }
    for cl in &c.checklists {
        for i in &cl.items {
            let scored = Scored::ChecklistItem {
                checklist: cl.code.clone(),
                scale: cl.scale.clone(),
            };
            index.insert(i.code.to_ascii_uppercase(), scored);
        }
    }
    index
}

/// Child codes must continue their parent's code and be numbered 1, 2, 3 … in order.
fn check_sequence(ck: &mut Checker, file: &str, code: &str, expected_prefix: &str, position: u32) {
    let number = code.strip_prefix(expected_prefix).and_then(plain_number);
    if number != Some(position) {
        ck.problem(
            file,
            code,
            format!("code out of sequence: expected {expected_prefix}{position} here"),
        );
    }
}

fn aspects(ck: &mut Checker, file: &str, raw: AspectsFile, counts: &Counts) -> Vec<Aspect> {
    ck.count(
        file,
        "aspects",
        "aspects",
        raw.aspects.len(),
        counts.aspects,
    );
    let mut out = Vec::new();
    for (pos, a) in raw.aspects.into_iter().enumerate() {
        ck.unique(file, &a.code);
        check_sequence(ck, file, &a.code, "A", pos as u32 + 1);
        if a.indicators.len() < counts.min_indicators_per_aspect {
            let msg = format!(
                "wrong count: {} indicators, at least {} required",
                a.indicators.len(),
                counts.min_indicators_per_aspect
            );
            ck.problem(file, &a.code, msg);
        }
        let mut indicators = Vec::new();
        for (i, ind) in a.indicators.into_iter().enumerate() {
            ck.unique(file, &ind.code);
            check_sequence(ck, file, &ind.code, &format!("{}Q", a.code), i as u32 + 1);
            indicators.push(Indicator {
                text: ck.text(file, &ind.code, "text", &ind.text),
                source: ck.source(file, &ind.code, &ind.source),
                code: ind.code,
            });
        }
        out.push(Aspect {
            name: ck.text(file, &a.code, "name", &a.name),
            description: ck.text(file, &a.code, "description", &a.description),
            source: ck.source(file, &a.code, &a.source),
            code: a.code,
            indicators,
        });
    }
    out
}

fn competences(
    ck: &mut Checker,
    file: &str,
    raw: CompetencesFile,
    counts: &Counts,
) -> (Vec<FocusArea>, Vec<Cluster>) {
    ck.count(
        file,
        "focus_area",
        "focus areas",
        raw.focus_areas.len(),
        counts.focus_areas,
    );
    ck.count(
        file,
        "cluster",
        "clusters",
        raw.clusters.len(),
        counts.competence_clusters,
    );
    let items: usize = raw.clusters.iter().map(|c| c.items.len()).sum();
    ck.count(
        file,
        "cluster.item",
        "competence items",
        items,
        counts.competence_items,
    );
    let mut focus_areas = Vec::new();
    for (pos, f) in raw.focus_areas.into_iter().enumerate() {
        ck.unique(file, &f.code);
        check_sequence(ck, file, &f.code, "F", pos as u32 + 1);
        focus_areas.push(FocusArea {
            name: ck.text(file, &f.code, "name", &f.name),
            description: ck.text(file, &f.code, "description", &f.description),
            source: ck.source(file, &f.code, &f.source),
            code: f.code,
            clusters: Vec::new(),
        });
    }
    let mut clusters = Vec::new();
    for (pos, c) in raw.clusters.into_iter().enumerate() {
        ck.unique(file, &c.code);
        check_sequence(ck, file, &c.code, "C", pos as u32 + 1);
        match focus_areas.iter_mut().find(|f| f.code == c.focus_area) {
            Some(f) => f.clusters.push(c.code.clone()),
            None => ck.problem(
                file,
                &c.code,
                format!(
                    "dangling reference: focus area `{}` does not exist",
                    c.focus_area
                ),
            ),
        }
        let mut per_kind: HashMap<char, u32> = HashMap::new();
        let mut items = Vec::new();
        for it in c.items {
            ck.unique(file, &it.code);
            let kind = numbered(&it.code, 'C')
                .filter(|(n, _)| format!("C{n}") == c.code)
                .and_then(|(_, rest)| rest.chars().next())
                .and_then(ItemKind::from_letter);
            let Some(kind) = kind else {
                let msg = format!(
                    "item code must be {}K<n>, {}S<n> or {}A<n>",
                    c.code, c.code, c.code
                );
                ck.problem(file, &it.code, msg);
                continue;
            };
            let n = per_kind.entry(kind.letter()).or_insert(0);
            *n += 1;
            let position = *n;
            check_sequence(
                ck,
                file,
                &it.code,
                &format!("{}{}", c.code, kind.letter()),
                position,
            );
            items.push(CompetenceItem {
                text: ck.text(file, &it.code, "text", &it.text),
                source: ck.source(file, &it.code, &it.source),
                code: it.code,
                kind,
                core: it.core,
            });
        }
        clusters.push(Cluster {
            name: ck.text(file, &c.code, "name", &c.name),
            description: ck.text(file, &c.code, "description", &c.description),
            source: ck.source(file, &c.code, &c.source),
            code: c.code,
            focus_area: c.focus_area,
            items,
        });
    }
    (focus_areas, clusters)
}

fn recommendations(
    ck: &mut Checker,
    file: &str,
    raw: RecommendationsFile,
    aspects: &HashSet<String>,
    counts: &Counts,
) -> (Vec<Actor>, Vec<RecommendationCluster>, Vec<Recommendation>) {
    ck.count(
        file,
        "cluster",
        "recommendation clusters",
        raw.clusters.len(),
        counts.recommendation_clusters,
    );
    ck.count(
        file,
        "recommendation",
        "recommendations",
        raw.recommendations.len(),
        counts.recommendations,
    );
    let actions: usize = raw.recommendations.iter().map(|r| r.actions.len()).sum();
    ck.count(
        file,
        "recommendation.action",
        "actions",
        actions,
        counts.actions,
    );
    let mut actors = Vec::new();
    for a in raw.actors {
        ck.unique(file, &a.code);
        actors.push(Actor {
            name: ck.text(file, &a.code, "name", &a.name),
            code: a.code,
        });
    }
    let actor_codes: HashSet<String> = actors.iter().map(|a| a.code.clone()).collect();
    let mut clusters = Vec::new();
    for (pos, c) in raw.clusters.into_iter().enumerate() {
        ck.unique(file, &c.code);
        check_sequence(ck, file, &c.code, "RC", pos as u32 + 1);
        clusters.push(RecommendationCluster {
            name: ck.text(file, &c.code, "name", &c.name),
            code: c.code,
            recommendations: Vec::new(),
        });
    }
    let mut out = Vec::new();
    for (pos, r) in raw.recommendations.into_iter().enumerate() {
        ck.unique(file, &r.code);
        check_sequence(ck, file, &r.code, "R", pos as u32 + 1);
        match clusters.iter_mut().find(|c| c.code == r.cluster) {
            Some(c) => c.recommendations.push(r.code.clone()),
            None => ck.problem(
                file,
                &r.code,
                format!("dangling reference: cluster `{}` does not exist", r.cluster),
            ),
        }
        if r.serves.is_empty() {
            ck.problem(
                file,
                &r.code,
                "serves no aspect: add `serves = [{ aspect = \"A…\", weight = 1.0 }]`",
            );
        }
        let mut serves_seen = HashSet::new();
        for l in &r.serves {
            if !aspects.contains(&l.aspect) {
                ck.problem(
                    file,
                    &r.code,
                    format!("dangling reference: aspect `{}` does not exist", l.aspect),
                );
            }
            if !serves_seen.insert(l.aspect.as_str()) {
                ck.problem(file, &r.code, format!("serves aspect `{}` twice", l.aspect));
            }
            ck.weight(file, &r.code, l.weight, false);
        }
        let mut actions = Vec::new();
        for (i, a) in r.actions.into_iter().enumerate() {
            ck.unique(file, &a.code);
            check_sequence(ck, file, &a.code, &format!("{}.", r.code), i as u32 + 1);
            if a.actors.is_empty() {
                ck.problem(file, &a.code, "no actors: name at least one actor");
            }
            for actor in &a.actors {
                if !actor_codes.contains(actor) {
                    ck.problem(
                        file,
                        &a.code,
                        format!("dangling reference: actor `{actor}` is not declared in [[actor]]"),
                    );
                }
            }
            actions.push(Action {
                text: ck.text(file, &a.code, "text", &a.text),
                source: ck.source(file, &a.code, &a.source),
                code: a.code,
                actors: a.actors,
            });
        }
        out.push(Recommendation {
            title: ck.text(file, &r.code, "title", &r.title),
            intended_result: ck.text(file, &r.code, "intended_result", &r.intended_result),
            source: ck.source(file, &r.code, &r.source),
            serves: r
                .serves
                .into_iter()
                .map(|l| AspectLink {
                    aspect: l.aspect,
                    weight: l.weight,
                })
                .collect(),
            code: r.code,
            cluster: r.cluster,
            actions,
        });
    }
    for a in aspects {
        if !out.iter().any(|r| r.serves.iter().any(|l| &l.aspect == a)) {
            ck.problem(file, a, "no recommendation serves this aspect");
        }
    }
    (actors, clusters, out)
}

fn scales(ck: &mut Checker, file: &str, raw: &ScalesFile) -> Vec<Scale> {
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

/// The role profiles every installation has (000 §3): the ones an import's Role column maps to.
const REQUIRED_ROLES: [&str; 4] = ["basic_worker", "team_lead", "staff_policy", "volunteer"];

fn missing(raw: &ScalesFile) -> Vec<MissingLabel> {
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

fn roles(
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

fn groups(ck: &mut Checker, file: &str, raw: &[RawGroup]) -> Vec<RespondentGroup> {
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

fn mappings(
    ck: &mut Checker,
    file: &str,
    raw: MappingsFile,
    aspects: &HashSet<String>,
    clusters: &HashSet<String>,
) -> Mappings {
    for (a, w) in &raw.aspect_weights {
        if !aspects.contains(a) {
            ck.problem(
                file,
                &format!("aspect_weights.{a}"),
                format!("dangling reference: aspect `{a}` does not exist"),
            );
        }
        ck.weight(file, &format!("aspect_weights.{a}"), *w, true);
    }
    let mut sorted: Vec<&String> = aspects.iter().collect();
    sorted.sort();
    for a in sorted {
        if !raw.aspect_weights.contains_key(a) {
            ck.problem(file, "aspect_weights", format!("no weight for aspect {a}"));
        }
    }
    for (a, s) in &raw.competence_share {
        if !aspects.contains(a) {
            ck.problem(
                file,
                &format!("competence_share.{a}"),
                format!("dangling reference: aspect `{a}` does not exist"),
            );
        }
        ck.weight(file, &format!("competence_share.{a}"), *s, true);
    }
    let mut seen = HashSet::new();
    let mut fed: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &raw.cluster_aspect {
        let entry = format!("cluster_aspect {} → {}", m.cluster, m.aspect);
        if !clusters.contains(&m.cluster) {
            ck.problem(
                file,
                &entry,
                format!("dangling reference: cluster `{}` does not exist", m.cluster),
            );
        }
        if !aspects.contains(&m.aspect) {
            ck.problem(
                file,
                &entry,
                format!("dangling reference: aspect `{}` does not exist", m.aspect),
            );
        }
        if !seen.insert((m.cluster.as_str(), m.aspect.as_str())) {
            ck.problem(file, &entry, "duplicate mapping");
        }
        ck.weight(file, &entry, m.weight, false);
        *fed.entry(m.aspect.as_str()).or_default() += 1;
    }
    for (a, share) in &raw.competence_share {
        if *share > 0.0 && !fed.contains_key(a.as_str()) {
            ck.problem(
                file,
                &format!("competence_share.{a}"),
                "aspect has a competence share but no cluster_aspect mapping",
            );
        }
    }
    Mappings {
        aspect_weights: raw.aspect_weights,
        competence_share: raw.competence_share,
        cluster_aspect: raw
            .cluster_aspect
            .into_iter()
            .map(|m| ClusterAspect {
                cluster: m.cluster,
                aspect: m.aspect,
                weight: m.weight,
            })
            .collect(),
        recommendation_aspect: Vec::new(),
    }
}

fn checklist(
    ck: &mut Checker,
    file: &str,
    raw: ChecklistFile,
    aspects: &HashSet<String>,
    scales: &HashSet<&str>,
) -> Checklist {
    ck.unique(file, &raw.code);
    if !aspects.contains(&raw.aspect) {
        ck.problem(
            file,
            &raw.code,
            format!("dangling reference: aspect `{}` does not exist", raw.aspect),
        );
    }
    if !scales.contains(raw.scale.as_str()) {
        ck.problem(
            file,
            &raw.code,
            format!("dangling reference: scale `{}` does not exist", raw.scale),
        );
    }
    if raw.items.is_empty() {
        ck.problem(file, &raw.code, "a checklist needs at least one item");
    }
    let source = ck.source(file, &raw.code, &raw.source);
    let mut items = Vec::new();
    for (i, it) in raw.items.into_iter().enumerate() {
        ck.unique(file, &it.code);
        check_sequence(ck, file, &it.code, &raw.code, i as u32 + 1);
        let poles = it.poles.as_ref().map(|p| Poles {
            left: ck.text(file, &it.code, "poles.left", &p.left),
            right: ck.text(file, &it.code, "poles.right", &p.right),
        });
        if raw.scale == "position" && poles.is_none() {
            ck.problem(
                file,
                &it.code,
                "an item on the position scale needs `poles = { left = …, right = … }`",
            );
        }
        let item_source = if it.source.trim().is_empty() {
            source.clone()
        } else {
            ck.source(file, &it.code, &it.source)
        };
        items.push(ChecklistItem {
            text: ck.text(file, &it.code, "text", &it.text),
            source: item_source,
            code: it.code,
            poles,
        });
    }
    Checklist {
        name: ck.text(file, &raw.code, "name", &raw.name),
        description: ck.text(file, &raw.code, "description", &raw.description),
        source,
        code: raw.code,
        aspect: raw.aspect,
        scale: raw.scale,
        items,
    }
}
