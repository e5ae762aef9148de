//! The properties the fuzz targets (`fuzz/`) check, one function per
//! target: each takes the fuzzer's bytes and panics when a property fails.
//! Shared by the fuzz crate and `tests/fuzz_regressions.rs`, which replays
//! every input a campaign ever found (and the seed corpora) through the
//! same checks, so that a crash fixed stays fixed.

#![allow(dead_code)] // each user calls the checks it needs

use std::sync::OnceLock;

use canonym::{fold, AliasTable, Format, Normalizer, Outcome, Resolution, Resolver};

/// A target's check: panics when the input breaks a property.
pub type Check = fn(&[u8]);

/// The fuzz targets, by name: the folder names of `fuzz/corpus/` and of
/// `tests/fuzz_regressions/`.
pub const TARGETS: &[(&str, Check)] = &[
    ("fold", check_fold),
    ("resolve", check_resolve),
    ("scan", check_scan),
    ("table", check_table),
];

/// The table the resolve and scan targets use: small, so that a run
/// costs tens of microseconds, not the milliseconds of the default
/// table's exhaustive search, with every kind of name the resolver
/// treats apart: persons with particles, a shared surname, a given name
/// that is another's surname, places, an acronym, a name with digits, a
/// compound, aliases in other scripts.
const FUZZ_TABLE: &str = "\
id,canonical,kind,aliases
araghchi,Abbas Araghchi,person,Araqchi|عباس عراقچی
abbas,Mahmoud Abbas,person,Abu Mazen
javani,Yadollah Javani,person,
larijani-a,Ali Larijani,person,
larijani-s,Sadegh Larijani,person,Sadeq Amoli Larijani
zayed,Mohamed bin Zayed,person,MBZ
nayef,Muhammad bin Nayef,person,
trump,Donald Trump,person,Τραμπ|トランプ
vonder,Ursula von der Leyen,person,
kyiv,Kyiv,place,Kiev|Kyjiw
khorramshahr,Khorramshahr,place,
saudi,Saudi Arabia,place,KSA
aramco,Saudi Aramco,organization,Saudi Arabian Oil Company
irgc,Islamic Revolutionary Guard Corps,organization,IRGC|Sepah
kh4,Khorramshahr-4,weapon,Kheibar
fordow,Fordow,place,Fordo
";

/// The resolver on [`FUZZ_TABLE`], built once per process: the fuzzer
/// runs thousands of inputs through one process (a target calls
/// [`warm_up`] before its loop, so that forked runs inherit it).
fn fuzz_resolver() -> &'static Resolver {
    static RESOLVER: OnceLock<Resolver> = OnceLock::new();
    RESOLVER.get_or_init(|| {
        let table = AliasTable::parse(FUZZ_TABLE, Format::Csv).expect("the fuzz table parses");
        Resolver::new(table).expect("the fuzz table builds")
    })
}

/// The normalizer with its embedded titles and particles, built once.
fn normalizer() -> &'static Normalizer {
    static NORMALIZER: OnceLock<Normalizer> = OnceLock::new();
    NORMALIZER.get_or_init(Normalizer::new)
}

/// Builds what the checks share before the first input, so that the
/// fuzzer's forked runs start with it (and every run takes the same
/// path: lazily built state makes coverage unstable).
pub fn warm_up() {
    fuzz_resolver();
    normalizer();
}

/// Any bytes as text: invalid UTF-8 becomes U+FFFD, as a reader that
/// decodes lossily would hand it on.
fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// `fold` and `Normalizer::normalize` are idempotent;
/// `strip_possessive` returns a prefix.
pub fn check_fold(data: &[u8]) {
    let s = text(data);
    let folded = fold(&s);
    assert_eq!(fold(&folded), folded, "fold is idempotent");
    let normalizer = normalizer();
    let normalized = normalizer.normalize(&s);
    assert_eq!(
        normalizer.normalize(&normalized),
        normalized,
        "normalize is idempotent"
    );
    let stripped = canonym::strip_possessive(&s);
    assert!(s.starts_with(stripped), "strip_possessive returns a prefix");
}

/// A resolution's answer comes from the table and its confidence is a
/// probability; the explained resolution says the same.
fn check_resolution(table: &AliasTable, r: &Resolution<'_>) {
    assert!(
        (0.0..=1.0).contains(&r.confidence),
        "confidence {} out of [0, 1]",
        r.confidence
    );
    let from_table = |c: &canonym::Candidate<'_>| {
        let e = table
            .get(&c.entity.id)
            .expect("a candidate's id is in the table");
        assert_eq!(e, c.entity, "a candidate is the table's entity");
        assert!(
            (0.0..=1.0).contains(&c.score),
            "score {} out of [0, 1]",
            c.score
        );
    };
    r.best
        .iter()
        .chain(&r.runner_up)
        .chain(&r.candidates)
        .for_each(from_table);
    if r.outcome == Outcome::Resolved {
        assert!(r.best.is_some(), "a resolved name has a best candidate");
    }
}

/// `resolve` and `resolve_explained` on [`FUZZ_TABLE`].
pub fn check_resolve(data: &[u8]) {
    let s = text(data);
    let resolver = fuzz_resolver();
    let r = resolver.resolve(&s);
    check_resolution(resolver.table(), &r);
    let explained = resolver.resolve_explained(&s);
    check_resolution(resolver.table(), &explained);
    assert_eq!(
        explained.outcome, r.outcome,
        "explaining changes no outcome"
    );
    assert_eq!(
        explained.confidence, r.confidence,
        "explaining changes no confidence"
    );
    assert_eq!(
        explained.best.as_ref().map(|b| &b.entity.id),
        r.best.as_ref().map(|b| &b.entity.id),
        "explaining changes no answer"
    );
}

/// `scan`'s mentions are in order, apart and on char boundaries; `fix`
/// is the text with its findings replaced, round after round, and `check`
/// finds nothing in it.
pub fn check_scan(data: &[u8]) {
    let s = text(data);
    let resolver = fuzz_resolver();
    let mut expected = s.to_string();
    for round in 0.. {
        let (next, findings) = replaced(resolver, &expected);
        if findings == 0 {
            break;
        }
        assert!(round < 8, "fix settles within eight rounds");
        expected = next;
    }
    let fixed = resolver.fix(&s);
    assert_eq!(
        fixed, expected,
        "fix replaces the findings, round after round"
    );
    let again: Vec<_> = resolver.findings(&fixed).collect();
    assert!(
        again.is_empty(),
        "findings left after fix: {:?}",
        again
            .iter()
            .map(|m| (&m.surface, &m.replacement))
            .collect::<Vec<_>>()
    );
}

/// `s` with its findings replaced, every other byte as it was, checking
/// each mention on the way; and how many findings there were.
fn replaced(resolver: &Resolver, s: &str) -> (String, usize) {
    let mut at = 0;
    let mut out = String::new();
    let mut findings = 0;
    for m in resolver.scan(s) {
        assert!(
            at <= m.start && m.start < m.end,
            "mentions are ordered and apart"
        );
        assert!(s.is_char_boundary(m.start) && s.is_char_boundary(m.end));
        assert_eq!(
            &s[m.start..m.end],
            m.surface,
            "surface is the text of its span"
        );
        check_resolution(resolver.table(), &m.resolution);
        out.push_str(&s[at..m.start]);
        if let Some(r) = &m.replacement {
            assert_ne!(r, &m.surface, "a replacement changes the text");
            findings += 1;
        }
        out.push_str(m.replacement.as_deref().unwrap_or(&m.surface));
        at = m.end;
    }
    out.push_str(&s[at..]);
    (out, findings)
}

/// A table in any format (the first byte picks it) parses, writes and
/// parses back to the same table, and builds a resolver that finds each
/// canonical name; or its error names a line of the input.
pub fn check_table(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let format = [Format::Csv, Format::Json, Format::Toml][usize::from(pick % 3)];
    let s = text(rest);
    match AliasTable::parse(&s, format) {
        Ok(table) => {
            if let Ok(written) = table.to_string(format) {
                let back = AliasTable::parse(&written, format)
                    .unwrap_or_else(|e| panic!("written table parses back: {e}\n{written}"));
                assert_eq!(back.entities(), table.entities(), "round trip");
            }
            let resolver = Resolver::new(table).expect("a parsed table builds");
            for e in resolver.table().entities().iter().take(16) {
                check_resolution(resolver.table(), &resolver.resolve(&e.canonical));
            }
        }
        Err(e) => {
            let line = e
                .line()
                .unwrap_or_else(|| panic!("a parse error has a line: {e}"));
            // A text of n lines (the last may lack its line break) has
            // lines 1..=n; an error at the end of input may name the line
            // after the last break.
            let lines = s.split('\n').count();
            assert!((1..=lines).contains(&line), "line {line} of {lines}: {e}");
        }
    }
}
