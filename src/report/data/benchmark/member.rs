//! The page of one member in its federation's benchmark ("uw positie"): its own index, stage and
//! aspect scores beside the distribution of all members, with its percentile. Only the member's own
//! figures and the group's middle half and median: never another member's.

use serde::Serialize;

use super::{DistView, dist};
use crate::domain::catalogue::Catalogue;
use crate::domain::format;
use crate::domain::scoring::{BenchmarkReport, Distribution, MemberAspect, MemberRow};
use crate::domain::text::Lang;
use crate::report::data::{Figure, StageView};

#[derive(Serialize)]
pub(super) struct MemberView {
    name: String,
    respondents: usize,
    stage: Option<StageView>,
    index: MemberFigure,
    aspects: Vec<MemberFigure>,
}

/// A member's own figure with where it stands among all members.
#[derive(Serialize)]
struct MemberFigure {
    code: String,
    name: String,
    own: Figure,
    /// The members' distribution it is set against (all members).
    group: Option<DistView>,
    /// "percentiel 62" / "percentile 62"; with the sector's when there is one.
    standing: Option<String>,
    /// One sentence for the chart's alternative text.
    alt: String,
}

fn member_figure(
    m: &MemberAspect,
    name: String,
    group: Option<&Distribution>,
    lang: Lang,
) -> MemberFigure {
    let pct = |p: f64| format::num(p, 0, lang);
    let standing = match (m.percentile, m.sector_percentile, lang) {
        (Some(p), Some(s), Lang::Nl) => Some(format!("percentiel {} (sector {})", pct(p), pct(s))),
        (Some(p), Some(s), Lang::En) => Some(format!("percentile {} (sector {})", pct(p), pct(s))),
        (Some(p), None, Lang::Nl) => Some(format!("percentiel {}", pct(p))),
        (Some(p), None, Lang::En) => Some(format!("percentile {}", pct(p))),
        (None, _, _) => None,
    };
    let own = Figure::new(m.score, 1, lang);
    let group = dist(group, lang);
    let alt = match (&group, lang) {
        (Some(g), Lang::Nl) => format!(
            "{name}: uw score {}, mediaan van de leden {}, middelste helft {}.",
            own.text, g.median_text, g.iqr_text
        ),
        (Some(g), Lang::En) => format!(
            "{name}: your score {}, members' median {}, middle half {}.",
            own.text, g.median_text, g.iqr_text
        ),
        (None, Lang::Nl) => format!("{name}: uw score {}.", own.text),
        (None, Lang::En) => format!("{name}: your score {}.", own.text),
    };
    MemberFigure {
        code: m.code.clone(),
        name,
        own,
        group,
        standing,
        alt,
    }
}

pub(super) fn member_view(
    cat: &Catalogue,
    b: &BenchmarkReport,
    row: &MemberRow,
    name: &str,
    lang: Lang,
) -> MemberView {
    let all = b.groups.first();
    let aspect_dist = |code: &str| {
        all.and_then(|g| g.aspects.iter().find(|a| a.code == code))
            .and_then(|a| a.distribution.as_ref())
    };
    MemberView {
        name: name.to_owned(),
        respondents: row.respondents,
        stage: row.stage.map(|st| StageView::new(st, lang)),
        index: member_figure(
            &row.overall,
            match lang {
                Lang::Nl => "Readiness-index".to_owned(),
                Lang::En => "Readiness index".to_owned(),
            },
            all.and_then(|g| g.overall.as_ref()),
            lang,
        ),
        aspects: row
            .aspects
            .iter()
            .map(|a| {
                let name = cat
                    .aspect(&a.code)
                    .map_or_else(String::new, |x| x.name.get(lang).to_owned());
                member_figure(a, name, aspect_dist(&a.code), lang)
            })
            .collect(),
    }
}
