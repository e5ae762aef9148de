//! The bounded searches: only the names that can change what the caller
//! reads are scored. Each name is first *bounded* (can it reach the level
//! that counts?) with comparisons that exit early, and scored in full only
//! if it can. Scan's search reads a span's outcome (text is mostly spans
//! that are no name: they stop at the bound); `resolve`'s reads the
//! ranking its decision and its answer show.

use super::aggregate::{OTHER_PART_ONLY, SURNAME_ONLY};
use super::decide::{similarity_floor, within_lead_cap, LEAD_CAP};
use super::model::{Inner, Key};
use super::query::QueryForm;
use super::search::NameScore;
use super::verify::Verifier;

/// How far below its levels the decisive search bounds names, so that
/// float rounding can never make it drop a name that counts: far above
/// f32 rounding of sums of a dozen terms in [0, 1], far below any
/// difference the decision sees (the margin is 0.01).
const DECISIVE_SLACK: f32 = 1e-3;

/// The query parts as the bound weighs them: by length, as
/// [`Inner::aggregate`] does, tried longest first.
struct PartWeights {
    weights: Vec<f32>,
    total: f32,
    longest_first: Vec<usize>,
}

impl PartWeights {
    fn new(q: &QueryForm) -> PartWeights {
        let weights: Vec<f32> = q
            .part_symbols
            .iter()
            .map(|p| p.len().max(1) as f32)
            .collect();
        let mut longest_first: Vec<usize> = (0..weights.len()).collect();
        longest_first.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
        PartWeights {
            total: weights.iter().sum(),
            weights,
            longest_first,
        }
    }
}

/// One decisive search: the query, its verifier and the scores computed.
struct Decisive<'a, 'v> {
    inner: &'a Inner,
    q: &'a QueryForm,
    verifier: Verifier<'v>,
    weights: PartWeights,
}

impl<'a, 'v> Decisive<'a, 'v> {
    fn new(inner: &'a Inner, q: &'a QueryForm, verifier: Verifier<'v>) -> Decisive<'a, 'v> {
        Decisive {
            inner,
            q,
            verifier,
            weights: PartWeights::new(q),
        }
    }

    /// The score of the name of `keys` if the bound lets it reach `bound`
    /// and it scores `floor` or more; a score once computed is kept in
    /// `scored`.
    fn score_reaching(
        &mut self,
        keys: &[(Key, u32)],
        bound: f32,
        floor: f32,
        scored: &mut Option<f32>,
    ) -> Option<f32> {
        if !self.may_reach(keys, bound) {
            return None;
        }
        let (inner, q) = (self.inner, self.q);
        let s =
            *scored.get_or_insert_with(|| self.verifier.score_name(inner, q, keys).unwrap_or(0.0));
        (s >= floor).then_some(s)
    }

    /// Whether the name whose keys are `keys` may score `floor` or more: an
    /// upper bound on [`Inner::aggregate`], which takes the larger of the
    /// whole-name match and the part matches. A lone query part is scaled
    /// by [`SURNAME_ONLY`] or [`OTHER_PART_ONLY`]; the parts of a many-part
    /// query are averaged by length, each at its best over the name's parts
    /// (at most what the assignment gives it), counting only from the part
    /// floor, and asked before the whole name (see [`Decisive::parts_reach`]).
    fn may_reach(&mut self, keys: &[(Key, u32)], floor: f32) -> bool {
        let name = &self.inner.names[keys[0].0.name as usize];
        let n_parts = usize::from(name.n_parts).max(1);
        let v = &mut self.verifier;
        if !v.query.multi_part() {
            return keys.iter().any(|(key, form)| {
                let factor = match key.part() {
                    None => 1.0,
                    Some(j) if usize::from(j) + 1 == n_parts && name.personal => SURNAME_ONLY,
                    Some(_) => OTHER_PART_ONLY,
                };
                floor <= factor && v.similarity(key, *form, 0, floor / factor).is_some()
            });
        }
        // The parts first: a name they let through is scored in full, and
        // its whole-name comparison made once, at the query's floor; asked
        // here first at this higher level, a failing whole was compared
        // again in full (a tenth of the whole-name comparisons of 300
        // scale-dev queries at 1M). Either way the answer is the same.
        self.parts_reach(keys, floor)
            || (keys.iter())
                .filter(|(k, _)| k.part().is_none())
                .any(|(key, form)| self.verifier.similarity(key, *form, 0, floor).is_some())
    }

    /// The parts' half of [`Decisive::may_reach`] for a many-part query:
    /// whether the query's parts, each at its best over the name's parts,
    /// may average `floor` or more. Parts are tried longest first, each
    /// asked only for the level it needs given the rest, so that
    /// comparisons exit early.
    fn parts_reach(&mut self, keys: &[(Key, u32)], floor: f32) -> bool {
        let v = &mut self.verifier;
        let w = &self.weights;
        let part_floor = v.query.part_floor;
        let mut reached = 0.0;
        let mut rest = w.total;
        for &i in &w.longest_first {
            let weight = w.weights[i];
            rest -= weight;
            // What this part must reach if every later one matched fully;
            // a part under the part floor counts nothing.
            let needed = (floor * w.total - reached - rest) / weight;
            if needed <= 0.0 {
                return true;
            }
            let needed = needed.max(part_floor);
            let mut part_best: Option<f32> = None;
            for (key, form) in keys.iter().filter(|(k, _)| k.meets_parts()) {
                let level = part_best.map_or(needed, |b| b.max(needed));
                if let Some(sim) = v.similarity(key, *form, 1 + i, level) {
                    part_best = Some(part_best.map_or(sim, |b| b.max(sim)));
                }
            }
            match part_best {
                Some(b) => reached += weight * b,
                None => return false,
            }
        }
        reached >= floor * w.total
    }
}

impl Inner {
    /// Scan's search: the names that can decide the outcome, with the
    /// scores [`Inner::aggregate`] gives them, best first; none when no
    /// name reaches the lowest best that can resolve (or `at_least`).
    ///
    /// A name that cannot score within [`LEAD_CAP`] of the best cannot
    /// change the confidence (the lead is capped), so names are first
    /// bounded against the level that would count, and only the survivors
    /// are scored in full.
    pub(super) fn score_decisive(
        &self,
        q: &QueryForm,
        verifier: Verifier<'_>,
        runs: &[&[(Key, u32)]],
        at_least: f32,
    ) -> Vec<NameScore> {
        let mut search = Decisive::new(self, q, verifier);
        let need = similarity_floor(self.threshold).max(at_least) - DECISIVE_SLACK;
        let mut scored: Vec<Option<f32>> = vec![None; runs.len()];
        // First a name that reaches `need` (the batch holds the best-voted
        // names first)...
        let first = (runs.iter().zip(&mut scored))
            .find_map(|(run, scored)| search.score_reaching(run, need, need, scored));
        let Some(mut best) = first else {
            return Vec::new();
        };
        // ...then every name within the lead cap of the best.
        let mut scores = Vec::new();
        for (run, scored) in runs.iter().zip(&mut scored) {
            let floor = best - LEAD_CAP - DECISIVE_SLACK;
            if let Some(score) = search.score_reaching(run, floor, floor, scored) {
                best = best.max(score);
                scores.push(NameScore {
                    name: run[0].0.name,
                    score,
                });
            }
        }
        scores.retain(|s| within_lead_cap(best, s.score));
        scores
    }

    /// `resolve`'s search: every name that can change the ranking the
    /// decision reads, with the scores [`Inner::aggregate`] gives them. The
    /// decision reads the best name and the names within [`LEAD_CAP`] of
    /// it (the runner-up it reports, the rivals the calibration counts,
    /// the ambiguous candidates; a rival further behind changes none of
    /// them, the lead being capped): a name that cannot reach the best's
    /// score less the cap is bounded against that level and scored only if
    /// it can reach it. The list is the full search's, cut at that level:
    /// every name at or above it, no name below.
    ///
    /// Until the twenty-first session the level was the lower of that and
    /// the runner-up's score, so that a runner-up however far behind was
    /// reported; 300 scale-dev queries at 1M (callgrind on
    /// `resolve_with`): 314.5M -> 281.3M instructions, answers and
    /// confidences unchanged.
    pub(super) fn score_ranking(
        &self,
        q: &QueryForm,
        verifier: Verifier<'_>,
        runs: &[&[(Key, u32)]],
    ) -> Vec<NameScore> {
        let mut search = Decisive::new(self, q, verifier);
        // Nothing bounds the first name scored.
        let mut best = f32::NEG_INFINITY;
        let mut scores = Vec::new();
        for run in runs {
            let bound = best - LEAD_CAP - DECISIVE_SLACK;
            if bound > 0.0 && !search.may_reach(run, bound) {
                continue;
            }
            let Some(score) = search.verifier.score_name(self, q, run) else {
                continue;
            };
            best = best.max(score);
            scores.push(NameScore {
                name: run[0].0.name,
                score,
            });
        }
        scores.retain(|s| within_lead_cap(best, s.score));
        scores
    }

    /// Every name of `runs` that scores `floor` or more, with its score.
    pub(super) fn score_at_least(
        &self,
        q: &QueryForm,
        verifier: Verifier<'_>,
        runs: &[&[(Key, u32)]],
        floor: f32,
    ) -> Vec<NameScore> {
        let mut search = Decisive::new(self, q, verifier);
        (runs.iter())
            .filter_map(|run| {
                let score = search.score_reaching(run, floor - DECISIVE_SLACK, floor, &mut None)?;
                Some(NameScore {
                    name: run[0].0.name,
                    score,
                })
            })
            .collect()
    }
}
