//! A strict RFC 4180 reader and writer for table files.
//!
//! Written here rather than taken from the `csv` crate because that reader
//! is lenient by design: `"Ky"iv"` reads as `Kyiv"`, silently. A table
//! edited by hand deserves an error with its line instead.

/// One record: its fields and the 1-based line it starts on.
pub(crate) struct Record {
    pub(crate) fields: Vec<String>,
    pub(crate) line: usize,
}

/// A malformed record: the line of the problem and what it is.
pub(crate) struct CsvError {
    pub(crate) line: usize,
    pub(crate) message: String,
}

/// Parses the whole text. Accepts LF and CRLF line endings; a carriage
/// return alone outside quotes is an error (editors and `grep -n` count
/// lines by LF, so reading it as a line break would name lines that the
/// user cannot find). A field in double quotes may hold commas, quotes
/// (doubled) and line breaks. Blank lines are skipped.
///
/// One state machine over the bytes, kept in one function (98 lines): its
/// states share the field, record and line counters, and split into
/// functions they would travel as five arguments each.
pub(crate) fn parse(text: &str) -> Result<Vec<Record>, CsvError> {
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    loop {
        // Skip blank lines between records.
        while let Some(&c) = chars.peek() {
            if c == '\n' {
                line += 1;
                chars.next();
            } else if c == '\r' {
                chars.next();
                if chars.peek() != Some(&'\n') {
                    return Err(lone_carriage_return(line));
                }
            } else {
                break;
            }
        }
        if chars.peek().is_none() {
            return Ok(records);
        }
        let start = line;
        let mut fields = Vec::new();
        loop {
            let mut field = String::new();
            if chars.peek() == Some(&'"') {
                chars.next();
                let open_line = line;
                loop {
                    match chars.next() {
                        None => {
                            return Err(CsvError {
                                line: open_line,
                                message: "quoted field is never closed".into(),
                            })
                        }
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                        }
                    }
                }
                match chars.peek() {
                    None | Some(',') | Some('\n') | Some('\r') => {}
                    Some(c) => {
                        return Err(CsvError {
                            line,
                            message: format!(
                                "unexpected {c:?} after a closing quote (a quote inside a quoted field is written twice)"
                            ),
                        })
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ',' || c == '\n' || c == '\r' {
                        break;
                    }
                    if c == '"' {
                        return Err(CsvError {
                            line,
                            message: "quote inside an unquoted field (quote the whole field)"
                                .into(),
                        });
                    }
                    field.push(c);
                    chars.next();
                }
            }
            fields.push(field);
            match chars.next() {
                Some(',') => continue,
                Some('\r') => {
                    if chars.next_if_eq(&'\n').is_none() {
                        return Err(lone_carriage_return(line));
                    }
                    line += 1;
                    break;
                }
                Some('\n') => {
                    line += 1;
                    break;
                }
                None => break,
                Some(_) => unreachable!("fields end at a comma, a line break or the end"),
            }
        }
        records.push(Record {
            fields,
            line: start,
        });
    }
}

fn lone_carriage_return(line: usize) -> CsvError {
    CsvError {
        line,
        message: "carriage return without a line feed (line breaks are LF or CRLF; quote a field that holds one)".into(),
    }
}

/// Appends one record, quoting fields that need it, with a LF ending.
pub(crate) fn write_record(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let needs_quotes = f.is_empty() && fields.len() == 1
            || f.contains([',', '"', '\n', '\r'])
            || f.starts_with(char::is_whitespace)
            || f.ends_with(char::is_whitespace);
        if needs_quotes {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        parse(text)
            .unwrap_or_else(|e| panic!("{}: {}", e.line, e.message))
            .into_iter()
            .map(|r| r.fields)
            .collect()
    }

    #[test]
    fn quoting_and_line_endings() {
        assert_eq!(
            fields("a,b\r\n\"c,\"\"d\"\"\",\n"),
            [vec!["a", "b"], vec!["c,\"d\"", ""]]
        );
        assert_eq!(fields("\"x\ny\",z"), [vec!["x\ny", "z"]]);
        assert_eq!(fields("\n\na\n\n"), [vec!["a"]]);
        assert!(fields("").is_empty());
    }

    #[test]
    fn records_know_their_lines() {
        let r = parse("a\n\"b\nc\"\nd\n").ok().unwrap();
        let lines: Vec<usize> = r.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 4]);
    }

    #[test]
    fn malformed_quotes_are_errors() {
        for (text, line) in [("a\n\"Ky\"iv\"", 2), ("a\nK\"yiv", 2), ("a\n\"open\n", 2)] {
            let e = parse(text).err().unwrap();
            assert_eq!(e.line, line, "{text:?}: {}", e.message);
        }
    }

    #[test]
    fn a_lone_carriage_return_is_an_error_on_its_line() {
        for (text, line) in [("a\nb\rc\n", 2), ("a\n\r\nb\r", 3), ("a\r\n\rb", 2)] {
            let e = parse(text).err().unwrap();
            assert_eq!(e.line, line, "{text:?}: {}", e.message);
        }
        assert_eq!(fields("\"b\rc\"\r\n"), [vec!["b\rc"]]);
    }

    #[test]
    fn write_then_parse() {
        let mut out = String::new();
        let rec = ["plain", "with,comma", "quote\"d", "new\nline", " pad", ""];
        write_record(&mut out, &rec);
        assert_eq!(fields(&out), [rec.to_vec()]);
    }
}
