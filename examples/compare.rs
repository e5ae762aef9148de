//! canonym's half of `benches/compare/run.sh`: writes a generated table and
//! query set, then times canonym on it, one query at a time on one thread.
//!
//! ```text
//! cargo run --release --example compare -- ALIASES QUERIES OUT_DIR [--exhaustive N] [--realistic]
//! cargo run --release --example compare -- --from DIR QUERIES OUT_DIR [--exhaustive N]
//! ```
//!
//! The table is `gen::table`'s (42 given names, typo'd queries), or with
//! `--realistic` `gen::realistic`'s (thousands of given and family name
//! groups with Zipf-like frequencies, one part respelled), a fifth of its
//! queries people the table does not hold.
//!
//! Writes `OUT_DIR/table.csv` (`id,canonical,kind,aliases`),
//! `OUT_DIR/queries.tsv` (`query<TAB>gold id`, empty for a name not in the
//! table), `OUT_DIR/tune.tsv` (another sample of the same make, on which
//! the peer's cutoff is tuned) and `OUT_DIR/canonym.json` (timings and
//! accuracy). With
//! `--exhaustive N`, the first N queries are also resolved with every key
//! verified, and the JSON reports how often the index gives the same
//! answer (its recall against the exhaustive search).
//!
//! The JSON also has `raised`: accuracy and false accepts with the
//! threshold raised from 0.80 to 0.90 (an answer kept if its confidence
//! is that high), so that two builds are compared at matched false
//! accepts, not only where the default threshold puts them; and `words`:
//! queries, accuracy, false accepts and mean time by the query's words
//! (split at spaces and hyphens; 4 counts four or more).
//!
//! With `--from DIR` the table and queries are not generated but read:
//! `DIR/table.csv` and `DIR/queries.tsv` (`query<TAB>gold id`, a header
//! line first), the first QUERIES of them measured; the tuning sample is
//! `DIR/tune.tsv` if there is one, else up to 300 of the queries after the
//! measured ones.

use std::fmt::Write as _;
use std::time::Instant;

#[path = "../benches/common/gen.rs"]
mod gen;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage =
        "usage: compare (ALIASES | --from DIR) QUERIES OUT_DIR [--exhaustive N] [--realistic]";
    let (from, args) = match &args[..] {
        [flag, dir, rest @ ..] if flag == "--from" => (Some(std::path::PathBuf::from(dir)), rest),
        all => (None, all),
    };
    let (aliases, queries, out, rest) = match (&from, args) {
        (Some(_), [queries, out, rest @ ..]) => ("0", queries, out, rest),
        (None, [aliases, queries, out, rest @ ..]) => (aliases.as_str(), queries, out, rest),
        _ => return Err(usage.into()),
    };
    let aliases: usize = aliases.parse()?;
    let n_queries: usize = queries.parse()?;
    let (mut exhaustive_checks, mut realistic) = (0, false);
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        match flag.as_str() {
            "--exhaustive" => exhaustive_checks = rest.next().ok_or(usage)?.parse()?,
            "--realistic" => realistic = true,
            _ => return Err(usage.into()),
        }
    }
    let out = std::path::Path::new(out);
    std::fs::create_dir_all(out)?;

    let (table, queries, tune) = if let Some(dir) = &from {
        read_queries(dir, n_queries)?
    } else if realistic {
        realistic_queries(aliases, n_queries)
    } else {
        let table = gen::table(aliases, 1);
        let queries = gen::queries(&table, n_queries, 7);
        // A separate sample (another seed).
        let tune = gen::queries(&table, n_queries.min(300), 11);
        (table, queries, tune)
    };
    let aliases = match &from {
        // The table as it is (the peer reads it from OUT_DIR).
        Some(dir) => {
            std::fs::copy(dir.join("table.csv"), out.join("table.csv"))?;
            table.entities().iter().map(|e| e.names().count()).sum()
        }
        None => {
            std::fs::write(
                out.join("table.csv"),
                table.to_string(canonym::Format::Csv)?,
            )?;
            aliases
        }
    };
    let mut tsv = String::from("query\tgold_id\n");
    for (q, gold) in &queries {
        writeln!(tsv, "{q}\t{}", gold.as_deref().unwrap_or(""))?;
    }
    std::fs::write(out.join("queries.tsv"), tsv)?;
    // A separate sample on which the peer's cutoff is tuned.
    let mut tune_tsv = String::from("query\tgold_id\n");
    for (q, gold) in &tune {
        writeln!(tune_tsv, "{q}\t{}", gold.as_deref().unwrap_or(""))?;
    }
    std::fs::write(out.join("tune.tsv"), tune_tsv)?;

    let started = Instant::now();
    let resolver = canonym::Resolver::new(table.clone())?;
    let build_s = started.elapsed().as_secs_f64();

    // Warm up caches and branch predictors on a few queries first.
    for (q, _) in queries.iter().take(20) {
        std::hint::black_box(resolver.resolve(q));
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut answers = Vec::with_capacity(queries.len());
    let mut confidences = Vec::with_capacity(queries.len());
    for (q, _) in &queries {
        let t = Instant::now();
        let r = resolver.resolve(q);
        times.push(t.elapsed().as_secs_f64());
        answers.push(r.id().map(str::to_owned));
        confidences.push(r.confidence);
    }
    let (accuracy, false_accept) = score(&queries, &answers);
    // The answers kept at each raised threshold.
    let mut raised = String::new();
    for step in 0..=10 {
        // Hundredths, so that 0.83 is the f32 nearest 0.83, as a
        // confidence of 0.83 is.
        let at_least = (80 + step) as f32 / 100.0;
        let kept: Vec<Option<String>> = (answers.iter().zip(&confidences))
            .map(|(a, &c)| a.clone().filter(|_| c >= at_least))
            .collect();
        let (a, f) = score(&queries, &kept);
        let sep = if step == 0 { "" } else { ", " };
        write!(raised, "{sep}[{at_least:.2}, {a:.4}, {f:.4}]")?;
    }
    let words = by_words(&queries, &answers, &times)?;

    let mut agree = 0;
    let checks = exhaustive_checks.min(queries.len());
    if checks > 0 {
        let exhaustive = canonym::Resolver::builder().exhaustive(true).build(table)?;
        for ((q, _), a) in queries.iter().zip(&answers).take(checks) {
            agree += usize::from(exhaustive.resolve(q).id().map(str::to_owned) == *a);
        }
    }

    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
    let json = format!(
        concat!(
            "{{\"aliases\": {}, \"queries\": {}, \"build_s\": {:.3}, ",
            "\"mean_s\": {:e}, \"p50_s\": {:e}, \"p99_s\": {:e}, ",
            "\"accuracy\": {:.4}, \"false_accept\": {:.4}, ",
            "\"exhaustive_checked\": {}, \"exhaustive_agree\": {}, ",
            "\"raised\": [{}], \"words\": {{{}}}}}"
        ),
        aliases,
        queries.len(),
        build_s,
        mean,
        pct(0.5),
        pct(0.99),
        accuracy,
        false_accept,
        checks,
        agree,
        raised,
        words
    );
    std::fs::write(out.join("canonym.json"), &json)?;
    println!("{json}");
    Ok(())
}

/// A realistic table of `aliases` names, `n` queries on it and (apart) up
/// to 300 more for tuning; four in five of each known, the rest strangers
/// (gold `None`), the strangers after the known ones.
fn realistic_queries(aliases: usize, n: usize) -> (canonym::AliasTable, Queries, Queries) {
    let tune = n.min(300);
    let strangers = |n: usize| n / 5;
    let (table, known, others) = gen::realistic_with_strangers(
        aliases,
        (n - strangers(n)) + (tune - strangers(tune)),
        strangers(n) + strangers(tune),
        21,
    );
    let mut known = known.into_iter().map(|(q, gold)| (q, Some(gold)));
    let mut others = others.into_iter().map(|q| (q, None));
    let mut take = |n: usize| -> Queries {
        let mut queries: Queries = known.by_ref().take(n - strangers(n)).collect();
        queries.extend(others.by_ref().take(strangers(n)));
        queries
    };
    let queries = take(n);
    let tune = take(tune);
    (table, queries, tune)
}

/// `--from DIR`: the table of `DIR/table.csv`, the first `n` queries of
/// `DIR/queries.tsv`, and the tuning sample (`DIR/tune.tsv`, or up to 300
/// of the queries after the first `n`).
fn read_queries(
    dir: &std::path::Path,
    n: usize,
) -> Result<(canonym::AliasTable, Queries, Queries), Box<dyn std::error::Error>> {
    let table = canonym::AliasTable::load(dir.join("table.csv"))?;
    let read = |path: &std::path::Path| -> Result<Queries, Box<dyn std::error::Error>> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok((text.lines().skip(1))
            .filter(|line| !line.is_empty())
            .map(|line| {
                let mut fields = line.split('\t');
                let query = fields.next().unwrap_or_default().to_owned();
                let gold = fields.next().filter(|g| !g.is_empty()).map(str::to_owned);
                (query, gold)
            })
            .collect())
    };
    let mut queries = read(&dir.join("queries.tsv"))?;
    let tune_file = dir.join("tune.tsv");
    let tune = if tune_file.exists() {
        read(&tune_file)?
    } else {
        queries.iter().skip(n).take(300).cloned().collect()
    };
    queries.truncate(n);
    if queries.is_empty() || tune.is_empty() {
        return Err(format!(
            "{}: need queries to measure and a tuning sample apart (tune.tsv, or more queries than measured)",
            dir.display()
        )
        .into());
    }
    Ok((table, queries, tune))
}

/// Queries with their gold ids (`None`: not in the table).
type Queries = Vec<(String, Option<String>)>;

/// `"2": [queries, accuracy, false accepts, mean µs], ...` by the words of
/// the query (spaces and hyphens separate them; 4 counts four or more):
/// a query of three words or more weighs more names (its part blocks),
/// and a change that moves their time or answers hides in the mean.
/// `times` are in the queries' order.
fn by_words(
    queries: &[(String, Option<String>)],
    answers: &[Option<String>],
    times: &[f64],
) -> Result<String, std::fmt::Error> {
    let words = |q: &str| {
        q.split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .count()
            .clamp(1, 4)
    };
    let mut out = String::new();
    for n in 1..=4 {
        let at: Vec<usize> = (0..queries.len())
            .filter(|&i| words(&queries[i].0) == n)
            .collect();
        if at.is_empty() {
            continue;
        }
        let pick = |i: &usize| (queries[*i].clone(), answers[*i].clone());
        let (bucket, picked): (Queries, Vec<Option<String>>) = at.iter().map(pick).unzip();
        let (accuracy, false_accept) = score(&bucket, &picked);
        let mean_us = at.iter().map(|&i| times[i]).sum::<f64>() / at.len() as f64 * 1e6;
        let sep = if out.is_empty() { "" } else { ", " };
        write!(
            out,
            "{sep}\"{n}\": [{}, {accuracy:.4}, {false_accept:.4}, {mean_us:.1}]",
            at.len()
        )?;
    }
    Ok(out)
}

/// (positives resolved to their gold id / positives, negatives resolved to
/// any id / negatives): the measures of `translit-score`.
fn score(queries: &[(String, Option<String>)], answers: &[Option<String>]) -> (f64, f64) {
    let (mut pos, mut right, mut neg, mut accepted) = (0, 0, 0, 0);
    for ((_, gold), answer) in queries.iter().zip(answers) {
        match gold {
            Some(g) => {
                pos += 1;
                right += usize::from(answer.as_deref() == Some(g.as_str()));
            }
            None => {
                neg += 1;
                accepted += usize::from(answer.is_some());
            }
        }
    }
    (
        right as f64 / pos.max(1) as f64,
        accepted as f64 / neg.max(1) as f64,
    )
}
