//! `canonym resolve`: names in, entities out.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use canonym::{Candidate, Outcome, Resolution};
use serde_json::{json, Value};

use crate::args::{read_stdin, Common};

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
    let stdin_text;
    let inputs: Vec<&str> = if opts.names.is_empty() {
        stdin_text = read_stdin(opts.lossy)?;
        lines(&stdin_text)
    } else {
        opts.names.iter().map(String::as_str).collect()
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    // Resolved in parallel, written in input order.
    let started = std::time::Instant::now();
    let results: Vec<_> = if opts.explain {
        inputs
            .iter()
            .map(|i| resolver.resolve_explained(i))
            .collect()
    } else {
        resolver.resolve_batch(&inputs)
    };
    if opts.common.stats {
        print_timing(&resolver, &inputs, started.elapsed());
    }
    for (input, r) in inputs.iter().zip(&results) {
        let input = *input;
        let written = if opts.json {
            writeln!(out, "{}", to_json(input, r, opts.explain))
        } else {
            writeln!(out, "{}", to_text(input, r, opts.explain))
        };
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(format!("<stdout>: {e}"));
        }
    }
    out.flush().map_err(|e| format!("<stdout>: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// Per-query latency, measured one query at a time on one thread (after the
/// batch, so caches are warm), and the batch's throughput.
fn print_timing(resolver: &canonym::Resolver, inputs: &[&str], wall: std::time::Duration) {
    let mut times: Vec<f64> = inputs
        .iter()
        .map(|q| {
            let t = std::time::Instant::now();
            std::hint::black_box(resolver.resolve(q));
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        times
            .get(((times.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    eprintln!(
        "stats: {} queries; per query on one thread p50 {:.1} us, p99 {:.1} us, max {:.1} us; batch {:.1} ms ({:.0} queries/s)",
        times.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0),
        wall.as_secs_f64() * 1e3,
        times.len() as f64 / wall.as_secs_f64().max(1e-9)
    );
}

/// The lines of stdin: every line, empty ones included, without their line
/// ending; no phantom line after a final newline.
fn lines(text: &str) -> Vec<&str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    body.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

fn candidate_json(c: &Candidate<'_>) -> Value {
    json!({
        "id": c.entity.id,
        "canonical": c.entity.canonical,
        "matched": c.matched,
        "match": c.kind.as_str(),
        "score": round(c.score),
    })
}

fn round(x: f32) -> f64 {
    (f64::from(x) * 10000.0).round() / 10000.0
}

fn to_json(input: &str, r: &Resolution<'_>, explain: bool) -> Value {
    let entity = r.entity();
    let mut v = json!({
        "input": input,
        "status": r.status(),
        "id": entity.map(|e| e.id.as_str()),
        "canonical": entity.map(|e| e.canonical.as_str()),
        "kind": entity.and_then(|e| e.kind.as_deref()),
        "score": round(r.score()),
        "match": r.best.as_ref().filter(|_| entity.is_some()).map(|c| c.kind.as_str()),
        "matched": r.best.as_ref().filter(|_| entity.is_some()).map(|c| c.matched),
    });
    let obj = v.as_object_mut().expect("a JSON object");
    if let Some(ru) = &r.runner_up {
        obj.insert("runner_up".into(), candidate_json(ru));
    }
    if let Some(b) = &r.best {
        obj.insert("best".into(), candidate_json(b));
    }
    if !r.candidates.is_empty() {
        obj.insert(
            "candidates".into(),
            r.candidates.iter().map(candidate_json).collect(),
        );
    }
    if explain {
        if let Some(ex) = &r.explanation {
            obj.insert(
                "explanation".into(),
                json!({
                    "normalized": ex.normalized_query,
                    "parts": ex.parts.iter().map(|p| json!({
                        "query": p.query, "name": p.name, "score": round(p.score),
                        "edits": p.edits.iter().map(|(e, c)| json!([e, round(*c)])).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "notes": ex.notes,
                }),
            );
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
