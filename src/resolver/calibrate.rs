//! Step 6, for a name alone: how likely the best fuzzy answer is right.
//!
//! A similarity says how close two spellings are; it does not say how
//! often a name *that* close is the same name. That depends on what made
//! the distance (one cheap vowel swap against one improbable letter, at
//! the opening or in a grammatical ending), on how long the names are
//! (short names come close by chance), on the parts, and on the
//! neighbours just behind. [`Evidence`] gathers these for the best
//! candidate and a small gradient-boosted model, `data/calibration.txt`,
//! turns them into the probability that the answer is right. It is fitted
//! by `scripts/fit_calibration.py` on the development split of name
//! variants, with rows written by the library's own code
//! (`examples/calibration_features.rs`); only the model's trees are
//! stored, no name of the split. The fit constrains the model to grow
//! more sure with the similarity and less sure with the runner-up, the
//! rivals and the edit costs, so that a closer spelling is never less sure.
//!
//! Calibration answers for a name alone ([`crate::Resolver::resolve`]) in
//! Latin script; scan weighs the document's own evidence instead
//! (`crate::scan`), and a query in an abjad keeps the similarity-and-lead
//! confidence (see `decide.rs`).

use std::sync::OnceLock;

use super::decide::{within_lead_cap, LEAD_CAP};
use super::model::Inner;
use super::query::QueryForm;
use super::search::NameScore;
use crate::normalize::data_lines;
use crate::score::CostModel;

const MODEL: &str = include_str!("../../data/calibration.txt");

/// The least similarity-and-lead confidence (see `decide::confidence`) a
/// fuzzy answer needs before the model weighs it; below, the answer is
/// unknown with confidence 0. It bounds how far the search reaches
/// (candidates and rivals are retrieved down to this level's similarity
/// floor less the lead cap). On the development split (cross-validated
/// accuracy at a 6% false-accept rate, gates above 0.70 replayed on the
/// same predictions): 0.726 at 0.70, 0.722 at 0.72, 0.711 at 0.75, 0.690
/// at 0.79; lower gates cost search time for answers the model almost
/// never accepts.
pub(crate) const CALIBRATION_GATE: f32 = 0.7;

/// What the model reads about a best candidate, in the order of
/// `FEATURES` (the fitter writes the same order into the model file).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Evidence {
    /// The best name's similarity.
    pub(crate) similarity: f32,
    /// The best other entity's similarity, or [`LEAD_CAP`] below the
    /// best's when lower or absent: as in `decide::confidence`, a rival
    /// that far behind says nothing more, and the search need not reach
    /// further to measure it (the index and scan's search do not).
    pub(crate) runner_up: f32,
    /// How many other entities score within [`LEAD_CAP`] of the best (at
    /// most 15): a crowd of near rivals, not only the nearest.
    pub(crate) rivals: f32,
    /// Symbols of the query and of the best name (letters as the scorer
    /// sees them, spaces between parts).
    pub(crate) query_symbols: f32,
    pub(crate) name_symbols: f32,
    /// Name parts of the query and of the best name (of the parts it
    /// names, in the part view).
    pub(crate) query_parts: f32,
    pub(crate) name_parts: f32,
    /// Edits in the cheapest alignment of the whole query with the whole
    /// name, their summed cost, and the costliest one.
    pub(crate) edits: f32,
    pub(crate) edit_cost: f32,
    pub(crate) worst_edit: f32,
    /// The cost of the edits in the first [`OPENING`] and the last
    /// [`ENDING`] columns of that alignment: a name's opening is its most
    /// stable part, and its ending is where grammar changes it (a feminine
    /// or patronymic ending makes another name as often as a variant).
    pub(crate) opening_cost: f32,
    pub(crate) ending_cost: f32,
}

/// Alignment columns that make a name's opening and its ending (see
/// [`Evidence::opening_cost`]): two letters begin a name, three letters
/// are the longest common case ending (`-owa`, `-ova`).
const OPENING: usize = 2;
const ENDING: usize = 3;

/// The feature names, as the model file's `features` line lists them.
const FEATURES: [&str; 12] = [
    "similarity",
    "runner_up",
    "rivals",
    "query_symbols",
    "name_symbols",
    "query_parts",
    "name_parts",
    "edits",
    "edit_cost",
    "worst_edit",
    "opening_cost",
    "ending_cost",
];

impl Evidence {
    fn features(&self) -> [f32; FEATURES.len()] {
        [
            self.similarity,
            self.runner_up,
            self.rivals,
            self.query_symbols,
            self.name_symbols,
            self.query_parts,
            self.name_parts,
            self.edits,
            self.edit_cost,
            self.worst_edit,
            self.opening_cost,
            self.ending_cost,
        ]
    }

    /// One tab-separated line of the features, for the fitter.
    #[cfg(feature = "fit")]
    pub(crate) fn to_tsv(self) -> String {
        let f = self.features();
        f.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("\t")
    }

    /// The header [`Evidence::to_tsv`] lines go under.
    #[cfg(feature = "fit")]
    pub(crate) fn tsv_header() -> String {
        FEATURES.join("\t")
    }
}

impl Inner {
    /// The confidence of a fuzzy answer for a name alone: the probability
    /// that the best candidate is right, by the model; 0 under the
    /// calibration gate (too far to weigh).
    pub(super) fn calibrated(&self, q: &QueryForm, costs: &CostModel, ranked: &[NameScore]) -> f32 {
        match self.evidence(q, costs, ranked) {
            Weighed::Gated => 0.0,
            Weighed::Calibrated { evidence, .. } => probability(&evidence),
        }
    }

    /// How a fuzzy answer is weighed (see [`Inner::calibrated`]), with the
    /// evidence the model reads. `ranked` is per entity its best name, best
    /// first (not empty), as aggregated: the model reads it contrasted
    /// (see [`Inner::contrasted`]), here for the resolver and its fitter
    /// alike.
    ///
    /// A query naming fewer parts than the name has (a family name alone:
    /// `Araghchi` for `Abbas Araghchi`) is weighed as if the name were the
    /// parts it names, at its aggregated similarity (which already charges
    /// the parts left out, see `aggregate`). The development split holds
    /// single names, whose few multi-part entries are given names in
    /// syllables (`dong-myeon`): what it says of a syllable alone is not
    /// what a family name cited alone is in copy, so the model is fitted on
    /// whole-name answers only and the part view borrows what it learnt of
    /// names compared whole.
    pub(super) fn evidence(
        &self,
        q: &QueryForm,
        costs: &CostModel,
        ranked: &[NameScore],
    ) -> Weighed {
        let ranked = &self.contrasted(q, ranked)[..];
        let Some((&top, others)) = ranked.split_first() else {
            return Weighed::Gated;
        };
        let lexical = super::decide::lexical(ranked).0;
        if lexical < CALIBRATION_GATE {
            return Weighed::Gated;
        }
        let near = |s: &&NameScore| within_lead_cap(top.score, s.score);
        let runner_up = others.first().map_or(0.0, |s| s.score.clamp(0.0, 1.0));
        let name = &self.names[top.name as usize];
        let parts = self.name_parts(name);
        let part_view = q.part_symbols.len() < parts.len();
        let named: Vec<&str> = if part_view {
            // The name parts the query's parts are most like, in the
            // query's order (parts in another order are charged by the
            // aggregated similarity, not again as edits).
            let part_symbols: Vec<_> = parts.iter().map(|p| self.rewriter.rewrite(p)).collect();
            let mut chosen: Vec<usize> = Vec::new();
            for qs in &q.part_symbols {
                // Each part's similarity once (a comparator would compute
                // it again at every comparison).
                let best = (part_symbols.iter().enumerate())
                    .map(|(j, ps)| (j, self.similarity_of(costs, qs, ps)))
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(j, _)| j);
                if let Some(j) = best.filter(|j| !chosen.contains(j)) {
                    chosen.push(j);
                }
            }
            chosen.iter().map(|&j| parts[j].as_str()).collect()
        } else {
            parts.iter().map(String::as_str).collect()
        };
        let whole = self.rewriter.rewrite(&named.join(" "));
        let (mut edits, mut edit_cost, mut worst_edit) = (0.0f32, 0.0f32, 0.0f32);
        let (mut opening_cost, mut ending_cost) = (0.0f32, 0.0f32);
        let alignment = costs.align_costed(&q.whole, &whole);
        let columns = alignment.len();
        for (i, &(x, y, cost)) in alignment.iter().enumerate() {
            if x != y {
                edits += 1.0;
                edit_cost += cost;
                worst_edit = worst_edit.max(cost);
                if i < OPENING {
                    opening_cost += cost;
                }
                if i + ENDING >= columns {
                    ending_cost += cost;
                }
            }
        }
        let evidence = Evidence {
            similarity: top.score.clamp(0.0, 1.0),
            runner_up: runner_up.max(top.score - LEAD_CAP),
            rivals: others.iter().filter(near).count() as f32,
            query_symbols: q.whole.len() as f32,
            name_symbols: whole.len() as f32,
            query_parts: q.part_symbols.len() as f32,
            name_parts: named.len() as f32,
            edits,
            edit_cost,
            worst_edit,
            opening_cost,
            ending_cost,
        };
        Weighed::Calibrated {
            evidence,
            part_view,
        }
    }
}

impl Inner {
    /// For the calibration fitter: the best entity of a query the exact
    /// step does not place, whether the answer is ambiguous, and how it is
    /// weighed; `None` when no entity is within reach.
    #[cfg(feature = "fit")]
    pub(crate) fn calibration_evidence(&self, input: &str) -> Option<(u32, bool, Weighed)> {
        use super::query::Query;
        use super::search::Search;
        let query = Query::new(input, &self.normalizer);
        if query.normalized().is_empty() || self.lookup_exact(&query).is_some() {
            return None;
        }
        let (q, costs, ranked) = self.rank(&query, Search::Resolve);
        let top = *ranked.first()?;
        let lead = super::decide::lexical(&ranked).1;
        let weighed = self.evidence(&q, costs, &ranked);
        let entity = self.names[top.name as usize].entity;
        Some((entity, lead < self.margin, weighed))
    }
}

/// How a fuzzy answer for a name alone is weighed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Weighed {
    /// Under the calibration gate: confidence 0.
    Gated,
    /// By the model, from this evidence; `part_view` when the query names
    /// fewer parts than the name (see [`Inner::evidence`]).
    Calibrated { evidence: Evidence, part_view: bool },
}

/// The probability that an answer with this evidence is right, by the
/// embedded model.
pub(crate) fn probability(evidence: &Evidence) -> f32 {
    model().probability(&evidence.features())
}

/// Parses the embedded model, if no resolver of this process has yet: a
/// resolver's build, not its first fuzzy answer, pays for it (about 7M
/// instructions, a few milliseconds).
pub(super) fn parse_model() {
    model();
}

fn model() -> &'static Model {
    static MODEL_PARSED: OnceLock<Model> = OnceLock::new();
    // The model is part of the crate and a test parses it: a failure here
    // is a build defect, not an input error.
    MODEL_PARSED.get_or_init(|| Model::parse(MODEL).expect("data/calibration.txt is well-formed"))
}

/// A node of a regression tree: a split (`x[feature] <= threshold` goes
/// to `left`) or a leaf (read as `feature == LEAF`, the value in
/// `threshold`; see [`Model::nodes`]).
#[derive(Clone, Copy, Debug)]
struct Node {
    feature: u8,
    threshold: f32,
    left: u32,
    right: u32,
}

const LEAF: u8 = u8::MAX;

/// A sum of regression trees in log-odds, from a constant start.
#[derive(Debug)]
struct Model {
    base: f32,
    /// The trees' nodes. Once parsed, a leaf is its own child both ways,
    /// so that a walk that reaches it stays there.
    nodes: Vec<Node>,
    roots: Vec<u32>,
    /// Per group of [`TREES_WALKED_TOGETHER`] trees (in `roots` order),
    /// the depth of its deepest leaf: the steps that take every walk of
    /// the group to its leaf.
    group_depths: Vec<u32>,
}

/// Trees walked step by step side by side: each step of one walk waits
/// on the node it loads, so the walks of several trees overlap, and
/// each walks its tree's depth with no branch on where it went (walked
/// one by one, each tree's path length was a mispredicted loop exit).
/// Twenty-fifth session, scale-dev's first 3,000 queries at 1M, one
/// thread, the two ways timed query by query in one process (the order
/// alternating): the whole query 2.8% and 3.1% faster in two runs, the
/// answers byte-identical. Eight is enough walks to cover a load's
/// latency; other counts were not measured.
const TREES_WALKED_TOGETHER: usize = 8;

/// The deepest a tree may be: far deeper than any the fitter grows (16
/// leaves, at most 10 deep in the embedded model), and a model whose
/// children loop is refused at this depth rather than walked forever.
const MAX_TREE_DEPTH: u32 = 64;

impl Model {
    fn probability(&self, x: &[f32; FEATURES.len()]) -> f32 {
        let mut log_odds = self.base;
        for (roots, &depth) in (self.roots.chunks(TREES_WALKED_TOGETHER)).zip(&self.group_depths) {
            let mut at = [0u32; TREES_WALKED_TOGETHER];
            let at = &mut at[..roots.len()];
            at.copy_from_slice(roots);
            for _ in 0..depth {
                for node in at.iter_mut() {
                    let n = self.nodes[*node as usize];
                    *node = if x[usize::from(n.feature)] <= n.threshold {
                        n.left
                    } else {
                        n.right
                    };
                }
            }
            // The leaves in tree order, as they were always summed.
            for &leaf in at.iter() {
                log_odds += self.nodes[leaf as usize].threshold;
            }
        }
        1.0 / (1.0 + (-log_odds).exp())
    }

    /// Reads the model file: `features` (must be [`FEATURES`]), `base`,
    /// then per tree a `tree` line and its nodes in order, `split FEATURE
    /// THRESHOLD LEFT RIGHT` (children numbered within the tree) or `leaf
    /// VALUE`.
    fn parse(text: &str) -> Result<Model, String> {
        let mut model = Model {
            base: 0.0,
            nodes: Vec::new(),
            roots: Vec::new(),
            group_depths: Vec::new(),
        };
        let mut features_seen = false;
        for (n, line) in data_lines(text).enumerate() {
            let err = |what: &str| format!("line {} of the model: {what}: {line}", n + 1);
            let fields: Vec<&str> = line.split_whitespace().collect();
            let num = |i: usize| -> Result<f32, String> {
                fields
                    .get(i)
                    .and_then(|f| f.parse::<f32>().ok())
                    .ok_or_else(|| err("bad number"))
            };
            let tree_root = model.roots.last().copied().unwrap_or(0);
            let child = |i: usize| -> Result<u32, String> {
                let c: u32 = fields
                    .get(i)
                    .and_then(|f| f.parse().ok())
                    .ok_or_else(|| err("bad child"))?;
                Ok(tree_root + c)
            };
            match fields.first().copied() {
                Some("features") => {
                    if fields[1..] != FEATURES {
                        return Err(err("features differ from the library's"));
                    }
                    features_seen = true;
                }
                Some("base") => model.base = num(1)?,
                Some("tree") => model.roots.push(model.nodes.len() as u32),
                Some("split") if !model.roots.is_empty() => {
                    let feature: u8 = fields
                        .get(1)
                        .and_then(|f| f.parse().ok())
                        .filter(|&f: &u8| usize::from(f) < FEATURES.len())
                        .ok_or_else(|| err("bad feature"))?;
                    model.nodes.push(Node {
                        feature,
                        threshold: num(2)?,
                        left: child(3)?,
                        right: child(4)?,
                    });
                }
                Some("leaf") if !model.roots.is_empty() => model.nodes.push(Node {
                    feature: LEAF,
                    threshold: num(1)?,
                    left: 0,
                    right: 0,
                }),
                _ => return Err(err("unknown line")),
            }
        }
        if !features_seen || model.roots.is_empty() {
            return Err("the model has no features line or no trees".into());
        }
        // Every child is a node: evaluation cannot index out of bounds.
        let len = model.nodes.len() as u32;
        if (model.nodes.iter()).any(|n| n.feature != LEAF && (n.left >= len || n.right >= len)) {
            return Err("a child is out of range".into());
        }
        let depths = (model.roots.iter())
            .map(|&root| model.depth(root, 0))
            .collect::<Result<Vec<u32>, String>>()?;
        model.group_depths = (depths.chunks(TREES_WALKED_TOGETHER))
            .map(|group| group.iter().copied().max().unwrap_or(0))
            .collect();
        for (i, node) in model.nodes.iter_mut().enumerate() {
            if node.feature == LEAF {
                // (Feature 0 for the step that reads it and stays.)
                (node.feature, node.left, node.right) = (0, i as u32, i as u32);
            }
        }
        Ok(model)
    }

    /// The depth of the deepest leaf under `node`, at depth `above`.
    fn depth(&self, node: u32, above: u32) -> Result<u32, String> {
        if above > MAX_TREE_DEPTH {
            return Err(format!(
                "a tree is deeper than {MAX_TREE_DEPTH} (do its children loop?)"
            ));
        }
        let n = self.nodes[node as usize];
        if n.feature == LEAF {
            return Ok(above);
        }
        Ok(self
            .depth(n.left, above + 1)?
            .max(self.depth(n.right, above + 1)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(similarity: f32, runner_up: f32, worst_edit: f32) -> Evidence {
        Evidence {
            similarity,
            runner_up,
            rivals: 1.0,
            query_symbols: 8.0,
            name_symbols: 8.0,
            query_parts: 1.0,
            name_parts: 1.0,
            edits: 1.0,
            edit_cost: worst_edit,
            worst_edit,
            opening_cost: 0.0,
            ending_cost: worst_edit,
        }
    }

    #[test]
    fn the_embedded_model_parses_and_gives_probabilities() {
        let m = model();
        assert!(m.roots.len() >= 10, "{} trees", m.roots.len());
        for e in [
            evidence(0.95, 0.5, 0.3),
            evidence(0.8, 0.79, 1.5),
            evidence(0.7, 0.0, 0.0),
        ] {
            let p = probability(&e);
            assert!((0.0..=1.0).contains(&p), "{p}");
        }
    }

    #[test]
    fn a_close_name_with_no_rival_is_likelier_right_than_one_with_a_rival_just_behind() {
        let alone = probability(&evidence(0.93, 0.5, 0.4));
        let crowded = probability(&evidence(0.93, 0.92, 0.4));
        assert!(alone > crowded, "{alone} vs {crowded}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// The embedded model honours the fit's monotone constraints: a
        /// closer spelling, a farther runner-up, fewer rivals and cheaper
        /// edits never make an answer less sure (a refit without the
        /// constraints fails here).
        #[test]
        fn the_model_is_monotone_where_the_fit_constrains_it(
            similarity in 0.6f32..1.0,
            lead in 0.0f32..0.2,
            rivals in 0u8..16,
            symbols in 2u8..30,
            parts in 1u8..4,
            edits in 0u8..8,
            cost in 0.0f32..6.0,
            worst in 0.0f32..1.5,
            bump in 0.0f32..0.3,
        ) {
            let e = Evidence {
                similarity,
                runner_up: similarity - lead,
                rivals: f32::from(rivals),
                query_symbols: f32::from(symbols),
                name_symbols: f32::from(symbols),
                query_parts: f32::from(parts),
                name_parts: f32::from(parts),
                edits: f32::from(edits),
                edit_cost: cost,
                worst_edit: worst,
                opening_cost: 0.0,
                ending_cost: 0.0,
            };
            let p = probability(&e);
            let more_sure = [
                Evidence { similarity: similarity + bump, ..e },
                Evidence { runner_up: e.runner_up - bump, ..e },
                Evidence { rivals: (e.rivals - 1.0).max(0.0), ..e },
                Evidence { edit_cost: (cost - bump).max(0.0), ..e },
                Evidence { worst_edit: (worst - bump).max(0.0), ..e },
            ];
            for better in more_sure {
                proptest::prop_assert!(probability(&better) >= p, "{better:?} vs {e:?}");
            }
        }
    }

    #[test]
    fn bad_model_files_are_errors() {
        let head = format!("features {}\nbase 0\n", FEATURES.join(" "));
        for bad in [
            String::new(),
            head.clone(),
            format!("{head}tree\nsplit 0 0.5 1 9\nleaf 1\nleaf 2\n"),
            format!("{head}tree\nsplit 99 0.5 1 2\nleaf 1\nleaf 2\n"),
            format!("{head}leaf 1\n"),
            "features a b\nbase 0\ntree\nleaf 1\n".to_owned(),
            // A split that is its own child, and two that are each other's.
            format!("{head}tree\nsplit 0 0.5 0 1\nleaf 1\n"),
            format!("{head}tree\nsplit 0 0.5 1 2\nsplit 1 0.5 0 2\nleaf 1\n"),
        ] {
            assert!(Model::parse(&bad).is_err(), "{bad}");
        }
        let good = format!("{head}tree\nsplit 0 0.5 1 2\nleaf 1\nleaf -1\n");
        let m = Model::parse(&good).unwrap();
        let mut x = [0.0; FEATURES.len()];
        assert!(m.probability(&x) > 0.5);
        x[0] = 0.9;
        assert!(m.probability(&x) < 0.5);
    }

    /// The log-odds of walking each tree of `m` alone, node by node until
    /// a leaf (a node that is its own child), summed in tree order.
    fn walked_one_by_one(m: &Model, x: &[f32; FEATURES.len()]) -> f32 {
        let mut log_odds = m.base;
        for &root in &m.roots {
            let mut at = root;
            loop {
                let n = m.nodes[at as usize];
                let next = if x[usize::from(n.feature)] <= n.threshold {
                    n.left
                } else {
                    n.right
                };
                if next == at {
                    break;
                }
                at = next;
            }
            log_odds += m.nodes[at as usize].threshold;
        }
        1.0 / (1.0 + (-log_odds).exp())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            crate::proptest_cases(256),
        ))]
        /// Walking the trees side by side, each group for its deepest
        /// leaf's depth, ends every walk at its leaf: the same float as
        /// walking them one by one (the embedded model's 150 trees, 10
        /// deep at most, end in a group of 6). Features anywhere in and
        /// around the thresholds' ranges, NaN included (it goes right).
        #[test]
        fn trees_walked_together_give_what_each_walk_gives(
            x in proptest::array::uniform12(proptest::prop_oneof![
                8 => -2.0f32..40.0,
                1 => proptest::strategy::Just(f32::NAN),
            ]),
        ) {
            let m = model();
            proptest::prop_assert_eq!(m.probability(&x).to_bits(), walked_one_by_one(m, &x).to_bits());
        }
    }
}
