//! Fitting the edit costs of `data/costs.tsv` from name-variant pairs.
//!
//! Not part of the stable API: `examples/fit_costs.rs` drives it.
//!
//! A noisy channel, fitted by hard EM. Each round aligns every variant pair
//! (a query and the canonical spelling of its entity) under the current
//! costs, counts the aligned symbol pairs `(x, y)` (`-` = nothing), and sets
//!
//! ```text
//! P(y | x)  = (count(x, y) + 0.5) / (count(x, .) + 0.5 * SYMBOLS)
//! sub(x, y) = mean over both directions of -ln(P(y|x) / P(x|x)) / NATS_PER_UNIT
//! indel(x)  = -ln(P(-|x) / P(x|x)) / NATS_PER_UNIT
//! ```
//!
//! clamped to [0.02, MAX_COST]. A symbol's evidence weight is its
//! self-information in the table's names (mean 1), so that the similarity
//! `1 - cost / mean evidence` counts a rare letter matched for more than a
//! vowel. Each query's nearest name of another entity (a *near miss*) is
//! aligned too; an ending alternation (`-owa`) costs BASE_ALTERNATION nats
//! plus how much likelier it is among near misses than among variants.
//! Three rounds from unit costs.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::normalize::Normalizer;
use crate::score::{symbol_char, CostModel, Rewriter, Symbols, SYMBOLS};

/// Nats of improbability that make one unit of cost: an edit that variants
/// make 1 time in ~55 costs 1, like an unrelated letter in plain Levenshtein.
const NATS_PER_UNIT: f64 = 4.0;
/// Cap on any one edit's cost, so that one odd letter never outweighs a
/// whole name.
const MAX_COST: f64 = 1.5;
/// How strongly rare letters outweigh common ones in a name's evidence
/// (0: every symbol weighs 1).
const WEIGHT_EXPONENT: f64 = 1.0;
/// Base price of an ending alternation, in nats.
const BASE_ALTERNATION: f64 = 1.0;

/// Counts of aligned operations: `ops[x][y]`, 0 = nothing.
struct Counts {
    ops: Vec<[f64; SYMBOLS]>,
    alternations: HashMap<usize, f64>,
    pairs: f64,
}

impl Counts {
    fn new() -> Counts {
        Counts {
            ops: vec![[0.0; SYMBOLS]; SYMBOLS],
            alternations: HashMap::new(),
            pairs: 0.0,
        }
    }

    fn add(&mut self, model: &CostModel, a: &[u8], b: &[u8]) {
        let (alt, ops) = model.align_with_endings(a, b);
        for (x, y) in ops {
            // Symmetric: the pair's order (query/canonical) carries nothing.
            self.ops[usize::from(x)][usize::from(y)] += 0.5;
            self.ops[usize::from(y)][usize::from(x)] += 0.5;
        }
        if let Some(k) = alt {
            *self.alternations.entry(k).or_default() += 1.0;
        }
        self.pairs += 1.0;
    }

    fn p_alt(&self, k: usize) -> f64 {
        (self.alternations.get(&k).copied().unwrap_or(0.0) + 0.5) / (self.pairs + 1.0)
    }
}

/// The nearest other name: index into `names` and its symbols.
fn nearest(
    model: &CostModel,
    q: &[u8],
    names: &[(Symbols, u64)],
    skip: Option<usize>,
) -> Option<usize> {
    let qe = model.ending_mask(q);
    let mut best: Option<(f32, usize)> = None;
    for (i, (s, e)) in names.iter().enumerate() {
        if Some(i) == skip {
            continue;
        }
        let floor = best.map_or(0.3, |b| b.0);
        if let Some(sim) = model.similarity(q, qe, s, *e, floor) {
            if best.is_none_or(|b| sim > b.0) {
                best = Some((sim, i));
            }
        }
    }
    best.map(|b| b.1)
}

/// Fits costs. `canonicals` are the table's names; `positives` are
/// (query, index into canonicals); `negatives` are queries of names not in
/// the table. Returns the text of `data/costs.tsv`. Progress goes to `log`.
///
/// One long function (158 lines) by choice: the fitter is a maintainer's
/// tool behind the `fit` feature, run a few times a year, and reads as the
/// procedure in the module docs, round by round.
#[doc(hidden)]
pub fn fit_costs(
    canonicals: &[String],
    positives: &[(String, usize)],
    negatives: &[String],
    rounds: usize,
    log: &mut dyn std::io::Write,
) -> String {
    let normalizer = Normalizer::default();
    let rewriter = Rewriter::from_rules(crate::score::DEFAULT_REWRITE);
    let symbols = |s: &str| {
        let n = normalizer.normalize(s);
        rewriter.rewrite(&n)
    };
    let mut model = CostModel::unit();
    model.load_suffixes(crate::score::DEFAULT_SUFFIXES, &rewriter);
    let names: Vec<Symbols> = canonicals.iter().map(|c| symbols(c)).collect();
    let pos: Vec<(Symbols, usize)> = positives.iter().map(|(q, i)| (symbols(q), *i)).collect();
    let neg: Vec<Symbols> = negatives.iter().map(|q| symbols(q)).collect();
    let mut text = String::new();
    for round in 0..rounds {
        let indexed: Vec<(Symbols, u64)> = names
            .iter()
            .map(|s| (s.clone(), model.ending_mask(s)))
            .collect();
        let mut variant = Counts::new();
        let mut near_miss = Counts::new();
        for (q, gold) in &pos {
            variant.add(&model, q, &names[*gold]);
        }
        // Near misses, in parallel on every core: the expensive part.
        let jobs: Vec<(&Symbols, Option<usize>)> = pos
            .iter()
            .map(|(q, g)| (q, Some(*g)))
            .chain(neg.iter().map(|q| (q, None)))
            .collect();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = jobs.len().div_ceil(threads).max(1);
        let found: Vec<Vec<(usize, usize)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = jobs
                .chunks(chunk)
                .enumerate()
                .map(|(c, part)| {
                    let (model, indexed) = (&model, &indexed);
                    scope.spawn(move || {
                        part.iter()
                            .enumerate()
                            .filter_map(|(k, (q, skip))| {
                                nearest(model, q, indexed, *skip).map(|n| (c * chunk + k, n))
                            })
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("no panic"))
                .collect()
        });
        for (job, n) in found.into_iter().flatten() {
            near_miss.add(&model, jobs[job].0, &names[n]);
        }
        let _ = writeln!(
            log,
            "round {round}: {} variant pairs, {} near misses",
            variant.pairs, near_miss.pairs
        );
        // New costs: a noisy channel. How often does a variant spelling turn
        // x into y, relative to keeping x?
        let p_given = |x: usize, y: usize| {
            let row: f64 = variant.ops[x].iter().sum::<f64>() + 0.5 * SYMBOLS as f64;
            (variant.ops[x][y] + 0.5) / row
        };
        let channel = |x: usize, y: usize| -> f64 {
            // Symmetric: the mean of both directions (indels only one way).
            let xy = -(p_given(x, y) / p_given(x, x)).ln();
            if y == 0 {
                return xy;
            }
            let yx = -(p_given(y, x) / p_given(y, y)).ln();
            (xy + yx) / 2.0
        };
        let mut out = String::from(
            "# Fitted by `cargo run --release --features fit --example fit_costs` (see src/fit.rs).\n\
             # x<TAB>y<TAB>cost: substitution; x<TAB>-<TAB>cost: x against nothing;\n\
             # @ lines: ending alternations.\n",
        );
        let mut next = CostModel::unit();
        next.load_suffixes(crate::score::DEFAULT_SUFFIXES, &rewriter);
        let scaled = |nats: f64| (nats / NATS_PER_UNIT).clamp(0.02, MAX_COST);
        // Evidence of a matched symbol: its self-information in the table's
        // names, scaled so that the average symbol occurrence weighs 1.
        let mut freq = [0.5f64; SYMBOLS];
        for n in &names {
            for &c in n {
                freq[usize::from(c)] += 1.0;
            }
        }
        let total: f64 = freq[1..].iter().sum();
        let info = |x: usize| -(freq[x] / total).ln();
        let mean_info: f64 = (1..SYMBOLS).map(|x| freq[x] * info(x)).sum::<f64>() / total;
        for x in 1..SYMBOLS {
            let w = (info(x) / mean_info).powf(WEIGHT_EXPONENT);
            let _ = writeln!(
                out,
                "{}\t{}\t{w:.4}",
                symbol_char(x as u8),
                symbol_char(x as u8)
            );
        }
        for x in 1..SYMBOLS {
            let _ = writeln!(
                out,
                "{}\t-\t{:.4}",
                symbol_char(x as u8),
                scaled(channel(x, 0))
            );
            for y in (x + 1)..SYMBOLS {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{:.4}",
                    symbol_char(x as u8),
                    symbol_char(y as u8),
                    scaled(channel(x, y))
                );
            }
        }
        let (endings, alternations) = model.alternations();
        for (k, &(ea, eb, _)) in alternations.iter().enumerate() {
            if ea > eb {
                continue; // each pair once; load_costs sets both directions
            }
            let back = alternations
                .iter()
                .position(|&(a, b, _)| (a, b) == (eb, ea))
                .unwrap_or(k);
            let p_var = variant.p_alt(k) + variant.p_alt(back);
            let p_miss = near_miss.p_alt(k) + near_miss.p_alt(back);
            let ends = |e: u8| -> String {
                let s = &endings[usize::from(e)];
                if s.is_empty() {
                    "-".to_owned()
                } else {
                    s.iter().map(|&c| symbol_char(c)).collect()
                }
            };
            let (ta, tb) = (ends(ea), ends(eb));
            // An alternation costs what it says against a match: how much
            // likelier it is among near misses than among variants, on top
            // of a base price of one cheap edit.
            let cost = scaled(BASE_ALTERNATION + (p_miss / p_var).ln().max(0.0));
            let _ = writeln!(out, "@\t{ta}\t{tb}\t{cost:.4}");
        }
        next.load_costs(&out);
        model = next;
        text = out;
    }
    text
}
