//! The Python package `canonym` (PyO3): the library's resolver, with the
//! answers as plain Python objects.
//!
//! Everything here is translation: Python arguments to the library's
//! calls, its answers to frozen Python classes, its errors to Python
//! exceptions. No matching logic lives in this crate. The resolver's work
//! runs with the interpreter released (`Python::detach`), so Python threads
//! resolve in parallel and `resolve_batch` uses every core.
#![deny(missing_docs)]

use std::borrow::Cow;
use std::path::PathBuf;

use canonym::{AliasTable, Entity, Error, Format};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyFileNotFoundError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyIterator, PyString, PyTuple, PyType};

create_exception!(
    canonym,
    CanonymError,
    PyException,
    "The base class of canonym's own errors."
);
create_exception!(
    canonym,
    TableError,
    CanonymError,
    "A table that cannot be used: `path` is its file (None for records \
     given in memory) and `line` the line (or record number, from 1) at \
     fault, or None when the error is the whole file's."
);

/// A float for Python from the library's `f32`: its shortest decimal
/// spelling (`0.89`, not `0.8899999856948853`), so that what Python prints
/// is what the CLI prints, with nothing lost.
fn float(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// Any Python `str` as Rust text: lone surrogates, which no UTF-8 string
/// can hold, become U+FFFD (one code point for one, so that character
/// offsets stay right).
fn text<'a>(s: &'a Bound<'_, PyString>) -> Cow<'a, str> {
    match s.to_cow() {
        Ok(s) => s,
        // UTF-16 keeps one unit per lone surrogate, and its lossy decoding
        // one U+FFFD per unit (UTF-8's would give one per byte: three).
        Err(_) => {
            let units = s
                .call_method1("encode", ("utf-16-le", "surrogatepass"))
                .and_then(|b| b.extract::<Vec<u8>>())
                .unwrap_or_default();
            let units: Vec<u16> = units
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            Cow::Owned(String::from_utf16_lossy(&units))
        }
    }
}

/// Python's `repr` of a string (quotes and escapes as Python writes them).
fn repr(py: Python<'_>, s: &str) -> String {
    PyString::new(py, s)
        .repr()
        .map_or_else(|_| format!("{s:?}"), |r| r.to_string())
}

/// Python's `repr` of an optional string.
fn repr_opt(py: Python<'_>, s: Option<&str>) -> String {
    s.map_or_else(|| "None".to_owned(), |s| repr(py, s))
}

/// The library's error as the Python exception a Python user expects:
/// `FileNotFoundError`/`OSError` for files, `ValueError` for settings,
/// [`TableError`] with `path` and `line` for a table's content.
fn to_py_err(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    match &e {
        Error::Io { path, source } => {
            let args = (source.raw_os_error().unwrap_or(0), message, path.clone());
            match source.kind() {
                std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(args),
                _ => PyOSError::new_err(args),
            }
        }
        Error::InvalidConfig { .. } => PyValueError::new_err(message),
        _ => table_error(py, message, e.path().map(PathBuf::from), e.line()),
    }
}

fn table_error(
    py: Python<'_>,
    message: String,
    path: Option<PathBuf>,
    line: Option<usize>,
) -> PyErr {
    let err = TableError::new_err(message);
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail short
    // of memory exhaustion; the message says the same if it did.
    let _ = value.setattr("path", path.map(|p| p.display().to_string()));
    let _ = value.setattr("line", line);
    err
}

/// One entity the resolver weighed for a name.
#[pyclass(module = "canonym", frozen, get_all)]
struct Candidate {
    /// The entity's id.
    id: String,
    /// The entity's canonical name.
    canonical: String,
    /// The entity's kind (`person`, `place`, ...), if the table says.
    kind: Option<String>,
    /// The table name (canonical or alias) that matched.
    matched: String,
    /// How it matched: `exact`, `alias`, `normalized` or `fuzzy`.
    #[pyo3(name = "match")]
    how: &'static str,
    /// The similarity of the name to `matched`, in [0, 1].
    score: f64,
}

#[pymethods]
impl Candidate {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Candidate(id={}, matched={}, match={}, score={})",
            repr(py, &self.id),
            repr(py, &self.matched),
            repr(py, self.how),
            self.score
        )
    }
}

fn candidate(py: Python<'_>, c: &canonym::Candidate<'_>) -> PyResult<Py<Candidate>> {
    Py::new(
        py,
        Candidate {
            id: c.entity.id.clone(),
            canonical: c.entity.canonical.clone(),
            kind: c.entity.kind.clone(),
            matched: c.matched.to_owned(),
            how: c.kind.as_str(),
            score: float(c.score),
        },
    )
}

/// How one part of a name matched a part of the table's name.
#[pyclass(module = "canonym", frozen, get_all)]
struct PartMatch {
    /// The part of the query (normalized).
    query: String,
    /// The part of the table's name it matched.
    name: String,
    /// Their similarity, in [0, 1].
    score: f64,
    /// The edits that turned one into the other, with their costs.
    edits: Vec<(String, f64)>,
}

#[pymethods]
impl PartMatch {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "PartMatch(query={}, name={}, score={})",
            repr(py, &self.query),
            repr(py, &self.name),
            self.score
        )
    }
}

/// Why a fuzzy answer scored as it did (`resolve(name, explain=True)`).
#[pyclass(module = "canonym", frozen, get_all)]
struct Explanation {
    /// The query as the resolver compared it (folded, titles removed).
    normalized: String,
    /// Part by part: what matched what, and the edits.
    parts: Vec<Py<PartMatch>>,
    /// Adjustments applied to the whole, in words.
    notes: Vec<String>,
}

#[pymethods]
impl Explanation {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Explanation(normalized={}, parts={}, notes={})",
            repr(py, &self.normalized),
            self.parts.len(),
            self.notes.len()
        )
    }
}

fn explanation(py: Python<'_>, e: &canonym::Explanation) -> PyResult<Py<Explanation>> {
    let parts = e
        .parts
        .iter()
        .map(|p| {
            let part = PartMatch {
                query: p.query.clone(),
                name: p.name.clone(),
                score: float(p.score),
                edits: p
                    .edits
                    .iter()
                    .map(|(op, c)| (op.clone(), float(*c)))
                    .collect(),
            };
            Py::new(py, part)
        })
        .collect::<PyResult<_>>()?;
    Py::new(
        py,
        Explanation {
            normalized: e.normalized_query.clone(),
            parts,
            notes: e.notes.clone(),
        },
    )
}

/// Which entity a name is, how sure, and why: the answer of
/// `Resolver.resolve`.
///
/// `status` is `exact` or `alias` (the table's own spelling of the
/// canonical name or an alias, accents and case aside), `fuzzy` (a
/// variant spelling), `ambiguous` (several entities within the margin:
/// `candidates`) or `unknown`. `id`, `canonical`, `kind`, `match` and
/// `matched` are those of the resolved entity, None unless resolved.
/// `confidence` (also `score`, as the CLI's JSON calls it) is in [0, 1]:
/// 1 for the table's own names, for fuzzy answers the calibrated
/// probability that the answer is right. `best` is the nearest entity
/// (also when unknown or ambiguous), `runner_up` the next one if it
/// scores within 0.2 of it (a rival further behind changes nothing).
#[pyclass(module = "canonym", frozen, get_all)]
struct Resolution {
    /// The name as given.
    query: String,
    /// `exact`, `alias`, `fuzzy`, `ambiguous` or `unknown`.
    status: &'static str,
    /// The resolved entity's id.
    id: Option<String>,
    /// The resolved entity's canonical name.
    canonical: Option<String>,
    /// The resolved entity's kind.
    kind: Option<String>,
    /// How the name matched the resolved entity.
    #[pyo3(name = "match")]
    how: Option<&'static str>,
    /// Which of the resolved entity's names matched.
    matched: Option<String>,
    /// How sure the answer is, in [0, 1].
    confidence: f64,
    /// The nearest entity, if any was within reach.
    best: Option<Py<Candidate>>,
    /// The best-scoring other entity.
    runner_up: Option<Py<Candidate>>,
    /// When ambiguous, every entity within the margin, best first.
    candidates: Vec<Py<Candidate>>,
    /// Why `best` scored as it did (fuzzy answers with `explain=True`).
    explanation: Option<Py<Explanation>>,
}

#[pymethods]
impl Resolution {
    /// The confidence, under the name the CLI's JSON gives it.
    #[getter]
    fn score(&self) -> f64 {
        self.confidence
    }

    /// Whether the name resolved to one entity.
    #[getter]
    fn resolved(&self) -> bool {
        self.id.is_some()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Resolution(query={}, status={}, id={}, confidence={})",
            repr(py, &self.query),
            repr(py, self.status),
            repr_opt(py, self.id.as_deref()),
            self.confidence
        )
    }
}

fn resolution(py: Python<'_>, query: &str, r: &canonym::Resolution<'_>) -> PyResult<Resolution> {
    let entity = r.entity();
    let resolved = r.best.as_ref().filter(|_| entity.is_some());
    Ok(Resolution {
        query: query.to_owned(),
        status: r.status(),
        id: entity.map(|e| e.id.clone()),
        canonical: entity.map(|e| e.canonical.clone()),
        kind: entity.and_then(|e| e.kind.clone()),
        how: resolved.map(|c| c.kind.as_str()),
        matched: resolved.map(|c| c.matched.to_owned()),
        confidence: float(r.confidence),
        best: r.best.as_ref().map(|c| candidate(py, c)).transpose()?,
        runner_up: r.runner_up.as_ref().map(|c| candidate(py, c)).transpose()?,
        candidates: r
            .candidates
            .iter()
            .map(|c| candidate(py, c))
            .collect::<PyResult<_>>()?,
        explanation: r
            .explanation
            .as_ref()
            .map(|e| explanation(py, e))
            .transpose()?,
    })
}

/// A name found in text.
///
/// `start`/`end` are byte offsets into the text's UTF-8 encoding (what the
/// CLI reports and other tools of the pipeline may use); `char_start`/
/// `char_end` index the Python string, so that
/// `text[m.char_start:m.char_end] == m.surface`. `replacement` is the
/// table's spelling of the same part of the name when the text spells it
/// otherwise (a finding), else None.
#[pyclass(module = "canonym", frozen, get_all)]
struct Mention {
    /// Byte offset of the first byte.
    start: usize,
    /// Byte offset one past the name.
    end: usize,
    /// Character (code point) offset of the first character.
    char_start: usize,
    /// Character offset one past the name.
    char_end: usize,
    /// The text of the name.
    surface: String,
    /// The table's spelling, when the text spells the name otherwise.
    replacement: Option<String>,
    /// Whether the document decided it (an entity named in full
    /// elsewhere in the text).
    by_context: bool,
    /// What the name resolved to.
    resolution: Py<Resolution>,
}

#[pymethods]
impl Mention {
    /// The entity's id (None when ambiguous).
    #[getter]
    fn id(&self) -> Option<String> {
        self.resolution.get().id.clone()
    }

    /// The entity's canonical name (None when ambiguous).
    #[getter]
    fn canonical(&self) -> Option<String> {
        self.resolution.get().canonical.clone()
    }

    /// `finding` for a resolved name, `ambiguous` for a name several
    /// entities share: the status of `canonym check --json`.
    #[getter]
    fn status(&self) -> &'static str {
        if self.resolution.get().status == "ambiguous" {
            "ambiguous"
        } else {
            "finding"
        }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Mention(surface={}, start={}, end={}, replacement={}, id={})",
            repr(py, &self.surface),
            self.start,
            self.end,
            repr_opt(py, self.replacement.as_deref()),
            repr_opt(py, self.resolution.get().id.as_deref())
        )
    }
}

/// The mentions as Python objects, with character offsets counted once
/// along the text (mentions come in text order).
fn mentions(
    py: Python<'_>,
    text: &str,
    found: Vec<canonym::Mention<'_>>,
) -> PyResult<Vec<Mention>> {
    let mut byte = 0;
    let mut chars = 0;
    let mut at = |offset: usize| {
        // Mentions are ordered and apart; a backward step would be a
        // library bug, counted from the start rather than panicking.
        if offset < byte {
            byte = 0;
            chars = 0;
        }
        chars += text[byte..offset].chars().count();
        byte = offset;
        chars
    };
    found
        .into_iter()
        .map(|m| {
            let char_start = at(m.start);
            let char_end = at(m.end);
            Ok(Mention {
                start: m.start,
                end: m.end,
                char_start,
                char_end,
                resolution: Py::new(py, resolution(py, &m.surface, &m.resolution)?)?,
                surface: m.surface,
                replacement: m.replacement,
                by_context: m.by_context,
            })
        })
        .collect()
}

/// The settings a resolver was built with, kept to rebuild it (pickling).
#[derive(Clone, Copy, Debug, Default)]
struct Settings {
    threshold: Option<f32>,
    margin: Option<f32>,
    exhaustive: Option<bool>,
}

impl Settings {
    fn build(self, table: AliasTable) -> Result<canonym::Resolver, Error> {
        let mut b = canonym::Resolver::builder();
        if let Some(t) = self.threshold {
            b = b.threshold(t);
        }
        if let Some(m) = self.margin {
            b = b.margin(m);
        }
        if let Some(e) = self.exhaustive {
            b = b.exhaustive(e);
        }
        b.build(table)
    }
}

/// Resolves names to a table's entities and finds them in text.
///
/// ```python
/// r = canonym.Resolver()                      # the embedded default table
/// r = canonym.Resolver(["newsroom.csv"])      # your tables (.csv, .json, .toml)
/// r = canonym.Resolver(["newsroom.csv"], default=True, threshold=0.9)
/// r.resolve("Aragushi").canonical             # 'Abbas Araghchi'
/// ```
///
/// `default` adds the embedded default table; by default it is used only
/// when no table is given (as the CLI does). `threshold` (0, 1] is the
/// confidence an answer needs, `margin` [0, 0.5] how far ahead of the
/// runner-up it must be; `exhaustive` forces (True) or forbids (False)
/// comparing every table name instead of the index's candidates (default:
/// the index above 20,000 names).
///
/// A resolver is immutable and safe to share between threads; it pickles
/// as its table and settings, so that Spark or multiprocessing can ship it
/// to workers (which rebuild it).
#[pyclass(module = "canonym", frozen)]
struct Resolver {
    inner: canonym::Resolver,
    settings: Settings,
}

#[pymethods]
impl Resolver {
    #[new]
    #[pyo3(signature = (tables = None, *, default = None, threshold = None, margin = None, exhaustive = None))]
    fn new(
        py: Python<'_>,
        tables: Option<&Bound<'_, PyAny>>,
        default: Option<bool>,
        threshold: Option<f32>,
        margin: Option<f32>,
        exhaustive: Option<bool>,
    ) -> PyResult<Resolver> {
        let paths: Vec<PathBuf> = match tables {
            None => Vec::new(),
            // One path alone is a list of one (a str is also iterable:
            // it must not be read as paths of one character).
            Some(t) => match t.extract::<PathBuf>() {
                Ok(path) => vec![path],
                Err(_) => t.extract().map_err(|_| {
                    PyTypeError::new_err("tables: a path or a list of paths (str or os.PathLike)")
                })?,
            },
        };
        let settings = Settings {
            threshold,
            margin,
            exhaustive,
        };
        let with_default = default.unwrap_or(paths.is_empty());
        let built = py.detach(|| -> Result<canonym::Resolver, Error> {
            let mut table = if with_default {
                AliasTable::default_table()
            } else {
                AliasTable::new()
            };
            for path in &paths {
                table.extend_from_file(path)?;
            }
            settings.build(table)
        });
        let inner = built.map_err(|e| to_py_err(py, e))?;
        Ok(Resolver { inner, settings })
    }

    /// A resolver of entities given as records: mappings with `id`,
    /// `canonical`, and optionally `kind` (str) and `aliases` (a list of
    /// str). `default=True` adds the embedded default table. A bad record
    /// raises TableError with `line` = its number (from 1).
    ///
    /// ```python
    /// r = canonym.Resolver.from_records(
    ///     [{"id": "kyiv", "canonical": "Kyiv", "kind": "place", "aliases": ["Kiev"]}]
    /// )
    /// ```
    #[classmethod]
    #[pyo3(signature = (records, *, default = false, threshold = None, margin = None, exhaustive = None))]
    fn from_records(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        default: bool,
        threshold: Option<f32>,
        margin: Option<f32>,
        exhaustive: Option<bool>,
    ) -> PyResult<Resolver> {
        let mut table = if default {
            AliasTable::default_table()
        } else {
            AliasTable::new()
        };
        for (i, record) in PyIterator::from_object(records)?.enumerate() {
            let number = i + 1;
            let entity = entity(&record?, number)?;
            table.push(entity).map_err(|e| {
                let message = match &e {
                    Error::EmptyName { field, .. } => format!("empty {field}"),
                    Error::DuplicateId { id, .. } => format!("duplicate id `{id}`"),
                    other => other.to_string(),
                };
                table_error(
                    py,
                    format!("record {number}: {message}"),
                    None,
                    Some(number),
                )
            })?;
        }
        let settings = Settings {
            threshold,
            margin,
            exhaustive,
        };
        let inner = py
            .detach(|| settings.build(table))
            .map_err(|e| to_py_err(py, e))?;
        Ok(Resolver { inner, settings })
    }

    /// Which entity `name` is: a Resolution. Any str is valid input.
    /// `explain=True` adds, for fuzzy answers, which parts matched which
    /// and what each edit cost.
    #[pyo3(signature = (name, *, explain = false))]
    fn resolve(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyString>,
        explain: bool,
    ) -> PyResult<Resolution> {
        let name = text(name);
        let inner = &self.inner;
        let r = py.detach(|| {
            if explain {
                inner.resolve_explained(&name)
            } else {
                inner.resolve(&name)
            }
        });
        resolution(py, &name, &r)
    }

    /// `resolve` of every name, in order, on all cores with the GIL
    /// released: a list of Resolution.
    fn resolve_batch(&self, py: Python<'_>, names: &Bound<'_, PyAny>) -> PyResult<Vec<Resolution>> {
        // A str is iterable too: its characters are not names.
        if names.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "names: expected an iterable of str, got one str",
            ));
        }
        let mut owned: Vec<String> = Vec::new();
        for (i, name) in PyIterator::from_object(names)?.enumerate() {
            let name = name?;
            let s = name.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "names[{i}]: expected str, got {}",
                    name.get_type().name().map_or("?".into(), |n| n.to_string())
                ))
            })?;
            owned.push(text(s).into_owned());
        }
        let inner = &self.inner;
        let found = py.detach(|| inner.resolve_batch(&owned));
        owned
            .iter()
            .zip(&found)
            .map(|(name, r)| resolution(py, name, r))
            .collect()
    }

    /// Every name of the table's entities in `text`, in text order: a list
    /// of Mention.
    fn scan(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<Vec<Mention>> {
        self.mentions_by(py, text, |r, s| r.scan(s).collect())
    }

    /// The mentions of `text` spelled otherwise than the table spells
    /// them (each with its `replacement`).
    fn findings(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<Vec<Mention>> {
        self.mentions_by(py, text, |r, s| r.findings(s).collect())
    }

    /// What `canonym check` reports for `text`: the findings, and
    /// ambiguous names spelled unlike every candidate.
    fn check(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<Vec<Mention>> {
        self.mentions_by(py, text, |r, s| r.reports(s).collect())
    }

    /// `text` with every finding replaced by the table's spelling; every
    /// other character unchanged.
    ///
    /// A text with nothing to fix comes back as it was given, lone
    /// surrogates included; elsewhere they come back as U+FFFD.
    fn fix<'py>(&self, py: Python<'py>, text: &Bound<'py, PyString>) -> Bound<'py, PyString> {
        let s = self::text(text);
        let inner = &self.inner;
        let fixed = py.detach(|| inner.fix(&s));
        if fixed == *s {
            text.clone()
        } else {
            PyString::new(py, &fixed)
        }
    }

    /// The confidence an answer needs.
    #[getter]
    fn threshold(&self) -> f64 {
        float(self.inner.threshold())
    }

    /// How far ahead of the runner-up an answer must be.
    #[getter]
    fn margin(&self) -> f64 {
        float(self.inner.margin())
    }

    /// The number of entities in the table.
    fn __len__(&self) -> usize {
        self.inner.table().len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Resolver(entities={}, threshold={}, margin={})",
            self.inner.table().len(),
            self.threshold(),
            self.margin()
        )
    }

    /// Pickles as the table (JSON) and the settings.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let this = slf.get();
        let table = (this.inner.table())
            .to_string(Format::Json)
            .map_err(|e| to_py_err(py, e))?;
        let s = this.settings;
        let restore = slf.get_type().getattr("_from_pickle")?;
        let args = (table, s.threshold, s.margin, s.exhaustive).into_pyobject(py)?;
        Ok((restore, args))
    }

    /// The inverse of `__reduce__` (not for direct use).
    #[staticmethod]
    #[pyo3(signature = (table, threshold, margin, exhaustive))]
    fn _from_pickle(
        py: Python<'_>,
        table: &str,
        threshold: Option<f32>,
        margin: Option<f32>,
        exhaustive: Option<bool>,
    ) -> PyResult<Resolver> {
        let settings = Settings {
            threshold,
            margin,
            exhaustive,
        };
        let inner = py
            .detach(|| AliasTable::parse(table, Format::Json).and_then(|t| settings.build(t)))
            .map_err(|e| to_py_err(py, e))?;
        Ok(Resolver { inner, settings })
    }
}

impl Resolver {
    /// The mentions `find` gives for `text`, found with the GIL released,
    /// as Python objects: the body of `scan`, `findings` and `check`.
    fn mentions_by<'r>(
        &'r self,
        py: Python<'_>,
        text: &Bound<'_, PyString>,
        find: impl FnOnce(&'r canonym::Resolver, &str) -> Vec<canonym::Mention<'r>> + Send,
    ) -> PyResult<Vec<Mention>> {
        let s = self::text(text);
        let inner = &self.inner;
        let found = py.detach(|| find(inner, &s));
        mentions(py, &s, found)
    }
}

/// One record of `from_records` as an entity.
fn entity(record: &Bound<'_, PyAny>, number: usize) -> PyResult<Entity> {
    let field = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        match record.get_item(key) {
            Ok(v) if v.is_none() => Ok(None),
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(record.py()) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let wrong = |key: &str, what: &str| {
        PyTypeError::new_err(format!("record {number}: `{key}` must be {what}"))
    };
    let string = |key: &str| -> PyResult<Option<String>> {
        field(key)?
            .map(|v| v.extract::<String>().map_err(|_| wrong(key, "a str")))
            .transpose()
    };
    let required = |key: &str| -> PyResult<String> {
        string(key)?.ok_or_else(|| {
            table_error(
                record.py(),
                format!("record {number}: missing `{key}`"),
                None,
                Some(number),
            )
        })
    };
    let mut e = Entity::new(required("id")?, required("canonical")?);
    if let Some(kind) = string("kind")? {
        e = e.kind(kind);
    }
    if let Some(aliases) = field("aliases")? {
        if aliases.is_instance_of::<PyString>() {
            return Err(wrong("aliases", "a list of str"));
        }
        let aliases: Vec<String> = aliases
            .extract()
            .map_err(|_| wrong("aliases", "a list of str"))?;
        for alias in aliases {
            e = e.alias(alias);
        }
    }
    Ok(e)
}

/// The compiled part of the `canonym` package.
#[pymodule]
fn _canonym(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Resolver>()?;
    m.add_class::<Resolution>()?;
    m.add_class::<Candidate>()?;
    m.add_class::<Explanation>()?;
    m.add_class::<PartMatch>()?;
    m.add_class::<Mention>()?;
    m.add("CanonymError", py.get_type::<CanonymError>())?;
    m.add("TableError", py.get_type::<TableError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
