//! `canonym resolve`: names in, entities out.

use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use canonym::{Outcome, Resolution, Resolver};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::{json, Value};

use crate::args::{decode_at, stdout_error, Common};

/// Resolve names: one answer per name, in order (from stdin, a line each,
/// when no NAME is given)
#[derive(clap::Args, Debug)]
pub struct ResolveArgs {
    #[command(flatten)]
    pub common: Common,
    /// One JSON object per input line
    #[arg(long)]
    pub json: bool,
    /// Say why each fuzzy match scored as it did
    #[arg(long)]
    pub explain: bool,
    /// Decode invalid UTF-8 input lossily instead of failing
    #[arg(long)]
    pub lossy: bool,
    /// Names to resolve
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

pub fn run(opts: &ResolveArgs) -> Result<ExitCode, String> {
    let resolver = opts.common.resolver()?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut run = Run::new(opts);
    let done = if opts.names.is_empty() {
        stream_stdin(resolver, &mut run, &mut out, opts.lossy)?
    } else {
        let names: Vec<&str> = opts.names.iter().map(String::as_str).collect();
        run.answer(resolver, &names, &mut out)?
    };
    run.finish();
    if done == Output::Open {
        if let Some(message) = out.flush().err().and_then(stdout_error) {
            return Err(message);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Most lines resolved together: enough to keep every core busy, few
/// enough that the first answers leave at once and memory stays flat on
/// input of any length.
const CHUNK: usize = 4096;

/// How long work runs before a progress line appears on a terminal: short
/// runs stay silent.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// Whether stdout still takes output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Output {
    Open,
    /// The reader went away (`| head`): stop quietly.
    Closed,
}

/// One run of `resolve`: its settings, the per-query times of `--stats`
/// and the progress line.
struct Run<'o> {
    opts: &'o ResolveArgs,
    started: Instant,
    /// Each answered query's time, measured on the thread that answered
    /// it, when `--stats` asks.
    times: Vec<f64>,
    answered: usize,
    progress: Option<ProgressBar>,
}

impl<'o> Run<'o> {
    fn new(opts: &'o ResolveArgs) -> Run<'o> {
        Run {
            opts,
            started: Instant::now(),
            times: Vec::new(),
            answered: 0,
            progress: None,
        }
    }

    /// Resolves `names` in parallel and writes the answers in input order.
    fn answer(
        &mut self,
        resolver: &Resolver,
        names: &[&str],
        out: &mut impl Write,
    ) -> Result<Output, String> {
        let explain = self.opts.explain;
        let results: Vec<(Resolution<'_>, Duration)> = names
            .par_iter()
            .map(|name| {
                let t = Instant::now();
                let r = if explain {
                    resolver.resolve_explained(name)
                } else {
                    resolver.resolve(name)
                };
                (r, t.elapsed())
            })
            .collect();
        if self.opts.common.stats {
            (self.times).extend(results.iter().map(|(_, t)| t.as_secs_f64() * 1e6));
        }
        for (name, (r, _)) in names.iter().zip(&results) {
            let written = if self.opts.json {
                writeln!(out, "{}", to_json(name, r, explain))
            } else {
                writeln!(out, "{}", to_text(name, r, explain))
            };
            if let Err(e) = written {
                return closed_or_error(e);
            }
        }
        self.answered += names.len();
        self.show_progress();
        Ok(Output::Open)
    }

    /// A progress line on stderr, only when it is a terminal and the run
    /// is long.
    fn show_progress(&mut self) {
        if self.progress.is_none()
            && std::io::stderr().is_terminal()
            && self.started.elapsed() >= PROGRESS_AFTER
        {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} names resolved ({per_sec})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            self.progress = Some(bar);
        }
        if let Some(bar) = &self.progress {
            bar.set_position(self.answered as u64);
        }
    }

    /// Clears the progress line and prints `--stats`.
    fn finish(&mut self) {
        if let Some(bar) = self.progress.take() {
            bar.finish_and_clear();
        }
        if self.opts.common.stats {
            print_timing(&mut self.times, self.started.elapsed());
        }
    }
}

/// A failed write: a closed pipe ends the run quietly, anything else is an
/// error.
fn closed_or_error(e: std::io::Error) -> Result<Output, String> {
    stdout_error(e).map_or(Ok(Output::Closed), Err)
}

/// Resolves stdin a line at a time as it arrives: a reader thread passes
/// lines on, and each round answers every line already there (up to
/// [`CHUNK`]) and flushes, so that answers leave while input still comes
/// (a FIFO held open, a slow producer) and memory does not grow with the
/// input. Every line gets its answer, empty ones included; invalid UTF-8
/// is an error naming the line and byte offset unless `lossy`.
fn stream_stdin(
    resolver: &Resolver,
    run: &mut Run<'_>,
    out: &mut impl Write,
    lossy: bool,
) -> Result<Output, String> {
    let (tx, rx) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(2 * CHUNK);
    std::thread::spawn(move || {
        let mut input = BufReader::new(std::io::stdin().lock());
        loop {
            let mut line = Vec::new();
            match input.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => {
                    if tx.send(Ok(line)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                    break;
                }
            }
        }
    });
    let (mut line_number, mut offset) = (0usize, 0usize);
    while let Ok(first) = rx.recv() {
        let mut raw = vec![first];
        while raw.len() < CHUNK {
            match rx.try_recv() {
                Ok(line) => raw.push(line),
                Err(_) => break,
            }
        }
        let mut names = Vec::with_capacity(raw.len());
        for line in raw {
            let bytes = line.map_err(|e| format!("<stdin>: {e}"))?;
            line_number += 1;
            let length = bytes.len();
            let text = decode_line(bytes, line_number, offset, lossy)?;
            offset += length;
            names.push(text);
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        if run.answer(resolver, &names, out)? == Output::Closed {
            return Ok(Output::Closed);
        }
        if let Err(e) = out.flush() {
            return closed_or_error(e);
        }
    }
    Ok(Output::Open)
}

/// One line of stdin as text, without its line ending.
fn decode_line(
    mut bytes: Vec<u8>,
    line_number: usize,
    offset: usize,
    lossy: bool,
) -> Result<String, String> {
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    decode_at(bytes, "<stdin>", line_number, offset, lossy)
}

/// Per-query latency as measured in this run, each query on the thread
/// that answered it (`RAYON_NUM_THREADS=1` for one thread), and the run's
/// throughput.
fn print_timing(times: &mut [f64], wall: Duration) {
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        times
            .get(((times.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    eprintln!(
        "stats: {} queries; per query p50 {:.1} us, p99 {:.1} us, max {:.1} us; run {:.1} ms ({:.0} queries/s)",
        times.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0),
        wall.as_secs_f64() * 1e3,
        times.len() as f64 / wall.as_secs_f64().max(1e-9)
    );
}

/// The JSON line of one answer: the library's record of the resolution
/// (see `Resolution`'s serialization) and the input it answers. Without
/// `--explain` there is no explanation to write.
fn to_json(input: &str, r: &Resolution<'_>, explain: bool) -> Value {
    let mut v = serde_json::to_value(r).unwrap_or_else(|_| json!({}));
    if let Some(obj) = v.as_object_mut() {
        obj.insert("input".into(), Value::from(input));
        if !explain {
            obj.remove("explanation");
        }
    }
    v
}

fn to_text(input: &str, r: &Resolution<'_>, explain: bool) -> String {
    let mut s = match (r.outcome, &r.best) {
        (Outcome::Resolved, Some(c)) => format!(
            "{input} -> {} ({}, {} {:.2})",
            c.entity.canonical,
            c.entity.id,
            r.status(),
            r.confidence
        ),
        (Outcome::Ambiguous, _) => {
            let list: Vec<String> = r
                .candidates
                .iter()
                .map(|c| format!("{} ({}, {:.2})", c.entity.canonical, c.entity.id, c.score))
                .collect();
            format!("{input} -> ambiguous: {}", list.join(", "))
        }
        (_, Some(c)) => format!(
            "{input} -> unknown (nearest: {}, similarity {:.2})",
            c.entity.canonical, c.score
        ),
        _ => format!("{input} -> unknown"),
    };
    if explain {
        if let Some(ex) = &r.explanation {
            for p in &ex.parts {
                let edits: Vec<String> =
                    p.edits.iter().map(|(e, c)| format!("{e} {c:.2}")).collect();
                s.push_str(&format!(
                    "\n    {:?} ~ {:?} {:.2} [{}]",
                    p.query,
                    p.name,
                    p.score,
                    edits.join(", ")
                ));
            }
            for n in &ex.notes {
                s.push_str(&format!("\n    {n}"));
            }
        }
    }
    s
}
