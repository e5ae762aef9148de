//! The candidate index against the exhaustive search, with the same scorer.
//!
//! The index is lossy by design (see `src/index.rs`): it verifies keys
//! within reach of the query's consonant skeleton. These properties pin what
//! it promises: every score it reports is the exhaustive one, on small
//! tables and on one where its read budget binds. That it answers respelled
//! names exactly as the exhaustive search does is not yet true: the index
//! misses rivals (an indexed `shejan` resolves where the exhaustive search,
//! which also sees a near rival, says unknown) and a respelling that leaves
//! no consonant class (`hukh` -> `huh`).
//! `respelled_names_lose_at_most_one_in_a_thousand` states the loss allowed
//! and fails beyond it.

use canonym::{AliasTable, Entity, Resolver};
use proptest::prelude::*;

fn name() -> impl Strategy<Value = String> {
    let syllable = prop::sample::select(vec![
        "ka", "ra", "ghi", "sha", "mo", "ne", "zul", "bek", "ov", "ski", "jan", "li", "hu", "ta",
        "dra", "vo", "ich", "yu", "se", "ham", "ou", "kh", "tsch", "owa",
    ]);
    prop::collection::vec(syllable, 2..5).prop_map(|p| p.concat())
}

/// Respellings that keep the consonant skeleton within the index's reach.
fn respell(name: &str, how: usize) -> String {
    const SWAPS: &[(&str, &str)] = &[
        ("sh", "sch"),
        ("ch", "tsch"),
        ("kh", "h"),
        ("ou", "u"),
        ("v", "w"),
        ("i", "y"),
        ("a", "e"),
        ("o", "ou"),
        ("k", "q"),
        ("gh", "g"),
    ];
    let (from, to) = SWAPS[how % SWAPS.len()];
    name.replacen(from, to, 1)
}

fn resolvers(names: &[String]) -> (Resolver, Resolver) {
    let mut t = AliasTable::new();
    for (i, n) in names.iter().enumerate() {
        t.push(Entity::new(format!("e{i}"), n.clone())).unwrap();
    }
    let indexed = Resolver::builder()
        .exhaustive(false)
        .build(t.clone())
        .unwrap();
    let exhaustive = Resolver::builder().exhaustive(true).build(t).unwrap();
    (indexed, exhaustive)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(96),
        ..ProptestConfig::default()
    })]

    #[test]
    fn indexed_scores_are_exhaustive_scores(
        names in prop::collection::vec(name(), 1..40),
        query in name(),
    ) {
        let (indexed, exhaustive) = resolvers(&names);
        let a = indexed.resolve(&query);
        let b = exhaustive.resolve(&query);
        // The index may miss names; what it scores, it scores the same.
        if let (Some(x), Some(y)) = (&a.best, &b.best) {
            if x.entity.id == y.entity.id {
                prop_assert_eq!(x.score, y.score);
            } else {
                prop_assert!(x.score <= y.score, "{} > {}", x.score, y.score);
            }
        }
        if b.best.is_none() {
            prop_assert!(a.best.is_none());
        }
    }
}

/// A table large enough that the index's read budget and verification cap
/// bind (thousands of keys sharing short skeletons), built once.
fn large() -> &'static (Resolver, Resolver) {
    static LARGE: std::sync::OnceLock<(Resolver, Resolver)> = std::sync::OnceLock::new();
    LARGE.get_or_init(|| {
        const SYLLABLES: &[&str] = &[
            "ka", "ra", "ghi", "sha", "mo", "ne", "zul", "bek", "ov", "ski", "jan", "li", "hu",
            "ta", "dra", "vo", "ich", "yu", "se", "ham",
        ];
        let mut names = Vec::new();
        for i in 0..4000usize {
            let syllable = |k: usize| SYLLABLES[(i / 20usize.pow(k as u32)) % 20];
            let given = ["Ali", "Anna", "Kim", "Jan"][i % 4];
            names.push(format!(
                "{given} {}{}{}",
                syllable(0),
                syllable(1),
                syllable(2)
            ));
        }
        resolvers(&names)
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(32),
        ..ProptestConfig::default()
    })]

    #[test]
    fn with_the_budget_binding_scores_are_still_exhaustive_scores(
        given in prop::sample::select(vec!["Ali", "Anna", "Kim", "Jan", ""]),
        surname in name(),
    ) {
        let (indexed, exhaustive) = large();
        let query = format!("{given} {surname}");
        let a = indexed.resolve(&query);
        let b = exhaustive.resolve(&query);
        if let (Some(x), Some(y)) = (&a.best, &b.best) {
            if x.entity.id == y.entity.id {
                prop_assert_eq!(x.score, y.score, "{}", query);
            } else {
                prop_assert!(x.score <= y.score, "{}: {} > {}", query, x.score, y.score);
            }
        }
        if b.best.is_none() {
            prop_assert!(a.best.is_none());
        }
    }
}

/// A small deterministic generator (64-bit LCG), so that the loss below is
/// measured on the same 5,000 cases every run (2 s in release).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

#[test]
fn respelled_names_lose_at_most_one_in_a_thousand() {
    // Tables of 1 to 40 generated names, one respelled name each: the
    // indexed answer (outcome and id) against the exhaustive one.
    const SYLLABLES: &[&str] = &[
        "ka", "ra", "ghi", "sha", "mo", "ne", "zul", "bek", "ov", "ski", "jan", "li", "hu", "ta",
        "dra", "vo", "ich", "yu", "se", "ham", "ou", "kh", "tsch", "owa",
    ];
    let mut rng = Lcg(0x5eed);
    let (mut differ, mut cases) = (0, 0);
    let mut examples = Vec::new();
    for _ in 0..5000 {
        let n = 1 + rng.next(40);
        let names: Vec<String> = (0..n)
            .map(|_| {
                let len = 2 + rng.next(3);
                (0..len)
                    .map(|_| SYLLABLES[rng.next(SYLLABLES.len())])
                    .collect()
            })
            .collect();
        let (indexed, exhaustive) = resolvers(&names);
        let query = respell(&names[rng.next(n)], rng.next(10));
        let (a, b) = (indexed.resolve(&query), exhaustive.resolve(&query));
        cases += 1;
        if (a.outcome, a.id()) != (b.outcome, b.id()) {
            differ += 1;
            if examples.len() < 10 {
                examples.push(format!("{query}: {:?} vs {:?}", a.id(), b.id()));
            }
        }
    }
    // Measured when this test was written: 2 of 5,000 (`hamhyumo`,
    // `sehamhmo`: the index missed the name, the exhaustive search
    // resolved it: a deletion joined two equal classes, `M M`); 0 since
    // deletion forms are collapsed. The loss allowed is one in a thousand.
    assert!(
        differ * 1000 <= cases,
        "{differ} of {cases} differ: {}",
        examples.join("; ")
    );
}
