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
    batch: &'v Batch,
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
        batch: &'v Batch,
        query: &'v PreparedQuery<'v>,
    ) -> Verifier<'v> {
        Verifier {
            costs,
            masks,
            batch,
            query,
            known: vec![f32::NAN; batch.forms.len() * query.slots()],
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
        let symbols = self.batch.form_symbols(key, form);
        let endings = self.masks[usize::from(key.endings)];
        let sim = (self.costs).similarity_prepared(self.query.slot(slot), symbols, endings, floor);
        *known = sim.unwrap_or(-1.0 - floor);
        sim
    }

    /// The comparisons of one key that [`Inner::aggregate`] uses, at the
    /// query's floors: the whole query with a whole key; with a many-part
    /// query, each part with the part keys (and the whole key of a
    /// one-part name). The whole query against a part key, or a part
    /// against the whole of a many-part name, is never aggregated, so it
    /// is never made.
    fn key_hits(&mut self, key: &Key, form: u32) {
        let multi = self.query.multi_part();
        if !multi || key.part().is_none() {
            if let Some(sim) = self.similarity(key, form, 0, self.query.whole_floor) {
                self.hits.push((None, key.part(), sim));
            }
        }
        if multi && key.meets_parts() {
            for i in 0..self.query.parts.len() {
                if let Some(sim) = self.similarity(key, form, 1 + i, self.query.part_floor) {
                    self.hits.push((Some(i as u8), key.part(), sim));
                }
            }
        }
    }

    /// The score of the name whose keys are `keys` (one run of the batch),
    /// or `None` when no comparison reached its floor.
    pub(super) fn score_name(
        &mut self,
        inner: &Inner,
        q: &QueryForm,
        keys: &[(Key, u32)],
    ) -> Option<f32> {
        self.hits.clear();
        for (key, form) in keys {
            self.key_hits(key, *form);
        }
        if self.hits.is_empty() {
            return None;
        }
        let name = &inner.names[keys[0].0.name as usize];
        Some(inner.aggregate(q, name, &self.hits, false).0)
    }
}

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
