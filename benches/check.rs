//! `canonym check` against file size: the same kind of copy at 0.5 MB and
//! 4 MB, checked by the built command (so that the line and column of every
//! finding are worked out as users get them). Linear work shows as equal
//! time per byte; the summary printed first gives the ratio (4 MB time per
//! byte / 0.5 MB time per byte, best of three runs each, same process),
//! then criterion measures each size. Measured when the line index came in:
//! 0.59 (a fixed start-up cost spread over more bytes); before it, `check`
//! was quadratic in the file size (the seed article repeated to 6 MB and 24
//! MB took 1.90 s and 26.85 s: 3.5 times the time per byte for 4 times the
//! size).
//!
//! ```text
//! cargo bench --bench check
//! ```

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "common/gen.rs"]
mod gen;

/// The two sizes, a factor of 8 apart.
const SIZES: [usize; 2] = [512 << 10, 4 << 20];

/// A file of `bytes` of article-like copy with one name in fifty respelled:
/// many findings, each needing its line and column. One generated piece is
/// repeated, so that scan's memo keeps the fuzzy work small and the time is
/// mostly reading, scanning exact names and placing findings.
fn file(bytes: usize) -> PathBuf {
    let table = canonym::AliasTable::default_table();
    let piece = gen::news_copy(&table, 64 << 10, 11, 2);
    let mut text = String::with_capacity(bytes + piece.len());
    while text.len() < bytes {
        text.push_str(&piece);
    }
    let path = std::env::temp_dir().join(format!("canonym-bench-check-{bytes}.txt"));
    std::fs::write(&path, text).expect("a temporary file");
    path
}

fn check(path: &PathBuf) -> Duration {
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_canonym"))
        .arg("check")
        .arg(path)
        .stdout(Stdio::null())
        .status()
        .expect("the canonym command runs");
    // Exit 1: findings, as expected.
    assert!(status.code().is_some_and(|c| c <= 1), "{status}");
    started.elapsed()
}

fn bench(c: &mut Criterion) {
    let files: Vec<(usize, PathBuf)> = SIZES.iter().map(|&n| (n, file(n))).collect();
    let per_byte = |(n, path): &(usize, PathBuf)| {
        let best = (0..3).map(|_| check(path)).min().unwrap_or_default();
        best.as_secs_f64() / *n as f64
    };
    let small = per_byte(&files[0]);
    let large = per_byte(&files[1]);
    eprintln!(
        "check: time per byte at 4 MB / at 0.5 MB = {:.2} (1 is linear)",
        large / small
    );
    let mut g = c.benchmark_group("check");
    g.sample_size(10);
    for (n, path) in &files {
        g.throughput(Throughput::Bytes(*n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), path, |b, path| {
            b.iter(|| check(path))
        });
    }
    g.finish();
    for (_, path) in &files {
        let _ = std::fs::remove_file(path);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
