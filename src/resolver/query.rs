//! Step 1: the query form. The input is folded once into the forms the
//! later steps compare: [`Query`] (folded, and normalized: titles and
//! possessive removed) for the exact step, [`QueryForm`] (parts, symbols,
//! digits) for the fuzzy ones. The parts of a name are defined here, once,
//! for table names, queries and scanned text alike ([`name_tokens`],
//! [`split_parts`]).

use super::model::Inner;
use crate::normalize::{fold, strip_possessive, Normalizer};
use crate::score::{CostModel, EndingMask, Prepared, Symbols};

/// The most parts of a query the fuzzy core aligns; later parts are
/// ignored. A name has a handful of parts (the default table's longest has
/// seven); a 1 MB line must not cost a million alignments.
pub(super) const MAX_QUERY_PARTS: usize = 12;

/// The tokens of a folded name that name it: not empty, not a particle
/// (`al`, `bin`, `von`), digits included.
pub(crate) fn name_tokens<'a: 'n, 'n>(
    folded: &'a str,
    normalizer: &'n Normalizer,
) -> impl Iterator<Item = &'a str> + 'n {
    folded
        .split(' ')
        .filter(|t| !t.is_empty() && !normalizer.is_particle(t))
}

/// Splits a folded name into its parts (the letter tokens of
/// [`name_tokens`]) and its digit tokens, joined by spaces.
pub(crate) fn split_parts(folded: &str, normalizer: &Normalizer) -> (Vec<String>, String) {
    let (parts, digits) = split_parts_borrowed(folded, normalizer);
    (parts.into_iter().map(str::to_owned).collect(), digits)
}

/// [`split_parts`] with the parts borrowed from `folded`: no string per
/// part (a table's build splits a million names).
pub(crate) fn split_parts_borrowed<'a>(
    folded: &'a str,
    normalizer: &Normalizer,
) -> (Vec<&'a str>, String) {
    let is_number = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mut parts = Vec::new();
    let mut digits = String::new();
    for token in name_tokens(folded, normalizer) {
        if is_number(token) {
            if !digits.is_empty() {
                digits.push(' ');
            }
            digits.push_str(token);
        } else {
            parts.push(token);
        }
    }
    if parts.is_empty() {
        // A name made only of particles or initials keeps its letter tokens.
        parts = folded
            .split(' ')
            .filter(|t| !t.is_empty() && !is_number(t))
            .collect();
    }
    (parts, digits)
}

/// The input as the exact step compares it, folded once.
#[derive(Debug)]
pub(crate) struct Query {
    /// `fold(input)`: compared with the table's names as they are.
    pub(super) folded: String,
    /// Without a trailing possessive and leading titles, folded; `None`
    /// when that is `folded` (most queries: no copy is made).
    stripped: Option<String>,
    /// Whether the input is written in an abjad (see [`is_abjad`]).
    pub(super) abjad: bool,
}

impl Query {
    pub(crate) fn new(input: &str, normalizer: &Normalizer) -> Query {
        let folded = fold(input);
        let without_possessive = strip_possessive(input);
        let possessive = without_possessive.len() != input.len();
        // Folded again only when a possessive went.
        let refolded = possessive.then(|| fold(without_possessive));
        let base = refolded.as_deref().unwrap_or(&folded);
        let titles = normalizer.title_prefix_len(base);
        let stripped = (possessive || titles > 0).then(|| base[titles..].to_owned());
        Query {
            abjad: input.chars().any(is_abjad),
            folded,
            stripped,
        }
    }

    /// Without a trailing possessive and leading titles, folded.
    pub(super) fn normalized(&self) -> &str {
        self.stripped.as_deref().unwrap_or(&self.folded)
    }

    /// Whether the normalized form is more than the folded one (a title
    /// or possessive went): only then is it looked up on its own.
    pub(super) fn changed(&self) -> bool {
        self.stripped.is_some()
    }
}

/// The query in the forms the fuzzy core compares.
#[derive(Debug)]
pub(crate) struct QueryForm {
    pub(super) parts: Vec<String>,
    pub(super) part_symbols: Vec<Symbols>,
    pub(super) part_endings: Vec<EndingMask>,
    pub(super) whole: Symbols,
    pub(super) whole_endings: EndingMask,
    pub(super) digits: String,
}

impl QueryForm {
    pub(super) fn new(normalized: &str, inner: &Inner) -> QueryForm {
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

    /// Whether the query has several parts (each is then aligned with the
    /// name's parts).
    pub(super) fn multi_part(&self) -> bool {
        self.part_symbols.len() > 1
    }

    /// The whole query and each part prepared for many comparisons.
    pub(super) fn prepare(
        &self,
        costs: &CostModel,
        whole_floor: f32,
        part_floor: f32,
    ) -> PreparedQuery<'_> {
        PreparedQuery {
            whole: costs.prepare(&self.whole, self.whole_endings),
            parts: (self.part_symbols.iter().zip(&self.part_endings))
                .map(|(s, &e)| costs.prepare(s, e))
                .collect(),
            whole_floor,
            part_floor,
        }
    }
}

/// A query ready for the verifier: the whole query (slot 0) and each part
/// (slot 1 + i) prepared, and the floors under which a comparison is not a
/// hit.
pub(super) struct PreparedQuery<'s> {
    pub(super) whole: Prepared<'s>,
    pub(super) parts: Vec<Prepared<'s>>,
    pub(super) whole_floor: f32,
    pub(super) part_floor: f32,
}

impl PreparedQuery<'_> {
    /// Number of slots: the whole query and each part.
    pub(super) fn slots(&self) -> usize {
        1 + self.parts.len()
    }

    /// The prepared string of a slot.
    pub(super) fn slot(&self, slot: usize) -> &Prepared<'_> {
        match slot {
            0 => &self.whole,
            i => &self.parts[i - 1],
        }
    }

    /// Whether several query parts are aligned with the name's parts.
    pub(super) fn multi_part(&self) -> bool {
        self.parts.len() > 1
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
