//! The document as evidence: mentions left ambiguous and loose words meet
//! the entities the text names in full.

use foldhash::{HashMap, HashMapExt};

use super::evidence;
use super::spans::{is_demonym, MIN_FUZZY_WORD};
use super::Mention;
use crate::normalize::fold;
use crate::resolver::{Inner, MatchKind, NameScore, Outcome, Resolution};

/// Similarity a mention needs to attach to an entity the document has
/// already named in full. Lower than the resolver's own bar (a similarity
/// floor of 0.73 at the default threshold): the document has narrowed the
/// choice to a few entities, and a surname respelled twice (`Aragushi`)
/// sits near 0.7.
const CONTEXT_SIMILARITY: f32 = 0.7;

/// A span of words the first pass could not resolve: a chance for context.
pub(super) struct Loose {
    pub(super) start: usize,
    pub(super) end: usize,
    /// Where its run of capitalized words starts: loose words with the
    /// same `run` are parts of one name, as far as the text says.
    pub(super) run: usize,
}

/// Whether a word starts like one of a name's parts: the same first letter,
/// or a vowel for a vowel (Ibrahim/Ebrahim). Variant spellings keep their
/// onset far more often than an ordinary word that happens to sit near a
/// name (Human/Oman), so context only attaches words that do.
fn same_onset(word: &str, parts: &[String]) -> bool {
    let Some(w) = word.chars().next() else {
        return false;
    };
    parts
        .iter()
        .filter_map(|p| p.chars().next())
        .any(|p| p == w || (is_vowel(p) && is_vowel(w)))
}

/// The vowels of [`same_onset`].
fn is_vowel(c: char) -> bool {
    "aeiouy".contains(c)
}

/// The entities of a context by the onsets of their names' parts, so that
/// the entities a word may attach to by [`same_onset`] are found without
/// reading every name: per first letter, the entities with a part that
/// starts with it; and the entities with a part that starts with a vowel.
struct Onsets {
    by_letter: HashMap<char, Vec<u32>>,
    vowel: Vec<u32>,
}

impl Onsets {
    fn new(inner: &Inner, context: &[u32]) -> Onsets {
        let mut onsets = Onsets {
            by_letter: HashMap::new(),
            vowel: Vec::new(),
        };
        for &e in context {
            let parts = inner.entity_name_parts(e);
            let mut firsts: Vec<char> = parts.iter().filter_map(|p| p.chars().next()).collect();
            firsts.sort_unstable();
            firsts.dedup();
            for &c in &firsts {
                onsets.by_letter.entry(c).or_default().push(e);
            }
            if firsts.iter().any(|&c| is_vowel(c)) {
                onsets.vowel.push(e);
            }
        }
        onsets
    }

    /// The entities (sorted) with a name part that [`same_onset`] admits
    /// for `word`.
    fn admitting(&self, word: &str) -> Vec<u32> {
        let Some(w) = word.chars().next() else {
            return Vec::new();
        };
        let mut entities = self.by_letter.get(&w).cloned().unwrap_or_default();
        if is_vowel(w) {
            entities.extend_from_slice(&self.vowel);
            entities.sort_unstable();
            entities.dedup();
        }
        entities
    }
}

/// Whether another loose word of the same run of capitalized words is a
/// name part far from every part of the entity's name: the run names
/// someone else (`Tomasz Aragchi` is not *Abbas Araghchi*, whatever
/// `Aragchi` alone is near). Context is weaker evidence than a span that
/// resolves on its own, so this holds for any entity here (a given name
/// beside a family name is no respelling of a country), and for people only
/// in `spans.rs`. Known words in the run (`Thursday`) say nothing either
/// way.
fn neighbour_contradicts(
    inner: &Inner,
    text: &str,
    word: &Loose,
    loose: &[Loose],
    name_parts: &[String],
) -> bool {
    (loose.iter())
        .filter(|o| o.run == word.run && o.start != word.start)
        .any(|o| {
            let other = inner.normalizer().normalize(&text[o.start..o.end]);
            evidence::part_of_another_name(inner, &other, name_parts)
        })
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
            let multi_part_entity = inner.entity_parts(best) > 1;
            (full && (parts >= 2 || !multi_part_entity)).then_some(best.entity_index())
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The second pass: ambiguous mentions and loose words meet the entities
/// the text names in full.
pub(super) fn apply<'r>(
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
        settle_ambiguous(inner, m, &context);
    }
    attach_loose(inner, text, mentions, loose, &context);
    mentions.sort_by_key(|m| m.start);
}

/// An ambiguous mention one of whose candidates the text names (the
/// entities of `context`) becomes a mention of that one.
fn settle_ambiguous(inner: &Inner, m: &mut Mention<'_>, context: &[u32]) {
    if m.resolution.outcome != Outcome::Ambiguous {
        return;
    }
    let named: Vec<_> = (m.resolution.candidates.iter())
        .filter(|c| context.binary_search(&c.entity_index()).is_ok())
        .cloned()
        .collect();
    // The one candidate the text names wins, as sure as the resolver
    // would be of it with no rival: a shared name (1.0 for an exact
    // one) settles; a weak fuzzy one stays ambiguous under the
    // threshold.
    let [pick] = &named[..] else {
        return;
    };
    let sure = inner.context_confidence(pick.score, 0.0);
    if sure >= inner.threshold() {
        m.resolution.outcome = Outcome::Resolved;
        m.resolution.confidence = sure;
        m.resolution.best = Some(pick.clone());
        m.resolution.candidates.clear();
        m.by_context = true;
    }
}

/// Loose words (that matched nothing on their own) that are variants of an
/// entity of `context` become mentions of it.
fn attach_loose<'r>(
    inner: &'r Inner,
    text: &str,
    mentions: &mut Vec<Mention<'r>>,
    loose: &[Loose],
    context: &[u32],
) {
    // Loose words repeat through a text (a misspelled surname, a
    // capitalized common word): each distinct one is scored once.
    let mut decided: HashMap<String, Option<(NameScore, f32)>> = HashMap::new();
    // A word attaches only to a name one of whose parts starts as the
    // word does (`same_onset`).
    let onsets = Onsets::new(inner, context);
    for l in loose {
        let surface = &text[l.start..l.end];
        let normalized = inner.normalizer().normalize(surface);
        // A known word is a word of its own (see `evidence`).
        if normalized.len() < MIN_FUZZY_WORD || inner.is_known_word(&normalized) {
            continue;
        }
        let decision = *decided.entry(normalized.clone()).or_insert_with(|| {
            // The best name takes the word only if it starts as the word
            // does (below), and it is best among the entities of such
            // names too: if none of them matches, nothing does that
            // counts. A long document names hundreds of entities, a
            // word's onset a tenth of them.
            // (When they are all of the context, that search is the one.)
            let onset = onsets.admitting(&normalized);
            if onset.is_empty() {
                return None;
            }
            let among_onset = inner.context_match(&normalized, &onset, CONTEXT_SIMILARITY);
            if among_onset.is_none() || onset.len() == context.len() {
                return among_onset;
            }
            inner.context_match(&normalized, context, CONTEXT_SIMILARITY)
        });
        let Some((best, sure)) = decision else {
            continue;
        };
        // Short names (UN, IS) are too easy to meet by accident.
        let matched_parts = inner.name_parts_of(best);
        if matched_parts.iter().all(|p| p.len() < MIN_FUZZY_WORD) {
            continue;
        }
        let resolution = Resolution {
            outcome: Outcome::Resolved,
            confidence: sure,
            best: Some(inner.fuzzy_candidate(best)),
            runner_up: None,
            candidates: Vec::new(),
            explanation: None,
        };
        if is_demonym(inner, &fold(surface), &resolution)
            || !same_onset(&normalized, &matched_parts)
            || neighbour_contradicts(inner, text, l, loose, &matched_parts)
        {
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
}

#[cfg(test)]
mod tests {
    use super::{same_onset, Onsets};
    use crate::{AliasTable, Resolver};

    #[test]
    fn onsets_admit_the_entities_same_onset_admits() {
        let r = Resolver::new(AliasTable::default_table()).unwrap();
        let inner = &r.inner;
        let context: Vec<u32> = (0..r.table().entities().len() as u32).collect();
        let onsets = Onsets::new(inner, &context);
        for word in ["aragushi", "ebrahim", "yadol", "zarif", "khorram", "x", ""] {
            let want: Vec<u32> = (context.iter().copied())
                .filter(|&e| same_onset(word, &inner.entity_name_parts(e)))
                .collect();
            assert!(!want.is_empty() || word.is_empty(), "{word}");
            assert_eq!(onsets.admitting(word), want, "{word}");
        }
    }
}
