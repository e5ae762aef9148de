//! The scoring kernel: names as symbol strings, and a weighted edit distance
//! between them whose costs come from data.
//!
//! A folded name is first *rewritten*: romanization conventions that spell
//! one sound differently (`sch`/`sh`/`sz`, `tsch`/`ch`/`cz`, `kh`, ...)
//! become one symbol and repeated symbols collapse (`data/rewrite.txt`). The
//! distance between two symbol strings is then a Levenshtein distance whose
//! substitution and insertion costs are read from `data/costs.tsv` (fitted on
//! name-variant pairs by `examples/fit_costs.rs`; unlisted operations cost
//! 1), plus alternating name endings such as Polish `-owa`/`-ówna`
//! (`data/suffixes.txt`).
//!
//! The kernel is allocation-free: strings longer than [`MAX_SYMBOLS`] are
//! compared on their first `MAX_SYMBOLS` symbols, and the DP rows live on the
//! stack. It takes the largest cost the caller can use and stops as soon as
//! no alignment can stay under it.

mod costs;
mod kernel;
mod symbols;

pub(crate) use costs::CostModel;
pub(crate) use kernel::Prepared;
pub(crate) use symbols::{symbol_char, Rewriter};

/// Number of symbols: index 0 is unused, 1..=26 are `a`..=`z`, then the
/// internal symbols of `data/rewrite.txt`.
pub(crate) const SYMBOLS: usize = 34;

/// The longest symbol string the kernel compares; longer names are cut here.
/// It bounds the work per comparison (at most `MAX_SYMBOLS`² cells).
pub const MAX_SYMBOLS: usize = 48;

pub(crate) const DEFAULT_REWRITE: &str = include_str!("../../data/rewrite.txt");
pub(crate) const DEFAULT_COSTS: &str = include_str!("../../data/costs.tsv");
pub(crate) const DEFAULT_SUFFIXES: &str = include_str!("../../data/suffixes.txt");

/// A name as the kernel sees it: symbol indices, at most [`MAX_SYMBOLS`].
pub(crate) type Symbols = Vec<u8>;

/// Bit i set: the string has ending i of the cost model's alternations.
pub(crate) type EndingMask = u64;

/// The set bits of a mask (endings, or symbols), lowest first.
#[inline(always)]
fn bits(mut mask: EndingMask) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let bit = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            bit
        })
    })
}

#[cfg(test)]
mod tests {
    use super::symbols::{is_vowel, U_SYMBOL};
    use super::*;

    fn rw() -> Rewriter {
        Rewriter::from_rules(DEFAULT_REWRITE)
    }

    fn show(s: &[u8]) -> String {
        s.iter().map(|&c| symbol_char(c)).collect()
    }

    /// The edit cost by the whole DP table, every cell, no cutoff and no
    /// endings: the reference the kernel's early exits are checked against.
    fn full_table(m: &CostModel, sa: &[u8], sb: &[u8]) -> f32 {
        let (ga, gb) = (m.gap_costs(sa), m.gap_costs(sb));
        let mut row: Vec<f32> = vec![0.0; sb.len() + 1];
        for j in 0..sb.len() {
            row[j + 1] = row[j] + gb[j];
        }
        for i in 0..sa.len() {
            let mut next = vec![row[0] + ga[i]; sb.len() + 1];
            for j in 0..sb.len() {
                next[j + 1] = (row[j] + m.sub(sa[i], sb[j]))
                    .min(row[j + 1] + ga[i])
                    .min(next[j] + gb[j]);
            }
            row = next;
        }
        row[sb.len()]
    }

    #[test]
    fn rewrites_conventions_to_one_symbol() {
        let r = rw();
        assert_eq!(
            show(&r.rewrite("tschernyschewski")),
            show(&r.rewrite("chernyshewski"))
        );
        assert_eq!(show(&r.rewrite("yuuki")), "yuki");
        assert_eq!(
            show(&r.rewrite("khorram shahr 4")),
            show(&r.rewrite("khorramshahr"))
        );
    }

    #[test]
    fn unit_costs_match_strsim_levenshtein() {
        let m = CostModel::unit();
        for (a, b) in [
            ("kitten", "sitting"),
            ("abc", ""),
            ("", ""),
            ("flaw", "lawn"),
        ] {
            let (sa, sb): (Vec<u8>, Vec<u8>) = (
                a.bytes().map(|c| c - b'a' + 1).collect(),
                b.bytes().map(|c| c - b'a' + 1).collect(),
            );
            let want = strsim::levenshtein(a, b) as f32;
            assert_eq!(m.edit_cost(&sa, &sb, 100.0), Some(want), "{a} {b}");
            assert_eq!(m.edit_cost(&sa, &sb, want - 0.5), None);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: crate::proptest_cases(256),
            ..Default::default()
        })]

        /// The kernel against strsim, the reference: with unit costs it is
        /// Levenshtein distance, and the cutoff only ever turns a distance
        /// above it into `None`. (No `i` or `u`: between consonants they
        /// are epenthetic and cost less.)
        #[test]
        fn unit_kernel_is_strsim_levenshtein(
            a in "[abcdefghjklmnopqrstvwxyz]{0,30}",
            b in "[abcdefghjklmnopqrstvwxyz]{0,30}",
            cutoff in 0.0f32..40.0,
        ) {
            let m = CostModel::unit();
            let symbols = |s: &str| -> Vec<u8> { s.bytes().map(|c| c - b'a' + 1).collect() };
            let want = strsim::levenshtein(&a, &b) as f32;
            let got = m.edit_cost(&symbols(&a), &symbols(&b), cutoff);
            proptest::prop_assert_eq!(got, (want <= cutoff).then_some(want));
        }

        /// The kernel exits early on a row over the cutoff; with fitted
        /// costs it gives what the full table gives, to the bit, or `None`
        /// when that is over the cutoff.
        #[test]
        fn kernel_is_the_full_table_under_the_cutoff(
            a in "[a-z]{0,20}",
            extra in "[a-z]{0,8}",
            other in "[a-z]{0,20}",
            at in 0usize..21,
            how in 0u8..3,
            cutoff in 0.0f32..12.0,
        ) {
            // b: a with letters inserted (at the start, the end or inside),
            // or another string; a and b swapped for the first.
            let at = at.min(a.len());
            let (a, b) = match how {
                0 => (format!("{}{extra}{}", &a[..at], &a[at..]), a.clone()),
                1 => (a.clone(), format!("{}{extra}{}", &a[..at], &a[at..])),
                _ => (a, other),
            };
            let r = rw();
            let m = CostModel::embedded(&r);
            let (sa, sb) = (r.rewrite(&a), r.rewrite(&b));
            let full = full_table(&m, &sa, &sb);
            let got = m.edit_cost(&sa, &sb, cutoff);
            match got {
                // The very float: each cell is the full table's three sums
                // in the same order, and the exits only stop the table.
                Some(c) => proptest::prop_assert_eq!(c.to_bits(), full.to_bits(), "{} vs {}", c, full),
                None => proptest::prop_assert!(full > cutoff - 1e-4, "None but {full} <= {cutoff}"),
            }
            if full < cutoff - 1e-4 {
                proptest::prop_assert!(got.is_some());
            }
        }

        /// With endings, the cost under the cutoff is the cheapest of the
        /// plain alignment and every listed pair of endings both strings
        /// have, swapped at its price, by the full table (no cutoff).
        #[test]
        fn endings_cost_the_cheapest_listed_swap(
            a in "[a-z]{0,12}(owa|ska|ski|ova|ina|anka|owna|ovna|iowa)?",
            b in "[a-z]{0,12}(owa|ska|ski|ova|ina|anka|owna|ovna|iowa)?",
            cutoff in 0.0f32..8.0,
        ) {
            let r = rw();
            let m = CostModel::embedded(&r);
            let (sa, sb) = (r.rewrite(&a), r.rewrite(&b));
            let (ea, eb) = (m.ending_mask(&sa), m.ending_mask(&sb));
            // The reference, without cutoffs: the plain cost, or a pair of
            // endings both strings have, swapped, plus its price.
            let mut reference = full_table(&m, &sa, &sb);
            for &(x, y, extra) in &m.alternations {
                if ea & (1 << x) != 0 && eb & (1 << y) != 0 {
                    let stem_a = &sa[..sa.len() - m.endings[usize::from(x)].len()];
                    let stem_b = &sb[..sb.len() - m.endings[usize::from(y)].len()];
                    reference = reference.min(full_table(&m, stem_a, stem_b) + extra);
                }
            }
            let plain = m.edit_cost(&sa, &sb, cutoff);
            let got = m.alternation_cost(&m.prepare(&sa, ea), &sb, eb, cutoff, kernel::Plain::Known(plain));
            match got {
                Some(c) => proptest::prop_assert!((c - reference).abs() < 1e-4, "{c} vs {reference}"),
                None => proptest::prop_assert!(reference > cutoff - 1e-4, "None but {reference} <= {cutoff}"),
            }
        }

        /// A string's ending mask, which compares only the endings that
        /// end in its last symbol, holds every ending it has: each of the
        /// list compared in full, leaving a stem of MIN_STEM symbols.
        #[test]
        fn ending_mask_holds_every_ending_the_string_has(
            a in "[a-z]{0,8}(owa|ska|ski|ova|ina|anka|owna|ovna|iowa|k|n)?",
        ) {
            let r = rw();
            let m = CostModel::embedded(&r);
            let sa = r.rewrite(&a);
            let want = (m.endings.iter().enumerate())
                .filter(|(_, e)| sa.len() >= e.len() + 3 && sa.ends_with(e))
                .fold(0, |mask, (i, _)| mask | 1 << i);
            proptest::prop_assert_eq!(m.ending_mask(&sa), want);
        }

        /// The endings' costs read from one shared table are exactly the
        /// costs of one table per pair (to the bit): the stems' last
        /// symbols, epenthetic vowels among them, included.
        #[test]
        fn one_table_for_every_ending_pair_gives_the_pairwise_costs(
            a in "[a-z]{0,10}(u|i)?(owa|ska|ski|ova|ina|anka|owna|ovna|iowa|k|n)?",
            b in "[a-z]{0,10}(u|i)?(owa|ska|ski|ova|ina|anka|owna|ovna|iowa|k|n)?",
            cutoff in 0.0f32..8.0,
        ) {
            let r = rw();
            let m = CostModel::embedded(&r);
            let (sa, sb) = (r.rewrite(&a), r.rewrite(&b));
            let (ea, eb) = (m.ending_mask(&sa), m.ending_mask(&sb));
            let plain = m.edit_cost(&sa, &sb, cutoff);
            for best in [None, plain] {
                let shared = m.alternation_cost(&m.prepare(&sa, ea), &sb, eb, cutoff, kernel::Plain::Known(best));
                let pairwise = m.alternation_cost_pairwise(&sa, ea, &sb, eb, cutoff, best);
                proptest::prop_assert_eq!(shared.map(f32::to_bits), pairwise.map(f32::to_bits));
            }
            // The plain cost read from the same table.
            let shared = m.alternation_cost(&m.prepare(&sa, ea), &sb, eb, cutoff, kernel::Plain::InTable);
            let pairwise = m.alternation_cost_pairwise(&sa, ea, &sb, eb, cutoff, plain);
            proptest::prop_assert_eq!(shared.map(f32::to_bits), pairwise.map(f32::to_bits));
        }

        /// The bound that spares the verifier most tables never exceeds
        /// the cost the full table gives (else a pair within the floor
        /// would be dropped).
        #[test]
        fn lower_bound_never_exceeds_the_cost(
            a in "[a-z]{0,20}",
            b in "[a-z]{0,20}",
        ) {
            let r = rw();
            let m = CostModel::embedded(&r);
            let (sa, sb) = (r.rewrite(&a), r.rewrite(&b));
            let prepared = m.prepare(&sa, m.ending_mask(&sa));
            let bound = m.lower_bound(&prepared, &sb).0;
            let cost = full_table(&m, &sa, &sb);
            proptest::prop_assert!(bound <= cost + 1e-4, "{bound} > {cost}");
        }

        /// The prepared path the resolver uses gives what the plain one
        /// gives, endings and fitted costs included.
        #[test]
        fn prepared_similarity_is_similarity(
            a in "[a-z]{0,20}(owa|ska|ski|ova|ina|anka)?",
            b in "[a-z]{0,20}(owa|ska|ski|ova|ina|anka)?",
            floor in 0.0f32..1.0,
        ) {
            let r = rw();
            let m = CostModel::embedded(&r);
            let (sa, sb) = (r.rewrite(&a), r.rewrite(&b));
            let (ea, eb) = (m.ending_mask(&sa), m.ending_mask(&sb));
            let prepared = m.prepare(&sa, ea);
            proptest::prop_assert_eq!(
                m.similarity_prepared(&prepared, &sb, eb, floor),
                m.similarity(&sa, ea, &sb, eb, floor)
            );
        }
    }

    #[test]
    fn lower_bound_sees_what_unrelated_strings_lack() {
        let r = rw();
        let m = CostModel::embedded(&r);
        // (bound, cost, the cost at which similarity falls under 0.73:
        // scan's floor for a word alone at the default threshold).
        let bound = |a: &str, b: &str| {
            let (sa, sb) = (r.rewrite(a), r.rewrite(b));
            let prepared = m.prepare(&sa, m.ending_mask(&sa));
            let cost = m.edit_cost(&sa, &sb, f32::MAX).unwrap();
            let cutoff = (1.0 - 0.73) * m.norm(&sa, &sb);
            let lower = m.lower_bound(&prepared, &sb).0;
            (lower, cost, cutoff)
        };
        // Nothing to bound when one is the other.
        assert_eq!(bound("araghchi", "araghchi").0, 0.0);
        // Strings that share few symbols: the bound alone rejects them.
        for (a, b) in [("wasim", "khatami"), ("francisco", "fordow")] {
            let (lower, cost, cutoff) = bound(a, b);
            assert!(
                lower > cutoff && lower <= cost,
                "{a} {b}: {lower} {cutoff} {cost}"
            );
        }
    }

    #[test]
    fn costed_alignment_adds_up_and_prices_epenthesis_in_context() {
        let r = rw();
        let m = CostModel::embedded(&r);
        for (a, b) in [
            ("araghchi", "araguchi"),
            ("khamenei", "xamenei"),
            ("zelensky", "selenskyj"),
        ] {
            let (sa, sb) = (r.rewrite(a), r.rewrite(b));
            let ops = m.align_costed(&sa, &sb);
            let total: f32 = ops.iter().map(|o| o.2).sum();
            let cost = m.edit_cost(&sa, &sb, f32::MAX).unwrap();
            assert!((total - cost).abs() < 1e-4, "{a} {b}: {total} vs {cost}");
        }
        // The u of Araguchi sits between consonants: it costs less than a
        // u elsewhere.
        let (sa, sb) = (r.rewrite("araghchi"), r.rewrite("araguchi"));
        let u = m
            .align_costed(&sa, &sb)
            .into_iter()
            .find(|o| o.0 == 0 && o.1 == U_SYMBOL);
        let u = u.expect("the u is inserted");
        assert!(
            (u.2 - m.indel(U_SYMBOL) * m.epenthesis).abs() < 1e-6,
            "{u:?}"
        );
    }

    #[test]
    fn vowel_table_matches_symbols() {
        for s in 1..SYMBOLS as u8 {
            let c = symbol_char(s);
            assert_eq!(is_vowel(s), "aeiouyU".contains(c), "{c}");
        }
    }

    #[test]
    fn endings_alternate() {
        let r = rw();
        let m = CostModel::embedded(&r);
        let a = r.rewrite("flejszar");
        let b = r.rewrite("flejszarowna");
        let c = m
            .cost(&a, m.ending_mask(&a), &b, m.ending_mask(&b), 10.0)
            .unwrap();
        assert!(c < 0.5, "{c}");
    }
}
