//! Candidate generation's second way in: the names that spell a query part
//! exactly as the query does.
//!
//! The coarse index (`crate::index`) meets a name through the skeletons of
//! its parts. At a million names a part's skeleton is shared by thousands
//! of keys, so when one part of a query is spelled right and the other is
//! respelled beyond the index's reach, the right name is met only through
//! that common skeleton, among thousands, and its few votes rank it past
//! the names verified. The exact spelling is far rarer than its skeleton:
//! a *block* (the names that spell one part exactly so) holds a few
//! hundred names where the skeleton holds thousands.
//!
//! Within a block, each name carries the consonant classes of its other
//! parts (nine bits: which of the index's consonant classes they spell), so that
//! the block is narrowed without reading a key: a transliteration keeps
//! most of a part's consonant classes (*Tunematu* swaps one class of
//! *Tsunematsu*'s three for another, *Ajar* lacks one of *Azhar*'s two),
//! while another person's part differs in most of them. A common part's
//! block holds thousands of names: the nearest few hundred are taken,
//! nearest first ([`Block::nearest`]).

use crate::index::{consonant_classes, hash as spelling_hash};
use crate::sort::sort_spread;

/// The names that spell each part exactly as they do, by the hash of the
/// part's symbols, each with the consonant classes of its other parts.
#[derive(Debug, Default)]
pub(crate) struct PartBlocks {
    /// The distinct hashes of the parts' symbols, sorted: one per block.
    /// Parts repeat (scale-dev's million names spell 12,069 distinct
    /// parts), so this is small enough to stay in cache, where one hash per
    /// entry made a block's search a dozen cache misses.
    hashes: Vec<u32>,
    /// Where each block's entries start, and one more start at the end.
    starts: Vec<u32>,
    /// Per entry, the name (within one block, ascending among names with
    /// the same other classes).
    names: Vec<u32>,
    /// Per entry, [`consonant_classes`] of the name's other parts
    /// (ascending within one block).
    others: Vec<u16>,
}

/// The consonant classes of every part but `part`, of a name or a query
/// whose parts spell `classes` (what a block's name and a query are
/// compared on).
pub(crate) fn other_classes(classes: &[u16], part: usize) -> u16 {
    (classes.iter().enumerate())
        .filter(|&(j, _)| j != part)
        .fold(0, |set, (_, &c)| set | c)
}

/// One block: the entries of one part's spelling.
pub(crate) struct Block<'b> {
    names: &'b [u32],
    others: &'b [u16],
}

impl Block<'_> {
    /// How many names spell the part so.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// At most `limit` names of the block whose other parts' consonant
    /// classes differ from `others` in at most `within` classes (added or
    /// missing): the least different, the lower ids first among equals;
    /// in no particular order. A block lists its names by their other
    /// classes, so a distance is counted once a run of names that share
    /// them, and a common part's block of thousands of names is a few
    /// hundred runs: the runs within reach found, their names counted by
    /// distance, then the names under the distance where `limit` is
    /// reached taken, and the lowest ids of those at it. (Listed by id, a
    /// block's distances were counted name by name, twice: 300 scale-dev
    /// queries at 1M, instructions in `resolve_with`: 385.7M -> 379.8M,
    /// this function 11.7M -> 5.8M.)
    pub(crate) fn nearest(&self, others: u16, within: u32, limit: usize) -> Vec<u32> {
        // Nine classes: a distance is at most 16 bits' worth.
        let within = (within as usize).min(16);
        let runs = self.runs_within(others, within);
        let mut count = [0usize; 17];
        for run in &runs {
            count[run.distance] += run.end - run.start;
        }
        // The distance at which the limit is reached, and how many names
        // at it still fit (past `within`, none).
        let (mut cut, mut room) = (within + 1, 0);
        let mut taken = 0;
        for (d, &n) in count[..=within].iter().enumerate() {
            if taken + n >= limit {
                (cut, room) = (d, limit - taken);
                break;
            }
            taken += n;
        }
        let mut names = Vec::with_capacity(limit.min(self.names.len()));
        let mut at_cut = Vec::new();
        for run in &runs {
            let run_names = &self.names[run.start..run.end];
            if run.distance < cut {
                names.extend_from_slice(run_names);
            } else if run.distance == cut {
                at_cut.extend_from_slice(run_names);
            }
        }
        if at_cut.len() > room {
            at_cut.select_nth_unstable(room);
            at_cut.truncate(room);
        }
        names.extend(at_cut);
        names
    }

    /// The runs of names with the same other classes (the block's order)
    /// whose classes differ from `others` in at most `within`.
    fn runs_within(&self, others: u16, within: usize) -> Vec<Run> {
        let mut runs = Vec::new();
        let mut start = 0;
        while start < self.others.len() {
            let end = start + run_length(&self.others[start..]);
            let distance = class_distance(self.others[start] ^ others);
            if distance <= within {
                runs.push(Run {
                    start,
                    end,
                    distance,
                });
            }
            start = end;
        }
        runs
    }
}

/// Names of a block that share their other classes, at
/// `start..end` of the block, and those classes' distance from a query's.
struct Run {
    start: usize,
    end: usize,
    distance: usize,
}

/// How many of the leading values of `sorted` (ascending, not empty)
/// equal the first: probed at doubling steps, then the last step searched,
/// so that a run of one costs one comparison and a run of thousands a few
/// dozen.
fn run_length(sorted: &[u16]) -> usize {
    let first = sorted[0];
    // `sorted[..alike]` all equal `first`; the next probe is `step` on.
    let (mut alike, mut step) = (1, 1);
    loop {
        let probe = alike + step - 1;
        if probe >= sorted.len() || sorted[probe] != first {
            break;
        }
        alike = probe + 1;
        step *= 2;
    }
    let unsure = (alike + step - 1).min(sorted.len());
    alike + sorted[alike..unsure].partition_point(|&o| o == first)
}

/// The bits set in each byte.
const BITS_IN_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).count_ones() as u8;
        b += 1;
    }
    table
};

/// The bits set in `x`: how many classes two sets of consonant classes
/// differ in, given their exclusive or. Two table reads, where
/// `count_ones` is a dozen shifts and masks on the x86-64 baseline, which
/// has no `popcnt` (a library cannot ask for it, and asking at run time
/// takes `unsafe`). Counted once a run of a block now; when blocks were
/// listed by id, twice a name, and a common part's block holds thousands:
/// 300 scale-dev queries at 1M, instructions in `resolve_with`: 393.2M ->
/// 385.7M (`Block::nearest` 19.2M -> 11.7M).
#[inline(always)]
fn class_distance(x: u16) -> usize {
    let [low, high] = x.to_le_bytes();
    usize::from(BITS_IN_BYTE[usize::from(low)] + BITS_IN_BYTE[usize::from(high)])
}

impl PartBlocks {
    /// The blocks of `names`: each name as the symbols of its parts (a
    /// name of one part has no block: it is met whole).
    pub(crate) fn build<'a, N, P>(names: N) -> PartBlocks
    where
        N: Iterator<Item = (u32, P)>,
        P: Iterator<Item = &'a [u8]> + Clone,
    {
        let mut entries: Vec<(u32, u16, u32)> = Vec::new();
        // (Kept between names: a million names made a vector each.)
        let mut classes: Vec<u16> = Vec::new();
        for (name, parts) in names {
            classes.clear();
            classes.extend(parts.clone().map(consonant_classes));
            if classes.len() < 2 {
                continue;
            }
            for (i, part) in parts.enumerate() {
                entries.push((spelling_hash(part), other_classes(&classes, i), name));
            }
        }
        // Sorted by hash, then other classes (a block lists its names by
        // them, for `Block::nearest`), then name: most blocks are one or
        // two names, so a comparison sort over the whole list was a
        // sixteenth of a build (200,000 of scale-dev's entities). Each
        // entry sorts as one integer: as a tuple, whose blocks tie on the
        // hash and their classes often, the build took 1.9% more
        // instructions.
        let joined = |&(hash, others, name): &(u32, u16, u32)| {
            u128::from(hash) << 64 | u128::from(others) << 32 | u128::from(name)
        };
        let mut entries = sort_spread(&entries, joined, |&e| (e >> 64) as u32);
        entries.dedup();
        let hash = |e: u128| (e >> 64) as u32;
        let (mut hashes, mut starts) = (Vec::new(), Vec::new());
        for (at, &e) in entries.iter().enumerate() {
            if hashes.last() != Some(&hash(e)) {
                hashes.push(hash(e));
                starts.push(at as u32);
            }
        }
        starts.push(entries.len() as u32);
        PartBlocks {
            hashes,
            starts,
            names: entries.iter().map(|&e| e as u32).collect(),
            others: entries.iter().map(|&e| (e >> 32) as u16).collect(),
        }
    }

    /// The block of the names that have a part spelled `symbols` (hash
    /// collisions add names that verification rejects).
    pub(crate) fn block(&self, symbols: &[u8]) -> Block<'_> {
        let (from, to) = match self.hashes.binary_search(&spelling_hash(symbols)) {
            Ok(block) => (self.starts[block] as usize, self.starts[block + 1] as usize),
            Err(_) => (0, 0),
        };
        Block {
            names: &self.names[from..to],
            others: &self.others[from..to],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbols(s: &str) -> Vec<u8> {
        crate::score::Rewriter::from_rules(crate::score::DEFAULT_REWRITE).rewrite(s)
    }

    #[test]
    fn a_block_holds_the_names_that_spell_the_part_and_narrows_by_the_others() {
        let names = [
            ["tunematu", "kopysc"],
            ["ivana", "kopysc"],
            ["tunematu", "novak"],
        ];
        let spelled: Vec<Vec<Vec<u8>>> = (names.iter())
            .map(|n| n.iter().map(|p| symbols(p)).collect())
            .collect();
        let blocks = PartBlocks::build(
            (0u32..)
                .zip(&spelled)
                .map(|(id, parts)| (id, parts.iter().map(Vec::as_slice))),
        );
        let block = blocks.block(&symbols("kopysc"));
        assert_eq!(block.len(), 2);
        let tsunematsu = consonant_classes(&symbols("tsunematsu"));
        assert_eq!(block.nearest(tsunematsu, 2, 2), [0]);
        assert_eq!(block.nearest(tsunematsu, 16, 1), [0]);
        let mut both = block.nearest(tsunematsu, 16, 2);
        both.sort_unstable();
        assert_eq!(both, [0, 1]);
        assert_eq!(block.nearest(tsunematsu, 16, 0), [0u32; 0]);
        assert_eq!(blocks.block(&symbols("tunematu")).len(), 2);
        assert_eq!(blocks.block(&symbols("kopysk")).len(), 0);
    }

    #[test]
    fn class_distance_counts_the_bits_of_every_u16() {
        for x in 0..=u16::MAX {
            assert_eq!(class_distance(x), x.count_ones() as usize, "{x:#x}");
        }
    }

    /// Every (query classes, distance, limit) the next test tries.
    fn nearest_cases() -> impl Iterator<Item = (u16, u32, usize)> {
        [0u16, 0x3ff, 0b1010_0110, 0x155].into_iter().flat_map(|q| {
            [0u32, 2, 5, 16]
                .into_iter()
                .flat_map(move |w| [0usize, 1, 17, 100, 299, 300, 1000].map(move |l| (q, w, l)))
        })
    }

    #[test]
    fn nearest_takes_the_least_distant_names_then_the_lower_ids() {
        // Blocks of pseudo-random names and other classes, few or many
        // classes alike (runs of one to hundreds), against the obvious
        // way: sort by (distance, id), take.
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u32
        };
        for (size, classes) in [(300, 0x3ff), (300, 0x1f), (1000, 0x3), (1, 0x3ff), (0, 0)] {
            let mut entries: Vec<(u16, u32)> = (0..size)
                .map(|_| ((next() & classes) as u16, next() % 100_000))
                .collect();
            entries.sort_unstable();
            entries.dedup_by_key(|e| e.1);
            let others: Vec<u16> = entries.iter().map(|e| e.0).collect();
            let names: Vec<u32> = entries.iter().map(|e| e.1).collect();
            let block = Block {
                names: &names,
                others: &others,
            };
            for (query, within, limit) in nearest_cases() {
                let distance = |o: u16| (o ^ query).count_ones();
                let mut expected: Vec<(u32, u32)> = (names.iter().zip(&others))
                    .map(|(&n, &o)| (distance(o), n))
                    .filter(|&(d, _)| d <= within)
                    .collect();
                expected.sort_unstable();
                let mut expected: Vec<u32> = expected.iter().take(limit).map(|e| e.1).collect();
                expected.sort_unstable();
                let mut got = block.nearest(query, within, limit);
                got.sort_unstable();
                assert_eq!(got, expected, "{size} {query:#x} {within} {limit}");
            }
        }
    }

    #[test]
    fn run_length_counts_the_leading_equal_values() {
        for len in 1..70 {
            for alike in 1..=len {
                let sorted: Vec<u16> = (0..len).map(|i| u16::from(i >= alike) * 9).collect();
                assert_eq!(run_length(&sorted), alike, "{len} {alike}");
            }
        }
    }
}
