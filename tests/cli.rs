//! The `canonym` command's contract: one JSON line per input line, exit
//! codes, errors naming file and line.
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn canonym(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_canonym"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn temp(name: &str, contents: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("canonym-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn json_has_one_object_per_input_line_in_order() {
    let input = "Aragushi\n\n   \nKiev\nnobody here\nKhamenei\r\nYadol Javani\n";
    let out = canonym(&["resolve", "--json"], input.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(&str, &str, Option<&str>)> = lines
        .iter()
        .map(|v| {
            (
                v["input"].as_str().unwrap(),
                v["status"].as_str().unwrap(),
                v["id"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Aragushi", "fuzzy", Some("abbas-araghchi")),
            ("", "unknown", None),
            ("   ", "unknown", None),
            ("Kiev", "alias", Some("kyiv")),
            ("nobody here", "unknown", None),
            ("Khamenei", "ambiguous", None),
            ("Yadol Javani", "fuzzy", Some("yadollah-javani")),
        ]
    );
    assert_eq!(lines[0]["canonical"], "Abbas Araghchi");
    assert!(lines[0]["score"].as_f64().unwrap() > 0.5);
    assert_eq!(lines[5]["candidates"].as_array().unwrap().len(), 2);
}

#[test]
fn names_from_arguments_and_a_table_file() {
    let table = temp(
        "t.csv",
        b"id,canonical,aliases\nq,Muammar Gaddafi,Qaddafi\n",
    );
    let out = canonym(
        &[
            "resolve",
            "--table",
            table.to_str().unwrap(),
            "Kadhafi",
            "Kyiv",
        ],
        b"",
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("Kadhafi -> Muammar Gaddafi (q, fuzzy"),
        "{text}"
    );
    // --table replaces the default table ...
    assert_eq!(lines[1], "Kyiv -> unknown");
    // ... and --default adds it back.
    let out = canonym(
        &[
            "resolve",
            "--table",
            table.to_str().unwrap(),
            "--default",
            "Kyiv",
        ],
        b"",
    );
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("Kyiv -> Kyiv (kyiv, exact 1.00)"));
}

#[test]
fn a_bad_table_is_exit_2_with_file_and_line() {
    let table = temp(
        "bad.toml",
        b"[[entity]]\nid = \"a\"\ncanonical = \"A\"\n\n[[entity]]\nid = \"a\"\ncanonical = \"B\"\n",
    );
    let out = canonym(&["resolve", "--table", table.to_str().unwrap(), "x"], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!("{}:6: duplicate id `a`", table.display())),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn invalid_utf8_on_stdin_is_an_error_or_lossy() {
    let out = canonym(&["resolve", "--json"], b"Kiev\nKy\xffiv\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("<stdin>:2: invalid UTF-8 at byte offset 7"),
        "{err}"
    );
    let out = canonym(&["resolve", "--json", "--lossy"], b"Kiev\nKy\xffiv\n");
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
}

#[test]
fn bad_options_are_exit_2() {
    for args in [
        &["resolve", "--threshold", "2"][..],
        &["resolve", "--nope"],
        &["frobnicate"],
        &["resolve", "--table"],
    ] {
        let out = canonym(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn a_long_line_still_gets_its_one_line() {
    let long = "Araghchi ".repeat(100_000);
    let out = canonym(&["resolve", "--json"], format!("{long}\nKiev\n").as_bytes());
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
}
