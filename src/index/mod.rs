//! Candidate generation: which keys the fuzzy core verifies for a query.
//!
//! A key's *coarse form* keeps only its consonants, folded to nine classes
//! that transliteration conventions swap freely (b/p; f/v/w; c/k/q/g/gh/kh/x;
//! the sibilants s/z/sh/zh/ch/ts/dž; d/t; l; r; m; n), with vowels, `h`, `j`
//! and repeats dropped: *Araghchi*, *Aragushi* and *Araguchi* all become
//! `R K C`, *Shitajima* and *Sitajima* `C T M`. A string with a Kunrei
//! syllable (*ti*, *tu*, *hu*) has its Hepburn form (*chi*, *tsu*, *fu*)
//! beside its own. The
//! index maps every coarse form, and every form with one class deleted
//! (a SymSpell-style deletion neighbourhood), to the keys that have it. A
//! query probes its own coarse form and its forms with up to two classes
//! deleted, so it meets every key within one substituted consonant class,
//! or up to three deleted or inserted ones, of it.
//!
//! Two such indexes serve a resolver: one over whole names, and one over
//! the parts of many-part names (with the whole keys of one-part names), so
//! that the whole query meets whole names and each query part meets name
//! parts. Parts repeat (a given name is shared by hundreds of names), so
//! the part index files each distinct spelling once and lists its names
//! apart ([`SpellingIndex`]); its postings read as the whole index's do.
//!
//! On a large table a short skeleton is shared by thousands of keys, so
//! the resolver reads the posting lists of the query's forms rarest first
//! up to a budget, votes for the names filed there (a rare form counts
//! more, and a key whose own whole skeleton equals the query's counts most)
//! and verifies only the best-voted names; see `Inner::score_names_within`.
//!
//! A name whose one part is spelled right and whose skeleton is common is
//! found the other way, by that part's exact spelling (`crate::blocks`).
//!
//! This trades recall for speed: a variant that differs from its name by
//! more consonant classes than the probes reach, or that only shares
//! forms with thousands of other keys, is not verified. The exhaustive
//! search (`ResolverBuilder::exhaustive(true)`, the default up to
//! `AUTO_EXHAUSTIVE_KEYS`) verifies every key; `benches/compare/run.sh`
//! reports what the index loses.

use crate::score::{symbol_char, CostModel, MAX_SYMBOLS};
use crate::sort::sort_spread;

mod spellings;

use spellings::Spelled;
pub(crate) use spellings::SpellingIndex;

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
#[inline(always)]
fn class(symbol: u8) -> Option<u8> {
    let c = CLASS_OF[usize::from(symbol)];
    (c != 0).then_some(c)
}

/// The consonant class byte of a symbol, 0 for symbols dropped.
const fn class_byte(symbol: u8) -> u8 {
    match symbol_char(symbol) {
        'b' | 'p' => b'B',
        'f' | 'v' | 'w' => b'F',
        'c' | 'k' | 'q' | 'g' | 'x' | 'H' => b'K',
        // One class for the sibilants: romanizations swap s and sh (Hepburn
        // *shi*, Kunrei *si*), z and zh, sz and sh, and the verifier prices
        // those swaps low, but a class apart made each such variant a
        // substitution the probes pay a deletion for, among forms thousands
        // of keys share. Merged, the dev split through the index (default
        // threshold, accuracy / false accepts) 0.7027 / 0.0555 -> 0.7198 /
        // 0.0548, against 0.7251 / 0.0385 for the exhaustive search; the
        // gold names it never retrieved 672 -> 406. Also merging d/t (for
        // *chi* / *ti*, *tsu* / *tu*): 0.7179 / 0.0582.
        's' | 'z' | 'S' | 'Z' | 'C' | 'J' | 'T' => b'C',
        'd' | 't' => b'T',
        'l' => b'L',
        'r' => b'R',
        'm' => b'M',
        'n' => b'N',
        _ => 0, // vowels, h, j, y
    }
}

/// [`class_byte`] of every byte, worked out at compile time: building an
/// index asks it of every symbol of three million keys.
const CLASS_OF: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut s = 0;
    while s < 256 {
        table[s] = class_byte(s as u8);
        s += 1;
    }
    table
};
/// The bit of each byte's class for [`consonant_classes`] (0 for none).
const CLASS_BIT: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut s = 0;
    while s < 256 {
        let mut bit = 0;
        while bit < CLASSES.len() {
            if CLASSES[bit] == CLASS_OF[s] {
                table[s] = 1 << bit;
            }
            bit += 1;
        }
        s += 1;
    }
    table
};

/// The consonant classes a symbol string spells, one bit per class (the
/// nine of [`class`]): what a respelling mostly keeps of a name part.
pub(crate) fn consonant_classes(symbols: &[u8]) -> u16 {
    (symbols.iter()).fold(0, |set, &s| set | CLASS_BIT[usize::from(s)])
}

/// The class bytes [`class`] gives, in bit order for [`consonant_classes`].
const CLASSES: [u8; 9] = *b"BFKCTLRMN";

/// A coarse form: a symbol string's classes, repeats collapsed, at most
/// one a symbol of its first [`MAX_SYMBOLS`].
#[cfg(test)]
fn coarse(symbols: &[u8]) -> Coarse {
    let mut buf = [0u8; MAX_SYMBOLS];
    let len = coarse_into(symbols, &mut buf);
    buf[..len].to_vec()
}

/// The coarse form of `symbols` (its classes, repeats collapsed, at most
/// one a symbol of its first [`MAX_SYMBOLS`]) written into `out`; its
/// length.
fn coarse_into(symbols: &[u8], out: &mut [u8; MAX_SYMBOLS]) -> usize {
    let mut len = 0;
    for &s in symbols.iter().take(MAX_SYMBOLS) {
        if let Some(c) = class(s) {
            push_collapsed(out, &mut len, c);
        }
    }
    len
}

/// Appends class `c` to the form `out[..len]` unless it ends in `c`: a run
/// of one class is one.
#[inline(always)]
fn push_collapsed(out: &mut [u8; MAX_SYMBOLS], len: &mut usize, c: u8) {
    if *len == 0 || out[*len - 1] != c {
        out[*len] = c;
        *len += 1;
    }
}

/// FNV-1a over the class bytes (or, for `crate::blocks`, a part's
/// symbols), with the length mixed in, folded to 32 bits: a collision only
/// adds a candidate that verification rejects.
pub(crate) fn hash(c: &[u8]) -> u32 {
    hash_end(hash_bytes(hash_start(c.len()), c))
}

/// [`hash`]'s state before the bytes of a string of `len` bytes.
#[inline(always)]
fn hash_start(len: usize) -> u64 {
    0xcbf2_9ce4_8422_2325 ^ len as u64
}

/// [`hash`]'s state `h` carried on over `bytes`.
#[inline(always)]
fn hash_bytes(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// [`hash`] of the bytes its state `h` has read.
#[inline(always)]
fn hash_end(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// Appends the hashes of every form of `c` with one to `depth` classes
/// deleted (not `c` itself).
fn deletions(c: &[u8], depth: usize, out: &mut Vec<u32>) {
    visit_deletions(c, depth, &mut |h| {
        out.push(h);
        false
    });
}

/// Calls `visit` with the hash of every form of `c` with one to `depth`
/// classes deleted (not `c` itself), until it returns true; whether it did.
fn visit_deletions(c: &[u8], depth: usize, visit: &mut impl FnMut(u32) -> bool) -> bool {
    // Deleting from a form of MIN_FORM classes or fewer would make forms
    // that half the table shares (`L` for Ali, Li, Lee, Eli): short names
    // meet only on their full form.
    if depth == 0 || c.len() <= MIN_FORM {
        return false;
    }
    if depth == 1 {
        return visit_single_deletions(c, visit);
    }
    visit_deletions_by_copy(c, depth, visit)
}

/// Where the form of `c` with its class `i` deleted takes `c` up again
/// after `c[..i]`, or `None` when deleting the class before it gave that
/// form already (one of a run of equal neighbours). A form is collapsed as
/// `coarse` collapses a name's: deleting a class between two equal ones
/// leaves one of them (`M N M` less `N` is `M`, the form of a name without
/// that class: *Hamhyumo* against *Hamhyunmo*; *Jewiak Kutsevol*, `F K C F
/// L`, against *Jewiakowa Kutsevol*, `F K F K C F L`).
#[inline(always)]
fn kept_after_deleting(c: &[u8], i: usize) -> Option<usize> {
    if i > 0 && c[i] == c[i - 1] {
        return None;
    }
    let rejoined = i > 0 && i + 1 < c.len() && c[i - 1] == c[i + 1];
    Some(if rejoined { i + 2 } else { i + 1 })
}

/// [`visit_deletions`] by making each form and hashing it whole.
fn visit_deletions_by_copy(c: &[u8], depth: usize, visit: &mut impl FnMut(u32) -> bool) -> bool {
    // On the stack: a query makes a few hundred of these forms. A coarse
    // form is at most MAX_SYMBOLS classes (see `coarse`).
    let mut buf = [0u8; MAX_SYMBOLS];
    for i in 0..c.len() {
        let Some(rest) = kept_after_deleting(c, i) else {
            continue;
        };
        let len = i + c.len() - rest;
        buf[..i].copy_from_slice(&c[..i]);
        buf[i..len].copy_from_slice(&c[rest..]);
        if visit(hash(&buf[..len])) || visit_deletions(&buf[..len], depth - 1, visit) {
            return true;
        }
    }
    false
}

/// [`visit_deletions`] one class deep (every key's, and the last level of
/// every query's): the same hashes in the same order, each carried on
/// from the hash of the form's beginning, which the forms share, instead
/// of computed over a copy of the form (building the whole names' index
/// of 200,000 of scale-dev's entities: 4.65 G -> 3.88 G instructions; 300
/// scale-dev queries at 1M: 399.0M -> 395.0M).
fn visit_single_deletions(c: &[u8], visit: &mut impl FnMut(u32) -> bool) -> bool {
    // The hash over c[..i] of a form one class shorter than `c`, and of
    // one two shorter (a class deleted between two equal ones, which
    // rejoin).
    let (mut one, mut two) = (
        hash_start(c.len() - 1),
        hash_start(c.len().saturating_sub(2)),
    );
    for i in 0..c.len() {
        if let Some(rest) = kept_after_deleting(c, i) {
            let start = if rest == i + 2 { two } else { one };
            if visit(hash_end(hash_bytes(start, &c[rest..]))) {
                return true;
            }
        }
        one = hash_bytes(one, &c[i..=i]);
        two = hash_bytes(two, &c[i..=i]);
    }
    false
}

/// Calls `visit` with each coarse form of a symbol string with nothing
/// deleted: its own, its Hepburn form if it has Kunrei syllables
/// ([`syllabic_into`]), and its stems' (the string without each alternating
/// ending it has). Each is made in one buffer on the stack: a build makes
/// these for a million names, and allocating each form was a tenth of
/// building the whole names' index.
fn visit_whole_forms(symbols: &[u8], costs: &CostModel, mut visit: impl FnMut(&[u8])) {
    let mut buf = [0u8; MAX_SYMBOLS];
    let len = coarse_into(symbols, &mut buf);
    visit(&buf[..len]);
    if let Some(len) = syllabic_into(symbols, &mut buf) {
        visit(&buf[..len]);
    }
    for stem in costs.stems(symbols) {
        let len = coarse_into(stem, &mut buf);
        visit(&buf[..len]);
    }
}

/// The coarse form of `symbols` read as Japanese romanized in Kunrei (or
/// Nihon) style, if it has a syllable those styles spell otherwise than
/// Hepburn: *ti* and *tu* for *chi* and *tsu* (a `t` before `i` or `u` as a
/// sibilant), *hu* for *fu* (`h` before `u` as `f`). Both a key and a
/// query have it beside their own form, so that either spelling meets the
/// other while a `t` or an `h` elsewhere keeps its class (a name read in
/// its own class is still filed there). The dev split through the index
/// (accuracy / false accepts): 0.7198 / 0.0548 -> 0.7306 / 0.0551, for 1%
/// more instructions a query, 3 more bytes a name and 15% more building
/// the whole names' index at scale-dev's million (*Martin* has such a
/// syllable too). Filing such a `t` with the sibilants instead of beside
/// its own class took *Tibet*'s form from it, the rival that kept `check`
/// from taking *Taibe* for Taipei. Written into `out`: its length, or
/// `None` without such a syllable.
fn syllabic_into(symbols: &[u8], out: &mut [u8; MAX_SYMBOLS]) -> Option<usize> {
    // The symbols of the plain letters are 1 to 26.
    const fn letter(c: u8) -> u8 {
        c - b'a' + 1
    }
    const T: u8 = letter(b't');
    const H: u8 = letter(b'h');
    const I: u8 = letter(b'i');
    const U: u8 = letter(b'u');
    // The class a Kunrei syllable's consonant is read in, given the next
    // symbol; any other symbol is read in its own class.
    let syllable = |s: u8, next: Option<u8>| match (s, next) {
        (T, Some(I | U)) => Some(b'C'),
        (H, Some(U)) => Some(b'F'),
        _ => None,
    };
    let read = |s: u8, next: Option<u8>| syllable(s, next).or_else(|| class(s));
    let symbols = &symbols[..symbols.len().min(MAX_SYMBOLS)];
    // Most strings have no such syllable: asked first, so that they make
    // no form to compare and drop. Scan asks it of every span it weighs:
    // `check` of copy-dev's planted articles (callgrind, the whole run)
    // 623.0M instructions without these forms, 634.8M making one for
    // every string, 629.0M asking first. (A symbol's own class is looked
    // up only where a syllable is: reading every symbol both ways was
    // 0.42 G of the 7.46 G instructions of building 200,000 scale-dev
    // entities, 0.12 G so.)
    let differs = |w: &[u8]| syllable(w[0], Some(w[1])).is_some_and(|c| Some(c) != class(w[0]));
    if !symbols.windows(2).any(differs) {
        return None;
    }
    let mut len = 0;
    for (i, &s) in symbols.iter().enumerate() {
        if let Some(c) = read(s, symbols.get(i + 1).copied()) {
            push_collapsed(out, &mut len, c);
        }
    }
    Some(len)
}

/// [`syllabic_into`] as a form of its own.
#[cfg(test)]
fn syllabic(symbols: &[u8]) -> Option<Coarse> {
    let mut buf = [0u8; MAX_SYMBOLS];
    syllabic_into(symbols, &mut buf).map(|len| buf[..len].to_vec())
}

/// Whether any key is within reach of `symbols` (a query), `files`
/// telling whether an index files some key under a form's hash:
/// its neighbourhood, as [`QueryForms`] holds it, meets a key's. The forms
/// are tried as they are made, whole ones first, and the first hit
/// answers: most words of copy that may be names meet some key early, and
/// sorting their few hundred forms cost more than the probes.
pub(crate) fn reaches(
    symbols: &[u8],
    costs: &CostModel,
    mut files: impl FnMut(u32) -> bool,
) -> bool {
    let mut forms: Vec<Coarse> = Vec::new();
    visit_whole_forms(symbols, costs, |form| forms.push(form.to_vec()));
    forms.iter().any(|form| files(hash(form)))
        || (forms.iter()).any(|form| visit_deletions(form, QUERY_DELETIONS, &mut files))
}

/// The deletion neighbourhood of a symbol string and of its stems (the
/// string without each alternating ending it has), hashed and
/// deduplicated: `full` gets the forms with nothing deleted, `deleted` the
/// others; `shallow`, when given, the forms one deletion makes (which are
/// also in `deleted`, unless a full form).
fn neighbourhood(
    symbols: &[u8],
    costs: &CostModel,
    depth: usize,
    full: &mut Vec<u32>,
    deleted: &mut Vec<u32>,
    mut shallow: Option<&mut Vec<u32>>,
) {
    full.clear();
    deleted.clear();
    visit_whole_forms(symbols, costs, |form| {
        full.push(hash(form));
        deletions(form, depth, deleted);
        if let Some(shallow) = shallow.as_deref_mut() {
            deletions(form, 1, shallow);
        }
    });
    full.sort_unstable();
    full.dedup();
    deleted.sort_unstable();
    deleted.dedup();
    deleted.retain(|h| full.binary_search(h).is_err());
    if let Some(shallow) = shallow {
        shallow.sort_unstable();
        shallow.dedup();
    }
}

/// Room for a query's neighbourhood, so that it is not grown push by
/// push (growing was a twentieth of scanning copy): a skeleton of eight
/// classes has about 8 + 8 * 7 forms with up to two deleted, and a stem
/// or two adds as many again.
const FORMS_EXPECTED: usize = 128;

/// Empty `full` and `deleted` vectors for [`neighbourhood`], with room.
fn neighbourhood_buffers() -> (Vec<u32>, Vec<u32>) {
    (Vec::with_capacity(4), Vec::with_capacity(FORMS_EXPECTED))
}

/// (hash, id) entries sorted, each as one integer, `hash << 32 | id`
/// ([`sort_spread`]: at a million names, 12 million entries, 0.37 s
/// against 0.57 s for one comparison sort over all of them). (As pairs,
/// the buckets' sorts compared two fields: the whole names'
/// `from_entries` for 200,000 of scale-dev's entities took 1.47 G
/// instructions, against 0.90 G as integers.)
fn sort_entries(entries: &[(u32, u32)]) -> Vec<u64> {
    let joined = |&(hash, id): &(u32, u32)| u64::from(hash) << 32 | u64::from(id);
    sort_spread(entries, joined, |&e| (e >> 32) as u32)
}

/// The (hash, id) of an entry as [`sort_entries`] joins them.
fn entry_parts(entry: u64) -> (u32, u32) {
    ((entry >> 32) as u32, entry as u32)
}

/// Marks an entry filed under a key's whole skeleton (not a deleted form):
/// ids are below 2^31 (a table of two billion names would not fit in
/// memory anyway).
const FULL_KEY: u32 = 1 << 31;

/// The ids filed under one form, as the query's probe met them: whether
/// the query's form was whole, and whether it had more than one class
/// deleted.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Posting<'i> {
    /// The entries: ids, or spellings of `spelled` (each with
    /// [`FULL_KEY`] when filed under its whole skeleton).
    entries: &'i [u32],
    /// The ids of each spelling, when the entries are spellings.
    spelled: Option<&'i Spelled>,
    /// How many ids (each once per fullness) the entries lead to.
    len: usize,
    /// Whether some id is reached through two spellings of one fullness
    /// (and must be told once).
    repeats: bool,
    full: bool,
    deep: bool,
}

impl<'i> Posting<'i> {
    /// The posting of ids `entries` (sorted).
    fn of_ids(entries: &'i [u32], full: bool, deep: bool) -> Posting<'i> {
        Posting {
            entries,
            spelled: None,
            len: entries.len(),
            repeats: false,
            full,
            deep,
        }
    }

    /// How many ids are filed here (each once, or twice when filed both
    /// under its whole skeleton and under a deleted form).
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether the query's form was whole (no class deleted).
    pub(crate) fn full(&self) -> bool {
        self.full
    }

    /// Whether the query's form had two classes deleted.
    pub(crate) fn deep(&self) -> bool {
        self.deep
    }

    /// Whether an id may come twice with one fullness in
    /// [`Posting::runs`] (two of its spellings share this form): such a
    /// visit is to be counted once, as the one-level index files it.
    pub(crate) fn repeats(&self) -> bool {
        self.repeats
    }

    /// The ids filed here (name ids, for the resolver), in runs of one
    /// fullness or of ids that carry their own: the ids filed under
    /// deleted forms first, each kind in id order for a posting of ids,
    /// spelling by spelling for one of spellings (see
    /// [`Posting::repeats`]).
    pub(crate) fn runs(&self) -> Runs<'i> {
        match self.spelled {
            None => Runs::Ids(Some(self.entries)),
            Some(spelled) => Runs::Spellings(self.entries.iter(), spelled),
        }
    }

    /// The ids [`Posting::runs`] gives, each once per fullness, in its
    /// order.
    #[cfg(test)]
    pub(crate) fn ids(&self) -> Vec<(u32, bool)> {
        let mut seen = std::collections::HashSet::new();
        (self.runs())
            .flat_map(|run| run.ids().collect::<Vec<_>>())
            .filter(|id| seen.insert(*id))
            .collect()
    }
}

/// The runs of a posting's ids (see [`Posting::runs`]).
pub(crate) enum Runs<'i> {
    /// Ids with [`FULL_KEY`], all in one run.
    Ids(Option<&'i [u32]>),
    /// Spelling entries, one run each.
    Spellings(std::slice::Iter<'i, u32>, &'i Spelled),
}

impl<'i> Iterator for Runs<'i> {
    type Item = Run<'i>;

    fn next(&mut self) -> Option<Run<'i>> {
        match self {
            Runs::Ids(ids) => ids.take().map(|entries| Run {
                entries,
                whole: None,
            }),
            Runs::Spellings(entries, spelled) => entries.next().map(|&e| Run {
                entries: spelled.ids(e & !FULL_KEY),
                whole: Some(e & FULL_KEY != 0),
            }),
        }
    }
}

/// Ids of one posting that share a fullness, or carry their own.
pub(crate) struct Run<'s> {
    entries: &'s [u32],
    /// The fullness of all, or `None` when each entry carries its
    /// [`FULL_KEY`].
    whole: Option<bool>,
}

impl Run<'_> {
    /// Each id with whether it was filed under a key's whole skeleton.
    #[inline(always)]
    pub(crate) fn ids(&self) -> impl Iterator<Item = (u32, bool)> + '_ {
        let whole = self.whole;
        self.entries.iter().map(move |&e| match whole {
            Some(full) => (e, full),
            None => (e & !FULL_KEY, e & FULL_KEY != 0),
        })
    }
}

/// Entries (a form's hash, an id) sorted, a handful per key, with a
/// directory on the hashes' top bits so that a lookup costs two memory
/// reads, not the twenty of a binary search over a million entries. An
/// entry is its id, four bytes; each form filed (a distinct hash) is eight:
/// where its ids begin, and its hash's low 16 bits, the directory's slot
/// (at least [`MIN_DIRECTORY_BITS`] of them) holding the rest.
///
/// (The low bits were kept per entry, and a lookup searched its slot's
/// entries for them: a slot that holds a common form's thousands of
/// entries took a dozen dependent reads, most of them cache misses. At
/// scale-dev's million names the index holds 12.5M entries of 3.0M
/// forms, and 40% of the entries lay in slots of more than 32.)
#[derive(Debug)]
pub(crate) struct CoarseIndex {
    /// Per entry, its id (with [`FULL_KEY`] when filed under a whole
    /// skeleton), the entries in hash order.
    ids: Vec<u32>,
    /// Per form filed, in hash order: its hash's low bits and its first
    /// entry; one more at the end, whose first entry is the entries' count.
    forms: Vec<Form>,
    /// `directory[b]`: the first form whose hash's top `bits` bits are at
    /// least `b`; one more slot at the end.
    directory: Vec<u32>,
    bits: u32,
}

/// One form of a [`CoarseIndex`]: its entries begin at `start` and end
/// where the next form's begin.
#[derive(Clone, Copy, Debug)]
struct Form {
    low: u16,
    start: u32,
}

/// The fewest bits the directory is indexed by: with the 16 a form keeps,
/// they make the whole 32-bit hash, so that two forms never share a posting
/// by the index's doing. (A table small enough to need fewer pays for a
/// directory of 65,537 slots, 256 KiB.)
const MIN_DIRECTORY_BITS: u32 = 16;

impl Default for CoarseIndex {
    fn default() -> CoarseIndex {
        CoarseIndex {
            ids: Vec::new(),
            forms: Vec::new(),
            directory: Vec::new(),
            bits: MIN_DIRECTORY_BITS,
        }
    }
}

impl CoarseIndex {
    /// Indexes `(id, symbols)` pairs; an id may come more than once (the
    /// resolver files each name under all its keys). Each pair's
    /// neighbourhood is worked out anew: the resolver's whole names and
    /// part spellings (`SpellingIndex`) are nearly all distinct, and
    /// remembering them cost more than it saved.
    pub(crate) fn build<'a>(
        keys: impl Iterator<Item = (u32, &'a [u8])>,
        costs: &CostModel,
    ) -> CoarseIndex {
        let mut entries = Vec::new();
        let (mut full, mut deleted) = (Vec::new(), Vec::new());
        for (k, symbols) in keys {
            neighbourhood(symbols, costs, KEY_DELETIONS, &mut full, &mut deleted, None);
            entries.extend(full.iter().map(|&h| (h, k | FULL_KEY)));
            entries.extend(deleted.iter().map(|&h| (h, k)));
        }
        CoarseIndex::from_entries(entries)
    }

    /// The index of `(form hash, id)` entries, the ids filed under a
    /// whole skeleton with [`FULL_KEY`] (in any order, repeats allowed).
    fn from_entries(entries: Vec<(u32, u32)>) -> CoarseIndex {
        let sorted = sort_entries(&entries);
        // (Freed before the arrays below are made: at a million names the
        // unsorted entries are 100 MB.)
        drop(entries);
        let mut entries = sorted;
        entries.dedup();
        // Where each form's entries begin (a form: a run of one hash).
        let mut ids = Vec::with_capacity(entries.len());
        let mut forms: Vec<(u32, u32)> = Vec::new();
        for (at, (h, id)) in entries.iter().map(|&e| entry_parts(e)).enumerate() {
            if forms.last().is_none_or(|&(last, _)| last != h) {
                forms.push((h, at as u32));
            }
            ids.push(id);
        }
        drop(entries);
        // Two to four forms per directory slot (half the forms, rounded
        // down to a power of two, slots): their eight bytes each, and the
        // next form's start, mostly in one cache line.
        let bits = (forms.len() / 2)
            .max(1)
            .ilog2()
            .clamp(MIN_DIRECTORY_BITS, 24);
        // How many forms each directory slot holds, summed into where each
        // slot's forms start.
        let mut directory = vec![0u32; (1 << bits) + 1];
        for &(h, _) in &forms {
            directory[Self::slot(h, bits) as usize + 1] += 1;
        }
        for b in 0..1 << bits {
            directory[b + 1] += directory[b];
        }
        let end = Form {
            low: 0,
            start: ids.len() as u32,
        };
        let forms = (forms.iter())
            .map(|&(h, start)| Form {
                low: h as u16,
                start,
            })
            .chain(std::iter::once(end))
            .collect();
        CoarseIndex {
            ids,
            forms,
            directory,
            bits,
        }
    }

    fn slot(hash: u32, bits: u32) -> u32 {
        hash.checked_shr(32 - bits).unwrap_or(0)
    }

    /// Whether some id is filed under `hash`.
    pub(crate) fn files(&self, hash: u32) -> bool {
        !self.posting(hash).is_empty()
    }

    /// The ids filed under `hash`.
    fn posting(&self, hash: u32) -> &[u32] {
        &self.ids[self.posting_range(hash)]
    }

    /// Where the ids filed under `hash` lie among the entries.
    fn posting_range(&self, hash: u32) -> std::ops::Range<usize> {
        let Some(range) = self.directory.get(Self::slot(hash, self.bits) as usize..) else {
            return 0..0;
        };
        let (from, to) = match range {
            [from, to, ..] => (*from as usize, *to as usize),
            _ => return 0..0,
        };
        // The slot holds the hash's top bits: its low 16 tell the rest.
        let low = hash as u16;
        let Some(slot_forms) = self.forms.get(from..to) else {
            return 0..0;
        };
        let Some(at) = slot_forms.iter().position(|f| f.low == low) else {
            return 0..0;
        };
        let start = slot_forms[at].start as usize;
        let end = self
            .forms
            .get(from + at + 1)
            .map_or(start, |f| f.start as usize);
        start..end
    }

    /// Appends to `out` the posting list of every form in the query's
    /// neighbourhood that some key has: the keys in each list are within
    /// reach of the query. Lists may overlap.
    pub(crate) fn postings<'i>(&'i self, query: &QueryForms, out: &mut Vec<Posting<'i>>) {
        self.probe(query, |_, entries, full, deep| {
            out.push(Posting::of_ids(entries, full, deep));
        });
    }

    /// Calls `found` with each form of the query's neighbourhood that some
    /// entry has: where its entries begin, its entries, whether it is a
    /// whole form, and whether it had two classes deleted.
    fn probe<'i>(
        &'i self,
        query: &QueryForms,
        mut found: impl FnMut(usize, &'i [u32], bool, bool),
    ) {
        // In a large index each form's directory slot and forms are cache
        // misses, the forms read after their slot. The slots of all the
        // query's forms are read first, then their first forms, in
        // loops of independent loads that the processor overlaps; the
        // search below finds them in cache (the probes of 10,000 scale-dev
        // queries at 1M, one thread: 290-325 -> 200-215 ms).
        if self.ids.len() > READ_AHEAD_ENTRIES {
            let forms = || query.full.iter().chain(&query.deleted);
            let slot = |h: u32| {
                self.directory
                    .get(Self::slot(h, self.bits) as usize)
                    .copied()
            };
            let touched = forms().fold(0u32, |t, &h| t ^ slot(h).unwrap_or(0));
            let touched = forms().fold(touched, |t, &h| {
                let first = slot(h).and_then(|from| self.forms.get(from as usize));
                t ^ first.map_or(0, |f| f.start)
            });
            std::hint::black_box(touched);
        }
        for (&h, is_full) in
            (query.full.iter().map(|h| (h, true))).chain(query.deleted.iter().map(|h| (h, false)))
        {
            let range = self.posting_range(h);
            if !range.is_empty() {
                let deep = !is_full
                    && (query.shallow.as_ref()).is_some_and(|s| s.binary_search(&h).is_err());
                found(range.start, &self.ids[range], is_full, deep);
            }
        }
    }
}

/// Above this many entries an index's probes read their slots and forms
/// ahead (see [`CoarseIndex::probe`]): 1.5 MiB of forms and ids, about
/// what the processor's second-level cache holds. A smaller index stays in
/// cache, where reading ahead is only more work (scanning 100 Reuters
/// stories with the default table, this and the resolver's read-ahead of
/// posting runs and keys together: +3.3% instructions).
const READ_AHEAD_ENTRIES: usize = 1 << 18;

/// A query's forms as the indexes probe them: its deletion neighbourhood
/// ([`QUERY_DELETIONS`] deep), worked out once for both of a resolver's
/// indexes.
pub(crate) struct QueryForms {
    full: Vec<u32>,
    deleted: Vec<u32>,
    /// The forms one deletion makes, to tell the deeper ones (`deep`);
    /// `None` when no form is deeper.
    shallow: Option<Vec<u32>>,
}

impl QueryForms {
    pub(crate) fn new(query: &[u8], costs: &CostModel) -> QueryForms {
        QueryForms::with_deletions(query, costs, QUERY_DELETIONS)
    }

    /// The forms with up to `deletions` classes deleted, fewer than
    /// [`QUERY_DELETIONS`] where the caller has other ways to the names
    /// (a query of several parts: its parts' own forms and blocks).
    pub(crate) fn with_deletions(query: &[u8], costs: &CostModel, deletions: usize) -> QueryForms {
        let (mut full, mut deleted) = neighbourhood_buffers();
        // One class deep, every deleted form is a shallow one: they are
        // not made a second time to be told apart.
        let mut shallow = (deletions > 1).then(|| Vec::with_capacity(FORMS_EXPECTED / 4));
        neighbourhood(
            query,
            costs,
            deletions,
            &mut full,
            &mut deleted,
            shallow.as_mut(),
        );
        QueryForms {
            full,
            deleted,
            shallow,
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
        // The sibilants are one class: Hepburn and Kunrei romanizations,
        // Polish and Hungarian spellings.
        assert_eq!(show("shitajima"), "CTM");
        assert_eq!(show("sitajima"), "CTM");
        assert_eq!(show("szabo"), show("sabo"));
        assert_eq!(show("snizhana"), show("snizana"));
        // Other classes stay apart.
        assert_ne!(show("sitajima"), show("titajima"));
    }

    #[test]
    fn kunrei_syllables_have_the_hepburn_form_beside_their_own() {
        let r = Rewriter::from_rules(crate::score::DEFAULT_REWRITE);
        let syllabic =
            |folded: &str| syllabic(&r.rewrite(folded)).map(|c| String::from_utf8(c).unwrap());
        for (kunrei, hepburn) in [
            ("ikeguti", "ikeguchi"),
            ("tukakosi", "tsukakoshi"),
            ("hujiyosi", "fujiyoshi"),
        ] {
            assert_ne!(show(kunrei), show(hepburn));
            assert_eq!(syllabic(kunrei), Some(show(hepburn)), "{kunrei}");
        }
        // A name without such a syllable has its own form only.
        assert_eq!(syllabic("boris"), None);
        assert_eq!(syllabic("ikeguchi"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: crate::proptest_cases(64),
            ..Default::default()
        })]

        /// Each hash's posting is exactly the ids filed under it, in id
        /// order, once each; a hash not filed has none. The hashes are
        /// drawn from few top and low bits, so that slots hold several
        /// forms, forms share their low bits across slots, and one form
        /// can fill a slot alone.
        #[test]
        fn postings_are_the_ids_filed_under_each_hash(
            entries in proptest::collection::vec((0u32..8, 0u32..4, 0u32..2, 0u32..50), 0..400),
            probes in proptest::collection::vec((0u32..8, 0u32..4, 0u32..2), 0..40),
        ) {
            let hash = |top: u32, low: u32, middle: u32| top << 29 | middle << 16 | low;
            let filed: Vec<(u32, u32)> = (entries.iter())
                .map(|&(top, low, middle, id)| (hash(top, low, middle), id))
                .collect();
            let mut want: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
            for &(h, id) in &filed {
                want.entry(h).or_default().push(id);
            }
            for ids in want.values_mut() {
                ids.sort_unstable();
                ids.dedup();
            }
            let index = CoarseIndex::from_entries(filed);
            for (h, ids) in &want {
                proptest::prop_assert_eq!(index.posting(*h), &ids[..]);
            }
            for &(top, low, middle) in &probes {
                let h = hash(top, low, middle);
                let got = index.posting(h);
                proptest::prop_assert_eq!(got, want.get(&h).map_or(&[][..], |ids| &ids[..]));
            }
        }
    }

    #[test]
    fn directory_finds_every_posting() {
        // Enough keys for a directory of many slots; every key's whole
        // skeleton must be found under its own hash.
        let r = Rewriter::from_rules(crate::score::DEFAULT_REWRITE);
        let costs = CostModel::embedded(&r);
        let names: Vec<String> = (0..3000u32)
            .map(|i| {
                let letters = b"bdfgklmnprstvz";
                (0..4)
                    .map(|d| letters[(i as usize / 14usize.pow(d)) % 14] as char)
                    .flat_map(|c| [c, 'a'])
                    .collect()
            })
            .collect();
        let keys: Vec<crate::score::Symbols> = names.iter().map(|n| r.rewrite(n)).collect();
        let index = CoarseIndex::build((0..).zip(keys.iter().map(|k| &k[..])), &costs);
        for (i, k) in keys.iter().enumerate() {
            let posting = index.posting(hash(&coarse(k)));
            assert!(posting.contains(&(i as u32 | FULL_KEY)), "{}", names[i]);
        }
        assert!(index.posting(hash(b"QQQQQQQQ")).is_empty());
    }

    #[test]
    fn fewer_deletions_are_the_shallower_forms_of_more() {
        // One class deep: the full forms, and of the deleted ones exactly
        // those one deletion makes (none marked deep), all among the
        // two-deep forms.
        let r = Rewriter::from_rules(crate::score::DEFAULT_REWRITE);
        let costs = CostModel::embedded(&r);
        for name in ["yadollah javani", "kowalska", "abbas araghchi", "li"] {
            let symbols = r.rewrite(name);
            let two = QueryForms::new(&symbols, &costs);
            let one = QueryForms::with_deletions(&symbols, &costs, 1);
            assert_eq!(one.full, two.full, "{name}");
            let two_shallow = two.shallow.as_ref().expect("two deep tells them apart");
            let shallow: Vec<u32> = (two.deleted.iter().copied())
                .filter(|h| two_shallow.binary_search(h).is_ok())
                .collect();
            assert_eq!(one.deleted, shallow, "{name}");
            assert!(one.shallow.is_none(), "{name}");
            assert!(
                one.deleted.len() < two.deleted.len() || symbols.len() < 4,
                "{name}"
            );
        }
    }

    #[test]
    fn reaches_is_whether_the_query_forms_meet_a_posting() {
        let r = Rewriter::from_rules(crate::score::DEFAULT_REWRITE);
        let costs = CostModel::embedded(&r);
        let keys: Vec<crate::score::Symbols> = ["araghchi", "khamenei", "javani", "kowalska"]
            .iter()
            .map(|k| r.rewrite(k))
            .collect();
        let index = CoarseIndex::build((0..).zip(keys.iter().map(|k| &k[..])), &costs);
        let (mut met, mut missed) = (0, 0);
        for query in [
            "aragushi",
            "xamenei",
            "jawani",
            "kowalskiej",
            "zzyzx",
            "bbbbb",
            "o",
            "",
            "qwpt",
            "mamamama",
        ] {
            let symbols = r.rewrite(query);
            let mut postings = Vec::new();
            index.postings(&QueryForms::new(&symbols, &costs), &mut postings);
            let want = !postings.is_empty();
            assert_eq!(
                reaches(&symbols, &costs, |h| index.files(h)),
                want,
                "{query}"
            );
            if want {
                met += 1;
            } else {
                missed += 1;
            }
        }
        // Both answers were asked for.
        assert!(met >= 4 && missed >= 2, "{met} {missed}");
    }

    #[test]
    fn entries_sort_as_a_comparison_sort_would() {
        let entries = crate::sort::tests::random_entries(200_000);
        let mut expected = entries.clone();
        expected.sort_unstable();
        let sorted: Vec<(u32, u32)> = (sort_entries(&entries).into_iter())
            .map(entry_parts)
            .collect();
        assert_eq!(sorted, expected);
    }

    #[test]
    fn single_deletions_hash_as_the_forms_made_whole() {
        // Every string of one to seven classes of three (runs, and classes
        // rejoined around a deletion, included), each stopped after every
        // possible number of forms.
        let strings = (1..=7u32).flat_map(|len| {
            (0..3usize.pow(len)).map(move |n| {
                (0..len)
                    .map(|k| b"BKN"[n / 3usize.pow(k) % 3])
                    .collect::<Vec<u8>>()
            })
        });
        for c in strings.filter(|c| c.len() > MIN_FORM) {
            let mut by_copy = Vec::new();
            visit_deletions_by_copy(&c, 1, &mut |h| {
                by_copy.push(h);
                false
            });
            for stop in 0..=by_copy.len() {
                let mut carried = Vec::new();
                let stopped = visit_single_deletions(&c, &mut |h| {
                    carried.push(h);
                    carried.len() == stop
                });
                let want = if stop == 0 { by_copy.len() } else { stop };
                assert_eq!(carried, by_copy[..want], "{c:?}");
                assert_eq!(stopped, stop > 0, "{c:?}");
            }
        }
    }

    #[test]
    fn a_deletion_between_equal_classes_meets_the_collapsed_form() {
        let r = Rewriter::from_rules(crate::score::DEFAULT_REWRITE);
        let costs = CostModel::embedded(&r);
        let key = r.rewrite("jewiakowa kutsevol");
        let index = CoarseIndex::build(std::iter::once((0, &key[..])), &costs);
        let mut postings = Vec::new();
        index.postings(
            &QueryForms::new(&r.rewrite("jewiak kutsevol"), &costs),
            &mut postings,
        );
        assert!(postings
            .iter()
            .any(|p| p.ids().iter().any(|&(k, _)| k == 0)));
    }

    #[test]
    fn one_class_apart_is_found() {
        let r = Rewriter::from_rules(crate::score::DEFAULT_REWRITE);
        let keys: Vec<crate::score::Symbols> = ["araghchi", "trump", "zelensky"]
            .iter()
            .map(|k| r.rewrite(k))
            .collect();
        let costs = CostModel::embedded(&r);
        let index = CoarseIndex::build((0..).zip(keys.iter().map(|k| &k[..])), &costs);
        let candidates = |query: &str| {
            let mut postings = Vec::new();
            index.postings(&QueryForms::new(&r.rewrite(query), &costs), &mut postings);
            postings
                .iter()
                .flat_map(|p| p.ids())
                .map(|(k, _)| k)
                .collect::<Vec<u32>>()
        };
        assert!(candidates("arakchin").contains(&0)); // one class more
        let out = candidates("zelenskyy");
        assert!(out.contains(&2) && !out.contains(&1));
    }
}
