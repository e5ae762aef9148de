//! [`AliasTable`]: entities, their canonical names and aliases, and the TOML,
//! JSON and CSV formats they are kept in.

use foldhash::{HashMap, HashMapExt};
use std::path::{Path, PathBuf};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::normalize::fold;

/// The embedded default table (see `data/default.csv`).
const DEFAULT_TABLE: &str = include_str!("../data/default.csv");

/// One entity: a stable id, the canonical spelling of its name, an optional
/// kind and any number of aliases.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Entity {
    /// Stable identifier, unique in a table.
    pub id: String,
    /// The spelling that fixes and reports point to.
    pub canonical: String,
    /// What the entity is (`person`, `organization`, `place`, ...); free text.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub kind: Option<String>,
    /// Other spellings of the name, each resolving to this entity.
    #[cfg_attr(feature = "serde", serde(default))]
    pub aliases: Vec<String>,
}

impl Entity {
    /// An entity with no kind and no aliases.
    ///
    /// ```
    /// let e = canonym::Entity::new("kyiv", "Kyiv").kind("place").alias("Kiev");
    /// assert_eq!(e.aliases, ["Kiev"]);
    /// ```
    pub fn new(id: impl Into<String>, canonical: impl Into<String>) -> Entity {
        Entity {
            id: id.into(),
            canonical: canonical.into(),
            kind: None,
            aliases: Vec::new(),
        }
    }

    /// Sets the kind. People (`person`, or no kind) may be named by their
    /// family name alone; other kinds only by a whole name.
    ///
    /// ```
    /// use canonym::Entity;
    /// let e = Entity::new("kyiv", "Kyiv").kind("place").alias("Kiev").alias("Kyjiw");
    /// assert_eq!(e.kind.as_deref(), Some("place"));
    /// assert_eq!(e.names().collect::<Vec<_>>(), ["Kyiv", "Kiev", "Kyjiw"]);
    /// ```
    pub fn kind(mut self, kind: impl Into<String>) -> Entity {
        self.kind = Some(kind.into());
        self
    }

    /// Adds an alias.
    pub fn alias(mut self, alias: impl Into<String>) -> Entity {
        self.aliases.push(alias.into());
        self
    }

    /// Whether the entity may be named by its family name alone: people,
    /// and entities of no stated kind. Places and organizations are named
    /// by all of their name.
    pub(crate) fn is_personal(&self) -> bool {
        (self.kind.as_deref()).is_none_or(|k| k.eq_ignore_ascii_case("person"))
    }

    /// The canonical name followed by the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.canonical.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// The file formats a table can be kept in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// `[[entity]]` tables with `id`, `canonical`, optional `kind` and `aliases`.
    Toml,
    /// A top-level array of objects with the same fields as TOML.
    Json,
    /// Header `id,canonical` with optional `aliases` (`|`-separated) and
    /// `kind` columns; RFC 4180 quoting, UTF-8 BOM and CRLF accepted.
    Csv,
}

impl Format {
    /// The format named by a file's extension (`.toml`, `.json`, `.csv`,
    /// any case).
    ///
    /// # Errors
    /// [`Error::UnknownFormat`] for any other extension.
    ///
    /// ```
    /// use canonym::Format;
    /// use std::path::Path;
    ///
    /// assert_eq!(Format::from_path(Path::new("names.CSV"))?, Format::Csv);
    /// assert!(Format::from_path(Path::new("names.xlsx")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<Format, Error> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("toml") => Ok(Format::Toml),
            Some("json") => Ok(Format::Json),
            Some("csv") => Ok(Format::Csv),
            _ => Err(Error::UnknownFormat {
                path: path.to_owned(),
            }),
        }
    }
}

/// A name that two or more entities claim (after folding), listed by
/// [`AliasTable::conflicts`]. `resolve` answers such a name as ambiguous.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Conflict {
    /// The folded name.
    pub name: String,
    /// The ids of the entities that claim it, in table order.
    pub ids: Vec<String>,
}

/// Entities and their names: the data a [`Resolver`](crate::Resolver) is
/// built from.
///
/// ```
/// use canonym::{AliasTable, Entity, Format};
/// let mut table = AliasTable::new();
/// table.push(Entity::new("kyiv", "Kyiv").kind("place").alias("Kiev"))?;
/// let csv = table.to_string(Format::Csv)?;
/// assert_eq!(AliasTable::parse(&csv, Format::Csv)?, table);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AliasTable {
    entities: Vec<Entity>,
    /// id -> index in `entities`.
    by_id: HashMap<String, usize>,
}

#[cfg(feature = "toml")]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    entity: Vec<TomlEntity>,
}

#[cfg(feature = "toml")]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlEntity {
    id: toml::Spanned<String>,
    canonical: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[cfg(feature = "toml")]
#[derive(Serialize)]
struct TomlFileOut<'a> {
    entity: &'a [Entity],
}

const MEMORY: &str = "<memory>";

/// An empty table, as [`AliasTable::new`]. (Not the embedded default table:
/// that is [`AliasTable::default_table`], whose name says "default" in the
/// newsroom sense; `Default` keeps the standard library's meaning.)
///
/// ```
/// use canonym::AliasTable;
/// assert!(AliasTable::default().is_empty());
/// assert!(!AliasTable::default_table().is_empty());
/// ```
impl Default for AliasTable {
    fn default() -> AliasTable {
        AliasTable {
            entities: Vec::new(),
            by_id: HashMap::new(),
        }
    }
}

impl AliasTable {
    /// An empty table.
    pub fn new() -> AliasTable {
        AliasTable::default()
    }

    /// The embedded default table: the names of the seed article and a few
    /// hundred widely reported names whose spelling varies in the press
    /// (`data/default.csv`). Not [`AliasTable::default`], which is empty.
    ///
    /// Its house style (`data/README.md`): English wire usage, no
    /// diacritics in canonical names (`Recep Tayyip Erdogan`, `Krakow`), the
    /// English exonym where the wires use one (`Turkey`), the romanization
    /// they adopted (`Kyiv`). Other spellings are aliases, so `check`
    /// reports `Erdoğan`, `Türkiye` and `Kiev` as style findings (class
    /// `style`, match `alias`), which an editor tells from variant findings
    /// (class `variant`, match `fuzzy`). A newsroom with another style loads
    /// its own table.
    pub fn default_table() -> AliasTable {
        AliasTable::parse_named(DEFAULT_TABLE, Format::Csv, Path::new("data/default.csv"))
            .expect("the embedded default table is valid (checked by a unit test)")
    }

    /// Adds an entity.
    ///
    /// # Errors
    /// [`Error::EmptyName`] when the id, canonical name or an alias has no
    /// letter or digit; [`Error::DuplicateId`] when the id is taken. Errors
    /// from this method carry the path `<memory>` and line 0.
    ///
    /// ```
    /// use canonym::{AliasTable, Entity, Error};
    ///
    /// let mut table = AliasTable::new();
    /// table.push(Entity::new("kyiv", "Kyiv").kind("place").alias("Kiev"))?;
    /// assert_eq!(table.get("kyiv").unwrap().aliases, ["Kiev"]);
    /// let again = table.push(Entity::new("kyiv", "Kyjiw"));
    /// assert!(matches!(again, Err(Error::DuplicateId { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn push(&mut self, entity: Entity) -> Result<(), Error> {
        self.push_at(entity, Path::new(MEMORY), 0, &mut Vec::new())
    }

    fn push_at(
        &mut self,
        entity: Entity,
        path: &Path,
        line: usize,
        lines: &mut Vec<usize>,
    ) -> Result<(), Error> {
        let empty = |field| Error::EmptyName {
            path: path.to_owned(),
            line,
            field,
        };
        if entity.id.trim().is_empty() {
            return Err(empty("id"));
        }
        if fold(&entity.canonical).is_empty() {
            return Err(empty("canonical"));
        }
        if entity.aliases.iter().any(|a| fold(a).is_empty()) {
            return Err(empty("alias"));
        }
        if let Some(&first) = self.by_id.get(&entity.id) {
            return Err(Error::DuplicateId {
                path: path.to_owned(),
                line,
                id: entity.id.clone(),
                first_line: lines.get(first).copied().unwrap_or(0),
            });
        }
        lines.push(line);
        self.by_id.insert(entity.id.clone(), self.entities.len());
        self.entities.push(entity);
        Ok(())
    }

    /// Adds every entity of `other`.
    ///
    /// # Errors
    /// [`Error::DuplicateId`] on the first id both tables hold; the entities
    /// before it are added.
    ///
    /// ```
    /// use canonym::{AliasTable, Entity};
    ///
    /// // The embedded table and a newsroom's own entities in one.
    /// let mut table = AliasTable::default_table();
    /// let mut ours = AliasTable::new();
    /// ours.push(Entity::new("our-mayor", "Jane Doe-Smith").kind("person"))?;
    /// table.extend(ours)?;
    /// assert!(table.get("our-mayor").is_some() && table.get("kyiv").is_some());
    /// assert_eq!(table.entities().last().unwrap().id, "our-mayor");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn extend(&mut self, other: AliasTable) -> Result<(), Error> {
        if self.entities.is_empty() {
            // Nothing to clash with: the other table as it is (a table
            // loaded from a file is checked already; at a million aliases
            // checking it again was a tenth of loading it).
            *self = other;
            return Ok(());
        }
        for e in other.entities {
            self.push(e)?;
        }
        Ok(())
    }

    /// Loads the table at `path` ([`AliasTable::load`]) and adds its
    /// entities ([`AliasTable::extend`]): tables given one after another,
    /// as the CLI's `--table` options are.
    ///
    /// # Errors
    /// Those of [`AliasTable::load`]; [`Error::IdTaken`], naming `path`,
    /// when the file defines an id this table already holds.
    ///
    /// ```
    /// use canonym::{AliasTable, Error};
    ///
    /// let dir = std::env::temp_dir().join(format!("canonym-extend-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("ours.csv");
    /// std::fs::write(&path, "id,canonical\nour-mayor,Jane Doe-Smith\nkyiv,Kyiv\n")?;
    /// let mut table = AliasTable::default_table();
    /// let err = table.extend_from_file(&path).unwrap_err();
    /// assert!(matches!(&err, Error::IdTaken { id, .. } if id == "kyiv"));
    /// assert_eq!(err.path(), Some(path.as_path()));
    /// assert_eq!(err.line(), None);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn extend_from_file(&mut self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        self.extend(AliasTable::load(path)?).map_err(|e| match e {
            Error::DuplicateId { id, .. } => Error::IdTaken {
                path: path.to_owned(),
                id,
            },
            e => e,
        })
    }

    /// The entities, in the order they were added.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The entity with this id.
    ///
    /// ```
    /// use canonym::AliasTable;
    ///
    /// let table = AliasTable::default_table();
    /// assert_eq!(table.get("kyiv").unwrap().canonical, "Kyiv");
    /// assert!(table.get("nobody").is_none());
    /// assert_eq!(table.len(), table.entities().len());
    /// assert!(!table.is_empty() && AliasTable::new().is_empty());
    /// ```
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.entities[i])
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether the table has no entity.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Names (folded) that more than one entity claims, in table order.
    ///
    /// ```
    /// use canonym::{AliasTable, Entity};
    /// let mut t = AliasTable::new();
    /// t.push(Entity::new("a", "Georgia").kind("country"))?;
    /// t.push(Entity::new("b", "Georgia").kind("us-state"))?;
    /// assert_eq!(t.conflicts()[0].ids, ["a", "b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut owners: HashMap<String, Vec<usize>> = HashMap::new();
        let mut order = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            for name in e.names() {
                let key = fold(name);
                let ids = owners.entry(key.clone()).or_insert_with(|| {
                    order.push(key);
                    Vec::new()
                });
                if ids.last() != Some(&i) {
                    ids.push(i);
                }
            }
        }
        order
            .into_iter()
            .filter_map(|name| {
                let ids = &owners[&name];
                (ids.len() > 1).then(|| Conflict {
                    ids: ids.iter().map(|&i| self.entities[i].id.clone()).collect(),
                    name,
                })
            })
            .collect()
    }

    /// Loads a table, its format told by the file's extension.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::UnknownFormat`],
    /// [`Error::InvalidUtf8`], and every error of [`AliasTable::parse`], all
    /// naming `path`.
    ///
    /// ```
    /// use canonym::AliasTable;
    ///
    /// let path = std::env::temp_dir().join("canonym-doc-load.csv");
    /// std::fs::write(&path, "id,canonical\nkyiv,Kyiv\n,Nameless\n")?;
    /// // A bad record is an error naming the file and the line.
    /// let err = AliasTable::load(&path).unwrap_err();
    /// assert_eq!(err.line(), Some(3));
    /// assert!(err.to_string().contains("canonym-doc-load.csv:3"));
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<AliasTable, Error> {
        let path = path.as_ref();
        let format = Format::from_path(path)?;
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let text = utf8(&bytes, path)?;
        AliasTable::parse_named(text, format, path)
    }

    /// Parses a table from text.
    ///
    /// # Errors
    /// [`Error::Parse`] for malformed text, wrong types and unknown fields;
    /// [`Error::MissingColumn`], [`Error::EmptyName`] and
    /// [`Error::DuplicateId`]; each with its line. The path is `<memory>`.
    ///
    /// ```
    /// use canonym::{AliasTable, Format};
    ///
    /// let table = AliasTable::parse("id,canonical,aliases\nkyiv,Kyiv,Kiev|Kyjiw\n", Format::Csv)?;
    /// assert_eq!(table.len(), 1);
    /// assert_eq!(table.get("kyiv").unwrap().aliases, ["Kiev", "Kyjiw"]);
    /// let err = AliasTable::parse("id,canonical\nkyiv,Kyiv\nkyiv,Kiev\n", Format::Csv).unwrap_err();
    /// assert_eq!(err.line(), Some(3));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(text: &str, format: Format) -> Result<AliasTable, Error> {
        AliasTable::parse_named(text, format, Path::new(MEMORY))
    }

    /// [`AliasTable::parse`], naming `path` in errors.
    pub fn parse_named(text: &str, format: Format, path: &Path) -> Result<AliasTable, Error> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        match format {
            Format::Toml => parse_toml(text, path),
            Format::Json => parse_json(text, path),
            Format::Csv => parse_csv(text, path),
        }
    }

    /// Writes the table as text in `format`. Parsing the text gives an equal
    /// table.
    ///
    /// # Errors
    /// [`Error::Parse`] (line 0) when the table cannot be written in `format`:
    /// a CSV alias containing `|`, which the CSV format uses as separator.
    ///
    /// ```
    /// use canonym::{AliasTable, Entity, Format};
    ///
    /// let mut table = AliasTable::new();
    /// table.push(Entity::new("kyiv", "Kyiv").alias("Kiev"))?;
    /// assert_eq!(table.to_string(Format::Csv)?, "id,canonical,kind,aliases\nkyiv,Kyiv,,Kiev\n");
    /// table.push(Entity::new("x", "X").alias("a|b"))?;
    /// assert!(table.to_string(Format::Csv).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_string(&self, format: Format) -> Result<String, Error> {
        let unrepresentable = |message: String| Error::Parse {
            path: PathBuf::from(MEMORY),
            line: 0,
            message,
        };
        match format {
            #[cfg(feature = "toml")]
            Format::Toml => toml::to_string(&TomlFileOut {
                entity: &self.entities,
            })
            .map_err(|e| unrepresentable(e.to_string())),
            #[cfg(not(feature = "toml"))]
            Format::Toml => Err(feature_missing(Path::new(MEMORY), NO_TOML)),
            #[cfg(feature = "json")]
            Format::Json => {
                // One entity per line, like the evaluation data.
                let mut out = String::from("[\n");
                for (i, e) in self.entities.iter().enumerate() {
                    let line =
                        serde_json::to_string(e).map_err(|e| unrepresentable(e.to_string()))?;
                    out.push_str(&line);
                    out.push_str(if i + 1 < self.entities.len() {
                        ",\n"
                    } else {
                        "\n"
                    });
                }
                out.push_str("]\n");
                Ok(out)
            }
            #[cfg(not(feature = "json"))]
            Format::Json => Err(feature_missing(Path::new(MEMORY), NO_JSON)),
            Format::Csv => {
                let mut out = String::new();
                crate::csv::write_record(&mut out, &["id", "canonical", "kind", "aliases"]);
                for e in &self.entities {
                    if let Some(a) = e.aliases.iter().find(|a| a.contains('|')) {
                        return Err(unrepresentable(format!(
                            "alias {a:?} of `{}` contains `|`, the CSV alias separator",
                            e.id
                        )));
                    }
                    let aliases = e.aliases.join("|");
                    crate::csv::write_record(
                        &mut out,
                        &[
                            &e.id,
                            &e.canonical,
                            e.kind.as_deref().unwrap_or(""),
                            &aliases,
                        ],
                    );
                }
                Ok(out)
            }
        }
    }

    /// Saves the table, its format told by the file's extension.
    ///
    /// # Errors
    /// [`Error::UnknownFormat`], [`Error::Io`], and those of
    /// [`AliasTable::to_string`].
    ///
    /// ```
    /// use canonym::{AliasTable, Entity};
    ///
    /// let mut table = AliasTable::new();
    /// table.push(Entity::new("kyiv", "Kyiv").alias("Kiev"))?;
    /// let path = std::env::temp_dir().join("canonym-doc-save.json");
    /// table.save(&path)?;
    /// assert_eq!(AliasTable::load(&path)?, table);
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        let text = self.to_string(Format::from_path(path)?)?;
        std::fs::write(path, text).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })
    }
}

/// Validates UTF-8, naming the line and offset of the first bad byte.
pub(crate) fn utf8<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        Error::InvalidUtf8 {
            path: path.to_owned(),
            line: line_of(bytes, offset),
            offset,
        }
    })
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &[u8], offset: usize) -> usize {
    1 + text[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Line numbers of many offsets in one text: the newlines are found once,
/// and each offset costs a binary search (counting newlines per entity
/// kept a million-row JSON table from loading in twelve minutes). Used by
/// the JSON and TOML parsers.
#[cfg(any(feature = "json", feature = "toml"))]
struct LineIndex(Vec<usize>);

#[cfg(any(feature = "json", feature = "toml"))]
impl LineIndex {
    fn new(text: &str) -> LineIndex {
        LineIndex(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// 1-based line of a byte offset, as [`line_of`].
    fn line(&self, offset: usize) -> usize {
        1 + self.0.partition_point(|&newline| newline < offset)
    }
}

/// Why TOML tables fail in a build without the `toml` feature.
#[cfg(not(feature = "toml"))]
const NO_TOML: &str = "TOML tables need canonym's `toml` feature (on by default)";

#[cfg(not(feature = "toml"))]
fn parse_toml(_text: &str, path: &Path) -> Result<AliasTable, Error> {
    Err(feature_missing(path, NO_TOML))
}

/// The error of a format whose feature this build lacks (`why`): on no
/// line of the input, since the text was never read.
#[cfg(any(not(feature = "toml"), not(feature = "json")))]
fn feature_missing(path: &Path, why: &str) -> Error {
    Error::Parse {
        path: path.to_owned(),
        line: 0,
        message: why.to_owned(),
    }
}

#[cfg(feature = "toml")]
fn parse_toml(text: &str, path: &Path) -> Result<AliasTable, Error> {
    let file: TomlFile = toml::from_str(text).map_err(|e| Error::Parse {
        path: path.to_owned(),
        line: e.span().map_or(0, |s| line_of(text.as_bytes(), s.start)),
        message: e.message().to_owned(),
    })?;
    let mut table = AliasTable::new();
    // The line of each entity, by its index: a duplicate id names both.
    let mut lines = Vec::new();
    let index = LineIndex::new(text);
    for raw in file.entity {
        let line = index.line(raw.id.span().start);
        let entity = Entity {
            id: raw.id.into_inner(),
            canonical: raw.canonical,
            kind: raw.kind,
            aliases: raw.aliases,
        };
        table.push_at(entity, path, line, &mut lines)?;
    }
    Ok(table)
}

/// Why JSON tables fail in a build without the `json` feature.
#[cfg(not(feature = "json"))]
const NO_JSON: &str = "JSON tables need canonym's `json` feature (on by default)";

#[cfg(not(feature = "json"))]
fn parse_json(_text: &str, path: &Path) -> Result<AliasTable, Error> {
    Err(feature_missing(path, NO_JSON))
}

#[cfg(feature = "json")]
fn parse_json(text: &str, path: &Path) -> Result<AliasTable, Error> {
    let entities: Vec<Entity> = serde_json::from_str(text).map_err(|e| Error::Parse {
        path: path.to_owned(),
        line: e.line(),
        message: strip_json_position(&e.to_string()),
    })?;
    let starts = json_array_element_offsets(text);
    let mut table = AliasTable::new();
    // The line of each entity, by its index: a duplicate id names both.
    let mut lines = Vec::new();
    let index = LineIndex::new(text);
    for (i, entity) in entities.into_iter().enumerate() {
        let line = starts.get(i).map_or(0, |&o| index.line(o));
        table.push_at(entity, path, line, &mut lines)?;
    }
    Ok(table)
}

/// serde_json appends " at line L column C"; the error names the line itself.
#[cfg(feature = "json")]
fn strip_json_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Byte offsets of the elements of a top-level JSON array, for naming the
/// line of an entity in errors found after parsing (serde_json gives no spans).
/// Only called on text serde_json has accepted.
#[cfg(feature = "json")]
fn json_array_element_offsets(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut offsets = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut expecting_element = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if expecting_element && !b.is_ascii_whitespace() && b != b']' {
            offsets.push(i);
            expecting_element = false;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                expecting_element = depth == 1 && b == b'[';
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting_element = true,
            _ => {}
        }
    }
    offsets
}

fn parse_csv(text: &str, path: &Path) -> Result<AliasTable, Error> {
    let parse_error = |line: usize, message: String| Error::Parse {
        path: path.to_owned(),
        line,
        message,
    };
    let records = crate::csv::parse(text).map_err(|e| parse_error(e.line, e.message))?;
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return Err(Error::MissingColumn {
            path: path.to_owned(),
            line: 1,
            column: "id".into(),
        });
    };
    let header_line = header.line;
    let mut columns = [None::<usize>; 4]; // id, canonical, kind, aliases
    for (i, name) in header.fields.iter().enumerate() {
        let slot = match name.trim() {
            "id" => 0,
            "canonical" => 1,
            "kind" => 2,
            "aliases" => 3,
            other => {
                return Err(parse_error(
                    header_line,
                    format!("unknown column `{other}` (expected id, canonical, kind, aliases)"),
                ))
            }
        };
        if columns[slot].replace(i).is_some() {
            return Err(parse_error(header_line, format!("column `{name}` twice")));
        }
    }
    let [Some(id_col), Some(canonical_col), kind_col, aliases_col] = columns else {
        let column = if columns[0].is_none() {
            "id"
        } else {
            "canonical"
        };
        return Err(Error::MissingColumn {
            path: path.to_owned(),
            line: header_line,
            column: column.into(),
        });
    };
    let width = header.fields.len();
    let mut table = AliasTable::new();
    // The line of each entity, by its index: a duplicate id names both.
    let mut lines = Vec::new();
    for record in records {
        let line = record.line;
        if record.fields.len() != width {
            return Err(parse_error(
                line,
                format!("{} fields, but the header has {width}", record.fields.len()),
            ));
        }
        let field = |i: usize| record.fields[i].clone();
        let aliases = match aliases_col.map(field) {
            Some(a) if !a.is_empty() => a.split('|').map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        let kind = kind_col.map(field).filter(|k| !k.is_empty());
        let entity = Entity {
            id: field(id_col),
            canonical: field(canonical_col),
            kind,
            aliases,
        };
        table.push_at(entity, path, line, &mut lines)?;
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_loads() {
        let t = AliasTable::default_table();
        assert!(t.len() >= 200, "{} entities", t.len());
        assert!(t.get("abbas-araghchi").is_some());
    }

    #[test]
    fn csv_quoting_bom_crlf() {
        let text = "\u{FEFF}id,canonical,aliases\r\n\"x\",\"Smith, \"\"Jo\"\"\nJr\",A|B\r\n";
        let t = AliasTable::parse(text, Format::Csv).unwrap();
        assert_eq!(t.entities()[0].canonical, "Smith, \"Jo\"\nJr");
        assert_eq!(t.entities()[0].aliases, ["A", "B"]);
    }

    #[cfg(feature = "json")]
    #[test]
    fn json_element_offsets() {
        let text = "[\n {\"a\": \"],[\"},\n {\"b\": [1,2]}\n]";
        let offs = json_array_element_offsets(text);
        assert_eq!(offs.len(), 2);
        assert_eq!(line_of(text.as_bytes(), offs[1]), 3);
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 1 {
            assert_eq!(
                index.line(offset),
                line_of(text.as_bytes(), offset),
                "{offset}"
            );
        }
    }

    #[cfg(not(feature = "toml"))]
    #[test]
    fn toml_without_the_feature_is_an_error_that_says_so() {
        let err = AliasTable::parse("[[entity]]\nid = \"a\"\ncanonical = \"A\"\n", Format::Toml)
            .unwrap_err();
        assert!(err.to_string().contains("`toml` feature"), "{err}");
        assert!(AliasTable::new().to_string(Format::Toml).is_err());
    }

    #[cfg(not(feature = "json"))]
    #[test]
    fn json_without_the_feature_is_an_error_that_says_so() {
        let err = AliasTable::parse("[]", Format::Json).unwrap_err();
        assert!(err.to_string().contains("`json` feature"), "{err}");
        assert!(AliasTable::new().to_string(Format::Json).is_err());
        // CSV needs no feature.
        let t = AliasTable::parse("id,canonical\nkyiv,Kyiv\n", Format::Csv).unwrap();
        assert_eq!(
            AliasTable::parse(&t.to_string(Format::Csv).unwrap(), Format::Csv).unwrap(),
            t
        );
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(
            Format::from_path(Path::new("a.TOML")).unwrap(),
            Format::Toml
        );
        assert!(Format::from_path(Path::new("a.txt")).is_err());
    }
}
