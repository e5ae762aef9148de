//! canonym resolves the many spellings of a name to one canonical entity:
//! *Aragushi*, *Araguchi* and *Araghchi*; *Khorram Shahr-4* and
//! *Khorramshahr-4*; *Yadol Javani* and *Yadollah Javani*; *Kiev* and
//! *Kyiv*. It has an alias table, a normalizer and a transliteration-aware
//! fuzzy core whose edit costs are fitted on real name variants, and it
//! finds names in running text and reports or fixes spellings that differ
//! from the table's.
//!
//! # Resolve a name
//!
//! [`Resolver::resolve`] says which entity a name is, or that it is unknown
//! or ambiguous, how sure it is, and (with
//! [`Resolver::resolve_explained`]) why:
//!
//! ```
//! use canonym::{AliasTable, MatchKind, Outcome, Resolver};
//!
//! let resolver = Resolver::new(AliasTable::default_table())?;
//! let r = resolver.resolve("Aragushi");
//! assert_eq!(r.outcome, Outcome::Resolved);
//! assert_eq!(r.entity().unwrap().canonical, "Abbas Araghchi");
//! assert_eq!(r.best.as_ref().unwrap().kind, MatchKind::Fuzzy);
//! // For a fuzzy answer, the confidence is the calibrated probability that
//! // it is right; the threshold applies to it.
//! assert!(r.confidence >= resolver.threshold());
//! assert_eq!(resolver.resolve("Kiev").id(), Some("kyiv")); // an alias
//! assert_eq!(resolver.resolve("Zzyzx Qwertyuiop").outcome, Outcome::Unknown);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Check and fix copy
//!
//! [`Resolver::scan`] finds the table's names in text, [`Resolver::findings`]
//! the ones spelled otherwise than the table spells them, and
//! [`Resolver::fix`] rewrites those and nothing else. Copy is an open world
//! of English words, places and people the table does not hold: a finding is
//! a variant spelling, not a near word (`Both` is not *Pol Pot*) or another
//! person (`Tomasz Aragchi` is not *Abbas Araghchi*).
//!
//! ```
//! use canonym::{AliasTable, Resolver};
//!
//! let resolver = Resolver::new(AliasTable::default_table())?;
//! let text = "Foreign Minister Abbas Aragushi met Yadol Javani. Both spoke.";
//! let fixes: Vec<_> = resolver
//!     .findings(text)
//!     .map(|m| (m.surface, m.replacement.unwrap()))
//!     .collect();
//! assert_eq!(
//!     fixes,
//!     [
//!         ("Abbas Aragushi".to_string(), "Abbas Araghchi".to_string()),
//!         ("Yadol Javani".to_string(), "Yadollah Javani".to_string()),
//!     ]
//! );
//! assert_eq!(
//!     resolver.fix(text),
//!     "Foreign Minister Abbas Araghchi met Yadollah Javani. Both spoke."
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Your own table
//!
//! An [`AliasTable`] holds entities with a canonical name, an optional kind
//! and aliases; it loads from TOML, JSON or CSV with errors that name the
//! file and line. [`Resolver::builder`] sets the threshold, the ambiguity
//! margin and the open-world switches; the built [`Resolver`] is immutable,
//! `Send + Sync` and cheap to share.
//!
//! ```
//! use canonym::{AliasTable, Entity, Format, Resolver};
//!
//! let csv = "id,canonical,kind,aliases\nkyiv,Kyiv,place,Kiev|Kyjiw\n";
//! let table = AliasTable::parse(csv, Format::Csv)?;
//! let resolver = Resolver::builder().threshold(0.9).build(table)?;
//! assert_eq!(resolver.resolve("Kyyiv").id(), Some("kyiv"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! - `cli` (default): the `canonym` command (`resolve`, `check`, `fix`,
//!   `completions`); pulls clap, indicatif and rayon.
//! - `toml`, `json` (default): TOML and JSON tables (CSV needs no feature).
//! - `serde` (default, with either format): `Serialize` for [`Resolution`],
//!   [`Mention`] and the types in them, `Serialize`/`Deserialize` for
//!   [`Entity`].
//! - `parallel` (on with `cli`): [`Resolver::resolve_batch`] on every core.
//!
//! A library user who sets `default-features = false` gets none of these:
//! ten crates in all.
//!
//! # Where to read on
//!
//! The README has the CLI, the accuracy and speed figures and how they were
//! measured; `DESIGN.md` the pipeline step by step, where each concept lives
//! and why each tuning constant has its value.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod blocks;
mod csv;
mod error;
mod exact;
/// Cost fitting for `examples/fit_costs.rs` and the calibration features
/// for `examples/calibration_features.rs` (feature `fit`, off by default);
/// not a stable API and not part of the library users get.
#[cfg(feature = "fit")]
#[doc(hidden)]
pub mod __fit {
    pub use crate::fit::fit_costs;

    /// The header of [`calibration_row`]'s feature columns.
    pub fn calibration_header() -> String {
        crate::resolver::Evidence::tsv_header()
    }

    /// For a query the exact step does not place and whose best answer
    /// reaches the calibration gate: the id of the best entity, whether
    /// the answer is ambiguous, whether it is weighed in the part view (a
    /// query naming fewer parts than the name), and the model's features
    /// (tab-separated).
    pub fn calibration_row(
        resolver: &crate::Resolver,
        query: &str,
    ) -> Option<(String, bool, bool, String)> {
        use crate::resolver::Weighed;
        let (entity, ambiguous, weighed) = resolver.inner.calibration_evidence(query)?;
        let id = resolver.table().entities()[entity as usize].id.clone();
        match weighed {
            Weighed::Calibrated {
                evidence,
                part_view,
            } => Some((id, ambiguous, part_view, evidence.to_tsv())),
            Weighed::Gated => None,
        }
    }
}
#[cfg(feature = "fit")]
mod fit;
mod index;
mod lexicon;
mod normalize;
#[cfg(feature = "serde")]
mod record;
mod resolver;
mod scan;
mod score;
mod sort;
mod table;

pub use error::Error;

/// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub use normalize::{fold, strip_possessive, Normalizer};
pub use resolver::{
    Candidate, Explanation, MatchKind, Outcome, PartMatch, Resolution, Resolver, ResolverBuilder,
    DEFAULT_MARGIN, DEFAULT_STANDALONE_CONFIDENCE, DEFAULT_THRESHOLD,
};
pub use scan::Mention;
pub use score::MAX_SYMBOLS;
pub use table::{AliasTable, Conflict, Entity, Format};

/// The cases a unit proptest runs: `PROPTEST_CASES` when set (a longer
/// run), else the test's own `default`.
#[cfg(test)]
pub(crate) fn proptest_cases(default: u32) -> u32 {
    (std::env::var("PROPTEST_CASES").ok())
        .and_then(|c| c.parse().ok())
        .unwrap_or(default)
}
