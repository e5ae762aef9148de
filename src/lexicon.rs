//! Known words: English words and well-known names (places, peoples, given
//! names) that a capitalized word of copy may be instead of a variant of a
//! table name. `United` is not a misspelling of *Sunni Islam*, nor
//! `Francisco` one of *Francis*: both are words of their own.
//!
//! The lists are `data/words.txt` (SCOWL size 50 as Debian's wamerican
//! and wbritish ship it, united and folded; licence in
//! `data/words.LICENSE`) and `data/places.txt`
//! (one-word names of the world's cities of 100,000 people or more, from
//! GeoNames; licence in `data/places.LICENSE`), read once per process.

use std::borrow::Cow;
use std::sync::OnceLock;

use foldhash::HashMap;

use crate::normalize::{data_lines, fold};

const WORDS: &str = include_str!("../data/words.txt");
const PLACES: &str = include_str!("../data/places.txt");

/// The known words, folded (lowercase ASCII), each with its number (see
/// [`known_index`]), built on first use: about 78,000 entries, a few
/// milliseconds once per process. The words are stored folded; the places
/// as GeoNames spells them, folded here.
fn known_words() -> &'static HashMap<Cow<'static, str>, u32> {
    static MAP: OnceLock<HashMap<Cow<'static, str>, u32>> = OnceLock::new();
    MAP.get_or_init(|| {
        let words = data_lines(WORDS).map(Cow::Borrowed);
        let places = data_lines(PLACES).map(|p| Cow::Owned(fold(p)));
        // Room for both lists at once: growing the table rehashed it a
        // dozen times.
        let mut map = HashMap::with_capacity_and_hasher(
            WORDS.len() / 8 + PLACES.len() / 8,
            Default::default(),
        );
        for word in words.chain(places) {
            let next = map.len() as u32;
            map.entry(word).or_insert(next);
        }
        map
    })
}

/// Whether a folded word is a known word.
pub(crate) fn is_known(folded: &str) -> bool {
    known_words().contains_key(folded)
}

/// A known word's number, below [`known_count`]: what a per-word answer
/// kept beside the list is indexed by.
pub(crate) fn known_index(folded: &str) -> Option<usize> {
    known_words().get(folded).map(|&i| i as usize)
}

/// How many known words there are.
pub(crate) fn known_count() -> usize {
    known_words().len()
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
            // British spellings.
            "centre",
            "labour",
            "organisation",
            // Cities, folded on load.
            "nanning",
            "xiangyang",
            "chernivtsi",
        ] {
            assert!(is_known(w), "{w}");
        }
        assert!(known_index("united").is_some_and(|i| i < known_count()));
        assert_eq!(known_index("aragushi"), None);
        for w in [
            "aragushi", "araguchi", "araghchi", "javani", "zzyzx",
            // Alternate city names are left out: they are respellings.
            "moskow",
        ] {
            assert!(!is_known(w), "{w}");
        }
    }
}
