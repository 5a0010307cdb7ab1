//! The recommendations, their actions and actors (`framework/recommendations.toml`).

use super::*;

/// The actors a report speaks to: an action that names one of them must say, in that actor's words,
/// what it does (the organisation report, the federation report).
pub const READER_ACTORS: [&str; 2] = ["organisation", "federation"];

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
            let voice = voices(ck, file, &a, &actor_codes);
            let text = ck.text(file, &a.code, "text", &a.text);
            let others = ck.text(file, &a.code, "others", &a.others);
            for (field, t) in [("text", &text), ("others", &others)]
                .into_iter()
                .chain(voice.iter().map(|(k, t)| (k.as_str(), t)))
            {
                no_dated_deadline(ck, file, &a.code, field, t);
            }
            actions.push(Action {
                text,
                others,
                voice,
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

/// The per-actor texts of an action: one for every reader actor it names, none for an actor it does
/// not name.
fn voices(
    ck: &mut Checker,
    file: &str,
    a: &RawAction,
    actor_codes: &HashSet<String>,
) -> BTreeMap<String, Text> {
    for reader in READER_ACTORS {
        if a.actors.iter().any(|x| x == reader) && !a.voice.contains_key(reader) {
            ck.problem(
                file,
                &a.code,
                format!(
                    "`{reader}` is among the actors but has no text of its own: add \
                     `voice.{reader} = {{ nl = \"…\", en = \"…\" }}` saying what it does, in its words"
                ),
            );
        }
    }
    let mut out = BTreeMap::new();
    for (actor, raw) in &a.voice {
        if !actor_codes.contains(actor) {
            ck.problem(
                file,
                &a.code,
                format!("dangling reference: voice for actor `{actor}`, which is not declared in [[actor]]"),
            );
        } else if !a.actors.contains(actor) {
            ck.problem(
                file,
                &a.code,
                format!("voice for `{actor}`, which is not among this action's actors"),
            );
        }
        let field = format!("voice.{actor}");
        out.insert(actor.clone(), ck.text(file, &a.code, &field, raw));
    }
    out
}

/// A deadline with a year ages: a report made later would tell its reader to finish by a past date.
fn no_dated_deadline(ck: &mut Checker, file: &str, entry: &str, field: &str, t: &Text) {
    for s in [&t.nl, &t.en] {
        if let Some(year) = years_in(s).first() {
            ck.problem(
                file,
                entry,
                format!(
                    "`{field}` names the year {year}; a dated deadline ages, say it without a year"
                ),
            );
            return;
        }
    }
}

/// The years (1900–2099) a text names as a four-digit number of its own.
pub fn years_in(s: &str) -> Vec<u16> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4
                && let Ok(y) = s[start..i].parse::<u16>()
                && (1900..2100).contains(&y)
            {
                out.push(y);
            }
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::years_in;

    #[test]
    fn years_are_four_digit_numbers_of_their_own() {
        assert_eq!(years_in("tegen eind 2024 klaar"), vec![2024]);
        assert_eq!(years_in("by 2030, not 20245 or 123"), vec![2030]);
        assert!(years_in("R14.2 en 1,5 uur").is_empty());
    }
}
