//! Known words: English words and well-known names (places, peoples, given
//! names) that a capitalized word of copy may be instead of a variant of a
//! table name. `United` is not a misspelling of *Sunni Islam*, nor
//! `Francisco` one of *Francis*: both are words of their own.
//!
//! The list is `data/words.txt` (SCOWL size 50 as Debian's wamerican ships
//! it, folded; licence in `data/words.LICENSE`), read once per process.

use std::sync::OnceLock;

use foldhash::HashSet;

use crate::normalize::data_lines;

const WORDS: &str = include_str!("../data/words.txt");

/// The known words, folded (lowercase ASCII), built on first use: about
/// 74,000 entries, a few milliseconds once per process.
pub(crate) fn known_words() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| data_lines(WORDS).collect())
}

/// Whether a folded word is a known word.
pub(crate) fn is_known(folded: &str) -> bool {
    known_words().contains(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_and_known_names_are_known_and_variants_are_not() {
        for w in [
            "united",
            "both",
            "data",
            "state",
            "francisco",
            "algeria",
            "korean",
        ] {
            assert!(is_known(w), "{w}");
        }
        for w in [
            "aragushi",
            "araguchi",
            "araghchi",
            "javani",
            "khorramshahr",
            "zzyzx",
        ] {
            assert!(!is_known(w), "{w}");
        }
    }
}
