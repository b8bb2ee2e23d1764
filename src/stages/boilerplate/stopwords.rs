//! Stopword lists, embedded from `config/stopwords/<code>.txt` (one word a
//! line, `#` starts a comment), and the word counting the classifier uses.
//!
//! Lists: en, uk, ru, de, fr, es, pl, it, pt, nl, cs (sources in each file's
//! first line). A user file (`stopwords_dir/<code>.txt`) replaces or adds a
//! language.

use crate::hash::WordMap;
use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};

/// The embedded lists.
const EMBEDDED: &[(&str, &str)] = &[
    ("en", include_str!("../../../config/stopwords/en.txt")),
    ("uk", include_str!("../../../config/stopwords/uk.txt")),
    ("ru", include_str!("../../../config/stopwords/ru.txt")),
    ("de", include_str!("../../../config/stopwords/de.txt")),
    ("fr", include_str!("../../../config/stopwords/fr.txt")),
    ("es", include_str!("../../../config/stopwords/es.txt")),
    ("pl", include_str!("../../../config/stopwords/pl.txt")),
    ("it", include_str!("../../../config/stopwords/it.txt")),
    ("pt", include_str!("../../../config/stopwords/pt.txt")),
    ("nl", include_str!("../../../config/stopwords/nl.txt")),
    ("cs", include_str!("../../../config/stopwords/cs.txt")),
];

pub(crate) type WordSet = WordMap<()>;

/// Stopword lists by language code.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    lists: HashMap<String, WordSet>,
}

fn parse(text: &str) -> WordSet {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|w| !w.is_empty())
        .fold(WordSet::default(), |mut set, w| {
            set.entry(&w.to_lowercase(), || ());
            set
        })
}

impl Stopwords {
    /// The embedded lists, with files from `dir` (`<code>.txt`) laid over them.
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        let mut lists: HashMap<String, WordSet> = EMBEDDED
            .iter()
            .map(|(code, text)| (code.to_string(), parse(text)))
            .collect();
        if let Some(dir) = dir {
            let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
                path: dir.to_owned(),
                source,
            })?;
            for e in entries {
                let path = e
                    .map_err(|source| Error::Io {
                        path: dir.to_owned(),
                        source,
                    })?
                    .path();
                if path.extension().is_some_and(|x| x == "txt")
                    && let Some(code) = path.file_stem().and_then(|s| s.to_str())
                {
                    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                        path: path.clone(),
                        source,
                    })?;
                    lists.insert(code.to_owned(), parse(&text));
                }
            }
        }
        Ok(Stopwords { lists })
    }

    /// The list for `code`, if any.
    pub(crate) fn list(&self, code: &str) -> Option<&WordSet> {
        self.lists.get(code)
    }

    /// True when there is a list for `code`.
    pub fn has(&self, code: &str) -> bool {
        self.lists.contains_key(code)
    }
}

/// Han, kana and hangul: scripts written without spaces between words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_issue_language_has_a_list() {
        let s = Stopwords::load(None).unwrap();
        for code in ["en", "uk", "ru", "de", "fr", "es", "pl"] {
            assert!(s.has(code), "{code}");
            assert!(s.lists[code].len() >= 50, "{code}");
        }
    }
}
