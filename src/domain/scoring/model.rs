//! The catalogue as the scoring reads it, indexed once: which aspect or cluster every code feeds, the
//! scale bounds, weights, shares, cluster → aspect links and the role profiles. Also the first step of
//! the method: a respondent's own score per aspect and per cluster.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use super::input::{RespondentInput, RoleOverrides};
use super::stats::Tally;
use crate::domain::catalogue::Catalogue;

/// FNV-1a: a fast hash for short answer codes (`A1Q1`, `C4S3`), looked up once per answer.
#[derive(Default)]
pub struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A map keyed by answer codes (or other short strings), with [`CodeHasher`].
pub type CodeMap<K, V> = HashMap<K, V, BuildHasherDefault<CodeHasher>>;

/// The group of respondents whose group is not known.
pub const UNKNOWN_GROUP: &str = "unknown";

/// The respondent groups that are staff, counted against the staff headcount for the response rate.
pub const STAFF_GROUPS: [&str; 2] = ["management", "staff"];

/// What an answer code feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dim {
    /// An indicator: the index of its aspect, and its own index among all indicators.
    Indicator(usize, usize),
    /// A competence item of the cluster with this index.
    Item(usize),
}

/// The catalogue, indexed for scoring.
pub(super) struct Model<'c> {
    pub cat: &'c Catalogue,
    codes: CodeMap<&'c str, Dim>,
    pub aspects: Vec<&'c str>,
    pub clusters: Vec<&'c str>,
    /// (min, max) of the maturity scale (indicators) and the proficiency scale (items).
    pub maturity: (f64, f64),
    pub proficiency: (f64, f64),
    pub aspect_weight: Vec<f64>,
    pub competence_share: Vec<f64>,
    /// Per aspect: (cluster index, weight) of the clusters that feed it.
    pub cluster_links: Vec<Vec<(usize, f64)>>,
    /// Respondent groups in catalogue order (for a stable order of output).
    groups: Vec<&'c str>,
    /// Role profile → expected proficiency per cluster index.
    profiles: HashMap<&'c str, Vec<Option<u8>>>,
    /// Every indicator in catalogue order: (aspect index, code).
    pub indicators: Vec<(usize, &'c str)>,
}

/// A respondent with their answers summed per aspect and per cluster.
pub(super) struct Tallied<'a> {
    pub input: &'a RespondentInput,
    pub group: &'a str,
    pub aspects: Vec<Tally>,
    pub clusters: Vec<Tally>,
}

impl<'c> Model<'c> {
    pub fn new(cat: &'c Catalogue) -> Self {
        let aspects: Vec<&str> = cat.aspects.iter().map(|a| a.code.as_str()).collect();
        let clusters: Vec<&str> = cat.clusters.iter().map(|c| c.code.as_str()).collect();
        let mut codes = CodeMap::default();
        let mut indicators = Vec::new();
        for (i, a) in cat.aspects.iter().enumerate() {
            for ind in &a.indicators {
                codes.insert(ind.code.as_str(), Dim::Indicator(i, indicators.len()));
                indicators.push((i, ind.code.as_str()));
            }
        }
        for (i, c) in cat.clusters.iter().enumerate() {
            for item in &c.items {
                codes.insert(item.code.as_str(), Dim::Item(i));
            }
        }
        let bounds = |code: &str, default: (f64, f64)| {
            cat.scale(code)
                .map_or(default, |s| (f64::from(s.min), f64::from(s.max)))
        };
        let m = &cat.mappings;
        let cluster_links = aspects
            .iter()
            .map(|a| {
                m.cluster_aspect
                    .iter()
                    .filter(|l| l.aspect == *a)
                    .filter_map(|l| {
                        let i = clusters.iter().position(|c| *c == l.cluster)?;
                        Some((i, l.weight))
                    })
                    .collect()
            })
            .collect();
        let profiles = cat
            .role_profiles
            .iter()
            .map(|p| {
                let levels = clusters
                    .iter()
                    .map(|c| p.expected.get(*c).copied())
                    .collect();
                (p.code.as_str(), levels)
            })
            .collect();
        Self {
            cat,
            codes,
            maturity: bounds("maturity", (0.0, 4.0)),
            proficiency: bounds("proficiency", (1.0, 5.0)),
            aspect_weight: aspects
                .iter()
                .map(|a| m.aspect_weights.get(*a).copied().unwrap_or(0.0))
                .collect(),
            competence_share: aspects
                .iter()
                .map(|a| m.competence_share.get(*a).copied().unwrap_or(0.0))
                .collect(),
            cluster_links,
            groups: cat
                .respondent_groups
                .iter()
                .map(|g| g.code.as_str())
                .collect(),
            profiles,
            indicators,
            aspects,
            clusters,
        }
    }

    /// What an answer code feeds; checklist items and unknown codes feed nothing.
    pub fn dim(&self, code: &str) -> Option<Dim> {
        match self.codes.get(code) {
            Some(d) => Some(*d),
            None if code.bytes().any(|b| b.is_ascii_lowercase()) => {
                self.codes.get(code.to_ascii_uppercase().as_str()).copied()
            }
            None => None,
        }
    }

    /// Sum a respondent's answers per aspect and per cluster.
    pub fn tally<'a>(&self, r: &'a RespondentInput) -> Tallied<'a> {
        let mut aspects = vec![Tally::default(); self.aspects.len()];
        let mut clusters = vec![Tally::default(); self.clusters.len()];
        for a in &r.answers {
            match self.dim(&a.code) {
                Some(Dim::Indicator(i, _)) => aspects[i].add(a.value),
                Some(Dim::Item(i)) => clusters[i].add(a.value),
                None => {}
            }
        }
        Tallied {
            input: r,
            group: r.group.as_deref().unwrap_or(UNKNOWN_GROUP),
            aspects,
            clusters,
        }
    }

    /// The proficiency expected of a role in a cluster: the organisation's override, else the profile.
    /// `None` for an unknown role or a cluster the profile does not cover.
    pub fn expected(&self, overrides: &RoleOverrides, role: &str, cluster: usize) -> Option<u8> {
        let profile = self.profiles.get(role)?;
        overrides
            .get(role, self.clusters[cluster])
            .or_else(|| profile.get(cluster).copied().flatten())
    }

    /// Answered and missing answers per indicator (catalogue order) over all respondents.
    pub fn indicator_tallies(&self, respondents: &[Tallied]) -> Vec<Tally> {
        let mut out = vec![Tally::default(); self.indicators.len()];
        for r in respondents {
            for a in &r.input.answers {
                if let Some(Dim::Indicator(_, q)) = self.dim(&a.code) {
                    out[q].add(a.value);
                }
            }
        }
        out
    }

    /// How far a respondent's cluster score reaches toward what their role expects, 0–100 (capped:
    /// beyond the expected level adds nothing). Without a known role or profile for the cluster the
    /// top of the scale is the expectation.
    pub fn attainment(
        &self,
        overrides: &RoleOverrides,
        role: Option<&str>,
        cluster: usize,
        score: f64,
    ) -> f64 {
        let (lo, hi) = self.proficiency;
        let expected = role
            .and_then(|r| self.expected(overrides, r, cluster))
            .map_or(hi, f64::from);
        if expected <= lo {
            return 100.0;
        }
        ((score - lo) / (expected - lo)).clamp(0.0, 1.0) * 100.0
    }

    /// Whether a respondent group is staff (not client representatives, partners or unknown).
    pub fn is_staff(&self, group: &str) -> bool {
        STAFF_GROUPS.contains(&group)
    }

    /// Sort key that puts respondent groups in catalogue order, others by code, `unknown` last.
    pub fn group_order<'g>(&self, group: &'g str) -> (usize, &'g str) {
        match self.groups.iter().position(|g| *g == group) {
            Some(i) => (i, ""),
            None if group == UNKNOWN_GROUP => (usize::MAX, group),
            None => (self.groups.len(), group),
        }
    }
}

/// One respondent's own scores: the mean of their answered indicators per aspect and of their answered
/// items per cluster. Aspects and clusters they answered nothing of are absent (never zero).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RespondentScores {
    pub aspects: BTreeMap<String, f64>,
    pub clusters: BTreeMap<String, f64>,
}

/// The first step of the method, for one respondent (used by the tests and the worked example).
pub fn respondent_scores(catalogue: &Catalogue, respondent: &RespondentInput) -> RespondentScores {
    let model = Model::new(catalogue);
    let t = model.tally(respondent);
    let collect = |codes: &[&str], tallies: &[Tally]| {
        codes
            .iter()
            .zip(tallies)
            .filter_map(|(c, t)| Some(((*c).to_owned(), t.mean()?)))
            .collect()
    };
    RespondentScores {
        aspects: collect(&model.aspects, &t.aspects),
        clusters: collect(&model.clusters, &t.clusters),
    }
}
