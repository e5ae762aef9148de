//! The embedded default table: every name resolves to its own entity.

use canonym::{AliasTable, Outcome, Resolver};

#[test]
fn every_name_resolves_to_its_entity() {
    let table = AliasTable::default_table();
    let conflicts: Vec<String> = table.conflicts().into_iter().map(|c| c.name).collect();
    let resolver = Resolver::new(table.clone()).unwrap();
    let mut failures = Vec::new();
    for e in table.entities() {
        for name in e.names() {
            let r = resolver.resolve(name);
            if conflicts.contains(&canonym::fold(name)) {
                if r.outcome != Outcome::Ambiguous {
                    failures.push(format!("{name}: conflict not ambiguous: {:?}", r.outcome));
                }
            } else if r.id() != Some(e.id.as_str()) {
                failures.push(format!("{name}: {:?} {:?}", r.outcome, r.id()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn default_table_has_the_seed_entities_and_200_more() {
    let t = AliasTable::default_table();
    assert!(t.len() >= 230, "{}", t.len());
    for (id, canonical) in [
        ("abbas-araghchi", "Abbas Araghchi"),
        ("badr-albusaidi", "Badr bin Hamad Al Busaidi"),
        ("yadollah-javani", "Yadollah Javani"),
        ("khorramshahr-4", "Khorramshahr-4"),
        ("irgc", "Islamic Revolutionary Guard Corps"),
    ] {
        assert_eq!(t.get(id).map(|e| e.canonical.as_str()), Some(canonical));
    }
    // The seed article's misspellings are for the core to find, not aliases.
    for e in t.entities() {
        for a in &e.aliases {
            for bad in ["Aragushi", "Araguchi", "Yadol Javani", "Khorram Shahr"] {
                assert!(!a.contains(bad), "{a}");
            }
        }
    }
}

#[test]
fn conflicts_are_exactly_the_names_of_several_entities() {
    // Computed here from the entities, independently of `conflicts()`. The
    // default table has no shared names of its own; two entities that
    // share some with it are added.
    let mut t = AliasTable::default_table();
    t.push(canonym::Entity::new("kyiv-oblast", "Kyiv Oblast").alias("Kiev"))
        .unwrap();
    t.push(canonym::Entity::new("abbas-ii", "Abbas II").alias("Abbas Araghchi"))
        .unwrap();
    let mut owners: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for e in t.entities() {
        for name in e.names() {
            owners
                .entry(canonym::fold(name))
                .or_default()
                .insert(e.id.clone());
        }
    }
    let mut want: Vec<(String, Vec<String>)> = owners
        .into_iter()
        .filter(|(_, ids)| ids.len() >= 2)
        .map(|(name, ids)| (name, ids.into_iter().collect()))
        .collect();
    let mut got: Vec<(String, Vec<String>)> = t
        .conflicts()
        .into_iter()
        .map(|c| {
            let mut ids = c.ids;
            ids.sort();
            (c.name, ids)
        })
        .collect();
    want.sort();
    got.sort();
    assert_eq!(want.len(), 2, "{want:?}");
    assert_eq!(got, want);
}

#[test]
fn the_house_style_has_no_diacritics_in_canonical_names() {
    // data/README.md: English wire usage; spellings with diacritics are
    // aliases, so that check reports them as style findings.
    let table = AliasTable::default_table();
    for e in table.entities() {
        let marked = !e.canonical.is_ascii();
        assert!(
            !marked,
            "{}: canonical {:?} has a diacritic",
            e.id, e.canonical
        );
    }
    let erdogan = table.get("recep-tayyip-erdogan").unwrap();
    assert_eq!(erdogan.canonical, "Recep Tayyip Erdogan");
    assert!(erdogan.aliases.iter().any(|a| a == "Recep Tayyip Erdoğan"));
    assert_eq!(table.get("turkey").unwrap().canonical, "Turkey");
}
