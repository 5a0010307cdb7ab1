//! How recommendations, aspects and competence clusters are linked, with their weights.

use super::*;

pub(super) fn mappings(
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
