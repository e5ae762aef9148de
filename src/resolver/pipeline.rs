//! One `resolve` call, top to bottom, and the entry points scan uses: the
//! narrow interface between `crate::scan` and the resolver's insides.

use super::model::Inner;
use super::query::{name_tokens, Query, QueryForm};
use super::resolution::{Candidate, Resolution};
use super::search::{NameScore, Search};
use crate::normalize::{fold, Normalizer};
use crate::score::CostModel;

impl Inner {
    /// Resolves one name: query form, exact, else fuzzy.
    pub(crate) fn resolve(&self, input: &str, explain: bool) -> Resolution<'_> {
        self.resolve_with(input, explain, Search::Resolve, true)
    }

    /// [`Inner::resolve`] with the fuzzy search run as `search` says, the
    /// confidence calibrated or not (see `Inner::decide_fuzzy`).
    pub(super) fn resolve_with(
        &self,
        input: &str,
        explain: bool,
        search: Search<'_>,
        calibrated: bool,
    ) -> Resolution<'_> {
        let query = Query::new(input, &self.normalizer);
        if query.normalized().is_empty() {
            return Resolution::unknown();
        }
        if let Some((names, kind)) = self.lookup_exact(&query) {
            return self.decide_exact(&names, kind);
        }
        self.decide_fuzzy(&query, explain, search, calibrated)
    }

    /// The cost model for a query: vowels nearly free for abjad scripts.
    pub(super) fn costs_for(&self, query: &Query) -> &CostModel {
        if query.abjad {
            &self.abjad_costs
        } else {
            &self.costs
        }
    }

    // --- What scan asks of the resolver. ---

    /// Exact, alias and normalized matches of a span only: no fuzzy search.
    pub(crate) fn resolve_exact(&self, span: &str) -> Option<Resolution<'_>> {
        let query = Query::new(span, &self.normalizer);
        if query.normalized().is_empty() {
            return None;
        }
        self.lookup_exact(&query)
            .map(|(names, kind)| self.decide_exact(&names, kind))
    }

    /// A span of text resolved with scan's decisive search (see
    /// [`Search::Scan`]).
    pub(crate) fn resolve_span(&self, span: &str, at_least: f32) -> Resolution<'_> {
        self.resolve_with(span, false, Search::Scan { at_least }, false)
    }

    /// The entity of `entities` (sorted entity indexes) a normalized word
    /// may be a variant of, with the confidence of that answer: its best
    /// name scoring `floor` or more, above every other entity's. The
    /// confidence is the resolver's, the rivals being the document's
    /// entities only; under the threshold there is no answer, so that the
    /// threshold bounds context findings as it bounds the others.
    pub(crate) fn context_match(
        &self,
        normalized: &str,
        entities: &[u32],
        floor: f32,
    ) -> Option<(NameScore, f32)> {
        let q = QueryForm::new(normalized, self);
        let scores = self.score_names(&q, &self.costs, Search::Within { entities, floor });
        let ranked = self.best_per_entity(&scores, 2);
        let rival = ranked.get(1).map_or(0.0, |r| r.score);
        let best = ranked.first().copied()?;
        let sure = self.context_confidence(best.score, rival);
        (best.score >= floor && best.score > rival && sure >= self.threshold)
            .then_some((best, sure))
    }

    /// The confidence in a best similarity against a rival's, by the
    /// resolver's formula (see `decide.rs`).
    pub(crate) fn context_confidence(&self, best: f32, rival: f32) -> f32 {
        super::decide::confidence(best, rival)
    }

    /// The folded parts of the name a score is for.
    pub(crate) fn name_parts_of(&self, s: NameScore) -> Vec<String> {
        self.name_parts(&self.names[s.name as usize])
    }

    /// The folded parts of every name of an entity (an entity index), as
    /// [`Inner::name_parts_of`] gives them for each.
    pub(crate) fn entity_name_parts(&self, entity: u32) -> Vec<String> {
        // An entity's keys are together, name by name; a name without
        // keys is never scored.
        let (from, to) = self.entity_keys[entity as usize];
        let mut names: Vec<u32> = (self.keys[from as usize..to as usize].iter())
            .map(|k| k.name)
            .collect();
        names.dedup();
        (names.iter())
            .flat_map(|&n| self.name_parts(&self.names[n as usize]))
            .collect()
    }

    /// How many parts longer than one letter an entity's canonical name
    /// has (initials do not make a name many-part).
    pub(crate) fn entity_parts(&self, candidate: &Candidate<'_>) -> usize {
        let folded = fold(&candidate.entity.canonical);
        let parts = name_tokens(&folded, &self.normalizer);
        parts.filter(|p| p.len() > 1).count()
    }

    /// The name tokens (see [`name_tokens`]) of a folded string.
    pub(crate) fn tokens<'a>(&'a self, folded: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        name_tokens(folded, &self.normalizer)
    }

    /// The normalizer of queries and text (titles, particles).
    pub(crate) fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// Whether a folded word of text is a known word (see
    /// `ResolverBuilder::known_words`); never, when that is off.
    pub(crate) fn is_known_word(&self, folded: &str) -> bool {
        self.known_words && crate::lexicon::is_known(folded)
    }

    /// Whether a folded word is the family name (last part) of some
    /// person's name, as the table spells it.
    pub(crate) fn is_family_word(&self, folded: &str) -> bool {
        (self.family_words)
            .binary_search(&super::model::word_hash(folded))
            .is_ok()
    }

    /// Whether a folded word is a part of some person's name of several
    /// parts, as the table spells it: a given or a family name.
    pub(crate) fn is_person_word(&self, folded: &str) -> bool {
        let hash = super::model::word_hash(folded);
        self.family_words.binary_search(&hash).is_ok()
            || self.given_words.binary_search(&hash).is_ok()
    }

    /// Whether a known word (folded) spells some part of a table name, as
    /// `spells` judges a part and the word's [`Inner::part_similarity`] to
    /// it (asked only of parts within `floor`); remembered per resolver.
    /// `None` when known words are off, `word` is none, or the table has
    /// too many distinct parts to ask (see `vocabulary.rs`).
    pub(crate) fn known_word_spells_a_part(
        &self,
        word: &str,
        floor: f32,
        spells: impl Fn(&str, f32) -> bool,
    ) -> Option<bool> {
        if !self.known_words {
            return None;
        }
        (self.vocabulary).known_word_spells_a_part(word, floor, &self.rewriter, &self.costs, spells)
    }

    /// The confidence a lone-word fuzzy mention needs without support.
    pub(crate) fn standalone_confidence(&self) -> f32 {
        self.standalone_confidence
    }

    /// The accept threshold.
    pub(crate) fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The largest number of parts of any table name.
    pub(crate) fn max_parts(&self) -> usize {
        self.max_parts
    }
}
