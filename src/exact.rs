//! Exact lookup of table names by their folded form, and by their folded
//! form without spaces (`khorram shahr` meets `khorramshahr`).
//!
//! A map from owned strings to id lists cost about 180 bytes per name. This
//! keeps two open-addressing tables of (hash tag, name id), 16 bytes a slot
//! pair, 70% full: about 23 bytes per name. The folded names are
//! not kept: a slot whose tag matches is confirmed by folding the table's
//! own name again (the caller's `folded_name`), which a lookup does only
//! for a name it finds, or, once in billions of lookups, a colliding one.

/// A slot: the high 32 bits of the key's hash, and the name id
/// (`EMPTY` for a free slot).
type Slot = (u32, u32);

const EMPTY: u32 = u32::MAX;

#[derive(Debug, Default)]
pub(crate) struct ExactIndex {
    /// Per name pushed and not yet indexed, the hashes of its folded form
    /// with and without spaces (empty once [`ExactIndex::finish`]ed).
    pending: Vec<(u64, u64)>,
    /// By hash of the folded name.
    folded: Vec<Slot>,
    /// By hash of the folded name without spaces.
    compact: Vec<Slot>,
}

/// FNV-1a over the bytes that are not spaces when `skip_spaces`.
fn hash(s: &str, skip_spaces: bool) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes().filter(|&b| !(skip_spaces && b == b' ')) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Mix the high bits down: the table index uses the low ones.
    h ^ (h >> 29)
}

/// The slot a hash starts probing at: its low 32 bits scaled to the
/// table's size (any size, not only powers of two).
fn home(h: u64, size: usize) -> usize {
    (((h & 0xffff_ffff) * size as u64) >> 32) as usize
}

/// The slot probed after slot `i` (linear probing, wrapping around).
fn next(i: usize, size: usize) -> usize {
    if i + 1 == size {
        0
    } else {
        i + 1
    }
}

fn insert(slots: &mut [Slot], h: u64, id: u32) {
    let mut i = home(h, slots.len());
    while slots[i].1 != EMPTY {
        i = next(i, slots.len());
    }
    slots[i] = ((h >> 32) as u32, id);
}

impl ExactIndex {
    /// Adds the next name, folded (its id is the number of names before
    /// it); the index answers lookups after [`ExactIndex::finish`].
    pub(crate) fn push(&mut self, folded: &str) {
        self.pending.push((hash(folded, false), hash(folded, true)));
    }

    /// Builds the lookup tables over the names pushed.
    pub(crate) fn finish(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        // At most 70% full: a lookup that finds nothing (most of scan's)
        // reads about six slots, 48 bytes, where half full read two and a
        // half in a table rounded up to a power of two, a third larger.
        let size = (pending.len() * 10 / 7 + 1).max(2);
        let (mut folded, mut compact) = (vec![(0, EMPTY); size], vec![(0, EMPTY); size]);
        for (id, &(with_spaces, without)) in (0u32..).zip(&pending) {
            insert(&mut folded, with_spaces, id);
            insert(&mut compact, without, id);
        }
        (self.folded, self.compact) = (folded, compact);
    }

    /// Ids of the names whose folded form is `folded`, ascending;
    /// `folded_name` gives a name's folded form by id (as it was pushed).
    pub(crate) fn folded<F, S>(&self, folded: &str, folded_name: F) -> Vec<u32>
    where
        F: Fn(u32) -> S,
        S: AsRef<str>,
    {
        self.find(&self.folded, hash(folded, false), |id| {
            folded_name(id).as_ref() == folded
        })
    }

    /// Ids of the names whose folded form without spaces is `compact` (a
    /// string without spaces), ascending; `folded_name` as for
    /// [`ExactIndex::folded`].
    pub(crate) fn compact<F, S>(&self, compact: &str, folded_name: F) -> Vec<u32>
    where
        F: Fn(u32) -> S,
        S: AsRef<str>,
    {
        self.find(&self.compact, hash(compact, true), |id| {
            (folded_name(id).as_ref().bytes())
                .filter(|&b| b != b' ')
                .eq(compact.bytes())
        })
    }

    fn find(&self, slots: &[Slot], h: u64, matches: impl Fn(u32) -> bool) -> Vec<u32> {
        let mut out = Vec::new();
        if slots.is_empty() {
            return out;
        }
        let tag = (h >> 32) as u32;
        let mut i = home(h, slots.len());
        while slots[i].1 != EMPTY {
            let (t, id) = slots[i];
            if t == tag && matches(id) {
                out.push(id);
            }
            i = next(i, slots.len());
        }
        // Probe order is slot order; callers rely on table order.
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(names: &[&str]) -> ExactIndex {
        let mut index = ExactIndex::default();
        for name in names {
            index.push(name);
        }
        index.finish();
        index
    }

    #[test]
    fn finds_every_name_and_only_equal_ones() {
        let names = [
            "kyiv",
            "kiev",
            "khorram shahr 4",
            "kyiv",
            "khorramshahr 4",
            "",
            "a b",
        ];
        let index = build(&names);
        let name = |id: u32| names[id as usize];
        assert_eq!(index.folded("kyiv", name), [0, 3]);
        assert_eq!(index.folded("kiev", name), [1]);
        assert_eq!(index.folded("kyi", name), Vec::<u32>::new());
        assert_eq!(index.folded("", name), [5]);
        assert_eq!(index.compact("khorramshahr4", name), [2, 4]);
        assert_eq!(index.compact("ab", name), [6]);
        assert_eq!(index.compact("a", name), Vec::<u32>::new());
        for n in 0..300u32 {
            // Many names: every one is found under its own form.
            let names: Vec<String> = (0..n).map(|i| format!("name {i}")).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let index = build(&refs);
            let name = |id: u32| refs[id as usize];
            for (i, n) in refs.iter().enumerate() {
                assert_eq!(index.folded(n, name), [i as u32]);
                assert_eq!(index.compact(&n.replace(' ', ""), name), [i as u32]);
            }
        }
        assert!(ExactIndex::default().folded("x", |_| "x").is_empty());
    }

    /// A slot whose tag matches is still compared: names that the index
    /// cannot tell apart by hash are told apart by the names themselves.
    #[test]
    fn a_name_that_is_not_the_one_asked_is_never_returned() {
        let index = build(&["kyiv", "kiev"]);
        // The caller's names differ from what was pushed: nothing matches.
        assert!(index.folded("kyiv", |_| "other").is_empty());
        assert!(index.compact("kyiv", |_| "other").is_empty());
    }
}
