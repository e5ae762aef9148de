//! The public contract of `resolve`, driven by `tests/data/resolve.toml`.

use canonym::{AliasTable, Entity, MatchKind, Outcome, Resolver};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    query: String,
    expect: String,
    #[serde(default)]
    status: Option<String>,
}

#[test]
fn cases_against_the_default_table() {
    let text = std::fs::read_to_string("tests/data/resolve.toml").unwrap();
    let cases: Cases = toml::from_str(&text).unwrap();
    let resolver = Resolver::new(AliasTable::default_table()).unwrap();
    let mut failures = Vec::new();
    for c in &cases.case {
        let r = resolver.resolve(&c.query);
        let got = match r.outcome {
            Outcome::Resolved => r.id().unwrap().to_owned(),
            Outcome::Ambiguous => "ambiguous".to_owned(),
            _ => "unknown".to_owned(),
        };
        if got != c.expect {
            failures.push(format!(
                "{:?}: expected {}, got {got} ({:?})",
                c.query, c.expect, r.best
            ));
        }
        if let Some(s) = &c.status {
            if r.status() != s {
                failures.push(format!(
                    "{:?}: expected status {s}, got {}",
                    c.query,
                    r.status()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn only_araghchi() -> Resolver {
    let mut t = AliasTable::new();
    t.push(Entity::new("araghchi", "Abbas Araghchi")).unwrap();
    Resolver::new(t).unwrap()
}

#[test]
fn the_core_finds_the_seed_variants_without_aliases() {
    let r = only_araghchi();
    for q in ["Aragushi", "Araguchi"] {
        let res = r.resolve(q);
        assert_eq!(res.id(), Some("araghchi"), "{q}");
        assert_eq!(res.best.as_ref().unwrap().kind, MatchKind::Fuzzy);
        // The confidence is the calibrated probability of being right: at
        // least the threshold, at most 1.
        assert!(res.confidence >= r.threshold(), "{q}: {res:?}");
        assert!(res.confidence <= 1.0, "{q}: {res:?}");
    }
    for q in ["Aragon", "Arak", "Aragorn"] {
        assert_eq!(r.resolve(q).outcome, Outcome::Unknown, "{q}");
    }
}

#[test]
fn trumpington_is_not_trump() {
    let mut t = AliasTable::new();
    t.push(Entity::new("trump", "Donald Trump")).unwrap();
    let r = Resolver::new(t).unwrap();
    assert_eq!(r.resolve("Trumpington").outcome, Outcome::Unknown);
    assert_eq!(r.resolve("Trump").id(), Some("trump"));
}

#[test]
fn a_contradicting_given_name_counts_against_a_match() {
    let mut t = AliasTable::new();
    t.push(Entity::new("ali", "Ali Khamenei")).unwrap();
    t.push(Entity::new("mojtaba", "Mojtaba Khamenei")).unwrap();
    let r = Resolver::new(t).unwrap();
    assert_eq!(r.resolve("Mojtaba Khamenei").id(), Some("mojtaba"));
    assert_eq!(r.resolve("Ali Khamenei").id(), Some("ali"));
    assert_eq!(r.resolve("Khamenei").outcome, Outcome::Ambiguous);
    let amb = r.resolve("Khamenei");
    assert_eq!(amb.candidates.len(), 2);
    assert_eq!(r.resolve("Hassan Khamenei").id(), None);
}

#[test]
fn an_alias_claimed_twice_is_ambiguous() {
    let mut t = AliasTable::new();
    t.push(Entity::new("ga", "Georgia").kind("country"))
        .unwrap();
    t.push(Entity::new("us-ga", "Georgia").kind("us-state"))
        .unwrap();
    let r = Resolver::new(t).unwrap();
    let res = r.resolve("Georgia");
    assert_eq!(res.outcome, Outcome::Ambiguous);
    let ids: Vec<&str> = res
        .candidates
        .iter()
        .map(|c| c.entity.id.as_str())
        .collect();
    assert_eq!(ids, ["ga", "us-ga"]);
}

#[test]
fn explanation_names_parts_and_edits() {
    let r = Resolver::new(AliasTable::default_table()).unwrap();
    let res = r.resolve_explained("Yadol Javani");
    let ex = res.explanation.expect("fuzzy matches explain themselves");
    assert_eq!(ex.normalized_query, "yadol javani");
    assert_eq!(ex.parts[0].query, "yadol");
    assert_eq!(ex.parts[0].name, "yadollah");
    assert!(!ex.parts[0].edits.is_empty());
    assert!(ex.parts[1].edits.is_empty());
    // Plain resolve skips the work.
    assert!(r.resolve("Yadol Javani").explanation.is_none());
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Resolver>();
    check::<canonym::ResolverBuilder>();
    check::<canonym::Resolution<'static>>();
    check::<canonym::Candidate<'static>>();
    check::<AliasTable>();
    check::<Entity>();
    check::<canonym::Error>();
    check::<canonym::Normalizer>();
    check::<canonym::Explanation>();
}

#[test]
fn batch_equals_one_by_one_across_threads() {
    let r = Resolver::new(AliasTable::default_table()).unwrap();
    let inputs = [
        "Aragushi",
        "Kiev",
        "nobody",
        "Khamenei",
        "Yadol Javani",
        "",
        "Qaddafi",
    ];
    let single: Vec<_> = inputs.iter().map(|q| r.resolve(q)).collect();
    assert_eq!(r.resolve_batch(&inputs), single);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| inputs.iter().map(|q| r.resolve(q)).collect::<Vec<_>>()))
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), single);
        }
    });
}
