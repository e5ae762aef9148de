//! Words of running text: spans of letters and digits, each folded once,
//! and which of them start like a name.

use crate::normalize::{fold, strip_possessive};

/// A word of text: byte span, its folded form, and whether it starts like
/// a name. Each word is folded here, once; every later step reads
/// `folded`.
#[derive(Clone, Debug)]
pub(super) struct Word {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) capitalized: bool,
    /// `fold` of the word's text (several tokens for `Al-Busaidi`).
    pub(super) folded: String,
}

/// Splits text into words: letters and digits, joined by an apostrophe or
/// hyphen between two of them (O'Brien, Al-Busaidi, Shahr-4). A trailing
/// possessive is left out of the word.
pub(super) fn words(text: &str) -> Vec<Word> {
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
        let stem = strip_possessive(word);
        out.push(Word {
            start,
            end: start + stem.len(),
            capitalized: starts_name(stem),
            folded: fold(stem),
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
pub(super) fn adjacent(text: &str, a: &Word, b: &Word) -> bool {
    let gap = &text[a.end..b.start];
    !gap.is_empty() && gap.chars().all(char::is_whitespace) && gap.matches('\n').count() <= 1
}

/// The folded words of `run` joined as `fold` joins them: the folded form
/// of the text they span (words of one run are apart by white space only).
pub(super) fn joined(run: &[Word]) -> String {
    let mut out = String::new();
    for w in run {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.folded);
    }
    out
}
