//! Re-fits `data/costs.tsv` from a name-variant split.
//!
//! ```text
//! cargo run --release --features fit --example fit_costs -- ../shared/data/translit-dev data/costs.tsv
//! ```
//!
//! The split is a folder with `table.csv` (id,canonical) and `queries.tsv`
//! (query<TAB>gold_id, empty gold = not in the table), as described in the
//! evaluation data's README. The procedure is in `src/fit.rs`. Only
//! letter-correspondence costs are written: no name from the split ends up
//! in the library.

use std::collections::HashMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let split = args
        .next()
        .unwrap_or_else(|| "../shared/data/translit-dev".into());
    let out = args.next().unwrap_or_else(|| "data/costs.tsv".into());
    let rounds: usize = args.next().map_or(Ok(3), |r| r.parse())?;
    let table = canonym::AliasTable::load(format!("{split}/table.csv"))?;
    let index: HashMap<&str, usize> = table
        .entities()
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let canonicals: Vec<String> = table
        .entities()
        .iter()
        .map(|e| e.canonical.clone())
        .collect();
    let (mut positives, mut negatives) = (Vec::new(), Vec::new());
    let queries = std::fs::read_to_string(format!("{split}/queries.tsv"))?;
    for line in queries.lines().skip(1) {
        let (q, gold) = line.split_once('\t').unwrap_or((line, ""));
        match index.get(gold) {
            Some(&i) => positives.push((q.to_owned(), i)),
            None if gold.is_empty() => negatives.push(q.to_owned()),
            None => return Err(format!("gold id {gold} is not in the table").into()),
        }
    }
    let text = canonym::__fit::fit_costs(
        &canonicals,
        &positives,
        &negatives,
        rounds,
        &mut std::io::stderr(),
    );
    std::fs::write(&out, text)?;
    eprintln!("wrote {out}");
    Ok(())
}
