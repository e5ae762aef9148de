//! Mentions of names in running text, and the spellings to fix.
//!
//! [`Resolver::scan`] finds the spans of text that name a table entity:
//! runs of capitalized words (with name particles such as `al` or `bin`
//! inside), possibly broken across one line, without a leading title or a
//! trailing possessive. Each run is matched longest span first, exact
//! matches before fuzzy ones. A second pass uses the document: a partial or
//! misspelled mention attaches to an entity the text has already named in
//! full, and a surname two entities share goes to the one the text named.
//!
//! A mention whose spelling differs from the canonical spelling of the same
//! part of the name carries a [`Mention::replacement`]: `Aragushi` ->
//! `Araghchi` (the surname, not the full name), `Yadol Javani` -> `Yadollah
//! Javani`, `Kiev` -> `Kyiv`.

// Seeded per process, several times faster than SipHash on the short
// keys of the hot path (name ids, spans of text, key symbols).
use foldhash::{HashMap, HashMapExt};

use crate::normalize::fold;
use crate::resolver::{
    similarity_floor, Inner, MatchKind, NameScore, Outcome, Resolution, Resolver, Search,
};

/// Words of running text that start a sentence or a clause and are never
/// names on their own; they are skipped at the start of a capitalized run.
const COMMON_CAPITALIZED: &[&str] = &[
    "a",
    "after",
    "also",
    "an",
    "and",
    "as",
    "at",
    "before",
    "but",
    "by",
    "during",
    "for",
    "from",
    "he",
    "her",
    "his",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "meanwhile",
    "more",
    "most",
    "no",
    "not",
    "of",
    "on",
    "one",
    "or",
    "our",
    "several",
    "she",
    "since",
    "so",
    "some",
    "still",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "under",
    "until",
    "we",
    "what",
    "when",
    "where",
    "while",
    "who",
    "why",
    "with",
    "yet",
    "you",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Endings that make an adjective or demonym of a name (Iran -> Iranian,
/// Israel -> Israeli, America -> American). A word that is a table name plus
/// one of these is not a misspelling of it.
const DEMONYM_ENDINGS: &[&str] = &[
    "an", "ian", "n", "i", "ese", "ish", "ite", "ans", "ians", "is", "ns",
];

/// A longer fuzzy span wins over a shorter one unless its confidence is
/// lower by more than this.
const SPAN_TIE: f32 = 0.01;

/// Factor on an ambiguous span's score when spans compete.
const AMBIGUOUS_STRENGTH: f32 = 0.8;

/// Fuzzy matching of a lone word needs at least this many letters: shorter
/// words have too many near neighbours among ordinary words.
const MIN_FUZZY_WORD: usize = 4;

/// Similarity a mention needs to attach to an entity the document has
/// already named in full. Lower than the resolver's own bar: the document
/// has narrowed the choice to a few entities.
const CONTEXT_SIMILARITY: f32 = 0.7;

/// A name found in text.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Mention<'r> {
    /// Byte offset of the first byte of the name.
    pub start: usize,
    /// Byte offset one past the name (a possessive `'s` is not included).
    pub end: usize,
    /// The text at `start..end`.
    pub surface: String,
    /// What the name resolved to (resolved or ambiguous).
    pub resolution: Resolution<'r>,
    /// Whether the document decided it: an entity named in full earlier
    /// (or later) in the same text made this partial or misspelled mention
    /// resolve, or picked one of several entities sharing a surname.
    pub by_context: bool,
    /// The canonical spelling of the same part of the name, when the
    /// surface differs from it: a finding. `None` for canonical spellings,
    /// ambiguous mentions, and acronyms (`IRGC` stays `IRGC`).
    pub replacement: Option<String>,
}

/// A word of text: byte span, and whether it starts with a capital.
#[derive(Clone, Copy, Debug)]
struct Word {
    start: usize,
    end: usize,
    capitalized: bool,
}

/// Splits text into words: letters and digits, joined by an apostrophe or
/// hyphen between two of them (O'Brien, Al-Busaidi, Shahr-4). A trailing
/// possessive is left out of the word.
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = it.peek() {
            // (ASCII spaces and punctuation are no combining marks: the
            // table lookup is for the rest.)
            if d.is_alphanumeric()
                || (!d.is_ascii() && unicode_normalization::char::is_combining_mark(d))
            {
                end = j + d.len_utf8();
                it.next();
                continue;
            }
            let joiner = matches!(d, '\'' | '’' | 'ʼ' | '-' | '‐' | '‑');
            if joiner
                && text[j + d.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
            {
                end = j + d.len_utf8();
                it.next();
                continue;
            }
            break;
        }
        // A possessive stays outside the name.
        let word = &text[start..end];
        let stem = crate::normalize::strip_possessive(word);
        let end = start + stem.len();
        out.push(Word {
            start,
            end,
            capitalized: starts_name(&text[start..end]),
        });
    }
    out
}

/// Whether a word starts like a name: with a capital (or a letter of a
/// script without case), or with a short lowercase particle joined to a
/// capitalized word (`al-Sharaa`, `el-Sisi`, `bin-Salman`, `d'Estaing`).
fn starts_name(word: &str) -> bool {
    let cased = |c: char| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase());
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if cased(first) {
        return true;
    }
    let prefix = word
        .find(['-', '\'', '’', 'ʼ', '‐', '‑'])
        .map(|at| (&word[..at], &word[at..]));
    match prefix {
        Some((particle, rest)) if particle.chars().count() <= 3 => {
            particle.chars().all(char::is_lowercase) && rest.chars().nth(1).is_some_and(cased)
        }
        _ => false,
    }
}

/// Whether two words are close enough to be one name: only white space
/// between them, at most one line break.
fn adjacent(text: &str, a: &Word, b: &Word) -> bool {
    let gap = &text[a.end..b.start];
    !gap.is_empty() && gap.chars().all(char::is_whitespace) && gap.matches('\n').count() <= 1
}

/// A span of words the first pass could not resolve: a chance for context.
struct Loose {
    start: usize,
    end: usize,
}

impl Resolver {
    /// Finds the names of table entities in `text`, in text order.
    ///
    /// Never panics; any `&str` is valid input. Work is linear in the text
    /// length (each capitalized run is tried at most `max parts` spans per
    /// word).
    ///
    /// ```
    /// let resolver = canonym::Resolver::new(canonym::AliasTable::default_table())?;
    /// let text = "Foreign Minister Abbas Araghchi met reporters. Aragushi said talks went well.";
    /// let m: Vec<_> = resolver.scan(text).collect();
    /// assert_eq!(m[0].surface, "Abbas Araghchi");
    /// assert_eq!(m[0].replacement, None);
    /// assert_eq!(m[1].surface, "Aragushi");
    /// assert_eq!(m[1].replacement.as_deref(), Some("Araghchi"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn scan<'r>(&'r self, text: &str) -> impl Iterator<Item = Mention<'r>> {
        scan(&self.inner, text).into_iter()
    }

    /// Every [`Mention`] of `text` that carries a replacement, in text
    /// order: what `canonym fix` rewrites.
    pub fn findings<'r>(&'r self, text: &str) -> impl Iterator<Item = Mention<'r>> {
        self.scan(text).filter(|m| m.replacement.is_some())
    }

    /// `text` with every finding replaced; every other byte unchanged.
    ///
    /// ```
    /// let resolver = canonym::Resolver::new(canonym::AliasTable::default_table())?;
    /// let fixed = resolver.fix("Abbas Araghchi spoke. Later, Araguchi's aide left Kiev.");
    /// assert_eq!(fixed, "Abbas Araghchi spoke. Later, Araghchi's aide left Kyiv.");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fix(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for m in self.findings(text) {
            out.push_str(&text[at..m.start]);
            out.push_str(m.replacement.as_deref().unwrap_or(&m.surface));
            at = m.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// Resolutions already computed in this text: copy repeats its names and its
/// sentence openers, and each distinct span is resolved once.
#[derive(Default)]
struct Memo<'r, 't> {
    exact: HashMap<&'t str, Option<Resolution<'r>>>,
    /// Each span's resolution and the floor it was sought under.
    fuzzy: HashMap<&'t str, (f32, Resolution<'r>)>,
    plausible: HashMap<&'t str, bool>,
    demonym: HashMap<&'t str, bool>,
    /// Whether a longer span is only sought as far as it can beat the
    /// best shorter one (off only to test that this changes nothing).
    span_floors: bool,
}

impl<'r, 't> Memo<'r, 't> {
    fn exact(&mut self, inner: &'r Inner, span: &'t str) -> Option<Resolution<'r>> {
        self.exact
            .entry(span)
            .or_insert_with(|| inner.resolve_exact(span))
            .clone()
    }

    /// The span's resolution, or unknown if its best similarity would be
    /// under `at_least` (see [`Search::Scan`]).
    fn fuzzy(&mut self, inner: &'r Inner, span: &'t str, at_least: f32) -> Resolution<'r> {
        // A resolution found under a floor is the full one when it is not
        // unknown, and unknown stays unknown under any higher floor.
        let at_least = if self.span_floors { at_least } else { 0.0 };
        match self.fuzzy.get(span) {
            Some((floor, r)) if *floor <= at_least || r.outcome != Outcome::Unknown => {
                return r.clone()
            }
            _ => {}
        }
        let r = inner.resolve_with(span, false, Search::Scan { at_least });
        self.fuzzy.insert(span, (at_least, r.clone()));
        r
    }

    fn plausible(&mut self, inner: &'r Inner, word: &'t str) -> bool {
        *self
            .plausible
            .entry(word)
            .or_insert_with(|| inner.could_be_name(word))
    }
}

fn scan<'r>(inner: &'r Inner, text: &str) -> Vec<Mention<'r>> {
    scan_with(inner, text, true)
}

fn scan_with<'r>(inner: &'r Inner, text: &str, span_floors: bool) -> Vec<Mention<'r>> {
    let words = words(text);
    let mut memo = Memo {
        span_floors,
        ..Memo::default()
    };
    let max_span = inner.max_parts.clamp(1, 8) + 2; // particles ride along
    let mut mentions: Vec<Mention<'r>> = Vec::new();
    let mut loose: Vec<Loose> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !words[i].capitalized {
            i += 1;
            continue;
        }
        // The run of capitalized words (particles inside) starting here.
        let mut run_end = i + 1;
        while run_end < words.len() && adjacent(text, &words[run_end - 1], &words[run_end]) {
            // A possessive ends the name: "Iran's Foreign Minister ...".
            if text[words[run_end - 1].end..].starts_with(['\'', '’', 'ʼ']) {
                break;
            }
            let w = &words[run_end];
            let folded = fold(&text[w.start..w.end]);
            if w.capitalized || inner.normalizer.is_particle(&folded) {
                run_end += 1;
            } else {
                break;
            }
        }
        // Exact names first, so that a fuzzy span never swallows one; then
        // the gaps between them, fuzzily.
        let exact = exact_spans(inner, text, &words, i, run_end, max_span, &mut memo);
        let mut gap_start = i;
        for (start, len, resolution) in exact.into_iter().chain(std::iter::once((run_end, 0, None)))
        {
            fuzzy_gap(
                inner,
                text,
                &words[gap_start..start],
                max_span,
                &mut mentions,
                &mut loose,
                &mut memo,
            );
            if let Some(resolution) = resolution {
                mentions.push(mention(
                    text,
                    &words[start],
                    &words[start + len - 1],
                    resolution,
                ));
            }
            gap_start = start + len;
        }
        i = run_end.max(i + 1);
    }
    apply_context(inner, text, &mut mentions, &loose);
    // A text repeats its names: each (surface, entity) is worked out once.
    let mut replacements: HashMap<(String, u32, bool), Option<String>> = HashMap::new();
    for m in &mut mentions {
        // Only resolved mentions are fixed (see `replacement`).
        m.replacement = match &m.resolution.best {
            Some(b) if m.resolution.outcome == Outcome::Resolved => replacements
                .entry((m.surface.clone(), b.entity_index, b.matched_canonical))
                .or_insert_with(|| replacement(inner, m))
                .clone(),
            _ => None,
        };
    }
    mentions
}

/// The most words [`title_words`] looks at.
const TITLE_WINDOW: usize = 16;

/// How many words at the start of `run` form a title (0 if none, or if the
/// title is all there is); `first` is the first word, folded.
fn title_words(inner: &Inner, text: &str, run: &[Word], first: &str) -> usize {
    // Titles are a few words long: looking at a window, not the whole run,
    // keeps a run of thousands of capitalized words linear. A stack of
    // titles longer than the window is skipped a window at a time.
    let run = &run[..run.len().min(TITLE_WINDOW)];
    // Most words start no title: one word folded, not sixteen.
    if !inner
        .normalizer
        .may_start_title(first.split(' ').next().unwrap_or_default())
    {
        return 0;
    }
    let joined = fold(&text[run[0].start..run[run.len() - 1].end]);
    let len = inner.normalizer.title_prefix_len(&joined);
    if len == 0 {
        return 0;
    }
    // Count the words the title's folded bytes cover.
    let title = &joined[..len];
    let mut covered = 0;
    let mut folded_len = 0;
    for w in run {
        let f = fold(&text[w.start..w.end]);
        if folded_len + f.len() > title.trim_end().len() {
            break;
        }
        folded_len += f.len() + 1;
        covered += 1;
    }
    covered
}

fn mention<'r>(text: &str, first: &Word, last: &Word, resolution: Resolution<'r>) -> Mention<'r> {
    Mention {
        start: first.start,
        end: last.end,
        surface: text[first.start..last.end].to_owned(),
        resolution,
        by_context: false,
        replacement: None,
    }
}

/// How many words to skip at the start of `run`: a title, or a word that
/// starts sentences and is never a name; in a gap between exact matches
/// (`in_gap`), also a title of several words with nothing after it (see
/// [`lone_title`]).
fn skippable(inner: &Inner, text: &str, run: &[Word], in_gap: bool) -> usize {
    let first = fold(&text[run[0].start..run[0].end]);
    let lone = if in_gap {
        lone_title(inner, text, run, &first)
    } else {
        0
    };
    let titles = title_words(inner, text, run, &first);
    if titles > 0 {
        return titles.max(lone);
    }
    // A title with no name after it (`Commander` before a line break, or
    // before a possessive) is still not a name.
    usize::from(COMMON_CAPITALIZED.contains(&first.as_str()) || inner.normalizer.is_title(&first))
        .max(lone)
}

/// The most words of a title that [`lone_title`] looks for.
const MAX_TITLE_WORDS: usize = 4;

/// How many words at the start of `run` form a title of two to four words,
/// whatever follows (0 if none); `first` is the first word, folded.
/// [`title_words`] finds a title before a name but not one that is all
/// there is; in a gap that is `Foreign Minister` left before a name that
/// matched exactly: not a name, and not worth a fuzzy search. (Only for
/// gaps: a table may name an entity by a title, and exact matches are
/// taken before the gaps.)
fn lone_title(inner: &Inner, text: &str, run: &[Word], first: &str) -> usize {
    if !inner.normalizer.may_start_title(first) {
        return 0;
    }
    (2..=run.len().min(MAX_TITLE_WORDS))
        .rev()
        .find(|&len| {
            inner
                .normalizer
                .is_title(&fold(&text[run[0].start..run[len - 1].end]))
        })
        .unwrap_or(0)
}

/// Exact, alias and normalized matches in `words[from..to]`, longest first
/// from the left: (first word, word count, resolution).
fn exact_spans<'r, 't>(
    inner: &'r Inner,
    text: &'t str,
    words: &[Word],
    from: usize,
    to: usize,
    max_span: usize,
    memo: &mut Memo<'r, 't>,
) -> Vec<(usize, usize, Option<Resolution<'r>>)> {
    let mut out = Vec::new();
    let mut j = from;
    while j < to {
        let skip = skippable(inner, text, &words[j..to], false);
        if skip > 0 {
            j += skip;
            continue;
        }
        let longest = (to - j).min(max_span);
        let hit = (1..=longest).rev().find_map(|len| {
            memo.exact(inner, &text[words[j].start..words[j + len - 1].end])
                .map(|r| (len, r))
        });
        match hit {
            Some((len, r)) => {
                out.push((j, len, Some(r)));
                j += len;
            }
            None => j += 1,
        }
    }
    out
}

/// How strongly a span's resolution says it is a mention: an ambiguous
/// span is weaker evidence than a resolved one of similar score, and loses
/// to a longer span that resolves.
fn strength(r: &Resolution<'_>) -> f32 {
    match r.outcome {
        Outcome::Resolved => r.confidence,
        _ => r.best.as_ref().map_or(0.0, |c| c.score) * AMBIGUOUS_STRENGTH,
    }
}

/// Fuzzy mentions in a gap between exact ones: at each word, the span with
/// the best confidence (the longer on a near tie); words that match
/// nothing are kept for the context pass.
fn fuzzy_gap<'r, 't>(
    inner: &'r Inner,
    text: &'t str,
    gap: &[Word],
    max_span: usize,
    mentions: &mut Vec<Mention<'r>>,
    loose: &mut Vec<Loose>,
    memo: &mut Memo<'r, 't>,
) {
    let mut j = 0;
    while j < gap.len() {
        let skip = skippable(inner, text, &gap[j..], true);
        if skip > 0 {
            j += skip;
            continue;
        }
        let longest = (gap.len() - j).min(max_span);
        let mut best: Option<(usize, Resolution<'r>)> = None;
        // A span must start and end with a word the index can place near
        // some name; most capitalized words of copy fail this at once.
        let plausible: Vec<bool> = gap[j..j + longest]
            .iter()
            .map(|w| memo.plausible(inner, &text[w.start..w.end]))
            .collect();
        for len in 1..=longest {
            if !plausible[0] || !plausible[len - 1] {
                continue;
            }
            let s = &text[gap[j].start..gap[j + len - 1].end];
            let last = &gap[j + len - 1];
            // A name does not end with a particle (`Trump Al`).
            if (len == 1 && fold(s).len() < MIN_FUZZY_WORD)
                || (len > 1
                    && inner
                        .normalizer
                        .is_particle(&fold(&text[last.start..last.end])))
            {
                continue;
            }
            // A longer span must come within SPAN_TIE of the best so far:
            // a best similarity that cannot is not worth finding.
            let at_least = best.as_ref().map_or(0.0, |(_, b)| {
                let needed = strength(b) - SPAN_TIE;
                similarity_floor(needed).min(needed / AMBIGUOUS_STRENGTH)
            });
            let r = memo.fuzzy(inner, s, at_least);
            if r.outcome == Outcome::Unknown
                || (len == 1
                    && *memo
                        .demonym
                        .entry(s)
                        .or_insert_with(|| is_demonym(inner, s, &r)))
            {
                continue;
            }
            if best
                .as_ref()
                .is_none_or(|(_, b)| strength(&r) + SPAN_TIE >= strength(b))
            {
                best = Some((len, r));
            }
        }
        match best {
            Some((len, r)) => {
                mentions.push(mention(text, &gap[j], &gap[j + len - 1], r));
                j += len;
            }
            None => {
                let first = fold(&text[gap[j].start..gap[j].end]);
                if !inner.normalizer.is_particle(&first) {
                    loose.push(Loose {
                        start: gap[j].start,
                        end: gap[j].end,
                    });
                }
                j += 1;
            }
        }
    }
}

/// Whether a word is its best candidate's name (or a part of it) plus a
/// demonym ending: `Iranian`, `Israeli`, `American`.
fn is_demonym(inner: &Inner, word: &str, r: &Resolution<'_>) -> bool {
    let w = fold(word);
    let candidates = r.best.iter().chain(&r.candidates);
    candidates.flat_map(|c| c.entity.names()).any(|name| {
        fold(name)
            .split(' ')
            .filter(|p| p.len() >= 3 && !inner.normalizer.is_particle(p))
            .any(|p| {
                w.strip_prefix(p)
                    .is_some_and(|rest| DEMONYM_ENDINGS.contains(&rest))
            })
    })
}

/// Whether a word starts like one of a name's parts: the same first letter,
/// or a vowel for a vowel (Ibrahim/Ebrahim). Variant spellings keep their
/// onset far more often than an ordinary word that happens to sit near a
/// name (Human/Oman), so context only attaches words that do.
fn same_onset(word: &str, parts: &[String]) -> bool {
    let vowel = |c: char| "aeiouy".contains(c);
    let Some(w) = word.chars().next() else {
        return false;
    };
    parts
        .iter()
        .filter_map(|p| p.chars().next())
        .any(|p| p == w || (vowel(p) && vowel(w)))
}

/// Entities the text names in full: matched whole (exact, alias,
/// normalized) or with at least two parts.
fn named_in_full(inner: &Inner, mentions: &[Mention<'_>]) -> Vec<u32> {
    let mut ids: Vec<u32> = mentions
        .iter()
        .filter(|m| m.resolution.outcome == Outcome::Resolved)
        .filter_map(|m| {
            let best = m.resolution.best.as_ref()?;
            let parts = fold(&m.surface).split(' ').filter(|p| p.len() > 1).count();
            let full = best.kind != MatchKind::Fuzzy || parts >= 2;
            let multi_part_entity = entity_parts(inner, best.entity) > 1;
            (full && (parts >= 2 || !multi_part_entity)).then_some(best.entity_index)
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn entity_parts(inner: &Inner, e: &crate::Entity) -> usize {
    fold(&e.canonical)
        .split(' ')
        .filter(|p| p.len() > 1 && !inner.normalizer.is_particle(p))
        .count()
}

/// The second pass: ambiguous mentions and loose words meet the entities
/// the text names in full.
fn apply_context<'r>(
    inner: &'r Inner,
    text: &str,
    mentions: &mut Vec<Mention<'r>>,
    loose: &[Loose],
) {
    let context = named_in_full(inner, mentions);
    if context.is_empty() {
        return;
    }
    for m in mentions.iter_mut() {
        if m.resolution.outcome != Outcome::Ambiguous {
            continue;
        }
        let named: Vec<_> = m
            .resolution
            .candidates
            .iter()
            .filter(|c| context.binary_search(&c.entity_index).is_ok())
            .cloned()
            .collect();
        if named.len() == 1 {
            let pick = named.into_iter().next();
            m.resolution.outcome = Outcome::Resolved;
            m.resolution.confidence = pick.as_ref().map_or(0.0, |c| c.score);
            m.resolution.best = pick;
            m.resolution.candidates.clear();
            m.by_context = true;
        }
    }
    // Loose words repeat through a text (a misspelled surname, a
    // capitalized common word): each distinct one is scored once.
    let mut decided: HashMap<String, Option<NameScore>> = HashMap::new();
    for l in loose {
        let surface = &text[l.start..l.end];
        let normalized = inner.normalizer.normalize(surface);
        if normalized.len() < MIN_FUZZY_WORD {
            continue;
        }
        let decision = match decided.get(&normalized) {
            Some(d) => *d,
            None => {
                let d = context_match(inner, &normalized, &context);
                decided.insert(normalized.clone(), d);
                d
            }
        };
        let Some(best) = decision else {
            continue;
        };
        // Short names (UN, IS) are too easy to meet by accident.
        let matched = &inner.names[best.name as usize];
        let matched_parts = inner.name_parts(matched);
        if matched_parts.iter().all(|p| p.len() < MIN_FUZZY_WORD) {
            continue;
        }
        let candidate = inner.fuzzy_candidate(best);
        let resolution = Resolution {
            outcome: Outcome::Resolved,
            confidence: candidate.score,
            best: Some(candidate),
            runner_up: None,
            candidates: Vec::new(),
            explanation: None,
        };
        if is_demonym(inner, surface, &resolution) || !same_onset(&normalized, &matched_parts) {
            continue;
        }
        mentions.push(Mention {
            start: l.start,
            end: l.end,
            surface: surface.to_owned(),
            resolution,
            by_context: true,
            replacement: None,
        });
    }
    mentions.sort_by_key(|m| m.start);
}

/// The entity of `context` a loose word may be a variant of: its best name
/// at [`CONTEXT_SIMILARITY`] or above, and above every other entity's.
fn context_match(inner: &Inner, normalized: &str, context: &[u32]) -> Option<NameScore> {
    let (scores, _) = inner.score_names_within(
        normalized,
        &inner.costs,
        Some(context),
        Some(CONTEXT_SIMILARITY),
        Search::Resolve,
    );
    let mut best: Option<NameScore> = None;
    let mut rival = 0.0f32;
    for s in scores {
        let e = inner.names[s.name as usize].entity;
        match best {
            None => best = Some(s),
            Some(b) if inner.names[b.name as usize].entity != e => {
                rival = rival.max(s.score);
            }
            _ => {}
        }
    }
    best.filter(|b| b.score >= CONTEXT_SIMILARITY && b.score > rival)
}

/// The canonical spelling of the part of the name a mention spells, when
/// it differs from the surface.
fn replacement(inner: &Inner, m: &Mention<'_>) -> Option<String> {
    if m.resolution.outcome != Outcome::Resolved {
        return None;
    }
    let best = m.resolution.best.as_ref()?;
    let canonical = best.entity.canonical.as_str();
    let surface = m.surface.as_str();
    if surface == canonical {
        return None;
    }
    // Acronyms are names of their own, not spellings to fix.
    if surface
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
        && surface.chars().filter(|c| c.is_alphabetic()).count() <= 6
        && !best.matched_canonical
    {
        return None;
    }
    let target = canonical_span(inner, surface, canonical)?;
    // Letter case (a headline's TEHRAN) and line breaks inside a name are
    // not spellings to fix.
    let plain = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    (plain(target) != plain(surface)).then(|| target.to_owned())
}

/// The words of `canonical` that the surface spells: the whole canonical
/// name, or the run of its words covering the parts the surface matched
/// (with a leading particle when the surface has one).
fn canonical_span<'c>(inner: &Inner, surface: &str, canonical: &'c str) -> Option<&'c str> {
    let c_words = words(canonical);
    let s_parts: Vec<String> = fold(surface)
        .split(' ')
        .filter(|p| !p.is_empty() && !inner.normalizer.is_particle(p))
        .map(str::to_owned)
        .collect();
    // Each canonical word's folded parts that are not particles.
    let c_parts: Vec<(usize, String)> = c_words
        .iter()
        .enumerate()
        .flat_map(|(wi, w)| {
            fold(&canonical[w.start..w.end])
                .split(' ')
                .filter(|p| !p.is_empty() && !inner.normalizer.is_particle(p))
                .map(|p| (wi, p.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    let compact = |s: &str| fold(s).replace(' ', "");
    let whole = inner.part_similarity(&compact(surface), &compact(canonical));
    let mut used = vec![false; c_parts.len()];
    let mut words_hit: Vec<usize> = Vec::new();
    let mut weakest = 1.0f32;
    for sp in &s_parts {
        let best = c_parts
            .iter()
            .enumerate()
            .filter(|(k, _)| !used[*k])
            .map(|(k, (wi, cp))| (k, *wi, inner.part_similarity(sp, cp)))
            .max_by(|a, b| a.2.total_cmp(&b.2));
        match best {
            Some((k, wi, sim)) => {
                used[k] = true;
                words_hit.push(wi);
                weakest = weakest.min(sim);
            }
            None => weakest = 0.0,
        }
    }
    // The surface is a spelling of the whole name, or its parts do not line
    // up with the canonical name's (an alias like "Abu Mazen"): the whole
    // canonical name.
    if words_hit.is_empty() || whole >= weakest || weakest < 0.5 {
        return Some(canonical);
    }
    let (mut lo, hi) = (*words_hit.iter().min()?, *words_hit.iter().max()?);
    let surface_starts_with_particle = fold(surface)
        .split(' ')
        .next()
        .is_some_and(|p| inner.normalizer.is_particle(p));
    if surface_starts_with_particle {
        while lo > 0
            && inner.normalizer.is_particle(&fold(
                &canonical[c_words[lo - 1].start..c_words[lo - 1].end],
            ))
        {
            lo -= 1;
        }
    }
    Some(&canonical[c_words[lo].start..c_words[hi].end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AliasTable;

    #[test]
    fn lone_titles_of_several_words_are_found() {
        let r = Resolver::new(AliasTable::default_table()).unwrap();
        let lone = |text: &str| {
            let w = words(text);
            lone_title(&r.inner, text, &w, &fold(&text[w[0].start..w[0].end]))
        };
        assert_eq!(lone("Foreign Minister Abbas"), 2);
        assert_eq!(lone("Foreign Minister"), 2);
        assert_eq!(lone("Grand Ayatollah Sistani"), 2);
        assert_eq!(lone("Foreign Affairs"), 0);
        assert_eq!(lone("Minister Abbas"), 0); // one word: see `skippable`
        assert_eq!(lone("Abbas Araghchi"), 0);
    }

    #[test]
    fn span_floors_change_no_mention() {
        // Every name of the default table, as written and misspelled, alone
        // and before capitalized sentence words: the spans a floor cuts
        // short are ones that could not have won.
        let r = Resolver::new(AliasTable::default_table()).unwrap();
        let openers = ["Analysts", "The", "Negotiators said", "In Tehran", ""];
        let mut text = String::new();
        for (i, e) in r.table().entities().iter().enumerate() {
            for name in e.names() {
                let respelled = name.replacen('a', "aa", 1).replacen('i', "y", 1);
                let surname = name.rsplit(' ').next().unwrap_or(name);
                for form in [name, respelled.as_str(), surname] {
                    text.push_str(form);
                    text.push(' ');
                    text.push_str(openers[i % openers.len()]);
                    text.push_str(" spoke. ");
                }
            }
        }
        let with = scan_with(&r.inner, &text, true);
        let without = scan_with(&r.inner, &text, false);
        assert!(with.len() > 1000, "{}", with.len());
        assert_eq!(with, without);
    }

    #[test]
    fn words_split_and_join() {
        let text = "Al-Busaidi met O'Brien's aide, Khorram Shahr-4 -- done.";
        let w: Vec<&str> = words(text).iter().map(|w| &text[w.start..w.end]).collect();
        assert_eq!(
            w,
            [
                "Al-Busaidi",
                "met",
                "O'Brien",
                "aide",
                "Khorram",
                "Shahr-4",
                "done"
            ]
        );
    }
}
