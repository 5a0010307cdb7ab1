//! The recommendations, their actions and actors (`framework/recommendations.toml`).

use super::*;

pub(super) fn recommendations(
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
