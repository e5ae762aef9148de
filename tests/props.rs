//! Properties: normalization is idempotent, names resolve to their own
//! entity, resolve never panics, tables survive save -> load.

use canonym::{fold, AliasTable, Entity, Format, Normalizer, Outcome, Resolver};
use proptest::prelude::*;

/// Case counts stay modest so the suite is fast on two cores; set
/// PROPTEST_CASES for a longer run.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(128),
        ..ProptestConfig::default()
    }
}

/// Strings with the characters that trouble name handling: marks, joiners,
/// bidi controls, other scripts, apostrophes, digits, emoji, NUL.
fn nasty() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[a-zA-Z]{1,8}",
        Just("\u{0301}".to_owned()),
        Just("\u{200D}".to_owned()),
        Just("\u{200F}".to_owned()),
        Just("\u{FEFF}".to_owned()),
        Just("\0".to_owned()),
        Just("’s".to_owned()),
        Just("-".to_owned()),
        Just(" ".to_owned()),
        Just("4".to_owned()),
        Just("🙂".to_owned()),
        Just("ﷺ".to_owned()),
        "[\\p{Cyrillic}\\p{Arabic}\\p{Hebrew}\\p{Greek}\\p{Katakana}\\p{Han}]{1,4}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

/// A name made of syllables, so that generated tables look like names.
fn name() -> impl Strategy<Value = String> {
    let syllable = prop::sample::select(vec![
        "ka", "ra", "ghi", "sha", "mo", "ne", "zul", "bek", "ov", "ski", "jan", "li", "hu", "ta",
        "dra", "vo", "ich", "yu", "se", "ham",
    ]);
    prop::collection::vec(prop::collection::vec(syllable, 2..5), 1..3).prop_map(|parts| {
        parts
            .into_iter()
            .map(|p| {
                let w = p.concat();
                let mut c = w.chars();
                c.next()
                    .unwrap()
                    .to_uppercase()
                    .chain(c)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn table() -> impl Strategy<Value = AliasTable> {
    prop::collection::vec(
        (name(), prop::collection::vec(name(), 0..3), any::<bool>()),
        1..12,
    )
    .prop_map(|entities| {
        let mut t = AliasTable::new();
        for (i, (canonical, aliases, has_kind)) in entities.into_iter().enumerate() {
            let mut e = Entity::new(format!("e{i}"), canonical);
            if has_kind {
                e = e.kind("person");
            }
            for a in aliases {
                e = e.alias(a);
            }
            t.push(e).unwrap();
        }
        t
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fold_is_idempotent(s in nasty()) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once.clone());
        prop_assert!(once.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
    }

    #[test]
    fn normalize_is_idempotent(s in nasty()) {
        let n = Normalizer::default();
        let once = n.normalize(&s);
        prop_assert_eq!(n.normalize(&once), once);
    }

    #[test]
    fn resolve_never_panics(s in nasty()) {
        thread_local! {
            static RESOLVER: Resolver = Resolver::new(AliasTable::default_table()).unwrap();
        }
        RESOLVER.with(|r| {
            let res = r.resolve(&s);
            assert!((0.0..=1.0).contains(&res.confidence));
            let _ = r.resolve_explained(&s);
        });
    }

    #[test]
    fn every_name_resolves_to_its_entity(t in table()) {
        let conflicts: Vec<String> = t.conflicts().into_iter().map(|c| c.name).collect();
        let r = Resolver::new(t.clone()).unwrap();
        for e in t.entities() {
            for n in e.names() {
                let res = r.resolve(n);
                if conflicts.contains(&fold(n)) {
                    prop_assert_eq!(res.outcome, Outcome::Ambiguous);
                } else {
                    prop_assert_eq!(res.id(), Some(e.id.as_str()), "{}", n);
                }
            }
        }
    }

    #[test]
    fn save_then_load_round_trips(t in table(), odd in nasty()) {
        let mut t = t;
        // Odd text in a canonical name, where every format must keep it.
        if !fold(&odd).is_empty() {
            t.push(Entity::new("odd", odd)).unwrap();
        }
        for format in [Format::Toml, Format::Json, Format::Csv] {
            let text = t.to_string(format).unwrap();
            prop_assert_eq!(&AliasTable::parse(&text, format).unwrap(), &t, "{:?}", format);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// Table parsing is total: any text is a table or an error with a line
    /// inside the text, never a panic (the fuzz target of issue 6, driven by
    /// proptest since cargo-fuzz needs a nightly toolchain).
    #[test]
    fn table_parsing_never_panics(
        text in prop_oneof![
            "\\PC{0,200}",
            prop::collection::vec(prop::sample::select(vec![
                "id", "canonical", "aliases", "kind", ",", "\"", "\n", "\r\n", "|", "\u{FEFF}",
                "[[entity]]", "id = ", "canonical = ", "[", "]", "{", "}", ":", "\"x\"", "5",
                "aliases = [", "é", "\\", "null",
            ]), 0..40).prop_map(|v| v.concat()),
        ]
    ) {
        let lines = text.matches('\n').count() + 1;
        for format in [Format::Csv, Format::Json, Format::Toml] {
            match AliasTable::parse(&text, format) {
                Ok(t) => {
                    // What loads survives a round trip.
                    if let Ok(again) = t.to_string(format) {
                        prop_assert_eq!(AliasTable::parse(&again, format).unwrap(), t);
                    }
                }
                Err(e) => {
                    let line = e.line().unwrap_or(0);
                    prop_assert!(line <= lines, "{:?}: line {} of {}", format, line, lines);
                    prop_assert!(!e.to_string().is_empty());
                }
            }
        }
    }
}
