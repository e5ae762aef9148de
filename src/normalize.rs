//! Text to comparable form.
//!
//! [`fold`] is the one normalization every name goes through, table names and
//! queries alike: compatibility decomposition, marks removed, other scripts
//! romanized, case folded, apostrophes joined, every other non-alphanumeric run
//! (hyphens, punctuation, whitespace) folded to one space, and letters split
//! from digits. `Khorram Shahr-4`, `khorram-shahr 4` and `KHORRAM SHAHR4` all
//! fold to `khorram shahr 4`; the *compact* form (spaces dropped) then makes
//! `Khorramshahr-4` meet them too, while the digit token `4` stays a hard part.
//!
//! [`Normalizer`] adds what only applies to queries and mentions: a trailing
//! possessive (`Araghchi's`) and leading titles from a data list
//! (`Foreign Minister`, `Ayatollah`, `Dr.`) are removed.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// The embedded default list of titles (see `data/titles.txt`).
const DEFAULT_TITLES: &str = include_str!("../data/titles.txt");
/// The embedded default list of name particles (see `data/particles.txt`).
const DEFAULT_PARTICLES: &str = include_str!("../data/particles.txt");

/// Folds `text` to its comparable form: lowercase ASCII letters and digits in
/// tokens separated by single spaces.
///
/// Never fails and never panics; text with nothing name-like in it folds to
/// the empty string. Folding is idempotent: `fold(&fold(s)) == fold(s)`.
///
/// ```
/// use canonym::fold;
/// assert_eq!(fold("Khorram Shahr-4"), "khorram shahr 4");
/// assert_eq!(fold("Erdoğan"), "erdogan");
/// assert_eq!(fold("O’Brien"), "obrien");
/// assert_eq!(fold("Хаменеи"), "khamenei");
/// assert_eq!(fold("F16"), fold("F-16"));
/// ```
pub fn fold(text: &str) -> String {
    let mut out = Folded::with_capacity(text.len());
    if text.is_ascii() {
        // What `push_char` does with ASCII (the geresh rewrite needs a
        // Hebrew letter before the apostrophe), without decoding characters: most names and most copy
        // are ASCII, and a table's build folds every name (fold was a
        // twelfth of building 200,000 of scale-dev's entities).
        for b in text.bytes() {
            out.push_ascii(char::from(b));
        }
        return out.finish();
    }
    for c in text.chars() {
        // ASCII but the apostrophe (which may be a Hebrew geresh's
        // stand-in) needs none of `push_char`'s checks.
        if c.is_ascii() && c != '\'' {
            out.prev = c;
            out.push_ascii(c);
        } else {
            out.push_char(c);
        }
    }
    out.finish()
}

/// Accumulates folded output, tracking the kind of the last character so that
/// separators collapse and letters split from digits.
struct Folded {
    out: String,
    /// Kind of the last character pushed, `None` at a token boundary.
    last: Option<CharKind>,
    /// The last input char, for Hebrew letters that a geresh modifies.
    prev: char,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharKind {
    Letter,
    Digit,
}

impl Folded {
    fn with_capacity(n: usize) -> Folded {
        Folded {
            out: String::with_capacity(n),
            last: None,
            prev: ' ',
        }
    }

    fn push_char(&mut self, c: char) {
        let prev = std::mem::replace(&mut self.prev, c);
        if matches!(c, '\'' | '\u{05F3}' | '\u{2019}') && self.hebrew_geresh(prev) {
            return;
        }
        if c.is_ascii() {
            self.push_ascii(c);
            return;
        }
        match c {
            // Apostrophes and letter modifiers join the letters around them:
            // O'Brien, Qur'an, Sa‘id.
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02B9}' | '\u{02BB}' | '\u{02BE}'
            | '\u{02BF}' | '\u{00B4}' | '\u{02C8}' | '\u{05F3}' => return,
            _ => {}
        }
        if is_combining_mark(c) || is_invisible_format(c) {
            // A lone mark or a zero-width joiner/mark is not a boundary: the
            // Persian ZWNJ sits inside one name.
            return;
        }
        if !c.is_alphanumeric() {
            self.boundary();
            return;
        }
        // Latin letters with marks decompose to an ASCII base (é -> e, İ -> i,
        // full-width Ａ -> A). Anything else is romanized whole, so that kana
        // keep their voicing marks (グ -> gu, not ku).
        let mut base_is_ascii = true;
        let mut first = true;
        decompose_compatible(c, |d| {
            if first {
                base_is_ascii = d.is_ascii();
                first = false;
            }
        });
        if base_is_ascii {
            decompose_compatible(c, |d| {
                if d.is_ascii() {
                    self.push_ascii(d);
                }
            });
        } else {
            for r in any_ascii::any_ascii_char(c).chars() {
                self.push_ascii(r);
            }
        }
    }

    /// A geresh after צ, ג or ז writes the sounds of foreign names (צ׳ =
    /// ch, ג׳ = j, ז׳ = zh): rewrite what the plain letter produced.
    fn hebrew_geresh(&mut self, letter: char) -> bool {
        let (plain, with_geresh) = match letter {
            '\u{05E6}' | '\u{05E5}' => ("ts", "ch"),
            '\u{05D2}' => ("g", "j"),
            '\u{05D6}' => ("z", "zh"),
            _ => return false,
        };
        if !self.out.ends_with(plain) {
            return false;
        }
        self.out.truncate(self.out.len() - plain.len());
        self.out.push_str(with_geresh);
        true
    }

    #[inline]
    fn push_ascii(&mut self, c: char) {
        let kind = if c.is_ascii_alphabetic() {
            CharKind::Letter
        } else if c.is_ascii_digit() {
            CharKind::Digit
        } else if c == '\'' || c == '`' {
            return;
        } else {
            self.boundary();
            return;
        };
        if let Some(last) = self.last {
            if last != kind {
                self.out.push(' ');
            }
        } else if !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push(c.to_ascii_lowercase());
        self.last = Some(kind);
    }

    fn boundary(&mut self) {
        self.last = None;
    }

    fn finish(self) -> String {
        self.out
    }
}

/// Zero-width and bidirectional format characters that carry no letter.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}')
}

/// Removes a trailing possessive `'s` (any apostrophe) from `text`.
///
/// ```
/// use canonym::strip_possessive;
/// assert_eq!(strip_possessive("Araghchi's"), "Araghchi");
/// assert_eq!(strip_possessive("Araghchi’s"), "Araghchi");
/// assert_eq!(strip_possessive("Reuters"), "Reuters");
/// ```
pub fn strip_possessive(text: &str) -> &str {
    let trimmed = text.trim_end();
    for suffix in ["'s", "’s", "ʼs", "'S", "’S", "ʼS"] {
        if let Some(stem) = trimmed.strip_suffix(suffix) {
            if stem.chars().next_back().is_some_and(char::is_alphanumeric) {
                return stem;
            }
        }
    }
    // A bare trailing apostrophe after an s (`Reuters'`) is a possessive too.
    for suffix in ["s'", "s’"] {
        if trimmed.ends_with(suffix) {
            return &trimmed[..trimmed.len() - suffix.len() + 1];
        }
    }
    text
}

/// Query-side normalization: [`fold`] plus removal of a trailing possessive and
/// of leading titles.
///
/// Built with the embedded title list by [`Normalizer::default`]; extend it
/// with [`Normalizer::add_title`]. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Normalizer {
    /// Folded titles as token lists, longest first so that
    /// `foreign minister` is removed before `minister` could be.
    titles: Vec<Vec<String>>,
    /// The first words of `titles`: text asks about every capitalized
    /// word, and most start no title.
    title_starts: foldhash::HashSet<String>,
    particles: foldhash::HashSet<String>,
    /// Bit `n`: a particle is `n` bytes long (bit 63: 63 or more). Every
    /// token of every name is asked whether it is a particle (a table's
    /// build asks a million names'), and most tokens are longer than any
    /// particle.
    particle_lengths: u64,
}

impl Default for Normalizer {
    fn default() -> Normalizer {
        let particles: foldhash::HashSet<String> =
            data_lines(DEFAULT_PARTICLES).map(fold).collect();
        let mut n = Normalizer {
            titles: Vec::new(),
            title_starts: Default::default(),
            particle_lengths: (particles.iter())
                .fold(0, |lengths, p| lengths | 1 << p.len().min(63)),
            particles,
        };
        for t in data_lines(DEFAULT_TITLES) {
            n.add_title(t);
        }
        n
    }
}

/// The non-comment, non-blank lines of a data list, trimmed: what
/// `text.lines().map(str::trim)` gives, less comments and blanks. Reading
/// the 78,000 known words is this, once per process, in every `canonym
/// check`: `str::lines` with `trim` made it half of checking one article,
/// and a byte loop to each newline with an ASCII trim costs a sixth of
/// that (the Unicode trim runs only on a line that starts or ends outside
/// ASCII).
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.bytes().position(|b| b == b'\n').unwrap_or(rest.len());
        // A newline is one byte and never inside a character: both slices
        // are on boundaries.
        let line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or("");
        Some(line)
    })
    .map(|line| {
        let line = line.trim_ascii();
        let ascii_ends = |b: Option<&u8>| b.is_none_or(u8::is_ascii);
        if ascii_ends(line.as_bytes().first()) && ascii_ends(line.as_bytes().last()) {
            line
        } else {
            line.trim()
        }
    })
    .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Normalizer {
    /// A normalizer with the embedded default titles and particles.
    pub fn new() -> Normalizer {
        Normalizer::default()
    }

    /// Adds a title (any spelling; it is folded). Titles that fold to nothing
    /// are ignored.
    ///
    /// ```
    /// use canonym::Normalizer;
    ///
    /// let mut n = Normalizer::new();
    /// assert_eq!(n.normalize("President Trump's"), "trump");
    /// n.add_title("Comrade");
    /// assert_eq!(n.normalize("Comrade Kim"), "kim");
    /// assert!(n.is_particle("bin") && !n.is_particle("kim"));
    /// ```
    pub fn add_title(&mut self, title: &str) {
        let tokens: Vec<String> = fold(title).split(' ').map(str::to_owned).collect();
        if tokens.iter().all(|t| t.is_empty()) || self.titles.contains(&tokens) {
            return;
        }
        self.title_starts.insert(tokens[0].clone());
        self.titles.push(tokens);
        self.titles
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    }

    /// Whether a folded token is a name particle (`al`, `bin`, `von`, ...).
    pub fn is_particle(&self, folded_token: &str) -> bool {
        // (Lengths from 63 up share the last bit.)
        let length_may_be = self.particle_lengths >> folded_token.len().min(63) & 1 != 0;
        length_may_be && self.particles.contains(folded_token)
    }

    /// Normalizes a query: possessive and leading titles removed, then folded.
    ///
    /// Titles are only removed while a name remains: `President` alone stays
    /// `president`. Idempotent.
    ///
    /// ```
    /// use canonym::Normalizer;
    /// let n = Normalizer::default();
    /// assert_eq!(n.normalize("Foreign Minister Abbas Araghchi's"), "abbas araghchi");
    /// assert_eq!(n.normalize("Ayatollah Ali Khamenei"), "ali khamenei");
    /// assert_eq!(n.normalize("President"), "president");
    /// ```
    pub fn normalize(&self, text: &str) -> String {
        self.normalize_noting(text).0
    }

    /// [`Normalizer::normalize`], and whether it did more than fold (a
    /// possessive or a title removed): when not, the normalized string is
    /// `fold(text)`, and the resolver need not fold twice.
    pub(crate) fn normalize_noting(&self, text: &str) -> (String, bool) {
        let stripped = strip_possessive(text);
        let mut folded = fold(stripped);
        let start = self.title_prefix_len(&folded);
        folded.drain(..start);
        (folded, start > 0 || stripped.len() != text.len())
    }

    /// Byte length of the leading titles (with the space after them) in a
    /// folded string; 0 when there are none or when only titles remain.
    pub(crate) fn title_prefix_len(&self, folded: &str) -> usize {
        let mut start = 0;
        loop {
            let rest = &folded[start..];
            let Some(len) = self.leading_title(rest) else {
                return start;
            };
            if len >= rest.len() {
                // Nothing but titles left: keep the last one as the name.
                return start;
            }
            start += len + 1; // the title and its space
        }
    }

    /// Whether a folded string is a title and nothing else.
    pub(crate) fn is_title(&self, folded: &str) -> bool {
        !folded.is_empty() && self.leading_title(folded) == Some(folded.len())
    }

    /// Whether some title begins with this folded word.
    pub(crate) fn may_start_title(&self, folded_word: &str) -> bool {
        self.title_starts.contains(folded_word)
    }

    /// Byte length of the longest title at the start of a folded string.
    fn leading_title(&self, folded: &str) -> Option<usize> {
        // Only titles that begin with the string's first word can match:
        // comparing whole words rejects most titles on their length alone.
        let first = folded.split(' ').next().unwrap_or_default();
        if !self.may_start_title(first) {
            return None;
        }
        'titles: for title in &self.titles {
            if title.first().map(String::as_str) != Some(first) {
                continue;
            }
            let mut rest = folded;
            let mut len = 0;
            for (i, token) in title.iter().enumerate() {
                if i > 0 {
                    match rest.strip_prefix(' ') {
                        Some(r) => rest = r,
                        None => continue 'titles,
                    }
                    len += 1;
                }
                match rest.strip_prefix(token.as_str()) {
                    Some(r) if r.is_empty() || r.starts_with(' ') => rest = r,
                    _ => continue 'titles,
                }
                len += token.len();
            }
            return Some(len);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// ASCII (all of the text, or a character of it) is folded
        /// without `push_char`'s checks: the same as through them, the
        /// apostrophe after a Hebrew letter (a geresh) included.
        #[test]
        fn ascii_is_folded_as_by_characters(
            text in "([\\x00-\\x7f]|[é’׳צגזЖİ]){0,40}",
            ascii in "[\\x00-\\x7f]{0,40}",
        ) {
            for text in [&text, &ascii] {
                let mut by_chars = Folded::with_capacity(text.len());
                for c in text.chars() {
                    by_chars.push_char(c);
                }
                proptest::prop_assert_eq!(fold(text), by_chars.finish());
            }
        }
    }

    #[test]
    fn every_listed_particle_is_one_and_nothing_else_is() {
        let n = Normalizer::default();
        for p in data_lines(DEFAULT_PARTICLES).map(fold) {
            assert!(n.is_particle(&p), "{p}");
            // Other tokens of its length and longer ones are not; one a
            // letter shorter only if listed itself (`el` in `del`).
            assert!(!n.is_particle(&format!("{p}a")), "{p}a");
            assert_eq!(n.is_particle(&p[1..]), n.particles.contains(&p[1..]));
            assert!(!n.is_particle(&"q".repeat(p.len())));
        }
        assert!(!n.is_particle(""));
        assert!(!n.is_particle(&"a".repeat(100)));
    }

    #[test]
    fn data_lines_are_the_trimmed_lines_less_comments_and_blanks() {
        let reference = |text: &str| -> Vec<String> {
            (text.lines().map(str::trim))
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned)
                .collect()
        };
        let lists = [
            DEFAULT_TITLES,
            DEFAULT_PARTICLES,
            include_str!("../data/words.txt"),
            include_str!("../data/places.txt"),
            crate::score::DEFAULT_REWRITE,
            crate::score::DEFAULT_COSTS,
            crate::score::DEFAULT_SUFFIXES,
        ];
        let odd =
            "a\r\n\n  b \t\n# c\n\u{a0}d\u{a0}\n\u{3000} \n e\u{2003}\nf\u{a0}\u{20}x\n\nlast";
        for text in lists.into_iter().chain([odd, "", "\n\n", "one"]) {
            let got: Vec<&str> = data_lines(text).collect();
            assert_eq!(got, reference(text), "{:?}", &text[..text.len().min(40)]);
        }
        assert_eq!(
            data_lines(odd).collect::<Vec<_>>(),
            ["a", "b", "d", "e", "f\u{a0} x", "last"]
        );
    }

    #[test]
    fn folds_hyphens_case_and_marks() {
        assert_eq!(fold("Khorram Shahr-4"), "khorram shahr 4");
        assert_eq!(fold("KHORRAMSHAHR-4"), "khorramshahr 4");
        assert_eq!(fold("Al-Busaidi"), "al busaidi");
        assert_eq!(fold("  Zelenskyy  "), "zelenskyy");
        assert_eq!(fold("Černyševskij"), "cernysevskij");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("İstanbul"), "istanbul");
    }

    #[test]
    fn letters_split_from_digits() {
        assert_eq!(fold("F16"), "f 16");
        assert_eq!(fold("Su-57"), "su 57");
        assert_eq!(fold("3.67%"), "3 67");
    }

    #[test]
    fn invisible_characters_join() {
        assert_eq!(fold("Ara\u{200B}ghchi"), "araghchi");
        assert_eq!(fold("\u{200F}Araghchi\u{200E}"), "araghchi");
        assert_eq!(fold("\u{0301}\u{0301}"), "");
    }

    #[test]
    fn other_scripts_romanize() {
        assert_eq!(fold("Аракчи"), "arakchi");
        assert_eq!(fold("アラグチ"), "araguchi");
        assert_eq!(fold("Αραγτσί"), "aragtsi");
        // A geresh turns Hebrew tsadi into ch, gimel into j.
        assert_eq!(fold("ערקצ'י"), fold("ערקצ׳י"));
        assert!(fold("ערקצ'י").contains("ch"), "{}", fold("ערקצ'י"));
        assert!(fold("ג׳ורג׳").starts_with('j'));
        assert!(!fold("عراقچی").is_empty());
    }

    #[test]
    fn titles_are_removed_longest_first() {
        let n = Normalizer::default();
        assert_eq!(
            n.normalize("Foreign Minister Abbas Araghchi"),
            "abbas araghchi"
        );
        assert_eq!(n.normalize("Mr. Trump"), "trump");
        assert_eq!(n.normalize("Grand Ayatollah Sistani"), "sistani");
        assert_eq!(n.normalize("Ministerpresident X"), "ministerpresident x");
        assert_eq!(n.normalize("Lt. Gen. Smith"), "smith");
    }

    #[test]
    fn user_titles_extend_the_list() {
        let mut n = Normalizer::default();
        assert_eq!(n.normalize("Comrade Ivanov"), "comrade ivanov");
        n.add_title("Comrade");
        assert_eq!(n.normalize("Comrade Ivanov"), "ivanov");
    }

    #[test]
    fn possessives() {
        assert_eq!(strip_possessive("Reuters'"), "Reuters");
        assert_eq!(strip_possessive("'s"), "'s");
        let n = Normalizer::default();
        assert_eq!(n.normalize("Araghchi’s"), "araghchi");
    }
}
