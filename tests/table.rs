//! Table files: every bad input is an error naming the file and the line;
//! good input loads exactly; save -> load gives an equal table.

use std::path::Path;

use canonym::{AliasTable, Entity, Error, Format};

fn parse(text: &str, format: Format) -> Result<AliasTable, Error> {
    AliasTable::parse_named(text, format, Path::new("t"))
}

/// Each (text, line, message part) fails to parse with an error on that
/// line, displayed as `t:LINE: ...` and containing the message part.
fn assert_errors(format: Format, cases: &[(&str, usize, &str)]) {
    for (text, line, message) in cases {
        let e = parse(text, format).expect_err(text);
        let (l, m) = (e.line().unwrap_or(0), e.to_string());
        assert_eq!(l, *line, "{format:?} {text:?}: {m}");
        assert!(m.starts_with(&format!("t:{line}: ")), "{format:?} {m}");
        assert!(m.contains(message), "{format:?} {text:?}: {m}");
    }
}

#[test]
fn csv_errors_name_their_line() {
    let cases: &[(&str, usize, &str)] = &[
        ("canonical\nKyiv\n", 1, "missing column `id`"),
        ("id\nkyiv\n", 1, "missing column `canonical`"),
        (
            "id,canonical,colour\nk,Kyiv,red\n",
            1,
            "unknown column `colour`",
        ),
        ("id,canonical\nk,Kyiv\nl,\n", 3, "empty canonical"),
        ("id,canonical\n,Kyiv\n", 2, "empty id"),
        ("id,canonical\nk,Kyiv\nk,Kiev\n", 3, "duplicate"),
        (
            "id,canonical,aliases\nk,Kyiv,Kiev||Kyjiw\n",
            2,
            "empty alias",
        ),
        (
            "id,canonical\nk,Kyiv\nm,Moscow\nk,Kiev\n",
            4,
            "duplicate id `k` (first defined on line 2)",
        ),
        (
            "id,canonical\nk,Kyiv,extra\n",
            2,
            "3 fields, but the header has 2",
        ),
        ("id,canonical\nk,\"Ky\"iv\"\n", 2, ""),
    ];
    assert_errors(Format::Csv, cases);
}

#[test]
fn csv_accepts_bom_crlf_quotes_and_newlines_in_fields() {
    let text = "\u{FEFF}id,canonical,kind,aliases\r\n\
                q,\"Qaddafi, Muammar\",person,\"Gadhafi|\"\"Kadhafi\"\"\"\r\n\
                m,\"Multi\r\nline\",,\r\n";
    let t = parse(text, Format::Csv).unwrap();
    assert_eq!(t.len(), 2);
    let q = t.get("q").unwrap();
    assert_eq!(q.canonical, "Qaddafi, Muammar");
    assert_eq!(q.aliases, ["Gadhafi", "\"Kadhafi\""]);
    assert_eq!(q.kind.as_deref(), Some("person"));
    assert_eq!(t.get("m").unwrap().canonical, "Multi\r\nline");
    assert_eq!(t.get("m").unwrap().kind, None);
}

#[test]
fn csv_line_numbers_count_newlines_inside_quotes() {
    let text = "id,canonical\na,\"one\ntwo\"\na,Again\n";
    let e = parse(text, Format::Csv).unwrap_err();
    assert_eq!(e.line(), Some(4), "{e}");
}

#[test]
fn json_errors_name_their_line() {
    let cases: &[(&str, usize, &str)] = &[
        ("[\n{\"id\": \"k\", \"canonical\": \"Kyiv\"},\n{\"id\": \"k\", \"canonical\": \"Kiev\"}\n]", 3, "duplicate id"),
        ("[\n{\"id\": \"k\", \"canonical\": 5}\n]", 2, "invalid type"),
        ("[\n{\"id\": \"k\", \"canonical\": \"Kyiv\", \"colour\": 1}\n]", 2, "unknown field `colour`"),
        ("[\n{\"id\": \"k\",\n \"canonical\": \"Kyiv\"", 3, "EOF"),
        ("[\n{\"id\": \"k\"}\n]", 2, "missing field `canonical`"),
        ("[\n{\"id\": \"k\", \"canonical\": \"  \"}\n]", 2, "empty canonical"),
        ("{\"id\": \"k\"}", 1, "invalid type"),
    ];
    assert_errors(Format::Json, cases);
}

#[test]
fn toml_errors_name_their_line() {
    let cases: &[(&str, usize, &str)] = &[
        ("[[entity]]\nid = \"k\"\ncanonical = \"Kyiv\"\n\n[[entity]]\nid = \"k\"\ncanonical = \"Kiev\"\n", 6, "duplicate id"),
        ("[[entity]]\nid = \"k\"\ncanonical = 5\n", 3, "invalid type"),
        ("[[entity]]\nid = \"k\"\ncanonical = \"Kyiv\"\ncolour = 1\n", 4, "unknown field `colour`"),
        ("[[entity]]\nid = \"k\"\ncanonical = \"Kyiv\n", 3, ""),
        ("[[entity]]\nid = \"k\"\n", 1, "missing field `canonical`"),
        ("[[entity]]\nid = \"k\"\ncanonical = \"-\"\n", 2, "empty canonical"),
    ];
    assert_errors(Format::Toml, cases);
}

#[test]
fn files_name_their_path_and_bad_utf8_its_line() {
    let dir = std::env::temp_dir().join(format!("canonym-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, b"id,canonical\nk,Kyiv\nm,Mosc\xffow\n").unwrap();
    let e = AliasTable::load(&bad).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidUtf8 {
                line: 3,
                offset: 26,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().starts_with(&format!("{}:3:", bad.display())));

    let missing = dir.join("missing.toml");
    let e = AliasTable::load(&missing).unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e}");
    assert!(e.to_string().contains("missing.toml"));

    let e = AliasTable::load(dir.join("table.txt")).unwrap_err();
    assert!(matches!(e, Error::UnknownFormat { .. }), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn save_then_load_gives_an_equal_table_in_every_format() {
    let mut t = AliasTable::new();
    t.push(
        Entity::new("q", "Muammar Gaddafi")
            .kind("person")
            .alias("Qaddafi")
            .alias("Kadhafi, M."),
    )
    .unwrap();
    t.push(Entity::new("k", "Kyiv")).unwrap();
    t.push(Entity::new("x", "Quote \"inside\"\nand newline").alias("ü"))
        .unwrap();
    let dir = std::env::temp_dir().join(format!("canonym-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for ext in ["toml", "json", "csv"] {
        let path = dir.join(format!("t.{ext}"));
        t.save(&path).unwrap();
        assert_eq!(AliasTable::load(&path).unwrap(), t, "{ext}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn csv_cannot_hold_a_pipe_in_an_alias() {
    let mut t = AliasTable::new();
    t.push(Entity::new("a", "A").alias("x|y")).unwrap();
    assert!(t.to_string(Format::Csv).is_err());
    assert!(t.to_string(Format::Json).is_ok());
}

#[test]
fn the_evaluation_json_layout_loads() {
    let text = "[{\"id\": \"Q1\", \"canonical\": \"ovsey\", \"aliases\": []},\n{\"id\": \"Q2\", \"canonical\": \"lipov\", \"aliases\": []}\n]\n";
    assert_eq!(parse(text, Format::Json).unwrap().len(), 2);
}
