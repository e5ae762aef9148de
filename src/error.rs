//! The one public error type.

use std::path::PathBuf;

/// Everything that can go wrong while loading a table or building a resolver.
///
/// Errors that come from a file name the file and, where there is one, the
/// 1-based line, so that a person editing a table by hand can go straight to
/// the problem.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A file's contents are not valid for its format.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file (`<memory>` for tables parsed from a string).
        path: PathBuf,
        /// 1-based line of the problem (0 when the format gives none).
        line: usize,
        /// What is wrong there.
        message: String,
    },
    /// A CSV table lacks a required column.
    #[error("{path}:{line}: missing column `{column}` in the header")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The header's line (1 unless the file starts with blank lines).
        line: usize,
        /// The column that is missing.
        column: String,
    },
    /// An entity has an empty id, canonical name or alias.
    #[error("{path}:{line}: empty {field}")]
    EmptyName {
        /// The file.
        path: PathBuf,
        /// 1-based line of the entity.
        line: usize,
        /// Which field is empty (`id`, `canonical` or `alias`).
        field: &'static str,
    },
    /// Two entities share one id.
    #[error("{path}:{line}: duplicate id `{id}` (first defined on line {first_line})")]
    DuplicateId {
        /// The file.
        path: PathBuf,
        /// 1-based line of the second definition.
        line: usize,
        /// The id.
        id: String,
        /// 1-based line of the first definition (0 when not from a file).
        first_line: usize,
    },
    /// A table file defines an id that an earlier table already holds
    /// ([`AliasTable::extend_from_file`](crate::AliasTable::extend_from_file)).
    #[error("{path}: id `{id}` is already defined by an earlier table")]
    IdTaken {
        /// The file that defines the id again.
        path: PathBuf,
        /// The id.
        id: String,
    },
    /// A file is not UTF-8 text.
    #[error("{path}:{line}: invalid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line holding the first invalid byte.
        line: usize,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The table format could not be told from the file name.
    #[error("{path}: unknown table format (expected a .toml, .json or .csv file)")]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// A builder setting is out of its valid range.
    #[error("invalid setting {setting} = {value}: {reason}")]
    InvalidConfig {
        /// The setting's name.
        setting: &'static str,
        /// The value given, as text.
        value: String,
        /// The valid range.
        reason: &'static str,
    },
}

impl Error {
    /// The file this error is about, if any.
    ///
    /// ```
    /// use canonym::{AliasTable, Format};
    ///
    /// let err = AliasTable::parse("id,canonical\n,Nameless\n", Format::Csv).unwrap_err();
    /// assert_eq!(err.path().unwrap().to_str(), Some("<memory>"));
    /// assert_eq!(err.line(), Some(2));
    /// ```
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Error::Io { path, .. }
            | Error::Parse { path, .. }
            | Error::MissingColumn { path, .. }
            | Error::EmptyName { path, .. }
            | Error::DuplicateId { path, .. }
            | Error::InvalidUtf8 { path, .. }
            | Error::IdTaken { path, .. }
            | Error::UnknownFormat { path } => Some(path),
            Error::InvalidConfig { .. } => None,
        }
    }

    /// The 1-based line this error is about, if any.
    pub fn line(&self) -> Option<usize> {
        match self {
            Error::Parse { line, .. }
            | Error::MissingColumn { line, .. }
            | Error::EmptyName { line, .. }
            | Error::DuplicateId { line, .. }
            | Error::InvalidUtf8 { line, .. } => Some(*line),
            _ => None,
        }
    }
}
