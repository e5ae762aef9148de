//! Steps 3 to 5 for one query: its candidate keys, verified and aggregated
//! into a score per name, as the caller's [`Search`] asks.

use super::calibrate::CALIBRATION_GATE;
use super::decide::{similarity_floor, LEAD_CAP};
use super::model::Inner;
use super::query::QueryForm;
use super::verify::Verifier;
use crate::score::CostModel;

/// Similarity below which a query part is not retrieved. Looser than the
/// decision floor for whole names: one weak part of a many-part query (a
/// shortened given name, `Yadol` for `Yadollah`) can sit beside strong
/// ones, and the length-weighted alignment decides. Its value predates the
/// fitted costs and has not been swept since.
const PART_FLOOR: f32 = 0.6;

/// How a fuzzy search runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Search<'e> {
    /// `resolve`: the index above `AUTO_EXHAUSTIVE_KEYS` keys, every key
    /// below; every name within reach that can change the ranking scored
    /// (see `Inner::score_ranking`), so that even an unknown query says
    /// what came closest.
    Resolve,
    /// [`Search::Resolve`] with every name within reach scored: the
    /// reference its ranking search is tested against.
    #[cfg(test)]
    Every,
    /// Text scanning: always the index (most spans are no name at all),
    /// and only the names that can decide the outcome scored (see
    /// `Inner::score_decisive`): an unknown span is dropped anyway. A best
    /// under `at_least` is unknown too: the caller has a span that such a
    /// best cannot beat.
    Scan {
        /// The lowest best similarity that the caller can use.
        at_least: f32,
    },
    /// Scan's context pass: only the names of `entities` (sorted), and of
    /// those only the ones that score `floor` or more.
    Within {
        /// Entity indexes, sorted.
        entities: &'e [u32],
        /// The lowest score that counts.
        floor: f32,
    },
}

/// Score of one name for a query, as aggregated from its key matches.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NameScore {
    pub(crate) name: u32,
    pub(crate) score: f32,
}

impl Inner {
    /// Scores the names the fuzzy core reaches from the query, best first
    /// (then by name id).
    pub(super) fn score_names(
        &self,
        q: &QueryForm,
        costs: &CostModel,
        search: Search<'_>,
    ) -> Vec<NameScore> {
        let Some(&q_digits) = self.digit_ids.get(&q.digits) else {
            // No table name has these numbers: nothing can match.
            return Vec::new();
        };
        // A single-part query only counts if it can reach the decision range
        // (a part match is scaled by at most SURNAME_ONLY); parts of a
        // multi-part query are retrieved down to PART_FLOOR.
        // Rivals are retrieved down to LEAD_CAP below the lowest acceptable
        // best, so that every lead that counts is measured; for `resolve`,
        // whose calibrated answers are weighed from the calibration gate
        // up, below the gate's best.
        let decision_floor = match search {
            Search::Within { floor, .. } => floor,
            Search::Scan { .. } => (similarity_floor(self.threshold) - LEAD_CAP).max(0.0),
            // Resolve, and in tests its reference.
            _ => {
                let lowest = self.threshold.min(CALIBRATION_GATE);
                (similarity_floor(lowest) - LEAD_CAP).max(0.0)
            }
        };
        let whole_floor = if q.multi_part() {
            decision_floor.min(PART_FLOOR)
        } else {
            decision_floor
        };
        let part_floor = decision_floor.min(PART_FLOOR);
        let entities = match search {
            Search::Within { entities, .. } => Some(entities),
            _ => None,
        };
        let exhaustive =
            self.exhaustive && !matches!(search, Search::Scan { .. } | Search::Within { .. });
        let candidates = self.candidate_keys(q, costs, entities, exhaustive);
        let batch = self.gather(&candidates, q_digits);
        let prepared = q.prepare(costs, whole_floor, part_floor);
        let verifier = Verifier::new(costs, &self.ending_masks, &batch, &prepared);
        // At most one run a key: room made once, not grown run by run.
        let mut runs = Vec::with_capacity(batch.keys.len());
        runs.extend(batch.runs());
        let mut scores = match search {
            Search::Scan { at_least } => self.score_decisive(q, verifier, &runs, at_least),
            Search::Within { floor, .. } => self.score_at_least(q, verifier, &runs, floor),
            Search::Resolve => self.score_ranking(q, verifier, &runs),
            #[cfg(test)]
            Search::Every => {
                let mut verifier = verifier;
                (runs.iter())
                    .filter_map(|run| {
                        let score = verifier.score_name(self, q, run)?;
                        Some(NameScore {
                            name: run[0].0.name,
                            score,
                        })
                    })
                    .collect()
            }
        };
        scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.name.cmp(&b.name)));
        scores
    }
}
