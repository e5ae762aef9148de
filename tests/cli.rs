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
    // The score is the library's confidence, rounded to four places.
    let resolver = canonym::Resolver::new(canonym::AliasTable::default_table()).unwrap();
    let confidence = f64::from(resolver.resolve("Aragushi").confidence);
    let score = lines[0]["score"].as_f64().unwrap();
    assert!(
        (score - confidence).abs() <= 5e-5,
        "{score} vs {confidence}"
    );
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
fn an_id_an_earlier_table_holds_is_exit_2_naming_the_later_file() {
    let ours = temp("ours.csv", b"id,canonical\nkyiv,Kyiv\n");
    let ours = ours.to_str().unwrap();
    let out = canonym(&["resolve", "--default", "--table", ours, "x"], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "{ours}: id `kyiv` is already defined by an earlier table"
        )),
        "{err}"
    );
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

#[test]
fn check_reports_findings_like_a_linter() {
    let text = std::fs::read("tests/data/briefing.txt").unwrap();
    let path = temp("briefing.txt", &text);
    let out = canonym(&["check", path.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8(out.stdout).unwrap();
    let first = report.lines().next().unwrap();
    let want = format!(
        "{}:2:17: \"Aragushi\" -> \"Araghchi\" (Abbas Araghchi, fuzzy ",
        path.display()
    );
    assert!(first.starts_with(&want), "{first}");
    assert_eq!(report.lines().count(), 6, "{report}");

    let out = canonym(&["check", "--json", "-"], &text);
    assert_eq!(out.status.code(), Some(1));
    let source = String::from_utf8(text.clone()).unwrap();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (start, end) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(v["found"], &source[start..end]);
        assert_eq!(v["path"], "-");
        assert!(v["replacement"].is_string() && v["id"].is_string() && v["score"].is_number());
        assert!(v["line"].is_number() && v["column"].is_number());
    }

    let clean = temp(
        "clean.txt",
        b"Abbas Araghchi met Yadollah Javani in Kyiv.\n",
    );
    let out = canonym(&["check", clean.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn check_rejects_a_file_that_is_not_utf8() {
    let bad = temp("latin1.txt", b"Ara\xe7hchi\n");
    let out = canonym(&["check", bad.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("latin1.txt:1: invalid UTF-8 at byte offset 3"),
        "{err}"
    );
    let out = canonym(&["check", "/nonexistent/file.txt"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn fix_prints_and_fixes_in_place_keeping_crlf() {
    let text = b"Abbas Araghchi spoke.\r\nAragushi left Kiev.\r\n";
    let want = b"Abbas Araghchi spoke.\r\nAraghchi left Kyiv.\r\n";
    let path = temp("crlf.txt", text);
    let out = canonym(&["fix", path.to_str().unwrap()], b"");
    assert!(out.status.success());
    assert_eq!(out.stdout, want);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        text,
        "without --in-place the file stays"
    );
    let out = canonym(&["fix", "--in-place", path.to_str().unwrap()], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read(&path).unwrap(), want);
    // No temporary file is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".canonym-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn help_version_and_errors_that_name_the_flag() {
    for (sub, flag) in [
        ("resolve", "--explain"),
        ("check", "--json"),
        ("fix", "--in-place"),
    ] {
        let out = canonym(&[sub, "--help"], b"");
        assert!(out.status.success(), "{sub} --help");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(help.contains(flag), "{sub} --help names {flag}: {help}");
    }
    let out = canonym(&["--version"], b"");
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("canonym "));
    // A flag of another subcommand is an error, not silently taken.
    for (args, named) in [
        (&["check", "--explain", "x.txt"][..], "--explain"),
        (&["fix", "--json", "x.txt"], "--json"),
        (&["resolve", "--threshold", "abc", "Kiev"], "--threshold"),
    ] {
        let out = canonym(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(named), "{args:?}: {err}");
    }
}

#[test]
fn flag_equals_value_and_completions() {
    let table = temp("eq.csv", b"id,canonical\na,Abbas Araghchi\n");
    let out = canonym(
        &[
            "resolve",
            &format!("--table={}", table.display()),
            "--json",
            "Araghchy",
        ],
        b"",
    );
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("\"id\":\"a\""));
    let out = canonym(&["completions", "bash"], b"");
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains("canonym"));
}

#[test]
fn check_tells_variant_findings_from_style_findings() {
    let file = temp(
        "classes.txt",
        "Officials in Kiev met Aragushi. Abbas Araghchi spoke.\n".as_bytes(),
    );
    let path = file.to_str().unwrap();
    let classes = |args: &[&str]| -> Vec<(String, String)> {
        let out = canonym(args, b"");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (
                    v["found"].as_str().unwrap().to_owned(),
                    v["class"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        classes(&["check", "--json", path]),
        [pair("Kiev", "style"), pair("Aragushi", "variant")]
    );
    assert_eq!(
        classes(&["check", "--json", "--only", "variant", path]),
        [pair("Aragushi", "variant")]
    );
    assert_eq!(
        classes(&["check", "--json", "--only=style", path]),
        [pair("Kiev", "style")]
    );
}

#[test]
fn stats_report_times_and_memory_on_stderr_only() {
    let out = canonym(&["resolve", "--json", "--stats"], b"Aragushi\nKiev\n");
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("stats: ") && stderr.contains("build "),
        "{stderr}"
    );
    assert!(stderr.contains("per query p50"), "{stderr}");
    if cfg!(target_os = "linux") {
        assert!(
            stderr.contains("bytes per name beyond the table"),
            "{stderr}"
        );
    }
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
}
