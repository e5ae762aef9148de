//! The `canonym` command: resolve names, check and fix text.

mod args;
mod check;
mod fix;
mod resolve;

use std::process::ExitCode;

const USAGE: &str = "\
canonym: resolve the many spellings of a name to one canonical entity

USAGE:
    canonym resolve [OPTIONS] [NAME]...   resolve names (from stdin when none are given)
    canonym check [OPTIONS] FILE...       report name spellings that differ from the table
                                          (FILE - is stdin); exit 1 when there are findings
    canonym fix [OPTIONS] [--in-place] FILE
                                          print FILE with those spellings fixed, nothing
                                          else changed; --in-place replaces it atomically

OPTIONS:
    --table PATH      use this table (.toml, .json or .csv) instead of the
                      embedded default; repeatable
    --default         also use the embedded default table (with --table)
    --json            one JSON object per input line
    --explain         say why each fuzzy match scored as it did
    --threshold X     accept threshold in (0, 1]
    --margin X        ambiguity margin in [0, 0.5]
    --lossy           decode invalid UTF-8 input lossily instead of failing
    --exhaustive      verify every table name, not only the index's candidates
    --indexed         verify only the index's candidates (the default above
                      20,000 names)
    --stats           (resolve) load, build and per-query timing on stderr
    --no-endings, --no-rules, --unit-costs
                      switch off a part of the fuzzy core (for ablation studies)
    -h, --help        this text

EXIT STATUS:
    0 done (check: no findings), 1 check found something,
    2 error (bad table, bad input, bad option, unwritable file)
";

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1);
    let Some(command) = argv.next() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest: Vec<String> = argv.collect();
    let result = match command.as_str() {
        "resolve" => resolve::run(&rest),
        "check" => check::run(&rest),
        "fix" => fix::run(&rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("canonym: {message}");
            ExitCode::from(2)
        }
    }
}
