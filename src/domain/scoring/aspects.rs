//! Implementation aspects: the indicator part from the respondent groups side by side (each group's
//! mean of its respondents' own aspect scores, then the mean over the groups shown), the competence
//! part from the mapped clusters, and their combination by the catalogue's competence share.

use super::confidence;
use super::config::ScoringConfig;
use super::input::ScanInput;
use super::model::{Model, Tallied};
use super::report::{AspectScore, Basis, GroupScore, Note, PerceptionGap};
use super::stats::{Mean, Tally, round1, to_percent, weighted_mean};

/// A respondent group at or above the threshold, with the indices of its respondents.
pub(super) struct ShownGroup<'a> {
    pub code: &'a str,
    pub members: Vec<usize>,
}

/// A perception gap of at least this many maturity levels is flagged.
pub const PERCEPTION_GAP_LEVELS: f64 = 1.0;

pub(super) fn score(
    model: &Model,
    config: &ScoringConfig,
    scan: &ScanInput,
    respondents: &[Tallied],
    groups: &[ShownGroup],
    cluster_means: &[Option<f64>],
) -> Vec<AspectScore> {
    (0..model.aspects.len())
        .map(|i| one(model, config, scan, respondents, groups, cluster_means, i))
        .collect()
}

fn one(
    model: &Model,
    config: &ScoringConfig,
    scan: &ScanInput,
    respondents: &[Tallied],
    groups: &[ShownGroup],
    cluster_means: &[Option<f64>],
    i: usize,
) -> AspectScore {
    let anonymity = config.anonymity;
    let mut notes = Vec::new();
    // Indicator part: groups side by side, each resting on at least the threshold.
    let mut shown: Vec<(GroupScore, f64)> = Vec::new();
    let mut used: Vec<usize> = Vec::new();
    for g in groups {
        let mut mean = Mean::default();
        for &r in &g.members {
            if let Some(m) = respondents[r].aspects[i].mean() {
                mean.add(m);
            }
        }
        if let Some(m) = mean.get().filter(|_| anonymity.allows(mean.n())) {
            let score = GroupScore {
                group: g.code.to_owned(),
                n: mean.n(),
                maturity: round1(m),
            };
            shown.push((score, m));
            used.extend(&g.members);
        }
    }
    let maturity = if shown.is_empty() {
        // No group reaches the threshold for this aspect: pool everyone, if they together do.
        let mut pooled = Mean::default();
        for r in respondents {
            if let Some(m) = r.aspects[i].mean() {
                pooled.add(m);
            }
        }
        let m = pooled.get().filter(|_| anonymity.allows(pooled.n()));
        if m.is_some() {
            used = (0..respondents.len()).collect();
            notes.push(Note::new(
                "groups_pooled",
                "Geen enkele respondentgroep haalt de anonimiteitsdrempel voor dit aspect: het gemiddelde is over alle respondenten samen berekend.",
                "No respondent group reaches the anonymity threshold for this aspect: the mean is taken over all respondents together.",
            ));
        }
        m
    } else {
        let mut over_groups = Mean::default();
        for (_, m) in &shown {
            over_groups.add(*m);
        }
        over_groups.get()
    };
    let (lo, hi) = model.maturity;
    let indicator_part = maturity.map(|m| to_percent(m, lo, hi));

    // Competence part: weighted mean of the mapped clusters that may be shown.
    let share = model.competence_share[i];
    let links: Vec<(usize, f64)> = model.cluster_links[i]
        .iter()
        .copied()
        .filter(|(c, _)| cluster_means[*c].is_some())
        .collect();
    let (plo, phi) = model.proficiency;
    let competence_part = weighted_mean(
        links
            .iter()
            .filter_map(|(c, w)| Some((to_percent(cluster_means[*c]?, plo, phi), *w))),
    )
    .filter(|_| share > 0.0);

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
                "Geen indicatorgegevens: de score steunt alleen op de competenties.",
                "No indicator data: the score rests on the competences alone.",
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

    // Who and which answers the figure rests on.
    let comp_used = competence_part.is_some();
    let mut contributes = vec![false; respondents.len()];
    let mut tallies: Vec<Tally> = Vec::new();
    if indicator_part.is_some() {
        for &r in &used {
            let t = respondents[r].aspects[i];
            contributes[r] |= t.answered > 0;
            tallies.push(t);
        }
    }
    if comp_used {
        for (r, resp) in respondents.iter().enumerate() {
            for (c, _) in &links {
                let t = resp.clusters[*c];
                contributes[r] |= t.answered > 0;
                tallies.push(t);
            }
        }
    }
    let n = contributes.iter().filter(|c| **c).count();
    let (answered, missing) = confidence::totals(tallies);
    let groups: Vec<GroupScore> = shown.iter().map(|(g, _)| g.clone()).collect();
    AspectScore {
        code: model.aspects[i].to_owned(),
        score: score.map(round1),
        n,
        weight: model.aspect_weight[i],
        maturity: maturity.map(round1),
        indicator_part: indicator_part.map(round1),
        competence_part: competence_part.map(round1),
        competence_share: share,
        basis,
        perception_gap: perception_gap(&groups),
        groups,
        trend: None,
        confidence: confidence::of(config, n, scan.staff_headcount, answered, missing),
        notes,
    }
}

/// The largest difference between two shown groups (as shown, one decimal); `None` below two groups.
fn perception_gap(groups: &[GroupScore]) -> Option<PerceptionGap> {
    if groups.len() < 2 {
        return None;
    }
    let mut high = &groups[0];
    let mut low = &groups[0];
    for g in groups {
        if g.maturity > high.maturity {
            high = g;
        }
        if g.maturity < low.maturity {
            low = g;
        }
    }
    let size = round1(high.maturity - low.maturity);
    Some(PerceptionGap {
        size,
        high: high.group.clone(),
        low: low.group.clone(),
        flagged: size >= PERCEPTION_GAP_LEVELS,
    })
}
