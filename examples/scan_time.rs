//! How fast scan reads text, one thread, after the table is built: each
//! file scanned on its own (as `canonym check` does, so that document
//! context stays inside one file), the best of RUNS passes over all files
//! (default 20), and the first pass alone. The default table unless
//! `--table` gives one (any format `canonym` reads).
//!
//! ```text
//! cargo run --release --example scan_time -- some-article.txt [MORE.txt ...]
//! cargo run --release --example scan_time -- --table t.csv --runs 5 dir/*.txt
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut table, mut runs, mut paths) = (None, 20usize, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--table" => table = Some(args.next().ok_or("--table needs a file")?),
            "--runs" => runs = args.next().ok_or("--runs needs a number")?.parse()?,
            _ => paths.push(arg),
        }
    }
    if paths.is_empty() {
        return Err("usage: scan_time [--table T] [--runs N] FILE...".into());
    }
    let texts = (paths.iter())
        .map(std::fs::read_to_string)
        .collect::<Result<Vec<_>, _>>()?;
    let table = match table {
        Some(path) => canonym::AliasTable::load(path)?,
        None => canonym::AliasTable::default_table(),
    };
    let resolver = canonym::Resolver::new(table)?;
    let bytes: usize = texts.iter().map(String::len).sum();
    let (mut first, mut best, mut mentions) = (None, f64::INFINITY, 0);
    for _ in 0..runs.max(1) {
        let start = std::time::Instant::now();
        mentions = texts.iter().map(|t| resolver.scan(t).count()).sum();
        let took = start.elapsed().as_secs_f64();
        first.get_or_insert(took);
        best = best.min(took);
    }
    // The first pass also loads the word lists and asks the resolver about
    // each known word it meets (answers a process keeps): what one
    // `canonym check` of these files pays.
    let first = first.unwrap_or(best);
    println!(
        "{} files, {bytes} bytes, {mentions} mentions: {:.2} ms, {:.2} MB/s ({:.2} MiB/s); \
         first pass {:.2} ms, {:.2} MB/s",
        texts.len(),
        best * 1e3,
        bytes as f64 / 1e6 / best,
        bytes as f64 / (1 << 20) as f64 / best,
        first * 1e3,
        bytes as f64 / 1e6 / first,
    );
    Ok(())
}
