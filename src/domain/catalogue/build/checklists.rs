//! One checklist file of `checklists/`.

use super::*;

pub(super) fn checklist(
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
