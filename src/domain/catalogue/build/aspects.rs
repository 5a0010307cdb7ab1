//! The nine implementation aspects and their indicators (`framework/aspects.toml`).

use super::*;

pub(super) fn aspects(
    ck: &mut Checker,
    file: &str,
    raw: AspectsFile,
    counts: &Counts,
) -> Vec<Aspect> {
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
