//! The cost model: substitution and gap costs and evidence weights from
//! `data/costs.tsv`, ending alternations from `data/suffixes.txt`.

use super::symbols::{is_vowel, symbol_index, Rewriter};
use super::{bits, EndingMask, Symbols, DEFAULT_COSTS, DEFAULT_SUFFIXES, MAX_SYMBOLS, SYMBOLS};

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

/// The shortest stem an ending may leave, so that an alternation never
/// swallows a short name.
const MIN_STEM: usize = 3;

/// Edit costs between symbols, and alternating endings.
#[derive(Clone, Debug)]
pub(crate) struct CostModel {
    /// `sub[x][y]`: cost of aligning symbol x with y (0 on the diagonal).
    pub(super) sub: [[f32; SYMBOLS]; SYMBOLS],
    /// `indel[x]`: cost of a symbol x that the other side lacks.
    pub(super) indel: [f32; SYMBOLS],
    /// `weight[x]`: the evidence one matched symbol x carries. A name's
    /// evidence (the sum over its symbols) is what a cost is measured
    /// against: a rare letter matched says more than a vowel.
    pub(super) weight: [f32; SYMBOLS],
    /// The distinct endings of the alternations; index 0 is the empty one.
    /// At most 64, so that the endings a string has fit an [`EndingMask`].
    pub(super) endings: Vec<Symbols>,
    /// (ending a, ending b, cost): a name ending in a meets one ending in b.
    /// Both directions are listed.
    pub(super) alternations: Vec<(u8, u8, f32)>,
    /// `alternations` as a table: `alternation[ea * endings + eb]` is the
    /// cost of ending ea against eb (the least listed), or infinity. The
    /// verifier visits only the endings both strings have, not the list.
    pub(super) alternation: Vec<f32>,
    /// `partners[ea]`: the endings `ea` alternates with (bit `eb` when
    /// `alternation` has a cost for them), so that a pair of strings with
    /// no alternation between them is told at once.
    pub(super) partners: Vec<EndingMask>,
    /// `ending_by_last[x]`: the non-empty endings whose last symbol is `x`,
    /// the only ones a string ending in `x` can have (see
    /// [`CostModel::ending_mask`]).
    ending_by_last: [EndingMask; SYMBOLS],
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
            partners: vec![0],
            ending_by_last: [0; SYMBOLS],
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
        self.partners = vec![0; n];
        for &(ea, eb, cost) in &self.alternations {
            let cell = &mut self.alternation[usize::from(ea) * n + usize::from(eb)];
            *cell = cell.min(cost);
            if cell.is_finite() {
                self.partners[usize::from(ea)] |= 1 << eb;
            }
        }
    }

    /// Whether a string with the endings `a_end` and one with `b_end`
    /// have an alternation between them.
    #[inline(always)]
    pub(super) fn alternates(&self, a_end: EndingMask, b_end: EndingMask) -> bool {
        bits(a_end).any(|ea| self.partners.get(ea).is_some_and(|p| p & b_end != 0))
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
        let id = self.endings.len();
        let last = ending.last().map(|&last| usize::from(last));
        if let Some(by_last) = last.and_then(|last| self.ending_by_last.get_mut(last)) {
            *by_last |= 1 << id;
        }
        self.endings.push(ending);
        Some(id as u8)
    }

    /// Which endings a symbol string has (bit i: ending i), leaving a stem
    /// of at least [`MIN_STEM`] symbols. Computed once per string, so the
    /// kernel tests alternations with two bit operations.
    pub(crate) fn ending_mask(&self, s: &[u8]) -> EndingMask {
        let Some(&last) = s.last() else {
            return 0;
        };
        if s.len() < MIN_STEM {
            return 0;
        }
        // The empty ending (id 0) leaves the whole string; of the others,
        // only those ending in the string's last symbol are compared (the
        // list has a few dozen, of which a symbol ends a handful): this runs
        // for every key, query and scanned span, several times a name in a
        // build.
        let mut mask = 1;
        let candidates = self.ending_by_last.get(usize::from(last)).copied();
        for i in bits(candidates.unwrap_or(0)) {
            let e = &self.endings[i];
            // Endings are a few symbols: comparing them in place beats a
            // call to memcmp.
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
}
