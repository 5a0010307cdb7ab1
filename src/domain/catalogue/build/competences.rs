//! The competence framework: focus areas, clusters and their items (`framework/competences.toml`).

use super::*;

pub(super) fn competences(
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
