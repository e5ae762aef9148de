//! Hard input at size: a megabyte of each kind of text that troubles name
//! handling goes through every entry point, which must return (no panic,
//! no stack overflow) with sane answers. How the time grows with the size
//! is measured in `benches/hard_input.rs`, not asserted here.

use canonym::{fold, AliasTable, Format, Normalizer, Outcome, Resolver};

const MEGABYTE: usize = 1 << 20;

/// `piece` repeated to about a megabyte.
fn megabyte_of(piece: &str) -> String {
    piece.repeat(MEGABYTE / piece.len() + 1)
}

/// Every kind of hard text, named.
fn hard_texts() -> Vec<(&'static str, String)> {
    vec![
        ("combining marks only", megabyte_of("\u{0301}")),
        ("zero-width joiners", megabyte_of("\u{200D}")),
        ("right-to-left marks", megabyte_of("\u{200F}")),
        ("emoji", megabyte_of("🙂")),
        ("control characters", megabyte_of("\u{1}\u{7}\u{1b}\t")),
        ("NUL", megabyte_of("\0")),
        ("one long word", megabyte_of("a")),
        (
            "one long capitalized word",
            format!("A{}", megabyte_of("r")),
        ),
        ("names without punctuation", megabyte_of("Abbas Araghchi ")),
        (
            "respelled names without punctuation",
            megabyte_of("Aragushi Yadol Javani Kiev "),
        ),
        ("capitalized non-names", megabyte_of("Zzyzx Qwertyuiop ")),
        ("hyphen chain", megabyte_of("A-")),
        ("titles only", megabyte_of("Foreign Minister ")),
        ("possessives", megabyte_of("Araghchi's ")),
        ("digits", megabyte_of("4")),
        ("line breaks", megabyte_of("Abbas\n")),
        (
            "mixed scripts",
            megabyte_of("Аракчи ترامپ トランプ 特朗普 "),
        ),
        ("geresh", megabyte_of("ג׳")),
    ]
}

#[test]
fn a_megabyte_of_hard_text_is_valid_input_everywhere() {
    let resolver = Resolver::new(AliasTable::default_table()).unwrap();
    let normalizer = Normalizer::new();
    for (kind, text) in hard_texts() {
        let folded = fold(&text);
        assert_eq!(fold(&folded), folded, "{kind}: fold is idempotent");
        let normalized = normalizer.normalize(&text);
        assert_eq!(normalizer.normalize(&normalized), normalized, "{kind}");

        let r = resolver.resolve(&text);
        assert!((0.0..=1.0).contains(&r.confidence), "{kind}");
        let explained = resolver.resolve_explained(&text);
        assert_eq!(explained.outcome, r.outcome, "{kind}");

        let mut end = 0;
        for m in resolver.scan(&text) {
            assert!(m.start >= end && m.start < m.end, "{kind}: spans in order");
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            assert_eq!(&text[m.start..m.end], m.surface, "{kind}");
            end = m.end;
        }
        let fixed = resolver.fix(&text);
        if resolver.findings(&text).next().is_none() {
            assert_eq!(fixed, text, "{kind}: nothing to fix, nothing changed");
        }
    }
}

#[test]
fn names_in_a_megabyte_of_copy_are_all_found() {
    // Nothing lost at size: every one of the repeated mentions is reported.
    let resolver = Resolver::new(AliasTable::default_table()).unwrap();
    let piece = "Abbas Araghchi met Aragushi. ";
    let text = megabyte_of(piece);
    let copies = text.len() / piece.len();
    let mentions: Vec<_> = resolver.scan(&text).collect();
    assert_eq!(mentions.len(), 2 * copies);
    assert!(mentions
        .iter()
        .all(|m| m.resolution.outcome == Outcome::Resolved
            && m.resolution.id() == mentions[0].resolution.id()));
    assert_eq!(resolver.findings(&text).count(), copies);
}

#[test]
fn a_million_row_table_loads_exactly() {
    let rows = 1_000_000;
    let mut csv = String::from("\u{FEFF}id,canonical,kind,aliases\r\n");
    let mut json = String::from("[\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "e{i},\"Name {i}, Jr.\",person,\"Alias \"\"{i}\"\"|Other {i}\"\r\n"
        ));
        let sep = if i + 1 < rows { "," } else { "" };
        json.push_str(&format!(
            "{{\"id\": \"e{i}\", \"canonical\": \"Name {i}\", \"aliases\": [\"Other {i}\"]}}{sep}\n"
        ));
    }
    json.push(']');
    let dir = std::env::temp_dir().join(format!("canonym-million-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (csv_path, json_path) = (dir.join("big.csv"), dir.join("big.json"));
    std::fs::write(&csv_path, &csv).unwrap();
    std::fs::write(&json_path, &json).unwrap();

    let table = AliasTable::load(&csv_path).unwrap();
    assert_eq!(table.entities().len(), rows);
    let last = &table.entities()[rows - 1];
    assert_eq!(last.id, "e999999");
    assert_eq!(last.canonical, "Name 999999, Jr.");
    assert_eq!(last.kind.as_deref(), Some("person"));
    assert_eq!(last.aliases, ["Alias \"999999\"", "Other 999999"]);

    let table = AliasTable::load(&json_path).unwrap();
    assert_eq!(table.entities().len(), rows);
    assert_eq!(table.entities()[rows - 1].aliases, ["Other 999999"]);

    // A line error deep in a big file still names its line.
    let broken = csv.replacen("e500000,\"Name 500000, Jr.\"", "e500000,\"\"", 1);
    assert_ne!(broken, csv);
    match AliasTable::parse(&broken, Format::Csv) {
        Err(e) => assert_eq!(e.line(), Some(500_002), "{e}"),
        Ok(_) => panic!("an empty canonical name must be an error"),
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
