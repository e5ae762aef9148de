//! Step 7: why the best name scored as it did, for people.

use super::model::Inner;
use super::query::QueryForm;
use super::resolution::{Explanation, PartMatch};
use crate::score::{CostModel, Symbols};

impl Inner {
    /// Why `name_id` scored as it did for the query: the alignment of its
    /// parts and the edits that cost, priced by `costs`, the cost model the
    /// score used (the abjad one for Arabic- and Hebrew-script queries).
    pub(super) fn explain(
        &self,
        q: &QueryForm,
        normalized: &str,
        name_id: u32,
        costs: &CostModel,
    ) -> Explanation {
        let name = &self.names[name_id as usize];
        let name_parts = self.name_parts(name);
        let part_symbols: Vec<Symbols> = name_parts
            .iter()
            .map(|p| self.rewriter.rewrite(p))
            .collect();
        // Recompute this one name's hits without a floor, for the record.
        let mut hits = Vec::new();
        let whole_key = self.rewriter.rewrite(&name_parts.join(" "));
        let sim = |a: &[u8], b: &[u8]| self.similarity_of(costs, a, b);
        hits.push((None, None, sim(&q.whole, &whole_key)));
        for (j, ps) in part_symbols.iter().enumerate() {
            hits.push((None, Some(j as u8), sim(&q.whole, ps)));
            for (i, qs) in q.part_symbols.iter().enumerate() {
                hits.push((Some(i as u8), Some(j as u8), sim(qs, ps)));
            }
        }
        let (_, assignment, notes) = self.aggregate(q, name, &hits, true);
        let edits = |a: &[u8], b: &[u8]| -> Vec<(String, f32)> {
            // Costs in context, as the score counted them.
            (costs.align_costed(a, b).into_iter())
                .filter(|&(x, y, _)| x != y)
                .map(|(x, y, c)| {
                    let symbol = crate::score::symbol_char;
                    (format!("{}>{}", symbol(x), symbol(y)), c)
                })
                .collect()
        };
        let parts = assignment
            .into_iter()
            .map(|(i, j, score)| {
                let (qtext, qs) = if i == usize::MAX || q.parts.is_empty() {
                    (q.parts.join(" "), q.whole.as_slice())
                } else {
                    (q.parts[i].clone(), q.part_symbols[i].as_slice())
                };
                // A query part lined up with one part of a multi-part name
                // shows that part; a part that matched nothing shows
                // nothing; anything else compared with the whole name.
                let whole_query = i == usize::MAX;
                let (ntext, ns) = match j {
                    Some(j)
                        if name_parts.len() > 1 && (!whole_query || q.part_symbols.len() <= 1) =>
                    {
                        (name_parts[j].clone(), part_symbols[j].as_slice())
                    }
                    None if !whole_query => (String::new(), &[][..]),
                    _ => (name_parts.join(" "), whole_key.as_slice()),
                };
                PartMatch {
                    edits: if ntext.is_empty() {
                        Vec::new()
                    } else {
                        edits(qs, ns)
                    },
                    query: qtext,
                    name: ntext,
                    score,
                }
            })
            .collect();
        Explanation {
            normalized_query: normalized.to_owned(),
            parts,
            notes,
        }
    }
}
