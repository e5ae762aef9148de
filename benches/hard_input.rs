//! Time against input size on hard text: `scan` and `resolve` on 64 KiB and
//! 1 MiB of each kind. Linear work shows as equal throughput at both
//! sizes; the summary printed first gives the ratio (1 MiB time per byte /
//! 64 KiB time per byte, best of three runs each, same process), then
//! criterion measures each case.
//!
//! ```text
//! cargo bench --bench hard_input
//! ```

use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const SIZES: [usize; 2] = [64 << 10, 1 << 20];

fn kinds() -> Vec<(&'static str, &'static str)> {
    vec![
        ("names_no_punctuation", "Abbas Araghchi "),
        ("respelled_names", "Aragushi Yadol Javani Kiev "),
        ("capitalized_non_names", "Zzyzx Qwertyuiop "),
        ("names_and_line_breaks", "Abbas\n"),
        ("mixed_scripts", "Аракчи ترامپ トランプ 特朗普 "),
        ("hyphen_chain", "A-"),
        ("combining_marks", "\u{0301}"),
    ]
}

fn text(piece: &str, bytes: usize) -> String {
    piece.repeat(bytes / piece.len() + 1)
}

fn best_of_three(f: impl Fn()) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn summary(resolver: &canonym::Resolver) {
    println!("time per byte, 1 MiB against 64 KiB (1.0 = linear):");
    for (kind, piece) in kinds() {
        let [small, large] = SIZES.map(|n| text(piece, n));
        let per_byte =
            |t: &str, op: &dyn Fn(&str)| best_of_three(|| op(t)).as_secs_f64() / t.len() as f64;
        let scan = |t: &str| {
            black_box(resolver.scan(t).count());
        };
        let resolve = |t: &str| {
            black_box(resolver.resolve(t).outcome);
        };
        let (s_small, s_large) = (per_byte(&small, &scan), per_byte(&large, &scan));
        let (r_small, r_large) = (per_byte(&small, &resolve), per_byte(&large, &resolve));
        println!(
            "  {kind:24} scan {:7.2} MB/s -> {:7.2} MB/s (x{:.2})   resolve x{:.2}",
            1e-6 / s_small,
            1e-6 / s_large,
            s_large / s_small,
            r_large / r_small
        );
    }
}

fn hard_input(c: &mut Criterion) {
    let resolver = canonym::Resolver::new(canonym::AliasTable::default_table()).unwrap();
    summary(&resolver);
    let mut g = c.benchmark_group("hard_scan");
    g.sample_size(10);
    for (kind, piece) in kinds() {
        for n in SIZES {
            let t = text(piece, n);
            g.throughput(Throughput::Bytes(t.len() as u64));
            g.bench_with_input(BenchmarkId::new(kind, n), &t, |b, t| {
                b.iter(|| resolver.scan(t).count())
            });
        }
    }
    g.finish();
}

criterion_group!(benches, hard_input);
criterion_main!(benches);
