//! The part index: a coarse index over the distinct spellings of name
//! parts, with each spelling's ids listed once.
//!
//! Parts repeat: at scale-dev's million names, 2.3 million part keys spell
//! 12,069 distinct parts (a given or family name is shared by a couple of
//! hundred names). Filing every key under each of its forms, as
//! [`CoarseIndex`] does for whole names, made 13 million entries (78 bytes
//! an alias) and half of the build's sorting. Here each spelling is filed
//! under its forms once, and the ids of each spelling are listed apart:
//! one id per part key.
//!
//! A posting here reads as the one-level index's would, id for id: the same
//! length, the same ids with the same fullness, the ids filed under deleted
//! forms before those filed under whole skeletons (so that a resolver's
//! votes add up to the same floats). An id two of whose spellings share a
//! form with one fullness (*Ivan Ivanov*: `F N` is a deleted form of both)
//! is counted there once, as the one-level index's deduplicated entries
//! have it; such forms are marked, and their readers count each id once
//! (`Posting::repeats`).

use foldhash::{HashMap, HashMapExt};

use super::{neighbourhood, CoarseIndex, Posting, QueryForms, FULL_KEY, KEY_DELETIONS};
use crate::score::CostModel;

/// The ids of each spelling.
#[derive(Debug, Default)]
pub(crate) struct Spelled {
    /// Per spelling, its ids, ascending.
    ids: Lists,
}

impl Spelled {
    /// The ids with spelling `spelling`, ascending.
    pub(super) fn ids(&self, spelling: u32) -> &[u32] {
        self.ids.list(spelling)
    }
}

/// Lists of numbers, one per index: `items[starts[i]..starts[i + 1]]`.
#[derive(Debug, Default)]
struct Lists {
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Lists {
    /// Lists of `n` indexes from (index, item) pairs sorted by item: each
    /// list in item order (a counting sort).
    fn from_pairs(n: usize, pairs: impl Iterator<Item = (u32, u32)> + Clone) -> Lists {
        let mut starts = vec![0u32; n + 1];
        for (i, _) in pairs.clone() {
            starts[i as usize + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut items = vec![0u32; starts[n] as usize];
        for (i, item) in pairs {
            items[next[i as usize] as usize] = item;
            next[i as usize] += 1;
        }
        Lists { starts, items }
    }

    fn list(&self, i: u32) -> &[u32] {
        let i = i as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&from), Some(&to)) => &self.items[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// Marks a form (in [`SpellingIndex::filed`]) under which some id is
/// reached through two of its spellings with one fullness.
const REPEATS: u32 = 1 << 31;

/// Forms to spellings to ids (see the module's documentation).
#[derive(Debug, Default)]
pub(crate) struct SpellingIndex {
    /// The spellings by form (entries are spelling numbers, with
    /// `FULL_KEY` when filed under the spelling's whole skeleton).
    forms: CoarseIndex,
    spelled: Spelled,
    /// At the first entry of each form in `forms`: how many ids its
    /// posting holds (each once per fullness), with [`REPEATS`] when its
    /// spellings repeat an id (read where the probe lands, not searched
    /// for).
    filed: Vec<u32>,
}

impl SpellingIndex {
    /// Indexes `(id, symbols)` pairs; an id may come more than once (the
    /// resolver files each name under all its part keys). Symbols given as
    /// the same slice (a spelling interned once in an arena, as the
    /// resolver's are) are one spelling; equal symbols in other slices
    /// make spellings of their own, which costs room, not exactness.
    pub(crate) fn build<'a>(
        keys: impl Iterator<Item = (u32, &'a [u8])>,
        costs: &CostModel,
    ) -> SpellingIndex {
        // Spellings numbered as first met, known by where their slice lies
        // (as `CoarseIndex::build` knows them).
        let mut number: HashMap<(usize, usize), u32> = HashMap::new();
        let mut spellings: Vec<&[u8]> = Vec::new();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (id, symbols) in keys {
            let at = (symbols.as_ptr() as usize, symbols.len());
            let spelling = *number.entry(at).or_insert_with(|| {
                spellings.push(symbols);
                spellings.len() as u32 - 1
            });
            pairs.push((id, spelling));
        }
        drop(number);
        // (id, spelling), each once. The resolver's ids come in order, so
        // only each id's few spellings need sorting: the whole list, whose
        // ids are in order but not their spellings, cost pdqsort a full
        // sort (two million pairs at scale-dev's million names).
        if pairs.is_sorted_by_key(|p| p.0) {
            for group in pairs.chunk_by_mut(|a, b| a.0 == b.0) {
                group.sort_unstable();
            }
        } else {
            pairs.sort_unstable();
        }
        pairs.dedup();
        // Each spelling's forms as `CoarseIndex::build` files them, each
        // with whether it is a whole skeleton: worked out once, for the
        // index of spellings and for the counts below.
        let (mut full, mut deleted) = (Vec::new(), Vec::new());
        let mut form_starts = Vec::with_capacity(spellings.len() + 1);
        let mut spelling_forms: Vec<(u32, bool)> = Vec::new();
        form_starts.push(0);
        for symbols in &spellings {
            neighbourhood(symbols, costs, KEY_DELETIONS, &mut full, &mut deleted, None);
            let start = spelling_forms.len();
            spelling_forms.extend(full.iter().map(|&h| (h, true)));
            spelling_forms.extend(deleted.iter().map(|&h| (h, false)));
            // Sorted, so that an id's two spellings are merged below, not
            // sorted together (once per spelling here, once per id there).
            spelling_forms[start..].sort_unstable();
            form_starts.push(spelling_forms.len());
        }
        let forms_of =
            |s: u32| &spelling_forms[form_starts[s as usize]..form_starts[s as usize + 1]];
        let forms = CoarseIndex::from_entries(
            (0..spellings.len() as u32)
                .flat_map(|s| {
                    (forms_of(s).iter())
                        .map(move |&(h, full)| (h, if full { s | FULL_KEY } else { s }))
                })
                .collect(),
        );
        // Each spelling's ids (the pairs are in id order).
        let spelled = Spelled {
            ids: Lists::from_pairs(spellings.len(), pairs.iter().map(|&(id, s)| (s, id))),
        };
        let count = |s: u32| spelled.ids(s).len() as u32;
        // How many ids each form files: its spellings' ids, less an id
        // counted again through another of its spellings of one fullness.
        let mut filed: HashMap<u32, u32> = HashMap::new();
        for s in 0..spellings.len() as u32 {
            for &(h, _) in forms_of(s) {
                *filed.entry(h).or_insert(0) += count(s);
            }
        }
        let mut met: Vec<(u32, bool)> = Vec::new();
        for group in pairs.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
            met.clear();
            if let [(_, s), (_, t)] = group {
                // Most names have two parts: their sorted forms merged.
                merge_sorted(forms_of(*s), forms_of(*t), &mut met);
            } else {
                for &(_, s) in group {
                    met.extend_from_slice(forms_of(s));
                }
                met.sort_unstable();
            }
            for twice in met.windows(2).filter(|w| w[0] == w[1]) {
                let total = filed
                    .get_mut(&twice[0].0)
                    .expect("a form of the id's spellings");
                *total = ((*total & !REPEATS) - 1) | REPEATS;
            }
        }
        let mut at_entries = vec![0u32; forms.ids.len()];
        for (h, total) in filed {
            at_entries[forms.posting_range(h).start] = total;
        }
        let filed = at_entries;
        SpellingIndex {
            forms,
            spelled,
            filed,
        }
    }

    /// Whether some id is filed under `hash`.
    pub(crate) fn files(&self, hash: u32) -> bool {
        self.forms.files(hash)
    }

    /// Appends to `out` the posting of every form in the query's
    /// neighbourhood that some spelling has, as [`CoarseIndex::postings`]
    /// does.
    pub(crate) fn postings<'i>(&'i self, query: &QueryForms, out: &mut Vec<Posting<'i>>) {
        self.forms.probe(query, |at, entries, full, deep| {
            let filed = self.filed[at];
            out.push(Posting {
                entries,
                spelled: Some(&self.spelled),
                len: (filed & !REPEATS) as usize,
                repeats: filed & REPEATS != 0,
                full,
                deep,
            });
        });
    }
}

/// Appends to `out` the elements of `a` and `b` (each sorted), in order.
fn merge_sorted<T: Copy + Ord>(a: &[T], b: &[T], out: &mut Vec<T>) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if b[j] < a[i] {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{Rewriter, Symbols};

    /// Names of two parts (a few of one, and one spelling a part twice)
    /// from a few parts that share skeletons and deleted forms, filed part
    /// by part in both indexes: every posting must read alike.
    #[test]
    fn postings_read_as_the_one_level_index_reads_them() {
        let r = Rewriter::from_rules(crate::score::DEFAULT_REWRITE);
        let costs = CostModel::embedded(&r);
        let parts = [
            "ivan", "ivanov", "ivanova", "anna", "annan", "novak", "nowak", "kim", "kowalski",
            "kowalska", "tanaka", "tanaku", "nakata", "li", "lee", "ali", "alieva",
        ];
        // Interned, as the resolver's are: one slice per spelling...
        let arena: Vec<Symbols> = parts.iter().map(|p| r.rewrite(p)).collect();
        // ...but for a few keys, an equal spelling in a slice of its own.
        let loose: Vec<Symbols> = arena.clone();
        let mut keys: Vec<(u32, &[u8])> = Vec::new();
        let mut x: u32 = 12345;
        let mut next = |n: usize| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as usize % n
        };
        for id in 0..1500u32 {
            let n_parts = if id % 50 == 0 { 1 } else { 2 };
            for _ in 0..n_parts {
                let p = next(parts.len());
                let symbols = if id % 7 == 0 { &loose[p] } else { &arena[p] };
                keys.push((id, symbols));
            }
        }
        keys.push((1500, &arena[7]));
        keys.push((1500, &arena[7]));
        let one_level = CoarseIndex::build(keys.iter().copied(), &costs);
        let two_level = SpellingIndex::build(keys.iter().copied(), &costs);
        let mut repeated = 0;
        for query in parts
            .iter()
            .chain(&["iwanow", "anan", "tanak", "kovalsky", "zzz"])
        {
            let forms = QueryForms::new(&r.rewrite(query), &costs);
            let (mut want, mut got) = (Vec::new(), Vec::new());
            one_level.postings(&forms, &mut want);
            two_level.postings(&forms, &mut got);
            assert_eq!(want.len(), got.len(), "{query}");
            for (w, g) in want.iter().zip(&got) {
                assert_eq!(w.len(), g.len(), "{query}");
                assert_eq!((w.full(), w.deep()), (g.full(), g.deep()));
                // The same ids, each id's deleted-form filing first (the
                // order its votes add up in); across ids, any order.
                let by_id = |p: &Posting<'_>| {
                    let mut ids = p.ids();
                    ids.sort_by_key(|&(id, _)| id);
                    ids
                };
                assert_eq!(by_id(w), by_id(g), "{query}");
                // An id given twice with one fullness only where the
                // posting says so (its reader counts it once).
                let mut given: Vec<(u32, bool)> = g
                    .runs()
                    .flat_map(|run| run.ids().collect::<Vec<_>>())
                    .collect();
                given.sort_unstable();
                let twice = given.windows(2).any(|w| w[0] == w[1]);
                assert!(!twice || g.repeats(), "{query}");
                repeated += usize::from(twice);
            }
        }
        // Some posting had an id reached through two of its spellings.
        assert!(repeated > 0);
    }
}
