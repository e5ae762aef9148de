//! The replacement of a finding: the canonical spelling of the part of
//! the name the mention spells.

use super::words::words;
use super::Mention;
use crate::normalize::fold;
use crate::resolver::{Inner, Outcome};

/// The canonical spelling of the part of the name a mention spells, when
/// it differs from the surface.
pub(super) fn replacement(inner: &Inner, m: &Mention<'_>) -> Option<String> {
    if m.resolution.outcome != Outcome::Resolved {
        return None;
    }
    let best = m.resolution.best.as_ref()?;
    let canonical = best.entity.canonical.as_str();
    let surface = m.surface.as_str();
    if surface == canonical {
        return None;
    }
    // Acronyms are names of their own, not spellings to fix.
    if surface
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
        && surface.chars().filter(|c| c.is_alphabetic()).count() <= 6
        && !best.matched_canonical
    {
        return None;
    }
    let target = canonical_span(inner, surface, canonical)?;
    // Letter case (a headline's TEHRAN) and line breaks inside a name are
    // not spellings to fix.
    let plain = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    (plain(target) != plain(surface)).then(|| target.to_owned())
}

/// The words of `canonical` that the surface spells: the whole canonical
/// name, or the run of its words covering the parts the surface matched
/// (with a leading particle when the surface has one).
fn canonical_span<'c>(inner: &Inner, surface: &str, canonical: &'c str) -> Option<&'c str> {
    let c_words = words(canonical);
    let folded_surface = fold(surface);
    let s_parts: Vec<&str> = inner.tokens(&folded_surface).collect();
    // Each canonical word's folded parts that are not particles.
    let c_parts: Vec<(usize, String)> = c_words
        .iter()
        .enumerate()
        .flat_map(|(wi, w)| {
            let folded = fold(&canonical[w.start..w.end]);
            (inner.tokens(&folded))
                .map(|p| (wi, p.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    let compact = |s: &str| fold(s).replace(' ', "");
    let whole = inner.part_similarity(&compact(surface), &compact(canonical));
    let mut used = vec![false; c_parts.len()];
    let mut words_hit: Vec<usize> = Vec::new();
    let mut weakest = 1.0f32;
    for sp in &s_parts {
        let best = c_parts
            .iter()
            .enumerate()
            .filter(|(k, _)| !used[*k])
            .map(|(k, (wi, cp))| (k, *wi, inner.part_similarity(sp, cp)))
            .max_by(|a, b| a.2.total_cmp(&b.2));
        match best {
            Some((k, wi, sim)) => {
                used[k] = true;
                words_hit.push(wi);
                weakest = weakest.min(sim);
            }
            None => weakest = 0.0,
        }
    }
    // The surface is a spelling of the whole name, or its parts do not line
    // up with the canonical name's (an alias like "Abu Mazen"): the whole
    // canonical name.
    if words_hit.is_empty() || whole >= weakest || weakest < 0.5 {
        return Some(canonical);
    }
    let (mut lo, hi) = (*words_hit.iter().min()?, *words_hit.iter().max()?);
    let normalizer = inner.normalizer();
    let surface_starts_with_particle =
        (folded_surface.split(' ').next()).is_some_and(|p| normalizer.is_particle(p));
    if surface_starts_with_particle {
        while lo > 0
            && normalizer.is_particle(&fold(
                &canonical[c_words[lo - 1].start..c_words[lo - 1].end],
            ))
        {
            lo -= 1;
        }
    }
    Some(&canonical[c_words[lo].start..c_words[hi].end])
}
