//! The library's error type.
//!
//! Processing a document never fails: bad bytes and odd text are counted in the
//! document's [`Changes`](crate::report::Changes). Errors are reserved for what
//! stops a stage from being built (a bad config, an unreadable table) and for I/O.

use std::path::PathBuf;

/// Everything that can go wrong while building a pipeline or reading input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file (or `-` for stdin/stdout).
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A configuration file could not be parsed or has a bad value.
    #[error("{path}: {message}")]
    Config {
        /// The file the value came from (`<default>` for the embedded defaults).
        path: String,
        /// What is wrong, naming the key (and line where known).
        message: String,
    },
    /// An encoding label that encoding_rs does not know.
    #[error("unknown encoding label {0:?}")]
    UnknownEncoding(String),
    /// A language code that is not supported.
    #[error("unknown language code {0:?} (known: {1})")]
    UnknownLanguage(String, String),
    /// A stage name that does not exist.
    #[error("unknown stage {0:?} (stages: {1})")]
    UnknownStage(String, String),
}

impl Error {
    /// A config error for `path` with `message`.
    pub fn config(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Config {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
