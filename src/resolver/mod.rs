//! [`ResolverBuilder`] -> [`Resolver`] -> [`Resolution`].
//!
//! One `resolve` call reads top to bottom through this module's files:
//! 1. [`query`]: the input folded once into its query form (normalized,
//!    parts, symbols);
//! 2. [`exact`]: the folded query, then without titles and possessive, then
//!    its compact form (spaces dropped), in the exact index of every name;
//! 3. [`candidates`]: the keys the fuzzy core compares (all of them, or the
//!    index's candidates for large tables);
//! 4. [`verify`]: the weighted edit distance of `crate::score` between the
//!    query (whole and parts) and each candidate key, under a floor;
//!    [`decisive`] bounds names before scoring them, for resolve and scan;
//! 5. [`aggregate`]: per name, the better of the whole-name similarity and a
//!    part-by-part alignment (a surname alone, a missing middle name, parts
//!    in another order);
//! 6. [`decide`]: per entity its best name; resolved when the best reaches
//!    the threshold and leads the runner-up by the margin, ambiguous when
//!    another entity is within the margin, unknown otherwise;
//! 7. [`explain`]: for people, the alignment and the edits that cost.
//!
//! [`model`] holds the table's names and keys as built; [`search`] runs
//! steps 3 to 5 for one query. This file holds the builder and the public
//! [`Resolver`] only.

mod aggregate;
mod calibrate;
mod candidates;
mod decide;
mod decisive;
mod exact;
mod explain;
mod model;
mod pipeline;
mod query;
mod resolution;
mod search;
#[cfg(test)]
mod tests;
mod verify;
mod vocabulary;

use std::sync::Arc;

use crate::error::Error;
use crate::normalize::Normalizer;
use crate::score::{CostModel, Rewriter};
use crate::table::AliasTable;

#[cfg(feature = "fit")]
pub(crate) use calibrate::{Evidence, Weighed};
pub(crate) use decide::similarity_floor;
pub(crate) use model::Inner;
pub use resolution::{Candidate, Explanation, MatchKind, Outcome, PartMatch, Resolution};
pub(crate) use search::NameScore;

/// Default accept threshold; see [`ResolverBuilder::threshold`].
// For `resolve`, a probability (see `calibrate.rs`). Chosen on the
// development split of name variants, cross-validated by
// `scripts/fit_calibration.py` (an entity's queries in one fold; accuracy /
// false accepts): 0.720 / 0.057 at 0.785, 0.718 / 0.055 at 0.79, 0.714 /
// 0.054 at 0.80. The aims are accuracy >= 0.70 and false accepts <= 0.06 on
// names the fit has not seen; 0.79 keeps both with room. For scan's
// uncalibrated confidence, 0.79 and 0.785 give the same findings on the
// development copy (0.80 loses 2 of 286 planted variants).
pub const DEFAULT_THRESHOLD: f32 = 0.79;
/// Default ambiguity margin; see [`ResolverBuilder::margin`].
// The sweep's best points have margin 0 (the lead term of the confidence
// already charges a near rival); 0.01 keeps two entities whose best names
// score within rounding of each other from being settled by the tie-break
// on table order.
pub const DEFAULT_MARGIN: f32 = 0.01;
/// Default confidence a lone-word fuzzy mention needs without support in
/// the document; see [`ResolverBuilder::standalone_confidence`].
// Chosen on the development copy (`copy-score`; recall / precision /
// false flags per 100 KB): 0.88 gave 0.902 / 0.938 / 6.35, 0.90 gave
// 0.888 / 0.952 / 3.70, 0.92 gave 0.850 / 0.955 / 3.23; 0.9 keeps recall
// well above 0.85 and takes most of the precision.
pub const DEFAULT_STANDALONE_CONFIDENCE: f32 = 0.9;

/// Settings of a [`Resolver`]; [`Resolver::builder`] starts one.
///
/// ```
/// use canonym::{AliasTable, Entity, Resolver};
/// let mut table = AliasTable::new();
/// table.push(Entity::new("araghchi", "Abbas Araghchi"))?;
/// let resolver = Resolver::builder().threshold(0.8).margin(0.05).build(table)?;
/// assert_eq!(resolver.resolve("Aragushi").id(), Some("araghchi"));
/// assert!(Resolver::builder().threshold(1.5).build(AliasTable::new()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ResolverBuilder {
    threshold: f32,
    margin: f32,
    titles: Vec<String>,
    endings: bool,
    rewrite: bool,
    fitted_costs: bool,
    exhaustive: Option<bool>,
    known_words: bool,
    standalone_confidence: f32,
}

impl Default for ResolverBuilder {
    fn default() -> ResolverBuilder {
        ResolverBuilder {
            threshold: DEFAULT_THRESHOLD,
            margin: DEFAULT_MARGIN,
            titles: Vec::new(),
            endings: true,
            rewrite: true,
            fitted_costs: true,
            exhaustive: None,
            known_words: true,
            standalone_confidence: DEFAULT_STANDALONE_CONFIDENCE,
        }
    }
}

impl ResolverBuilder {
    /// Lowest confidence at which a fuzzy match is accepted. Default
    /// [`DEFAULT_THRESHOLD`]; valid range (0, 1].
    ///
    /// For [`Resolver::resolve`], the confidence of a Latin-script name is
    /// the calibrated probability that the answer is right (on the
    /// development split of name variants, answers at confidence 0.9 and
    /// up were right 9 times in 10 or more); for scan's mentions and
    /// queries in an abjad it is the similarity combined with the lead over
    /// the runner-up (see [`Resolution::confidence`]). Either way, no fuzzy
    /// answer under the threshold is accepted.
    ///
    /// ```
    /// use canonym::{AliasTable, Outcome, Resolver};
    ///
    /// let strict = Resolver::builder().threshold(0.999).build(AliasTable::default_table())?;
    /// let r = strict.resolve("Aragushi");
    /// assert_eq!(r.outcome, Outcome::Unknown);
    /// // The nearest entity is still named, with how sure the answer was.
    /// assert_eq!(r.best.unwrap().entity.id, "abbas-araghchi");
    /// assert!(r.confidence < 0.999);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn threshold(mut self, threshold: f32) -> ResolverBuilder {
        self.threshold = threshold;
        self
    }

    /// How far the best entity must lead every other for the answer not to
    /// be ambiguous. Default [`DEFAULT_MARGIN`]; valid range [0, 0.5].
    ///
    /// ```
    /// use canonym::{AliasTable, Entity, Outcome, Resolver};
    ///
    /// let mut table = AliasTable::new();
    /// table.push(Entity::new("a", "Ali Larijani").kind("person"))?;
    /// table.push(Entity::new("s", "Sadeq Amoli Larijani").kind("person"))?;
    /// // The family name alone fits both men equally: ambiguous.
    /// let resolver = Resolver::new(table)?;
    /// let r = resolver.resolve("Larijani");
    /// assert_eq!(r.outcome, Outcome::Ambiguous);
    /// assert_eq!(r.candidates.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn margin(mut self, margin: f32) -> ResolverBuilder {
        self.margin = margin;
        self
    }

    /// Adds a title to strip before names (`Comrade`, `Sheikha`); the
    /// embedded list (`data/titles.txt`) is always included.
    ///
    /// ```
    /// use canonym::{AliasTable, Entity, MatchKind, Resolver};
    ///
    /// let mut table = AliasTable::new();
    /// table.push(Entity::new("k", "Kim Jong Un"))?;
    /// let r = Resolver::builder().title("Marshal").build(table)?;
    /// let best = r.resolve("Marshal Kim Jong Un").best.unwrap();
    /// assert_eq!(best.kind, MatchKind::Normalized);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn title(mut self, title: impl Into<String>) -> ResolverBuilder {
        self.titles.push(title.into());
        self
    }

    /// Whether alternating name endings (`-owa`, `-ówna`, `-ski`/`-ska`)
    /// count as cheap edits. Default on; off only for ablation studies.
    ///
    /// ```
    /// use canonym::{AliasTable, Entity, Resolver};
    ///
    /// let mut table = AliasTable::new();
    /// table.push(Entity::new("k", "Anna Kowalska"))?;
    /// let score = |r: Resolver| r.resolve("Anna Kowalski").best.map_or(0.0, |b| b.score);
    /// let with = score(Resolver::new(table.clone())?);
    /// let without = score(Resolver::builder().endings(false).build(table)?);
    /// assert!(with > without, "{with} {without}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn endings(mut self, on: bool) -> ResolverBuilder {
        self.endings = on;
        self
    }

    /// Whether romanization conventions are rewritten to common symbols
    /// before comparing (`sch`/`sh`, `kh`, doubled letters). Default on; off
    /// only for ablation studies.
    ///
    /// ```
    /// use canonym::{AliasTable, Entity, Resolver};
    ///
    /// let mut table = AliasTable::new();
    /// table.push(Entity::new("s", "Schukow"))?;
    /// let score = |r: Resolver| r.resolve("Shukov").best.map_or(0.0, |b| b.score);
    /// let with = score(Resolver::new(table.clone())?);
    /// let without = score(Resolver::builder().romanization_rules(false).build(table)?);
    /// assert!(with > without, "{with} {without}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn romanization_rules(mut self, on: bool) -> ResolverBuilder {
        self.rewrite = on;
        self
    }

    /// Whether the fitted edit costs are used (else every edit costs 1).
    /// Default on; off only for ablation studies.
    ///
    /// ```
    /// use canonym::{AliasTable, Entity, Resolver};
    ///
    /// let mut table = AliasTable::new();
    /// table.push(Entity::new("q", "Qaddafi"))?;
    /// // q/g and dd/dh cost little in transliteration; unit costs see three
    /// // unrelated letters.
    /// let score = |r: Resolver| r.resolve("Gadhafi").best.map_or(0.0, |b| b.score);
    /// let fitted = score(Resolver::new(table.clone())?);
    /// let unit = score(Resolver::builder().fitted_costs(false).build(table)?);
    /// assert!(fitted > unit, "{fitted} {unit}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fitted_costs(mut self, on: bool) -> ResolverBuilder {
        self.fitted_costs = on;
        self
    }

    /// Whether fuzzy search verifies every table name (`true`) or only the
    /// candidates of the index (`false`). By default the resolver decides:
    /// exhaustive up to 20,000 fuzzy keys, indexed above. Scanning text
    /// ([`Resolver::scan`]) always uses the index: most spans of copy are no
    /// name, and each is looked up.
    ///
    /// The index (see `src/index/`) trades recall for speed: a query reads
    /// at most 4,096 index entries and verifies at most 128 names (each with
    /// all its keys, so that a name it scores gets the exhaustive score),
    /// with a few more that spell a query part exactly as it does. On
    /// the development split (7,900 names, 21,329 queries, calibrated
    /// decision) it answered accuracy 0.703 with 5.5% false accepts against
    /// 0.725 and 3.8% exhaustively, in a seventeenth of the time; the
    /// runner-ups it misses make it a little over-confident.
    ///
    /// ```
    /// use canonym::{AliasTable, Resolver};
    ///
    /// let indexed = Resolver::builder().exhaustive(false).build(AliasTable::default_table())?;
    /// assert_eq!(indexed.resolve("Zelenskyi").id(), Some("volodymyr-zelensky"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn exhaustive(mut self, on: bool) -> ResolverBuilder {
        self.exhaustive = Some(on);
        self
    }

    /// Whether scanned text treats known words (`data/words.txt`: English
    /// words and well-known places, peoples and given names) as words of
    /// their own, never as variants of a table name: `United` is not a
    /// misspelling of *Sunni Islam*. A known word that spells a table name
    /// or one of its parts as the table does is still a mention. Default
    /// on; turn it off for copy that is not in English.
    ///
    /// ```
    /// use canonym::{AliasTable, Resolver};
    /// let text = "Pol Pot ruled Cambodia. Both sides later spoke.";
    /// let open = Resolver::new(AliasTable::default_table())?;
    /// assert_eq!(open.findings(text).count(), 0);
    /// let closed = Resolver::builder()
    ///     .known_words(false)
    ///     .build(AliasTable::default_table())?;
    /// assert_eq!(closed.findings(text).next().unwrap().surface, "Both");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn known_words(mut self, on: bool) -> ResolverBuilder {
        self.known_words = on;
        self
    }

    /// The confidence a one-word fuzzy mention in scanned text needs when
    /// the document names its entity nowhere else (exactly, by an alias,
    /// or by two parts or more): a lone word near a name is weak evidence
    /// in an open world of names the table does not hold. Default
    /// [`DEFAULT_STANDALONE_CONFIDENCE`]; valid range [0, 1]; a value at or
    /// under the threshold turns the rule off. Does not apply to
    /// [`Resolver::resolve`].
    ///
    /// ```
    /// use canonym::{AliasTable, Resolver};
    ///
    /// let text = "Aragushi later spoke to the press.";
    /// // A lone, unsupported respelling is not flagged by default ...
    /// let lint = Resolver::new(AliasTable::default_table())?;
    /// assert_eq!(lint.findings(text).count(), 0);
    /// // ... and is with the rule off.
    /// let eager = Resolver::builder()
    ///     .standalone_confidence(0.0)
    ///     .build(AliasTable::default_table())?;
    /// assert_eq!(eager.findings(text).count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn standalone_confidence(mut self, confidence: f32) -> ResolverBuilder {
        self.standalone_confidence = confidence;
        self
    }

    /// Builds the resolver: folds and indexes every name of `table`.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when the threshold, margin or standalone
    /// confidence is out of range (or not a number).
    ///
    /// ```
    /// use canonym::{AliasTable, Error, Resolver};
    ///
    /// let err = Resolver::builder().threshold(1.5).build(AliasTable::new()).unwrap_err();
    /// assert!(matches!(err, Error::InvalidConfig { setting: "threshold", .. }));
    /// ```
    pub fn build(self, table: AliasTable) -> Result<Resolver, Error> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(Error::InvalidConfig {
                setting: "threshold",
                value: self.threshold.to_string(),
                reason: "must be in (0, 1]",
            });
        }
        if !(0.0..=0.5).contains(&self.margin) {
            return Err(Error::InvalidConfig {
                setting: "margin",
                value: self.margin.to_string(),
                reason: "must be in [0, 0.5]",
            });
        }
        if !(0.0..=1.0).contains(&self.standalone_confidence) {
            return Err(Error::InvalidConfig {
                setting: "standalone_confidence",
                value: self.standalone_confidence.to_string(),
                reason: "must be in [0, 1]",
            });
        }
        let mut normalizer = Normalizer::default();
        for t in &self.titles {
            normalizer.add_title(t);
        }
        let rewriter = if self.rewrite {
            Rewriter::from_rules(crate::score::DEFAULT_REWRITE)
        } else {
            Rewriter::from_rules("")
        };
        let mut costs = if self.fitted_costs {
            CostModel::embedded(&rewriter)
        } else {
            let mut c = CostModel::unit();
            c.load_suffixes(crate::score::DEFAULT_SUFFIXES, &rewriter);
            c
        };
        costs.suffix_enabled = self.endings;
        Ok(Resolver {
            inner: Arc::new(Inner::new(table, normalizer, rewriter, costs, &self)),
        })
    }
}

/// Resolves names to the entities of an [`AliasTable`].
///
/// Immutable once built, `Send + Sync`, and cheap to clone (an `Arc`).
///
/// ```
/// use canonym::{AliasTable, Entity, Outcome, Resolver};
/// let mut table = AliasTable::new();
/// table.push(Entity::new("araghchi", "Abbas Araghchi").kind("person"))?;
/// table.push(Entity::new("javani", "Yadollah Javani").kind("person"))?;
/// let resolver = Resolver::new(table)?;
///
/// let r = resolver.resolve("Aragushi");
/// assert_eq!(r.outcome, Outcome::Resolved);
/// assert_eq!(r.entity().unwrap().canonical, "Abbas Araghchi");
/// assert_eq!(resolver.resolve("Yadol Javani").id(), Some("javani"));
/// assert_eq!(resolver.resolve("Aragorn").outcome, Outcome::Unknown);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Resolver {
    pub(crate) inner: Arc<Inner>,
}
impl Resolver {
    /// A resolver with default settings: `Resolver::builder().build(table)`.
    ///
    /// # Errors
    /// None with the default settings; the `Result` is that of
    /// [`ResolverBuilder::build`].
    ///
    /// ```
    /// use canonym::{AliasTable, Resolver};
    ///
    /// let resolver = Resolver::new(AliasTable::default_table())?;
    /// // Built once, shared by reference or an Arc across threads.
    /// std::thread::scope(|s| {
    ///     s.spawn(|| assert_eq!(resolver.resolve("Kiev").id(), Some("kyiv")));
    ///     s.spawn(|| assert_eq!(resolver.resolve("Odessa").id(), Some("odesa")));
    /// });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(table: AliasTable) -> Result<Resolver, Error> {
        Resolver::builder().build(table)
    }

    /// A builder with default settings.
    ///
    /// ```
    /// use canonym::{AliasTable, Resolver};
    ///
    /// let resolver = Resolver::builder()
    ///     .threshold(0.9)
    ///     .margin(0.02)
    ///     .title("Comrade")
    ///     .build(AliasTable::default_table())?;
    /// assert_eq!(resolver.threshold(), 0.9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder() -> ResolverBuilder {
        ResolverBuilder::default()
    }

    /// Resolves one name. Infallible: empty or garbage input is unknown.
    ///
    /// ```
    /// use canonym::{AliasTable, Entity, Outcome, Resolver};
    ///
    /// let mut table = AliasTable::new();
    /// table.push(Entity::new("javani", "Yadollah Javani").kind("person"))?;
    /// let resolver = Resolver::new(table)?;
    /// let r = resolver.resolve("Yadol Javani");
    /// assert_eq!(r.id(), Some("javani"));
    /// assert_eq!(r.status(), "fuzzy");
    /// assert_eq!(resolver.resolve("").outcome, Outcome::Unknown);
    /// assert_eq!(resolver.resolve("\u{0}\u{200d}🙂").outcome, Outcome::Unknown);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(&self, name: &str) -> Resolution<'_> {
        self.inner.resolve(name, false)
    }

    /// [`Resolver::resolve`], with [`Resolution::explanation`] filled in for
    /// fuzzy matches: the part-by-part alignment, the edits that cost
    /// something and the adjustments applied. Slower; for people, not
    /// pipelines.
    ///
    /// ```
    /// let resolver = canonym::Resolver::new(canonym::AliasTable::default_table())?;
    /// let r = resolver.resolve_explained("Yadol Javani");
    /// let why = r.explanation.unwrap();
    /// assert_eq!(why.parts.len(), 2);
    /// assert_eq!(why.parts[1].name, "javani");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_explained(&self, name: &str) -> Resolution<'_> {
        self.inner.resolve(name, true)
    }

    /// Resolves many names, in input order. With the `parallel` feature
    /// (on by default through `cli`) the work is spread over every core with
    /// rayon; results are identical to calling [`Resolver::resolve`] on each.
    ///
    /// ```
    /// let resolver = canonym::Resolver::new(canonym::AliasTable::default_table())?;
    /// let out = resolver.resolve_batch(&["Kiev", "Qaddafi", "nobody at all"]);
    /// assert_eq!(out[0].id(), Some("kyiv"));
    /// assert_eq!(out.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_batch<S: AsRef<str> + Sync>(&self, names: &[S]) -> Vec<Resolution<'_>> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            names.par_iter().map(|n| self.resolve(n.as_ref())).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            names.iter().map(|n| self.resolve(n.as_ref())).collect()
        }
    }

    /// The table the resolver was built from.
    ///
    /// ```
    /// use canonym::{AliasTable, Resolver, DEFAULT_MARGIN, DEFAULT_THRESHOLD};
    ///
    /// let resolver = Resolver::new(AliasTable::default_table())?;
    /// assert_eq!(resolver.table().len(), AliasTable::default_table().len());
    /// assert_eq!(resolver.threshold(), DEFAULT_THRESHOLD);
    /// assert_eq!(resolver.margin(), DEFAULT_MARGIN);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn table(&self) -> &AliasTable {
        &self.inner.table
    }

    /// The normalizer used for queries (titles, possessives, folding).
    ///
    /// ```
    /// use canonym::{AliasTable, Resolver};
    ///
    /// let r = Resolver::builder().title("Comrade").build(AliasTable::new())?;
    /// assert_eq!(r.normalizer().normalize("Comrade Kim's"), "kim");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn normalizer(&self) -> &Normalizer {
        &self.inner.normalizer
    }

    /// The accept threshold in force.
    pub fn threshold(&self) -> f32 {
        self.inner.threshold
    }

    /// The ambiguity margin in force.
    pub fn margin(&self) -> f32 {
        self.inner.margin
    }
}
