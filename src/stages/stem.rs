//! Stage 7, `stem` (off by default; `--enable stem`): Snowball stems of every
//! kept paragraph's words, for the paragraph's language where Snowball has a
//! stemmer (en, ru, de, fr, es, it, pt, nl, ...). Paragraphs in other
//! languages get no `stems`.
//!
//! Words are maximal runs of letters, digits and inner apostrophes or
//! hyphens, lower-cased.
//!
//! Counters (`changes.stem`): `paragraphs` stemmed, `no_stemmer` skipped.

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::error::Result;
use crate::stages::Stage;

/// Settings of the stem stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StemConfig {
    /// Run the stage.
    pub enabled: bool,
}

/// The stem stage.
pub struct Stem {
    stemmers: Vec<(&'static str, Stemmer)>,
}

impl std::fmt::Debug for Stem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stem")
            .field(
                "langs",
                &self.stemmers.iter().map(|(c, _)| c).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Languages with a Snowball stemmer.
const ALGORITHMS: &[(&str, Algorithm)] = &[
    ("ar", Algorithm::Arabic),
    ("da", Algorithm::Danish),
    ("nl", Algorithm::Dutch),
    ("en", Algorithm::English),
    ("fi", Algorithm::Finnish),
    ("fr", Algorithm::French),
    ("de", Algorithm::German),
    ("el", Algorithm::Greek),
    ("hu", Algorithm::Hungarian),
    ("it", Algorithm::Italian),
    ("no", Algorithm::Norwegian),
    ("pt", Algorithm::Portuguese),
    ("ro", Algorithm::Romanian),
    ("ru", Algorithm::Russian),
    ("es", Algorithm::Spanish),
    ("sv", Algorithm::Swedish),
    ("ta", Algorithm::Tamil),
    ("tr", Algorithm::Turkish),
];

impl Stem {
    /// Builds the stage.
    pub fn new(_cfg: &StemConfig) -> Result<Self> {
        Ok(Stem {
            stemmers: ALGORITHMS
                .iter()
                .map(|&(c, a)| (c, Stemmer::create(a)))
                .collect(),
        })
    }

    /// Stems of `text` in language `code`, or `None` without a stemmer.
    pub fn stems(&self, code: &str, text: &str) -> Option<Vec<String>> {
        let (_, stemmer) = self.stemmers.iter().find(|(c, _)| *c == code)?;
        Some(
            words(text)
                .map(|w| stemmer.stem(&w.to_lowercase()).into_owned())
                .collect(),
        )
    }
}

/// Words: runs of alphanumerics, joined across inner `'`, `’` and `-`.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(char::is_alphanumeric)?;
        let s = &rest[start..];
        let mut end = 0;
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                end = i + c.len_utf8();
            } else if matches!(c, '\'' | '’' | '-')
                && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric())
            {
                continue;
            } else {
                break;
            }
        }
        let w = &s[..end];
        rest = &s[end..];
        Some(w)
    })
}

impl Stage for Stem {
    fn name(&self) -> &'static str {
        "stem"
    }

    fn apply(&self, doc: &mut Document) {
        let (mut done, mut skipped) = (0, 0);
        for p in doc.paragraphs.iter_mut().filter(|p| p.is_kept()) {
            let code = p.lang.map(|l| l.code).unwrap_or("und");
            match self.stems(code, &p.text) {
                Some(s) => {
                    p.stems = Some(s);
                    done += 1;
                }
                None => skipped += 1,
            }
        }
        if done > 0 {
            doc.changes.add("stem", "paragraphs", done);
        }
        if skipped > 0 {
            doc.changes.add("stem", "no_stemmer", skipped);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_russian() {
        let s = Stem::new(&StemConfig { enabled: true }).unwrap();
        assert_eq!(
            s.stems("en", "Talks continued; Russia's troops").unwrap(),
            ["talk", "continu", "russia", "troop"]
        );
        assert_eq!(
            s.stems("ru", "переговоры продолжались").unwrap(),
            ["переговор", "продолжа"]
        );
        assert!(s.stems("uk", "переговори").is_none());
    }

    #[test]
    fn word_split() {
        assert_eq!(
            words("Kiev-based, it's — ok.").collect::<Vec<_>>(),
            ["Kiev-based", "it's", "ok"]
        );
    }
}
