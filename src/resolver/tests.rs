//! Unit tests of the pipeline's insides: the scan search against the
//! resolve search, and the builder's validation.

use super::decide::LEAD_CAP;
use super::search::Search;
use super::*;
use crate::table::Entity;

/// A resolver over people: (id, name) pairs, each an entity of kind
/// `person`.
fn people(entities: &[(&str, &str)]) -> Resolver {
    let mut t = AliasTable::new();
    for &(id, name) in entities {
        t.push(Entity::new(id, name).kind("person")).unwrap();
    }
    Resolver::new(t).unwrap()
}

fn araghchi() -> Resolver {
    let mut t = AliasTable::new();
    t.push(Entity::new("a", "Abbas Araghchi")).unwrap();
    Resolver::new(t).unwrap()
}

#[test]
fn send_sync_clone() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Resolver>();
}

#[test]
fn seed_variants_of_araghchi() {
    let r = araghchi();
    for q in [
        "Aragushi",
        "Araguchi",
        "Araghchi",
        "Abbas Araghchi",
        "Araghchi's",
    ] {
        assert_eq!(r.resolve(q).id(), Some("a"), "{q}: {:?}", r.resolve(q));
    }
    for q in ["Aragon", "Arak", "Aragorn", "Abbas"] {
        assert_eq!(r.resolve(q).id(), None, "{q}: {:?}", r.resolve(q));
    }
}

/// Every name of `r`'s table, and variants of it: a letter dropped,
/// doubled, or swapped for a neighbour, and the last part alone; and a few
/// strings that are no name.
fn variant_queries(r: &Resolver) -> Vec<String> {
    let mut queries: Vec<String> = Vec::new();
    for e in r.table().entities() {
        for name in e.names() {
            queries.push(name.to_owned());
            let chars: Vec<char> = name.chars().collect();
            let mid = chars.len() / 2;
            let dropped: String = (chars.iter().enumerate())
                .filter(|&(i, _)| i != mid)
                .map(|(_, c)| c)
                .collect();
            queries.push(dropped);
            queries.push(name.replacen('a', "aa", 1).replacen('i', "y", 1));
            queries.push(name.replacen('k', "g", 1).replacen('o', "u", 1));
            queries.extend(name.rsplit(' ').next().map(str::to_owned));
        }
    }
    queries.extend(["Zzyzx", "Tuesday", "Qwertyuiop Asdf", "Ministry"].map(String::from));
    queries
}

#[test]
fn the_scan_search_only_drops_what_cannot_decide() {
    // Both searches use the index here; Scan bounds names before
    // scoring them, which must never change a decisive answer.
    let r = Resolver::builder()
        .exhaustive(false)
        .build(AliasTable::default_table())
        .unwrap();
    let inner = &r.inner;
    let queries = variant_queries(&r);
    let mut decisive = 0;
    for q in &queries {
        let full = inner.resolve_with(q, false, Search::Resolve, false);
        let scan = inner.resolve_with(q, false, Search::Scan { at_least: 0.0 }, false);
        assert_eq!(full.outcome, scan.outcome, "{q}");
        if full.outcome != Outcome::Unknown {
            decisive += 1;
            assert_eq!(full.best, scan.best, "{q}");
            assert_eq!(full.confidence, scan.confidence, "{q}");
            assert_eq!(full.candidates, scan.candidates, "{q}");
            // Both name a runner-up only when it bears on the
            // confidence: within the lead cap of the best.
            assert_eq!(full.runner_up, scan.runner_up, "{q}");
        }
    }
    assert!(
        decisive > queries.len() / 2,
        "{decisive} of {}",
        queries.len()
    );
}

#[test]
fn the_resolve_search_scores_every_name_that_ranks() {
    // The ranking search against every name scored, on the default table
    // (every key compared), through its index, and on a table of people
    // whose names share syllables (close rivals: the level the search
    // bounds against is high).
    let syllables = ["ka", "ro", "mi", "ta", "su", "ne"];
    let mut dense = AliasTable::new();
    for i in 0..400usize {
        let s: String = [i % 6, (i / 6) % 6, (i / 36) % 6]
            .iter()
            .map(|&k| syllables[k])
            .collect();
        let given = ["Ali", "Omar", "Reza", "Ana"][i % 4];
        dense
            .push(Entity::new(format!("p{i}"), format!("{given} {s}")))
            .unwrap();
    }
    let resolvers = [
        Resolver::new(AliasTable::default_table()).unwrap(),
        Resolver::builder()
            .exhaustive(false)
            .build(AliasTable::default_table())
            .unwrap(),
        Resolver::new(dense).unwrap(),
    ];
    let (mut queries, mut cut) = (0, 0);
    for r in &resolvers {
        let inner = &r.inner;
        // A third of the variants: the full search is slow to run for all.
        for q in variant_queries(r).into_iter().step_by(3) {
            let query = super::query::Query::new(&q, &inner.normalizer);
            let form = super::query::QueryForm::new(query.normalized(), inner);
            let costs = inner.costs_for(&query);
            let ranking = inner.score_names(&form, costs, Search::Resolve);
            let every = inner.score_names(&form, costs, Search::Every);
            let pairs = |s: &[super::search::NameScore]| -> Vec<(u32, f32)> {
                s.iter().map(|s| (s.name, s.score)).collect()
            };
            // A prefix of the full list, cut between two scores: every name
            // at or above the level is there.
            let n = ranking.len();
            assert!(n <= every.len(), "{q}");
            assert_eq!(pairs(&ranking), pairs(&every[..n]), "{q}");
            assert_eq!(n == 0, every.is_empty(), "{q}");
            if let (Some(last), Some(next)) = (ranking.last(), every.get(n)) {
                assert!(next.score < last.score, "{q}");
                cut += 1;
            }
            let full = inner.resolve_with(&q, true, Search::Every, true);
            assert_eq!(r.resolve_explained(&q), full, "{q}");
            queries += 1;
        }
    }
    // The bound is not idle: most searches leave names out.
    assert!(cut > queries / 2, "{cut} of {queries}");
}

/// `Inner::score`, on the stack, gives `Inner::aggregate`'s score to the
/// bit, for queries and names of one to eleven parts (past the stack's
/// eight), over pseudo-random hits: every (query part, name part) pair,
/// some missing, some tied, and whole-name hits.
#[test]
fn score_is_the_aggregate_score() {
    let mut t = AliasTable::new();
    let long = "Ana Bea Cid Dan Eva Fay Gil Hal Ida Jon Kai";
    for (id, name) in [
        ("a", "Abbas Araghchi"),
        ("b", "Maria Elena Rosa Lopez"),
        ("c", long),
    ] {
        t.push(Entity::new(id, name)).unwrap();
    }
    let r = Resolver::new(t).unwrap();
    let inner = &r.inner;
    let mut state = 11u64;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    for q in [
        "Araghchi",
        "Abas Aragchi",
        "Lopez Maria",
        long,
        "Kai Jon Ana",
    ] {
        let query = super::query::Query::new(q, &inner.normalizer);
        let form = super::query::QueryForm::new(query.normalized(), inner);
        for name in &inner.names {
            let q_parts = form.part_symbols.len().max(1) as u8;
            for _ in 0..50 {
                let mut hits = Vec::new();
                for i in 0..q_parts {
                    for j in 0..name.n_parts.max(1) {
                        if next(4) > 0 {
                            // Eight levels, so that ties happen.
                            hits.push((Some(i), Some(j), next(8) as f32 / 8.0));
                        }
                    }
                }
                if next(2) == 0 {
                    hits.push((None, None, next(100) as f32 / 100.0));
                }
                let score = inner.score(&form, name, &hits);
                for detail in [false, true] {
                    let (aggregate, _, _) = inner.aggregate(&form, name, &hits, detail);
                    assert_eq!(score.to_bits(), aggregate.to_bits(), "{q} {hits:?}");
                }
            }
        }
    }
}

#[test]
fn invalid_settings_are_errors() {
    for t in [0.0, -1.0, 1.01, f32::NAN] {
        assert!(Resolver::builder()
            .threshold(t)
            .build(AliasTable::new())
            .is_err());
    }
    assert!(Resolver::builder()
        .margin(0.6)
        .build(AliasTable::new())
        .is_err());
}

#[test]
fn known_words_are_asked_against_every_name_part_and_remembered() {
    let mut t = AliasTable::new();
    t.push(Entity::new("m", "Ministry of Defence").kind("organization"))
        .unwrap();
    t.push(Entity::new("a", "Abbas Araghchi")).unwrap();
    let r = Resolver::new(t).unwrap();
    // Asks about `word`, offering the parts within `floor`, judged to be
    // spelled at `level` or more.
    let ask = |r: &Resolver, word: &str, floor: f32, level: f32| {
        (r.inner).known_word_spells_a_part(word, floor, |_: &str, sim: f32| sim >= level)
    };
    // `defense` spells the part `defence` (0.85 with the fitted costs);
    // `summer` comes near no part; a word no list holds is not asked.
    assert_eq!(ask(&r, "defense", 0.5, 0.8), Some(true));
    assert_eq!(ask(&r, "summer", 0.5, 0.8), Some(false));
    assert_eq!(ask(&r, "araghchi", 0.5, 0.8), None);
    // The first answer is kept: asked again with any judge, it stands.
    assert_eq!(ask(&r, "summer", 0.0, 0.0), Some(false));
    assert_eq!(ask(&r, "defense", 0.5, 2.0), Some(true));
    // Known words off: nothing is asked.
    let off = Resolver::builder().known_words(false);
    let mut t = AliasTable::new();
    t.push(Entity::new("a", "Abbas Araghchi")).unwrap();
    let off = off.build(t).unwrap();
    assert_eq!(ask(&off, "summer", 0.5, 0.8), None);
}

#[test]
fn a_context_search_over_many_entities_finds_what_every_key_finds() {
    // 700 people (more keys than a context search compares one by one),
    // named from syllables; each respelled word is asked against all of
    // them, then against its own entity alone (every key compared).
    let syllables = ["ka", "ro", "mi", "ta", "su", "ne", "la", "vo", "di", "ha"];
    let mut t = AliasTable::new();
    let mut surnames = Vec::new();
    for i in 0..700usize {
        let s: String = [i % 10, (i / 10) % 10, (i / 100) % 10, (i * 7) % 10]
            .iter()
            .map(|&k| syllables[k])
            .collect();
        let given = ["Ali", "Omar", "Reza"][i % 3];
        t.push(Entity::new(format!("p{i}"), format!("{given} {s}")))
            .unwrap();
        surnames.push(s);
    }
    let r = Resolver::new(t).unwrap();
    let inner = &r.inner;
    let all: Vec<u32> = (0..700).collect();
    for (i, s) in surnames.iter().enumerate().step_by(37) {
        // One vowel respelled: `karomika` -> `keromika`.
        let word = s.replacen("o", "u", 1).replacen("a", "e", 1);
        let alone = inner.context_match(&word, &[i as u32], 0.7);
        let many = inner.context_match(&word, &all, 0.7);
        let (alone, _) = alone.expect("the entity alone is found");
        let found = inner.score_names(
            &super::query::QueryForm::new(&word, inner),
            &inner.costs,
            Search::Within {
                entities: &all,
                floor: 0.7,
            },
        );
        let own = found.iter().find(|s| s.name == alone.name);
        assert_eq!(own.map(|s| s.score), Some(alone.score), "{word}");
        if let Some((best, _)) = many {
            assert!(best.score >= alone.score, "{word}");
        }
    }
}

#[test]
fn a_part_the_best_and_its_rival_both_spell_does_not_count_in_the_confidence() {
    let r = people(&[
        ("a", "Parisa Tavakoli"),
        ("b", "Parisa Tavallaei"),
        ("c", "Mina Tavakolian"),
    ]);
    let inner = &r.inner;
    let rank = |q: &str| {
        let query = super::query::Query::new(q, &inner.normalizer);
        // Every name scored, so that the far rival is ranked too.
        let (form, _, ranked) = inner.rank(&query, Search::Every);
        let weighed = inner.contrasted(&form, &ranked);
        let id = |s: &super::search::NameScore| {
            let e = inner.names[s.name as usize].entity as usize;
            r.table().entities()[e].id.clone()
        };
        let pairs = |v: &[super::search::NameScore]| -> Vec<(String, f32)> {
            v.iter().map(|s| (id(s), s.score)).collect()
        };
        (form, pairs(&ranked), pairs(&weighed))
    };
    // `parisa` is in the best name and in b's, its nearest rival: the
    // best is weighed on `tavakuli` alone, part of the query's length, and
    // so is b's lead over it.
    let (form, ranked, weighed) = rank("Parisa Tavakuli");
    assert_eq!((ranked[0].0.as_str(), ranked[1].0.as_str()), ("a", "b"));
    assert_eq!(weighed[0].0, "a");
    let lengths: Vec<f32> = form.part_symbols.iter().map(|p| p.len() as f32).collect();
    let shared = lengths[0] / (lengths[0] + lengths[1]);
    let best = (ranked[0].1 - shared) / (1.0 - shared);
    assert!((weighed[0].1 - best).abs() < 1e-5, "{ranked:?} {weighed:?}");
    let score = |v: &[(String, f32)], id: &str| v.iter().find(|(e, _)| e == id).map(|e| e.1);
    let lead = ranked[0].1 - ranked[1].1;
    assert!(lead > 0.0);
    let b = score(&weighed, "b").unwrap();
    assert!(
        (best - b - lead / (1.0 - shared)).abs() < 1e-5,
        "{ranked:?} {weighed:?}"
    );
    // c shares no part with the best: its lead stands.
    let c = score(&ranked, "c").expect("every name is ranked");
    let c_weighed = score(&weighed, "c").unwrap();
    assert!(
        (best - c_weighed - (ranked[0].1 - c)).abs() < 1e-5,
        "{weighed:?}"
    );
    // Rivals are ordered again by what the decision weighs.
    assert!(
        weighed[1..].windows(2).all(|w| w[0].1 >= w[1].1),
        "{weighed:?}"
    );
    // A one-part query has no part to set apart.
    let (_, ranked, weighed) = rank("Tavakuli");
    assert_eq!(ranked, weighed);
}

/// A table where a family name's skeleton is shared by more keys than a
/// query reads from the coarse index (thousands of people spelled
/// `Kopys`, `Gopisz`, `Kabacz`, ...), a few hundred of them spelled
/// exactly `Kopysc`, and one `Tunematu Kopysc`, whose given name a
/// `Tsunematsu` respells beyond the index's reach (two consonant classes
/// changed): the name is met only through its exact family name's block.
#[test]
fn a_part_spelled_exactly_finds_its_name_when_its_skeleton_is_common() {
    let onsets = ["b", "d", "f", "l", "m", "n", "r", "v", "z", "h"];
    let vowels = ["a", "e", "i", "o", "u"];
    let kopys = ["kopysc", "gopisz", "kabacz", "qupesz", "kobysz", "gapicz"];
    let mut t = AliasTable::new();
    for i in 0..6_000usize {
        // Given names of three syllables, none near `Tsunematsu`.
        let syllable = |k: usize| format!("{}{}", onsets[(i / k) % 10], vowels[(i / k / 10) % 5]);
        let given = format!("{}{}{}", syllable(1), syllable(7), syllable(49));
        let family = if i % 20 == 0 {
            "kopysc"
        } else {
            kopys[1 + i % 5]
        };
        t.push(Entity::new(format!("p{i}"), format!("{given} {family}")))
            .unwrap();
    }
    t.push(Entity::new("target", "Tunematu Kopysc")).unwrap();
    let indexed = Resolver::builder()
        .exhaustive(false)
        .build(t.clone())
        .unwrap();
    let exhaustive = Resolver::builder().exhaustive(true).build(t).unwrap();
    let q = "Tsunematsu Kopysc";
    assert_eq!(
        exhaustive.resolve(q).id(),
        Some("target"),
        "{:?}",
        exhaustive.resolve(q)
    );
    assert_eq!(
        indexed.resolve(q).id(),
        Some("target"),
        "{:?}",
        indexed.resolve(q)
    );
}

#[test]
fn a_runner_up_is_named_only_within_the_lead_cap() {
    let r = people(&[
        ("a", "Parisa Tavakoli"),
        ("b", "Parisa Tavallaei"),
        ("c", "Abbas Araghchi"),
        ("d", "Abbas Rahimi"),
    ]);
    // A near rival is named, with its score...
    let near = r.resolve("Parisa Tavakuli");
    let (best, runner_up) = (near.best.unwrap(), near.runner_up.unwrap());
    assert_eq!(
        (best.entity.id.as_str(), runner_up.entity.id.as_str()),
        ("a", "b")
    );
    assert!(runner_up.score >= best.score - LEAD_CAP);
    // ...a far one is not, though the full search ranks it (below).
    let far = r.resolve("Abbas Aragushi");
    assert_eq!(far.id(), Some("c"));
    assert_eq!(far.runner_up, None);
    let query = super::query::Query::new("Abbas Aragushi", &r.inner.normalizer);
    let (_, _, ranked) = r.inner.rank(&query, Search::Every);
    assert!(ranked.len() > 1, "{ranked:?}");
    assert!(ranked[1].score < ranked[0].score - LEAD_CAP, "{ranked:?}");
}
