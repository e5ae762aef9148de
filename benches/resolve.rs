//! Per-query cost of `resolve`: exact, alias, fuzzy and unknown queries at
//! 1k / 10k / 100k aliases (1M with CANONYM_BENCH_1M=1), and build time.
//! Tables are generated deterministically (benches/gen.rs).
//!
//! `realistic`: tables shaped like real two-part names (thousands of given
//! and family names with Zipf-like frequencies, `gen::realistic`) at 100k
//! (and 1M), queried with one part respelled as the table never spells it:
//! the indexed search per query, and once through the same queries, its
//! accuracy and time against the exhaustive search's in the same process.
//!
//! ```text
//! cargo bench --bench resolve
//! ```

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};

#[path = "common/gen.rs"]
mod gen;

fn sizes() -> Vec<usize> {
    let mut s = vec![1_000, 10_000, 100_000];
    if std::env::var_os("CANONYM_BENCH_1M").is_some() {
        s.push(1_000_000);
    }
    s
}

fn resolve(c: &mut Criterion) {
    let mut g = c.benchmark_group("resolve");
    g.sample_size(20);
    for n in sizes() {
        let table = gen::table(n, 1);
        let entities = table.entities();
        let exact = entities[entities.len() / 2].canonical.clone();
        let alias = entities
            .iter()
            .find_map(|e| e.aliases.first().cloned())
            .expect("the generator writes aliases");
        let mut rng = gen::Rng::new(3);
        let fuzzy = gen::respell(
            &gen::respell(&entities[entities.len() / 3].canonical, &mut rng),
            &mut rng,
        );
        let unknown = "Zzyzx Qwertyuiop".to_owned();
        let resolver = canonym::Resolver::new(table).unwrap();
        for (kind, q) in [
            ("exact", &exact),
            ("alias", &alias),
            ("fuzzy", &fuzzy),
            ("unknown", &unknown),
        ] {
            g.bench_with_input(BenchmarkId::new(kind, n), q, |b, q| {
                b.iter(|| black_box(resolver.resolve(black_box(q)).outcome))
            });
        }
    }
    g.finish();
    let mut g = c.benchmark_group("build");
    g.sample_size(10);
    for n in sizes() {
        let table = gen::table(n, 1);
        g.bench_with_input(BenchmarkId::from_parameter(n), &table, |b, t| {
            b.iter(|| canonym::Resolver::new(t.clone()).unwrap())
        });
    }
    g.finish();
}

/// Realistic tables: the index's time per fuzzy query (criterion), then
/// one pass over the queries with the index and with the exhaustive
/// search, printing accuracy and the time ratio.
fn realistic(c: &mut Criterion) {
    let mut sizes = vec![100_000];
    if std::env::var_os("CANONYM_BENCH_1M").is_some() {
        sizes.push(1_000_000);
    }
    let mut g = c.benchmark_group("realistic");
    g.sample_size(20);
    for n in sizes {
        let (table, queries) = gen::realistic(n, 200, 21);
        let indexed = canonym::Resolver::builder()
            .exhaustive(false)
            .build(table.clone())
            .unwrap();
        let mut next = 0;
        g.bench_function(BenchmarkId::new("fuzzy_indexed", n), |b| {
            b.iter(|| {
                next = (next + 1) % queries.len();
                black_box(indexed.resolve(black_box(&queries[next].0)).outcome)
            })
        });
        // The baseline, in this process: the exhaustive search on the
        // same queries (a fifth of them at 1M, where one takes a second).
        let exhaustive = canonym::Resolver::builder()
            .exhaustive(true)
            .build(table)
            .unwrap();
        let sample = &queries[..if n >= 1_000_000 { 40 } else { 200 }];
        let pass = |r: &canonym::Resolver| {
            let start = std::time::Instant::now();
            let right = (sample.iter())
                .filter(|(q, gold)| r.resolve(q).id() == Some(gold.as_str()))
                .count();
            (right as f64 / sample.len() as f64, start.elapsed())
        };
        let (acc_i, time_i) = pass(&indexed);
        let (acc_e, time_e) = pass(&exhaustive);
        println!(
            "realistic {n}: {} queries; indexed accuracy {acc_i:.3}, {:.1} us/query; exhaustive {acc_e:.3}, {:.1} us/query; index {:.0}x faster",
            sample.len(),
            time_i.as_secs_f64() * 1e6 / sample.len() as f64,
            time_e.as_secs_f64() * 1e6 / sample.len() as f64,
            time_e.as_secs_f64() / time_i.as_secs_f64().max(1e-12),
        );
    }
    g.finish();
}

criterion_group!(benches, resolve, realistic);
criterion_main!(benches);
