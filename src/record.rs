//! The record form of results (feature `serde`): what [`Resolution`] and
//! [`Mention`] serialize to, flat and the same as the CLI's JSON, so that a
//! pipeline stores or sends an answer without rewriting it.
//!
//! A resolution: `status` (`exact`, `alias`, `fuzzy`, `ambiguous`,
//! `unknown`), `id`, `canonical` and `kind` of the resolved entity (null
//! unless resolved), `score` (the confidence), `match` and `matched` (how
//! and through which name it resolved), `best` and `runner_up` (candidates:
//! `id`, `canonical`, `matched`, `match`, `score` = similarity), `candidates`
//! when ambiguous, `explanation` when asked for (`normalized`, `parts` with
//! `query`, `name`, `score`, `edits` as `[operation, cost]`, `notes`).
//! A mention: `start`, `end` (bytes), `found`, `replacement`, `status`
//! (`finding` or `ambiguous`), `id`, `canonical`, `match`, `score`,
//! `by_context`, `candidates` (ids). Scores have four decimal places.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::resolver::{Candidate, Explanation, Outcome, PartMatch, Resolution};
use crate::scan::Mention;

/// Four decimal places: what a confidence or similarity means, without the
/// noise of `f32` digits.
fn round(x: f32) -> f64 {
    (f64::from(x) * 10_000.0).round() / 10_000.0
}

impl Serialize for Candidate<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("id", &self.entity.id)?;
        m.serialize_entry("canonical", &self.entity.canonical)?;
        m.serialize_entry("matched", self.matched)?;
        m.serialize_entry("match", self.kind.as_str())?;
        m.serialize_entry("score", &round(self.score))?;
        m.end()
    }
}

impl Serialize for Resolution<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let entity = self.entity();
        let resolved = self.best.as_ref().filter(|_| entity.is_some());
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("status", self.status())?;
        m.serialize_entry("id", &entity.map(|e| e.id.as_str()))?;
        m.serialize_entry("canonical", &entity.map(|e| e.canonical.as_str()))?;
        m.serialize_entry("kind", &entity.and_then(|e| e.kind.as_deref()))?;
        m.serialize_entry("score", &round(self.confidence))?;
        m.serialize_entry("match", &resolved.map(|c| c.kind.as_str()))?;
        m.serialize_entry("matched", &resolved.map(|c| c.matched))?;
        if let Some(best) = &self.best {
            m.serialize_entry("best", best)?;
        }
        if let Some(runner_up) = &self.runner_up {
            m.serialize_entry("runner_up", runner_up)?;
        }
        if !self.candidates.is_empty() {
            m.serialize_entry("candidates", &self.candidates)?;
        }
        if let Some(explanation) = &self.explanation {
            m.serialize_entry("explanation", explanation)?;
        }
        m.end()
    }
}

impl Serialize for Explanation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("normalized", &self.normalized_query)?;
        m.serialize_entry("parts", &self.parts)?;
        m.serialize_entry("notes", &self.notes)?;
        m.end()
    }
}

impl Serialize for PartMatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Edits<'a>(&'a [(String, f32)]);
        impl Serialize for Edits<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(Some(self.0.len()))?;
                for (operation, cost) in self.0 {
                    seq.serialize_element(&(operation, round(*cost)))?;
                }
                seq.end()
            }
        }
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("query", &self.query)?;
        m.serialize_entry("name", &self.name)?;
        m.serialize_entry("score", &round(self.score))?;
        m.serialize_entry("edits", &Edits(&self.edits))?;
        m.end()
    }
}

impl Serialize for Mention<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = &self.resolution;
        let entity = r.entity();
        let status = if r.outcome == Outcome::Ambiguous {
            "ambiguous"
        } else {
            "finding"
        };
        let candidates: Vec<&str> = r.candidates.iter().map(|c| c.entity.id.as_str()).collect();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("start", &self.start)?;
        m.serialize_entry("end", &self.end)?;
        m.serialize_entry("found", &self.surface)?;
        m.serialize_entry("replacement", &self.replacement)?;
        m.serialize_entry("status", status)?;
        m.serialize_entry("id", &entity.map(|e| e.id.as_str()))?;
        m.serialize_entry("canonical", &entity.map(|e| e.canonical.as_str()))?;
        m.serialize_entry("match", &r.best.as_ref().map(|b| b.kind.as_str()))?;
        m.serialize_entry("score", &round(r.confidence))?;
        m.serialize_entry("by_context", &self.by_context)?;
        m.serialize_entry("candidates", &candidates)?;
        m.end()
    }
}
