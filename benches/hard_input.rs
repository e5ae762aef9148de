//! Time against input size on hard text: `scan` and `resolve` on 4 KiB and
//! 64 KiB of each kind. Linear work shows as equal throughput at both
//! sizes; the summary printed first gives the ratio (64 KiB time per byte /
//! 4 KiB time per byte, best of two runs each, same process), then
//! criterion measures each case.
//!
//! Each text is generated piece by piece from a seeded generator, so that it
//! does not repeat: scan keeps a memo of the spans it has resolved, and on
//! one piece repeated a megabyte long it would time memo lookups, not the
//! work.
//!
//! ```text
//! cargo bench --bench hard_input
//! ```

use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "common/gen.rs"]
mod gen;

/// Text sizes: a factor of 16 apart. Text that does not repeat is slow to
/// scan where every word is a name candidate (one capitalized run of
/// generated names, no punctuation, scans at about 5 KB/s: every word
/// starts up to nine fuzzy spans), so the sizes stay small enough for a
/// bench run.
const SIZES: [usize; 2] = [4 << 10, 64 << 10];

/// A generator of one piece of hard text.
type Piece = fn(&mut gen::Rng) -> String;

/// The kinds of hard text, each a generator of one piece.
fn kinds() -> Vec<(&'static str, Piece)> {
    vec![
        ("names_no_punctuation", |rng| {
            format!("{} {} ", rng.pick(gen::GIVEN), gen::surname(rng))
        }),
        ("respelled_names", |rng| {
            let name = format!("{} {}", rng.pick(gen::GIVEN), gen::surname(rng));
            format!("{} ", gen::typo(&name, rng))
        }),
        ("capitalized_non_names", |rng| {
            let word: String = (0..3 + rng.next_u64() % 8)
                .map(|_| (b'a' + (rng.next_u64() % 26) as u8) as char)
                .collect();
            let mut c = word.chars();
            let first = c.next().unwrap_or('a').to_ascii_uppercase();
            format!("{first}{} ", c.as_str())
        }),
        ("names_and_line_breaks", |rng| {
            format!("{}\n", gen::surname(rng))
        }),
        ("mixed_scripts", |rng| {
            // A word of Cyrillic, Arabic, kana or Han letters.
            const SCRIPTS: [(u32, u32); 4] = [
                (0x0410, 0x044F),
                (0x0627, 0x064A),
                (0x30A2, 0x30F3),
                (0x4E00, 0x9FA5),
            ];
            let (lo, hi) = SCRIPTS[(rng.next_u64() % 4) as usize];
            let word: String = (0..2 + rng.next_u64() % 6)
                .filter_map(|_| char::from_u32(lo + (rng.next_u64() % u64::from(hi - lo)) as u32))
                .collect();
            format!("{word} ")
        }),
        ("hyphen_chain", |rng| {
            format!("{}-", (b'A' + (rng.next_u64() % 26) as u8) as char)
        }),
        ("combining_marks", |rng| {
            let mark = 0x0300 + (rng.next_u64() % 0x70) as u32;
            char::from_u32(mark).map_or_else(String::new, String::from)
        }),
    ]
}

/// About `bytes` bytes of one kind, piece after generated piece.
fn text(piece: Piece, bytes: usize) -> String {
    let mut rng = gen::Rng::new(bytes as u64);
    let mut out = String::with_capacity(bytes + 64);
    while out.len() < bytes {
        out.push_str(&piece(&mut rng));
    }
    out
}

fn best_of_two(f: impl Fn()) -> Duration {
    (0..2)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn summary(resolver: &canonym::Resolver) {
    println!("time per byte, 64 KiB against 4 KiB (1.0 = linear):");
    for (kind, piece) in kinds() {
        let [small, large] = SIZES.map(|n| text(piece, n));
        let per_byte =
            |t: &str, op: &dyn Fn(&str)| best_of_two(|| op(t)).as_secs_f64() / t.len() as f64;
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
        // The small size only: the summary above compares the sizes.
        for n in &SIZES[..1] {
            let t = text(piece, *n);
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
