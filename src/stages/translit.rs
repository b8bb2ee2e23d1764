//! Stage 6, `translit`: transliteration variants → one canonical spelling.
//!
//! The table (`config/transliterations.toml`, embedded; override with
//! `table_file`) maps variants to canonical forms (Kiev → Kyiv, Zhelensky →
//! Zelenskyy). One aho-corasick pass finds candidates in each Latin-script
//! paragraph; a candidate is rewritten when it is a whole word (possessives
//! and hyphenated compounds count: Kiev's, Kiev-based), lies outside any
//! protected span (URLs, e-mail addresses, hashtags, path-like identifiers)
//! and outside any exception phrase (chicken Kiev, Kievan Rus). Case is kept:
//! KIEV → KYIV, kiev → kyiv.
//!
//! Counters (`changes.translit`): `<from>→<to>` per rewrite.

use std::path::PathBuf;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::document::{Document, Edit};
use crate::error::{Error, Result};
use crate::stages::Stage;

/// The embedded table.
pub const DEFAULT_TABLE: &str = include_str!("../../config/transliterations.toml");

/// Settings of the translit stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslitConfig {
    /// Run the stage.
    pub enabled: bool,
    /// A table to use instead of the embedded one.
    pub table_file: Option<PathBuf>,
}

/// A transliteration table file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Variant rows.
    #[serde(default)]
    pub variant: Vec<VariantRow>,
    /// Spellings that are right as written.
    #[serde(default)]
    pub keep: Vec<KeepRow>,
    /// Phrases inside which nothing is rewritten.
    #[serde(default)]
    pub exceptions: Exceptions,
}

/// Variant → canonical.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantRow {
    /// The variant.
    pub from: String,
    /// The canonical spelling.
    pub to: String,
    /// place, person, region, other.
    #[serde(default)]
    pub kind: String,
    /// Why.
    #[serde(default)]
    pub note: String,
}

/// A spelling to keep.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeepRow {
    /// The word.
    pub word: String,
    /// Its kind.
    #[serde(default)]
    pub kind: String,
    /// Why.
    #[serde(default)]
    pub note: String,
}

/// Exception phrases.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exceptions {
    /// Phrases (case-sensitive) that protect the variants inside them.
    #[serde(default)]
    pub phrases: Vec<String>,
}

/// The translit stage.
#[derive(Debug, Clone)]
pub struct Translit {
    rows: Vec<VariantRow>,
    matcher: AhoCorasick,
    exceptions: Option<AhoCorasick>,
    protected: Regex,
    explain: bool,
}

impl Translit {
    /// Builds the stage, reading and checking the table.
    pub fn new(cfg: &TranslitConfig, explain: bool) -> Result<Self> {
        let (text, path) = match &cfg.table_file {
            Some(p) => (
                std::fs::read_to_string(p).map_err(|source| Error::Io {
                    path: p.clone(),
                    source,
                })?,
                p.display().to_string(),
            ),
            None => (
                DEFAULT_TABLE.to_owned(),
                "config/transliterations.toml".to_owned(),
            ),
        };
        let table: Table = toml::from_str(&text)
            .map_err(|e| Error::config(&path, crate::config::one_line(&e.to_string())))?;
        Self::from_table(table, &path, &text, explain)
    }

    /// Builds the stage from a parsed table; `path`/`text` name it in errors.
    pub fn from_table(table: Table, path: &str, text: &str, explain: bool) -> Result<Self> {
        for r in &table.variant {
            if r.from.trim().is_empty() || r.to.trim().is_empty() {
                let line = text
                    .lines()
                    .position(|l| {
                        l.contains(&format!("\"{}\"", r.from))
                            || l.contains(&format!("\"{}\"", r.to))
                    })
                    .map(|l| format!(", line {}", l + 1))
                    .unwrap_or_default();
                return Err(Error::config(
                    path,
                    format!(
                        "variant `{}` → `{}`{line}: empty `from` or `to`",
                        r.from, r.to
                    ),
                ));
            }
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(table.variant.iter().map(|r| r.from.as_str()))
            .map_err(|e| Error::config(path, e.to_string()))?;
        let exceptions = if table.exceptions.phrases.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&table.exceptions.phrases)
                    .map_err(|e| Error::config(path, e.to_string()))?,
            )
        };
        Ok(Translit {
            rows: table.variant,
            matcher,
            exceptions,
            protected: Regex::new(
                r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|#\w+|\b\w+(?:/\w+)+",
            )
            .expect("valid regex"),
            explain,
        })
    }

    /// Rewrites `text`; returns the new text (if changed) and the rewrites.
    pub fn rewrite(&self, text: &str) -> Option<(String, Vec<Hit>)> {
        let mut found = self.matcher.find_iter(text).peekable();
        found.peek()?;
        let mut guarded: Vec<(usize, usize)> = self
            .protected
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        if let Some(ex) = &self.exceptions {
            guarded.extend(ex.find_iter(text).map(|m| (m.start(), m.end())));
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut last = 0;
        let mut hits = Vec::new();
        for m in found {
            let (s, e) = (m.start(), m.end());
            if !is_word_boundary(text, s, e) || guarded.iter().any(|&(a, b)| s < b && e > a) {
                continue;
            }
            let row = m.pattern().as_usize();
            out.push_str(&text[last..s]);
            let start = out.len();
            out.push_str(&self.rows[row].to);
            hits.push((start, out.len(), row));
            last = e;
        }
        if hits.is_empty() {
            return None;
        }
        out.push_str(&text[last..]);
        Some((out, hits))
    }
}

/// A rewrite: byte start and end in the new text, and the table row used.
pub type Hit = (usize, usize, usize);

/// True when `text[s..e]` is not part of a longer word.
fn is_word_boundary(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

impl Stage for Translit {
    fn name(&self) -> &'static str {
        "translit"
    }

    fn apply(&self, doc: &mut Document) {
        for p in doc.paragraphs.iter_mut().filter(|p| p.is_kept()) {
            if p.lang.is_some_and(|l| l.script != "Latin") {
                continue;
            }
            let Some((text, hits)) = self.rewrite(&p.text) else {
                continue;
            };
            for &(start, end, row) in &hits {
                let r = &self.rows[row];
                doc.changes
                    .add("translit", &format!("{}→{}", r.from, r.to), 1);
                if self.explain {
                    doc.edits.push(Edit {
                        stage: "translit",
                        paragraph: p.index,
                        start: text[..start].chars().count(),
                        end: text[..end].chars().count(),
                        from: r.from.clone(),
                        to: r.to.clone(),
                    });
                }
            }
            p.text = text;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let t = Translit::new(
            &TranslitConfig {
                enabled: true,
                table_file: None,
            },
            false,
        )
        .unwrap();
        let out = t
            .rewrite(input)
            .map(|(s, _)| s)
            .unwrap_or_else(|| input.to_owned());
        assert_eq!(out, expected);
    }

    #[test]
    fn rewrites() {
        check(
            "Zhelensky met Kiev government forces",
            "Zelenskyy met Kyiv government forces",
        );
        check(
            "Kiev's mayor, a Kiev-based firm",
            "Kyiv's mayor, a Kyiv-based firm",
        );
    }

    #[test]
    fn keeps() {
        check("chicken Kiev is a dish", "chicken Kiev is a dish");
        check(
            "see https://kiev.example/Kiev and Europe/Kiev",
            "see https://kiev.example/Kiev and Europe/Kiev",
        );
        check("Kievskaya station", "Kievskaya station");
    }
}
