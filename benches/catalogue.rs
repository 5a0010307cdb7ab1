//! Loading and validating the catalogue (target: < 50 ms). Run: `cargo bench --bench catalogue`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

fn catalogue(c: &mut Criterion) {
    let files = blendscan::catalogue::builtin_files();
    c.bench_function("parse and validate the built-in catalogue", |b| {
        b.iter(|| blendscan::domain::catalogue::parse(black_box(&files)).expect("valid"))
    });
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    c.bench_function(
        "read, parse and validate framework/ + checklists/ from disk",
        |b| b.iter(|| blendscan::catalogue::load(Some(black_box(root))).expect("valid")),
    );
}

criterion_group!(benches, catalogue);
criterion_main!(benches);
