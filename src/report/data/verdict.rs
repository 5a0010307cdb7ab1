//! The first page's answer: a verdict in plain words (stage, strongest and weakest aspect, what
//! changed, how sure), the three next steps in the organisation's own words, and where the
//! organisation stands against its sector. Written here, in Rust, so a template only lays it out
//! and every sentence is tested; every figure in it is one `score --json` or the benchmark prints.

use serde::Serialize;

use super::ActionView;
use crate::domain::catalogue::Catalogue;
use crate::domain::format::{self, num, signed};
use crate::domain::scoring::{
    AspectScore, BenchmarkReport, ComparisonGroup, Distribution, ORGANISATION_ACTOR, ScoreReport,
};
use crate::domain::text::Lang;

/// The verdict of one scan.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The stage (or why there is none), in one sentence.
    pub headline: String,
    /// Strongest and weakest aspect, change since the previous scan, the largest perception gap
    /// between respondent groups (when one exceeds its noise), how sure, in that order.
    pub sentences: Vec<String>,
    pub next_steps: Vec<NextStep>,
    pub position: Option<Position>,
}

/// One of the three priorities with the first thing the organisation itself does about it.
#[derive(Debug, Clone, Serialize)]
pub struct NextStep {
    pub rank: usize,
    pub aspect: String,
    pub name: String,
    /// The organisation's first action for it, in its own words; `None` when the advice gives the
    /// organisation no action there (then `intended_result` says what is aimed at).
    pub action: Option<ActionView>,
    pub intended_result: Option<String>,
    /// The order with these aspects is not established (their intervals overlap).
    pub tied_with: Vec<String>,
}

/// The organisation's index against its comparison group: the group's median and middle half
/// only (banded below ten organisations), never another member's figure.
#[derive(Debug, Clone, Serialize)]
pub struct Position {
    /// "de sector CAW" / "alle leden van de federatie".
    pub group: String,
    pub organisations: usize,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub own: f64,
    /// `below`, `within` or `above` the middle half.
    pub place: &'static str,
    pub text: String,
}

/// The comparison group an organisation is measured against: its own sector's when the benchmark
/// shows it (five or more organisations, not hidden by the complement rule), else all members.
pub fn comparison_group<'a>(
    benchmark: &'a BenchmarkReport,
    sector: Option<&str>,
) -> Option<&'a ComparisonGroup> {
    let key = |s: &str| s.trim().to_lowercase();
    let own = sector.map(key);
    benchmark
        .groups
        .iter()
        .find(|g| g.scope == "sector" && g.sector.as_deref().map(key) == own && own.is_some())
        .or_else(|| benchmark.groups.iter().find(|g| g.scope == "overall"))
        .filter(|g| g.overall.is_some())
}

/// Build the verdict of `score`, against `comparison` when the organisation belongs to a
/// federation whose benchmark shows a group for it.
pub fn verdict(
    cat: &Catalogue,
    score: &ScoreReport,
    comparison: Option<&ComparisonGroup>,
    lang: Lang,
) -> Verdict {
    let mut sentences = Vec::new();
    sentences.extend(extremes(cat, score, lang));
    sentences.push(change(cat, score, lang));
    sentences.extend(perception(cat, score, lang));
    sentences.extend(sureness(score, lang));
    let position = score
        .overall
        .zip(comparison)
        .and_then(|(own, g)| position(own, g, lang));
    Verdict {
        headline: headline(cat, score, lang),
        sentences,
        next_steps: next_steps(cat, score, lang),
        position,
    }
}

/// The largest perception gap that exceeds its noise: where management, staff, clients or partners
/// see an aspect differently — the finding a self-scan exists for.
fn perception(cat: &Catalogue, s: &ScoreReport, lang: Lang) -> Option<String> {
    let (a, g) = s
        .aspects
        .iter()
        .filter_map(|a| Some((a, a.perception_gap.as_ref().filter(|g| g.flagged)?)))
        .max_by(|x, y| x.1.size.total_cmp(&y.1.size))?;
    let group = |code: &str| {
        cat.respondent_groups
            .iter()
            .find(|x| x.code == code)
            .map_or_else(|| code.to_owned(), |x| x.name.get(lang).to_lowercase())
    };
    let (high, low) = (group(&g.high), group(&g.low));
    let label = aspect_label(cat, &a.code, lang);
    let size = num(g.size, 1, lang);
    Some(match lang {
        Lang::Nl => format!(
            "De groepen kijken het meest verschillend naar {label}: {high} schatten de maturiteit {size} niveau hoger in dan {low}, meer dan de ruis."
        ),
        Lang::En => format!(
            "The groups differ most on {label}: {high} rate its maturity {size} levels higher than {low}, more than the noise."
        ),
    })
}

fn aspect_label(cat: &Catalogue, code: &str, lang: Lang) -> String {
    let name = cat.aspect(code).map_or("", |a| a.name.get(lang));
    format!("{code} ‘{name}’")
}

fn headline(cat: &Catalogue, s: &ScoreReport, lang: Lang) -> String {
    let Some(overall) = s.overall else {
        return match lang {
            Lang::Nl => "Er zijn te weinig antwoorden voor een index of een fase.".to_owned(),
            Lang::En => "There are too few answers for an index or a stage.".to_owned(),
        };
    };
    let x = num(overall, 1, lang);
    let Some(stage) = s.stage else {
        return match lang {
            Lang::Nl => format!(
                "Uw organisatie haalt een index van {x} op 100; voor een fase zijn te weinig aspecten gescoord."
            ),
            Lang::En => format!(
                "Your organisation has an index of {x} out of 100; too few aspects are scored for a stage."
            ),
        };
    };
    let label = stage.label(lang);
    let capped = s
        .stage_rule
        .as_ref()
        .filter(|r| r.capped)
        .map(|r| aspect_label(cat, &r.weakest_aspect, lang));
    match (lang, capped) {
        (Lang::Nl, None) => {
            format!("Uw organisatie zit in de fase ‘{label}’, met een index van {x} op 100.")
        }
        (Lang::Nl, Some(w)) => format!(
            "Uw organisatie zit in de fase ‘{label}’, met een index van {x} op 100; het zwakste aspect, {w}, houdt de fase tegen."
        ),
        (Lang::En, None) => {
            format!("Your organisation is in the ‘{label}’ stage, with an index of {x} out of 100.")
        }
        (Lang::En, Some(w)) => format!(
            "Your organisation is in the ‘{label}’ stage, with an index of {x} out of 100; its weakest aspect, {w}, holds the stage back."
        ),
    }
}

/// Strongest and weakest aspect, and whether the difference exceeds the uncertainty.
fn extremes(cat: &Catalogue, s: &ScoreReport, lang: Lang) -> Option<String> {
    let scored: Vec<(&AspectScore, f64)> = s
        .aspects
        .iter()
        .filter_map(|a| a.score.map(|x| (a, x)))
        .collect();
    if scored.len() < 2 {
        return None;
    }
    // First in catalogue order among equals, so the sentence does not depend on sorting.
    let mut hi = scored[0];
    let mut lo = scored[0];
    for &(a, x) in &scored[1..] {
        if x > hi.1 {
            hi = (a, x);
        }
        if x < lo.1 {
            lo = (a, x);
        }
    }
    if hi.0.code == lo.0.code {
        return None;
    }
    let overlap = match (hi.0.interval, lo.0.interval) {
        (Some(h), Some(l)) => h.low <= l.high,
        _ => false,
    };
    let (h, l) = (
        aspect_label(cat, &hi.0.code, lang),
        aspect_label(cat, &lo.0.code, lang),
    );
    let (hx, lx) = (num(hi.1, 1, lang), num(lo.1, 1, lang));
    Some(match (lang, overlap) {
        (Lang::Nl, false) => {
            format!("Het sterkst staat {h} ({hx}), het zwakst {l} ({lx}).")
        }
        (Lang::Nl, true) => format!(
            "Het sterkst staat {h} ({hx}), het zwakst {l} ({lx}); dat verschil valt binnen de onzekerheid."
        ),
        (Lang::En, false) => format!("Strongest is {h} ({hx}), weakest {l} ({lx})."),
        (Lang::En, true) => format!(
            "Strongest is {h} ({hx}), weakest {l} ({lx}); that difference lies within the uncertainty."
        ),
    })
}

/// What changed since the previous scan: the index, and the aspect that moved most.
fn change(cat: &Catalogue, s: &ScoreReport, lang: Lang) -> String {
    let Some(previous) = &s.previous else {
        return match lang {
            Lang::Nl => {
                "Dit is de eerste scan: volgend jaar toont dit rapport wat veranderde.".to_owned()
            }
            Lang::En => {
                "This is the first scan: next year this report shows what changed.".to_owned()
            }
        };
    };
    let year = previous.year;
    let Some(d) = s.overall_trend else {
        return match lang {
            Lang::Nl => format!("Met de scan van {year} is geen vergelijking mogelijk."),
            Lang::En => format!("No comparison with the {year} scan is possible."),
        };
    };
    let half = s.index_interval.map(|i| (i.high - i.low) / 2.0);
    let within = half.is_some_and(|h| d.abs() <= h);
    let by = num(d.abs(), 1, lang);
    let mut out = match (lang, d >= 0.5, d <= -0.5) {
        (Lang::Nl, true, _) => format!("Sinds {year} steeg de index met {by} punten"),
        (Lang::Nl, _, true) => format!("Sinds {year} daalde de index met {by} punten"),
        (Lang::Nl, _, _) => format!("Sinds {year} bleef de index gelijk ({})", signed(d, lang)),
        (Lang::En, true, _) => format!("Since {year} the index rose by {by} points"),
        (Lang::En, _, true) => format!("Since {year} the index fell by {by} points"),
        (Lang::En, _, _) => format!("Since {year} the index stayed level ({})", signed(d, lang)),
    };
    if within && d.abs() >= 0.5 {
        out.push_str(match lang {
            Lang::Nl => ", binnen de onzekerheid",
            Lang::En => ", within the uncertainty",
        });
    }
    let moved = s
        .aspects
        .iter()
        .filter_map(|a| a.trend.map(|t| (a, t)))
        .filter(|(_, t)| t.abs() >= 0.5)
        .fold(None::<(&AspectScore, f64)>, |best, (a, t)| match best {
            Some((_, b)) if b.abs() >= t.abs() => best,
            _ => Some((a, t)),
        });
    if let Some((a, t)) = moved {
        let label = aspect_label(cat, &a.code, lang);
        let t = signed(t, lang);
        out.push_str(&match lang {
            Lang::Nl => format!("; het meest verschoof {label} ({t})"),
            Lang::En => format!("; {label} moved most ({t})"),
        });
    }
    out.push('.');
    out
}

/// How sure: on how many respondents, the index's interval, and why confidence is limited.
fn sureness(s: &ScoreReport, lang: Lang) -> Option<String> {
    let i = s.index_interval?;
    let n = s.respondents;
    let (lo, hi) = (num(i.low, 1, lang), num(i.high, 1, lang));
    let mut out = match lang {
        Lang::Nl => format!(
            "Hoe zeker: de index rust op {n} respondenten; het 95 %-interval loopt van {lo} tot {hi}."
        ),
        Lang::En => format!(
            "How sure: the index rests on {n} respondents; its 95 % interval runs from {lo} to {hi}."
        ),
    };
    if let Some(c) = s.confidence.as_ref().filter(|c| c.low) {
        let reasons: Vec<&str> = c.reasons.iter().map(|r| reason(r, lang)).collect();
        out.push_str(&match lang {
            Lang::Nl => format!(" De betrouwbaarheid is beperkt: {}.", reasons.join(", ")),
            Lang::En => format!(" Confidence is limited: {}.", reasons.join(", ")),
        });
    }
    Some(out)
}

fn reason(code: &str, lang: Lang) -> &str {
    match (code, lang) {
        ("few_respondents", Lang::Nl) => "weinig respondenten",
        ("few_respondents", Lang::En) => "few respondents",
        ("low_response_rate", Lang::Nl) => "lage respons",
        ("low_response_rate", Lang::En) => "low response rate",
        ("many_missing", Lang::Nl) => "veel ontbrekende antwoorden",
        ("many_missing", Lang::En) => "many missing answers",
        (other, _) => other,
    }
}

fn next_steps(cat: &Catalogue, s: &ScoreReport, lang: Lang) -> Vec<NextStep> {
    s.priorities
        .iter()
        .take(3)
        .map(|p| {
            let action = p.actions.iter().find_map(|code| {
                cat.recommendations
                    .iter()
                    .flat_map(|r| &r.actions)
                    .find(|a| &a.code == code && a.involves(ORGANISATION_ACTOR))
                    .map(|a| ActionView::told_to(a, ORGANISATION_ACTOR, lang))
            });
            let intended_result = p
                .recommendations
                .first()
                .and_then(|code| cat.recommendations.iter().find(|r| &r.code == code))
                .map(|r| r.intended_result.get(lang).to_owned())
                .filter(|_| action.is_none());
            NextStep {
                rank: p.rank,
                aspect: p.aspect.clone(),
                name: cat
                    .aspect(&p.aspect)
                    .map_or_else(String::new, |a| a.name.get(lang).to_owned()),
                action,
                intended_result,
                tied_with: p.tied_with.clone(),
            }
        })
        .collect()
}

/// A quartile as printed: exact to one decimal, or "ca. 50" when banded.
pub fn quartile_text(x: f64, d: &Distribution, lang: Lang) -> String {
    match d.band {
        // Noto Sans has no "≈": say it in words.
        Some(_) => format!(
            "{}\u{a0}{}",
            if lang == Lang::Nl { "ca." } else { "c." },
            num(x, 0, lang)
        ),
        None => num(x, 1, lang),
    }
}

fn position(own: f64, g: &ComparisonGroup, lang: Lang) -> Option<Position> {
    let d = g.overall.as_ref()?;
    let group = match (&g.sector, g.scope, lang) {
        (Some(s), "sector", Lang::Nl) => format!("de sector {s}"),
        (Some(s), "sector", Lang::En) => format!("the {s} sector"),
        (_, _, Lang::Nl) => "alle leden van de federatie".to_owned(),
        (_, _, Lang::En) => "all members of the federation".to_owned(),
    };
    let place = if own > d.p75 {
        "above"
    } else if own < d.p25 {
        "below"
    } else {
        "within"
    };
    let q = |x| quartile_text(x, d, lang);
    let (median, p25, p75, n) = (q(d.median), q(d.p25), q(d.p75), g.organisations);
    let own_text = format::num(own, 1, lang);
    let text = match lang {
        Lang::Nl => {
            let where_ = match place {
                "above" => "daarboven",
                "below" => "daaronder",
                _ => "in die middelste helft",
            };
            format!(
                "Tegenover {group} ({n} organisaties): de mediaan is {median}, de middelste helft ligt tussen {p25} en {p75}; uw index ({own_text}) ligt {where_}."
            )
        }
        Lang::En => {
            let where_ = match place {
                "above" => "above it",
                "below" => "below it",
                _ => "within that middle half",
            };
            format!(
                "Against {group} ({n} organisations): the median is {median}, the middle half lies between {p25} and {p75}; your index ({own_text}) is {where_}."
            )
        }
    };
    Some(Position {
        group,
        organisations: n,
        p25: d.p25,
        median: d.median,
        p75: d.p75,
        own,
        place,
        text,
    })
}
