//! What a `resolve` call returns: the outcome, the candidates, how sure it
//! is and why. With the `serde` feature (on by default) they serialize to
//! the record form of `record.rs`, the CLI's JSON.

#[cfg(feature = "serde")]
use serde::Serialize;

use crate::table::Entity;

/// How a name was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum MatchKind {
    /// The query folds to the entity's canonical name.
    Exact,
    /// The query folds to one of the entity's aliases.
    Alias,
    /// The query equals a name once titles, a possessive or the spaces
    /// between parts are removed (`President Trump`, `Khorram Shahr-4`).
    Normalized,
    /// The query is a variant spelling, found by the fuzzy core.
    Fuzzy,
}

impl MatchKind {
    /// Lowercase name: `exact`, `alias`, `normalized`, `fuzzy`.
    ///
    /// ```
    /// use canonym::MatchKind;
    /// assert_eq!(MatchKind::Fuzzy.as_str(), "fuzzy");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Alias => "alias",
            MatchKind::Normalized => "normalized",
            MatchKind::Fuzzy => "fuzzy",
        }
    }
}

/// One entity a query may be, with the name it matched and how well.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Candidate<'r> {
    /// The entity.
    pub entity: &'r Entity,
    /// The table name (canonical or alias) that matched best.
    pub matched: &'r str,
    /// Whether `matched` is the canonical name.
    pub matched_canonical: bool,
    /// How it matched.
    pub kind: MatchKind,
    /// Similarity in [0, 1]; 1 for exact, alias and normalized matches.
    pub score: f32,
    /// The entity's position in the table, for lookups without searching.
    pub(super) entity_index: u32,
}

/// What `resolve` decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Outcome {
    /// One entity: [`Resolution::best`].
    Resolved,
    /// Several entities within the margin: [`Resolution::candidates`].
    Ambiguous,
    /// No entity reached the threshold.
    Unknown,
}

/// How one part of the query lined up with one part of the matched name.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PartMatch {
    /// The query part (folded).
    pub query: String,
    /// The table name's part (folded), empty when the query part matched
    /// nothing.
    pub name: String,
    /// Similarity of the two parts.
    pub score: f32,
    /// The edit operations that cost something, as `x>y` (`-` = nothing) in
    /// the romanized symbol alphabet, with their costs.
    pub edits: Vec<(String, f32)>,
}

/// Why the best candidate got its score.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Explanation {
    /// The query after title/possessive removal and folding.
    pub normalized_query: String,
    /// Part-by-part alignment (one entry for single-part names).
    pub parts: Vec<PartMatch>,
    /// Adjustments applied to the aggregate, in words.
    pub notes: Vec<String>,
}

/// The answer of [`Resolver::resolve`](crate::Resolver::resolve).
///
/// With the `serde` feature it serializes to a flat record, the same as
/// `canonym resolve --json` prints (without `input`): `status`, `id`,
/// `canonical`, `kind`, `score` (the confidence), `match`, `matched`,
/// `best`, `runner_up`, `candidates` when ambiguous, `explanation` when
/// asked for; scores to four decimal places.
///
/// ```
/// use canonym::{AliasTable, Resolver};
///
/// let resolver = Resolver::new(AliasTable::default_table())?;
/// let json = serde_json::to_value(resolver.resolve("Netanyahoo"))?;
/// assert_eq!(json["status"], "fuzzy");
/// assert_eq!(json["id"], "benjamin-netanyahu");
/// assert_eq!(json["best"]["matched"], "Benjamin Netanyahu");
/// assert!(json["score"].as_f64().unwrap() >= 0.79);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Resolution<'r> {
    /// Resolved, ambiguous or unknown.
    pub outcome: Outcome,
    /// The answer when resolved; otherwise the nearest entity, if any was
    /// within reach.
    pub best: Option<Candidate<'r>>,
    /// The best-scoring other entity, if it bears on the confidence:
    /// scoring within 0.2 of `best` (the confidence's lead term is capped
    /// there, so a rival further behind changes nothing, and the search
    /// does not look for one).
    pub runner_up: Option<Candidate<'r>>,
    /// When ambiguous, every entity within the margin of the best, best
    /// first; otherwise empty.
    pub candidates: Vec<Candidate<'r>>,
    /// How sure the answer is, in [0, 1]: 1 for exact, alias and normalized
    /// matches. For fuzzy answers of [`Resolver::resolve`](crate::Resolver::resolve),
    /// the probability that the best candidate is right, as calibrated on
    /// real name variants from what made the distance (the similarity, the
    /// runner-up and other near rivals, the lengths and parts, the edits);
    /// 0 when the best is too far to weigh. For a query written in an abjad
    /// and in a [`Mention`](crate::Mention), the best candidate's similarity
    /// combined with its lead over the runner-up. The threshold applies to
    /// this.
    pub confidence: f32,
    /// Why `best` scored as it did: fuzzy matches of
    /// [`Resolver::resolve_explained`](crate::Resolver::resolve_explained) only.
    pub explanation: Option<Explanation>,
}

impl Candidate<'_> {
    /// The entity's position in the table.
    pub(crate) fn entity_index(&self) -> u32 {
        self.entity_index
    }
}

impl<'r> Resolution<'r> {
    /// The resolved entity, when the outcome is [`Outcome::Resolved`].
    ///
    /// ```
    /// use canonym::{AliasTable, Outcome, Resolver};
    ///
    /// let resolver = Resolver::new(AliasTable::default_table())?;
    /// let r = resolver.resolve("Kiev");
    /// assert_eq!(r.entity().map(|e| e.canonical.as_str()), Some("Kyiv"));
    /// assert_eq!(r.id(), Some("kyiv"));
    /// // Unknown and ambiguous answers have no entity, though `best` may
    /// // still name the nearest one.
    /// assert_eq!(resolver.resolve("Saeed").outcome, Outcome::Ambiguous);
    /// assert_eq!(resolver.resolve("Saeed").entity(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entity(&self) -> Option<&'r Entity> {
        match self.outcome {
            Outcome::Resolved => self.best.as_ref().map(|c| c.entity),
            _ => None,
        }
    }

    /// The resolved entity's id.
    pub fn id(&self) -> Option<&'r str> {
        self.entity().map(|e| e.id.as_str())
    }

    /// The status word of the CLI's JSON: `exact` or `alias` for a match
    /// of the canonical name or an alias (normalized matches included),
    /// `fuzzy`, `ambiguous` or `unknown`.
    ///
    /// ```
    /// use canonym::{AliasTable, Resolver};
    ///
    /// let r = Resolver::new(AliasTable::default_table())?;
    /// assert_eq!(r.resolve("Kyiv").status(), "exact");
    /// assert_eq!(r.resolve("Kiev").status(), "alias");
    /// assert_eq!(r.resolve("Zelenskyi").status(), "fuzzy");
    /// assert_eq!(r.resolve("Zzyzx").status(), "unknown");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status(&self) -> &'static str {
        match (self.outcome, &self.best) {
            (Outcome::Resolved, Some(c)) => match c.kind {
                MatchKind::Fuzzy => "fuzzy",
                _ if c.matched_canonical => "exact",
                _ => "alias",
            },
            (Outcome::Ambiguous, _) => "ambiguous",
            _ => "unknown",
        }
    }

    /// How sure the answer is: [`Resolution::confidence`].
    pub fn score(&self) -> f32 {
        self.confidence
    }

    pub(super) fn unknown() -> Resolution<'r> {
        Resolution {
            outcome: Outcome::Unknown,
            best: None,
            runner_up: None,
            candidates: Vec::new(),
            confidence: 0.0,
            explanation: None,
        }
    }
}
