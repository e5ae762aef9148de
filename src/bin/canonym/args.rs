//! Options shared by the subcommands, and input reading.

use std::io::Read;
use std::path::PathBuf;

use canonym::{AliasTable, Resolver};
use clap::Args;

/// The table and the resolver's settings, for every subcommand.
#[derive(Args, Debug, Default)]
pub struct Common {
    /// Use this table (.toml, .json or .csv) instead of the embedded
    /// default; repeatable
    #[arg(long = "table", value_name = "PATH")]
    pub tables: Vec<PathBuf>,
    /// Also use the embedded default table (with --table)
    #[arg(long)]
    pub default: bool,
    /// Accept threshold in (0, 1]
    #[arg(long, value_name = "X")]
    pub threshold: Option<f32>,
    /// Ambiguity margin in [0, 0.5]
    #[arg(long, value_name = "X")]
    pub margin: Option<f32>,
    /// Verify every table name, not only the index's candidates
    #[arg(long, conflicts_with = "indexed")]
    pub exhaustive: bool,
    /// Verify only the index's candidates (the default above 20,000 names)
    #[arg(long)]
    pub indexed: bool,
    /// Load and build timing on stderr
    #[arg(long)]
    pub stats: bool,
    /// Ablation: no ending alternations (-owa, -ski)
    #[arg(long, hide_short_help = true)]
    pub no_endings: bool,
    /// Ablation: no romanization rewrite rules
    #[arg(long, hide_short_help = true)]
    pub no_rules: bool,
    /// Ablation: unit edit costs instead of the fitted ones
    #[arg(long, hide_short_help = true)]
    pub unit_costs: bool,
}

impl Common {
    /// Loads the tables and builds the resolver (timed on stderr with
    /// `--stats`), kept until the process exits.
    pub fn resolver(&self) -> Result<&'static Resolver, String> {
        let started = std::time::Instant::now();
        let mut table = if self.tables.is_empty() || self.default {
            AliasTable::default_table()
        } else {
            AliasTable::new()
        };
        for path in &self.tables {
            table.extend_from_file(path).map_err(|e| e.to_string())?;
        }
        let loaded = started.elapsed();
        let resident_loaded = self.stats.then(resident_kib).flatten();
        let names: usize = table.entities().iter().map(|e| 1 + e.aliases.len()).sum();
        let mut b = Resolver::builder();
        if self.exhaustive || self.indexed {
            b = b.exhaustive(self.exhaustive);
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
            if let (Some(before), Some(after)) = (resident_loaded, resident_kib()) {
                eprintln!(
                    "stats: resident {:.1} MiB loaded, {:.1} MiB built ({:.0} bytes per name beyond the table), peak {:.1} MiB",
                    before as f64 / 1024.0,
                    after as f64 / 1024.0,
                    after.saturating_sub(before) as f64 * 1024.0 / names.max(1) as f64,
                    peak_kib().unwrap_or(after) as f64 / 1024.0,
                );
            }
        }
        // One resolver answers until the process exits, which returns its
        // memory at once: freed piece by piece, a million names' took
        // 0.37-0.53 s after the last answer (scale-dev, one query: wall
        // time less load and build), against 0.06-0.08 s left to the
        // operating system.
        Ok(Box::leak(Box::new(resolver)))
    }
}

/// The process's resident memory in KiB (`VmRSS`), where the system tells
/// it (Linux); what `--stats` reports the resolver's size by.
fn resident_kib() -> Option<u64> {
    proc_status_kib("VmRSS:")
}

/// The most memory the process has held resident so far (`VmHWM`).
fn peak_kib() -> Option<u64> {
    proc_status_kib("VmHWM:")
}

fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()
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
    decode_at(bytes, what, 1, 0, lossy)
}

/// [`decode`] of bytes that start at line `first_line`, byte `first_offset`
/// of their input (a line of a stream): the error names the line and byte
/// offset of the first invalid byte in the whole input, unless `lossy`.
pub fn decode_at(
    bytes: Vec<u8>,
    what: &str,
    first_line: usize,
    first_offset: usize,
    lossy: bool,
) -> Result<String, String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let newlines = e.as_bytes()[..valid]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            Err(format!(
                "{what}:{}: invalid UTF-8 at byte offset {} (use --lossy to replace it)",
                first_line + newlines,
                first_offset + valid
            ))
        }
    }
}

/// A failed write to stdout: `None` when the reader went away (`| head`
/// has seen enough), which ends the output quietly, as ripgrep does; else
/// the error to report.
pub fn stdout_error(e: std::io::Error) -> Option<String> {
    (e.kind() != std::io::ErrorKind::BrokenPipe).then(|| format!("<stdout>: {e}"))
}
