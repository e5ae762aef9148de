//! Scan throughput (MB/s) on news-like text: against the embedded default
//! table and against a generated 100k-alias table. The generated text
//! respells one mention in four, a worst case for the fuzzy core; a second
//! text respells one in fifty. Both run every
//! name into the capitalized opening of the next sentence; the `copy` cases
//! place names inside sentences, as articles do, one in fifty respelled.
//! Those texts repeat a few filler sentences, so scan's memo hides most of
//! the work; the `real_copy` cases do not repeat (words from
//! `data/words.txt`, capitalized words and people the table does not hold,
//! see `gen::real_copy`), as one long document and as articles.
//!
//! ```text
//! cargo bench --bench scan
//! ```

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "common/gen.rs"]
mod gen;

fn scan(c: &mut Criterion) {
    let seed_like = canonym::AliasTable::default_table();
    let text = gen::news_text(&seed_like, 256 * 1024, 7);
    let default = canonym::Resolver::new(seed_like).unwrap();
    let mut g = c.benchmark_group("scan");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("default_table_256KiB", |b| {
        b.iter(|| default.scan(&text).count())
    });
    // Copy closer to what editors send: one mention in fifty respelled.
    let copy = gen::news_text_respelling(default.table(), 256 * 1024, 9, 2);
    g.bench_function("default_table_2pct_respelled_256KiB", |b| {
        b.iter(|| default.scan(&copy).count())
    });
    let article = gen::news_copy(default.table(), 256 * 1024, 10, 2);
    g.throughput(Throughput::Bytes(article.len() as u64));
    g.bench_function("default_table_copy_2pct_256KiB", |b| {
        b.iter(|| default.scan(&article).count())
    });

    // Copy like real news: no sentence repeats, so scan's memo does not
    // hide the work; capitalized words that name nobody in the table.
    let real = gen::real_copy(default.table(), 256 * 1024, 12, 2);
    g.throughput(Throughput::Bytes(real.len() as u64));
    g.bench_function("default_table_real_copy_2pct_256KiB", |b| {
        b.iter(|| default.scan(&real).count())
    });
    // The same copy as news arrives: articles of 4 KiB (copy-dev's run
    // 1-3 KB), each scanned on its own as `canonym check` scans a file, so
    // that the context pass weighs an article's few entities, not the
    // hundreds a 256 KiB document names.
    let articles: Vec<String> = (0..64)
        .map(|i| gen::real_copy(default.table(), 4 * 1024, 100 + i, 2))
        .collect();
    let bytes: usize = articles.iter().map(String::len).sum();
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("default_table_real_copy_2pct_64_articles_of_4KiB", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| default.scan(a).count())
                .sum::<usize>()
        })
    });

    let big = gen::table(100_000, 1);
    let text = gen::news_text(&big, 64 * 1024, 8);
    let resolver = canonym::Resolver::new(big).unwrap();
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("100k_aliases_64KiB", |b| {
        b.iter(|| resolver.scan(&text).count())
    });
    let copy = gen::news_text_respelling(resolver.table(), 64 * 1024, 8, 2);
    g.throughput(Throughput::Bytes(copy.len() as u64));
    g.bench_function("100k_aliases_2pct_respelled_64KiB", |b| {
        b.iter(|| resolver.scan(&copy).count())
    });
    let article = gen::news_copy(resolver.table(), 64 * 1024, 11, 2);
    g.throughput(Throughput::Bytes(article.len() as u64));
    g.bench_function("100k_aliases_copy_2pct_64KiB", |b| {
        b.iter(|| resolver.scan(&article).count())
    });
    let real = gen::real_copy(resolver.table(), 64 * 1024, 13, 2);
    g.throughput(Throughput::Bytes(real.len() as u64));
    g.bench_function("100k_aliases_real_copy_2pct_64KiB", |b| {
        b.iter(|| resolver.scan(&real).count())
    });
    g.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
