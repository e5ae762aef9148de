//! Mentions in running text: spans, context, findings, and fix.

use canonym::{AliasTable, Entity, Outcome, Resolver};
use proptest::prelude::*;

fn resolver() -> Resolver {
    Resolver::new(AliasTable::default_table()).unwrap()
}

#[test]
fn briefing_findings_are_exactly_the_planted_variants() {
    let text = std::fs::read_to_string("tests/data/briefing.txt").unwrap();
    let r = resolver();
    let found: Vec<(String, String)> = r
        .findings(&text)
        .map(|m| (m.surface.clone(), m.replacement.clone().unwrap()))
        .collect();
    let expected = [
        ("Aragushi", "Araghchi"),
        ("Araguchi", "Araghchi"),
        ("Al-Busaidi", "Al Busaidi"),
        ("Kiev", "Kyiv"),
        ("Khorram Shahr-4", "Khorramshahr-4"),
        ("Yadol Javani", "Yadollah Javani"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(found, expected);
    for m in r.findings(&text) {
        assert_eq!(&text[m.start..m.end], m.surface);
    }
}

#[test]
fn fix_output_matches_byte_for_byte() {
    let text = std::fs::read_to_string("tests/data/briefing.txt").unwrap();
    let want = std::fs::read_to_string("tests/data/briefing.fixed.txt").unwrap();
    let r = resolver();
    let fixed = r.fix(&text);
    assert_eq!(fixed, want);
    assert_eq!(r.findings(&fixed).count(), 0);
}

#[test]
fn titles_and_possessives_stay_outside_the_span() {
    let r = resolver();
    let text = "Foreign Minister Abbas Araghchi's plane landed.";
    let m: Vec<_> = r.scan(text).collect();
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].surface, "Abbas Araghchi");
    assert_eq!(&text[m[0].end..m[0].end + 2], "'s");
}

#[test]
fn a_lowercase_particle_joined_to_a_name_starts_a_name() {
    // `al-Sharaa` starts with a lowercase letter, and is still a name:
    // after a given name, alone, and before a possessive.
    let r = resolver();
    let text = "Ahmed al-Sharaa's aides left. Later al-Sharaa spoke, and el-Sisi \
                agreed. A well-known x-ray lab e-mailed pro-Russian groups in mid-March.";
    let m: Vec<_> = r.scan(text).collect();
    let found: Vec<(&str, Option<&str>)> = m
        .iter()
        .map(|m| (m.surface.as_str(), m.resolution.id()))
        .collect();
    assert_eq!(
        found,
        [
            ("Ahmed al-Sharaa", Some("ahmed-al-sharaa")),
            ("al-Sharaa", Some("ahmed-al-sharaa")),
            ("el-Sisi", Some("abdel-fattah-el-sisi")),
        ]
    );
    assert_eq!(&text[m[0].end..m[0].end + 2], "'s");
}

#[test]
fn a_name_broken_across_a_line_is_one_mention() {
    let r = resolver();
    let text = "talks led by Badr bin Hamad\nAl Busaidi ended.";
    let m: Vec<_> = r.scan(text).collect();
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0].surface, "Badr bin Hamad\nAl Busaidi");
    assert_eq!(m[0].replacement, None);
}

#[test]
fn ordinary_words_and_word_insides_are_not_names() {
    let r = resolver();
    for text in [
        "the kiev cake was sweet", // lowercase
        "Iranian and Israeli officials met American diplomats.",
        "Human rights groups said June was calm.",
        "A Kievan chronicle.",
        "Trumpington Street",
    ] {
        let m: Vec<_> = r.scan(text).collect();
        assert!(m.is_empty(), "{text}: {m:?}");
    }
}

#[test]
fn context_picks_the_entity_the_text_named() {
    let r = resolver();
    let text = "Mojtaba Khamenei was seen in Qom. Khamenei later left.";
    let m: Vec<_> = r.scan(text).collect();
    let last = m.last().unwrap();
    assert_eq!(last.surface, "Khamenei");
    assert_eq!(last.resolution.id(), Some("mojtaba-khamenei"));
    assert!(last.by_context);
    assert_eq!(last.replacement, None);
    // Without the full name, a surname two entities share names nobody in
    // particular: no mention (`resolve` still says ambiguous).
    assert_eq!(r.scan("Khamenei later left.").count(), 0);
    assert_eq!(r.resolve("Khamenei").outcome, Outcome::Ambiguous);
}

#[test]
fn context_attaches_a_weak_variant_to_the_named_entity() {
    let mut t = AliasTable::new();
    t.push(Entity::new("a", "Abbas Araghchi")).unwrap();
    t.push(Entity::new("b", "Reza Aragchiya")).unwrap();
    let r = Resolver::new(t.clone()).unwrap();
    // Alone in copy, a near rival keeps the lead small: no mention ...
    assert_eq!(r.scan("Aragchy spoke again.").count(), 0);
    // ... but the text names one of the two in full, and only the
    // document's entities are rivals there.
    let text = "Abbas Araghchi spoke first. Aragchy spoke again.";
    let m: Vec<_> = r.scan(text).collect();
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m[1].by_context);
    assert_eq!(m[1].resolution.id(), Some("a"));
    assert_eq!(m[1].replacement.as_deref(), Some("Araghchi"));
    assert!(m[1].resolution.confidence >= r.threshold(), "{m:?}");
    // The threshold bounds context findings too.
    let strict = Resolver::builder().threshold(0.95).build(t).unwrap();
    let m: Vec<_> = strict.scan(text).collect();
    assert_eq!(m.len(), 1, "{m:?}");
}

#[test]
fn canonical_surname_and_title_forms_are_not_findings() {
    let r = resolver();
    let text = "Ayatollah Khamenei and Mr. Araghchi met President Trump in Tehran.";
    assert_eq!(r.findings(text).count(), 0);
    // A headline's capitals are not a spelling to fix.
    assert_eq!(r.findings("TEHRAN — talks resumed.").count(), 0);
}

#[test]
fn acronym_aliases_are_kept() {
    let r = resolver();
    let m: Vec<_> = r.scan("The IRGC said so.").collect();
    assert_eq!(m[0].resolution.id(), Some("irgc"));
    assert_eq!(m[0].replacement, None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64), ..ProptestConfig::default() })]

    /// Copy-like text: names and words joined by spaces, punctuation and
    /// line breaks (words glued into one token, `KievYadol`, are out of
    /// scope: fixing one half may change how the other reads).
    #[test]
    fn fix_changes_only_finding_spans_and_is_clean_after(
        pieces in prop::collection::vec((prop::sample::select(vec![
            "Aragushi", "Araghchi", "Kiev", "Kyiv", "said", "The", "Yadol Javani", "Abbas",
            "Khorram Shahr-4", "Araguchi’s", "Abbas Araghchi", "x", "Ünïcödé", "🙂", "Al-Busaidi",
            "Khamenei", "Mojtaba Khamenei", "Commander", "Iranian", "Trump",
        ]), prop::sample::select(vec![" ", ", ", ". ", "\n", "\r\n", " — ", "  "])), 0..30)
    ) {
        thread_local! { static R: Resolver = resolver(); }
        let text: String = pieces.iter().flat_map(|(w, sep)| [*w, *sep]).collect();
        R.with(|r| {
            let findings: Vec<_> = r.findings(&text).collect();
            let fixed = r.fix(&text);
            // Rebuild the original from the fixed text: every byte outside
            // the spans must be where it was.
            let mut at = 0;
            let mut fixed_at = 0;
            for m in &findings {
                let gap = &text[at..m.start];
                assert_eq!(&fixed[fixed_at..fixed_at + gap.len()], gap);
                fixed_at += gap.len() + m.replacement.as_ref().unwrap().len();
                at = m.end;
            }
            assert_eq!(&fixed[fixed_at..], &text[at..]);
            assert_eq!(r.findings(&fixed).count(), 0, "{:?} -> {:?}", text, fixed);
        });
    }

    #[test]
    fn scan_never_panics_and_spans_are_char_boundaries(text in "\\PC{0,200}") {
        thread_local! { static R: Resolver = resolver(); }
        R.with(|r| {
            for m in r.scan(&text) {
                assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                assert!(m.start < m.end);
            }
        });
    }
}

#[test]
fn mentions_serialize_to_the_record_check_prints() {
    let r = Resolver::new(AliasTable::default_table()).unwrap();
    let text = "Later Benjamin Netanyahoo spoke.";
    let m = r.findings(text).next().unwrap();
    let json = serde_json::to_value(&m).unwrap();
    // `canonym check --json` prints this record plus path, line, column
    // and class.
    assert_eq!(json["start"], 6);
    assert_eq!(json["end"], text.find(" spoke").unwrap());
    assert_eq!(json["found"], "Benjamin Netanyahoo");
    assert_eq!(json["replacement"], "Benjamin Netanyahu");
    assert_eq!(json["status"], "finding");
    assert_eq!(json["id"], "benjamin-netanyahu");
    assert_eq!(json["match"], "fuzzy");
    assert_eq!(json["by_context"], false);
    let score = json["score"].as_f64().unwrap();
    assert!((score - f64::from(m.resolution.confidence)).abs() <= 5e-5);
}
