//! Exact lookup of table names by their folded form, and by their folded
//! form without spaces (`khorram shahr` meets `khorramshahr`).
//!
//! A map from owned strings to id lists cost about 180 bytes per name; this
//! keeps the folded names back to back in one string and two open-addressing
//! tables of (hash tag, name id), about 55 bytes per name, and a lookup
//! still touches one or two slots and compares one string.

/// A slot: the high 32 bits of the key's hash, and the name id
/// (`EMPTY` for a free slot).
type Slot = (u32, u32);

const EMPTY: u32 = u32::MAX;

#[derive(Debug, Default)]
pub(crate) struct ExactIndex {
    /// The folded names, back to back.
    text: String,
    /// Name i is `text[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
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

fn insert(slots: &mut [Slot], h: u64, id: u32) {
    let mask = slots.len() - 1;
    let mut i = (h as usize) & mask;
    while slots[i].1 != EMPTY {
        i = (i + 1) & mask;
    }
    slots[i] = ((h >> 32) as u32, id);
}

impl ExactIndex {
    /// Indexes folded names; name ids are their positions.
    #[cfg(test)]
    pub(crate) fn build<'a>(folded_names: impl Iterator<Item = &'a str>) -> ExactIndex {
        let mut index = ExactIndex::default();
        for name in folded_names {
            index.push(name);
        }
        index.finish();
        index
    }

    /// Adds the next name (its id is the number of names before it); the
    /// index answers lookups after [`ExactIndex::finish`].
    pub(crate) fn push(&mut self, folded: &str) {
        self.starts.push(self.text.len());
        self.text.push_str(folded);
    }

    /// Builds the lookup tables over the names pushed.
    pub(crate) fn finish(&mut self) {
        self.starts.push(self.text.len());
        self.text.shrink_to_fit();
        self.starts.shrink_to_fit();
        let names = self.starts.len() - 1;
        // At most half full, so that probe runs stay short.
        let size = (2 * names).max(2).next_power_of_two();
        let (mut folded, mut compact) = (vec![(0, EMPTY); size], vec![(0, EMPTY); size]);
        for id in 0..names as u32 {
            let name = self.name(id);
            insert(&mut folded, hash(name, false), id);
            insert(&mut compact, hash(name, true), id);
        }
        (self.folded, self.compact) = (folded, compact);
    }

    fn name(&self, id: u32) -> &str {
        let i = id as usize;
        &self.text[self.starts[i]..self.starts[i + 1]]
    }

    /// Ids of the names whose folded form is `folded`, ascending.
    pub(crate) fn folded(&self, folded: &str) -> Vec<u32> {
        self.find(&self.folded, hash(folded, false), |name| name == folded)
    }

    /// Ids of the names whose folded form without spaces is `compact` (a
    /// string without spaces), ascending.
    pub(crate) fn compact(&self, compact: &str) -> Vec<u32> {
        self.find(&self.compact, hash(compact, true), |name| {
            name.bytes().filter(|&b| b != b' ').eq(compact.bytes())
        })
    }

    fn find(&self, slots: &[Slot], h: u64, matches: impl Fn(&str) -> bool) -> Vec<u32> {
        let mut out = Vec::new();
        if slots.is_empty() {
            return out;
        }
        let mask = slots.len() - 1;
        let tag = (h >> 32) as u32;
        let mut i = (h as usize) & mask;
        while slots[i].1 != EMPTY {
            let (t, id) = slots[i];
            if t == tag && matches(self.name(id)) {
                out.push(id);
            }
            i = (i + 1) & mask;
        }
        // Probe order is slot order; callers rely on table order.
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let index = ExactIndex::build(names.iter().copied());
        assert_eq!(index.folded("kyiv"), [0, 3]);
        assert_eq!(index.folded("kiev"), [1]);
        assert_eq!(index.folded("kyi"), Vec::<u32>::new());
        assert_eq!(index.folded(""), [5]);
        assert_eq!(index.compact("khorramshahr4"), [2, 4]);
        assert_eq!(index.compact("ab"), [6]);
        assert_eq!(index.compact("a"), Vec::<u32>::new());
        for n in 0..300u32 {
            // Many names: every one is found under its own form.
            let names: Vec<String> = (0..n).map(|i| format!("name {i}")).collect();
            let index = ExactIndex::build(names.iter().map(String::as_str));
            for (i, name) in names.iter().enumerate() {
                assert_eq!(index.folded(name), [i as u32]);
                assert_eq!(index.compact(&name.replace(' ', "")), [i as u32]);
            }
        }
        assert!(ExactIndex::default().folded("x").is_empty());
    }
}
