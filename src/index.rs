//! Candidate generation: which keys the fuzzy core verifies for a query.
//!
//! A key's *coarse form* keeps only its consonants, folded to eleven classes
//! that transliteration conventions swap freely (b/p; f/v/w; c/k/q/g/gh/kh/x;
//! s/z; sh/zh/ch/ts/dž; d/t; l; r; m; n), with vowels, `h`, `j` and repeats
//! dropped: *Araghchi*, *Aragushi* and *Araguchi* all become `R K C`. The
//! index maps every coarse form, and every form with one class deleted
//! (a SymSpell-style deletion neighbourhood), to the keys that have it. A
//! query probes its own coarse form and its one-deletion forms, so it meets
//! every key within one inserted or deleted consonant class, or one
//! substituted class, of it.
//!
//! This trades recall for speed: a variant that differs from its name by
//! two consonant classes or more is not verified. The exhaustive search
//! (`ResolverBuilder::exhaustive(true)`) verifies every key; the resolve
//! bench and `examples/index_recall.rs` measure what the index loses.

use crate::score::{symbol_char, CostModel, Symbols, MAX_SYMBOLS};

/// The shortest coarse form a deletion may leave.
const MIN_FORM: usize = 1;

/// Classes deleted from a key's coarse form in the index: one keeps the
/// index at a handful of entries per key.
const KEY_DELETIONS: usize = 1;
/// Classes deleted from the query's coarse form when probing: two, so that
/// with the key's one a query meets keys up to three class edits away in
/// one direction, and a substitution plus an insertion in the other.
const QUERY_DELETIONS: usize = 2;

/// A coarse form: class bytes.
type Coarse = Vec<u8>;

/// The consonant class of a symbol, or `None` for symbols dropped.
fn class(symbol: u8) -> Option<u8> {
    Some(match symbol_char(symbol) {
        'b' | 'p' => b'B',
        'f' | 'v' | 'w' => b'F',
        'c' | 'k' | 'q' | 'g' | 'x' | 'G' | 'H' => b'K',
        's' | 'z' => b'S',
        'S' | 'Z' | 'C' | 'J' | 'T' => b'C',
        'd' | 't' => b'T',
        'l' => b'L',
        'r' => b'R',
        'm' => b'M',
        'n' => b'N',
        _ => return None, // vowels, h, j, y
    })
}

fn coarse(symbols: &[u8]) -> Coarse {
    let mut out: Coarse = Vec::with_capacity(symbols.len().min(MAX_SYMBOLS));
    for &s in symbols.iter().take(MAX_SYMBOLS) {
        if let Some(c) = class(s) {
            if out.last() != Some(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// FNV-1a over the class bytes, with the length mixed in.
fn hash(c: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ c.len() as u64;
    for &b in c {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Appends the hashes of `c` and of every form with up to `depth` classes
/// deleted.
fn deletions(c: &[u8], depth: usize, out: &mut Vec<u64>) {
    out.push(hash(c));
    // Deleting from a form of MIN_FORM classes or fewer would make forms
    // that half the table shares (`L` for Ali, Li, Lee, Eli): short names
    // meet only on their full form.
    if depth == 0 || c.len() <= MIN_FORM {
        return;
    }
    let mut buf = Vec::with_capacity(c.len());
    for i in 0..c.len() {
        // Deleting one of a run of equal neighbours gives the same form.
        if i > 0 && c[i] == c[i - 1] {
            continue;
        }
        buf.clear();
        buf.extend_from_slice(&c[..i]);
        buf.extend_from_slice(&c[i + 1..]);
        deletions(&buf, depth - 1, out);
    }
}

/// The deletion neighbourhood of a symbol string and of its stems (the
/// string without each alternating ending it has), hashed and
/// deduplicated.
fn neighbourhood(symbols: &[u8], costs: &CostModel, depth: usize, out: &mut Vec<u64>) {
    out.clear();
    deletions(&coarse(symbols), depth, out);
    for stem in costs.stems(symbols) {
        deletions(&coarse(stem), depth, out);
    }
    out.sort_unstable();
    out.dedup();
}

/// Sorted (hash, key) pairs: 12 bytes per entry, a handful per key.
#[derive(Debug, Default)]
pub(crate) struct CoarseIndex {
    entries: Vec<(u64, u32)>,
}

impl CoarseIndex {
    pub(crate) fn build<'a>(
        keys: impl Iterator<Item = &'a Symbols>,
        costs: &CostModel,
    ) -> CoarseIndex {
        let mut entries = Vec::new();
        let mut hashes = Vec::new();
        for (k, symbols) in keys.enumerate() {
            neighbourhood(symbols, costs, KEY_DELETIONS, &mut hashes);
            entries.extend(hashes.iter().map(|&h| (h, k as u32)));
        }
        entries.sort_unstable();
        entries.shrink_to_fit();
        CoarseIndex { entries }
    }

    /// Appends to `out` every key whose neighbourhood meets the query's;
    /// `out` may hold a key more than once.
    pub(crate) fn candidates(&self, query: &[u8], costs: &CostModel, out: &mut Vec<u32>) {
        let mut hashes = Vec::new();
        neighbourhood(query, costs, QUERY_DELETIONS, &mut hashes);
        for h in hashes {
            let start = self.entries.partition_point(|&(e, _)| e < h);
            out.extend(
                self.entries[start..]
                    .iter()
                    .take_while(|&&(e, _)| e == h)
                    .map(|&(_, k)| k),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Rewriter;

    fn show(folded: &str) -> String {
        let r = Rewriter::from_rules(crate::score::DEFAULT_REWRITE);
        String::from_utf8(coarse(&r.rewrite(folded))).unwrap()
    }

    #[test]
    fn variants_share_a_coarse_form() {
        assert_eq!(show("araghchi"), "RKC");
        assert_eq!(show("aragushi"), "RKC");
        assert_eq!(show("araguchi"), "RKC");
        assert_eq!(show("khamenei"), show("xamenei"));
        assert_eq!(show("kotschew"), show("kotsjev"));
    }

    #[test]
    fn one_class_apart_is_found() {
        let r = Rewriter::from_rules(crate::score::DEFAULT_REWRITE);
        let keys: Vec<Symbols> = ["araghchi", "trump", "zelensky"]
            .iter()
            .map(|k| r.rewrite(k))
            .collect();
        let costs = CostModel::embedded(&r);
        let index = CoarseIndex::build(keys.iter(), &costs);
        let mut out = Vec::new();
        index.candidates(&r.rewrite("arakchin"), &costs, &mut out); // one class more
        assert!(out.contains(&0));
        out.clear();
        index.candidates(&r.rewrite("zelenskyy"), &costs, &mut out);
        assert!(out.contains(&2) && !out.contains(&1));
    }
}
