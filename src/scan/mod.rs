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
//!
//! The module reads top to bottom: [`words`](mod@words) (words of text, folded
//! once), [`skip`] (words that are no name), [`spans`] (exact and fuzzy
//! spans of a run), [`context`] (the document as evidence), [`replace`]
//! (the spelling a finding proposes). It asks the resolver only through
//! `Inner`'s scan entry points (`resolver/pipeline.rs`).

mod context;
mod evidence;
mod replace;
mod skip;
mod spans;
mod words;

use foldhash::{HashMap, HashMapExt};

use crate::resolver::{Inner, Outcome, Resolution, Resolver};
use replace::replacement;
use spans::Spans;
use words::{adjacent, words, Word};

/// A name found in text. With the `serde` feature it serializes to a flat
/// record, the same as `canonym check --json` prints (without `path`,
/// `line`, `column`, `class`): `start`, `end`, `found`, `replacement`,
/// `status`, `id`, `canonical`, `match`, `score`, `by_context`,
/// `candidates`.
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
    ///
    /// ```
    /// use canonym::{AliasTable, Resolver};
    ///
    /// let resolver = Resolver::new(AliasTable::default_table())?;
    /// let text = "Khorram Shahr-4 was tested; the Mehr agency said so.";
    /// let found: Vec<_> = resolver.findings(text).collect();
    /// assert_eq!(found.len(), 1);
    /// assert_eq!(found[0].surface, "Khorram Shahr-4");
    /// assert_eq!(found[0].replacement.as_deref(), Some("Khorramshahr-4"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn findings<'r>(&'r self, text: &str) -> impl Iterator<Item = Mention<'r>> {
        self.scan(text).filter(|m| m.replacement.is_some())
    }

    /// What `canonym check` reports: every finding, and every ambiguous
    /// mention spelled unlike all of its candidates (a misspelling of a
    /// name several entities share, which cannot be fixed alone: `Saeid`
    /// among several *Saeeds*). An ambiguous name spelled as the table
    /// spells it is no report; the text is right, only the entity unknown.
    ///
    /// ```
    /// let resolver = canonym::Resolver::new(canonym::AliasTable::default_table())?;
    /// let text = "Abbas Aragushi flew from Kiev to Kyiv.";
    /// let mentions: Vec<_> = resolver.scan(text).map(|m| m.surface).collect();
    /// assert_eq!(mentions, ["Abbas Aragushi", "Kiev", "Kyiv"]);
    /// let reports: Vec<_> = resolver.reports(text).map(|m| m.surface).collect();
    /// assert_eq!(reports, ["Abbas Aragushi", "Kiev"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reports<'r>(&'r self, text: &str) -> impl Iterator<Item = Mention<'r>> {
        self.scan(text).filter(|m| {
            m.replacement.is_some()
                || (m.resolution.outcome == Outcome::Ambiguous && !spelled_as_a_candidate(m))
        })
    }

    /// `text` with every finding replaced, until no finding is left;
    /// every other byte unchanged.
    ///
    /// Fixing a part of a name can make the longer span a finding: in
    /// `Abbys Aragchi` only the surname is near enough to be fixed, and
    /// `Abbys Araghchi` is then near *Abbas Araghchi* as a whole. So the
    /// findings of the fixed text are fixed in turn, at most eight rounds
    /// (a text with no finding is scanned once), and `check` on the result
    /// finds nothing.
    ///
    /// ```
    /// let resolver = canonym::Resolver::new(canonym::AliasTable::default_table())?;
    /// let fixed = resolver.fix("Abbas Araghchi spoke. Later, Araguchi's aide left Kiev.");
    /// assert_eq!(fixed, "Abbas Araghchi spoke. Later, Araghchi's aide left Kyiv.");
    /// assert_eq!(resolver.findings(&fixed).count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fix(&self, text: &str) -> String {
        let Some(mut fixed) = fix_once(self, text) else {
            return text.to_owned();
        };
        for _ in 1..MAX_FIX_ROUNDS {
            match fix_once(self, &fixed) {
                Some(again) => fixed = again,
                None => break,
            }
        }
        fixed
    }
}

/// The most rounds [`Resolver::fix`] runs. A round replaces spellings with
/// the table's own, which the next round finds exactly, so a text settles
/// in two or three (a name fixed part by part); the bound only makes sure
/// that no text can keep it busy.
const MAX_FIX_ROUNDS: usize = 8;

/// `text` with its findings replaced, or `None` when it has none.
fn fix_once(resolver: &Resolver, text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut any = false;
    for m in resolver.findings(text) {
        out.push_str(&text[at..m.start]);
        out.push_str(m.replacement.as_deref().unwrap_or(&m.surface));
        at = m.end;
        any = true;
    }
    out.push_str(&text[at..]);
    any.then_some(out)
}

fn scan<'r>(inner: &'r Inner, text: &str) -> Vec<Mention<'r>> {
    scan_with(inner, text, true)
}

fn scan_with<'r>(inner: &'r Inner, text: &str, shortcuts: bool) -> Vec<Mention<'r>> {
    let words = words(text);
    let mut spans = Spans::new(inner, text, shortcuts);
    let mut i = 0;
    while i < words.len() {
        if !words[i].capitalized {
            i += 1;
            continue;
        }
        let end = run_end(inner, text, &words, i);
        spans.run(&words[i..end]);
        i = end;
    }
    let Spans {
        mut mentions,
        loose,
        ..
    } = spans;
    evidence::drop_given_names_alone(inner, text, &mut mentions);
    context::apply(inner, text, &mut mentions, &loose);
    evidence::drop_unsupported(inner, &mut mentions);
    // A text repeats its names: each (surface, entity) is worked out once.
    let mut replacements: HashMap<(String, u32, bool), Option<String>> = HashMap::new();
    for m in &mut mentions {
        // Only resolved mentions are fixed (see `replacement`).
        m.replacement = match &m.resolution.best {
            Some(b) if m.resolution.outcome == Outcome::Resolved => replacements
                .entry((m.surface.clone(), b.entity_index(), b.matched_canonical))
                .or_insert_with(|| replacement(inner, m))
                .clone(),
            _ => None,
        };
    }
    mentions
}

/// The end of the run of capitalized words (particles inside) that starts
/// at `words[start]`: words apart by white space (one line break at most),
/// up to a possessive.
fn run_end(inner: &Inner, text: &str, words: &[Word], start: usize) -> usize {
    let mut end = start + 1;
    while end < words.len() && adjacent(text, &words[end - 1], &words[end]) {
        // A possessive ends the name: "Iran's Foreign Minister ...".
        if text[words[end - 1].end..].starts_with(['\'', '’', 'ʼ']) {
            break;
        }
        let w = &words[end];
        if w.capitalized || inner.normalizer().is_particle(&w.folded) {
            end += 1;
        } else {
            break;
        }
    }
    end
}

/// Whether an ambiguous mention's words are, whole, words of one of its
/// candidates' names (`Saeed` in *Saeed Jalili*).
fn spelled_as_a_candidate(m: &Mention<'_>) -> bool {
    let surface = format!(" {} ", crate::normalize::fold(&m.surface));
    m.resolution.candidates.iter().any(|c| {
        c.entity
            .names()
            .any(|n| format!(" {} ", crate::normalize::fold(n)).contains(&surface))
    })
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
            skip::lone_title(&r.inner, &w)
        };
        assert_eq!(lone("Foreign Minister Abbas"), 2);
        assert_eq!(lone("Foreign Minister"), 2);
        assert_eq!(lone("Grand Ayatollah Sistani"), 2);
        assert_eq!(lone("Foreign Affairs"), 0);
        assert_eq!(lone("Minister Abbas"), 0); // one word: see `skippable`
        assert_eq!(lone("Abbas Araghchi"), 0);
    }

    #[test]
    fn shortcuts_change_no_mention() {
        // Every name of the default table, as written and misspelled, alone
        // and before capitalized sentence words and phrases of known
        // words, some of them spellings of name parts: the spans a floor
        // cuts short could not have won, and the phrases not searched
        // would have been contradicted.
        let r = Resolver::new(AliasTable::default_table()).unwrap();
        let openers = [
            "Analysts",
            "The",
            "Negotiators said",
            "In Tehran",
            "",
            "Central Bank Governors",
            "Security Council Meeting",
            "Defence Ministry Spokesman",
            "Reform Party",
            "Summer Olympic Games",
        ];
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
