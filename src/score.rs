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

/// Number of symbols: index 0 is unused, 1..=26 are `a`..=`z`, then the
/// internal symbols of `data/rewrite.txt`.
pub(crate) const SYMBOLS: usize = 34;
const INTERNAL: &[u8] = b"CSZHJTU";

/// The longest symbol string the kernel compares; longer names are cut here.
/// It bounds the work per comparison (at most `MAX_SYMBOLS`² cells).
pub const MAX_SYMBOLS: usize = 48;

pub(crate) const DEFAULT_REWRITE: &str = include_str!("../data/rewrite.txt");
const DEFAULT_COSTS: &str = include_str!("../data/costs.tsv");
pub(crate) const DEFAULT_SUFFIXES: &str = include_str!("../data/suffixes.txt");

/// A name as the kernel sees it: symbol indices, at most [`MAX_SYMBOLS`].
pub(crate) type Symbols = Vec<u8>;

/// Bit i set: the string has ending i of the cost model's alternations.
pub(crate) type EndingMask = u64;

/// Factor on the cost of a `u` or `i` inserted between two consonants, as
/// transliteration through Japanese does (Araghchi -> Araguchi, Aragushi).
/// On the development split 0.75 costs nothing (accuracy 0.712 at 9.6%
/// false accepts, against 0.716 without it); 0.5 applied to every vowel cost
/// three points, as Slavic and Korean variants rarely insert vowels.
const EPENTHESIS: f32 = 0.75;

/// Factor on the cost of any vowel a query in an abjad (Arabic, Persian,
/// Hebrew script) leaves out: those scripts mostly do not write vowels, so
/// a missing vowel is no evidence at all; 0.1 rather than 0 keeps the
/// written vowels (alif, waw, ya) worth aligning when present.
pub(crate) const ABJAD_VOWEL_GAP: f32 = 0.1;

const U_SYMBOL: u8 = 21;
const I_SYMBOL: u8 = 9;

/// Whether a symbol is a vowel (including `y` and the long `U`).
#[inline(always)]
pub(crate) fn is_vowel(s: u8) -> bool {
    // a e i o u y, and U (the ou/oo symbol, index 27 + 6).
    matches!(s, 1 | 5 | 9 | 15 | 21 | 25 | 33)
}

/// The shortest stem an ending may leave, so that an alternation never
/// swallows a short name.
const MIN_STEM: usize = 3;

/// Maps a char of a rewritten name to its symbol index.
fn symbol_index(c: u8) -> Option<u8> {
    match c {
        b'a'..=b'z' => Some(c - b'a' + 1),
        _ => INTERNAL.iter().position(|&s| s == c).map(|p| 27 + p as u8),
    }
}

/// The char a symbol index stands for (for explanations and the fitter).
pub(crate) fn symbol_char(s: u8) -> char {
    match s {
        0 => '-',
        1..=26 => (b'a' + s - 1) as char,
        _ => INTERNAL
            .get(usize::from(s) - 27)
            .map_or('?', |&c| c as char),
    }
}

/// Rewrites folded text to symbols by the romanization rules.
#[derive(Clone, Debug)]
pub(crate) struct Rewriter {
    /// (pattern, replacement symbols), by first letter, then longest
    /// pattern first.
    rules: Vec<(Vec<u8>, Vec<u8>)>,
    /// `by_first[c - b'a']`: the range of `rules` whose pattern starts with
    /// `c`, so that a position tries a handful of rules, not all of them.
    by_first: [(u16, u16); 26],
}

impl Rewriter {
    pub(crate) fn from_rules(text: &str) -> Rewriter {
        let mut rules: Vec<(Vec<u8>, Vec<u8>)> = crate::normalize::data_lines(text)
            .filter_map(|line| {
                let mut parts = line.split_whitespace();
                let from = parts.next()?.as_bytes().to_vec();
                let to = parts.next()?.bytes().filter_map(symbol_index).collect();
                Some((from, to))
            })
            .collect();
        // Patterns are lowercase ASCII letters: anything else could never
        // match the letters `rewrite_into` reads.
        rules.retain(|(from, _)| !from.is_empty() && from.iter().all(u8::is_ascii_lowercase));
        rules.sort_by(|a, b| {
            (a.0[0].cmp(&b.0[0]))
                .then(b.0.len().cmp(&a.0.len()))
                .then_with(|| a.0.cmp(&b.0))
        });
        let mut by_first = [(0u16, 0u16); 26];
        for (c, range) in (b'a'..=b'z').zip(by_first.iter_mut()) {
            let start = rules.partition_point(|r| r.0[0] < c);
            let end = rules.partition_point(|r| r.0[0] <= c);
            *range = (start as u16, end as u16);
        }
        Rewriter { rules, by_first }
    }

    /// Appends the symbols of the letters of `folded` (spaces, digits and
    /// anything else skipped) to `out`, collapsing repeats, up to
    /// [`MAX_SYMBOLS`].
    pub(crate) fn rewrite_into(&self, folded: &str, out: &mut Symbols) {
        let letters: Vec<u8> = folded.bytes().filter(u8::is_ascii_lowercase).collect();
        let mut i = 0;
        while i < letters.len() && out.len() < MAX_SYMBOLS {
            let rest = &letters[i..];
            let single;
            let (start, end) = self.by_first[usize::from(rest[0] - b'a')];
            let candidates = &self.rules[usize::from(start)..usize::from(end)];
            let (consumed, produced): (usize, &[u8]) =
                match candidates.iter().find(|(from, _)| rest.starts_with(from)) {
                    Some((from, to)) => (from.len(), to.as_slice()),
                    None => {
                        single = [rest[0] - b'a' + 1];
                        (1, &single)
                    }
                };
            for &s in produced {
                if out.last() != Some(&s) && out.len() < MAX_SYMBOLS {
                    out.push(s);
                }
            }
            i += consumed;
        }
    }

    pub(crate) fn rewrite(&self, folded: &str) -> Symbols {
        let mut out = Vec::with_capacity(folded.len().min(MAX_SYMBOLS));
        self.rewrite_into(folded, &mut out);
        out
    }
}

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

/// A string prepared for many comparisons ([`CostModel::prepare`]).
pub(crate) struct Prepared<'s> {
    symbols: &'s [u8],
    endings: EndingMask,
    gaps: [f32; MAX_SYMBOLS],
    evidence: f32,
}

/// Edit costs between symbols, and alternating endings.
#[derive(Clone, Debug)]
pub(crate) struct CostModel {
    /// `sub[x][y]`: cost of aligning symbol x with y (0 on the diagonal).
    sub: [[f32; SYMBOLS]; SYMBOLS],
    /// `indel[x]`: cost of a symbol x that the other side lacks.
    indel: [f32; SYMBOLS],
    /// `weight[x]`: the evidence one matched symbol x carries. A name's
    /// evidence (the sum over its symbols) is what a cost is measured
    /// against: a rare letter matched says more than a vowel.
    weight: [f32; SYMBOLS],
    /// The distinct endings of the alternations; index 0 is the empty one.
    /// At most 64, so that the endings a string has fit an [`EndingMask`].
    endings: Vec<Symbols>,
    /// (ending a, ending b, cost): a name ending in a meets one ending in b.
    /// Both directions are listed.
    alternations: Vec<(u8, u8, f32)>,
    /// `alternations` as a table: `alternation[ea * endings + eb]` is the
    /// cost of ending ea against eb (the least listed), or infinity. The
    /// verifier visits only the endings both strings have, not the list.
    alternation: Vec<f32>,
    /// Factor on the indel cost of a vowel between two consonants.
    pub(crate) epenthesis: f32,
    /// Whether ending alternations are tried (off only for ablations).
    pub(crate) suffix_enabled: bool,
}

impl CostModel {
    /// Unit costs, no endings.
    pub(crate) fn unit() -> CostModel {
        let mut sub = [[1.0; SYMBOLS]; SYMBOLS];
        for (i, row) in sub.iter_mut().enumerate() {
            row[i] = 0.0;
        }
        CostModel {
            sub,
            indel: [1.0; SYMBOLS],
            weight: [1.0; SYMBOLS],
            endings: vec![Vec::new()],
            alternations: Vec::new(),
            alternation: vec![f32::INFINITY],
            suffix_enabled: true,
            epenthesis: EPENTHESIS,
        }
    }

    /// The embedded model: costs of `data/costs.tsv`, endings of
    /// `data/suffixes.txt`.
    pub(crate) fn embedded(rewriter: &Rewriter) -> CostModel {
        let mut m = CostModel::unit();
        m.load_suffixes(DEFAULT_SUFFIXES, rewriter);
        m.load_costs(DEFAULT_COSTS);
        m
    }

    /// Reads `x<TAB>y<TAB>cost` lines (`-` = nothing). Symmetric. A line
    /// `x<TAB>x<TAB>w` sets the evidence weight of `x`; a line
    /// `@<TAB>ending<TAB>ending<TAB>cost` (symbol spelling, `-` = empty) sets
    /// the cost of a known ending alternation.
    pub(crate) fn load_costs(&mut self, text: &str) {
        for line in crate::normalize::data_lines(text) {
            let mut f = line.split('\t');
            if let Some(rest) = line.strip_prefix("@\t") {
                self.load_alternation_cost(rest);
                continue;
            }
            let (Some(x), Some(y), Some(c)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let Ok(cost) = c.trim().parse::<f32>() else {
                continue;
            };
            let sym = |t: &str| -> Option<u8> {
                match t.as_bytes() {
                    b"-" => Some(0),
                    [c] => symbol_index(*c),
                    _ => None,
                }
            };
            match (sym(x), sym(y)) {
                (Some(0), Some(s)) | (Some(s), Some(0)) if s != 0 => self.set_indel(s, cost),
                (Some(a), Some(b)) if a != 0 && a == b => self.weight[usize::from(a)] = cost,
                (Some(a), Some(b)) if a != 0 && b != 0 && a != b => {
                    self.sub[usize::from(a)][usize::from(b)] = cost;
                    self.sub[usize::from(b)][usize::from(a)] = cost;
                }
                _ => {}
            }
        }
    }

    /// This model with every vowel gap cheap: for queries written in an
    /// abjad, compared with names written with vowels.
    pub(crate) fn for_abjad(&self) -> CostModel {
        let mut m = self.clone();
        for s in 1..SYMBOLS as u8 {
            if is_vowel(s) {
                m.indel[usize::from(s)] *= ABJAD_VOWEL_GAP;
            }
        }
        m
    }

    fn set_indel(&mut self, s: u8, cost: f32) {
        self.indel[usize::from(s)] = cost;
    }

    pub(crate) fn load_suffixes(&mut self, text: &str, rewriter: &Rewriter) {
        for line in crate::normalize::data_lines(text) {
            let mut f = line.split_whitespace();
            let (Some(a), Some(b), Some(c)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let Ok(cost) = c.parse::<f32>() else { continue };
            let sym = |t: &str| {
                if t == "-" {
                    Vec::new()
                } else {
                    rewriter.rewrite(t)
                }
            };
            let (Some(a), Some(b)) = (self.ending_id(sym(a)), self.ending_id(sym(b))) else {
                continue;
            };
            self.alternations.push((a, b, cost));
            self.alternations.push((b, a, cost));
        }
        self.index_alternations();
    }

    /// Rebuilds the `alternation` table from the list.
    fn index_alternations(&mut self) {
        let n = self.endings.len();
        self.alternation = vec![f32::INFINITY; n * n];
        for &(ea, eb, cost) in &self.alternations {
            let cell = &mut self.alternation[usize::from(ea) * n + usize::from(eb)];
            *cell = cell.min(cost);
        }
    }

    fn load_alternation_cost(&mut self, line: &str) {
        let mut f = line.split('\t');
        let (Some(a), Some(b), Some(c)) = (f.next(), f.next(), f.next()) else {
            return;
        };
        let Ok(cost) = c.trim().parse::<f32>() else {
            return;
        };
        let sym = |t: &str| -> Symbols {
            if t == "-" {
                Vec::new()
            } else {
                t.bytes().filter_map(symbol_index).collect()
            }
        };
        let (a, b) = (sym(a), sym(b));
        let find = |e: &Symbols| self.endings.iter().position(|x| x == e);
        if let (Some(ia), Some(ib)) = (find(&a), find(&b)) {
            for alt in &mut self.alternations {
                if (usize::from(alt.0), usize::from(alt.1)) == (ia, ib)
                    || (usize::from(alt.0), usize::from(alt.1)) == (ib, ia)
                {
                    alt.2 = cost;
                }
            }
            self.index_alternations();
        }
    }

    /// The string without each alternating ending it has (stems at least
    /// MIN_STEM long), for candidate generation.
    pub(crate) fn stems<'s>(&'s self, s: &'s [u8]) -> impl Iterator<Item = &'s [u8]> + 's {
        let mask = self.ending_mask(s);
        self.endings
            .iter()
            .enumerate()
            .skip(1) // the empty ending leaves the string as it is
            .filter(move |(i, _)| mask & (1 << i) != 0)
            .map(move |(_, e)| &s[..s.len() - e.len()])
    }

    #[cfg(feature = "fit")]
    /// The endings and their alternations, for the fitter.
    pub(crate) fn alternations(&self) -> (&[Symbols], &[(u8, u8, f32)]) {
        (&self.endings, &self.alternations)
    }

    #[cfg(feature = "fit")]
    /// The cheapest way to turn `a` into `b`: the alternation used (if any)
    /// and the symbol alignment of the stems. For the fitter and
    /// explanations; allocates.
    pub(crate) fn align_with_endings(&self, a: &[u8], b: &[u8]) -> (Option<usize>, Vec<(u8, u8)>) {
        let (a_end, b_end) = (self.ending_mask(a), self.ending_mask(b));
        let plain = self.edit_cost(a, b, f32::INFINITY).unwrap_or(f32::INFINITY);
        let mut best = (plain, None);
        if self.suffix_enabled {
            for (k, &(ea, eb, extra)) in self.alternations.iter().enumerate() {
                if a_end & (1 << ea) == 0 || b_end & (1 << eb) == 0 {
                    continue;
                }
                let sa = &a[..a.len() - self.endings[usize::from(ea)].len()];
                let sb = &b[..b.len() - self.endings[usize::from(eb)].len()];
                if let Some(c) = self.edit_cost(sa, sb, f32::INFINITY) {
                    if c + extra < best.0 {
                        best = (c + extra, Some(k));
                    }
                }
            }
        }
        match best.1 {
            None => (None, self.align(a, b)),
            Some(k) => {
                let (ea, eb, _) = self.alternations[k];
                let sa = &a[..a.len() - self.endings[usize::from(ea)].len()];
                let sb = &b[..b.len() - self.endings[usize::from(eb)].len()];
                (Some(k), self.align(sa, sb))
            }
        }
    }

    /// The id of an ending, added if new; `None` past 64 endings.
    fn ending_id(&mut self, ending: Symbols) -> Option<u8> {
        if let Some(i) = self.endings.iter().position(|e| *e == ending) {
            return Some(i as u8);
        }
        if self.endings.len() >= 64 {
            return None;
        }
        self.endings.push(ending);
        Some((self.endings.len() - 1) as u8)
    }

    /// Which endings a symbol string has (bit i: ending i), leaving a stem
    /// of at least [`MIN_STEM`] symbols. Computed once per string, so the
    /// kernel tests alternations with two bit operations.
    pub(crate) fn ending_mask(&self, s: &[u8]) -> EndingMask {
        let mut mask = 0u64;
        for (i, e) in self.endings.iter().enumerate() {
            // Endings are a few symbols: comparing them in place beats a
            // call to memcmp, and this runs for every key and query.
            if s.len() >= e.len() + MIN_STEM
                && s.iter().rev().zip(e.iter().rev()).all(|(a, b)| a == b)
            {
                mask |= 1 << i;
            }
        }
        mask
    }

    /// Evidence of a symbol string: the sum of its symbols' weights.
    #[inline(always)]
    pub(crate) fn evidence(&self, s: &[u8]) -> f32 {
        s[..s.len().min(MAX_SYMBOLS)]
            .iter()
            .map(|&x| self.weight[usize::from(x)])
            .sum()
    }

    /// What a cost between `a` and `b` is measured against: their mean
    /// evidence. Similarity is `1 - cost / norm`.
    #[inline(always)]
    pub(crate) fn norm(&self, a: &[u8], b: &[u8]) -> f32 {
        ((self.evidence(a) + self.evidence(b)) * 0.5).max(f32::MIN_POSITIVE)
    }

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
        Prepared {
            symbols: s,
            endings,
            gaps: self.gap_costs(s),
            evidence: self.evidence(s),
        }
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
        let norm = ((a.evidence + self.evidence(b)) * 0.5).max(f32::MIN_POSITIVE);
        let cutoff = (1.0 - floor) * norm;
        let mut best = self.edit_cost_gaps(a.symbols, &a.gaps, b, &self.gap_costs(b), cutoff);
        if self.suffix_enabled && (a.endings | b_end) > 1 {
            best = self.alternation_cost(a.symbols, a.endings, b, b_end, cutoff, best);
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
        let best = self.edit_cost(a, b, cutoff);
        if !self.suffix_enabled || (a_end | b_end) <= 1 {
            return best;
        }
        self.alternation_cost(a, a_end, b, b_end, cutoff, best)
    }

    /// The cheapest of `best` (the plain edit cost) and every ending
    /// alternation the two strings allow.
    fn alternation_cost(
        &self,
        a: &[u8],
        a_end: EndingMask,
        b: &[u8],
        b_end: EndingMask,
        cutoff: f32,
        mut best: Option<f32>,
    ) -> Option<f32> {
        let n = self.endings.len();
        // The endings each string has: a bit or three of each mask.
        let mut ends_a = a_end;
        while ends_a != 0 {
            let ea = ends_a.trailing_zeros() as usize;
            ends_a &= ends_a - 1;
            let mut ends_b = b_end;
            while ends_b != 0 {
                let eb = ends_b.trailing_zeros() as usize;
                ends_b &= ends_b - 1;
                let extra = self.alternation.get(ea * n + eb).copied();
                let Some(extra) = extra.filter(|e| e.is_finite()) else {
                    continue;
                };
                let limit = best.unwrap_or(cutoff).min(cutoff) - extra;
                if limit < 0.0 {
                    continue;
                }
                let stem_a = &a[..a.len() - self.endings[ea].len()];
                let stem_b = &b[..b.len() - self.endings[eb].len()];
                if let Some(c) = self.edit_cost(stem_a, stem_b, limit) {
                    best = Some(c + extra);
                }
            }
        }
        best
    }

    /// The cost of leaving out each symbol of `s`, in context: a vowel
    /// between two consonants costs [`CostModel::epenthesis`] times its
    /// indel cost, since transliteration through Japanese or Korean inserts
    /// such vowels (Araghchi -> Araguchi) and abjads leave them out.
    #[inline(always)]
    fn gap_costs(&self, s: &[u8]) -> [f32; MAX_SYMBOLS] {
        let mut g = [0f32; MAX_SYMBOLS];
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
        g
    }

    /// Weighted Levenshtein distance with early exit.
    #[inline(always)]
    fn edit_cost(&self, a: &[u8], b: &[u8], cutoff: f32) -> Option<f32> {
        self.edit_cost_gaps(a, &self.gap_costs(a), b, &self.gap_costs(b), cutoff)
    }

    /// [`CostModel::edit_cost`] with the strings' gap costs given.
    #[inline(always)]
    fn edit_cost_gaps(
        &self,
        a: &[u8],
        gap_a: &[f32; MAX_SYMBOLS],
        b: &[u8],
        gap_b: &[f32; MAX_SYMBOLS],
        cutoff: f32,
    ) -> Option<f32> {
        let a = &a[..a.len().min(MAX_SYMBOLS)];
        let b = &b[..b.len().min(MAX_SYMBOLS)];
        // Length filter: at least the difference in length of the longer
        // string's symbols go unaligned, each at its gap cost, so at least
        // at the cheapest of them. (Not the cheapest indel of all symbols:
        // one, `x`, is nearly free to leave out.) Scaled down a hair so
        // that float rounding never drops a pair.
        if a.len() != b.len() {
            let longer = if a.len() > b.len() {
                &gap_a[..a.len()]
            } else {
                &gap_b[..b.len()]
            };
            let cheapest = longer.iter().copied().fold(f32::INFINITY, min);
            if (a.len().abs_diff(b.len()) as f32) * cheapest * (1.0 - 1e-5) > cutoff {
                return None;
            }
        }
        // Two rows, swapped by reference: swapping the arrays themselves
        // would copy 196 bytes a row.
        let (mut row_a, mut row_b) = ([0f32; MAX_SYMBOLS + 1], [0f32; MAX_SYMBOLS + 1]);
        let (mut prev, mut cur) = (&mut row_a, &mut row_b);
        for j in 0..b.len() {
            prev[j + 1] = prev[j] + gap_b[j];
        }
        for (i, &x) in a.iter().enumerate() {
            let dx = gap_a[i];
            cur[0] = prev[0] + dx;
            let mut row_min = cur[0];
            let sub = &self.sub[usize::from(x)];
            // Zipped iterators (no bounds checks), the left and diagonal
            // cells carried in registers.
            let (mut left, mut diagonal) = (cur[0], prev[0]);
            for ((&y, &gap_y), (&up, out)) in
                (b.iter().zip(gap_b)).zip(prev[1..=b.len()].iter().zip(&mut cur[1..=b.len()]))
            {
                let v = min(min(diagonal + sub[usize::from(y)], up + dx), left + gap_y);
                *out = v;
                left = v;
                diagonal = up;
                row_min = min(row_min, v);
            }
            if row_min > cutoff {
                return None;
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        let d = prev[b.len()];
        (d <= cutoff).then_some(d)
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
        let mut d = vec![vec![0f32; m + 1]; n + 1];
        for i in 1..=n {
            d[i][0] = d[i - 1][0] + gap_a[i - 1];
        }
        for j in 1..=m {
            d[0][j] = d[0][j - 1] + gap_b[j - 1];
        }
        for i in 1..=n {
            for j in 1..=m {
                d[i][j] = (d[i - 1][j - 1] + self.sub(a[i - 1], b[j - 1]))
                    .min(d[i - 1][j] + gap_a[i - 1])
                    .min(d[i][j - 1] + gap_b[j - 1]);
            }
        }
        let (mut i, mut j) = (n, m);
        let mut ops = Vec::new();
        while i > 0 || j > 0 {
            if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + self.sub(a[i - 1], b[j - 1]) {
                ops.push((a[i - 1], b[j - 1], self.sub(a[i - 1], b[j - 1])));
                i -= 1;
                j -= 1;
            } else if i > 0 && d[i][j] == d[i - 1][j] + gap_a[i - 1] {
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

#[cfg(test)]
mod tests {
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
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
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
        /// costs it gives what the full table gives, or `None` when that is
        /// over the cutoff.
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
                Some(c) => proptest::prop_assert!((c - full).abs() < 1e-4, "{c} vs {full}"),
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
            let got = m.alternation_cost(&sa, ea, &sb, eb, cutoff, plain);
            match got {
                Some(c) => proptest::prop_assert!((c - reference).abs() < 1e-4, "{c} vs {reference}"),
                None => proptest::prop_assert!(reference > cutoff - 1e-4, "None but {reference} <= {cutoff}"),
            }
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
