//! Options shared by the subcommands, and input reading.

use std::io::Read;
use std::path::PathBuf;

use canonym::{AliasTable, Resolver};

/// Options common to every subcommand that needs a resolver.
#[derive(Debug, Default)]
pub struct Common {
    pub tables: Vec<PathBuf>,
    pub default: bool,
    pub json: bool,
    pub explain: bool,
    pub lossy: bool,
    pub threshold: Option<f32>,
    pub exhaustive: Option<bool>,
    pub stats: bool,
    /// Ablation switches: components of the fuzzy core turned off.
    pub no_endings: bool,
    pub no_rules: bool,
    pub unit_costs: bool,
    pub margin: Option<f32>,
    /// Arguments that are not options.
    pub positional: Vec<String>,
}

impl Common {
    /// Parses `args`; `extra` handles subcommand-specific flags (returns
    /// whether it took the flag).
    pub fn parse(args: &[String], mut extra: impl FnMut(&str) -> bool) -> Result<Common, String> {
        let mut c = Common::default();
        let mut it = args.iter();
        let mut only_positional = false;
        while let Some(arg) = it.next() {
            if only_positional || !arg.starts_with('-') || arg == "-" {
                c.positional.push(arg.clone());
                continue;
            }
            let mut value = |name: &str| {
                it.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match arg.as_str() {
                "--" => only_positional = true,
                "--table" => c.tables.push(value("--table")?.into()),
                "--default" => c.default = true,
                "--json" => c.json = true,
                "--explain" => c.explain = true,
                "--lossy" => c.lossy = true,
                "--exhaustive" => c.exhaustive = Some(true),
                "--indexed" => c.exhaustive = Some(false),
                "--stats" => c.stats = true,
                "--no-endings" => c.no_endings = true,
                "--no-rules" => c.no_rules = true,
                "--unit-costs" => c.unit_costs = true,
                "--threshold" => c.threshold = Some(number(&value("--threshold")?)?),
                "--margin" => c.margin = Some(number(&value("--margin")?)?),
                other if extra(other) => {}
                other => return Err(format!("unknown option `{other}` (see --help)")),
            }
        }
        Ok(c)
    }

    /// Loads the tables and builds the resolver (timed on stderr with
    /// `--stats`).
    pub fn resolver(&self) -> Result<Resolver, String> {
        let started = std::time::Instant::now();
        let mut table = if self.tables.is_empty() || self.default {
            AliasTable::default_table()
        } else {
            AliasTable::new()
        };
        for path in &self.tables {
            let t = AliasTable::load(path).map_err(|e| e.to_string())?;
            table.extend(t).map_err(|e| match e {
                canonym::Error::DuplicateId { id, .. } => format!(
                    "{}: id `{id}` is already defined by an earlier table",
                    path.display()
                ),
                e => e.to_string(),
            })?;
        }
        let loaded = started.elapsed();
        let names: usize = table.entities().iter().map(|e| 1 + e.aliases.len()).sum();
        let mut b = Resolver::builder();
        if let Some(on) = self.exhaustive {
            b = b.exhaustive(on);
        }
        let mut b = b
            .endings(!self.no_endings)
            .romanization_rules(!self.no_rules)
            .fitted_costs(!self.unit_costs);
        if let Some(t) = self.threshold {
            b = b.threshold(t);
        }
        if let Some(m) = self.margin {
            b = b.margin(m);
        }
        let entities = table.len();
        let resolver = b.build(table).map_err(|e| e.to_string())?;
        if self.stats {
            eprintln!(
                "stats: {entities} entities, {names} names; load {:.1} ms, build {:.1} ms",
                loaded.as_secs_f64() * 1e3,
                (started.elapsed() - loaded).as_secs_f64() * 1e3
            );
        }
        Ok(resolver)
    }
}

fn number(s: &str) -> Result<f32, String> {
    s.parse().map_err(|_| format!("`{s}` is not a number"))
}

/// Reads all of stdin as text: an error naming the line and byte offset of
/// the first invalid UTF-8 byte, unless `lossy`.
pub fn read_stdin(lossy: bool) -> Result<String, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("<stdin>: {e}"))?;
    decode(bytes, "<stdin>", lossy)
}

/// Decodes bytes as UTF-8, naming `what` in the error.
pub fn decode(bytes: Vec<u8>, what: &str, lossy: bool) -> Result<String, String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            Err(format!(
                "{what}:{line}: invalid UTF-8 at byte offset {offset} (use --lossy to replace it)"
            ))
        }
    }
}
