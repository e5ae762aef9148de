//! The spans of a capitalized run that name an entity: exact spans first,
//! then the gaps between them, fuzzily, the best span at each word.

use foldhash::HashMap;

use super::context::Loose;
use super::evidence;
use super::skip::skippable;
use super::words::Word;
use super::Mention;
use crate::resolver::{similarity_floor, Inner, MatchKind, Outcome, Resolution};

/// A longer fuzzy span wins over a shorter one unless its confidence is
/// lower by more than this: the ambiguity margin's size, so that a span
/// that takes in one more part of the name wins a tie that the resolver
/// itself could not tell apart.
const SPAN_TIE: f32 = 0.01;

/// Factor on an ambiguous span's score when spans compete: an ambiguous
/// span says less than a resolved one of the same score, and 0.8 lets a
/// resolving longer span win unless it is much weaker (an ambiguous 0.95
/// counts 0.76, under most accepted confidences).
const AMBIGUOUS_STRENGTH: f32 = 0.8;

/// Fuzzy matching of a lone word needs at least this many letters (folded):
/// words of three letters or fewer have too many near neighbours among
/// ordinary words and acronyms.
pub(super) const MIN_FUZZY_WORD: usize = 4;

/// The lowest best similarity at which a known word is a mention: a
/// family name spelled as the table spells it scores the surname factor,
/// 0.97 (a little under it, so that rounding never loses one); a known word
/// that only comes near a name (`Turkestan` against *East Turkestan*,
/// 0.80) is a word of its own.
const KNOWN_WORD_FLOOR: f32 = 0.96;

/// Endings that make an adjective, demonym or plural of a name (Iran ->
/// Iranian, Israel -> Israeli, America -> American, Shia -> Shias). A word
/// that is a table name plus one of these is not a misspelling of it.
pub(super) const DEMONYM_ENDINGS: &[&str] = &[
    "an", "ian", "n", "i", "ese", "ish", "ite", "ans", "ians", "is", "ns", "s",
];

/// Resolutions already computed in this text: copy repeats its names and its
/// sentence openers, and each distinct span is resolved once.
#[derive(Default)]
struct Memo<'r, 't> {
    exact: HashMap<&'t str, Option<Resolution<'r>>>,
    /// Each span's resolution and the floor it was sought under.
    fuzzy: HashMap<&'t str, (f32, Resolution<'r>)>,
    /// By folded word.
    plausible: HashMap<&'t str, bool>,
    /// By folded word: see `evidence::spells_no_name_part`.
    no_name_part: HashMap<&'t str, bool>,
    demonym: HashMap<&'t str, bool>,
}

/// The span search over one text: what it found so far, and its memo.
pub(super) struct Spans<'r, 't> {
    inner: &'r Inner,
    text: &'t str,
    /// The most words a span may have: the table's longest name, with
    /// room for two particles riding along.
    max_span: usize,
    /// Whether work that cannot change a mention is skipped: a longer span
    /// is only sought as far as it can beat the best shorter one, and a
    /// span that every name contradicts is not sought (off only to test
    /// that this changes nothing).
    shortcuts: bool,
    memo: Memo<'r, 't>,
    /// Mentions found, in the order found.
    pub(super) mentions: Vec<Mention<'r>>,
    /// Words that matched nothing: a chance for the context pass.
    pub(super) loose: Vec<Loose>,
}

impl<'r, 't> Spans<'r, 't> {
    pub(super) fn new(inner: &'r Inner, text: &'t str, shortcuts: bool) -> Spans<'r, 't> {
        Spans {
            inner,
            text,
            // Capped at 8 parts, so that one very long table name cannot
            // make every capitalized run cost dozens of span lookups.
            max_span: inner.max_parts().clamp(1, 8) + 2,
            shortcuts,
            memo: Memo::default(),
            mentions: Vec::new(),
            loose: Vec::new(),
        }
    }

    /// The mentions in one capitalized run (particles inside): exact names
    /// first, so that a fuzzy span never swallows one; then the gaps
    /// between them, fuzzily.
    pub(super) fn run(&mut self, run: &'t [Word]) {
        let exact = self.exact_spans(run);
        let mut gap_start = 0;
        let end = std::iter::once((run.len(), 0, None));
        for (start, len, resolution) in exact.into_iter().chain(end) {
            self.fuzzy_gap(&run[gap_start..start]);
            if let Some(resolution) = resolution {
                let m = mention(self.text, &run[start], &run[start + len - 1], resolution);
                self.mentions.push(m);
            }
            gap_start = start + len;
        }
    }

    fn span_text(&self, first: &Word, last: &Word) -> &'t str {
        &self.text[first.start..last.end]
    }

    fn exact(&mut self, span: &'t str) -> Option<Resolution<'r>> {
        let inner = self.inner;
        (self.memo.exact)
            .entry(span)
            .or_insert_with(|| inner.resolve_exact(span))
            .clone()
    }

    /// The span's resolution, or unknown if its best similarity would be
    /// under `at_least` (a span floor: the best shorter span would win) or
    /// under `floor` (a rule: a known word must spell a name).
    fn fuzzy(&mut self, span: &'t str, at_least: f32, floor: f32) -> Resolution<'r> {
        // A resolution found under a floor is the full one when it is not
        // unknown, and unknown stays unknown under any higher floor.
        let at_least = if self.shortcuts {
            at_least.max(floor)
        } else {
            floor
        };
        match self.memo.fuzzy.get(span) {
            Some((floor, r)) if *floor <= at_least || r.outcome != Outcome::Unknown => {
                return r.clone()
            }
            _ => {}
        }
        let r = self.inner.resolve_span(span, at_least);
        self.memo.fuzzy.insert(span, (at_least, r.clone()));
        r
    }

    fn plausible(&mut self, word: &'t Word) -> bool {
        let inner = self.inner;
        *(self.memo.plausible)
            .entry(&word.folded)
            .or_insert_with(|| inner.could_be_name(&word.folded))
    }

    fn no_name_part(&mut self, word: &'t Word) -> bool {
        let inner = self.inner;
        *(self.memo.no_name_part)
            .entry(&word.folded)
            .or_insert_with(|| evidence::spells_no_name_part(inner, word))
    }

    /// Exact, alias and normalized matches in `run`, longest first from the
    /// left: (first word, word count, resolution).
    fn exact_spans(&mut self, run: &'t [Word]) -> Vec<(usize, usize, Option<Resolution<'r>>)> {
        let mut out = Vec::new();
        let mut j = 0;
        while j < run.len() {
            let skip = skippable(self.inner, &run[j..], false);
            if skip > 0 {
                j += skip;
                continue;
            }
            let longest = (run.len() - j).min(self.max_span);
            let hit = (1..=longest).rev().find_map(|len| {
                let span = self.span_text(&run[j], &run[j + len - 1]);
                self.exact(span).map(|r| (len, r))
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

    /// Fuzzy mentions in a gap between exact ones: at each word, the span
    /// with the best confidence (the longer on a near tie); words that
    /// match nothing are kept for the context pass.
    fn fuzzy_gap(&mut self, gap: &'t [Word]) {
        // Loose words of one gap are neighbours in one run of capitalized
        // words (see `context::Loose::run`).
        let run = gap.first().map_or(0, |w| w.start);
        // Words of the gap that matched nothing, and one-word fuzzy
        // mentions (word, index in `mentions`).
        let mut unmatched: Vec<usize> = Vec::new();
        let mut lone: Vec<(usize, usize)> = Vec::new();
        let mut j = 0;
        while j < gap.len() {
            let skip = skippable(self.inner, &gap[j..], true);
            if skip > 0 {
                j += skip;
                continue;
            }
            match self.best_span(&gap[j..]) {
                Some((len, r)) => {
                    let fuzzy = r.best.as_ref().is_some_and(|b| b.kind == MatchKind::Fuzzy);
                    if len == 1 && fuzzy {
                        lone.push((j, self.mentions.len()));
                    }
                    let m = mention(self.text, &gap[j], &gap[j + len - 1], r);
                    self.mentions.push(m);
                    j += len;
                }
                None => {
                    if !self.inner.normalizer().is_particle(&gap[j].folded) {
                        unmatched.push(j);
                        self.loose.push(Loose {
                            start: gap[j].start,
                            end: gap[j].end,
                            run,
                        });
                    }
                    j += 1;
                }
            }
        }
        // A one-word fuzzy mention of a person beside a word of its run
        // that is a part of another name names someone else: `Tomasz
        // Aragchi` is not *Abbas Araghchi*, though `Aragchi` alone is near.
        // Places and organizations lend their names to longer ones
        // (`Istanbul Technical University`): there the word still names
        // them. (Last first, so that the indexes stay valid.)
        for &(j, index) in lone.iter().rev() {
            let beside = [j.checked_sub(1), Some(j + 1)];
            let parts = self.mentions[index].resolution.best.as_ref().and_then(|b| {
                let name = crate::normalize::fold(b.matched);
                b.entity.is_personal().then(|| {
                    self.inner
                        .tokens(&name)
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
            });
            let Some(parts) = parts else { continue };
            // The word beside may be a lone fuzzy mention itself (`Omar`
            // near the family name of *Mohammed Omar*): with this one, it
            // is one person's name, neither of the two. (Both lists are in
            // word order: a run may hold thousands of words.)
            let other_name = (beside.into_iter().flatten())
                .filter(|k| {
                    unmatched.binary_search(k).is_ok()
                        || lone.binary_search_by_key(k, |&(l, _)| l).is_ok()
                })
                .any(|k| evidence::part_of_another_name(self.inner, &gap[k].folded, &parts));
            if other_name {
                let m = self.mentions.remove(index);
                self.loose.push(Loose {
                    start: m.start,
                    end: m.end,
                    run,
                });
            }
        }
    }

    /// The best fuzzy span starting at `words[0]`: (word count,
    /// resolution).
    fn best_span(&mut self, words: &'t [Word]) -> Option<(usize, Resolution<'r>)> {
        let longest = words.len().min(self.max_span);
        // The best span so far: its length, its resolution, and whether it
        // named only part of a longer name (worked out once per best).
        let mut best: Option<(usize, Resolution<'r>, bool)> = None;
        // A span must start and end with a word the index can place near
        // some name; most capitalized words of copy fail this at once.
        let plausible: Vec<bool> = words[..longest].iter().map(|w| self.plausible(w)).collect();
        // The words from the first that were asked whether they contradict
        // every name, and whether the last one asked does (asked only as a
        // span about to be searched reaches them: each is a comparison with
        // every name part the first time a known word is met).
        let (mut asked, mut contradicts) = (0, false);
        let initials = evidence::initials_before(self.text, words[0].start);
        for len in 1..=longest {
            if !plausible[0] || !plausible[len - 1] {
                continue;
            }
            let last = &words[len - 1];
            // A name does not end with a particle (`Trump Al`).
            if (len == 1 && words[0].folded.len() < MIN_FUZZY_WORD)
                || (len > 1 && self.inner.normalizer().is_particle(&last.folded))
            {
                continue;
            }
            let s = self.span_text(&words[0], last);
            // A longer span must come within SPAN_TIE of the best so far:
            // a best similarity that cannot is not worth finding.
            // (Unless the best so far named only part of a longer name: any
            // resolving longer span beats it.)
            let at_least = match &best {
                Some((_, b, false)) => {
                    let needed = strength(b) - SPAN_TIE;
                    similarity_floor(needed).min(needed / AMBIGUOUS_STRENGTH)
                }
                _ => 0.0,
            };
            // A known word alone is a mention only where it spells a
            // family name as the table does (see
            // `evidence::known_word_is_other`; a lone part of another kind
            // scores at most x0.6, under every floor): any other is not
            // searched at all (most capitalized words of copy are known
            // words), and for the others no best under KNOWN_WORD_FLOOR is
            // worth finding. A span of several words with a known word that
            // spells no part of any name is contradicted whatever it
            // matches (`evidence::contradicted`): not searched either.
            let known = len == 1 && self.inner.is_known_word(&words[0].folded);
            if known && !self.inner.is_family_word(&words[0].folded) {
                continue;
            }
            if len > 1 && self.shortcuts {
                while !contradicts && asked < len {
                    contradicts = self.no_name_part(&words[asked]);
                    asked += 1;
                }
                // This span and every longer one hold a word that
                // contradicts every name.
                if contradicts {
                    break;
                }
            }
            let floor = if known { KNOWN_WORD_FLOOR } else { 0.0 };
            let r = self.fuzzy(s, at_least, floor);
            if r.outcome == Outcome::Unknown
                || (len == 1 && self.demonym(&words[0], &r))
                || (known && evidence::known_word_is_other(&words[0], &r))
                || (len > 1 && evidence::contradicted(self.inner, &words[..len], &r))
                || evidence::other_structure(self.inner, &words[..len], &r)
                || evidence::initials_contradict(&initials, &r)
                || evidence::particles_contradict(&words[..len], &r)
            {
                continue;
            }
            // The longer span wins a near tie, and always wins over one
            // word that named only part of a longer name: `Abbas Aragushi`
            // is one mention, not `Abbas` (Mahmoud Abbas) and `Aragushi`.
            let wins = |(_, b, partial): &(usize, Resolution<'_>, bool)| {
                strength(&r) + SPAN_TIE >= strength(b)
                    || (r.outcome == Outcome::Resolved && *partial)
            };
            if best.as_ref().is_none_or(wins) {
                let partial = self.part_of_longer_name(len, &r);
                best = Some((len, r, partial));
            }
        }
        best.map(|(len, r, _)| (len, r))
    }

    /// Whether a span of `len` words matched only part of a longer name
    /// (a family name alone).
    fn part_of_longer_name(&self, len: usize, r: &Resolution<'_>) -> bool {
        r.best.as_ref().is_some_and(|b| {
            let name = crate::normalize::fold(b.matched);
            self.inner.tokens(&name).count() > len
        })
    }

    /// [`is_demonym`], once per word.
    fn demonym(&mut self, word: &'t Word, r: &Resolution<'_>) -> bool {
        let inner = self.inner;
        *(self.memo.demonym)
            .entry(&word.folded)
            .or_insert_with(|| is_demonym(inner, &word.folded, r))
    }
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

/// How strongly a span's resolution says it is a mention: an ambiguous
/// span is weaker evidence than a resolved one of similar score, and loses
/// to a longer span that resolves.
fn strength(r: &Resolution<'_>) -> f32 {
    match r.outcome {
        Outcome::Resolved => r.confidence,
        _ => r.best.as_ref().map_or(0.0, |c| c.score) * AMBIGUOUS_STRENGTH,
    }
}

/// Whether `rest` after `stem` is a demonym, adjective or plural ending,
/// and not the stem's last letter doubled, which is a typo (`Macronn`,
/// `Abbass`), however much it looks like `-n` or `-s`.
pub(super) fn is_ending(stem: &str, rest: &str) -> bool {
    let doubled = rest.len() == 1 && stem.ends_with(rest);
    !rest.is_empty() && !doubled && DEMONYM_ENDINGS.contains(&rest)
}

/// The shortest name part a word may spell whole and go on from to be a
/// word made from it (`Americast` from *America*): shorter parts begin
/// ordinary words by chance (`Iran` in `Irani`, a surname).
const MIN_COMPOUND_STEM: usize = 5;
/// The fewest letters such a word adds: one added letter is a typo or a
/// grammatical ending as often as a new word (`Raisii`, `Ivanova`).
const MIN_COMPOUND_REST: usize = 2;

/// Whether a folded word is made from its best candidate's name (or a part
/// of it): any of the entity's names plus a demonym ending (`Iranian`,
/// `Israeli`, `American`), or a part of the name it matched, of five
/// letters or more, spelled whole with two letters or more after it in one
/// word (`Americast`, a company named from *America*). A respelling
/// changes the name; it does not keep all of it and go on. (Only the
/// matched name: a table's shortened alias, `Rouhan`, begins respellings
/// of the full name, `Rouhanee`.)
pub(super) fn is_demonym(inner: &Inner, folded: &str, r: &Resolution<'_>) -> bool {
    let candidates = || r.best.iter().chain(&r.candidates);
    let demonym = candidates().flat_map(|c| c.entity.names()).any(|name| {
        let name = crate::normalize::fold(name);
        let made_from = (inner.tokens(&name)).filter(|p| p.len() >= 3).any(|p| {
            folded
                .strip_prefix(p)
                .is_some_and(|rest| is_ending(p, rest))
        });
        made_from
    });
    let compound = || {
        candidates().any(|c| {
            let name = crate::normalize::fold(c.matched);
            let made_from = (inner.tokens(&name))
                .filter(|p| p.len() >= MIN_COMPOUND_STEM)
                .any(|p| {
                    folded.strip_prefix(p).is_some_and(|rest| {
                        rest.len() >= MIN_COMPOUND_REST
                            && rest.bytes().all(|b| b.is_ascii_alphabetic())
                    })
                });
            made_from
        })
    };
    demonym || compound()
}
