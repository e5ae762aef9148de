//! Step 3: the keys a query is compared with. Up to
//! [`AUTO_EXHAUSTIVE_KEYS`](super::model::AUTO_EXHAUSTIVE_KEYS) every key;
//! above, the keys of the names the candidate index (`crate::index`) votes
//! for. The chosen keys are copied into a [`Batch`] for the verifier.

use foldhash::{HashMap, HashMapExt};

use super::model::{Inner, Key, AUTO_EXHAUSTIVE_KEYS};
use super::query::QueryForm;
use crate::blocks::other_classes;
use crate::index::{consonant_classes, QueryForms};
use crate::score::CostModel;

/// Up to this many candidates, keys spelled alike are verified once. The
/// index's candidates (a few hundred keys) share given names and common
/// parts, so a hash lookup per key pays; over a whole exhaustive table
/// (up to 20,000 keys) it costs more than the comparisons it saves.
const SHARED_FORMS_UP_TO: usize = 4096;

/// The most index entries (postings) one query reads. It bounds a query's
/// voting work (one hash probe per entry) whatever the table's size; a real
/// variant meets its name through a rare form, read first. Set with
/// [`VERIFIED_NAMES`] on generated 100k and 1M tables so that voting stays
/// a fraction of verifying; a larger budget was not measured.
const CANDIDATE_BUDGET: usize = 4096;

/// [`CANDIDATE_BUDGET`] for a query of several parts: its votes add up
/// over its parts, whose rarest forms rank its names, and the part blocks
/// add the names that spell one of its parts exactly (`block_candidates`),
/// so the longer lists read past 512 entries do not pay. Reading fewer
/// of them gave better answers as well as faster ones (below): the names
/// only a common form's list meets are met by chance, and among the
/// [`VERIFIED_NAMES_MULTI_PART`] verified they displace names the rarer
/// forms ranked (a reading of the figures, not measured apart).
///
/// Twenty-second session (2,048 -> 512; 1,024 and 256 measured beside),
/// at 1M, one thread: instructions of 300 scale-dev queries (callgrind on
/// `resolve_with`) 281.3M -> 253.1M (1,024: 265.6M; 256: 246.0M);
/// scale-dev's 10,000 (right / wrong) 0.9447 / 0.0012 -> 0.9448 / 0.0011;
/// 2,000 strangers (`scripts/strangers.py`) accepted 0.0505 either way;
/// realistic generated tables (`examples/compare N Q DIR --realistic`, a
/// fifth strangers; accuracy / false accepts): 1M, 10,000 queries, 0.8524
/// / 0.0825 -> 0.8595 / 0.0835 (1,024: 0.8549 / 0.0820; 256: 0.8646 /
/// 0.0875), and at matched false accepts better (the threshold at 0.80:
/// 0.8564 / 0.0815); 100k, 2,000 queries, 0.8669 / 0.0675 -> 0.8725 /
/// 0.0700 (threshold 0.81: 0.8612 -> 0.8669 at 0.0650 both); generated
/// typo queries at 100k 0.4497 / 0.0576 -> 0.4533 / 0.0576; the dev
/// split `--indexed` 0.7306 / 0.0551 -> 0.7311 / 0.0553; copy-score's
/// report unchanged. 256 entries shift the default threshold's false
/// accepts further for 3% fewer instructions.
///
/// Fourteenth session (4,096 -> 2,048), at 1M, one thread: scale-dev's
/// 10,000 queries 0.9387 -> 0.9385, p50 165 -> 160 µs; realistic
/// generated tables (1,000 queries) 1M 0.836 -> 0.839 (p50 155 -> 128
/// µs), 100k 0.843 -> 0.844 (119 -> 107 µs); generated typo queries at
/// 100k (2,000, 330 of them not in the table) 0.450 / false accepts 0.106
/// -> 0.451 / 0.097; the dev split `--indexed` 0.7025 / 0.0544 -> 0.7024 /
/// 0.0548 (its queries are single names but for 4%). With 64 verified
/// names, 1,024 entries lost scale-dev 0.0005 against 2,048.
const CANDIDATE_BUDGET_MULTI_PART: usize = 512;

/// Classes deleted from the skeletons of a many-part query's parts when
/// it probes the part index: one, where a query of one part deletes two
/// (`QUERY_DELETIONS` in `crate::index`). A many-part query meets its
/// names through each of its parts and through the part blocks
/// (`block_candidates`), so its forms need not reach as far as a lone
/// part's. Its whole skeleton goes less far still
/// ([`MULTI_PART_WHOLE_DELETIONS`]). Two deep, the whole skeleton's
/// forms were about 37 of a two-word query's 78 probes, rare forms read
/// first that filled half the entries it voted (239 of 433 on average,
/// scale-dev's first 2,000 queries at 1M): each a directory slot and a
/// form's entry that miss the cache.
///
/// Twenty-fourth session, at 1M, one thread. Timed query by query in one
/// process, the two configurations alternating which ran first
/// (scale-dev's first 3,000 queries): the whole skeleton one deep, 9.9%
/// less time (one answer of the 3,000 differs; instructions of 300
/// queries, callgrind on `resolve_with`, 242.75M -> 231.65M); the parts
/// one deep as well, 3.2% less again (no answer differs). Answers (right
/// / wrong or false accepts): two deep, whole one deep, both one deep:
/// - scale-dev's 10,000: 0.9448 / 0.0011, 0.9445 / 0.0012, 0.9445 /
///   0.0012;
/// - 2,000 strangers (`scripts/strangers.py`) accepted: 0.0505, 0.0490,
///   0.0480;
/// - realistic generated tables (`examples/compare N 2000 DIR
///   --realistic`): 100k 0.8725 / 0.0700 -> 0.8731 / 0.0725 (whole one
///   deep), 1M 0.8700 / 0.0875 -> 0.8688 / 0.0875; the parts one deep
///   as well moved one or two answers of each (the CLI at the default
///   threshold: 100k 1,397 -> 1,396 right, 31 false accepts both; 1M
///   1,390 right both, 41 -> 40 false accepts);
/// - generated typo queries at 100k 0.4533 / 0.0576 -> 0.4515 / 0.0576
///   (whole), then 754 -> 753 right and 39 -> 38 false accepts (parts);
/// - the dev split `--indexed` (single names but for 4%) 0.7311 / 0.0553
///   -> 0.7312 / 0.0558 -> unchanged; copy-score's report unchanged.
///
/// The whole skeleton one deep for queries of three parts or more only
/// (a quarter of scale-dev's): scale-dev 0.9449 / 0.0011, strangers
/// 0.0515. (An earlier session measured the whole one deep at 2,048
/// entries and before the part blocks: scale-dev lost 0.11 point, its
/// names whose other part is common then found through the deep forms
/// only; DESIGN.md.)
const MULTI_PART_DELETIONS: usize = 1;

/// Classes deleted from a many-part query's whole skeleton when it
/// probes the whole-name index: none. The whole skeleton is probed as it
/// is, for the names whose parts are joined or split otherwise than the
/// query's (`dong-myeon` for `dongmyeon`), which its parts' forms miss;
/// a respelling is met through the parts. One deep (the twenty-fourth
/// session's [`MULTI_PART_DELETIONS`] for both), its one-deletion forms
/// were about 11 of a two-word query's 41 probes, with rare postings read
/// first that took up the entries voted.
///
/// Twenty-fifth session, at 1M, one thread, timed query by query in one
/// process (the order alternating): scale-dev's first 3,000 queries
/// 13.4%, 12.8% and 12.7% less time in three runs, 2,000 strangers
/// 14.3%; instructions of 300 scale-dev queries
/// (callgrind on `resolve_with`) 224.51M -> 207.81M. Answers, one deep ->
/// none (right / wrong or false accepts):
/// - scale-dev's 10,000 (`canonym resolve`): 0.9445 / 0.0012 -> 0.9454
///   / 0.0012 (its first 3,000: 0.9487 -> 0.9493, wrong 0.0007 both);
///   its first 200 against the exhaustive search's 0.930: 0.940 -> 0.945,
///   the same answer for 196 -> 195;
/// - 2,000 strangers (`examples/compare --from`) accepted: 0.0480 ->
///   0.0435;
/// - realistic generated tables: 100k 0.8725 / 0.0725 -> 0.8712 /
///   0.0675, 1M 0.8688 / 0.0850 -> 0.8694 / 0.0850;
/// - generated typo queries at 100k: 0.4509 / 0.0576 -> 0.4527 / 0.0576;
/// - the dev split `--indexed`: 0.7312 / 0.0135 / 0.0558 -> 0.7314 /
///   0.0138 / 0.0570 (right / wrong / false accepts);
/// - copy-score's report unchanged.
///
/// Not probing the whole-name index at all for such a query: realistic
/// 0.9075 / 0.0700 and 0.8906 / 0.0725, typo 0.4766, strangers 0.0445,
/// but the dev split 0.7228 / 0.0160 / 0.0591, its joined and split given
/// names lost; and the realistic gains were answers made sure by rivals
/// left out (`tameray arun`: 0.99 sure of `tamerai arun`, against 0.61
/// with the whole skeleton probed and 0.21 by the exhaustive search,
/// which weighs every similar name of the table).
const MULTI_PART_WHOLE_DELETIONS: usize = 0;

/// How much more a vote counts when the query's whole skeleton is a key's
/// whole skeleton than when classes were deleted on either side: a name
/// whose consonants all agree with the query's is the likelier variant, and
/// one such vote should outrank the deletion votes of a name met only by
/// chance. An order of magnitude by design, not a fitted value.
const FULL_FORM_VOTE: f32 = 8.0;

/// How much a vote counts when the query's form had two classes deleted,
/// against one: such forms of a long skeleton are short and meet keys by
/// chance (a tiny posting gives its few names a large 1/length vote that
/// outranks a true variant met through a one-deletion form). Swept on
/// scale-dev's first 4,000 queries (indexed accuracy): 1 (as before)
/// 0.9070, 0.5 0.9090, 0.25 0.9100, 0.1 0.9085, 0.05 0.9080; on the other
/// 6,000, 1 -> 0.25 gave 0.9108 -> 0.9127. (Since the twenty-fourth
/// session only a query of one part has such forms, see
/// [`MULTI_PART_DELETIONS`]: the sweep's queries, of two parts and more,
/// no longer do.)
const DEEP_FORM_VOTE: f32 = 0.25;

/// The most voted names the fuzzy verifier scores for a query of one
/// part (for one of several: [`VERIFIED_NAMES_MULTI_PART`]), each with
/// all its keys. The vote order is too rough to trust its first few names
/// (verifying 32 lost true names at 100k aliases); at 1M, 192 names cost
/// 232 µs a query against 173 µs for 128 (second session's measurements).
/// Thirteenth session, with the part blocks: 64 names cost scale-dev's
/// 10,000 queries 0.08 point (p50 at 1M 256 -> 195 µs), 48 nothing on
/// its first 3,000 (182 µs on 2,000 of them), but the dev split through the index (`--indexed`) fell from 0.7025 /
/// FA 0.054 to 0.6898 / 0.064 and 0.6841 / 0.068: its near rivals go
/// unverified and its answers over-confident. Fourteenth session, 64 for
/// a query of several parts only (the dev split is single names but for
/// 4%), with 2,048 entries: scale-dev 0.9385 -> 0.9380 at p50 160 -> 108
/// µs, realistic tables up a point or two, the dev split `--indexed`
/// unchanged, but generated typo queries at 100k (2,000, 330 of them not
/// in the table) 0.451 / false accepts 0.097 -> 0.461 / 0.148 (96 names:
/// 0.454 / 0.121), against the exhaustive search's 0.393 / 0.052: the
/// rivals left unverified are what makes a name that is not in the table
/// look sure. Kept at 128 for every query then; the fifteenth session's
/// part blocks gave the many-part queries their rivals back.
const VERIFIED_NAMES: usize = 128;

/// [`VERIFIED_NAMES`] for a query of several parts, whose part blocks add
/// the names that share one of its parts ([`BLOCK_NAMES`]): the rivals
/// whose absence made its answers over-confident when fewer names were
/// verified in the fourteenth session are mostly there. Fifteenth
/// session, with every block read, 128 -> 64 (instructions of 300
/// scale-dev queries at 1M, callgrind on `resolve_with`: 509M -> 398M,
/// against 393M before either change; measures as at [`BLOCK_NAMES`]):
/// scale-dev 0.9425 -> 0.9429 (wrong 0.0010 -> 0.0012); typo 0.443 /
/// 0.055 -> 0.452 / 0.058; realistic 100k 0.853 / 0.055 -> 0.864 / 0.063,
/// 1M 0.846 / 0.068 -> 0.861 / 0.075. 32 names: 340M instructions,
/// scale-dev 0.9431, realistic false accepts 0.080 and 0.085.
const VERIFIED_NAMES_MULTI_PART: usize = 64;

/// Up to this many keys of the entities a context search weighs (scan's
/// second pass: a loose word against the entities its document names),
/// every key is compared; above, in a table of up to
/// [`AUTO_EXHAUSTIVE_KEYS`] keys, only those of the names the index
/// reaches from the word, if it read every posting it reaches. An article
/// names a few dozen entities (copy-dev's planted articles: never above
/// this); a long document names hundreds, and comparing each loose word
/// with thousands of keys made the context pass half of scanning 256 KiB
/// of generated copy with the default table. (With a 100k-alias table the
/// index leaves postings unread: the reach lost three context findings of
/// a long generated document, and voting cost more than it saved.)
const WITHIN_EVERY_KEY: usize = 512;

/// The most names taken from one part block (the names that spell a
/// query part exactly as it does) for a many-part query's candidates,
/// those whose other parts' consonant classes are nearest the query's
/// other parts' (see `Inner::block_candidates`; a name the votes chose
/// already counts as one of them). A block holds two kinds of
/// name that the votes rank too low: the one the query means, when its
/// other part is respelled beyond the index's reach, and the other
/// people who share the part (a common given name), whose scores tell the
/// decision how many names come close: unscored, a stranger who shares a
/// common given name with one table name looks sure of it. Until the
/// fifteenth session a block of more than 1,024 names was not read at
/// all (then, on scale-dev's first 1,000 queries: 256 names 0.936, 1,024
/// 0.938, no limit 0.943 at p99 2.2 ms against 0.8 ms).
/// Fifteenth session, every block read for its nearest 256 names, with
/// 128 voted names verified (scale-dev's 10,000 queries; generated typo
/// queries at 100k, 2,000, 330 of them not in the table; realistic
/// generated tables of 100k and 1M, `examples/compare --realistic`, 2,000
/// queries, 400 of them strangers; accuracy / false accepts): scale-dev
/// 0.9385 -> 0.9425 (wrong 0.0013 -> 0.0010); typo 0.451 / 0.097 ->
/// 0.443 / 0.055 (exhaustive 0.393 / 0.052); realistic 100k 0.858 / 0.055
/// -> 0.853 / 0.055 (exhaustive 0.817 / 0.043), 1M 0.845 / 0.075 -> 0.846
/// / 0.068 (exhaustive, strangers only: 0.038). A prototype taking 128
/// names a block: false accepts 0.064, 0.055, 0.070. It cost 30% more
/// instructions on scale-dev, which verifying fewer voted names paid back
/// (see [`VERIFIED_NAMES_MULTI_PART`]).
const BLOCK_NAMES: usize = 256;

/// The most names one part's block gives a query of `parts` parts:
/// [`BLOCK_NAMES`] for two parts, and as many in all over the blocks of a
/// longer query's other parts (`BLOCK_NAMES / (parts - 1)`).
///
/// A block's names share one part with the query, a smaller share of it
/// the more parts it has, and the query's other parts' consonant classes
/// are pooled into one set that a name missing a short part still comes
/// near. With [`BLOCK_NAMES`] a part, a query of three words (a hyphen
/// separates words) verified 336 block names on average against 27 for
/// one of two (scale-dev's first 300 of each), and queries of three words
/// or more were a quarter of scale-dev's and 43% of its time.
/// Twenty-first session, at 1M, one thread: scale-dev's first 4,000
/// queries (right / wrong; three words, four or more), and 2,000 further
/// queries whose entities were taken out of the table
/// (`scripts/strangers.py`; false accepts: three words, four or more,
/// all):
/// - [`BLOCK_NAMES`] a part: 0.9303 / 0.0033, 0.8678 / 0; 0.0366, 0.0303,
///   0.0510;
/// - this share: 0.9303 / 0.0033, 0.8760 / 0; 0.0344, 0.0303, 0.0505;
///   mean time of the three-word queries 320 -> 257 µs, of the longer
///   ones 381 -> 258 µs; instructions of scale-dev's first 300 queries
///   (callgrind on `resolve_with`) 369.8M -> 314.5M;
/// - half this share: 0.9270 / 0.0022, 0.8760 / 0; 0.0323, 0.0303, 0.0500.
///
/// All 10,000 scale-dev queries 0.9445 / 0.0013 -> 0.9447 / 0.0012. The
/// realistic generated tables (`examples/compare --realistic`, 2,000
/// queries, 6% of three words): at 100k false accepts 0.0700 -> 0.0675,
/// at 1M unchanged (accuracy unchanged at both); the typo set at 100k
/// and the dev split (`--indexed`) unchanged.
fn block_share(parts: usize) -> usize {
    BLOCK_NAMES / parts.saturating_sub(1).max(1)
}

/// How many consonant classes a block name's other parts may spell
/// differently from the query's other parts (added or missing) and still
/// be verified. A respelling loses or adds a class, or swaps one for
/// another, which counts two (*Tsunematsu* against *Tunematu*: `ts` for
/// `t`); another person's name changes most.
/// Swept when blocks of more than 1,024 names were not read: 1: 0.926;
/// 2: 0.938, about 21 names added per query; 3: 0.936, p50 382 us.
/// Fifteenth session, any distance (still the nearest 256 names, 128
/// voted names): scale-dev 0.9436, false accepts 0.052 (typo), 0.053 and
/// 0.053 (realistic), nearer the exhaustive search's; but with 64 voted
/// names and 128 a block, 36% more instructions on scale-dev than
/// distance 2 (540M against 398M for 300 queries).
const BLOCK_CLASS_DISTANCE: u32 = 2;

/// The longest block read. A block is read run by run of names with the
/// same other classes, and the names of the runs within reach are
/// copied: a part that a hundred thousand names spell could cost more
/// than the rest of the query. Beyond this it is not read, and the rivals it holds
/// are left to the votes. (No generated or shared table comes near it.)
const BLOCK_READ: usize = 1 << 16;

/// Above this many keys the voting and the batch read their cache misses
/// ahead (see `Inner::votes` and `Inner::gather`): a table of 1 MiB of
/// keys, 16 bytes each, with their postings and symbols, outgrows the
/// processor's second-level cache. Below, all is in cache and reading
/// ahead is only more work (see `READ_AHEAD_ENTRIES` in `crate::index`).
const READ_AHEAD_KEYS: usize = 1 << 16;

/// Vote totals per name: open addressing over a power-of-two table sized
/// for the entries one query reads, so that counting costs one probe per
/// entry read and listing the totals costs one step per name voted for.
struct Votes {
    /// Index into `totals`, or `EMPTY`.
    slots: Vec<u32>,
    totals: Vec<(u32, f32)>,
    /// Per total, the last stamp [`Votes::add_once`] added it under.
    stamps: Vec<u32>,
}

impl Votes {
    const EMPTY: u32 = u32::MAX;

    fn with_room(keys: usize) -> Votes {
        Votes {
            slots: vec![Votes::EMPTY; (2 * keys).max(2).next_power_of_two()],
            totals: Vec::with_capacity(keys),
            stamps: Vec::with_capacity(keys),
        }
    }

    /// Where `id` is: `Ok(slot)` holds its index into `totals`,
    /// `Err(slot)` is the empty slot it would take (inlined: `add` is the
    /// voting loop's body).
    #[inline(always)]
    fn find(&self, id: u32) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = (id.wrapping_mul(0x9E37_79B9) as usize) & mask;
        loop {
            match self.slots[i] {
                Votes::EMPTY => return Err(i),
                t if self.totals[t as usize].0 == id => return Ok(i),
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn add(&mut self, id: u32, weight: f32) {
        self.add_once(id, weight, Votes::NO_STAMP);
    }

    /// [`Votes::add`], unless `id` was added under `stamp` already (a
    /// posting that reaches an id through two spellings of one fullness
    /// votes for it once: see `Posting::repeats`).
    #[inline(always)]
    fn add_once(&mut self, id: u32, weight: f32, stamp: u32) {
        match self.find(id) {
            Ok(slot) => {
                let at = self.slots[slot] as usize;
                if stamp != Votes::NO_STAMP {
                    if self.stamps[at] == stamp {
                        return;
                    }
                    self.stamps[at] = stamp;
                }
                self.totals[at].1 += weight;
            }
            Err(slot) => {
                // The table has room for twice the entries read.
                self.slots[slot] = self.totals.len() as u32;
                self.totals.push((id, weight));
                self.stamps.push(stamp);
            }
        }
    }

    /// The stamp of a vote that may not repeat.
    const NO_STAMP: u32 = u32::MAX;

    /// (id, total) in the order ids were first voted for.
    fn totals(&self) -> &[(u32, f32)] {
        &self.totals
    }
}

/// Candidate keys copied out of the resolver for verification, each with
/// its form: keys spelled alike share one, numbered from 0 to `forms`. A
/// name's keys are always together. Their symbols stay in the resolver's
/// arena, `symbols`.
pub(super) struct Batch<'s> {
    pub(super) keys: Vec<(Key, u32)>,
    pub(super) symbols: &'s [u8],
    /// How many forms the keys have.
    pub(super) forms: u32,
}

impl Batch<'_> {
    /// The symbols of a key of the batch.
    pub(super) fn key_symbols(&self, key: &Key) -> &[u8] {
        key.symbols(self.symbols)
    }

    /// The keys of each name, name by name, in batch order.
    pub(super) fn runs(&self) -> impl Iterator<Item = &[(Key, u32)]> {
        self.keys.chunk_by(|a, b| a.0.name == b.0.name)
    }
}

impl Inner {
    /// The ids of the keys to verify: every key of `entities` (sorted) when
    /// given, every key of the table when the search is exhaustive, else
    /// the index's candidates. Keys come name by name.
    pub(super) fn candidate_keys(
        &self,
        q: &QueryForm,
        costs: &CostModel,
        entities: Option<&[u32]>,
        exhaustive: bool,
    ) -> Vec<u32> {
        if let Some(entities) = entities {
            // Keys are laid out entity by entity: take each one's range.
            let keys = |e: &u32| {
                let (from, to) = self.entity_keys[*e as usize];
                from..to
            };
            let count: usize = entities.iter().map(|e| keys(e).len()).sum();
            if count <= WITHIN_EVERY_KEY || self.keys.len() > AUTO_EXHAUSTIVE_KEYS {
                return entities.iter().flat_map(keys).collect();
            }
            // Many entities (a long document names hundreds) of a small
            // table: those the index reaches from the query, if it read
            // every posting within reach; else all of them still (a name
            // met through an unread posting would be lost).
            let (votes, postings, read) = self.votes(q, costs, CANDIDATE_BUDGET);
            if read < postings.len() {
                return entities.iter().flat_map(keys).collect();
            }
            let mut names: Vec<u32> = (votes.totals().iter())
                .map(|&(name, _)| name)
                .filter(|&name| {
                    let entity = self.names[name as usize].entity;
                    entities.binary_search(&entity).is_ok()
                })
                .collect();
            names.sort_unstable();
            names.into_iter().flat_map(|n| self.name_keys(n)).collect()
        } else if exhaustive {
            (0..self.keys.len() as u32).collect()
        } else {
            self.indexed_candidates(q, costs)
        }
    }

    /// Whether a word could be (part of) a table name: the index has a key
    /// within its reach. A cheap test (a few binary searches) that spares
    /// the fuzzy core most capitalized words of running text; `folded` is
    /// the word folded.
    pub(crate) fn could_be_name(&self, folded: &str) -> bool {
        let symbols = self.rewriter.rewrite(folded);
        crate::index::reaches(&symbols, &self.costs, |h| {
            self.whole_index.files(h) || self.part_index.files(h)
        })
    }

    /// The keys the index puts within reach of the query: the keys of the
    /// best-voted names, name by name, best-voted first.
    fn indexed_candidates(&self, q: &QueryForm, costs: &CostModel) -> Vec<u32> {
        // A name met through rare forms, or through many, is the likelier
        // variant: only the best-voted names are verified, each with all
        // its keys. A query of several parts reads and verifies fewer
        // (its votes add up over its parts, and its part blocks add names).
        let (budget, verified) = match q.multi_part() {
            true => (CANDIDATE_BUDGET_MULTI_PART, VERIFIED_NAMES_MULTI_PART),
            false => (CANDIDATE_BUDGET, VERIFIED_NAMES),
        };
        let (votes, _, _) = self.votes(q, costs, budget);
        // Most votes first, then the lower id: as one integer (totals are
        // positive, so their bits order as they do), which selects and
        // sorts several times faster than comparing pairs of floats.
        let mut merged: Vec<u64> = (votes.totals().iter())
            .map(|&(name, total)| (u64::from(!total.to_bits()) << 32) | u64::from(name))
            .collect();
        if merged.len() > verified {
            merged.select_nth_unstable(verified);
            merged.truncate(verified);
        }
        merged.sort_unstable();
        if q.multi_part() {
            let mut have: Vec<u32> = merged.iter().map(|&rank| rank as u32).collect();
            have.sort_unstable();
            merged.extend(self.block_candidates(q, &have).into_iter().map(u64::from));
        }
        // Best-voted first, each name's keys together: the decisive search
        // (Scan) meets the likely best early and bounds the rest by it.
        // (Sized first: grown push by push, it was reallocated about seven
        // times a query.)
        let keys = |rank: &u64| self.name_keys(*rank as u32);
        let mut candidates = Vec::with_capacity(merged.iter().map(|r| keys(r).len()).sum());
        for rank in &merged {
            candidates.extend(keys(rank));
        }
        candidates
    }

    /// The names that spell a part of a many-part query exactly as it does
    /// and whose other parts spell the consonant classes of the query's
    /// other parts, all but [`BLOCK_CLASS_DISTANCE`]: at most
    /// [`block_share`] a part, the nearest (see `crate::blocks`); sorted,
    /// none of `have` (sorted).
    fn block_candidates(&self, q: &QueryForm, have: &[u32]) -> Vec<u32> {
        let share = block_share(q.part_symbols.len());
        let classes: Vec<u16> = q
            .part_symbols
            .iter()
            .map(|p| consonant_classes(p))
            .collect();
        let mut names = Vec::new();
        for (i, part) in q.part_symbols.iter().enumerate() {
            let block = self.part_blocks.block(part);
            if block.len() > BLOCK_READ {
                continue;
            }
            let others = other_classes(&classes, i);
            let nearest = block.nearest(others, BLOCK_CLASS_DISTANCE, share);
            names.extend(
                nearest
                    .into_iter()
                    .filter(|n| have.binary_search(n).is_err()),
            );
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The index's votes for the query's names: the postings of its forms,
    /// rarest first, and how many of them were read (within `budget`
    /// entries) and voted.
    fn votes<'i>(
        &'i self,
        q: &QueryForm,
        costs: &CostModel,
        budget: usize,
    ) -> (Votes, Vec<crate::index::Posting<'i>>, usize) {
        // Room for the few dozen postings a query's forms meet per part.
        let mut postings = Vec::with_capacity(64);
        let whole = match q.multi_part() {
            true => QueryForms::with_deletions(&q.whole, costs, MULTI_PART_WHOLE_DELETIONS),
            false => QueryForms::new(&q.whole, costs),
        };
        self.whole_index.postings(&whole, &mut postings);
        if !q.multi_part() {
            // A one-part query may be any part of a name.
            self.part_index.postings(&whole, &mut postings);
        } else {
            for ps in &q.part_symbols {
                let forms = QueryForms::with_deletions(ps, costs, MULTI_PART_DELETIONS);
                self.part_index.postings(&forms, &mut postings);
            }
        }
        // Rarest forms first, until the budget is spent: a form that
        // thousands of keys share (a common given name, a two-consonant
        // skeleton) adds candidates by the thousand and no
        // discrimination (an IDF cut); a real variant meets its name
        // through a rarer form.
        postings.sort_by_key(|p| p.len());
        let (mut read, mut spent) = (0, 0);
        for p in &postings {
            if spent + p.len() > budget {
                break;
            }
            spent += p.len();
            read += 1;
        }
        let mut votes = Votes::with_room(spent);
        // At a million names each run's ids lie in a place of their own, a
        // cache miss that the voting loop, busy with the votes, meets one
        // at a time: the runs' first ids are read first, in one loop of
        // independent loads that the processor overlaps (voting for 10,000
        // scale-dev queries at 1M: 340-350 -> 245-255 ms).
        if self.keys.len() > READ_AHEAD_KEYS {
            let touched = (postings[..read].iter())
                .flat_map(|p| p.runs())
                .fold(0u32, |t, run| t ^ run.ids().next().map_or(0, |(id, _)| id));
            std::hint::black_box(touched);
        }
        for (number, p) in postings[..read].iter().enumerate() {
            let depth = if p.deep() { DEEP_FORM_VOTE } else { 1.0 };
            let weight = depth / p.len() as f32;
            let vote = |key_full: bool| match key_full && p.full() {
                true => weight * FULL_FORM_VOTE,
                false => weight,
            };
            // Two loops, the stamp only where a posting repeats ids: one
            // loop deciding the stamp per vote cost 2.7% more instructions
            // a query (300 at 1M), the votes being the hot loop here.
            for run in p.runs() {
                if p.repeats() {
                    for (name, key_full) in run.ids() {
                        let stamp = (number as u32) << 1 | u32::from(key_full);
                        votes.add_once(name, vote(key_full), stamp);
                    }
                } else {
                    for (name, key_full) in run.ids() {
                        votes.add(name, vote(key_full));
                    }
                }
            }
        }
        (votes, postings, read)
    }

    /// Copies the candidate keys with the query's digits into one batch,
    /// each with its form. The copies are independent loads that the
    /// processor overlaps; reading each key only when its turn comes in the
    /// verifier waited for memory once per key (a fifth of a 100k-alias
    /// query).
    pub(super) fn gather(&self, candidates: &[u32], q_digits: u32) -> Batch<'_> {
        let mut batch = Batch {
            keys: Vec::with_capacity(candidates.len()),
            symbols: &self.key_symbols,
            forms: 0,
        };
        // Keys spelled alike (a given name that many names share) are one
        // form, compared once per query part. Part spellings are interned
        // (`Inner::intern_symbols`): one form is one place in the arena.
        // Whole names are not (a million lookups at build to share a few),
        // so they are told apart by their symbols: two names spelled alike
        // (one person in two entities) are compared once too.
        let share = candidates.len() <= SHARED_FORMS_UP_TO;
        let room = if share { candidates.len() } else { 0 };
        let mut parts: HashMap<u32, u32> = HashMap::with_capacity(room);
        let mut wholes: HashMap<&[u8], u32> = HashMap::with_capacity(room / 2);
        // At a million names nearly every key, and every whole name's
        // symbols, is a cache miss, and the loop below does too much per
        // key for the processor to run ahead to the next keys' loads: the
        // keys are copied first and their symbols' ends read once, in
        // loops of independent loads that it overlaps, so that the loop
        // finds them in cache (gathering 10,000 scale-dev queries' keys
        // at 1M, one thread: 480-545 -> 180-195 ms).
        let keys: Vec<Key> = candidates.iter().map(|&k| self.keys[k as usize]).collect();
        if self.keys.len() > READ_AHEAD_KEYS {
            let touched = (keys.iter()).fold(0u8, |t, key| {
                let symbols = self.key_symbols(key);
                t ^ symbols.first().unwrap_or(&0) ^ symbols.last().unwrap_or(&0)
            });
            std::hint::black_box(touched);
        }
        for key in keys {
            if key.digits != q_digits {
                continue;
            }
            // A key's symbols are read where the resolver keeps them,
            // which the read-ahead above has brought into cache; they were
            // copied into the batch, a `memcpy` call a form (300 scale-dev
            // queries at 1M: 250.8M -> 247.4M instructions without).
            let mut new_form = || {
                batch.forms += 1;
                batch.forms - 1
            };
            let form = match share {
                true if key.meets_parts() => *parts.entry(key.start).or_insert_with(new_form),
                true => *wholes
                    .entry(self.key_symbols(&key))
                    .or_insert_with(new_form),
                false => new_form(),
            };
            batch.keys.push((key, form));
        }
        batch
    }
}

#[cfg(test)]
mod tests {
    use super::{block_share, Votes, BLOCK_NAMES};
    use crate::resolver::query::{Query, QueryForm};
    use crate::table::{AliasTable, Entity};
    use crate::Resolver;

    #[test]
    fn a_longer_query_takes_fewer_names_from_each_block() {
        // 625 people named Ivan whose family names share one consonant
        // skeleton (p t r v), so that every one of them is within the
        // block's class distance of the queries' other parts.
        let vowels = ["a", "e", "i", "o", "u"];
        let mut table = AliasTable::new();
        let mut n = 0;
        for a in vowels {
            for b in vowels {
                for c in vowels {
                    for d in vowels {
                        let name = format!("Ivan P{a}t{b}r{c}v{d}");
                        table.push(Entity::new(n.to_string(), name)).unwrap();
                        n += 1;
                    }
                }
            }
        }
        let r = Resolver::new(table).unwrap();
        let from_blocks = |input: &str| {
            let query = Query::new(input, &r.inner.normalizer);
            let q = QueryForm::new(query.normalized(), &r.inner);
            r.inner.block_candidates(&q, &[]).len()
        };
        assert_eq!(block_share(2), BLOCK_NAMES);
        assert_eq!(from_blocks("Ivan Petrov"), BLOCK_NAMES);
        // Three parts: each block gives half as many.
        assert_eq!(from_blocks("Ivan Boris Petrov"), BLOCK_NAMES / 2);
        // However many parts, no more block names than a two-part query's.
        for parts in 2..=12 {
            assert!(parts * block_share(parts) <= 2 * BLOCK_NAMES, "{parts}");
        }
    }

    #[test]
    fn a_split_query_meets_the_name_that_joins_its_parts() {
        // A given name in syllables, written joined in the table and split
        // in the query: its parts' forms (three classes and two) are too
        // far from the joined name's five to meet it, so only the whole
        // skeleton, probed as it is, does. The others are names the parts
        // alone would lead to.
        let mut table = AliasTable::new();
        table.push(Entity::new("joined", "Dongmyeon")).unwrap();
        for (i, name) in ["Dong Park", "Myeon Lee", "Tong Kim", "Dang Cho"]
            .iter()
            .enumerate()
        {
            table.push(Entity::new(i.to_string(), *name)).unwrap();
        }
        let r = Resolver::new(table).unwrap();
        let inner = &r.inner;
        let query = Query::new("Dong-myeon", &inner.normalizer);
        let q = QueryForm::new(query.normalized(), inner);
        assert!(q.multi_part());
        let met: Vec<&str> = (inner.indexed_candidates(&q, &inner.costs).iter())
            .map(|&k| inner.names[inner.keys[k as usize].name as usize].entity)
            .map(|e| inner.table.entities()[e as usize].id.as_str())
            .collect();
        assert!(met.contains(&"joined"), "{met:?}");
    }

    #[test]
    fn votes_add_up_per_name() {
        let mut votes = Votes::with_room(8);
        votes.add(3, 0.5);
        votes.add(9, 1.0);
        votes.add(3, 0.25);
        votes.add(3, 0.25);
        assert_eq!(votes.totals(), [(3, 1.0), (9, 1.0)]);
    }

    #[test]
    fn a_stamped_vote_counts_once_per_stamp() {
        let mut votes = Votes::with_room(8);
        votes.add_once(3, 0.5, 2);
        votes.add_once(3, 0.5, 2);
        votes.add_once(3, 0.25, 3);
        votes.add(3, 0.25);
        votes.add_once(4, 1.0, 2);
        votes.add_once(4, 1.0, 2);
        assert_eq!(votes.totals(), [(3, 1.0), (4, 1.0)]);
    }
}
