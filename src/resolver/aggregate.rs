//! Step 5: the key matches of one name combined into its score: the
//! whole-name match, or the query's parts aligned with the name's.

use super::model::{Inner, Name};
use super::query::QueryForm;

/// Score factor for a query that names only one part of a multi-part name:
/// the family name (`Araghchi` for `Abbas Araghchi`) keeps most of its score,
/// so that it resolves when no other entity has that name, while a full-name
/// match always ranks above it. 0.97 keeps an exact surname (1.0 -> 0.97)
/// above the default threshold's similarity floor with room for one cheap
/// edit, and below any full-name match that is not weaker.
pub(super) const SURNAME_ONLY: f32 = 0.97;
/// Score factor for a single-part query matching a part other than the last
/// one: a given name alone (`Abbas`, `Mohammad`) is shared by thousands of
/// people. An exact given name alone scores 0.6, a confidence of at most
/// (0.6 + 0.3) / 1.3 = 0.69 with the full lead: under the default
/// threshold (0.80), so it never resolves alone at default settings.
pub(super) const OTHER_PART_ONLY: f32 = 0.6;
/// Penalty per part of the table name the query leaves out (middle names,
/// patronymics): small, since copy drops them all the time, but enough that
/// of two names holding the query's parts, the one with fewer parts left
/// out leads by more than the 0.01 margin. Capped at
/// [`MISSING_PARTS_CAP`] (three parts): a long Arabic or Spanish name
/// cited by two of its parts is still that name.
const MISSING_PART: f32 = 0.02;
const MISSING_PARTS_CAP: f32 = 0.06;
/// Penalty for query parts matched in another order than the name's: more
/// than the margin (0.01), so that of two names with the same parts the
/// one in the query's order wins; small, since `Busaidi, Badr` is common.
const CROSSED_PARTS: f32 = 0.03;

/// A key within reach of the query: (query part or `None` for the whole
/// query, key part or `None` for the whole name, similarity).
pub(super) type KeyHit = (Option<u8>, Option<u8>, f32);

/// A query part (`usize::MAX` for the whole query), the name part it was
/// aligned with, and their similarity.
pub(super) type PartAssignment = (usize, Option<usize>, f32);

/// The most parts of a query or a name that [`Inner::score`] aligns in
/// buffers on the stack (more are aligned on the heap): it runs for every
/// name scored, a few dozen a query at a million names, and made six
/// vectors each time (300 scale-dev queries at 1M, instructions in
/// `resolve_with`: 379.8M -> 369.9M).
const ON_STACK_PARTS: usize = 8;

/// The most key hits [`Inner::score`] pairs on the stack: a hit per query
/// part and name part, and room to spare for whole-name hits.
const ON_STACK_HITS: usize = ON_STACK_PARTS * ON_STACK_PARTS + ON_STACK_PARTS;

impl Inner {
    /// Combines the key matches of one name into its score; with `detail`,
    /// also the part assignment and notes for explanations (empty without).
    /// [`Inner::score`] gives the same score without the rest.
    pub(super) fn aggregate(
        &self,
        q: &QueryForm,
        name: &Name,
        hits: &[KeyHit],
        detail: bool,
    ) -> (f32, Vec<PartAssignment>, Vec<String>) {
        let whole = best_whole(hits);
        let (q_parts, n_parts) = part_counts(q, name);
        if q_parts == 1 && n_parts == 1 {
            return (whole, vec![(0, Some(0), whole)], Vec::new());
        }
        let mut q_used = vec![None; q_parts];
        let mut n_used = vec![false; n_parts];
        let mut pairs = vec![(0, 0, 0.0); hits.len()];
        let mut notes = Vec::new();
        let score = self.parts_score(
            q,
            name,
            hits,
            (&mut q_used, &mut n_used, &mut pairs),
            detail.then_some(&mut notes),
        );
        if whole >= score {
            return (whole, vec![(usize::MAX, None, whole)], Vec::new());
        }
        let assignment = q_used
            .iter()
            .enumerate()
            .map(|(i, u)| (i, u.map(|(j, _)| j), u.map_or(0.0, |(_, s)| s)))
            .collect();
        (score, assignment, notes)
    }

    /// [`Inner::aggregate`]'s score alone, for every name scored: the same
    /// float, its buffers on the stack.
    pub(super) fn score(&self, q: &QueryForm, name: &Name, hits: &[KeyHit]) -> f32 {
        let whole = best_whole(hits);
        let (q_parts, n_parts) = part_counts(q, name);
        if q_parts == 1 && n_parts == 1 {
            return whole;
        }
        let mut q_stack = [None; ON_STACK_PARTS];
        let mut n_stack = [false; ON_STACK_PARTS];
        let mut pairs_stack = [(0, 0, 0.0); ON_STACK_HITS];
        let (mut q_heap, mut n_heap, mut pairs_heap);
        let q_used = if q_parts <= ON_STACK_PARTS {
            &mut q_stack[..q_parts]
        } else {
            q_heap = vec![None; q_parts];
            &mut q_heap[..]
        };
        let n_used = if n_parts <= ON_STACK_PARTS {
            &mut n_stack[..n_parts]
        } else {
            n_heap = vec![false; n_parts];
            &mut n_heap[..]
        };
        let pairs = if hits.len() <= ON_STACK_HITS {
            &mut pairs_stack[..hits.len()]
        } else {
            pairs_heap = vec![(0, 0, 0.0); hits.len()];
            &mut pairs_heap[..]
        };
        let score = self.parts_score(q, name, hits, (q_used, n_used, pairs), None);
        if whole >= score {
            whole
        } else {
            score
        }
    }

    /// The score of the query's parts aligned with the name's (see
    /// [`align_parts`]), into `buffers`: for each query part its name part
    /// and similarity (all `None`), which name parts were used (all
    /// `false`), and room for a pair per hit.
    fn parts_score(
        &self,
        q: &QueryForm,
        name: &Name,
        hits: &[KeyHit],
        buffers: PartBuffers<'_>,
        notes: Option<&mut Vec<String>>,
    ) -> f32 {
        let (q_used, n_used, pairs) = buffers;
        align_parts(hits, q_used, n_used, pairs);
        // Query parts weigh by their length (one weight of 1 for a query
        // of no letter part).
        let weights = || {
            let lengths = q.part_symbols.iter().map(|s| s.len().max(1) as f32);
            lengths.chain(q.part_symbols.is_empty().then_some(1.0))
        };
        let total: f32 = weights().sum();
        let covered: f32 = q_used
            .iter()
            .zip(weights())
            .map(|(u, w)| u.map_or(0.0, |(_, s)| s * w))
            .sum::<f32>()
            / total;
        self.adjust(covered, q_used, n_used, name, notes)
    }

    /// The covered share of the query adjusted for how the parts lined
    /// up: for a one-part query, the surname or other-part factor; else
    /// missing name parts and parts out of order. With `notes`, says why,
    /// in words.
    fn adjust(
        &self,
        covered: f32,
        q_used: &[Option<(usize, f32)>],
        n_used: &[bool],
        name: &Name,
        mut notes: Option<&mut Vec<String>>,
    ) -> f32 {
        let n_parts = n_used.len();
        // Notes are written only when explaining: scoring runs for every
        // candidate and must not format strings.
        let mut note = |text: &dyn Fn() -> String| {
            if let Some(notes) = notes.as_mut() {
                notes.push(text());
            }
        };
        if q_used.len() == 1 {
            // Only people are named by one part (their family name); a lone
            // `Strait` or `Command` is not the Strait of Hormuz.
            let last = q_used[0].is_some_and(|(j, _)| j + 1 == n_parts) && name.personal;
            let factor = if last { SURNAME_ONLY } else { OTHER_PART_ONLY };
            let kind = if last {
                "family name"
            } else {
                "not a family name"
            };
            note(&|| format!("one part of a {n_parts}-part name (x{factor}: {kind})"));
            return covered * factor;
        }
        let mut score = covered;
        let missing = n_used.iter().filter(|u| !**u).count() as f32;
        if missing > 0.0 {
            let penalty = (missing * MISSING_PART).min(MISSING_PARTS_CAP);
            score -= penalty;
            note(&|| format!("{missing} name part(s) not in the query (-{penalty:.2})"));
        }
        // Parts matched out of order (`Busaidi, Badr`; Korean given names
        // `taek-ki` against `ki-taek`) count a little less than the same
        // parts in order, so that of two names with the same parts the one
        // in the query's order wins.
        let order = || q_used.iter().filter_map(|u| u.map(|(j, _)| j));
        let crossed = (order().enumerate()).any(|(i, a)| order().skip(i + 1).any(|b| b < a));
        if crossed {
            score -= CROSSED_PARTS;
            note(&|| format!("parts in another order (-{CROSSED_PARTS})"));
        }
        score
    }
}

/// The buffers [`Inner::parts_score`] aligns parts in: per query part,
/// its name part and similarity; per name part, whether it is used; a
/// pair per hit.
type PartBuffers<'b> = (
    &'b mut [Option<(usize, f32)>],
    &'b mut [bool],
    &'b mut [(usize, usize, f32)],
);

/// Aligns query parts with name parts, greedily by similarity (ties by
/// query part, then name part): writes for each query part its name part
/// and similarity into `q_used` (all `None`, one a query part), and which
/// name parts were used into `n_used` (all `false`, one a name part);
/// `pairs` is room for one (query part, name part, similarity) a hit.
fn align_parts(
    hits: &[KeyHit],
    q_used: &mut [Option<(usize, f32)>],
    n_used: &mut [bool],
    pairs: &mut [(usize, usize, f32)],
) {
    let (q_parts, n_parts) = (q_used.len(), n_used.len());
    // Part matrix: sim[i][j] for query part i, name part j.
    let mut count = 0;
    for &(qp, kp, sim) in hits {
        let i = match (qp, q_parts) {
            (Some(i), _) => usize::from(i),
            (None, 1) => 0,
            (None, _) => continue,
        };
        let j = match (kp, n_parts) {
            (Some(j), _) => usize::from(j),
            (None, 1) => 0,
            (None, _) => continue,
        };
        pairs[count] = (i, j, sim);
        count += 1;
    }
    let pairs = &mut pairs[..count];
    pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    for &mut (i, j, sim) in pairs {
        if q_used[i].is_none() && !n_used[j] {
            q_used[i] = Some((j, sim));
            n_used[j] = true;
        }
    }
}

/// The best whole-name match among `hits` (0 without one).
fn best_whole(hits: &[KeyHit]) -> f32 {
    (hits.iter())
        .filter(|(qp, kp, _)| qp.is_none() && kp.is_none())
        .map(|h| h.2)
        .fold(0.0f32, f32::max)
}

/// How many parts the query and the name have (at least one each).
fn part_counts(q: &QueryForm, name: &Name) -> (usize, usize) {
    (
        q.part_symbols.len().max(1),
        usize::from(name.n_parts).max(1),
    )
}
