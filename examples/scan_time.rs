//! How fast scan reads a file with the default table: the best of twenty
//! runs (or RUNS), after the table is built (one thread).
//!
//! ```text
//! cargo run --release --example scan_time -- some-article.txt [RUNS]
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: scan_time FILE [RUNS]")?;
    let runs: usize = std::env::args().nth(2).map_or(Ok(20), |r| r.parse())?;
    let text = std::fs::read_to_string(path)?;
    let resolver = canonym::Resolver::new(canonym::AliasTable::default_table())?;
    let mut best = f64::INFINITY;
    let mut mentions = 0;
    for _ in 0..runs.max(1) {
        let start = std::time::Instant::now();
        mentions = resolver.scan(&text).count();
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{} bytes, {mentions} mentions: {:.2} ms, {:.2} MiB/s",
        text.len(),
        best * 1e3,
        text.len() as f64 / (1 << 20) as f64 / best
    );
    Ok(())
}
