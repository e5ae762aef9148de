//! canonym resolves the many spellings of a name to one canonical entity.
//!
//! ```
//! use canonym::{AliasTable, Resolver};
//! let resolver = Resolver::new(AliasTable::default_table())?;
//! let r = resolver.resolve("Aragushi");
//! assert_eq!(r.entity().unwrap().canonical, "Abbas Araghchi");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! - [`AliasTable`]: entities with canonical names, kinds and aliases; TOML,
//!   JSON and CSV.
//! - [`Resolver`]: built once by [`ResolverBuilder`], immutable and
//!   `Send + Sync`; [`Resolver::resolve`] returns a [`Resolution`].
//! - [`fold`] and [`Normalizer`]: the comparable form of a name.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

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
mod resolver;
mod scan;
mod score;
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
