//! Per-query cost of `resolve`: exact, alias, fuzzy and unknown queries at
//! 1k / 10k / 100k aliases (1M with CANONYM_BENCH_1M=1), and build time.
//! Tables are generated deterministically (benches/gen.rs).
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

criterion_group!(benches, resolve);
criterion_main!(benches);
