//! The kernel: the weighted edit distance between two symbol strings under
//! a cutoff, allocation-free, with ending alternations; and the alignments
//! explanations show.

use super::costs::CostModel;
use super::symbols::{is_vowel, I_SYMBOL, U_SYMBOL};
use super::{bits, EndingMask, MAX_SYMBOLS, SYMBOLS};

/// The smaller of two costs. Costs are never NaN, so this is one `minss`
/// where `f32::min`, which must return the number beside a NaN, is three.
#[inline(always)]
fn min(a: f32, b: f32) -> f32 {
    if a < b {
        a
    } else {
        b
    }
}

/// The most ending pairs [`CostModel::alternation_cost`] reads from one
/// table: a string has one to three endings (the empty one included), so
/// two strings rarely make more than nine pairs.
const SHARED_TABLE_PAIRS: usize = 16;

/// What [`CostModel::alternation_cost`] is told of the plain cost (no
/// ending swapped).
pub(super) enum Plain {
    /// Worked out already (`None`: over the cutoff, or bounded past it).
    Known(Option<f32>),
    /// To be read from the table the stems' costs are read from.
    InTable,
}

/// A string prepared for many comparisons ([`CostModel::prepare`]).
pub(crate) struct Prepared<'s> {
    symbols: &'s [u8],
    endings: EndingMask,
    gaps: [f32; MAX_SYMBOLS],
    evidence: f32,
    /// `nearest[y]`: the least a symbol `y` of the other string costs: its
    /// least gap cost in any context, or aligned with the nearest symbol
    /// of this one (0 when it has `y`).
    nearest: [f32; SYMBOLS],
    /// The string's symbols as bits (bit `x` for symbol `x`).
    has: u64,
    /// `unmatched[x]`: the least the string's symbols `x` cost when the
    /// other string has no `x`: at each place, its gap or its cheapest
    /// substitution by another symbol.
    unmatched: [f32; SYMBOLS],
    /// `profile[x * n + j]` (`n`: the string's length, at most
    /// [`MAX_SYMBOLS`]): the cost of aligning a symbol `x` of the other
    /// string with this one's `j`th. A table over the other string's
    /// symbols reads its row's costs from here in column order, one load a
    /// cell where looking each up in the substitution table took two (300
    /// scale-dev queries at 1M, instructions in `resolve_with`: 394.5M ->
    /// 375.0M, the alternations' table turned to read it too). Scan
    /// prepares a string for every span it weighs, and a span meets few
    /// keys: `check` of copy-dev's planted articles takes 1.3% more
    /// instructions for it (614.2M -> 621.9M, the whole run); laid out
    /// row by row as tables first read them, 0.7% more, but `resolve` 1%
    /// more than with the whole profile.
    profile: Vec<f32>,
}

impl CostModel {
    /// Similarity in [0, 1] of two symbol strings, or `None` below `floor`.
    #[inline]
    pub(crate) fn similarity(
        &self,
        a: &[u8],
        a_end: EndingMask,
        b: &[u8],
        b_end: EndingMask,
        floor: f32,
    ) -> Option<f32> {
        let norm = self.norm(a, b);
        let cost = self.cost(a, a_end, b, b_end, (1.0 - floor) * norm)?;
        Some((1.0 - cost / norm).clamp(0.0, 1.0))
    }

    /// Prepares `s` for many comparisons: its gap costs and evidence are
    /// computed once, not once per comparison.
    pub(crate) fn prepare<'s>(&self, s: &'s [u8], endings: EndingMask) -> Prepared<'s> {
        let s_cut = &s[..s.len().min(MAX_SYMBOLS)];
        let gaps = self.gap_costs(s);
        // A symbol's gap costs its indel cost, less only for a vowel that
        // may be epenthetic (see `gap_costs`).
        let mut nearest: [f32; SYMBOLS] = std::array::from_fn(|y| {
            let y = y as u8;
            let indel = self.indel(y);
            if y == U_SYMBOL || y == I_SYMBOL {
                min(indel, indel * self.epenthesis)
            } else {
                indel
            }
        });
        let mut unmatched = [0f32; SYMBOLS];
        let mut has = 0u64;
        for (i, &x) in s_cut.iter().enumerate() {
            let row = &self.sub[usize::from(x)];
            for (n, &c) in nearest.iter_mut().zip(row) {
                *n = min(*n, c);
            }
            let other = (row.iter().enumerate())
                .filter(|&(y, _)| y != usize::from(x))
                .fold(f32::INFINITY, |m, (_, &c)| min(m, c));
            unmatched[usize::from(x)] += min(gaps[i], other);
            has |= 1 << x;
        }
        // (Sized first: collected through `flat_map`, whose length is
        // unknown, it was grown a dozen times.)
        let mut profile = Vec::with_capacity(SYMBOLS * s_cut.len());
        for row in &self.sub {
            profile.extend(s_cut.iter().map(|&y| row[usize::from(y)]));
        }
        Prepared {
            symbols: s,
            endings,
            gaps,
            evidence: self.evidence(s),
            nearest,
            has,
            unmatched,
            profile,
        }
    }

    /// The costs a table row of symbol `x` of another string reads against
    /// the prepared string, in column order.
    #[inline(always)]
    fn profile_row<'p>(a: &'p Prepared<'_>, x: u8) -> &'p [f32] {
        let n = a.symbols.len().min(MAX_SYMBOLS);
        &a.profile[usize::from(x) * n..][..n]
    }

    /// A lower bound on the plain edit cost (no endings) of `a` and `b`,
    /// at a fraction of the table's work and without `b`'s gap costs:
    /// every symbol of `b` is aligned with some symbol of `a` or left out,
    /// so it costs at least its `nearest` cost; every symbol of `a` that
    /// `b` lacks is substituted or left out, at least at its `unmatched`
    /// cost. Either sum bounds the cost (a substitution is counted once in
    /// each, so they do not add). Most candidate keys of a query are
    /// unrelated strings that this rejects before the table is filled.
    /// With it, `b`'s evidence ([`CostModel::evidence`]), read in the same
    /// pass.
    #[inline(always)]
    pub(super) fn lower_bound(&self, a: &Prepared<'_>, b: &[u8]) -> (f32, f32) {
        let b = &b[..b.len().min(MAX_SYMBOLS)];
        let (mut from_b, mut b_has, mut evidence) = (0.0, 0u64, 0.0);
        for &y in b {
            from_b += a.nearest[usize::from(y)];
            evidence += self.weight[usize::from(y)];
            b_has |= 1 << y;
        }
        // The symbols of `a` that `b` lacks, a few bits.
        let mut from_a = 0.0;
        for x in bits(a.has & !b_has) {
            from_a += a.unmatched[x];
        }
        (if from_a > from_b { from_a } else { from_b }, evidence)
    }

    /// [`CostModel::similarity`] with a prepared first string; the same
    /// result.
    #[inline]
    pub(crate) fn similarity_prepared(
        &self,
        a: &Prepared<'_>,
        b: &[u8],
        b_end: EndingMask,
        floor: f32,
    ) -> Option<f32> {
        self.similarity_bounded(a, b, None, b_end, floor)
    }

    /// [`CostModel::similarity_prepared`] with the second string's gap
    /// costs given too (at least its first [`MAX_SYMBOLS`]), for strings
    /// compared with many others (a table's name parts). The same result.
    #[inline]
    pub(crate) fn similarity_of_forms(
        &self,
        a: &Prepared<'_>,
        b: &[u8],
        b_gaps: &[f32],
        b_end: EndingMask,
        floor: f32,
    ) -> Option<f32> {
        self.similarity_bounded(a, b, Some(b_gaps), b_end, floor)
    }

    /// The two above: the lower bound first ([`CostModel::lower_bound`],
    /// which reads `b`'s evidence on the way), and `b`'s gap costs only for
    /// a pair that the bound lets through.
    #[inline(always)]
    fn similarity_bounded(
        &self,
        a: &Prepared<'_>,
        b: &[u8],
        b_gaps: Option<&[f32]>,
        b_end: EndingMask,
        floor: f32,
    ) -> Option<f32> {
        let (bound, b_evidence) = self.lower_bound(a, b);
        let norm = ((a.evidence + b_evidence) * 0.5).max(f32::MIN_POSITIVE);
        let cutoff = (1.0 - floor) * norm;
        // Scaled down a hair, as the length filter is, so that float
        // rounding never drops a pair the table would keep.
        let bounded = bound * (1.0 - 1e-5) > cutoff;
        let alternations =
            self.suffix_enabled && (a.endings | b_end) > 1 && self.alternates(a.endings, b_end);
        if bounded && !alternations {
            return None;
        }
        // With alternations, the plain cost is read from the stems' table.
        let mut best = if bounded || alternations {
            None
        } else {
            let mut computed = [0f32; MAX_SYMBOLS];
            let gaps = match b_gaps {
                Some(gaps) => gaps,
                None => {
                    self.fill_gap_costs(b, &mut computed);
                    &computed[..]
                }
            };
            self.edit_cost_over_b(a, b, gaps, cutoff)
        };
        if alternations {
            let plain = if bounded {
                Plain::Known(None)
            } else {
                Plain::InTable
            };
            best = self.alternation_cost(a, b, b_end, cutoff, plain);
        }
        let cost = best?;
        Some((1.0 - cost / norm).clamp(0.0, 1.0))
    }

    /// Substitution cost.
    #[inline(always)]
    pub(crate) fn sub(&self, x: u8, y: u8) -> f32 {
        self.sub[usize::from(x)][usize::from(y)]
    }

    /// Insertion/deletion cost.
    #[inline(always)]
    pub(crate) fn indel(&self, x: u8) -> f32 {
        self.indel[usize::from(x)]
    }

    /// Cost of the cheapest way to turn `a` into `b`, endings included, or
    /// `None` when it exceeds `cutoff`. `a_end` and `b_end` are the strings'
    /// [`CostModel::ending_mask`]s.
    #[inline(never)]
    pub(crate) fn cost(
        &self,
        a: &[u8],
        a_end: EndingMask,
        b: &[u8],
        b_end: EndingMask,
        cutoff: f32,
    ) -> Option<f32> {
        if !self.suffix_enabled || (a_end | b_end) <= 1 || !self.alternates(a_end, b_end) {
            return self.edit_cost(a, b, cutoff);
        }
        self.alternation_cost(&self.prepare(a, a_end), b, b_end, cutoff, Plain::InTable)
    }

    /// The cheapest of the plain edit cost (`plain`: given, or read from
    /// the table below) and every ending alternation the two strings allow.
    ///
    /// A stem is a prefix of its string, so one table over the two whole
    /// strings holds every stem pair's cost: `D[i][j]` is the cost of
    /// `a[..i]` against `b[..j]`. It is filled once, its cells read where
    /// the stems end, and the plain cost with them, instead of one table
    /// per pair and one more for the plain cost (those were over a quarter
    /// of a query's instructions at scale-dev's million names, whose
    /// parts have two or three endings each). The one place a cell can differ
    /// from the stems' own table is a stem's last symbol, a `u` or `i`
    /// that the whole string prices as epenthetic (between consonants) and
    /// the stem, ending there, does not: such a pair gets its own table,
    /// so that the answer is exactly [`CostModel::alternation_cost_pairwise`]'s.
    pub(super) fn alternation_cost(
        &self,
        prepared: &Prepared<'_>,
        b: &[u8],
        b_end: EndingMask,
        cutoff: f32,
        plain: Plain,
    ) -> Option<f32> {
        let (a, a_end, nearest, prepared_gaps) = (
            prepared.symbols,
            prepared.endings,
            &prepared.nearest,
            &prepared.gaps,
        );
        // The plain cost: known, or this table's to read.
        let with_plain = matches!(plain, Plain::InTable);
        let best = match plain {
            Plain::Known(best) => best,
            Plain::InTable => None,
        };
        // (The prepared gaps are `a`'s first MAX_SYMBOLS, all that a table
        // reads.)
        let plain = |best| {
            if with_plain {
                let b_gaps = self.gap_costs(b);
                self.edit_cost_gaps(a, prepared_gaps, b, &b_gaps, cutoff)
            } else {
                best
            }
        };
        // The pairs with an alternation, in the pairwise order; more than
        // fit here (never seen: a string has a few endings) or strings
        // past the table's width go pair by pair.
        // (Two plain loops, in `stem_pairs`' order: its flattened
        // iterator was inlined here or not as the crate's code was split
        // for compiling, and when not, 300 scale-dev queries at 1M took
        // 7M more instructions.)
        let mut pairs = [(0usize, 0usize, 0f32); SHARED_TABLE_PAIRS];
        let mut count = 0;
        for ea in bits(a_end) {
            for pair in bits(b_end).filter_map(|eb| self.stem_pair(a, ea, b, eb)) {
                if count == SHARED_TABLE_PAIRS {
                    return self.alternation_cost_pairwise(a, a_end, b, b_end, cutoff, plain(best));
                }
                pairs[count] = pair;
                count += 1;
            }
        }
        let pairs = &pairs[..count];
        if pairs.is_empty() {
            return plain(best);
        }
        // (The tables read the first MAX_SYMBOLS of each string only.)
        if a.len() > MAX_SYMBOLS || b.len() > MAX_SYMBOLS {
            return self.alternation_cost_pairwise(a, a_end, b, b_end, cutoff, plain(best));
        }
        // A bound on each pair first, as
        // [`CostModel::lower_bound`]'s from `b`'s side: every symbol of
        // `b`'s stem costs at least its `nearest` in `a`, which has all the
        // symbols of `a`'s stem. A pair it puts past the loosest limit it
        // can be held to (`cutoff` less its price) is dropped. (Summed over
        // the whole of `b` when the table reads the plain cost too: the
        // table's early exit reads the sums between its rows.)
        let mut possible = [true; SHARED_TABLE_PAIRS];
        let mut from_b = [0f32; MAX_SYMBOLS + 1];
        let longest = pairs.iter().map(|p| p.1).max().unwrap_or(0);
        let summed = if with_plain { b.len() } else { longest };
        // (The running sum carried in a register: read back from the
        // array, each step waited on the store before it.)
        let mut sum = 0.0;
        for (k, &y) in b[..summed].iter().enumerate() {
            sum += nearest[usize::from(y)];
            from_b[k + 1] = sum;
        }
        for (&(_, j, extra), possible) in pairs.iter().zip(&mut possible) {
            // Scaled down a hair, as the other bounds are.
            *possible = from_b[j] * (1.0 - 1e-5) <= cutoff - extra;
        }
        if !possible[..count].contains(&true) {
            return plain(best);
        }
        let (gap_a, mut gap_b) = (&prepared_gaps[..], [0f32; MAX_SYMBOLS]);
        self.fill_gap_costs(b, &mut gap_b);
        // No limit a pair is held to exceeds this.
        let loosest = (pairs.iter().zip(&possible))
            .filter(|(_, &p)| p)
            .fold(f32::NEG_INFINITY, |l, (p, _)| l.max(cutoff - p.2));
        // The cells read: each pair's stems, and the whole strings when the
        // plain cost is this table's too (then the table goes on as far as
        // the plain cost's cutoff, which no pair's limit exceeds).
        // (The table runs over `b`'s rows and `a`'s columns, so that its
        // rows read `a`'s profile: a cell is (row, column).)
        let mut cells = [((0usize, 0usize), f32::INFINITY); SHARED_TABLE_PAIRS + 1];
        for (cell, p) in cells.iter_mut().zip(pairs) {
            cell.0 = (p.1, p.0);
        }
        let cells_read = if with_plain {
            cells[count].0 = (b.len(), a.len());
            count + 1
        } else {
            count
        };
        let level = if with_plain { cutoff } else { loosest };
        if level >= 0.0 {
            self.table_cells(
                prepared,
                b,
                &gap_b[..b.len()],
                &from_b,
                &mut cells[..cells_read],
                level,
            );
        }
        let mut best = if with_plain {
            let plain = cells[count].1;
            (plain <= cutoff).then_some(plain)
        } else {
            best
        };
        // A stem whose last gap the whole string prices otherwise.
        let own =
            |s: &[u8], gaps: &[f32], end: usize| end > 0 && gaps[end - 1] != self.indel(s[end - 1]);
        for ((&(i, j, extra), &(_, cell)), &possible) in pairs.iter().zip(&cells).zip(&possible) {
            let limit = best.unwrap_or(cutoff).min(cutoff) - extra;
            if limit < 0.0 || !possible {
                continue;
            }
            let cost = if own(a, gap_a, i) || own(b, &gap_b, j) {
                self.edit_cost(&a[..i], &b[..j], limit)
            } else {
                (cell <= limit).then_some(cell)
            };
            if let Some(c) = cost {
                best = Some(c + extra);
            }
        }
        best
    }

    /// Fills the table of `b` (rows) against the prepared `a` (columns;
    /// both at most [`MAX_SYMBOLS`], `gap_b` of `b`'s length)
    /// row by row, as [`CostModel::edit_cost_over_b`] does, and writes into
    /// each cell of `cells` the cost at its row and column (lengths of
    /// `b`'s and `a`'s prefixes); stops once no cell still to be read can
    /// be within `cutoff`, leaving the cells not reached as they were
    /// (infinite). `least_before[k]` is a lower bound on what `b[..k]`
    /// costs, summed symbol by symbol (so that `least_before[r] -
    /// least_before[i]` bounds what rows `i + 1..=r` add), at least up to
    /// the last cell's row.
    ///
    /// Stopping only once a whole row exceeded the cutoff, the table read
    /// on through rows whose cells the rest of `b` must push over it: 300
    /// scale-dev queries at 1M, instructions in `resolve_with`: 403.8M ->
    /// 400.6M, the answers byte-identical.
    fn table_cells(
        &self,
        a: &Prepared<'_>,
        b: &[u8],
        gap_b: &[f32],
        least_before: &[f32; MAX_SYMBOLS + 1],
        cells: &mut [((usize, usize), f32)],
        cutoff: f32,
    ) {
        // The rows that hold a cell (a row is at most MAX_SYMBOLS, under
        // 64): most rows hold none, and need not look.
        let rows_read = cells.iter().fold(0u64, |m, c| m | 1 << c.0 .0);
        let last_row = cells.iter().map(|c| c.0 .0).max().unwrap_or(0);
        let gap_a = &a.gaps[..a.symbols.len().min(MAX_SYMBOLS)];
        let (mut row_a, mut row_b) = ([0f32; MAX_SYMBOLS + 1], [0f32; MAX_SYMBOLS + 1]);
        let (mut prev, mut cur) = (&mut row_a, &mut row_b);
        for j in 0..gap_a.len() {
            prev[j + 1] = prev[j] + gap_a[j];
        }
        let read =
            |row: usize, values: &[f32; MAX_SYMBOLS + 1], cells: &mut [((usize, usize), f32)]| {
                if rows_read & 1 << row == 0 {
                    return;
                }
                for ((i, j), cost) in cells.iter_mut() {
                    if *i == row {
                        *cost = values[*j];
                    }
                }
            };
        read(0, prev, cells);
        for (i, &x) in b.iter().enumerate().take(last_row) {
            let costs = Self::profile_row(a, x).iter().copied();
            let least = Self::next_row(gap_b[i], costs, gap_a, prev, cur);
            // The nearest row still to be read, this one or a later one
            // (there is one: the loop ends at `last_row`, which holds a
            // cell): its cells cost at least this row's least cell plus
            // what the rows up to it add. Scaled down a hair, as the other
            // bounds are.
            let next_read = i + 1 + (rows_read >> (i + 1)).trailing_zeros() as usize;
            let ahead = least_before[next_read] - least_before[i + 1];
            if (least + ahead) * (1.0 - 1e-5) > cutoff {
                return;
            }
            read(i + 1, cur, cells);
            std::mem::swap(&mut prev, &mut cur);
        }
    }

    /// [`CostModel::alternation_cost`] with one table per pair of endings:
    /// for strings past the shared table's width, and as the reference the
    /// shared table is tested against.
    pub(super) fn alternation_cost_pairwise(
        &self,
        a: &[u8],
        a_end: EndingMask,
        b: &[u8],
        b_end: EndingMask,
        cutoff: f32,
        mut best: Option<f32>,
    ) -> Option<f32> {
        for (stem_a, stem_b, extra) in self.stem_pairs(a, a_end, b, b_end) {
            let limit = best.unwrap_or(cutoff).min(cutoff) - extra;
            if limit < 0.0 {
                continue;
            }
            if let Some(c) = self.edit_cost(&a[..stem_a], &b[..stem_b], limit) {
                best = Some(c + extra);
            }
        }
        best
    }

    /// The ending alternations between `a` and `b`, in the order they are
    /// tried: the lengths of the two stems and the alternation's price.
    fn stem_pairs<'s>(
        &'s self,
        a: &'s [u8],
        a_end: EndingMask,
        b: &'s [u8],
        b_end: EndingMask,
    ) -> impl Iterator<Item = (usize, usize, f32)> + 's {
        bits(a_end)
            .flat_map(move |ea| bits(b_end).filter_map(move |eb| self.stem_pair(a, ea, b, eb)))
    }

    /// The alternation of `a`'s ending `ea` with `b`'s `eb`, if the costs
    /// list one: the lengths of the two stems and its price.
    #[inline(always)]
    fn stem_pair(&self, a: &[u8], ea: usize, b: &[u8], eb: usize) -> Option<(usize, usize, f32)> {
        let extra = self.alternation.get(ea * self.endings.len() + eb).copied();
        let extra = extra.filter(|e| e.is_finite())?;
        Some((
            a.len() - self.endings[ea].len(),
            b.len() - self.endings[eb].len(),
            extra,
        ))
    }

    /// The cost of leaving out each symbol of `s`, in context: a vowel
    /// between two consonants costs [`CostModel::epenthesis`] times its
    /// indel cost, since transliteration through Japanese or Korean inserts
    /// such vowels (Araghchi -> Araguchi) and abjads leave them out.
    #[inline(always)]
    pub(crate) fn gap_costs(&self, s: &[u8]) -> [f32; MAX_SYMBOLS] {
        let mut g = [0f32; MAX_SYMBOLS];
        self.fill_gap_costs(s, &mut g);
        g
    }

    /// [`CostModel::gap_costs`] written into `g` (its first `s.len()`, at
    /// most [`MAX_SYMBOLS`]). The tables' callers fill their own array:
    /// returned, the 192-byte array was copied by a `memcpy` call per
    /// table, 3.8% of a sampled profile of 30,000 scale-dev queries at 1M.
    #[inline(always)]
    fn fill_gap_costs(&self, s: &[u8], g: &mut [f32; MAX_SYMBOLS]) {
        for (i, &x) in s.iter().enumerate().take(MAX_SYMBOLS) {
            let mut c = self.indel(x);
            if (x == U_SYMBOL || x == I_SYMBOL)
                && i > 0
                && i + 1 < s.len()
                && !is_vowel(s[i - 1])
                && !is_vowel(s[i + 1])
            {
                c *= self.epenthesis;
            }
            g[i] = c;
        }
    }

    /// Weighted Levenshtein distance with early exit.
    #[inline(always)]
    pub(super) fn edit_cost(&self, a: &[u8], b: &[u8], cutoff: f32) -> Option<f32> {
        self.edit_cost_gaps(a, &self.gap_costs(a), b, &self.gap_costs(b), cutoff)
    }

    /// [`CostModel::edit_cost_gaps`] of a prepared `a` against `b`, the
    /// table filled row by row over `b`: the same cost (the table is the
    /// transpose of `edit_cost_gaps`'s, each cell the same three sums, so
    /// the same float), but a row can be given up earlier. The rest of `b`
    /// is still to be aligned or left out, each symbol at least at its
    /// `nearest` cost in `a`, so a row whose least cell plus that exceeds
    /// the cutoff ends the search (300 queries at scale-dev's million
    /// names: 16% fewer rows than stopping at the least cell alone).
    fn edit_cost_over_b(
        &self,
        a: &Prepared<'_>,
        b: &[u8],
        gap_b: &[f32],
        cutoff: f32,
    ) -> Option<f32> {
        // What the symbols after each row cost at least, summed from the
        // end (sums of non-negative terms: within a hair of exact, which
        // the table's test allows for, as the other bounds do).
        // (The running sum in a register, as `alternation_cost`'s.)
        let (mut rest, mut sum) = ([0f32; MAX_SYMBOLS + 1], 0.0);
        for k in (0..b.len().min(MAX_SYMBOLS)).rev() {
            sum += a.nearest[usize::from(b[k])];
            rest[k] = sum;
        }
        let n = a.symbols.len().min(MAX_SYMBOLS);
        let costs = |x: u8| Self::profile_row(a, x).iter().copied();
        self.table_cost(b, gap_b, &a.gaps[..n], costs, &rest, cutoff)
    }

    /// The length filter of the tables, given the two strings' gap costs:
    /// at least the difference in length of the longer string's symbols go
    /// unaligned, each at its gap cost, so at least at the cheapest of them.
    /// (Not the cheapest indel of all symbols: one, `x`, is nearly free to
    /// leave out.) Scaled down a hair so that float rounding never drops a
    /// pair.
    #[inline(always)]
    fn lengths_exceed(gap_a: &[f32], gap_b: &[f32], cutoff: f32) -> bool {
        if gap_a.len() == gap_b.len() {
            return false;
        }
        let longer = if gap_a.len() > gap_b.len() {
            gap_a
        } else {
            gap_b
        };
        let cheapest = longer.iter().copied().fold(f32::INFINITY, min);
        (gap_a.len().abs_diff(gap_b.len()) as f32) * cheapest * (1.0 - 1e-5) > cutoff
    }

    /// [`CostModel::edit_cost`] with the strings' gap costs given.
    #[inline(always)]
    pub(super) fn edit_cost_gaps(
        &self,
        a: &[u8],
        gap_a: &[f32],
        b: &[u8],
        gap_b: &[f32],
        cutoff: f32,
    ) -> Option<f32> {
        let b = &b[..b.len().min(MAX_SYMBOLS)];
        let costs = |x: u8| {
            let sub = &self.sub[usize::from(x)];
            b.iter().map(move |&y| sub[usize::from(y)])
        };
        self.table_cost(
            a,
            gap_a,
            &gap_b[..b.len()],
            costs,
            &[0.0; MAX_SYMBOLS + 1],
            cutoff,
        )
    }

    /// The edit cost of `rows` against the columns whose gap costs are
    /// `gap_cols` (at most [`MAX_SYMBOLS`] of each, with their gap costs),
    /// or `None` over `cutoff`; `costs(x)` gives, in column order, what
    /// aligning a row's symbol `x` with each column costs. The table is
    /// filled row by row, given up once a row's least cell plus `rest[i +
    /// 1]` (a lower bound on what the rows after row `i` add; zeros for
    /// none) exceeds the cutoff.
    #[inline(always)]
    fn table_cost<C: Iterator<Item = f32>>(
        &self,
        rows: &[u8],
        gap_rows: &[f32],
        gap_cols: &[f32],
        costs: impl Fn(u8) -> C,
        rest: &[f32; MAX_SYMBOLS + 1],
        cutoff: f32,
    ) -> Option<f32> {
        let rows = &rows[..rows.len().min(MAX_SYMBOLS)];
        let gap_rows = &gap_rows[..rows.len()];
        if Self::lengths_exceed(gap_rows, gap_cols, cutoff) {
            return None;
        }
        // Two rows, swapped by reference: swapping the arrays themselves
        // would copy 196 bytes a row.
        let (mut row_a, mut row_b) = ([0f32; MAX_SYMBOLS + 1], [0f32; MAX_SYMBOLS + 1]);
        let (mut prev, mut cur) = (&mut row_a, &mut row_b);
        for j in 0..gap_cols.len() {
            prev[j + 1] = prev[j] + gap_cols[j];
        }
        for (i, &x) in rows.iter().enumerate() {
            let least = Self::next_row(gap_rows[i], costs(x), gap_cols, prev, cur);
            // Scaled down a hair, as the other bounds are, so that float
            // rounding of `rest` never drops a pair.
            if (least + rest[i + 1]) * (1.0 - 1e-5) > cutoff {
                return None;
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        let d = prev[gap_cols.len()];
        (d <= cutoff).then_some(d)
    }

    /// One row of the edit table: `cur` for a symbol of the first string
    /// (left out at `dx`, aligned with each column at `costs`, in column
    /// order) from `prev`, the row before, against columns left out at
    /// `gap_b`; the row's least cost, for the early exit.
    #[inline(always)]
    fn next_row(
        dx: f32,
        costs: impl Iterator<Item = f32>,
        gap_b: &[f32],
        prev: &[f32; MAX_SYMBOLS + 1],
        cur: &mut [f32; MAX_SYMBOLS + 1],
    ) -> f32 {
        let prev_first = prev[0];
        cur[0] = prev_first + dx;
        let mut row_min = cur[0];
        // Zipped iterators of one length (no bounds checks in the loop),
        // the left and diagonal cells carried in registers.
        let n = gap_b.len();
        let (prev, cur) = (&prev[1..=n], &mut cur[1..=n]);
        let (mut left, mut diagonal) = (row_min, prev_first);
        for ((cost, &gap_y), (&up, out)) in (costs.zip(gap_b)).zip(prev.iter().zip(cur)) {
            let v = min(min(diagonal + cost, up + dx), left + gap_y);
            *out = v;
            left = v;
            diagonal = up;
            row_min = min(row_min, v);
        }
        row_min
    }

    #[cfg(feature = "fit")]
    /// The cheapest alignment of `a` and `b` as a list of (x, y) symbol
    /// pairs (0 = nothing), without endings. Used by the cost fitter and for
    /// explanations; allocates.
    pub(crate) fn align(&self, a: &[u8], b: &[u8]) -> Vec<(u8, u8)> {
        (self.align_costed(a, b).into_iter())
            .map(|(x, y, _)| (x, y))
            .collect()
    }

    /// `CostModel::align` with each pair's cost in context (an epenthetic
    /// vowel at its reduced cost): the costs add up to the edit cost.
    pub(crate) fn align_costed(&self, a: &[u8], b: &[u8]) -> Vec<(u8, u8, f32)> {
        let a = &a[..a.len().min(MAX_SYMBOLS)];
        let b = &b[..b.len().min(MAX_SYMBOLS)];
        let (n, m) = (a.len(), b.len());
        let (gap_a, gap_b) = (self.gap_costs(a), self.gap_costs(b));
        // One allocation for the whole table, row by row (the calibrated
        // confidence aligns every fuzzy answer: a vector per row was a
        // dozen allocations a query).
        let width = m + 1;
        let mut d = vec![0f32; (n + 1) * width];
        let at = |i: usize, j: usize| i * width + j;
        for i in 1..=n {
            d[at(i, 0)] = d[at(i - 1, 0)] + gap_a[i - 1];
        }
        for j in 1..=m {
            d[at(0, j)] = d[at(0, j - 1)] + gap_b[j - 1];
        }
        for i in 1..=n {
            for j in 1..=m {
                d[at(i, j)] = min(
                    min(
                        d[at(i - 1, j - 1)] + self.sub(a[i - 1], b[j - 1]),
                        d[at(i - 1, j)] + gap_a[i - 1],
                    ),
                    d[at(i, j - 1)] + gap_b[j - 1],
                );
            }
        }
        let (mut i, mut j) = (n, m);
        let mut ops = Vec::with_capacity(n + m);
        while i > 0 || j > 0 {
            let here = d[at(i, j)];
            if i > 0 && j > 0 && here == d[at(i - 1, j - 1)] + self.sub(a[i - 1], b[j - 1]) {
                ops.push((a[i - 1], b[j - 1], self.sub(a[i - 1], b[j - 1])));
                i -= 1;
                j -= 1;
            } else if i > 0 && here == d[at(i - 1, j)] + gap_a[i - 1] {
                ops.push((a[i - 1], 0, gap_a[i - 1]));
                i -= 1;
            } else {
                ops.push((0, b[j - 1], gap_b[j - 1]));
                j -= 1;
            }
        }
        ops.reverse();
        ops
    }
}
