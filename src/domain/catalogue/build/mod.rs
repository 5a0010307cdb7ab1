//! From the raw files to the validated [`Catalogue`]: one function per file (in the submodules, one per
//! kind of entry), then the cross-file checks here (references, counts). Every problem is collected
//! before the catalogue is refused.

mod aspects;
mod checklists;
mod competences;
mod mappings;
mod recommendations;
mod roles;
mod scales;

use std::collections::{BTreeMap, HashMap, HashSet};

use super::check::{Checker, numbered, plain_number};
use super::model::*;
use super::raw::*;
use super::{CatalogueError, CatalogueFiles};
use crate::domain::text::Text;
use aspects::aspects;
use checklists::checklist;
use competences::competences;
use mappings::mappings;
use recommendations::recommendations;
use roles::{groups, roles};
use scales::{missing, scales};

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
    let glossary: Vec<Term> = head
        .glossary
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let entry = format!("term {}", i + 1);
            Term {
                term: ck.text(cat_file, &entry, "term", &t.term),
                meaning: ck.text(cat_file, &entry, "meaning", &t.meaning),
            }
        })
        .collect();
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
        glossary,
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
