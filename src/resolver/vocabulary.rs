//! The table's name parts as a vocabulary of words, and what scan has
//! learnt of each known word (`crate::lexicon`) against it.
//!
//! Scan drops a span of several words when a known word in it spells no
//! part of the name the span matched (`Creative Commons` is no respelling
//! of a name, whatever it comes near). A known word that comes near no part
//! of *any* name contradicts every answer, so the span need not be
//! searched at all: most multi-word capitalized runs of copy are such
//! phrases (`News Agency`, `Level Seminar`), and their fuzzy search was
//! most of scan's time. Whether a known word is such a word is asked once
//! per resolver, by comparing it with every distinct name part, and
//! remembered.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use crate::score::{CostModel, EndingMask, Rewriter};

/// The most distinct name parts for which the vocabulary is kept. Asking
/// about a known word compares it with every part, most comparisons
/// leaving the DP within two rows: about 20 µs a word against the default
/// table's 1,268 parts (4,000 capitalized known words in pairs, scanned
/// once: 96-113 ms, word lists loaded included, against 10-12 ms once
/// answered), so about 0.1 ms at this size, the first time a known word is
/// met, against 50-90 µs for each fuzzy search of a multi-word span it
/// spares. Larger tables (generated or real name lists of 100k aliases
/// and more) keep no vocabulary and search such spans as before.
pub(super) const MAX_VOCABULARY_PARTS: usize = 5_000;

/// What is remembered of a known word.
const NOT_ASKED: u8 = 0;
const SPELLS_A_PART: u8 = 1;
const SPELLS_NO_PART: u8 = 2;

/// One distinct name part.
#[derive(Debug)]
struct Part {
    folded: Box<str>,
    /// Its symbols: `symbols[start..start + len]`, their gap costs at the
    /// same places of `gaps`.
    start: u32,
    len: u32,
    endings: EndingMask,
}

/// The distinct name parts of a table, and per known word whether it
/// spells one of them (`NOT_ASKED` until asked).
#[derive(Debug, Default)]
pub(super) struct Vocabulary {
    /// Whether the table's parts are kept (few enough of them).
    kept: bool,
    parts: Vec<Part>,
    symbols: Vec<u8>,
    /// `CostModel::gap_costs` of each part's symbols (its first
    /// `MAX_SYMBOLS`; 0 past them, never read): worked out once, not once
    /// per known word asked.
    gaps: Vec<f32>,
    /// Indexed by `crate::lexicon::known_index`; made when first asked, so
    /// that a resolver that never scans never loads the word lists.
    known: OnceLock<Box<[AtomicU8]>>,
}

impl Vocabulary {
    /// The vocabulary of `parts` (distinct folded name parts), or an empty
    /// one that answers nothing when there are more than
    /// [`MAX_VOCABULARY_PARTS`].
    pub(super) fn new<'a>(
        parts: impl ExactSizeIterator<Item = &'a str>,
        rewriter: &Rewriter,
        costs: &CostModel,
    ) -> Vocabulary {
        if parts.len() > MAX_VOCABULARY_PARTS {
            return Vocabulary::default();
        }
        let mut v = Vocabulary {
            kept: true,
            ..Vocabulary::default()
        };
        for folded in parts {
            let symbols = rewriter.rewrite(folded);
            v.parts.push(Part {
                folded: folded.into(),
                start: v.symbols.len() as u32,
                len: symbols.len() as u32,
                endings: costs.ending_mask(&symbols),
            });
            v.symbols.extend_from_slice(&symbols);
            let gaps = costs.gap_costs(&symbols);
            v.gaps
                .extend_from_slice(&gaps[..symbols.len().min(gaps.len())]);
            v.gaps.resize(v.symbols.len(), 0.0);
        }
        v
    }

    /// Whether the known word `word` spells some name part, as `spells`
    /// judges a part and the word's similarity to it (given for parts
    /// within `floor`, the exact similarity `Inner::part_similarity`
    /// gives); remembered per known word. `None` when `word` is no known
    /// word or the table keeps no vocabulary.
    pub(super) fn known_word_spells_a_part(
        &self,
        word: &str,
        floor: f32,
        rewriter: &Rewriter,
        costs: &CostModel,
        spells: impl Fn(&str, f32) -> bool,
    ) -> Option<bool> {
        if !self.kept {
            return None;
        }
        let known = self.known.get_or_init(|| {
            (0..crate::lexicon::known_count())
                .map(|_| AtomicU8::new(NOT_ASKED))
                .collect()
        });
        let slot = &known[crate::lexicon::known_index(word)?];
        match slot.load(Ordering::Relaxed) {
            SPELLS_A_PART => return Some(true),
            SPELLS_NO_PART => return Some(false),
            _ => {}
        }
        let symbols = rewriter.rewrite(word);
        let prepared = costs.prepare(&symbols, costs.ending_mask(&symbols));
        let found = self.parts.iter().any(|p| {
            let (at, len) = (p.start as usize, p.len as usize);
            let (part, gaps) = (&self.symbols[at..][..len], &self.gaps[at..][..len]);
            (costs.similarity_of_forms(&prepared, part, gaps, p.endings, floor))
                .is_some_and(|sim| spells(&p.folded, sim))
        });
        // Racing threads compute the same answer: either store is right.
        slot.store(
            if found { SPELLS_A_PART } else { SPELLS_NO_PART },
            Ordering::Relaxed,
        );
        Some(found)
    }
}
