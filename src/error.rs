//! The library's error type.
//!
//! Every error carries the place it came from (a path, `file:line`, a field) so that the binary can
//! print it as is. [`Error::is_usage`] separates the user's mistakes (a missing file, a bad flag value, a
//! malformed lexicon) from internal failures; the binary maps them to different exit codes.

use std::path::PathBuf;

/// Errors raised by the Kashev library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input or output file could not be opened, read or written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file (or `-` for a standard stream).
        path: PathBuf,
        /// The underlying error (part of the message, not a separate cause, so it prints once).
        cause: std::io::Error,
    },
    /// The user asked for something that cannot be done as asked (a bad option value, an unknown
    /// format, a missing column).
    #[error("{0}")]
    Usage(String),
    /// A search request is malformed: the query (at a column) or one of its filters. `field` is
    /// `query` or a filter's name (`label`, `label_prefix`, …), as the HTTP API calls it.
    #[error("{}", request_message(field, *column, message))]
    Request {
        /// The part of the request at fault.
        field: String,
        /// For the query, the column (1-based, in characters) of the problem.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A configuration file (lexicon, taxonomy, subscriptions) has problems; one line per problem,
    /// each starting with `file:line:`.
    #[error("{}", problems.join("\n"))]
    Config {
        /// The problems, each as `file:line: message`.
        problems: Vec<String>,
    },
    /// The search index failed.
    #[error("index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Writing JSON failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// The alert state store (an SQLite database) could not be opened, read or written.
    #[error("{}: {message}", path.display())]
    State {
        /// The database file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            cause,
        }
    }

    /// Whether the error is the user's to fix (bad input or configuration) rather than an internal
    /// failure. A missing input file is the user's mistake; a full disk is not.
    pub fn is_usage(&self) -> bool {
        match self {
            Error::Usage(_) | Error::Request { .. } | Error::Config { .. } => true,
            Error::Io { cause, .. } => matches!(
                cause.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::PermissionDenied
                    | std::io::ErrorKind::IsADirectory
                    | std::io::ErrorKind::InvalidInput
            ),
            Error::Index(_) | Error::Json(_) | Error::State { .. } => false,
        }
    }
}

/// How a malformed request reads on the command line: `query, column 9: …` or `--label: …`.
fn request_message(field: &str, column: Option<usize>, message: &str) -> String {
    match column {
        Some(column) => format!("{field}, column {column}: {message}"),
        None => format!("--{}: {message}", field.replace('_', "-")),
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
