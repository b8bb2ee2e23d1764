//! The second model: lingua, restricted to the candidates the letters left,
//! consulted only where the fast path is unsure.
//!
//! lingua loads each language's models on first use and keeps them in memory
//! for the life of the process; a detector per candidate set is built once
//! and cached (sets are masks over [`LANGS`](super::langs::LANGS)).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use super::langs::LANGS;

/// lingua detectors per candidate set.
pub(crate) struct Second {
    /// lingua's language for each entry of `LANGS`, where this build has one.
    languages: Vec<Option<Language>>,
    /// Languages with a lingua model, as a mask.
    covered: u64,
    cache: Mutex<HashMap<u64, Arc<LanguageDetector>>>,
}

impl std::fmt::Debug for Second {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Second")
            .field("covered", &self.covered)
            .finish_non_exhaustive()
    }
}

impl Second {
    /// Maps the table to lingua's languages compiled into this build.
    pub(crate) fn new() -> Self {
        let all = Language::all();
        let languages: Vec<Option<Language>> = LANGS
            .iter()
            .map(|l| {
                all.iter()
                    .find(|x| x.iso_code_639_1().to_string() == l.code)
                    .copied()
            })
            .collect();
        let covered = languages
            .iter()
            .enumerate()
            .filter(|(_, l)| l.is_some())
            .fold(0u64, |m, (i, _)| m | 1 << i);
        Second {
            languages,
            covered,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// True when lingua has a model for every language in `set`.
    pub(crate) fn covers(&self, set: u64) -> bool {
        set & !self.covered == 0
    }

    /// Confidence per candidate (indices into `LANGS`), best first; empty
    /// when lingua finds no answer. `set` must be covered.
    pub(crate) fn scores(&self, set: u64, text: &str) -> Vec<(usize, f32)> {
        let detector = {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .entry(set)
                .or_insert_with(|| {
                    let langs: Vec<Language> = (0..LANGS.len())
                        .filter(|i| set & (1 << i) != 0)
                        .filter_map(|i| self.languages[i])
                        .collect();
                    Arc::new(LanguageDetectorBuilder::from_languages(&langs).build())
                })
                .clone()
        };
        let mut out: Vec<(usize, f32)> = detector
            .compute_language_confidence_values(text)
            .into_iter()
            .filter(|(_, c)| *c > 0.0)
            .filter_map(|(lang, c)| {
                let i = self.languages.iter().position(|l| *l == Some(lang))?;
                Some((i, c as f32))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}
