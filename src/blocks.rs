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
//! parts (ten bits: which of the index's consonant classes they spell), so that
//! the block is narrowed without reading a key: a transliteration keeps
//! most of a part's consonant classes (*Tunematu* swaps one class of
//! *Tsunematsu*'s three for another, *Ajar* lacks one of *Azhar*'s two),
//! while another person's part differs in most of them.

use crate::index::{consonant_classes, hash as spelling_hash};

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
    /// Per entry, the name (ids ascending within one block).
    names: Vec<u32>,
    /// Per entry, [`consonant_classes`] of the name's other parts.
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

    /// The names of the block whose other parts' consonant classes differ
    /// from `others` in at most `distance` classes.
    pub(crate) fn near<'s>(&'s self, others: u16, distance: u32) -> impl Iterator<Item = u32> + 's {
        (self.names.iter().zip(self.others))
            .filter(move |&(_, &o)| (o ^ others).count_ones() <= distance)
            .map(|(&name, _)| name)
    }
}

impl PartBlocks {
    /// The blocks of `names`: each name as the symbols of its parts (a
    /// name of one part has no block: it is met whole).
    pub(crate) fn build<'a, N, P>(names: N) -> PartBlocks
    where
        N: Iterator<Item = (u32, P)>,
        P: Iterator<Item = &'a [u8]> + Clone,
    {
        let mut entries: Vec<(u32, u32, u16)> = Vec::new();
        // (Kept between names: a million names made a vector each.)
        let mut classes: Vec<u16> = Vec::new();
        for (name, parts) in names {
            classes.clear();
            classes.extend(parts.clone().map(consonant_classes));
            if classes.len() < 2 {
                continue;
            }
            for (i, part) in parts.enumerate() {
                entries.push((spelling_hash(part), name, other_classes(&classes, i)));
            }
        }
        entries.sort_unstable();
        entries.dedup();
        let (mut hashes, mut starts) = (Vec::new(), Vec::new());
        for (at, e) in entries.iter().enumerate() {
            if hashes.last() != Some(&e.0) {
                hashes.push(e.0);
                starts.push(at as u32);
            }
        }
        starts.push(entries.len() as u32);
        PartBlocks {
            hashes,
            starts,
            names: entries.iter().map(|e| e.1).collect(),
            others: entries.iter().map(|e| e.2).collect(),
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
        let near: Vec<u32> = block
            .near(consonant_classes(&symbols("tsunematsu")), 2)
            .collect();
        assert_eq!(near, [0]);
        assert_eq!(blocks.block(&symbols("tunematu")).len(), 2);
        assert_eq!(blocks.block(&symbols("kopysk")).len(), 0);
    }
}
