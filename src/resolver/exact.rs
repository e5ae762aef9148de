//! Step 2: exact, alias and normalized matches, looked up in the exact
//! index (`crate::exact`) without any fuzzy search.

use super::model::Inner;
use super::query::Query;
use super::resolution::{Candidate, MatchKind, Outcome, Resolution};

impl Inner {
    /// The names the query matches exactly (folded), as an alias, or once
    /// normalized (titles and possessive removed, or spaces dropped).
    pub(super) fn lookup_exact(&self, query: &Query) -> Option<(Vec<u32>, MatchKind)> {
        let ids = self.exact.folded(&query.folded, |id| self.folded_name(id));
        if !ids.is_empty() {
            let kind = if ids
                .iter()
                .any(|&i| self.names[i as usize].alias().is_none())
            {
                MatchKind::Exact
            } else {
                MatchKind::Alias
            };
            return Some((ids, kind));
        }
        if query.changed() {
            let ids = self
                .exact
                .folded(query.normalized(), |id| self.folded_name(id));
            if !ids.is_empty() {
                return Some((ids, MatchKind::Normalized));
            }
        }
        let compact: String = query.normalized().chars().filter(|&c| c != ' ').collect();
        let ids = self.exact.compact(&compact, |id| self.folded_name(id));
        (!ids.is_empty()).then_some((ids, MatchKind::Normalized))
    }

    /// The answer for names matched exactly: resolved when they are one
    /// entity's, ambiguous when several entities claim the name.
    pub(super) fn decide_exact(&self, names: &[u32], kind: MatchKind) -> Resolution<'_> {
        // Several names of one entity may fold alike; keep one per entity,
        // preferring the canonical name.
        let mut per_entity: Vec<u32> = Vec::new();
        for &n in names {
            let e = self.names[n as usize].entity;
            match per_entity
                .iter_mut()
                .find(|m| self.names[**m as usize].entity == e)
            {
                Some(m) => {
                    if self.names[n as usize].alias().is_none() {
                        *m = n;
                    }
                }
                None => per_entity.push(n),
            }
        }
        let cands: Vec<Candidate<'_>> = per_entity
            .iter()
            .map(|&n| {
                let k = match kind {
                    MatchKind::Normalized => MatchKind::Normalized,
                    _ if self.names[n as usize].alias().is_none() => MatchKind::Exact,
                    _ => MatchKind::Alias,
                };
                self.candidate(n, k, 1.0)
            })
            .collect();
        if cands.len() == 1 {
            return Resolution {
                outcome: Outcome::Resolved,
                best: cands.into_iter().next(),
                runner_up: None,
                candidates: Vec::new(),
                confidence: 1.0,
                explanation: None,
            };
        }
        Resolution {
            outcome: Outcome::Ambiguous,
            best: cands.first().cloned(),
            runner_up: cands.get(1).cloned(),
            candidates: cands,
            confidence: 0.0,
            explanation: None,
        }
    }
}
