//! Rendering reports, release build. Run: `cargo bench --bench report`.
//!
//! - criterion: a self-scan report, warm, the data changing between renders (target: median
//!   < 250 ms), and the same report again;
//! - then, printed: 300 member reports with different data on two threads (target < 60 s), and the
//!   resident memory over 1,000 renders with different data in one process (target: flat).
//!
//! `BLENDSCAN_BENCH_DATA_DIR=DIR` also writes one report's `data.json` to DIR, so `typst compile`
//! (typst-cli) can render the same report from `report-templates/` for comparison.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use criterion::Criterion;

use blendscan::domain::catalogue::Catalogue;
use blendscan::domain::scoring::{AnswerInput, RespondentInput, ScanInput, Scorer, ScoringConfig};
use blendscan::domain::text::Lang;
use blendscan::report::data::{ScanSubject, scan_report};
use blendscan::report::{Renderer, ReportData, ReportKind};

const GROUPS: [&str; 3] = ["staff", "management", "client_representative"];
const ROLES: [&str; 4] = ["basic_worker", "team_lead", "staff_policy", "management"];

/// A deterministic scan of `n` respondents answering everything, ~8% missing.
fn scan(cat: &Catalogue, seed: u64, year: i32, n: usize) -> ScanInput {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut codes: Vec<(String, i16, i16)> = Vec::new();
    for a in &cat.aspects {
        codes.extend(a.indicators.iter().map(|i| (i.code.clone(), 0, 4)));
    }
    for c in &cat.clusters {
        codes.extend(c.items.iter().map(|i| (i.code.clone(), 1, 5)));
    }
    for c in &cat.checklists {
        let (lo, hi) = if c.scale == "position" {
            (1, 5)
        } else {
            (0, 2)
        };
        codes.extend(c.items.iter().map(|i| (i.code.clone(), lo, hi)));
    }
    let respondents = (0..n)
        .map(|i| RespondentInput {
            pseudonym: format!("p{i:04}"),
            role: Some(ROLES[i % ROLES.len()].to_owned()),
            team: Some(format!("Team {}", i % 3)),
            group: Some(GROUPS[i % GROUPS.len()].to_owned()),
            answers: codes
                .iter()
                .map(|(code, lo, hi)| {
                    let r = next();
                    let v = (r % 100 >= 8).then(|| lo + ((r >> 8) % (hi - lo + 1) as u64) as i16);
                    AnswerInput::new(code.clone(), v)
                })
                .collect(),
        })
        .collect();
    ScanInput {
        organisation: format!("org-{seed}"),
        sector: Some("CAW".into()),
        year,
        catalogue_version: cat.version.clone(),
        staff_headcount: Some(80),
        respondents,
        ..ScanInput::default()
    }
}

/// The self-scan report data of member `seed`.
fn data(cat: &Catalogue, seed: u64) -> ReportData {
    let config = ScoringConfig::default();
    let (now, before) = (
        scan(cat, seed, 2026, 40),
        scan(cat, seed + 10_000, 2025, 36),
    );
    let score = Scorer::new(cat, config.clone()).score(&now, Some(&before));
    let name = format!("Organisatie {seed}");
    let subject = ScanSubject {
        catalogue: cat,
        config: &config,
        organisation_name: &name,
        organisation_slug: &now.organisation,
        sector: Some("CAW"),
        score: &score,
        scan: &now,
        advice: None,
        advice_version: None,
        comparison: None,
    };
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    scan_report(&subject, ReportKind::SelfScan, Lang::Nl, date).expect("report data")
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU time this process has used so far, in seconds (user + system, from /proc: 10 ms resolution).
fn cpu_s() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let f: Vec<&str> = after.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

fn main() {
    let cat = blendscan::catalogue::load(None).expect("catalogue");
    let renderer = Arc::new(Renderer::builtin().expect("renderer"));
    let one = data(&cat, 1);
    if let Some(dir) = std::env::var_os("BLENDSCAN_BENCH_DATA_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("data dir");
        std::fs::write(
            dir.join("data.json"),
            serde_json::to_vec(&one.payload).expect("json"),
        )
        .expect("data.json");
    }
    // Warm: the renderer built, fonts and templates loaded; each iteration another organisation's data,
    // as a service renders them (the same data every time would only measure typst's memo cache).
    let pool: Vec<ReportData> = (0..40).map(|i| data(&cat, 2 + i)).collect();
    let mut c = Criterion::default().sample_size(30).configure_from_args();
    let mut i = 0;
    c.bench_function("render a self-scan report (warm, data changes)", |b| {
        b.iter(|| {
            i = (i + 1) % pool.len();
            renderer.render(black_box(&pool[i])).expect("render")
        })
    });
    c.bench_function("render the same self-scan report again", |b| {
        b.iter(|| renderer.render(black_box(&one)).expect("render"))
    });
    c.final_summary();
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }

    // CPU time per render, which the machine's other load does not inflate as it does wall time.
    let (cpu0, wall0) = (cpu_s(), Instant::now());
    for d in &pool {
        black_box(renderer.render(d).expect("render"));
    }
    println!(
        "{} renders, data changing: {:.0} ms CPU and {:.0} ms wall per render",
        pool.len(),
        (cpu_s() - cpu0) * 1000.0 / pool.len() as f64,
        wall0.elapsed().as_secs_f64() * 1000.0 / pool.len() as f64
    );

    let (start, cpu0) = (Instant::now(), cpu_s());
    let next = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= 300 {
                        break;
                    }
                    let d = data(&cat, 100 + i);
                    black_box(renderer.render(&d).expect("render"));
                }
            });
        }
    });
    println!(
        "300 member reports (scoring + data + render) on 2 threads: {:.1} s wall, {:.1} s CPU",
        start.elapsed().as_secs_f64(),
        cpu_s() - cpu0
    );

    let mut marks = Vec::new();
    let start_rss = rss_mb();
    for i in 0..1000u64 {
        let d = data(&cat, 1000 + i);
        black_box(renderer.render(&d).expect("render"));
        if [0, 99, 249, 499, 749, 999].contains(&i) {
            marks.push(format!("{}: {:.0} MB", i + 1, rss_mb()));
        }
    }
    println!(
        "resident memory over 1,000 renders (start {start_rss:.0} MB): {}",
        marks.join(", ")
    );
}
