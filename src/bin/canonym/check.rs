//! `canonym check`: report name spellings that differ from the table's, like
//! a linter. Exit 0 clean, 1 findings, 2 error.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use canonym::{MatchKind, Mention, Outcome};
use serde_json::json;

use crate::args::{decode, stdout_error, Common};

/// Report name spellings that differ from the table's, like a linter; exit
/// 1 when there are findings
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
    /// One JSON object per finding
    #[arg(long)]
    pub json: bool,
    /// Decode invalid UTF-8 input lossily instead of failing
    #[arg(long)]
    pub lossy: bool,
    /// Report only variant findings (spellings the fuzzy core found) or
    /// only style findings (aliases and accents of the table's own names)
    #[arg(long, value_enum, value_name = "CLASS")]
    pub only: Option<Class>,
    /// Files to check (- is stdin)
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<String>,
}

/// What kind of finding a report is.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A spelling the table does not hold, found by the fuzzy core
    /// (`Aragushi`), or a misspelled name several entities share.
    Variant,
    /// A spelling the table holds as an alias, or its own name written
    /// otherwise (accents, spaces, titles): the house style (`Kiev`).
    Style,
}

impl Class {
    fn of(m: &Mention<'_>) -> Class {
        match &m.resolution.best {
            Some(b) if m.resolution.outcome == Outcome::Resolved && b.kind != MatchKind::Fuzzy => {
                Class::Style
            }
            _ => Class::Variant,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Class::Variant => "variant",
            Class::Style => "style",
        }
    }
}

pub fn run(opts: &CheckArgs) -> Result<ExitCode, String> {
    let resolver = opts.common.resolver()?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut findings = 0usize;
    for path in &opts.files {
        let text = read_text(path, opts.lossy)?;
        let lines = Lines::new(&text);
        let wanted = |m: &Mention<'_>| opts.only.is_none_or(|c| c == Class::of(m));
        for m in resolver.reports(&text).filter(wanted) {
            findings += 1;
            let place = lines.line_col(m.start);
            let line = if opts.json {
                json_line(path, place, &m).to_string()
            } else {
                text_line(path, place, &m)
            };
            if let Err(e) = writeln!(out, "{line}") {
                return closed_pipe(e, findings);
            }
        }
    }
    if let Err(e) = out.flush() {
        return closed_pipe(e, findings);
    }
    Ok(status(findings))
}

/// A failed write: a reader that has seen enough (`| head`) ends the report
/// quietly, with the status of what was found so far; anything else is an
/// error.
fn closed_pipe(e: std::io::Error, findings: usize) -> Result<ExitCode, String> {
    stdout_error(e).map_or(Ok(status(findings)), Err)
}

/// Exit 0 when clean, 1 with findings.
fn status(findings: usize) -> ExitCode {
    ExitCode::from(u8::from(findings > 0))
}

/// Reads a file (`-` = stdin) as UTF-8 text; an error names the file.
pub fn read_text(path: &str, lossy: bool) -> Result<String, String> {
    if path == "-" {
        return crate::args::read_stdin(lossy);
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    decode(bytes, path, lossy)
}

/// Where the lines of a text start, found once, so that placing each
/// finding costs a binary search and its own line, not a count from the
/// top (which made `check` quadratic in the file size).
pub struct Lines<'t> {
    text: &'t str,
    /// Byte offset of each line's first byte, in order (0 first).
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        let newlines = text.match_indices('\n').map(|(i, _)| i + 1);
        Lines {
            text,
            starts: std::iter::once(0).chain(newlines).collect(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset on a char
    /// boundary.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, 1 + self.text[start..offset].chars().count())
    }
}

fn text_line(path: &str, (line, col): (usize, usize), m: &Mention<'_>) -> String {
    let r = &m.resolution;
    match (&m.replacement, &r.best) {
        (Some(rep), Some(best)) => format!(
            "{path}:{line}:{col}: {:?} -> {:?} ({}, {} {:.2}{})",
            m.surface,
            rep,
            best.entity.canonical,
            best.kind.as_str(),
            r.confidence,
            if m.by_context { ", by context" } else { "" }
        ),
        _ => {
            let names: Vec<&str> = r
                .candidates
                .iter()
                .map(|c| c.entity.canonical.as_str())
                .collect();
            format!(
                "{path}:{line}:{col}: {:?} is ambiguous: {}",
                m.surface,
                names.join(", ")
            )
        }
    }
}

/// The JSON line of one finding: the library's record of the mention
/// (see `Mention`'s serialization), where it is, and its class.
fn json_line(path: &str, (line, col): (usize, usize), m: &Mention<'_>) -> serde_json::Value {
    let mut v = serde_json::to_value(m).unwrap_or_else(|_| json!({}));
    if let Some(obj) = v.as_object_mut() {
        obj.insert("path".into(), json!(path));
        obj.insert("line".into(), json!(line));
        obj.insert("column".into(), json!(col));
        obj.insert("class".into(), json!(Class::of(m).as_str()));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::Lines;

    /// The naive mapping: count from the top.
    fn naive(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line = 1 + before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, 1 + before[line_start..].chars().count())
    }

    #[test]
    fn lines_and_columns_are_those_counted_from_the_top() {
        for text in [
            "",
            "one line",
            "a\nbc\n\nd",
            "\n\nstarts with newlines",
            "ünïcödé\nzwei Zeilen ñ\r\nand CRLF\n",
        ] {
            let lines = Lines::new(text);
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                assert_eq!(
                    lines.line_col(offset),
                    naive(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
        let text = "x\ny";
        assert_eq!(Lines::new(text).line_col(2), (2, 1));
    }
}
