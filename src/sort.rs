//! Sorting the build's large lists: spread into buckets by the top bits of
//! their keys, then each bucket sorted where it lies, in cache.
//!
//! The build sorts lists of millions of entries keyed by a hash: the
//! candidate index's (hash, id) entries and the part blocks' (hash, other
//! classes, name), each joined into one integer. A hash spreads them
//! evenly, so one counting pass and one moving pass leave buckets of a few
//! dozen to a few hundred entries, which a comparison sort orders in
//! cache. The result is the comparison sort's over the whole list.

/// The top bits that choose an entry's bucket: 65,536 buckets, so that a
/// million names' 12 million index entries make buckets of about 180,
/// and the buckets' starts are a 512 KiB table, about a second-level
/// cache.
const BUCKET_BITS: u32 = 16;

/// Below this many entries, fewer than one a bucket, the bucket table
/// would cost more than it spares: one comparison sort over all of them.
const SPREAD_FROM: usize = 1 << BUCKET_BITS;

/// `items`, each made a `T` by `make`, sorted (as `sort_unstable` sorts
/// them); `top` gives for each `T` the top [`BUCKET_BITS`] bits of a
/// 32-bit key that orders them as they sort: one whose key's top bits are
/// lower sorts first. (Made as they are moved, so that a list of another
/// type is not copied whole first: a million names' index entries are
/// 100 MB.)
pub(crate) fn sort_spread<S, T: Ord + Copy>(
    items: &[S],
    make: impl Fn(&S) -> T,
    top: impl Fn(&T) -> u32,
) -> Vec<T> {
    if items.len() < SPREAD_FROM {
        let mut sorted: Vec<T> = items.iter().map(make).collect();
        sorted.sort_unstable();
        return sorted;
    }
    let bucket = |item: &T| (top(item) >> (32 - BUCKET_BITS)) as usize;
    let mut starts = vec![0usize; (1 << BUCKET_BITS) + 1];
    for item in items {
        starts[bucket(&make(item)) + 1] += 1;
    }
    for b in 0..1 << BUCKET_BITS {
        starts[b + 1] += starts[b];
    }
    let mut next = starts.clone();
    // Filled with the first item, each place then written once.
    let mut sorted = vec![make(&items[0]); items.len()];
    for item in items {
        let item = make(item);
        let b = bucket(&item);
        sorted[next[b]] = item;
        next[b] += 1;
    }
    for b in 0..1 << BUCKET_BITS {
        sorted[starts[b]..starts[b + 1]].sort_unstable();
    }
    sorted
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Random (hash, id) pairs, a third with hashes of few values (long
    /// runs of one bucket and one hash), and repeats.
    pub(crate) fn random_entries(n: usize) -> Vec<(u32, u32)> {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut entries: Vec<(u32, u32)> = (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let hash = (x >> 32) as u32 & if i % 3 == 0 { 0xFF } else { u32::MAX };
                (hash, x as u32)
            })
            .collect();
        entries.extend_from_within(..n.min(1000));
        entries
    }

    #[test]
    fn spread_sort_is_one_comparison_sort() {
        for n in [0, 1, 5, SPREAD_FROM - 1, SPREAD_FROM, 200_000] {
            let entries = random_entries(n);
            let mut expected = entries.clone();
            expected.sort_unstable();
            assert_eq!(sort_spread(&entries, |&e| e, |e| e.0), expected, "{n}");
        }
    }
}
