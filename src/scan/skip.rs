//! Words at the start of a capitalized run that are no name: sentence
//! openers, titles, and titles left alone before a name.

use super::words::{joined, Word};
use crate::resolver::Inner;

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

/// The most words [`title_words`] looks at: the longest title of
/// `data/titles.txt` has three words, so a stack of five titles fits.
const TITLE_WINDOW: usize = 16;

/// How many words at the start of `run` form a title (0 if none, or if the
/// title is all there is).
fn title_words(inner: &Inner, run: &[Word]) -> usize {
    // Titles are a few words long: looking at a window, not the whole run,
    // keeps a run of thousands of capitalized words linear. A stack of
    // titles longer than the window is skipped a window at a time.
    let run = &run[..run.len().min(TITLE_WINDOW)];
    let normalizer = inner.normalizer();
    // Most words start no title.
    let first = run[0].folded.split(' ').next().unwrap_or_default();
    if !normalizer.may_start_title(first) {
        return 0;
    }
    let joined = joined(run);
    let len = normalizer.title_prefix_len(&joined);
    if len == 0 {
        return 0;
    }
    // Count the words the title's folded bytes cover.
    let title = joined[..len].trim_end();
    let mut covered = 0;
    let mut folded_len = 0;
    for w in run {
        if folded_len + w.folded.len() > title.len() {
            break;
        }
        folded_len += w.folded.len() + 1;
        covered += 1;
    }
    covered
}

/// How many words to skip at the start of `run`: a title, or a word that
/// starts sentences and is never a name; in a gap between exact matches
/// (`in_gap`), also a title of several words with nothing after it (see
/// [`lone_title`]).
pub(super) fn skippable(inner: &Inner, run: &[Word], in_gap: bool) -> usize {
    let first = run[0].folded.as_str();
    let lone = if in_gap { lone_title(inner, run) } else { 0 };
    let titles = title_words(inner, run);
    if titles > 0 {
        return titles.max(lone);
    }
    // A title with no name after it (`Commander` before a line break, or
    // before a possessive) is still not a name.
    usize::from(COMMON_CAPITALIZED.contains(&first) || inner.normalizer().is_title(first)).max(lone)
}

/// The most words of a title that [`lone_title`] looks for: the longest
/// title of `data/titles.txt` has three words; four lets a user's title
/// be one word longer (`Deputy Foreign Affairs Minister`).
const MAX_TITLE_WORDS: usize = 4;

/// How many words at the start of `run` form a title of two to four words,
/// whatever follows (0 if none). [`title_words`] finds a title before a
/// name but not one that is all there is; in a gap that is `Foreign
/// Minister` left before a name that matched exactly: not a name, and not
/// worth a fuzzy search. (Only for gaps: a table may name an entity by a
/// title, and exact matches are taken before the gaps.)
pub(super) fn lone_title(inner: &Inner, run: &[Word]) -> usize {
    if !inner.normalizer().may_start_title(&run[0].folded) {
        return 0;
    }
    (2..=run.len().min(MAX_TITLE_WORDS))
        .rev()
        .find(|&len| inner.normalizer().is_title(&joined(&run[..len])))
        .unwrap_or(0)
}
