//! Symbols: a folded name rewritten by the romanization rules of
//! `data/rewrite.txt` into symbol indices, repeats collapsed.

use super::{Symbols, MAX_SYMBOLS};

const INTERNAL: &[u8] = b"CSZHJTU";

pub(super) const U_SYMBOL: u8 = 21;
pub(super) const I_SYMBOL: u8 = 9;

/// Whether a symbol is a vowel (including `y` and the long `U`).
#[inline(always)]
pub(crate) fn is_vowel(s: u8) -> bool {
    // a e i o u y, and U (the ou/oo symbol, index 27 + 6).
    matches!(s, 1 | 5 | 9 | 15 | 21 | 25 | 33)
}

/// Maps a char of a rewritten name to its symbol index.
pub(super) fn symbol_index(c: u8) -> Option<u8> {
    match c {
        b'a'..=b'z' => Some(c - b'a' + 1),
        _ => INTERNAL.iter().position(|&s| s == c).map(|p| 27 + p as u8),
    }
}

/// The char a symbol index stands for (for explanations and the fitter).
pub(crate) const fn symbol_char(s: u8) -> char {
    match s {
        0 => '-',
        1..=26 => (b'a' + s - 1) as char,
        _ if (s as usize - 27) < INTERNAL.len() => INTERNAL[s as usize - 27] as char,
        _ => '?',
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
        // The letters on the stack for a name of usual length: this runs
        // for every name of a table (three million times at a million
        // names) and for every query.
        let mut on_stack = [0u8; 128];
        let on_heap: Vec<u8>;
        let letters: &[u8] = if folded.len() <= on_stack.len() {
            let mut n = 0;
            for b in folded.bytes().filter(u8::is_ascii_lowercase) {
                on_stack[n] = b;
                n += 1;
            }
            &on_stack[..n]
        } else {
            on_heap = folded.bytes().filter(u8::is_ascii_lowercase).collect();
            &on_heap
        };
        let mut i = 0;
        while i < letters.len() && out.len() < MAX_SYMBOLS {
            let rest = &letters[i..];
            let single;
            let (start, end) = self.by_first[usize::from(rest[0] - b'a')];
            let candidates = &self.rules[usize::from(start)..usize::from(end)];
            // Compared byte by byte in line: patterns are two to four
            // letters, and `starts_with` called `memcmp` for each rule tried
            // (a twentieth of a million-name build).
            let starts = |from: &[u8]| {
                from.len() <= rest.len() && from.iter().zip(rest).all(|(a, b)| a == b)
            };
            let (consumed, produced): (usize, &[u8]) =
                match candidates.iter().find(|(from, _)| starts(from)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules tried as written: each in order, its whole pattern
    /// compared with the letters ahead.
    fn by_the_list(r: &Rewriter, folded: &str) -> Symbols {
        let letters: Vec<u8> = folded.bytes().filter(u8::is_ascii_lowercase).collect();
        let (mut out, mut i) = (Vec::new(), 0);
        while i < letters.len() && out.len() < MAX_SYMBOLS {
            let rest = &letters[i..];
            let rule = r.rules.iter().find(|(from, _)| rest.starts_with(from));
            let (consumed, produced) = match rule {
                Some((from, to)) => (from.len(), to.clone()),
                None => (1, vec![rest[0] - b'a' + 1]),
            };
            for s in produced {
                if out.last() != Some(&s) && out.len() < MAX_SYMBOLS {
                    out.push(s);
                }
            }
            i += consumed;
        }
        out
    }

    proptest::proptest! {
        /// The rules tried by first letter (`by_first`) rewrite as the
        /// whole list read in order does: the embedded rules, and long
        /// rules that overlap; text longer than the letters kept on the
        /// stack, and text that ends inside a pattern.
        #[test]
        fn rewrites_as_the_rules_read_in_order(
            text in "[schtkzjaeiouy' -]{0,40}|[a-z]{120,140}",
        ) {
            let long_rules = "schtsch sh\nschts ch\ntsch ch\nsch sh\nsh sh\n";
            for r in [Rewriter::from_rules(super::super::DEFAULT_REWRITE), Rewriter::from_rules(long_rules)] {
                proptest::prop_assert_eq!(r.rewrite(&text), by_the_list(&r, &text));
            }
        }
    }
}
