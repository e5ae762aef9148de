//! Step 4: the weighted edit distance (`crate::score`) between the query,
//! whole and by parts, and the candidate keys of a [`Batch`], under a
//! floor. Every comparison goes through [`Verifier::similarity`], which
//! compares each key spelling with each query slot at most once per floor.

use super::aggregate::KeyHit;
use super::candidates::Batch;
use super::model::{Inner, Key};
use super::query::{PreparedQuery, QueryForm};
use crate::score::{CostModel, EndingMask};

/// Compares one prepared query with the keys of one batch, remembering
/// what each comparison found: a comparison that exited under one floor
/// need not be made again under a higher one.
pub(super) struct Verifier<'v> {
    costs: &'v CostModel,
    /// The resolver's ending masks, by `Key::endings`.
    masks: &'v [EndingMask],
    batch: &'v Batch<'v>,
    pub(super) query: &'v PreparedQuery<'v>,
    /// Per form and query slot: NaN, not compared; in [0, 1], the
    /// similarity; `-1 - f`, under `f`.
    known: Vec<f32>,
    /// The hits of the name being scored (kept to spare an allocation per
    /// name).
    hits: Vec<KeyHit>,
}

impl<'v> Verifier<'v> {
    pub(super) fn new(
        costs: &'v CostModel,
        masks: &'v [EndingMask],
        batch: &'v Batch<'v>,
        query: &'v PreparedQuery<'v>,
    ) -> Verifier<'v> {
        Verifier {
            costs,
            masks,
            batch,
            query,
            known: vec![f32::NAN; batch.forms as usize * query.slots()],
            hits: Vec::new(),
        }
    }

    /// The similarity of `key` (spelled as `form`) to query slot `slot`
    /// (0: the whole query, 1 + i: part i), if it is `floor` or more.
    pub(super) fn similarity(
        &mut self,
        key: &Key,
        form: u32,
        slot: usize,
        floor: f32,
    ) -> Option<f32> {
        let known = &mut self.known[form as usize * self.query.slots() + slot];
        if *known >= 0.0 {
            return (*known >= floor).then_some(*known);
        }
        if *known <= -1.0 && floor >= -1.0 - *known {
            return None;
        }
        let symbols = self.batch.key_symbols(key);
        let endings = self.masks[usize::from(key.endings)];
        let sim = (self.costs).similarity_prepared(self.query.slot(slot), symbols, endings, floor);
        *known = sim.unwrap_or(-1.0 - floor);
        sim
    }

    /// The score of the name whose keys are `keys` (one run of the batch),
    /// or `None` when no comparison reached its floor: the comparisons
    /// [`Inner::aggregate`] uses, at the query's floors. A one-part query
    /// is compared with every key. A many-part query's parts are compared
    /// with the part keys (and the whole key of a one-part name), and the
    /// whole query with the whole keys; the whole query against a part
    /// key, or a part against the whole of a many-part name, is never
    /// aggregated, so it is never made.
    pub(super) fn score_name(
        &mut self,
        inner: &Inner,
        q: &QueryForm,
        keys: &[(Key, u32)],
    ) -> Option<f32> {
        self.hits.clear();
        let name = &inner.names[keys[0].0.name as usize];
        if !self.query.multi_part() {
            for (key, form) in keys {
                if let Some(sim) = self.similarity(key, *form, 0, self.query.whole_floor) {
                    self.hits.push((None, key.part(), sim));
                }
            }
            return (!self.hits.is_empty()).then(|| inner.score(q, name, &self.hits));
        }
        for (key, form) in keys.iter().filter(|(k, _)| k.meets_parts()) {
            for i in 0..self.query.parts.len() {
                if let Some(sim) = self.similarity(key, *form, 1 + i, self.query.part_floor) {
                    self.hits.push((Some(i as u8), key.part(), sim));
                }
            }
        }
        // The aggregate takes the larger of the parts' score and the whole
        // name's match, so the parts are scored first and the whole name
        // compared only as far as it could beat them: held to the parts'
        // score rather than the whole-name floor, its comparison exits
        // sooner (300 scale-dev queries at 1M, instructions in
        // `resolve_with`: 397.9M -> 394.5M; a whole name that loses to the
        // parts mostly loses narrowly, so its table is filled nearly to
        // the end either way). The floor is let down by far more than
        // float rounding, so that a whole name that beats the parts is
        // never lost to it; the larger of the two is taken either way.
        let parts = (!self.hits.is_empty()).then(|| inner.score(q, name, &self.hits));
        let floor = parts.map_or(self.query.whole_floor, |p| {
            (p - WHOLE_AGAINST_PARTS_SLACK).max(self.query.whole_floor)
        });
        let mut best = parts;
        for (key, form) in keys.iter().filter(|(k, _)| k.part().is_none()) {
            if let Some(sim) = self.similarity(key, *form, 0, floor) {
                best = Some(best.map_or(sim, |b| b.max(sim)));
            }
        }
        best
    }
}

/// How far under the parts' score a whole-name comparison is still made
/// (see [`Verifier::score_name`]): far above the float rounding of a
/// similarity (a few units in the seventh digit), far below any
/// difference a score is read at.
const WHOLE_AGAINST_PARTS_SLACK: f32 = 1e-5;

impl Inner {
    /// Similarity of two symbol strings under `costs`, without a floor:
    /// for explanations and replacements, off the hot path.
    pub(super) fn similarity_of(&self, costs: &CostModel, a: &[u8], b: &[u8]) -> f32 {
        let ending = |s: &[u8]| -> EndingMask { costs.ending_mask(s) };
        (costs.similarity(a, ending(a), b, ending(b), 0.0)).unwrap_or(0.0)
    }

    /// Similarity of two folded parts (no floor), under the Latin costs.
    pub(crate) fn part_similarity(&self, a: &str, b: &str) -> f32 {
        let (a, b) = (self.rewriter.rewrite(a), self.rewriter.rewrite(b));
        self.similarity_of(&self.costs, &a, &b)
    }
}
