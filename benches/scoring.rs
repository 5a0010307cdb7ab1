//! Scoring one organisation's scan of 500 respondents, pure (target: well under 20 ms including the
//! database, see `scripts/bench-scoring.sh` for the database side). Run: `cargo bench --bench scoring`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

use blendscan::domain::catalogue::Catalogue;
use blendscan::domain::scoring::{
    AnswerInput, BenchmarkInput, RespondentInput, ScanInput, Scorer, ScoringConfig,
};

const GROUPS: [&str; 4] = ["staff", "staff", "management", "client_representative"];
const ROLES: [&str; 4] = ["basic_worker", "team_lead", "staff_policy", "management"];

/// A deterministic scan: every indicator, and the core items (short) or all items (full), ~8% missing.
fn scan(cat: &Catalogue, slug: &str, respondents: usize, full: bool, seed: u64) -> ScanInput {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut codes: Vec<(String, i16, i16)> = cat
        .aspects
        .iter()
        .flat_map(|a| a.indicators.iter().map(|i| (i.code.clone(), 0, 4)))
        .collect();
    codes.extend(
        cat.clusters
            .iter()
            .flat_map(|c| c.items.iter().filter(|i| full || i.core))
            .map(|i| (i.code.clone(), 1, 5)),
    );
    let respondents = (0..respondents)
        .map(|i| RespondentInput {
            pseudonym: format!("p{i:05}"),
            role: Some(ROLES[i % ROLES.len()].to_owned()),
            team: Some(format!("Team {}", i % 7)),
            group: Some(GROUPS[i % GROUPS.len()].to_owned()),
            answers: codes
                .iter()
                .map(|(code, lo, hi)| {
                    let r = next();
                    let value =
                        (r % 100 >= 8).then(|| lo + ((r >> 8) % (hi - lo + 1) as u64) as i16);
                    AnswerInput::new(code.clone(), value)
                })
                .collect(),
        })
        .collect();
    ScanInput {
        organisation: slug.to_owned(),
        sector: Some(if seed.is_multiple_of(2) { "CAW" } else { "CLB" }.to_owned()),
        year: 2026,
        catalogue_version: cat.version.clone(),
        staff_headcount: Some(600),
        respondents,
        ..ScanInput::default()
    }
}

fn scoring(c: &mut Criterion) {
    let cat = blendscan::catalogue::load(None).expect("catalogue");
    let scorer = Scorer::new(&cat, ScoringConfig::default());
    let short = scan(&cat, "org", 500, false, 7);
    let full = scan(&cat, "org", 500, true, 7);
    let previous = scan(&cat, "org", 500, false, 11);
    c.bench_function(
        "score 500 respondents, short questionnaire (74 answers each)",
        |b| b.iter(|| scorer.score(black_box(&short), None)),
    );
    c.bench_function(
        "score 500 respondents, full questionnaire (188 answers each)",
        |b| b.iter(|| scorer.score(black_box(&full), None)),
    );
    c.bench_function("score 500 respondents with a trend against 500 more", |b| {
        b.iter(|| scorer.score(black_box(&short), Some(&previous)))
    });
    c.bench_function("score + JSON of 500 respondents", |b| {
        b.iter(|| serde_json::to_vec(&scorer.score(black_box(&short), None)).expect("json"))
    });
    let members: Vec<ScanInput> = (0..300u64)
        .map(|i| scan(&cat, &format!("org-{i:03}"), 100, false, i + 1))
        .collect();
    let input = BenchmarkInput {
        federation: "koepel".into(),
        year: 2026,
        scans: members,
        ..BenchmarkInput::default()
    };
    let mut group = c.benchmark_group("federation");
    group.sample_size(10);
    group.bench_function(
        "benchmark 300 organisations × 100 respondents (pure)",
        |b| b.iter(|| scorer.benchmark(black_box(&input)).expect("benchmark")),
    );
    group.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
