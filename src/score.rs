//! The scoring kernel: names as symbol strings, and a weighted edit distance
//! between them whose costs come from data.
//!
//! A folded name is first *rewritten*: romanization conventions that spell
//! one sound differently (`sch`/`sh`/`sz`, `tsch`/`ch`/`cz`, `kh`, `gh`, ...)
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
const INTERNAL: &[u8] = b"CSZHGJT";

/// The longest symbol string the kernel compares; longer names are cut here.
/// It bounds the work per comparison (at most `MAX_SYMBOLS`² cells).
pub const MAX_SYMBOLS: usize = 48;

pub(crate) const DEFAULT_REWRITE: &str = include_str!("../data/rewrite.txt");
const DEFAULT_COSTS: &str = include_str!("../data/costs.tsv");
pub(crate) const DEFAULT_SUFFIXES: &str = include_str!("../data/suffixes.txt");

/// A name as the kernel sees it: symbol indices, at most [`MAX_SYMBOLS`].
pub(crate) type Symbols = Vec<u8>;

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
    /// (pattern, replacement symbols), longest pattern first.
    rules: Vec<(Vec<u8>, Vec<u8>)>,
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
        rules.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Rewriter { rules }
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
            let (consumed, produced): (usize, &[u8]) =
                match self.rules.iter().find(|(from, _)| rest.starts_with(from)) {
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

/// Edit costs between symbols, and alternating endings.
#[derive(Clone, Debug)]
pub(crate) struct CostModel {
    /// `sub[x][y]`: cost of aligning symbol x with y (0 on the diagonal).
    sub: [[f32; SYMBOLS]; SYMBOLS],
    /// `indel[x]`: cost of a symbol x that the other side lacks.
    indel: [f32; SYMBOLS],
    /// The cheapest indel: a lower bound used for length filtering.
    min_indel: f32,
    /// (ending a, ending b, cost): a name ending in a meets one ending in b.
    suffixes: Vec<(Symbols, Symbols, f32)>,
    /// Multiplier on every suffix cost (1 by default; 0 switches them off in
    /// ablations via a very high value).
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
            min_indel: 1.0,
            suffixes: Vec::new(),
            suffix_enabled: true,
        }
    }

    /// The embedded model: costs of `data/costs.tsv`, endings of
    /// `data/suffixes.txt`.
    pub(crate) fn embedded(rewriter: &Rewriter) -> CostModel {
        let mut m = CostModel::unit();
        m.load_costs(DEFAULT_COSTS);
        m.load_suffixes(DEFAULT_SUFFIXES, rewriter);
        m
    }

    /// Reads `x<TAB>y<TAB>cost` lines (`-` = nothing). Symmetric.
    pub(crate) fn load_costs(&mut self, text: &str) {
        for line in crate::normalize::data_lines(text) {
            let mut f = line.split('\t');
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
                (Some(a), Some(b)) if a != 0 && b != 0 && a != b => {
                    self.sub[usize::from(a)][usize::from(b)] = cost;
                    self.sub[usize::from(b)][usize::from(a)] = cost;
                }
                _ => {}
            }
        }
    }

    fn set_indel(&mut self, s: u8, cost: f32) {
        self.indel[usize::from(s)] = cost;
        self.min_indel = self.indel[1..]
            .iter()
            .copied()
            .fold(f32::INFINITY, f32::min);
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
            let (a, b) = (sym(a), sym(b));
            self.suffixes.push((a.clone(), b.clone(), cost));
            self.suffixes.push((b, a, cost));
        }
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
    /// `None` when it exceeds `cutoff`.
    #[inline(never)]
    pub(crate) fn cost(&self, a: &[u8], b: &[u8], cutoff: f32) -> Option<f32> {
        let mut best = self.edit_cost(a, b, cutoff);
        if !self.suffix_enabled {
            return best;
        }
        // Endings: a stem must keep at least 3 symbols, so that the ending
        // rule never swallows a short name.
        for (sa, sb, extra) in &self.suffixes {
            let limit = best.unwrap_or(cutoff).min(cutoff) - extra;
            if limit < 0.0 {
                continue;
            }
            if a.len() >= sa.len() + 3
                && b.len() >= sb.len() + 3
                && a.ends_with(sa)
                && b.ends_with(sb)
            {
                let stem_a = &a[..a.len() - sa.len()];
                let stem_b = &b[..b.len() - sb.len()];
                if let Some(c) = self.edit_cost(stem_a, stem_b, limit) {
                    best = Some(c + extra);
                }
            }
        }
        best
    }

    /// Weighted Levenshtein distance with early exit.
    #[inline(always)]
    fn edit_cost(&self, a: &[u8], b: &[u8], cutoff: f32) -> Option<f32> {
        let a = &a[..a.len().min(MAX_SYMBOLS)];
        let b = &b[..b.len().min(MAX_SYMBOLS)];
        // Length filter: every unmatched symbol costs at least `min_indel`.
        if (a.len().abs_diff(b.len()) as f32) * self.min_indel > cutoff {
            return None;
        }
        let mut prev = [0f32; MAX_SYMBOLS + 1];
        let mut cur = [0f32; MAX_SYMBOLS + 1];
        for j in 0..b.len() {
            prev[j + 1] = prev[j] + self.indel(b[j]);
        }
        for &x in a {
            cur[0] = prev[0] + self.indel(x);
            let mut row_min = cur[0];
            let dx = self.indel(x);
            for j in 0..b.len() {
                let y = b[j];
                let v = (prev[j] + self.sub(x, y))
                    .min(prev[j + 1] + dx)
                    .min(cur[j] + self.indel(y));
                cur[j + 1] = v;
                row_min = row_min.min(v);
            }
            if row_min > cutoff {
                return None;
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        let d = prev[b.len()];
        (d <= cutoff).then_some(d)
    }

    /// The cheapest alignment of `a` and `b` as a list of (x, y) symbol
    /// pairs (0 = nothing), without endings. Used by the cost fitter and for
    /// explanations; allocates.
    pub(crate) fn align(&self, a: &[u8], b: &[u8]) -> Vec<(u8, u8)> {
        let (n, m) = (a.len(), b.len());
        let mut d = vec![vec![0f32; m + 1]; n + 1];
        for i in 1..=n {
            d[i][0] = d[i - 1][0] + self.indel(a[i - 1]);
        }
        for j in 1..=m {
            d[0][j] = d[0][j - 1] + self.indel(b[j - 1]);
        }
        for i in 1..=n {
            for j in 1..=m {
                d[i][j] = (d[i - 1][j - 1] + self.sub(a[i - 1], b[j - 1]))
                    .min(d[i - 1][j] + self.indel(a[i - 1]))
                    .min(d[i][j - 1] + self.indel(b[j - 1]));
            }
        }
        let (mut i, mut j) = (n, m);
        let mut ops = Vec::new();
        while i > 0 || j > 0 {
            if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + self.sub(a[i - 1], b[j - 1]) {
                ops.push((a[i - 1], b[j - 1]));
                i -= 1;
                j -= 1;
            } else if i > 0 && d[i][j] == d[i - 1][j] + self.indel(a[i - 1]) {
                ops.push((a[i - 1], 0));
                i -= 1;
            } else {
                ops.push((0, b[j - 1]));
                j -= 1;
            }
        }
        ops.reverse();
        ops
    }
}

/// Length used to turn a cost into a similarity: the longer side.
#[inline(always)]
pub(crate) fn norm_len(a: &[u8], b: &[u8]) -> f32 {
    a.len().max(b.len()).min(MAX_SYMBOLS) as f32
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
        let r = rw();
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
            let _ = &r;
            let want = strsim::levenshtein(a, b) as f32;
            assert_eq!(m.edit_cost(&sa, &sb, 100.0), Some(want), "{a} {b}");
            assert_eq!(m.edit_cost(&sa, &sb, want - 0.5), None);
        }
    }

    #[test]
    fn endings_alternate() {
        let r = rw();
        let m = CostModel::embedded(&r);
        let a = r.rewrite("flejszar");
        let b = r.rewrite("flejszarowna");
        let c = m.cost(&a, &b, 10.0).unwrap();
        assert!(c < 0.5, "{c}");
    }
}
