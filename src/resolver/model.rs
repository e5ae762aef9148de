//! The table as the resolver holds it: names, their fuzzy keys in one
//! symbol arena, the exact and candidate indexes, built once.

// Seeded per process, several times faster than SipHash on the short
// keys of the hot path (name ids, spans of text, key symbols).
use foldhash::{HashMap, HashSet};

use super::query::{name_tokens, split_parts, split_parts_borrowed};
use super::resolution::{Candidate, MatchKind};
use super::vocabulary::{Vocabulary, MAX_VOCABULARY_PARTS};
use super::ResolverBuilder;
use crate::blocks::PartBlocks;
use crate::exact::ExactIndex;
use crate::index::{CoarseIndex, SpellingIndex};
use crate::normalize::{fold, Normalizer};
use crate::score::{CostModel, EndingMask, Rewriter, Symbols};
use crate::sort::sort_spread;
use crate::table::AliasTable;

/// Up to this many fuzzy keys (names and parts of multi-part names), the
/// resolver verifies every key by default instead of using the lossy index:
/// a few milliseconds per fuzzy query at most, and no answer lost.
pub(crate) const AUTO_EXHAUSTIVE_KEYS: usize = 20_000;

/// Symbols kept of a key: the verifier reads `MAX_SYMBOLS`; the rest
/// leaves room for an ending alternation to strip.
const MAX_KEY_SYMBOLS: usize = 255;

/// One table name (canonical or alias) of one entity.
#[derive(Debug)]
pub(super) struct Name {
    pub(super) entity: u32,
    /// The alias index, or [`CANONICAL`] (see [`Name::alias`]): four
    /// bytes where an `Option<u32>` takes eight.
    alias_index: u32,
    /// Whether the entity may be named by its last part alone: people, and
    /// entities of no stated kind.
    pub(super) personal: bool,
    /// How many letter parts that are not particles the name has (see
    /// `split_parts`); the parts themselves are recomputed where needed
    /// ([`Inner::name_parts`]), off the hot path, to keep names small.
    pub(super) n_parts: u8,
    /// The name's keys are `keys[first_key..]` up to the next name's.
    pub(super) first_key: u32,
}

/// `Name::alias_index` of an entity's canonical name.
const CANONICAL: u32 = u32::MAX;

impl Name {
    /// `None` for the canonical name, else the alias index.
    pub(super) fn alias(&self) -> Option<u32> {
        (self.alias_index != CANONICAL).then_some(self.alias_index)
    }
}

// Sixteen bytes: one per table name, a million of them at scale.
const _: () = assert!(std::mem::size_of::<Name>() == 16);

/// A fuzzy key: the symbols of a whole name, or of one part of a
/// multi-part name.
///
/// Everything the verifier needs to accept or reject a key is here or in
/// the symbol arena, so that rejecting a candidate touches two cache lines,
/// not the name's. Sixteen bytes: a million names have three million keys.
#[derive(Clone, Copy, Debug)]
pub(super) struct Key {
    /// The key's symbols: `key_symbols[start..start + len]`.
    pub(super) start: u32,
    pub(super) name: u32,
    /// The name's digit tokens (interned): a hard part that must agree.
    pub(super) digits: u32,
    /// The key's ending mask, as an index into `Inner::ending_masks`
    /// (a string's endings are the suffixes of its longest one, so a
    /// table has at most one mask per ending, and 65 at most).
    pub(super) endings: u16,
    pub(super) len: u8,
    /// The part index, or [`WHOLE_OF_ONE_PART`] or [`WHOLE`] (see
    /// [`Key::part`]).
    role: u8,
}

// The layout the comment above counts on.
const _: () = assert!(std::mem::size_of::<Key>() == 16);

/// `Key::role` of the whole key of a name of one part (which is its part
/// key too).
const WHOLE_OF_ONE_PART: u8 = u8::MAX - 1;
/// `Key::role` of the whole key of a name of several parts.
const WHOLE: u8 = u8::MAX;
/// The most parts of a name that get a key of their own: the part indexes
/// below the two roles above.
const MAX_PART_KEYS: usize = WHOLE_OF_ONE_PART as usize;

impl Key {
    /// The key's symbols in `arena`, the resolver's `key_symbols`.
    #[inline(always)]
    pub(super) fn symbols<'a>(&self, arena: &'a [u8]) -> &'a [u8] {
        &arena[self.start as usize..][..usize::from(self.len)]
    }

    /// `None` for the whole name, else the part index.
    #[inline(always)]
    pub(super) fn part(&self) -> Option<u8> {
        (self.role < WHOLE_OF_ONE_PART).then_some(self.role)
    }

    /// Whether the parts of a query are compared with this key: a part
    /// key, or the whole key of a name of one part (which is its part).
    #[inline(always)]
    pub(super) fn meets_parts(&self) -> bool {
        self.role != WHOLE
    }
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(super) table: AliasTable,
    pub(super) normalizer: Normalizer,
    pub(super) rewriter: Rewriter,
    pub(super) costs: CostModel,
    /// `costs` with vowel gaps nearly free, for queries in Arabic or Hebrew
    /// script, which mostly leave vowels unwritten.
    pub(super) abjad_costs: CostModel,
    pub(super) names: Vec<Name>,
    /// Names by folded form, with and without spaces.
    pub(super) exact: ExactIndex,
    pub(super) keys: Vec<Key>,
    /// The distinct ending masks of the keys (`Key::endings`).
    pub(super) ending_masks: Vec<EndingMask>,
    /// The symbols of all keys, key after key.
    pub(super) key_symbols: Vec<u8>,
    /// The largest number of parts of any table name.
    pub(super) max_parts: usize,
    /// Per entity, the range of its keys in `keys`.
    pub(super) entity_keys: Vec<(u32, u32)>,
    /// Candidate generation over the whole-name keys.
    pub(super) whole_index: CoarseIndex,
    /// Candidate generation over the part keys and the whole keys of
    /// one-part names: what one part of a query may meet (each spelling
    /// filed once, its names listed apart).
    pub(super) part_index: SpellingIndex,
    /// The names by each part's exact spelling: what the coarse index
    /// loses when a part's skeleton is common (see `crate::blocks`).
    pub(super) part_blocks: PartBlocks,
    /// Verify every key instead of the index's candidates.
    pub(super) exhaustive: bool,
    /// Digit sequences -> their ids; the empty sequence is 0.
    pub(super) digit_ids: HashMap<String, u32>,
    pub(super) threshold: f32,
    pub(super) margin: f32,
    /// The hashes of the family names (last parts of the names of people,
    /// see `Name::personal`), folded, sorted: whether a word of text alone
    /// may name someone as the table spells them. Hashes, not strings: 8
    /// bytes a distinct word (a set of strings cost 20 bytes an alias at
    /// 100k aliases).
    pub(super) family_words: Vec<u64>,
    /// The hashes of the other parts of people's names of several parts
    /// (given names, as most of the world orders them), likewise.
    pub(super) given_words: Vec<u64>,
    /// The distinct name parts, for tables with few of them.
    pub(super) vocabulary: Vocabulary,
    /// Whether scan treats known words as words of their own.
    pub(super) known_words: bool,
    /// See `ResolverBuilder::standalone_confidence`.
    pub(super) standalone_confidence: f32,
}

/// Buffers `Inner::add_name` reuses from name to name, so that a
/// million-name build does not allocate them a million times.
#[derive(Default)]
struct Scratch {
    /// The name's parts joined by spaces.
    joined: String,
    /// The symbols of the key being pushed.
    symbols: Symbols,
    /// Part spellings met, each with its symbols and the index of its
    /// ending mask: a table spells its parts alike over and over (scale-dev:
    /// 12,069 spellings for two million part keys). Rewriting every part
    /// took 0.8 G of the 12.9 G instructions of building 200,000 of
    /// scale-dev's entities, its ending masks more: remembered, the build
    /// takes 11.3 G. At most [`REMEMBERED_PARTS`].
    parts: HashMap<String, (Symbols, u16)>,
}

/// The most part spellings a build remembers (see `Scratch::parts`): the
/// common ones come early and are most of the keys, and a table whose parts
/// are all distinct (company names) must not hold a copy of each during
/// the build. About 100 bytes a spelling: some 6 MiB at most. (At
/// scale-dev's million names the heap stays 10 MB larger after the build,
/// 246 -> 256 bytes a name resident, though the map is under 2 MB and
/// freed: the allocator's doing. Kept in two arenas instead, or made with
/// room for every spelling before the build's vectors grow, it stayed so
/// or grew; peak 487 -> 481 MiB.)
const REMEMBERED_PARTS: usize = 1 << 16;

/// A hash of a folded word (foldhash with a fixed seed, so that a table's
/// words and the text's hash alike): a 64-bit key for the set of name
/// words. (SipHash, the standard hasher, was a twentieth of a million-name
/// build.)
pub(super) fn word_hash(word: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0).hash_one(word)
}

impl Inner {
    pub(super) fn new(
        table: AliasTable,
        normalizer: Normalizer,
        rewriter: Rewriter,
        costs: CostModel,
        settings: &ResolverBuilder,
    ) -> Inner {
        super::calibrate::parse_model();
        let mut inner = Inner {
            table: AliasTable::new(),
            normalizer,
            rewriter,
            abjad_costs: costs.for_abjad(),
            costs,
            names: Vec::new(),
            exact: ExactIndex::default(),
            keys: Vec::new(),
            ending_masks: Vec::new(),
            key_symbols: Vec::new(),
            entity_keys: Vec::new(),
            max_parts: 0,
            whole_index: Default::default(),
            part_index: Default::default(),
            part_blocks: Default::default(),
            exhaustive: false,
            digit_ids: [(String::new(), 0)].into_iter().collect(),
            threshold: settings.threshold,
            margin: settings.margin,
            family_words: Default::default(),
            given_words: Default::default(),
            vocabulary: Default::default(),
            known_words: settings.known_words,
            standalone_confidence: settings.standalone_confidence,
        };
        // Room for every name and about three keys a name at once: a
        // million names grew these vectors by reallocation, and the
        // allocator merged the many small blocks freed meanwhile each
        // time (a tenth of the build in `malloc_consolidate`).
        let names: usize = table.entities().iter().map(|e| 1 + e.aliases.len()).sum();
        inner.names.reserve_exact(names);
        inner.keys.reserve(3 * names);
        // The distinct name parts, while there are few enough to keep a
        // vocabulary of (a large table stops collecting early).
        let mut parts = Some(HashSet::default());
        let mut scratch = Scratch::default();
        for (e, entity) in table.entities().iter().enumerate() {
            let first_key = inner.keys.len() as u32;
            let personal = entity.is_personal();
            for (a, name) in entity.names().enumerate() {
                let alias = a.checked_sub(1).map(|a| a as u32);
                inner.add_name(e as u32, alias, personal, name, &mut parts, &mut scratch);
            }
            inner.entity_keys.push((first_key, inner.keys.len() as u32));
        }
        inner.exact.finish();
        // Hashes, a million of them at a million names: sorted by buckets
        // (`sort_spread`, 0.17 G of the 7.16 G instructions of building
        // 200,000 scale-dev entities as one comparison sort).
        for words in [&mut inner.family_words, &mut inner.given_words] {
            *words = sort_spread(words, |&w| w, |&w| (w >> 32) as u32);
            words.dedup();
            words.shrink_to_fit();
        }
        if let Some(parts) = parts {
            let mut parts: Vec<String> = parts.into_iter().collect();
            parts.sort_unstable();
            let parts = parts.iter().map(String::as_str);
            inner.vocabulary = Vocabulary::new(parts, &inner.rewriter, &inner.costs);
        }
        inner.table = table;
        inner.max_parts = inner
            .names
            .iter()
            .map(|n| usize::from(n.n_parts))
            .max()
            .unwrap_or(0);
        inner.exhaustive = settings
            .exhaustive
            .unwrap_or(inner.keys.len() <= AUTO_EXHAUSTIVE_KEYS);
        // Part spellings interned first: the part index files each once.
        inner.intern_symbols();
        // The indexes file names: a name met through any of its keys has
        // all of them verified, so that its score is the one the exhaustive
        // search gives it.
        let keys = (0u32..).zip(&inner.keys);
        let symbols = |k: &Key| &inner.key_symbols[k.start as usize..][..usize::from(k.len)];
        let whole_index = CoarseIndex::build(
            keys.clone()
                .filter(|(_, k)| k.part().is_none())
                .map(|(_, k)| (k.name, symbols(k))),
            &inner.costs,
        );
        let part_index = SpellingIndex::build(
            keys.filter(|(_, k)| k.meets_parts())
                .map(|(_, k)| (k.name, symbols(k))),
            &inner.costs,
        );
        // A name's keys are together, its part keys in part order.
        let part_blocks = PartBlocks::build((0..inner.names.len() as u32).map(|name| {
            let keys = inner.name_keys(name);
            let keys = &inner.keys[keys.start as usize..keys.end as usize];
            (
                name,
                keys.iter().filter(|k| k.part().is_some()).map(symbols),
            )
        }));
        inner.whole_index = whole_index;
        inner.part_index = part_index;
        inner.part_blocks = part_blocks;
        inner.keys.shrink_to_fit();
        inner
    }

    /// Adds a name: its exact forms and its keys; the hashes of its
    /// parts (see [`name_tokens`]) go to `distinct_parts`, which is dropped
    /// once it holds more than [`MAX_VOCABULARY_PARTS`].
    fn add_name(
        &mut self,
        entity: u32,
        alias: Option<u32>,
        personal: bool,
        name: &str,
        distinct_parts: &mut Option<HashSet<String>>,
        scratch: &mut Scratch,
    ) {
        let folded = fold(name);
        self.exact.push(&folded);
        if let Some(distinct) = distinct_parts {
            for token in name_tokens(&folded, &self.normalizer) {
                if !distinct.contains(token) {
                    distinct.insert(token.to_owned());
                }
            }
            if distinct.len() > MAX_VOCABULARY_PARTS {
                *distinct_parts = None;
            }
        }
        let id = self.names.len() as u32;
        let first_key = self.keys.len() as u32;
        let (parts, digits) = split_parts_borrowed(&folded, &self.normalizer);
        if let [given @ .., family] = &parts[..] {
            if personal && !given.is_empty() {
                self.family_words.push(word_hash(family));
                self.given_words.extend(given.iter().map(|g| word_hash(g)));
            }
        }
        // Most names have no digits, whose id is 0 from the start: no
        // lookup of the empty string a name.
        let digits = match digits.is_empty() {
            true => 0,
            false => {
                let next_digit_id = self.digit_ids.len() as u32;
                *self.digit_ids.entry(digits).or_insert(next_digit_id)
            }
        };
        let one_part = parts.len() <= 1;
        let Scratch {
            joined,
            symbols,
            parts: remembered,
        } = scratch;
        joined.clear();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                joined.push(' ');
            }
            joined.push_str(p);
        }
        symbols.clear();
        self.rewriter.rewrite_into(joined, symbols);
        if !symbols.is_empty() {
            let endings = self.endings_of(symbols);
            self.push_key(symbols, endings, id, None, one_part, digits);
        }
        if !one_part {
            for (i, p) in parts.iter().enumerate().take(MAX_PART_KEYS) {
                let part = Some(i as u8);
                if let Some((symbols, endings)) = remembered.get(*p) {
                    self.push_key(symbols, *endings, id, part, one_part, digits);
                    continue;
                }
                symbols.clear();
                self.rewriter.rewrite_into(p, symbols);
                let endings = self.endings_of(symbols);
                self.push_key(symbols, endings, id, part, one_part, digits);
                if remembered.len() < REMEMBERED_PARTS {
                    remembered.insert((*p).to_owned(), (symbols.clone(), endings));
                }
            }
        }
        self.names.push(Name {
            entity,
            // An entity has fewer than four billion aliases: the table's
            // strings alone would not fit in memory.
            alias_index: alias.unwrap_or(CANONICAL),
            personal,
            n_parts: parts.len().min(usize::from(u8::MAX)) as u8,
            first_key,
        });
    }

    /// The index in `ending_masks` of the ending mask of a key spelled
    /// `symbols` (added if new).
    fn endings_of(&mut self, symbols: &[u8]) -> u16 {
        let mask = self
            .costs
            .ending_mask(&symbols[..symbols.len().min(MAX_KEY_SYMBOLS)]);
        let endings = match self.ending_masks.iter().position(|&m| m == mask) {
            Some(i) => i,
            None => {
                self.ending_masks.push(mask);
                self.ending_masks.len() - 1
            }
        };
        // At most 65 masks (see `Key::endings`).
        endings as u16
    }

    /// Adds a key spelled `symbols`, whose ending mask is
    /// `ending_masks[endings]`.
    fn push_key(
        &mut self,
        symbols: &[u8],
        endings: u16,
        name: u32,
        part: Option<u8>,
        one_part: bool,
        digits: u32,
    ) {
        // The verifier reads MAX_SYMBOLS symbols at most, and ending
        // alternations are short: a longer key is cut (names of a thousand
        // letters are table errors, but must not cost a thousand letters).
        let symbols = &symbols[..symbols.len().min(MAX_KEY_SYMBOLS)];
        let role = match (part, one_part) {
            (Some(i), _) => i,
            (None, true) => WHOLE_OF_ONE_PART,
            (None, false) => WHOLE,
        };
        self.keys.push(Key {
            start: self.key_symbols.len() as u32,
            name,
            digits,
            endings,
            len: symbols.len() as u8,
            role,
        });
        self.key_symbols.extend_from_slice(symbols);
    }

    /// Keeps one copy of each part spelling in the symbol arena, shared by
    /// the keys spelled alike (a given name that thousands of names share):
    /// the arena shrinks, the part index files each spelling once (it
    /// knows them by where they lie), and the verifier compares each once.
    /// The whole keys of many-part names are not shared.
    fn intern_symbols(&mut self) {
        let all = std::mem::take(&mut self.key_symbols);
        let mut arena = Vec::with_capacity(all.len());
        // Grown as spellings come: a table has far fewer distinct part
        // spellings than keys (scale-dev: 12,069 against three million), and
        // a map sized for every key was 70 MB to clear and probe at random
        // (this step 350-380 ms -> 65 ms at a million names).
        let mut starts: HashMap<&[u8], u32> = HashMap::default();
        for key in &mut self.keys {
            let symbols = &all[key.start as usize..][..usize::from(key.len)];
            let mut append = || {
                arena.extend_from_slice(symbols);
                (arena.len() - symbols.len()) as u32
            };
            // The whole name of a many-part name is nearly always its own
            // (a million of them at scale-dev): looking each up cost more
            // than the few repeats it would have saved.
            key.start = if key.meets_parts() {
                *starts.entry(symbols).or_insert_with(append)
            } else {
                append()
            };
        }
        arena.shrink_to_fit();
        self.key_symbols = arena;
    }

    /// The symbols of a key.
    pub(super) fn key_symbols(&self, key: &Key) -> &[u8] {
        key.symbols(&self.key_symbols)
    }

    /// The ids of a name's keys.
    pub(super) fn name_keys(&self, name: u32) -> std::ops::Range<u32> {
        let first = self.names[name as usize].first_key;
        let end = self
            .names
            .get(name as usize + 1)
            .map_or(self.keys.len() as u32, |n| n.first_key);
        first..end
    }

    /// The folded letter parts of a name that are not particles.
    pub(super) fn name_parts(&self, n: &Name) -> Vec<String> {
        let (mut parts, _) = split_parts(&fold(self.name_text(n)), &self.normalizer);
        parts.truncate(usize::from(u8::MAX));
        parts
    }

    /// A name's folded form, as the exact index was given it.
    pub(super) fn folded_name(&self, name: u32) -> String {
        fold(self.name_text(&self.names[name as usize]))
    }

    /// The name as the table spells it.
    fn name_text(&self, n: &Name) -> &str {
        let e = &self.table.entities()[n.entity as usize];
        match n.alias() {
            None => &e.canonical,
            Some(a) => &e.aliases[a as usize],
        }
    }

    /// A candidate answer naming `name` (a name id).
    pub(super) fn candidate(&self, name: u32, kind: MatchKind, score: f32) -> Candidate<'_> {
        let n = &self.names[name as usize];
        Candidate {
            entity: &self.table.entities()[n.entity as usize],
            matched: self.name_text(n),
            matched_canonical: n.alias().is_none(),
            kind,
            score,
            entity_index: n.entity,
        }
    }
}
