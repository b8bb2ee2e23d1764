//! Stage 5, `boilerplate`: paragraphs the web left around the article.
//!
//! Three deciders run in order over the paragraphs still kept; the first that
//! fires gives the reason:
//!
//! 1. **Rules** ([`rules`]): user-extensible patterns from a TOML file, each
//!    with its own reason (`sign_up`, `browser_notice`, `see_also`,
//!    `photo_credit`, ...). `[[tail]]` rules cut an inline ending such as
//!    "read more" from a paragraph that is otherwise kept (`tail.<reason>`).
//! 2. **Repetition** ([`repeat`]): with a repeats file learnt over the corpus
//!    (`--learn`, then `--repeats`), a paragraph found in at least
//!    `repeat.min_docs` documents is removed as `repeated`.
//! 3. **Classifier** ([`classify`]): per-paragraph features (length,
//!    stopword density for the paragraph's language, sentence shape,
//!    capitalisation, digits, URL and symbol residue) and a context pass that
//!    finds the main text, so that a short line between two prose paragraphs
//!    stays (a heading) while menus and teasers around the article go.
//!    Reasons: `short_line`, `not_prose`, `off_main_text`,
//!    `inserted_headline`, `residue`.
//!
//! Removed paragraphs keep their text and carry the reason: `--keep-removed`
//! lists them, `--label-only` keeps them in the text marked
//! `boilerplate: <reason>`.
//!
//! Counters (`changes.boilerplate`): one per removal reason (rule reasons,
//! `repeated`, the classifier's reasons); `tail.<reason>` for cut tails.

pub mod classify;
pub mod repeat;
pub mod rules;
pub mod stopwords;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::error::Result;
use crate::stages::Stage;

pub use classify::ClassifierConfig;
pub use rules::{DEFAULT_RULES, Rule, RuleFile, Rules, TailRule};

use classify::{Features, Item};
use repeat::{Sketch, paragraph_hash};
use stopwords::Stopwords;

/// Reason for a paragraph found in many documents of the corpus.
pub const REPEATED: &str = "repeated";

/// Settings of the boilerplate stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoilerplateConfig {
    /// Run the stage.
    pub enabled: bool,
    /// A rule file to use instead of the embedded one.
    #[serde(default)]
    pub rules_file: Option<PathBuf>,
    /// A folder of stopword lists (`<code>.txt`) laid over the embedded ones.
    #[serde(default)]
    pub stopwords_dir: Option<PathBuf>,
    /// The classifier (`[boilerplate.classifier]`).
    #[serde(default)]
    pub classifier: ClassifierConfig,
    /// Corpus-level repetition (`[boilerplate.repeat]`).
    #[serde(default)]
    pub repeat: RepeatConfig,
}

impl Default for BoilerplateConfig {
    fn default() -> Self {
        BoilerplateConfig {
            enabled: true,
            rules_file: None,
            stopwords_dir: None,
            classifier: ClassifierConfig::default(),
            repeat: RepeatConfig::default(),
        }
    }
}

/// Settings of corpus-level repetition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RepeatConfig {
    /// A repeats file written by a learning run; paragraphs it counts in at
    /// least `min_docs` documents are removed.
    pub file: Option<PathBuf>,
    /// Learn: count paragraphs over this run and write the repeats file here
    /// at the end.
    pub learn: Option<PathBuf>,
    /// A paragraph in at least this many documents is boilerplate.
    pub min_docs: u8,
    /// Paragraphs with fewer words are neither counted nor removed.
    pub min_words: usize,
    /// Sketch width: 2^bits counters per row (memory: rows × 2^bits bytes).
    pub bits: u8,
    /// Sketch rows.
    pub rows: u8,
}

impl Default for RepeatConfig {
    fn default() -> Self {
        RepeatConfig {
            file: None,
            learn: None,
            min_docs: 5,
            min_words: 3,
            bits: 23,
            rows: 4,
        }
    }
}

/// The boilerplate stage.
#[derive(Debug)]
pub struct Boilerplate {
    rules: Rules,
    stopwords: Stopwords,
    classifier: ClassifierConfig,
    repeat: RepeatConfig,
    repeats: Option<Sketch>,
    learning: Option<(Sketch, PathBuf)>,
}

impl Boilerplate {
    /// Builds the stage from its config: reads and compiles the rules, the
    /// stopword lists and the repeats file.
    pub fn new(cfg: &BoilerplateConfig) -> Result<Self> {
        let rules = Rules::load(cfg.rules_file.as_deref())?;
        let stopwords = Stopwords::load(cfg.stopwords_dir.as_deref())?;
        let repeats = cfg.repeat.file.as_deref().map(Sketch::load).transpose()?;
        let learning = match &cfg.repeat.learn {
            Some(p) => Some((Sketch::new(cfg.repeat.bits, cfg.repeat.rows)?, p.clone())),
            None => None,
        };
        Ok(Boilerplate {
            rules,
            stopwords,
            classifier: cfg.classifier.clone(),
            repeat: cfg.repeat.clone(),
            repeats,
            learning,
        })
    }

    /// The compiled rules.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The reason a paragraph matches a rule, if any.
    pub fn rule_reason(&self, text: &str) -> Option<&str> {
        self.rules.rule_reason(text)
    }

    /// For a paragraph of several lines where a rule matches some line: the
    /// other lines. The classifier measures those, so a block reads the same
    /// whether its lines come as one paragraph or as several.
    fn unruled_lines(&self, text: &str) -> Option<String> {
        if !text.trim().contains('\n') {
            return None;
        }
        let lines: Vec<&str> = text.lines().collect();
        let rest: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| l.trim().is_empty() || self.rules.rule_reason(l).is_none())
            .collect();
        (rest.len() < lines.len()).then(|| rest.join("\n"))
    }

    fn counted(&self, text: &str) -> bool {
        text.split_whitespace()
            .nth(self.repeat.min_words.max(1) - 1)
            .is_some()
    }

    fn learn(&self, doc: &Document) {
        let Some((sketch, _)) = &self.learning else {
            return;
        };
        let mut hashes: Vec<u64> = doc
            .paragraphs
            .iter()
            .filter(|p| p.metadata.is_none() && self.counted(&p.text))
            .map(|p| paragraph_hash(&p.text))
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        for h in hashes {
            sketch.add(h);
        }
    }
}

impl Stage for Boilerplate {
    fn name(&self) -> &'static str {
        "boilerplate"
    }

    fn apply(&self, doc: &mut Document) {
        self.learn(doc);
        let doc_lang = doc.lang.map(|l| l.code).filter(|c| self.stopwords.has(c));
        let mut items = Vec::with_capacity(doc.paragraphs.len());
        for p in doc.paragraphs.iter_mut() {
            if p.is_kept() {
                if let Some(reason) = self.rules.rule_reason(&p.text) {
                    let reason = reason.to_owned();
                    doc.changes.add("boilerplate", &reason, 1);
                    p.remove("boilerplate", reason);
                } else if let Some(sk) = &self.repeats
                    && self.counted(&p.text)
                    && sk.estimate(paragraph_hash(&p.text)) >= self.repeat.min_docs
                {
                    doc.changes.add("boilerplate", REPEATED, 1);
                    p.remove("boilerplate", REPEATED);
                } else if let Some(reason) = self.rules.cut_tail(&mut p.text) {
                    doc.changes.add("boilerplate", &format!("tail.{reason}"), 1);
                }
            }
            let kept = p.is_kept();
            let features = if kept && self.classifier.classify {
                let lang = p
                    .lang
                    .map(|l| l.code)
                    .filter(|c| self.stopwords.has(c))
                    .or(doc_lang);
                match self.unruled_lines(&p.text) {
                    Some(rest) => Features::of(&rest, lang, &self.stopwords),
                    None => Features::of(&p.text, lang, &self.stopwords),
                }
            } else {
                Features::default()
            };
            items.push(Item { features, kept });
        }
        let verdicts = classify::decide(&items, &self.classifier);
        for (p, v) in doc.paragraphs.iter_mut().zip(verdicts) {
            if let Some(reason) = v
                && p.remove("boilerplate", reason)
            {
                doc.changes.add("boilerplate", reason, 1);
            }
        }
    }

    fn finish(&self) -> Result<()> {
        match &self.learning {
            Some((sketch, path)) => sketch.save(path),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Paragraph;

    fn doc(paras: &[&str]) -> Document {
        Document {
            paragraphs: paras
                .iter()
                .enumerate()
                .map(|(i, t)| Paragraph::new(i, *t))
                .collect(),
            ..Document::default()
        }
    }

    fn reasons(d: &Document) -> Vec<Option<&str>> {
        d.paragraphs
            .iter()
            .map(|p| p.removed.as_ref().map(|r| r.reason.as_str()))
            .collect()
    }

    const PROSE: &str = "The talks in Geneva ended without a deal, but both sides said that they would meet again next week to go over the proposals.";

    #[test]
    fn tails_are_cut_and_counted() {
        let b = Boilerplate::new(&BoilerplateConfig::default()).unwrap();
        let mut d = doc(&["Relations are at an all-time high. read more"]);
        b.apply(&mut d);
        assert_eq!(d.paragraphs[0].text, "Relations are at an all-time high.");
        assert_eq!(d.changes.get("boilerplate", "tail.read_more"), 1);
    }

    #[test]
    fn rules_come_first_and_are_counted() {
        let b = Boilerplate::new(&BoilerplateConfig::default()).unwrap();
        let mut d = doc(&[PROSE, "Sign up now for unlimited free access to", PROSE]);
        b.apply(&mut d);
        assert_eq!(reasons(&d), [None, Some("sign_up"), None]);
        assert_eq!(d.changes.get("boilerplate", "sign_up"), 1);
    }

    #[test]
    fn learning_then_filtering_repeats() {
        let dir = std::env::temp_dir().join(format!("tn-bp-learn-{}", std::process::id()));
        let mut cfg = BoilerplateConfig::default();
        cfg.repeat.learn = Some(dir.clone());
        cfg.repeat.bits = 12;
        cfg.repeat.min_docs = 3;
        let learner = Boilerplate::new(&cfg).unwrap();
        let junk = "Get the best of our journalism in your inbox every morning.";
        for i in 0..3 {
            let unique = format!("{PROSE} Story number {i}.");
            // Twice in one document still counts once.
            learner.apply(&mut doc(&[&unique, junk, junk]));
        }
        learner.apply(&mut doc(&[PROSE]));
        learner.finish().unwrap();

        let mut cfg = BoilerplateConfig::default();
        cfg.repeat.file = Some(dir.clone());
        cfg.repeat.min_docs = 3;
        let b = Boilerplate::new(&cfg).unwrap();
        let mut d = doc(&[PROSE, junk]);
        b.apply(&mut d);
        assert_eq!(reasons(&d), [None, Some(REPEATED)]);
        cfg.repeat.min_docs = 4;
        let b = Boilerplate::new(&cfg).unwrap();
        let mut d = doc(&[PROSE, PROSE, junk]);
        b.apply(&mut d);
        assert_eq!(reasons(&d), [None, None, None]);
        let _ = std::fs::remove_file(&dir);
    }
}
