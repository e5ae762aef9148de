//! Writes the calibration rows of a name-variant split, for
//! `scripts/fit_calibration.py`.
//!
//! ```text
//! cargo run --release --features fit --example calibration_features -- \
//!     ../shared/data/translit-dev > target/calibration.tsv
//! ```
//!
//! The split is a folder with `table.csv` and `queries.tsv` (query<TAB>gold_id,
//! empty gold = not in the table). One line per query answered exactly or
//! reaching the calibration gate: the best entity's id (to keep an entity's
//! queries in one cross-validation fold), whether it is the gold one
//! (`right`), whether the answer is ambiguous, whether the gold entity is in
//! the table, how the answer is weighed (`exact`, or by the model with the
//! features: `whole` name, or `part` view for a query naming fewer parts
//! than the name). No name is written, so nothing of the split reaches the
//! model but its statistics.

use std::io::{BufWriter, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let split = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/translit-dev".into());
    let table = canonym::AliasTable::load(format!("{split}/table.csv"))?;
    let resolver = canonym::Resolver::new(table)?;
    let queries = std::fs::read_to_string(format!("{split}/queries.tsv"))?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "entity\tright\tambiguous\tgold_known\tweighed\tconfidence\t{}",
        canonym::__fit::calibration_header()
    )?;
    for line in queries.lines().skip(1) {
        let (query, gold) = line.split_once('\t').unwrap_or((line, ""));
        let known = !gold.is_empty();
        let flag = |b: bool| u8::from(b);
        let mut row = |id: &str, ambiguous: bool, weighed: &str| {
            let right = known && id == gold;
            writeln!(
                out,
                "{id}\t{}\t{}\t{}\t{weighed}",
                flag(right),
                flag(ambiguous),
                flag(known)
            )
        };
        match canonym::__fit::calibration_row(&resolver, query) {
            Some((id, ambiguous, part_view, features)) => {
                let view = if part_view { "part" } else { "whole" };
                row(&id, ambiguous, &format!("{view}\t\t{features}"))?
            }
            None => {
                // Exact, alias and normalized answers are certain and not
                // calibrated; the fitter counts them as accepted.
                if let Some(best) = resolver.resolve(query).best {
                    if best.kind != canonym::MatchKind::Fuzzy {
                        row(&best.entity.id, false, "exact\t1")?;
                    }
                }
            }
        }
    }
    Ok(())
}
