//! `check` in an open world: what copy holds besides the table's entities
//! (English words, known places and peoples, other people) is not flagged,
//! and real variants still are. Cases in `tests/data/open_world.toml`.

use canonym::{AliasTable, Resolver};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    findings: Vec<(String, String)>,
}

#[test]
fn open_world_cases() {
    let cases: Cases =
        toml::from_str(&std::fs::read_to_string("tests/data/open_world.toml").unwrap()).unwrap();
    let r = Resolver::new(AliasTable::default_table()).unwrap();
    let mut failures = Vec::new();
    for c in &cases.case {
        let got: Vec<(String, String)> = r
            .findings(&c.text)
            .map(|m| (m.surface.clone(), m.replacement.clone().unwrap_or_default()))
            .collect();
        if got != c.findings {
            failures.push(format!("{}: got {got:?}, want {:?}", c.name, c.findings));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn known_words_off_brings_the_closed_world_back() {
    // The switch is real: without the word list, a common word near a
    // table name the text names is flagged again.
    // (At a lower threshold than the default, where `Both` is in reach of
    // `Pot` by context.)
    let text = "Pol Pot ruled Cambodia. Both sides later spoke.";
    let open = Resolver::builder()
        .threshold(0.75)
        .build(AliasTable::default_table())
        .unwrap();
    let closed = Resolver::builder()
        .threshold(0.75)
        .known_words(false)
        .build(AliasTable::default_table())
        .unwrap();
    assert_eq!(open.findings(text).count(), 0);
    assert!(closed.findings(text).count() > 0);
}

#[test]
fn the_standalone_rule_can_be_turned_off() {
    let text = "Aragushi later spoke to the press.";
    let off = Resolver::builder()
        .standalone_confidence(0.0)
        .build(AliasTable::default_table())
        .unwrap();
    let found: Vec<_> = off.findings(text).map(|m| m.surface).collect();
    assert_eq!(found, ["Aragushi"]);
    assert!(Resolver::builder()
        .standalone_confidence(1.5)
        .build(AliasTable::new())
        .is_err());
}

#[test]
fn a_particle_written_joined_in_the_table_is_still_the_name() {
    // `Di Capprio` writes the particle that `DiCaprio` joins to the next
    // part: a respelling of the name. `de Capprio` writes one it does not.
    let mut t = AliasTable::new();
    t.push(canonym::Entity::new("ld", "Leonardo DiCaprio").kind("person"))
        .unwrap();
    let r = Resolver::new(t).unwrap();
    let found =
        |text: &str| -> Vec<String> { r.findings(text).map(|m| m.surface.clone()).collect() };
    assert_eq!(
        found("The actor Leonardo Di Capprio arrived."),
        ["Leonardo Di Capprio"]
    );
    assert_eq!(
        found("The actor Leonardo de Capprio arrived."),
        Vec::<String>::new()
    );
}
