//! Configuration: the embedded defaults (`config/default.toml`), overlaid by a
//! user file (`--config`) and then by command-line flags.
//!
//! The stages run in a fixed order (decode, segment, unicode, langid,
//! boilerplate, translit, stem): later stages depend on what earlier ones
//! decided (boilerplate reads the paragraph language, translit only touches
//! Latin-script paragraphs), so the order is part of the contract and not a
//! setting. Each stage has its own table with an `enabled` switch.
//!
//! Unknown keys and wrong types are errors that name the file, the key and,
//! where it can be found, the line.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::stages::{
    boilerplate::BoilerplateConfig, langid::LangidConfig, romanize::RomanizeConfig,
    stem::StemConfig, translit::TranslitConfig, unicode::UnicodeConfig,
};
use crate::{decode::DecodeConfig, segment::SegmentConfig};

/// The embedded default configuration.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// How input is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputConfig {
    /// `auto`, `text` or `jsonl`.
    pub format: InputFormat,
    /// JSONL field holding the text.
    pub text_field: String,
    /// JSONL field holding the id.
    pub id_field: String,
    /// A document (or JSONL line) larger than this is rejected, not loaded.
    pub max_doc_bytes: u64,
    /// A document with a paragraph larger than this is rejected before any
    /// stage runs.
    pub max_paragraph_bytes: u64,
}

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// JSONL for `.jsonl`/`.json`/`.ndjson` files and stdin starting with `{`.
    Auto,
    /// Every file (or all of stdin) is one document of raw bytes.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// Parquet files, one record per row (`.parquet`/`.pq` with `auto`).
    Parquet,
}

/// What is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// One record per `document` or per kept `paragraph`.
    pub granularity: Granularity,
    /// List removed paragraphs as `removed: [{index, text, reason}]`.
    pub keep_removed: bool,
    /// Keep every paragraph in `text` and mark removals instead of dropping.
    pub label_only: bool,
    /// List every rewrite with its offsets as `edits`.
    pub explain: bool,
}

/// Output granularity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// One object per input document.
    Document,
    /// One object per kept paragraph.
    Paragraph,
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Input settings.
    pub input: InputConfig,
    /// Output settings.
    pub output: OutputConfig,
    /// Stage 1.
    pub decode: DecodeConfig,
    /// Stage 2.
    pub segment: SegmentConfig,
    /// Stage 3.
    pub unicode: UnicodeConfig,
    /// Stage 4.
    pub langid: LangidConfig,
    /// Stage 5.
    pub boilerplate: BoilerplateConfig,
    /// Stage 6.
    pub translit: TranslitConfig,
    /// Romanisation of Ukrainian paragraphs (off by default).
    pub romanize: RomanizeConfig,
    /// Stage 7 (off by default).
    pub stem: StemConfig,
}

/// Names of the switchable stages, in run order.
pub const STAGES: &[&str] = &[
    "decode",
    "segment",
    "unicode",
    "langid",
    "boilerplate",
    "translit",
    "romanize",
    "stem",
];

impl Default for Config {
    fn default() -> Self {
        Config::from_toml_str(DEFAULT_TOML, "<default>")
            .expect("the embedded config/default.toml is valid (tested)")
    }
}

impl Config {
    /// Parses a complete configuration (every key present).
    fn from_toml_str(text: &str, path: &str) -> Result<Config> {
        toml::from_str(text).map_err(|e| Error::config(path, one_line(&e.to_string())))
    }

    /// The defaults overlaid with the user file `text` read from `path`.
    ///
    /// Keys absent from the user file keep their default; keys the defaults do
    /// not have are errors.
    pub fn with_overlay(text: &str, path: &str) -> Result<Config> {
        let user: toml::Table =
            toml::from_str(text).map_err(|e| Error::config(path, one_line(&e.to_string())))?;
        let mut base: toml::Table =
            toml::from_str(DEFAULT_TOML).expect("the embedded config/default.toml is valid");
        merge(&mut base, user);
        toml::Value::Table(base)
            .try_into()
            .map_err(|e: toml::de::Error| {
                Error::config(path, with_line(one_line(&e.to_string()), text))
            })
    }

    /// Reads a user config file and overlays it on the defaults.
    pub fn from_file(path: &std::path::Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let mut cfg = Config::with_overlay(&text, &path.display().to_string())?;
        cfg.resolve_paths(path.parent().unwrap_or(std::path::Path::new(".")));
        Ok(cfg)
    }

    /// Makes relative table paths in a user config relative to its folder.
    fn resolve_paths(&mut self, dir: &std::path::Path) {
        for p in [
            &mut self.boilerplate.rules_file,
            &mut self.boilerplate.stopwords_dir,
            &mut self.boilerplate.repeat.file,
            &mut self.boilerplate.repeat.learn,
            &mut self.translit.table_file,
        ]
        .into_iter()
        .flatten()
        {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        }
    }

    /// Switches a stage on or off by name.
    pub fn set_enabled(&mut self, stage: &str, on: bool) -> Result<()> {
        match stage {
            "decode" if !on => {
                return Err(Error::config(
                    "--disable",
                    "the decode stage cannot be disabled",
                ));
            }
            "decode" => {}
            "segment" => self.segment.enabled = on,
            "unicode" => self.unicode.enabled = on,
            "langid" => self.langid.enabled = on,
            "boilerplate" => self.boilerplate.enabled = on,
            "translit" => self.translit.enabled = on,
            "romanize" => self.romanize.enabled = on,
            "stem" => self.stem.enabled = on,
            "mojibake" => self.decode.mojibake = on,
            other => {
                return Err(Error::UnknownStage(
                    other.to_owned(),
                    [STAGES, &["mojibake"]].concat().join(", "),
                ));
            }
        }
        Ok(())
    }
}

/// Overlays `user` on `base`, table by table.
fn merge(base: &mut toml::Table, user: toml::Table) {
    for (key, value) in user {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(u)) => merge(b, u),
            (Some(slot), value) => *slot = value,
            (None, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Adds the line of the first backticked key in `message` when it can be found.
fn with_line(message: String, text: &str) -> String {
    let key = message
        .split('`')
        .nth(1)
        .map(|k| k.rsplit('.').next().unwrap_or(k).to_owned());
    match key.and_then(|k| line_of_key(text, &k)) {
        Some(l) => format!("line {l}: {message}"),
        None => message,
    }
}

/// Reads a table file (`file`), or takes the embedded text when there is
/// none, and parses it. Returns the table, the name to use in messages and
/// the text (for finding lines).
pub(crate) fn load_table<T: serde::de::DeserializeOwned>(
    file: Option<&std::path::Path>,
    embedded: &str,
    embedded_name: &str,
) -> Result<(T, String, String)> {
    let (text, path) = match file {
        Some(p) => (
            std::fs::read_to_string(p).map_err(|source| Error::Io {
                path: p.to_owned(),
                source,
            })?,
            p.display().to_string(),
        ),
        None => (embedded.to_owned(), embedded_name.to_owned()),
    };
    let table: T =
        toml::from_str(&text).map_err(|e| Error::config(&path, one_line(&e.to_string())))?;
    Ok((table, path, text))
}

/// The 1-based line where `key` is first assigned or opened as a table.
pub(crate) fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            let t = t.trim_start_matches('[').trim_start();
            t.strip_prefix(key).is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.starts_with('=') || rest.starts_with(']') || rest.starts_with('.')
            })
        })
        .map(|i| i + 1)
}

/// Folds a multi-line parser message into one line.
pub(crate) fn one_line(s: &str) -> String {
    s.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '|' || c == '^' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let c = Config::default();
        assert!(c.unicode.enabled);
        assert!(!c.stem.enabled);
    }

    #[test]
    fn overlay_keeps_defaults() {
        let c = Config::with_overlay("[stem]\nenabled = true\n", "user.toml").unwrap();
        assert!(c.stem.enabled);
        assert!(c.unicode.enabled);
    }

    #[test]
    fn unknown_key_names_file_key_and_line() {
        let e = Config::with_overlay("[stem]\n\nenabeld = true\n", "user.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("user.toml"), "{e}");
        assert!(e.contains("enabeld"), "{e}");
        assert!(e.contains("line 3"), "{e}");
    }

    #[test]
    fn wrong_type_names_key() {
        let e = Config::with_overlay("[stem]\nenabled = \"yes\"\n", "user.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("user.toml"), "{e}");
        assert!(e.contains("enabled"), "{e}");
    }

    #[test]
    fn enable_disable() {
        let mut c = Config::default();
        c.set_enabled("stem", true).unwrap();
        assert!(c.stem.enabled);
        assert!(c.set_enabled("decode", false).is_err());
        assert!(c.set_enabled("nope", true).is_err());
    }
}
