//! Known words: English words and well-known names (places, peoples, given
//! names) that a capitalized word of copy may be instead of a variant of a
//! table name. `United` is not a misspelling of *Sunni Islam*, nor
//! `Francisco` one of *Francis*: both are words of their own.
//!
//! The lists are `data/words.txt` (SCOWL size 50 as Debian's wamerican
//! ships it, folded; licence in `data/words.LICENSE`) and `data/places.txt`
//! (one-word names of the world's cities of 100,000 people or more, from
//! GeoNames; licence in `data/places.LICENSE`), read once per process.

use std::borrow::Cow;
use std::sync::OnceLock;

use foldhash::HashSet;

use crate::normalize::{data_lines, fold};

const WORDS: &str = include_str!("../data/words.txt");
const PLACES: &str = include_str!("../data/places.txt");

/// The known words, folded (lowercase ASCII), built on first use: about
/// 78,000 entries, a few milliseconds once per process. The words are
/// stored folded; the places as GeoNames spells them, folded here.
pub(crate) fn known_words() -> &'static HashSet<Cow<'static, str>> {
    static SET: OnceLock<HashSet<Cow<'static, str>>> = OnceLock::new();
    SET.get_or_init(|| {
        let words = data_lines(WORDS).map(Cow::Borrowed);
        let places = data_lines(PLACES).map(|p| Cow::Owned(fold(p)));
        words.chain(places).collect()
    })
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
            // Cities, folded on load.
            "nanning",
            "xiangyang",
            "chernivtsi",
        ] {
            assert!(is_known(w), "{w}");
        }
        for w in [
            "aragushi", "araguchi", "araghchi", "javani", "zzyzx",
            // Alternate city names are left out: they are respellings.
            "moskow",
        ] {
            assert!(!is_known(w), "{w}");
        }
    }
}
