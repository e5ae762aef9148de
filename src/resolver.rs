//! [`ResolverBuilder`] -> [`Resolver`] -> [`Resolution`].
//!
//! The pipeline of one `resolve` call:
//! 1. *exact*: the folded query, then the query without titles and
//!    possessive, then its compact form (spaces dropped), looked up in hash
//!    maps of every canonical name and alias;
//! 2. *fuzzy*: the query's symbol string (and, for a multi-part query, each
//!    part) against every table key within the retrieval floor, by the
//!    weighted edit distance of [`crate::score`];
//! 3. *aggregate*: per name, the better of the whole-name similarity and a
//!    part-by-part alignment (a surname alone, a missing middle name, parts
//!    in another order); per entity, its best name;
//! 4. *decide*: the best entity is the answer when its score reaches the
//!    threshold and leads the runner-up by the margin; ambiguous when another
//!    entity is within the margin; unknown otherwise.

// Seeded per process, several times faster than SipHash on the short
// keys of the hot path (name ids, spans of text, key symbols).
use foldhash::{HashMap, HashMapExt};
use std::sync::Arc;

use crate::error::Error;
use crate::exact::ExactIndex;
use crate::index::CoarseIndex;
use crate::normalize::{fold, Normalizer};
use crate::score::{CostModel, EndingMask, Prepared, Rewriter, Symbols};
use crate::table::{AliasTable, Entity};

/// Default accept threshold; see [`ResolverBuilder::threshold`].
pub const DEFAULT_THRESHOLD: f32 = 0.785;
/// Default ambiguity margin; see [`ResolverBuilder::margin`].
pub const DEFAULT_MARGIN: f32 = 0.01;

/// How much the lead over the runner-up adds to the confidence in a fuzzy
/// match, per unit of lead, and the lead beyond which it adds no more.
/// A name whose nearest rival is far away is a safer match than one with a
/// neighbour just behind: on the development split, confidence =
/// (similarity + 1.5 * min(lead, 0.2)) / 1.3 raised accuracy at a 10%
/// false-accept rate from 0.70 to 0.72 over a threshold on similarity alone.
/// It also keeps one threshold meaningful as a table grows denser.
const LEAD_WEIGHT: f32 = 1.5;
const LEAD_CAP: f32 = 0.2;

/// Confidence in the best candidate: its similarity and its lead over the
/// runner-up, combined and scaled back to [0, 1].
fn confidence(best: f32, runner_up: f32) -> f32 {
    ((best + LEAD_WEIGHT * (best - runner_up).clamp(0.0, LEAD_CAP))
        / (1.0 + LEAD_WEIGHT * LEAD_CAP))
        .clamp(0.0, 1.0)
}

/// The lowest similarity whose confidence can reach `threshold`.
pub(crate) fn similarity_floor(threshold: f32) -> f32 {
    (threshold * (1.0 + LEAD_WEIGHT * LEAD_CAP) - LEAD_WEIGHT * LEAD_CAP).max(0.0)
}

/// Similarity below which a key is not retrieved at all. Parts of a
/// multi-part name need a looser floor than whole names, since one weak part
/// can sit beside strong ones.
const PART_FLOOR: f32 = 0.6;

/// Score factor for a query that names only one part of a multi-part name:
/// the family name (`Araghchi` for `Abbas Araghchi`) keeps most of its score,
/// so that it resolves when no other entity has that name, while a full-name
/// match always ranks above it.
const SURNAME_ONLY: f32 = 0.97;
/// Score factor for a single-part query matching a part other than the last
/// one (a given name alone is weak evidence).
const OTHER_PART_ONLY: f32 = 0.6;
/// Penalty per part of the table name the query leaves out (middle names,
/// patronymics), capped at [`MISSING_PARTS_CAP`].
const MISSING_PART: f32 = 0.02;
const MISSING_PARTS_CAP: f32 = 0.06;
/// Penalty for query parts matched in another order than the name's.
const CROSSED_PARTS: f32 = 0.03;

/// The most parts of a query the fuzzy core aligns; later parts are
/// ignored (a name has a handful; a 1 MB line must not cost a million
/// alignments).
pub const MAX_QUERY_PARTS: usize = 12;

/// Up to this many fuzzy keys (names and parts of multi-part names), the
/// resolver verifies every key by default instead of using the lossy index:
/// a few milliseconds per fuzzy query at most, and no answer lost.
pub const AUTO_EXHAUSTIVE_KEYS: usize = 20_000;

/// Symbols kept of a key: the verifier reads `MAX_SYMBOLS`; the rest
/// leaves room for an ending alternation to strip.
const MAX_KEY_SYMBOLS: usize = 255;

/// Up to this many candidates, keys spelled alike are verified once.
const SHARED_FORMS_UP_TO: usize = 4096;

/// How far below its levels the scan's decisive search bounds names, so
/// that float rounding can never make it drop a name that counts.
const DECISIVE_SLACK: f32 = 1e-3;

/// The most index entries one query reads; see `score_names_within`.
const CANDIDATE_BUDGET: usize = 4096;

/// How much more a vote counts when the query's whole skeleton is a key's
/// whole skeleton than when classes were deleted on either side.
const FULL_FORM_VOTE: f32 = 8.0;

/// The most names the fuzzy verifier scores per query.
const VERIFIED_NAMES: usize = 128;

/// How a name was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum MatchKind {
    /// The query folds to the entity's canonical name.
    Exact,
    /// The query folds to one of the entity's aliases.
    Alias,
    /// The query equals a name once titles, a possessive or the spaces
    /// between parts are removed (`President Trump`, `Khorram Shahr-4`).
    Normalized,
    /// The query is a variant spelling, found by the fuzzy core.
    Fuzzy,
}

impl MatchKind {
    /// Lowercase name: `exact`, `alias`, `normalized`, `fuzzy`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Alias => "alias",
            MatchKind::Normalized => "normalized",
            MatchKind::Fuzzy => "fuzzy",
        }
    }
}

/// One entity a query may be, with the name it matched and how well.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Candidate<'r> {
    /// The entity.
    pub entity: &'r Entity,
    /// The table name (canonical or alias) that matched best.
    pub matched: &'r str,
    /// Whether `matched` is the canonical name.
    pub matched_canonical: bool,
    /// How it matched.
    pub kind: MatchKind,
    /// Similarity in [0, 1]; 1 for exact, alias and normalized matches.
    pub score: f32,
    /// The entity's position in the table, for lookups without searching.
    pub(crate) entity_index: u32,
}

/// What `resolve` decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// One entity: [`Resolution::best`].
    Resolved,
    /// Several entities within the margin: [`Resolution::candidates`].
    Ambiguous,
    /// No entity reached the threshold.
    Unknown,
}

/// How one part of the query lined up with one part of the matched name.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PartMatch {
    /// The query part (folded).
    pub query: String,
    /// The table name's part (folded), empty when the query part matched
    /// nothing.
    pub name: String,
    /// Similarity of the two parts.
    pub score: f32,
    /// The edit operations that cost something, as `x>y` (`-` = nothing) in
    /// the romanized symbol alphabet, with their costs.
    pub edits: Vec<(String, f32)>,
}

/// Why the best candidate got its score.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Explanation {
    /// The query after title/possessive removal and folding.
    pub normalized_query: String,
    /// Part-by-part alignment (one entry for single-part names).
    pub parts: Vec<PartMatch>,
    /// Adjustments applied to the aggregate, in words.
    pub notes: Vec<String>,
}

/// The answer of [`Resolver::resolve`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Resolution<'r> {
    /// Resolved, ambiguous or unknown.
    pub outcome: Outcome,
    /// The answer when resolved; otherwise the nearest entity, if any was
    /// within reach.
    pub best: Option<Candidate<'r>>,
    /// The best-scoring other entity. In a [`Mention`](crate::Mention),
    /// only one that bears on the confidence: scoring within 0.2 of `best`.
    pub runner_up: Option<Candidate<'r>>,
    /// When ambiguous, every entity within the margin of the best, best
    /// first; otherwise empty.
    pub candidates: Vec<Candidate<'r>>,
    /// How sure the answer is, in [0, 1]: 1 for exact, alias and normalized
    /// matches; for fuzzy ones, the best candidate's similarity combined
    /// with its lead over the runner-up. The threshold applies to this.
    pub confidence: f32,
    /// Why `best` scored as it did: fuzzy matches of
    /// [`Resolver::resolve_explained`] only.
    pub explanation: Option<Explanation>,
}

impl<'r> Resolution<'r> {
    /// The resolved entity, when the outcome is [`Outcome::Resolved`].
    pub fn entity(&self) -> Option<&'r Entity> {
        match self.outcome {
            Outcome::Resolved => self.best.as_ref().map(|c| c.entity),
            _ => None,
        }
    }

    /// The resolved entity's id.
    pub fn id(&self) -> Option<&'r str> {
        self.entity().map(|e| e.id.as_str())
    }

    /// The status word of the CLI's JSON: `exact` or `alias` for a match
    /// of the canonical name or an alias (normalized matches included),
    /// `fuzzy`, `ambiguous` or `unknown`.
    pub fn status(&self) -> &'static str {
        match (self.outcome, &self.best) {
            (Outcome::Resolved, Some(c)) => match c.kind {
                MatchKind::Fuzzy => "fuzzy",
                _ if c.matched_canonical => "exact",
                _ => "alias",
            },
            (Outcome::Ambiguous, _) => "ambiguous",
            _ => "unknown",
        }
    }

    /// How sure the answer is: [`Resolution::confidence`].
    pub fn score(&self) -> f32 {
        self.confidence
    }

    fn unknown() -> Resolution<'r> {
        Resolution {
            outcome: Outcome::Unknown,
            best: None,
            runner_up: None,
            candidates: Vec::new(),
            confidence: 0.0,
            explanation: None,
        }
    }
}

/// Settings of a [`Resolver`]; [`Resolver::builder`] starts one.
///
/// ```
/// use canonym::{AliasTable, Entity, Resolver};
/// let mut table = AliasTable::new();
/// table.push(Entity::new("araghchi", "Abbas Araghchi"))?;
/// let resolver = Resolver::builder().threshold(0.8).margin(0.05).build(table)?;
/// assert_eq!(resolver.resolve("Aragushi").id(), Some("araghchi"));
/// assert!(Resolver::builder().threshold(1.5).build(AliasTable::new()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ResolverBuilder {
    threshold: f32,
    margin: f32,
    titles: Vec<String>,
    endings: bool,
    rewrite: bool,
    fitted_costs: bool,
    exhaustive: Option<bool>,
}

impl Default for ResolverBuilder {
    fn default() -> ResolverBuilder {
        ResolverBuilder {
            threshold: DEFAULT_THRESHOLD,
            margin: DEFAULT_MARGIN,
            titles: Vec::new(),
            endings: true,
            rewrite: true,
            fitted_costs: true,
            exhaustive: None,
        }
    }
}

impl ResolverBuilder {
    /// Lowest score at which a fuzzy match is accepted. Default
    /// [`DEFAULT_THRESHOLD`]; valid range (0, 1].
    pub fn threshold(mut self, threshold: f32) -> ResolverBuilder {
        self.threshold = threshold;
        self
    }

    /// How far the best entity must lead every other for the answer not to
    /// be ambiguous. Default [`DEFAULT_MARGIN`]; valid range [0, 0.5].
    pub fn margin(mut self, margin: f32) -> ResolverBuilder {
        self.margin = margin;
        self
    }

    /// Adds a title to strip before names (`Comrade`, `Sheikha`); the
    /// embedded list (`data/titles.txt`) is always included.
    pub fn title(mut self, title: impl Into<String>) -> ResolverBuilder {
        self.titles.push(title.into());
        self
    }

    /// Whether alternating name endings (`-owa`, `-ówna`, `-ski`/`-ska`)
    /// count as cheap edits. Default on; off only for ablation studies.
    pub fn endings(mut self, on: bool) -> ResolverBuilder {
        self.endings = on;
        self
    }

    /// Whether romanization conventions are rewritten to common symbols
    /// before comparing (`sch`/`sh`, `kh`, doubled letters). Default on; off
    /// only for ablation studies.
    pub fn romanization_rules(mut self, on: bool) -> ResolverBuilder {
        self.rewrite = on;
        self
    }

    /// Whether the fitted edit costs are used (else every edit costs 1).
    /// Default on; off only for ablation studies.
    pub fn fitted_costs(mut self, on: bool) -> ResolverBuilder {
        self.fitted_costs = on;
        self
    }

    /// Whether fuzzy search verifies every table name (`true`) or only the
    /// candidates of the index (`false`). By default the resolver decides:
    /// exhaustive up to 20,000 fuzzy keys, indexed above. Scanning text
    /// ([`Resolver::scan`]) always uses the index: most spans of copy are no
    /// name, and each is looked up.
    ///
    /// The index (see `src/index.rs`) trades recall for speed: a query reads
    /// at most 4,096 index entries and verifies at most 128 names (each with
    /// all its keys, so that a name it scores gets the exhaustive score). On
    /// the development split (7,900 names, 21,329 queries) it answered
    /// accuracy 0.684 with 10.8% false accepts against 0.713 and 9.3%
    /// exhaustively,
    /// in a twentieth of the time; the runner-ups it misses make it a little
    /// over-confident.
    pub fn exhaustive(mut self, on: bool) -> ResolverBuilder {
        self.exhaustive = Some(on);
        self
    }

    /// Builds the resolver: folds and indexes every name of `table`.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when the threshold or margin is out of range
    /// (or not a number).
    pub fn build(self, table: AliasTable) -> Result<Resolver, Error> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(Error::InvalidConfig {
                setting: "threshold",
                value: self.threshold.to_string(),
                reason: "must be in (0, 1]",
            });
        }
        if !(0.0..=0.5).contains(&self.margin) {
            return Err(Error::InvalidConfig {
                setting: "margin",
                value: self.margin.to_string(),
                reason: "must be in [0, 0.5]",
            });
        }
        let mut normalizer = Normalizer::default();
        for t in &self.titles {
            normalizer.add_title(t);
        }
        let rewriter = if self.rewrite {
            Rewriter::from_rules(crate::score::DEFAULT_REWRITE)
        } else {
            Rewriter::from_rules("")
        };
        let mut costs = if self.fitted_costs {
            CostModel::embedded(&rewriter)
        } else {
            let mut c = CostModel::unit();
            c.load_suffixes(crate::score::DEFAULT_SUFFIXES, &rewriter);
            c
        };
        costs.suffix_enabled = self.endings;
        Ok(Resolver {
            inner: Arc::new(Inner::new(table, normalizer, rewriter, costs, &self)),
        })
    }
}

/// Resolves names to the entities of an [`AliasTable`].
///
/// Immutable once built, `Send + Sync`, and cheap to clone (an `Arc`).
///
/// ```
/// use canonym::{AliasTable, Entity, Outcome, Resolver};
/// let mut table = AliasTable::new();
/// table.push(Entity::new("araghchi", "Abbas Araghchi").kind("person"))?;
/// table.push(Entity::new("javani", "Yadollah Javani").kind("person"))?;
/// let resolver = Resolver::new(table)?;
///
/// let r = resolver.resolve("Aragushi");
/// assert_eq!(r.outcome, Outcome::Resolved);
/// assert_eq!(r.entity().unwrap().canonical, "Abbas Araghchi");
/// assert_eq!(resolver.resolve("Yadol Javani").id(), Some("javani"));
/// assert_eq!(resolver.resolve("Aragorn").outcome, Outcome::Unknown);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Resolver {
    pub(crate) inner: Arc<Inner>,
}

/// One table name (canonical or alias) of one entity.
#[derive(Debug)]
pub(crate) struct Name {
    pub(crate) entity: u32,
    /// `None` for the canonical name, else the alias index.
    pub(crate) alias: Option<u32>,
    /// Whether the entity may be named by its last part alone: people, and
    /// entities of no stated kind.
    personal: bool,
    /// How many letter parts that are not particles the name has (see
    /// `split_parts`); the parts themselves are recomputed where needed
    /// ([`Inner::name_parts`]), off the hot path, to keep names small.
    pub(crate) n_parts: u8,
    /// The name's keys are `keys[first_key..]` up to the next name's.
    first_key: u32,
}

/// A fuzzy key: the symbols of a whole name, or of one part of a
/// multi-part name.
#[derive(Clone, Copy, Debug)]
///
/// Everything the verifier needs to accept or reject a key is here or in
/// the symbol arena, so that rejecting a candidate touches two cache lines,
/// not the name's.
struct Key {
    endings: EndingMask,
    /// The key's symbols: `key_symbols[start..start + len]`.
    start: u32,
    len: u8,
    /// `None` for the whole name, else the part index.
    part: Option<u8>,
    /// Whether the name has one part only.
    one_part: bool,
    name: u32,
    /// The name's digit tokens (interned): a hard part that must agree.
    digits: u32,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) table: AliasTable,
    pub(crate) normalizer: Normalizer,
    pub(crate) rewriter: Rewriter,
    pub(crate) costs: CostModel,
    /// `costs` with vowel gaps nearly free, for queries in Arabic or Hebrew
    /// script, which mostly leave vowels unwritten.
    abjad_costs: CostModel,
    pub(crate) names: Vec<Name>,
    /// Names by folded form, with and without spaces.
    exact: ExactIndex,
    keys: Vec<Key>,
    /// The symbols of all keys, key after key.
    key_symbols: Vec<u8>,
    /// The largest number of parts of any table name.
    pub(crate) max_parts: usize,
    /// Per entity, the range of its keys in `keys`.
    entity_keys: Vec<(u32, u32)>,
    /// Candidate generation over the whole-name keys.
    whole_index: CoarseIndex,
    /// Candidate generation over the part keys and the whole keys of
    /// one-part names: what one part of a query may meet.
    part_index: CoarseIndex,
    /// Verify every key instead of the index's candidates.
    exhaustive: bool,
    /// Digit sequences -> their ids; the empty sequence is 0.
    digit_ids: HashMap<String, u32>,
    threshold: f32,
    margin: f32,
}

/// How a fuzzy search runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Search {
    /// `resolve`: the index above `AUTO_EXHAUSTIVE_KEYS` keys, every key
    /// below; every name within reach scored, so that even an unknown
    /// query says what came closest.
    Resolve,
    /// Text scanning: always the index (most spans are no name at all),
    /// and only the names that can decide the outcome scored (see
    /// `Inner::score_decisive`): an unknown span is dropped anyway. A best
    /// under `at_least` is unknown too: the caller has a span that such a
    /// best cannot beat.
    Scan {
        /// The lowest best similarity that the caller can use.
        at_least: f32,
    },
}

/// A key within reach of the query: (query part or `None` for the whole
/// query, key part or `None` for the whole name, similarity).
type KeyHit = (Option<u8>, Option<u8>, f32);

/// A query part (`usize::MAX` for the whole query), the name part it was
/// aligned with, and their similarity.
type PartAssignment = (usize, Option<usize>, f32);

/// Score of one name for a query, as aggregated from its key matches.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NameScore {
    pub(crate) name: u32,
    pub(crate) score: f32,
}

/// Vote totals per name: open addressing over a power-of-two table sized
/// for the entries one query reads, so that counting costs one probe per
/// entry read and listing the totals costs one step per name voted for.
struct Votes {
    /// Index into `totals`, or `EMPTY`.
    slots: Vec<u32>,
    totals: Vec<(u32, f32)>,
}

impl Votes {
    const EMPTY: u32 = u32::MAX;

    fn with_room(keys: usize) -> Votes {
        Votes {
            slots: vec![Votes::EMPTY; (2 * keys).max(2).next_power_of_two()],
            totals: Vec::with_capacity(keys),
        }
    }

    fn add(&mut self, id: u32, weight: f32) {
        let mask = self.slots.len() - 1;
        let mut i = (id.wrapping_mul(0x9E37_79B9) as usize) & mask;
        loop {
            match self.slots[i] {
                Votes::EMPTY => {
                    // The table has room for twice the entries read.
                    self.slots[i] = self.totals.len() as u32;
                    self.totals.push((id, weight));
                    return;
                }
                t if self.totals[t as usize].0 == id => {
                    self.totals[t as usize].1 += weight;
                    return;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// (id, total) in the order ids were first voted for.
    fn into_vec(self) -> Vec<(u32, f32)> {
        self.totals
    }
}

/// Candidate keys copied out of the resolver for verification, each with
/// its form: keys spelled alike share one, and `forms[form]` is where its
/// symbols begin in `symbols`.
struct Batch {
    keys: Vec<(Key, u32)>,
    symbols: Vec<u8>,
    forms: Vec<u32>,
}

/// A query as the decisive search bounds it: its prepared whole and parts,
/// the parts' weights in [`Inner::aggregate`] and their order longest
/// first, and the floors under which a comparison is not a hit.
struct Bounded<'p, 's> {
    whole: &'p Prepared<'s>,
    parts: &'p [Prepared<'s>],
    weights: Vec<f32>,
    total: f32,
    longest_first: Vec<usize>,
    whole_floor: f32,
    part_floor: f32,
}

impl<'p, 's> Bounded<'p, 's> {
    fn new(
        whole: &'p Prepared<'s>,
        parts: &'p [Prepared<'s>],
        whole_floor: f32,
        part_floor: f32,
    ) -> Bounded<'p, 's> {
        let weights: Vec<f32> = parts.iter().map(|p| p.len().max(1) as f32).collect();
        let mut longest_first: Vec<usize> = (0..parts.len()).collect();
        longest_first.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
        Bounded {
            whole,
            parts,
            total: weights.iter().sum(),
            weights,
            longest_first,
            whole_floor,
            part_floor,
        }
    }
}

/// What is known of the similarity of each form of a batch to each query
/// slot (the whole query, then each part): a comparison that exited under
/// one floor need not be made again under a higher one.
struct SimCache {
    slots: usize,
    /// NaN: not compared; in [0, 1]: the similarity; `-1 - f`: under `f`.
    known: Vec<f32>,
}

impl SimCache {
    fn new(forms: usize, slots: usize) -> SimCache {
        SimCache {
            slots,
            known: vec![f32::NAN; forms * slots],
        }
    }

    /// The similarity of `key` (of `form`) to `q` in `slot`, if it is
    /// `floor` or more.
    #[allow(clippy::too_many_arguments)]
    fn get(
        &mut self,
        costs: &CostModel,
        batch: &Batch,
        key: &Key,
        form: u32,
        slot: usize,
        q: &Prepared<'_>,
        floor: f32,
    ) -> Option<f32> {
        let known = &mut self.known[form as usize * self.slots + slot];
        if *known >= 0.0 {
            return (*known >= floor).then_some(*known);
        }
        if *known <= -1.0 && floor >= -1.0 - *known {
            return None;
        }
        let symbols = &batch.symbols[batch.forms[form as usize] as usize..][..usize::from(key.len)];
        let sim = costs.similarity_prepared(q, symbols, key.endings, floor);
        *known = sim.unwrap_or(-1.0 - floor);
        sim
    }
}

/// Whether an entity may be named by its family name alone: people, and
/// entities of no stated kind.
fn personal_kind(entity: &Entity) -> bool {
    entity
        .kind
        .as_deref()
        .is_none_or(|k| k.eq_ignore_ascii_case("person"))
}

/// Splits a folded name into its letter parts that are not particles, and
/// its digit tokens.
fn split_parts(folded: &str, normalizer: &Normalizer) -> (Vec<String>, String) {
    let mut parts = Vec::new();
    let mut digits = String::new();
    for token in folded.split(' ').filter(|t| !t.is_empty()) {
        if token.bytes().all(|b| b.is_ascii_digit()) {
            if !digits.is_empty() {
                digits.push(' ');
            }
            digits.push_str(token);
        } else if !normalizer.is_particle(token) {
            parts.push(token.to_owned());
        }
    }
    if parts.is_empty() {
        // A name made only of particles or initials keeps its letter tokens.
        parts = folded
            .split(' ')
            .filter(|t| !t.is_empty() && !t.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned)
            .collect();
    }
    (parts, digits)
}

impl Inner {
    fn new(
        table: AliasTable,
        normalizer: Normalizer,
        rewriter: Rewriter,
        costs: CostModel,
        settings: &ResolverBuilder,
    ) -> Inner {
        let mut inner = Inner {
            table: AliasTable::new(),
            normalizer,
            rewriter,
            abjad_costs: costs.for_abjad(),
            costs,
            names: Vec::new(),
            exact: ExactIndex::default(),
            keys: Vec::new(),
            key_symbols: Vec::new(),
            entity_keys: Vec::new(),
            max_parts: 0,
            whole_index: Default::default(),
            part_index: Default::default(),
            exhaustive: false,
            digit_ids: [(String::new(), 0)].into_iter().collect(),
            threshold: settings.threshold,
            margin: settings.margin,
        };
        for (e, entity) in table.entities().iter().enumerate() {
            let first_key = inner.keys.len() as u32;
            let personal = personal_kind(entity);
            for (a, name) in entity.names().enumerate() {
                let alias = a.checked_sub(1).map(|a| a as u32);
                inner.add_name(e as u32, alias, personal, name);
            }
            inner.entity_keys.push((first_key, inner.keys.len() as u32));
        }
        inner.exact.finish();
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
        // The indexes file names: a name met through any of its keys has
        // all of them verified, so that its score is the one the exhaustive
        // search gives it.
        let keys = (0u32..).zip(&inner.keys);
        let symbols = |k: &Key| &inner.key_symbols[k.start as usize..][..usize::from(k.len)];
        let whole_index = CoarseIndex::build(
            keys.clone()
                .filter(|(_, k)| k.part.is_none())
                .map(|(_, k)| (k.name, symbols(k))),
            &inner.costs,
        );
        let part_index = CoarseIndex::build(
            keys.filter(|(_, k)| k.part.is_some() || k.one_part)
                .map(|(_, k)| (k.name, symbols(k))),
            &inner.costs,
        );
        inner.whole_index = whole_index;
        inner.part_index = part_index;
        inner.intern_symbols();
        inner.keys.shrink_to_fit();
        inner
    }

    /// Adds a name: its exact forms and its keys.
    fn add_name(&mut self, entity: u32, alias: Option<u32>, personal: bool, name: &str) {
        let folded = fold(name);
        self.exact.push(&folded);
        let id = self.names.len() as u32;
        let first_key = self.keys.len() as u32;
        let (parts, digits) = split_parts(&folded, &self.normalizer);
        let next_digit_id = self.digit_ids.len() as u32;
        let digits = *self.digit_ids.entry(digits).or_insert(next_digit_id);
        let part_symbols: Vec<Symbols> = parts.iter().map(|p| self.rewriter.rewrite(p)).collect();
        let whole = self.rewriter.rewrite(&parts.join(" "));
        let one_part = parts.len() <= 1;
        if !whole.is_empty() {
            self.push_key(&whole, id, None, one_part, digits);
        }
        if !one_part {
            for (i, s) in part_symbols.iter().enumerate().take(usize::from(u8::MAX)) {
                self.push_key(s, id, Some(i as u8), one_part, digits);
            }
        }
        self.names.push(Name {
            entity,
            alias,
            personal,
            n_parts: parts.len().min(usize::from(u8::MAX)) as u8,
            first_key,
        });
    }

    fn push_key(
        &mut self,
        symbols: &[u8],
        name: u32,
        part: Option<u8>,
        one_part: bool,
        digits: u32,
    ) {
        // The verifier reads MAX_SYMBOLS symbols at most, and ending
        // alternations are short: a longer key is cut (names of a thousand
        // letters are table errors, but must not cost a thousand letters).
        let symbols = &symbols[..symbols.len().min(MAX_KEY_SYMBOLS)];
        self.keys.push(Key {
            endings: self.costs.ending_mask(symbols),
            start: self.key_symbols.len() as u32,
            len: symbols.len() as u8,
            part,
            one_part,
            name,
            digits,
        });
        self.key_symbols.extend_from_slice(symbols);
    }

    /// Keeps one copy of each spelling in the symbol arena, shared by the
    /// keys spelled alike (a given name that thousands of names share):
    /// the arena shrinks, and the verifier tells forms apart by where they
    /// start.
    fn intern_symbols(&mut self) {
        let all = std::mem::take(&mut self.key_symbols);
        let mut arena = Vec::new();
        let mut starts: HashMap<&[u8], u32> = HashMap::with_capacity(self.keys.len());
        for key in &mut self.keys {
            let symbols = &all[key.start as usize..][..usize::from(key.len)];
            key.start = *starts.entry(symbols).or_insert_with(|| {
                arena.extend_from_slice(symbols);
                (arena.len() - symbols.len()) as u32
            });
        }
        arena.shrink_to_fit();
        self.key_symbols = arena;
    }

    /// The symbols of a key.
    fn key_symbols(&self, key: &Key) -> &[u8] {
        &self.key_symbols[key.start as usize..][..usize::from(key.len)]
    }

    /// The ids of a name's keys.
    fn name_keys(&self, name: u32) -> std::ops::Range<u32> {
        let first = self.names[name as usize].first_key;
        let end = self
            .names
            .get(name as usize + 1)
            .map_or(self.keys.len() as u32, |n| n.first_key);
        first..end
    }

    /// The folded letter parts of a name that are not particles.
    pub(crate) fn name_parts(&self, n: &Name) -> Vec<String> {
        let (mut parts, _) = split_parts(&fold(self.name_text(n)), &self.normalizer);
        parts.truncate(usize::from(u8::MAX));
        parts
    }

    fn name_text(&self, n: &Name) -> &str {
        let e = &self.table.entities()[n.entity as usize];
        match n.alias {
            None => &e.canonical,
            Some(a) => &e.aliases[a as usize],
        }
    }

    pub(crate) fn candidate(&self, name: u32, kind: MatchKind, score: f32) -> Candidate<'_> {
        let n = &self.names[name as usize];
        Candidate {
            entity: &self.table.entities()[n.entity as usize],
            matched: self.name_text(n),
            matched_canonical: n.alias.is_none(),
            kind,
            score,
            entity_index: n.entity,
        }
    }

    /// Exact, alias and normalized lookups.
    /// The names `input` matches exactly, as an alias, or once normalized
    /// (`normalized`; `changed` when it is more than `fold(input)`).
    fn lookup_exact(
        &self,
        input: &str,
        normalized: &str,
        changed: bool,
    ) -> Option<(Vec<u32>, MatchKind)> {
        let refolded;
        let folded = if changed {
            refolded = fold(input);
            refolded.as_str()
        } else {
            normalized
        };
        let ids = self.exact.folded(folded);
        if !ids.is_empty() {
            let kind = if ids.iter().any(|&i| self.names[i as usize].alias.is_none()) {
                MatchKind::Exact
            } else {
                MatchKind::Alias
            };
            return Some((ids, kind));
        }
        if changed {
            let ids = self.exact.folded(normalized);
            if !ids.is_empty() {
                return Some((ids, MatchKind::Normalized));
            }
        }
        let compact: String = normalized.chars().filter(|&c| c != ' ').collect();
        let ids = self.exact.compact(&compact);
        (!ids.is_empty()).then_some((ids, MatchKind::Normalized))
    }

    /// Exact, alias and normalized matches only: no fuzzy search.
    pub(crate) fn resolve_exact(&self, input: &str) -> Option<Resolution<'_>> {
        let (normalized, changed) = self.normalizer.normalize_noting(input);
        if normalized.is_empty() {
            return None;
        }
        self.lookup_exact(input, &normalized, changed)
            .map(|(names, kind)| self.decide_exact(&names, kind))
    }

    /// Whether a word could be (part of) a table name: the index has a key
    /// within its reach. A cheap test (a few binary searches) that spares
    /// the fuzzy core most capitalized words of running text.
    pub(crate) fn could_be_name(&self, word: &str) -> bool {
        let symbols = self.rewriter.rewrite(&fold(word));
        self.whole_index.reaches(&symbols, &self.costs)
            || self.part_index.reaches(&symbols, &self.costs)
    }

    /// Similarity of two folded parts (no floor).
    pub(crate) fn part_similarity(&self, a: &str, b: &str) -> f32 {
        let (a, b) = (self.rewriter.rewrite(a), self.rewriter.rewrite(b));
        let (ea, eb) = (self.costs.ending_mask(&a), self.costs.ending_mask(&b));
        self.costs.similarity(&a, ea, &b, eb, 0.0).unwrap_or(0.0)
    }

    /// A fuzzy candidate for an entity the caller picked.
    pub(crate) fn fuzzy_candidate(&self, s: NameScore) -> Candidate<'_> {
        self.candidate(s.name, MatchKind::Fuzzy, s.score.clamp(0.0, 1.0))
    }

    pub(crate) fn resolve(&self, input: &str, explain: bool) -> Resolution<'_> {
        self.resolve_with(input, explain, Search::Resolve)
    }

    /// [`Inner::resolve`] with the fuzzy search run as `search` says.
    pub(crate) fn resolve_with(
        &self,
        input: &str,
        explain: bool,
        search: Search,
    ) -> Resolution<'_> {
        let (normalized, changed) = self.normalizer.normalize_noting(input);
        if normalized.is_empty() {
            return Resolution::unknown();
        }
        if let Some((names, kind)) = self.lookup_exact(input, &normalized, changed) {
            return self.decide_exact(&names, kind);
        }
        self.resolve_fuzzy(input, &normalized, explain, search)
    }

    fn decide_exact(&self, names: &[u32], kind: MatchKind) -> Resolution<'_> {
        // Several names of one entity may fold alike; keep one per entity,
        // preferring the canonical name.
        let mut per_entity: Vec<u32> = Vec::new();
        for &n in names {
            let e = self.names[n as usize].entity;
            match per_entity
                .iter_mut()
                .find(|m| self.names[**m as usize].entity == e)
            {
                Some(m) => {
                    if self.names[n as usize].alias.is_none() {
                        *m = n;
                    }
                }
                None => per_entity.push(n),
            }
        }
        let cands: Vec<Candidate<'_>> = per_entity
            .iter()
            .map(|&n| {
                let k = match kind {
                    MatchKind::Normalized => MatchKind::Normalized,
                    _ if self.names[n as usize].alias.is_none() => MatchKind::Exact,
                    _ => MatchKind::Alias,
                };
                self.candidate(n, k, 1.0)
            })
            .collect();
        if cands.len() == 1 {
            return Resolution {
                outcome: Outcome::Resolved,
                best: cands.into_iter().next(),
                runner_up: None,
                candidates: Vec::new(),
                confidence: 1.0,
                explanation: None,
            };
        }
        Resolution {
            outcome: Outcome::Ambiguous,
            best: cands.first().cloned(),
            runner_up: cands.get(1).cloned(),
            candidates: cands,
            confidence: 0.0,
            explanation: None,
        }
    }

    /// Scores every name the fuzzy core can reach from the query.
    fn score_names(
        &self,
        normalized: &str,
        costs: &CostModel,
        search: Search,
    ) -> (Vec<NameScore>, QueryForm) {
        self.score_names_within(normalized, costs, None, None, search)
    }

    /// [`Inner::score_names`], optionally only over the names of `entities`
    /// (sorted) and with a similarity floor of the caller's.
    pub(crate) fn score_names_within(
        &self,
        normalized: &str,
        costs: &CostModel,
        entities: Option<&[u32]>,
        floor: Option<f32>,
        search: Search,
    ) -> (Vec<NameScore>, QueryForm) {
        let q = QueryForm::new(normalized, self);
        let Some(&q_digits) = self.digit_ids.get(&q.digits) else {
            // No table name has these numbers: nothing can match.
            return (Vec::new(), q);
        };
        // A single-part query only counts if it can reach the decision range
        // (a part match is scaled by at most SURNAME_ONLY); parts of a
        // multi-part query are retrieved down to PART_FLOOR.
        // Rivals are retrieved down to LEAD_CAP below the lowest acceptable
        // best, so that every lead that counts is measured.
        let decision_floor =
            floor.unwrap_or((similarity_floor(self.threshold) - LEAD_CAP).max(0.0));
        let whole_floor = if q.part_symbols.len() > 1 {
            decision_floor.min(PART_FLOOR)
        } else {
            decision_floor
        };
        let part_floor = decision_floor.min(PART_FLOOR);
        // matches[name] -> list of (query part or whole, key part, sim)
        let mut hits: HashMap<u32, Vec<KeyHit>> = HashMap::new();
        let candidates: Vec<u32> = if let Some(entities) = entities {
            // Keys are laid out entity by entity: take each one's range.
            (entities.iter())
                .flat_map(|&e| {
                    let (from, to) = self.entity_keys[e as usize];
                    from..to
                })
                .collect()
        } else if self.exhaustive && search == Search::Resolve {
            (0..self.keys.len() as u32).collect()
        } else {
            self.indexed_candidates(&q, costs)
        };
        let whole = costs.prepare(&q.whole, q.whole_endings);
        let parts: Vec<Prepared<'_>> = (q.part_symbols.iter().zip(&q.part_endings))
            .map(|(s, &e)| costs.prepare(s, e))
            .collect();
        let multi_query = q.part_symbols.len() > 1;
        let batch = self.gather(&candidates, q_digits);
        if let (Search::Scan { at_least }, None) = (search, entities) {
            let query = Bounded::new(&whole, &parts, whole_floor, part_floor);
            let scores = self.score_decisive(costs, &q, &batch, &query, at_least);
            return (scores, q);
        }
        if let (Some(_), Some(floor)) = (entities, floor) {
            // Only the names at the caller's floor count (scan's context
            // pass, over every entity a text names in full): bound each
            // first.
            let query = Bounded::new(&whole, &parts, whole_floor, part_floor);
            let scores = self.score_at_least(costs, &q, &batch, &query, floor);
            return (scores, q);
        }
        self.verify(
            costs,
            &batch,
            (&whole, whole_floor),
            (&parts, part_floor),
            multi_query,
            |key, hit| {
                hits.entry(key.name).or_default().push(hit);
                true
            },
        );
        let mut scores: Vec<NameScore> = hits
            .into_iter()
            .map(|(name, h)| NameScore {
                name,
                score: self.name_score(&q, &self.names[name as usize], &h),
            })
            .collect();
        scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.name.cmp(&b.name)));
        (scores, q)
    }

    /// The keys the index puts within reach of the query: the keys of the
    /// best-voted names, name by name, best-voted first.
    fn indexed_candidates(&self, q: &QueryForm, costs: &CostModel) -> Vec<u32> {
        let mut postings = Vec::new();
        self.whole_index.postings(&q.whole, costs, &mut postings);
        if q.part_symbols.len() <= 1 {
            // A one-part query may be any part of a name.
            self.part_index.postings(&q.whole, costs, &mut postings);
        } else {
            for ps in &q.part_symbols {
                self.part_index.postings(ps, costs, &mut postings);
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
            if spent + p.len() > CANDIDATE_BUDGET {
                break;
            }
            spent += p.len();
            read += 1;
        }
        let mut votes = Votes::with_room(spent);
        for p in &postings[..read] {
            let weight = 1.0 / p.len() as f32;
            for (name, key_full) in p.ids() {
                let w = if p.full() && key_full {
                    weight * FULL_FORM_VOTE
                } else {
                    weight
                };
                votes.add(name, w);
            }
        }
        // A name met through rare forms, or through many, is the likelier
        // variant: only the best-voted names are verified, each with all
        // its keys.
        // Most votes first, then the lower id: as one integer (totals are
        // positive, so their bits order as they do), which selects and
        // sorts several times faster than comparing pairs of floats.
        let mut merged: Vec<u64> = (votes.into_vec().into_iter())
            .map(|(name, total)| (u64::from(!total.to_bits()) << 32) | u64::from(name))
            .collect();
        if merged.len() > VERIFIED_NAMES {
            merged.select_nth_unstable(VERIFIED_NAMES);
            merged.truncate(VERIFIED_NAMES);
        }
        // Best-voted first, each name's keys together: the decisive search
        // (Scan) meets the likely best early and bounds the rest by it.
        merged.sort_unstable();
        let mut candidates: Vec<u32> = Vec::new();
        for &rank in &merged {
            candidates.extend(self.name_keys(rank as u32));
        }
        candidates
    }

    /// Copies the candidate keys with the query's digits, and their symbols,
    /// into one batch. The copies are independent loads that the processor
    /// overlaps; reading each key only when its turn comes in the verifier
    /// waited for memory once per key (a fifth of a 100k-alias query).
    fn gather(&self, candidates: &[u32], q_digits: u32) -> Batch {
        let mut batch = Batch {
            keys: Vec::with_capacity(candidates.len()),
            symbols: Vec::new(),
            forms: Vec::new(),
        };
        // Keys spelled alike (a given name that many names share) are one
        // form, compared once per query part. Worth a hash lookup per key on
        // the index's few hundred candidates, not on a whole table.
        // Spellings are interned (`Inner::intern_symbols`): one form is one
        // place in the symbol arena.
        let share = candidates.len() <= SHARED_FORMS_UP_TO;
        let mut forms: HashMap<u32, u32> =
            HashMap::with_capacity(if share { candidates.len() } else { 0 });
        for &k in candidates {
            let key = self.keys[k as usize];
            if key.digits != q_digits {
                continue;
            }
            let mut new_form = || {
                batch.forms.push(batch.symbols.len() as u32);
                batch.symbols.extend_from_slice(self.key_symbols(&key));
                batch.forms.len() as u32 - 1
            };
            let form = if share {
                *forms.entry(key.start).or_insert_with(new_form)
            } else {
                new_form()
            };
            batch.keys.push((key, form));
        }
        batch
    }

    /// Scan's search: the names that can decide the outcome, with the
    /// scores [`Inner::aggregate`] gives them, best first; none when no
    /// name reaches the lowest best that can resolve.
    ///
    /// A name that cannot score within [`LEAD_CAP`] of the best cannot
    /// change the confidence (the lead is capped), so names are first
    /// bounded (see [`Inner::name_may_reach`]) against the level that
    /// would count, and only the survivors are scored in full. Text is
    /// mostly spans that are no name: they stop at the first pass.
    fn score_decisive(
        &self,
        costs: &CostModel,
        q: &QueryForm,
        batch: &Batch,
        query: &Bounded<'_, '_>,
        at_least: f32,
    ) -> Vec<NameScore> {
        let need = similarity_floor(self.threshold).max(at_least) - DECISIVE_SLACK;
        let mut sims = SimCache::new(batch.forms.len(), 1 + query.parts.len());
        // The batch holds each name's keys together, best-voted names first.
        let runs: Vec<&[(Key, u32)]> = batch.keys.chunk_by(|a, b| a.0.name == b.0.name).collect();
        let mut scored: Vec<Option<f32>> = vec![None; runs.len()];
        let mut score = |r: usize, sims: &mut SimCache| {
            *scored[r].get_or_insert_with(|| self.score_keys(costs, q, batch, runs[r], query, sims))
        };
        // First a name that reaches `need`...
        let mut best = None;
        for (r, run) in runs.iter().enumerate() {
            if self.name_may_reach(costs, batch, run, query, need, &mut sims) {
                let s = score(r, &mut sims);
                if s >= need {
                    best = Some(s);
                    break;
                }
            }
        }
        let Some(mut best) = best else {
            return Vec::new();
        };
        // ...then every name within the lead cap of the best.
        let mut scores = Vec::new();
        for (r, run) in runs.iter().enumerate() {
            let floor = best - LEAD_CAP - DECISIVE_SLACK;
            if self.name_may_reach(costs, batch, run, query, floor, &mut sims) {
                let s = score(r, &mut sims);
                if s >= floor {
                    best = best.max(s);
                    scores.push(NameScore {
                        name: run[0].0.name,
                        score: s,
                    });
                }
            }
        }
        scores.retain(|s| s.score >= best - LEAD_CAP);
        scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.name.cmp(&b.name)));
        scores
    }

    /// Every name of the batch that scores `floor` or more, with its score,
    /// best first.
    fn score_at_least(
        &self,
        costs: &CostModel,
        q: &QueryForm,
        batch: &Batch,
        query: &Bounded<'_, '_>,
        floor: f32,
    ) -> Vec<NameScore> {
        let mut sims = SimCache::new(batch.forms.len(), 1 + query.parts.len());
        let mut scores = Vec::new();
        for run in batch.keys.chunk_by(|a, b| a.0.name == b.0.name) {
            let bound = floor - DECISIVE_SLACK;
            if self.name_may_reach(costs, batch, run, query, bound, &mut sims) {
                let score = self.score_keys(costs, q, batch, run, query, &mut sims);
                if score >= floor {
                    scores.push(NameScore {
                        name: run[0].0.name,
                        score,
                    });
                }
            }
        }
        scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.name.cmp(&b.name)));
        scores
    }

    /// Whether the name whose keys are `keys` may score `floor` or more: an
    /// upper bound on [`Inner::aggregate`], which takes the larger of the
    /// whole-name match and the part matches. A lone query part is scaled
    /// by [`SURNAME_ONLY`] or [`OTHER_PART_ONLY`]; the parts of a many-part
    /// query are averaged by length, each at its best over the name's parts
    /// (at most what the assignment gives it), counting only from
    /// `part_floor`. Parts are tried longest first, each asked only for
    /// the level it needs given the rest, so that comparisons exit early.
    #[allow(clippy::too_many_arguments)]
    fn name_may_reach(
        &self,
        costs: &CostModel,
        batch: &Batch,
        keys: &[(Key, u32)],
        query: &Bounded<'_, '_>,
        floor: f32,
        sims: &mut SimCache,
    ) -> bool {
        let name = &self.names[keys[0].0.name as usize];
        let n_parts = usize::from(name.n_parts).max(1);
        if query.parts.len() <= 1 {
            return keys.iter().any(|(key, form)| {
                let factor = match key.part {
                    None => 1.0,
                    Some(j) if usize::from(j) + 1 == n_parts && name.personal => SURNAME_ONLY,
                    Some(_) => OTHER_PART_ONLY,
                };
                floor <= factor
                    && sims
                        .get(costs, batch, key, *form, 0, query.whole, floor / factor)
                        .is_some()
            });
        }
        let is_part = |key: &Key| key.part.is_some() || key.one_part;
        for (key, form) in keys.iter().filter(|(k, _)| k.part.is_none()) {
            if sims
                .get(costs, batch, key, *form, 0, query.whole, floor)
                .is_some()
            {
                return true;
            }
        }
        let mut reached = 0.0;
        let mut rest = query.total;
        for &i in &query.longest_first {
            let w = query.weights[i];
            rest -= w;
            // What this part must reach if every later one matched fully;
            // a part under `part_floor` counts nothing.
            let needed = (floor * query.total - reached - rest) / w;
            if needed <= 0.0 {
                return true;
            }
            let needed = needed.max(query.part_floor);
            let mut part_best: Option<f32> = None;
            for (key, form) in keys.iter().filter(|(k, _)| is_part(k)) {
                let level = part_best.map_or(needed, |b| b.max(needed));
                if let Some(sim) = sims.get(costs, batch, key, *form, 1 + i, &query.parts[i], level)
                {
                    part_best = Some(part_best.map_or(sim, |b| b.max(sim)));
                }
            }
            match part_best {
                Some(b) => reached += w * b,
                None => return false,
            }
        }
        reached >= floor * query.total
    }

    /// The score [`Inner::aggregate`] gives the name whose keys are `keys`,
    /// from the comparisons [`Inner::verify`] would make.
    #[allow(clippy::too_many_arguments)]
    fn score_keys(
        &self,
        costs: &CostModel,
        q: &QueryForm,
        batch: &Batch,
        keys: &[(Key, u32)],
        query: &Bounded<'_, '_>,
        sims: &mut SimCache,
    ) -> f32 {
        let multi_query = query.parts.len() > 1;
        let (whole_floor, part_floor) = (query.whole_floor, query.part_floor);
        let mut hits: Vec<KeyHit> = Vec::new();
        for (key, form) in keys {
            if !multi_query || key.part.is_none() {
                if let Some(sim) = sims.get(costs, batch, key, *form, 0, query.whole, whole_floor) {
                    hits.push((None, key.part, sim));
                }
            }
            if multi_query && (key.part.is_some() || key.one_part) {
                for (i, p) in query.parts.iter().enumerate() {
                    if let Some(sim) = sims.get(costs, batch, key, *form, 1 + i, p, part_floor) {
                        hits.push((Some(i as u8), key.part, sim));
                    }
                }
            }
        }
        if hits.is_empty() {
            return 0.0;
        }
        self.name_score(q, &self.names[keys[0].0.name as usize], &hits)
    }

    /// Compares the query with each key of the batch, calling `on_hit` for
    /// every comparison at or above its floor until it returns false.
    #[allow(clippy::too_many_arguments)]
    fn verify(
        &self,
        costs: &CostModel,
        batch: &Batch,
        (whole, whole_floor): (&Prepared<'_>, f32),
        (parts, part_floor): (&[Prepared<'_>], f32),
        multi_query: bool,
        mut on_hit: impl FnMut(&Key, KeyHit) -> bool,
    ) {
        // Per form and query slot (the whole query, then each part): the
        // similarity once computed (NaN: not yet; below 0: under the floor).
        let slots = 1 + parts.len();
        let mut known = vec![f32::NAN; batch.forms.len() * slots];
        for (key, form) in &batch.keys {
            let form = *form as usize;
            let symbols = &batch.symbols[batch.forms[form] as usize..][..usize::from(key.len)];
            let mut similarity = |slot: usize, q: &Prepared<'_>, floor| {
                let cached = &mut known[form * slots + slot];
                if cached.is_nan() {
                    *cached = costs
                        .similarity_prepared(q, symbols, key.endings, floor)
                        .unwrap_or(-1.0);
                }
                (*cached >= 0.0).then_some(*cached)
            };
            // The whole query against a part key, or a query part against
            // the whole key of a many-part name, is never aggregated (see
            // `aggregate`): only the comparisons that count are made.
            if !multi_query || key.part.is_none() {
                if let Some(sim) = similarity(0, whole, whole_floor) {
                    if !on_hit(key, (None, key.part, sim)) {
                        return;
                    }
                }
            }
            if multi_query && (key.part.is_some() || key.one_part) {
                for (i, p) in parts.iter().enumerate() {
                    if let Some(sim) = similarity(1 + i, p, part_floor) {
                        if !on_hit(key, (Some(i as u8), key.part, sim)) {
                            return;
                        }
                    }
                }
            }
        }
    }

    /// The score of one name from its key matches (see [`Inner::aggregate`]).
    fn name_score(&self, q: &QueryForm, name: &Name, hits: &[KeyHit]) -> f32 {
        self.aggregate(q, name, hits, false).0
    }

    /// Combines the key matches of one name into its score; with `detail`,
    /// also the part assignment and notes for explanations (empty without:
    /// scoring runs for every candidate, explaining for one).
    fn aggregate(
        &self,
        q: &QueryForm,
        name: &Name,
        hits: &[KeyHit],
        detail: bool,
    ) -> (f32, Vec<PartAssignment>, Vec<String>) {
        let whole = hits
            .iter()
            .filter(|(qp, kp, _)| qp.is_none() && kp.is_none())
            .map(|h| h.2)
            .fold(0.0f32, f32::max);
        let q_parts = q.part_symbols.len().max(1);
        let n_parts = usize::from(name.n_parts).max(1);
        if q_parts == 1 && n_parts == 1 {
            return (whole, vec![(0, Some(0), whole)], Vec::new());
        }
        // Part matrix: sim[i][j] for query part i, name part j.
        let mut pairs: Vec<(usize, usize, f32)> = Vec::new();
        for &(qp, kp, sim) in hits {
            let i = match (qp, q_parts) {
                (Some(i), _) => usize::from(i),
                (None, 1) => 0,
                (None, _) => continue,
            };
            let j = match (kp, n_parts) {
                (Some(j), _) => usize::from(j),
                (None, 1) => 0,
                (None, _) => continue,
            };
            pairs.push((i, j, sim));
        }
        pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        let mut q_used = vec![None::<(usize, f32)>; q_parts];
        let mut n_used = vec![false; n_parts];
        for (i, j, sim) in pairs {
            if q_used[i].is_none() && !n_used[j] {
                q_used[i] = Some((j, sim));
                n_used[j] = true;
            }
        }
        let weights: Vec<f32> = if q.part_symbols.is_empty() {
            vec![1.0]
        } else {
            q.part_symbols
                .iter()
                .map(|s| s.len().max(1) as f32)
                .collect()
        };
        let total: f32 = weights.iter().sum();
        let covered: f32 = q_used
            .iter()
            .zip(&weights)
            .map(|(u, w)| u.map_or(0.0, |(_, s)| s * w))
            .sum::<f32>()
            / total;
        let missing = n_used.iter().filter(|u| !**u).count() as f32;
        let mut notes = Vec::new();
        let mut score = covered;
        if q_parts == 1 {
            // Only people are named by one part (their family name); a lone
            // `Strait` or `Command` is not the Strait of Hormuz.
            let last = q_used[0].is_some_and(|(j, _)| j + 1 == n_parts) && name.personal;
            let factor = if last { SURNAME_ONLY } else { OTHER_PART_ONLY };
            score *= factor;
            if detail {
                notes.push(format!(
                    "one part of a {n_parts}-part name (x{factor}: {})",
                    if last {
                        "family name"
                    } else {
                        "not a family name"
                    }
                ));
            }
        } else {
            if missing > 0.0 {
                let penalty = (missing * MISSING_PART).min(MISSING_PARTS_CAP);
                score -= penalty;
                if detail {
                    notes.push(format!(
                        "{missing} name part(s) not in the query (-{penalty:.2})"
                    ));
                }
            }
            // Parts matched out of order (`Busaidi, Badr`; Korean given
            // names `taek-ki` against `ki-taek`) count a little less than
            // the same parts in order, so that of two names with the same
            // parts the one in the query's order wins.
            let order: Vec<usize> = q_used.iter().filter_map(|u| u.map(|(j, _)| j)).collect();
            let inversions = order
                .iter()
                .enumerate()
                .map(|(i, a)| order[i + 1..].iter().filter(|b| *b < a).count())
                .sum::<usize>();
            if inversions > 0 {
                score -= CROSSED_PARTS;
                if detail {
                    notes.push(format!("parts in another order (-{CROSSED_PARTS})"));
                }
            }
        }
        let assignment = q_used
            .iter()
            .enumerate()
            .map(|(i, u)| (i, u.map(|(j, _)| j), u.map_or(0.0, |(_, s)| s)))
            .collect();
        if whole >= score {
            return (whole, vec![(usize::MAX, None, whole)], Vec::new());
        }
        (score, assignment, notes)
    }

    fn resolve_fuzzy(
        &self,
        input: &str,
        normalized: &str,
        explain: bool,
        search: Search,
    ) -> Resolution<'_> {
        let costs = if input.chars().any(is_abjad) {
            &self.abjad_costs
        } else {
            &self.costs
        };
        let (scores, q) = self.score_names(normalized, costs, search);
        // Best name per entity, in score order.
        let mut seen: Vec<u32> = Vec::new();
        let mut ranked: Vec<NameScore> = Vec::new();
        for s in scores {
            let e = self.names[s.name as usize].entity;
            if !seen.contains(&e) {
                seen.push(e);
                ranked.push(s);
            }
            if ranked.len() >= 16 {
                break;
            }
        }
        let Some(&top) = ranked.first() else {
            return Resolution::unknown();
        };
        let cand =
            |s: &NameScore| self.candidate(s.name, MatchKind::Fuzzy, s.score.clamp(0.0, 1.0));
        let runner_up = ranked.get(1).map(cand);
        let second = runner_up.as_ref().map_or(0.0, |c| c.score);
        let best = cand(&top);
        let sure = confidence(best.score, second);
        let outcome = if best.score - second < self.margin
            && best.score >= similarity_floor(self.threshold)
        {
            Outcome::Ambiguous
        } else if sure >= self.threshold {
            Outcome::Resolved
        } else {
            Outcome::Unknown
        };
        let candidates = match outcome {
            Outcome::Ambiguous => ranked
                .iter()
                .take_while(|s| top.score - s.score < self.margin)
                .map(cand)
                .collect(),
            _ => Vec::new(),
        };
        let explanation = explain.then(|| self.explain(&q, normalized, top.name));
        Resolution {
            outcome,
            best: Some(best),
            runner_up,
            candidates,
            confidence: sure,
            explanation,
        }
    }

    fn explain(&self, q: &QueryForm, normalized: &str, name_id: u32) -> Explanation {
        let name = &self.names[name_id as usize];
        let name_parts = self.name_parts(name);
        let part_symbols: Vec<Symbols> = name_parts
            .iter()
            .map(|p| self.rewriter.rewrite(p))
            .collect();
        // Recompute this one name's hits without a floor, for the record.
        let mut hits = Vec::new();
        let whole_key = self.rewriter.rewrite(&name_parts.join(" "));
        let sim = |a: &[u8], b: &[u8]| {
            let (ea, eb) = (self.costs.ending_mask(a), self.costs.ending_mask(b));
            self.costs.similarity(a, ea, b, eb, 0.0).unwrap_or(0.0)
        };
        hits.push((None, None, sim(&q.whole, &whole_key)));
        for (j, ps) in part_symbols.iter().enumerate() {
            hits.push((None, Some(j as u8), sim(&q.whole, ps)));
            for (i, qs) in q.part_symbols.iter().enumerate() {
                hits.push((Some(i as u8), Some(j as u8), sim(qs, ps)));
            }
        }
        let (_, assignment, notes) = self.aggregate(q, name, &hits, true);
        let edits = |a: &[u8], b: &[u8]| -> Vec<(String, f32)> {
            // Costs in context, as the score counted them.
            (self.costs.align_costed(a, b).into_iter())
                .filter(|&(x, y, _)| x != y)
                .map(|(x, y, c)| {
                    let symbol = crate::score::symbol_char;
                    (format!("{}>{}", symbol(x), symbol(y)), c)
                })
                .collect()
        };
        let parts = assignment
            .into_iter()
            .map(|(i, j, score)| {
                let (qtext, qs) = if i == usize::MAX || q.parts.is_empty() {
                    (q.parts.join(" "), q.whole.as_slice())
                } else {
                    (q.parts[i].clone(), q.part_symbols[i].as_slice())
                };
                // A query part lined up with one part of a multi-part name
                // shows that part; a part that matched nothing shows
                // nothing; anything else compared with the whole name.
                let whole_query = i == usize::MAX;
                let (ntext, ns) = match j {
                    Some(j)
                        if name_parts.len() > 1 && (!whole_query || q.part_symbols.len() <= 1) =>
                    {
                        (name_parts[j].clone(), part_symbols[j].as_slice())
                    }
                    None if !whole_query => (String::new(), &[][..]),
                    _ => (name_parts.join(" "), whole_key.as_slice()),
                };
                PartMatch {
                    edits: if ntext.is_empty() {
                        Vec::new()
                    } else {
                        edits(qs, ns)
                    },
                    query: qtext,
                    name: ntext,
                    score,
                }
            })
            .collect();
        Explanation {
            normalized_query: normalized.to_owned(),
            parts,
            notes,
        }
    }
}

/// The query in the forms the fuzzy core compares.
#[derive(Debug)]
pub(crate) struct QueryForm {
    parts: Vec<String>,
    part_symbols: Vec<Symbols>,
    part_endings: Vec<EndingMask>,
    whole: Symbols,
    whole_endings: EndingMask,
    digits: String,
}

impl QueryForm {
    fn new(normalized: &str, inner: &Inner) -> QueryForm {
        let (mut parts, digits) = split_parts(normalized, &inner.normalizer);
        // Bounded work on any input: a name has a handful of parts, and
        // the whole-name comparison already sees only MAX_SYMBOLS symbols.
        parts.truncate(MAX_QUERY_PARTS);
        let part_symbols: Vec<Symbols> = parts.iter().map(|p| inner.rewriter.rewrite(p)).collect();
        let whole = inner.rewriter.rewrite(&parts.join(" "));
        QueryForm {
            part_endings: part_symbols
                .iter()
                .map(|s| inner.costs.ending_mask(s))
                .collect(),
            whole_endings: inner.costs.ending_mask(&whole),
            whole,
            parts,
            part_symbols,
            digits,
        }
    }
}

/// Whether a char is written in an abjad: Arabic (with Persian and Urdu
/// letters) or Hebrew script.
fn is_abjad(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{05FF}' | '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}' | '\u{FB1D}'..='\u{FB4F}' | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}')
}

impl Resolver {
    /// A resolver with default settings: `Resolver::builder().build(table)`.
    ///
    /// # Errors
    /// None with the default settings; the `Result` is that of
    /// [`ResolverBuilder::build`].
    pub fn new(table: AliasTable) -> Result<Resolver, Error> {
        Resolver::builder().build(table)
    }

    /// A builder with default settings.
    pub fn builder() -> ResolverBuilder {
        ResolverBuilder::default()
    }

    /// Resolves one name. Infallible: empty or garbage input is unknown.
    pub fn resolve(&self, name: &str) -> Resolution<'_> {
        self.inner.resolve(name, false)
    }

    /// [`Resolver::resolve`], with [`Resolution::explanation`] filled in for
    /// fuzzy matches: the part-by-part alignment, the edits that cost
    /// something and the adjustments applied. Slower; for people, not
    /// pipelines.
    ///
    /// ```
    /// let resolver = canonym::Resolver::new(canonym::AliasTable::default_table())?;
    /// let r = resolver.resolve_explained("Yadol Javani");
    /// let why = r.explanation.unwrap();
    /// assert_eq!(why.parts.len(), 2);
    /// assert_eq!(why.parts[1].name, "javani");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_explained(&self, name: &str) -> Resolution<'_> {
        self.inner.resolve(name, true)
    }

    /// Resolves many names, in input order. With the `parallel` feature
    /// (on by default through `cli`) the work is spread over every core with
    /// rayon; results are identical to calling [`Resolver::resolve`] on each.
    ///
    /// ```
    /// let resolver = canonym::Resolver::new(canonym::AliasTable::default_table())?;
    /// let out = resolver.resolve_batch(&["Kiev", "Qaddafi", "nobody at all"]);
    /// assert_eq!(out[0].id(), Some("kyiv"));
    /// assert_eq!(out.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_batch<S: AsRef<str> + Sync>(&self, names: &[S]) -> Vec<Resolution<'_>> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            names.par_iter().map(|n| self.resolve(n.as_ref())).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            names.iter().map(|n| self.resolve(n.as_ref())).collect()
        }
    }

    /// The table the resolver was built from.
    pub fn table(&self) -> &AliasTable {
        &self.inner.table
    }

    /// The normalizer used for queries (titles, possessives, folding).
    pub fn normalizer(&self) -> &Normalizer {
        &self.inner.normalizer
    }

    /// The accept threshold in force.
    pub fn threshold(&self) -> f32 {
        self.inner.threshold
    }

    /// The ambiguity margin in force.
    pub fn margin(&self) -> f32 {
        self.inner.margin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn araghchi() -> Resolver {
        let mut t = AliasTable::new();
        t.push(Entity::new("a", "Abbas Araghchi")).unwrap();
        Resolver::new(t).unwrap()
    }

    #[test]
    fn send_sync_clone() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Resolver>();
    }

    #[test]
    fn seed_variants_of_araghchi() {
        let r = araghchi();
        for q in [
            "Aragushi",
            "Araguchi",
            "Araghchi",
            "Abbas Araghchi",
            "Araghchi's",
        ] {
            assert_eq!(r.resolve(q).id(), Some("a"), "{q}: {:?}", r.resolve(q));
        }
        for q in ["Aragon", "Arak", "Aragorn", "Abbas"] {
            assert_eq!(r.resolve(q).id(), None, "{q}: {:?}", r.resolve(q));
        }
    }

    #[test]
    fn the_scan_search_only_drops_what_cannot_decide() {
        // Both searches use the index here; Scan bounds names before
        // scoring them, which must never change a decisive answer.
        let r = Resolver::builder()
            .exhaustive(false)
            .build(AliasTable::default_table())
            .unwrap();
        let inner = &r.inner;
        let mut queries: Vec<String> = Vec::new();
        for e in r.table().entities() {
            for name in e.names() {
                queries.push(name.to_owned());
                // Variants: a letter dropped, doubled, or swapped for a
                // neighbour, and the last part alone.
                let chars: Vec<char> = name.chars().collect();
                let mid = chars.len() / 2;
                let dropped: String = (chars.iter().enumerate())
                    .filter(|&(i, _)| i != mid)
                    .map(|(_, c)| c)
                    .collect();
                queries.push(dropped);
                queries.push(name.replacen('a', "aa", 1).replacen('i', "y", 1));
                queries.push(name.replacen('k', "g", 1).replacen('o', "u", 1));
                queries.extend(name.rsplit(' ').next().map(str::to_owned));
            }
        }
        queries.extend(["Zzyzx", "Tuesday", "Qwertyuiop Asdf", "Ministry"].map(String::from));
        let mut decisive = 0;
        for q in &queries {
            let full = inner.resolve_with(q, false, Search::Resolve);
            let scan = inner.resolve_with(q, false, Search::Scan { at_least: 0.0 });
            assert_eq!(full.outcome, scan.outcome, "{q}");
            if full.outcome != Outcome::Unknown {
                decisive += 1;
                assert_eq!(full.best, scan.best, "{q}");
                assert_eq!(full.confidence, scan.confidence, "{q}");
                assert_eq!(full.candidates, scan.candidates, "{q}");
                // Scan names a runner-up only when it bears on the
                // confidence: within the lead cap of the best.
                let best = full.best.as_ref().map_or(0.0, |b| b.score);
                let near = full
                    .runner_up
                    .clone()
                    .filter(|c| c.score >= best - LEAD_CAP);
                assert_eq!(near, scan.runner_up, "{q}");
            }
        }
        assert!(
            decisive > queries.len() / 2,
            "{decisive} of {}",
            queries.len()
        );
    }

    #[test]
    fn invalid_settings_are_errors() {
        for t in [0.0, -1.0, 1.01, f32::NAN] {
            assert!(Resolver::builder()
                .threshold(t)
                .build(AliasTable::new())
                .is_err());
        }
        assert!(Resolver::builder()
            .margin(0.6)
            .build(AliasTable::new())
            .is_err());
    }
}
