//! Implementation aspects. The indicator part is the mean of the respondents' own aspect scores over
//! everyone who answered, each respondent counted once (so no figure jumps when a group crosses the
//! threshold); the respondent groups are shown beside it, as far as disclosure control allows. The
//! competence part is the mean attainment of each respondent's role profile over the linked clusters.
//! Both come with a 95 % t-interval; the score's interval combines them.

use super::breakdowns::Visibility;
use super::confidence;
use super::config::ScoringConfig;
use super::input::ScanInput;
use super::model::{Model, Tallied};
use super::report::{
    AspectScore, Basis, GroupScore, IndicatorSignal, Interval, Note, PerceptionGap,
};
use super::stats::{Mean, Tally, round1, round3, t975, to_percent, weighted_mean};

/// A perception gap of at least this many maturity levels, and larger than its noise, is flagged.
pub const PERCEPTION_GAP_LEVELS: f64 = 1.0;
/// An aspect scores only when at least this share of its indicators was answered by someone.
pub const MIN_INDICATOR_COVERAGE: f64 = 0.4;
/// An indicator that at least this share of the asked respondents cannot answer is a finding.
pub const UNKNOWN_SIGNAL_SHARE: f64 = 1.0 / 3.0;

/// What the aspects are scored from.
pub(super) struct Inputs<'a> {
    pub model: &'a Model<'a>,
    pub config: &'a ScoringConfig,
    pub scan: &'a ScanInput,
    pub respondents: &'a [Tallied<'a>],
    pub groups: &'a [(&'a str, Vec<usize>)],
    pub vis: &'a Visibility,
    /// Answered and missing per indicator, catalogue order.
    pub indicators: &'a [Tally],
}

pub(super) fn score(x: &Inputs) -> Vec<AspectScore> {
    (0..x.model.aspects.len()).map(|i| one(x, i)).collect()
}

/// A mean's 95 % interval on the 0–100 scale of `lo`–`hi`.
fn half_width(mean: &Mean, lo: f64, hi: f64) -> Option<f64> {
    Some(mean.half_width()? * 100.0 / (hi - lo))
}

fn one(x: &Inputs, i: usize) -> AspectScore {
    let (model, config, respondents) = (x.model, x.config, x.respondents);
    let anonymity = config.anonymity;
    let mut notes = Vec::new();
    // Indicator part: everyone who answered, each once.
    let mut pooled = Mean::default();
    for t in respondents {
        if let Some(m) = t.aspects[i].mean() {
            pooled.add(m);
        }
    }
    let own: Vec<usize> = (0..model.indicators.len())
        .filter(|q| model.indicators[*q].0 == i)
        .collect();
    let covered = own
        .iter()
        .filter(|q| x.indicators[**q].answered > 0)
        .count();
    let coverage = if own.is_empty() {
        0.0
    } else {
        covered as f64 / own.len() as f64
    };
    let enough_indicators = coverage >= MIN_INDICATOR_COVERAGE - 1e-9;
    if pooled.n() > 0 && !enough_indicators {
        notes.push(Note::new(
            "too_few_indicators",
            format!(
                "Slechts {covered} van de {} indicatoren van dit aspect zijn beantwoord: te weinig voor een score.",
                own.len()
            ),
            format!(
                "Only {covered} of the {} indicators of this aspect were answered: too few for a score.",
                own.len()
            ),
        ));
    }
    let maturity = pooled
        .get()
        .filter(|_| anonymity.allows(pooled.n()) && enough_indicators);
    let (lo, hi) = model.maturity;
    let indicator_part = maturity.map(|m| to_percent(m, lo, hi));
    let indicator_half = maturity.and(half_width(&pooled, lo, hi));

    // Competence part: each respondent's attainment of their role profile over the linked clusters.
    let share = model.competence_share[i];
    let links = &model.cluster_links[i];
    let mut attainment = Mean::default();
    let mut comp_tallies: Vec<Tally> = Vec::new();
    let mut comp_contributes = vec![false; respondents.len()];
    if share > 0.0 {
        for (r, t) in respondents.iter().enumerate() {
            let role = t.input.role.as_deref();
            let own = weighted_mean(links.iter().filter_map(|(c, w)| {
                let s = t.clusters[*c].mean()?;
                Some((model.attainment(&x.scan.role_overrides, role, *c, s), *w))
            }));
            if let Some(a) = own {
                attainment.add(a);
                comp_contributes[r] = true;
                comp_tallies.extend(links.iter().map(|(c, _)| t.clusters[*c]));
            }
        }
    }
    let competence_part = attainment
        .get()
        .filter(|_| share > 0.0 && anonymity.allows(attainment.n()));
    let competence_half = competence_part.and(attainment.half_width());

    let (score, basis) = match (indicator_part, competence_part) {
        (Some(ind), Some(comp)) => (
            Some((1.0 - share) * ind + share * comp),
            Basis::IndicatorsAndCompetences,
        ),
        (Some(ind), None) => {
            if share > 0.0 {
                notes.push(Note::new(
                    "no_competence_data",
                    "Geen competentiegegevens voor de gekoppelde clusters: de score steunt alleen op de indicatoren.",
                    "No competence data for the linked clusters: the score rests on the indicators alone.",
                ));
            }
            (Some(ind), Basis::Indicators)
        }
        (None, Some(comp)) => {
            notes.push(Note::new(
                "no_indicator_data",
                "Geen (voldoende) indicatorgegevens: de score steunt alleen op de competenties.",
                "No (or too few) indicator data: the score rests on the competences alone.",
            ));
            (Some(comp), Basis::Competences)
        }
        (None, None) => {
            notes.push(Note::new(
                "no_data",
                "Geen gegevens voor dit aspect (of te weinig respondenten om ze te tonen).",
                "No data for this aspect (or too few respondents to show them).",
            ));
            (None, Basis::None)
        }
    };
    let half = match basis {
        Basis::IndicatorsAndCompetences => indicator_half
            .zip(competence_half)
            .map(|(a, b)| (((1.0 - share) * a).powi(2) + (share * b).powi(2)).sqrt()),
        Basis::Indicators => indicator_half,
        Basis::Competences => competence_half,
        Basis::None => None,
    };
    let interval = |centre: Option<f64>, half: Option<f64>, top: f64| {
        let (c, h) = (centre?, half?);
        Some(Interval {
            low: round1((c - h).max(0.0)),
            high: round1((c + h).min(top)),
        })
    };

    // Who and which answers the figure rests on.
    let mut tallies: Vec<Tally> = Vec::new();
    let mut contributes = vec![false; respondents.len()];
    if indicator_part.is_some() {
        tallies.extend(respondents.iter().map(|t| t.aspects[i]));
        for (r, t) in respondents.iter().enumerate() {
            contributes[r] = t.aspects[i].answered > 0;
        }
    }
    if competence_part.is_some() {
        tallies.extend(comp_tallies);
        for (c, own) in contributes.iter_mut().zip(&comp_contributes) {
            *c |= *own;
        }
    }
    let n = contributes.iter().filter(|c| **c).count();
    let staff = (0..respondents.len())
        .filter(|r| contributes[*r] && model.is_staff(respondents[*r].group))
        .count();
    let (answered, missing) = confidence::totals(tallies);
    let groups = groups(x, i, maturity.is_some());
    let gap = perception_gap(&groups);
    AspectScore {
        code: model.aspects[i].to_owned(),
        score: score.map(round1),
        interval: interval(score, half, 100.0),
        n,
        weight: model.aspect_weight[i],
        maturity: maturity.map(round1),
        maturity_interval: interval(maturity, maturity.and(pooled.half_width()), hi),
        indicator_coverage: round3(coverage),
        indicator_part: indicator_part.map(round1),
        competence_part: competence_part.map(round1),
        competence_n: competence_part.map_or(0, |_| attainment.n()),
        competence_share: share,
        basis,
        perception_gap: gap,
        groups: groups.into_iter().map(|(g, _)| g).collect(),
        unknown: own.iter().filter_map(|q| signal(x, *q)).collect(),
        trend: None,
        confidence: confidence::of(config, n, staff, x.scan.staff_headcount, answered, missing),
        notes,
    }
}

/// The shown groups with their full-precision mean (for the gap's noise).
fn groups(x: &Inputs, i: usize, shown: bool) -> Vec<(GroupScore, Mean)> {
    if !shown {
        return Vec::new();
    }
    x.groups
        .iter()
        .enumerate()
        .filter(|(g, _)| x.vis.aspect_groups[i][*g])
        .filter_map(|(_, (code, members))| {
            let mut mean = Mean::default();
            members
                .iter()
                .filter_map(|r| x.respondents[*r].aspects[i].mean())
                .for_each(|m| mean.add(m));
            let score = GroupScore {
                group: (*code).to_owned(),
                n: mean.n(),
                maturity: round1(mean.get()?),
            };
            Some((score, mean))
        })
        .collect()
}

/// How many of those asked could not answer an indicator (organisation-wide only).
fn signal(x: &Inputs, q: usize) -> Option<IndicatorSignal> {
    let t = x.indicators[q];
    let asked = (t.answered + t.missing) as usize;
    if !x.config.anonymity.allows(asked) {
        return None;
    }
    let share = f64::from(t.missing) / asked as f64;
    Some(IndicatorSignal {
        code: x.model.indicators[q].1.to_owned(),
        n: asked,
        answered: t.answered as usize,
        unknown_share: round3(share),
        unknown_in_organisation: share >= UNKNOWN_SIGNAL_SHARE - 1e-9,
    })
}

/// The largest difference between two shown groups (as shown, one decimal), flagged from one level
/// when it is larger than its noise; `None` below two groups.
fn perception_gap(groups: &[(GroupScore, Mean)]) -> Option<PerceptionGap> {
    if groups.len() < 2 {
        return None;
    }
    let mut high = &groups[0];
    let mut low = &groups[0];
    for g in groups {
        if g.0.maturity > high.0.maturity {
            high = g;
        }
        if g.0.maturity < low.0.maturity {
            low = g;
        }
    }
    let size = round1(high.0.maturity - low.0.maturity);
    let se = |m: &Mean| m.variance().map(|v| v / m.n() as f64);
    let df = high.1.n().min(low.1.n()).saturating_sub(1);
    let noise = se(&high.1)
        .zip(se(&low.1))
        .map_or(f64::INFINITY, |(a, b)| t975(df) * (a + b).sqrt());
    Some(PerceptionGap {
        size,
        high: high.0.group.clone(),
        low: low.0.group.clone(),
        noise: round1(noise.min(4.0)),
        flagged: size >= PERCEPTION_GAP_LEVELS && size > noise,
    })
}
