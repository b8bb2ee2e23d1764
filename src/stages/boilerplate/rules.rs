//! The rule engine: explainable paragraph rules, each with a reason.
//!
//! Rules come from a TOML file (`config/boilerplate.toml`, embedded; override
//! with `rules_file`), each with a `reason`:
//!
//! - `exact`: the whole paragraph, case-insensitively;
//! - `prefix`: the paragraph starts with it;
//! - `contains`: the paragraph contains it;
//! - `regex`: a `regex` crate pattern (linear time, no backtracking);
//! - `[[tail]]` `suffix`: an inline tail ("read more") cut from the end of a
//!   paragraph that is otherwise kept.

use aho_corasick::{AhoCorasick, MatchKind};
use regex::RegexSet;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The embedded rule file.
pub const DEFAULT_RULES: &str = include_str!("../../../config/boilerplate.toml");

/// A rule file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Paragraph rules.
    #[serde(default)]
    pub rule: Vec<Rule>,
    /// Tail rules.
    #[serde(default)]
    pub tail: Vec<TailRule>,
}

/// One paragraph rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Reason name (snake_case).
    pub reason: String,
    /// Whole paragraphs.
    #[serde(default)]
    pub exact: Vec<String>,
    /// Paragraph starts.
    #[serde(default)]
    pub prefix: Vec<String>,
    /// Substrings.
    #[serde(default)]
    pub contains: Vec<String>,
    /// Regular expressions.
    #[serde(default)]
    pub regex: Vec<String>,
}

/// One tail rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TailRule {
    /// Reason name.
    pub reason: String,
    /// Paragraph endings to cut.
    pub suffix: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Exact,
    Prefix,
    Contains,
}

/// Compiled rules.
#[derive(Debug, Clone)]
pub struct Rules {
    reasons: Vec<String>,
    literal: AhoCorasick,
    /// For each literal pattern: rule index, kind, byte length.
    literal_meta: Vec<(usize, Kind, usize)>,
    regexes: RegexSet,
    regex_rule: Vec<usize>,
    tails: Vec<(String, String)>,
}

impl Rules {
    /// Reads and compiles a rule file (`None`: the embedded one).
    pub fn load(file: Option<&std::path::Path>) -> Result<Self> {
        let (rules, path, text): (RuleFile, _, _) =
            crate::config::load_table(file, DEFAULT_RULES, "config/boilerplate.toml")?;
        Self::from_rules(&rules, &path, &text)
    }

    /// Compiles parsed rules; `path` and `text` name the source in errors.
    pub fn from_rules(rules: &RuleFile, path: &str, text: &str) -> Result<Self> {
        let mut pats = Vec::new();
        let mut literal_meta = Vec::new();
        let mut regex_src = Vec::new();
        let mut regex_rule = Vec::new();
        for (i, r) in rules.rule.iter().enumerate() {
            if r.reason.trim().is_empty() {
                return Err(Error::config(
                    path,
                    format!("rule {} has an empty `reason`", i + 1),
                ));
            }
            for (kind, list) in [
                (Kind::Exact, &r.exact),
                (Kind::Prefix, &r.prefix),
                (Kind::Contains, &r.contains),
            ] {
                for s in list {
                    let s = s.trim().to_lowercase();
                    if s.is_empty() {
                        return Err(Error::config(
                            path,
                            format!("rule `{}` has an empty pattern", r.reason),
                        ));
                    }
                    literal_meta.push((i, kind, s.len()));
                    pats.push(s);
                }
            }
            for re in &r.regex {
                regex::Regex::new(re).map_err(|e| {
                    let line = text
                        .lines()
                        .position(|l| l.contains(re.as_str()))
                        .map(|l| format!(", line {}", l + 1))
                        .unwrap_or_default();
                    Error::config(
                        path,
                        format!(
                            "rule `{}`{line}: bad regex: {}",
                            r.reason,
                            crate::config::one_line(&e.to_string())
                        ),
                    )
                })?;
                regex_src.push(format!("(?i){re}"));
                regex_rule.push(i);
            }
        }
        let literal = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&pats)
            .map_err(|e| Error::config(path, e.to_string()))?;
        let regexes = RegexSet::new(&regex_src).map_err(|e| Error::config(path, e.to_string()))?;
        let tails = rules
            .tail
            .iter()
            .flat_map(|t| {
                t.suffix
                    .iter()
                    .map(move |s| (t.reason.clone(), s.trim().to_lowercase()))
            })
            .collect();
        Ok(Rules {
            reasons: rules.rule.iter().map(|r| r.reason.clone()).collect(),
            literal,
            literal_meta,
            regexes,
            regex_rule,
            tails,
        })
    }

    /// The reason a paragraph matches a rule, if any.
    pub fn rule_reason(&self, text: &str) -> Option<&str> {
        // ASCII text needs no copy: the automaton folds ASCII case itself.
        let trimmed = text.trim();
        let owned;
        let lower = if trimmed.is_ascii() {
            trimmed
        } else {
            owned = trimmed.to_lowercase();
            owned.as_str()
        };
        for m in self.literal.find_overlapping_iter(lower) {
            let (rule, kind, len) = self.literal_meta[m.pattern().as_usize()];
            let hit = match kind {
                Kind::Contains => true,
                Kind::Prefix => m.start() == 0,
                Kind::Exact => m.start() == 0 && len == lower.len(),
            };
            if hit {
                return Some(&self.reasons[rule]);
            }
        }
        self.regexes
            .matches(lower)
            .iter()
            .next()
            .map(|i| self.reasons[self.regex_rule[i]].as_str())
    }

    /// Cuts an inline tail; returns its reason.
    pub fn cut_tail(&self, text: &mut String) -> Option<String> {
        let trimmed = text.trim_end();
        for (reason, suffix) in &self.tails {
            if trimmed.len() > suffix.len() + 1
                && trimmed.is_char_boundary(trimmed.len() - suffix.len())
                && trimmed[trimmed.len() - suffix.len()..].to_lowercase() == *suffix
            {
                let keep = trimmed[..trimmed.len() - suffix.len()].trim_end();
                if keep.ends_with(['.', '!', '?', '"', '”', '»', ')']) {
                    let len = keep.len();
                    text.truncate(len);
                    return Some(reason.clone());
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules() {
        let b = Rules::load(None).unwrap();
        assert_eq!(
            b.rule_reason("Sign up now for unlimited free access to"),
            Some("sign_up")
        );
        assert_eq!(b.rule_reason("Leave a Reply"), Some("comment_form"));
        assert_eq!(b.rule_reason("We reply to every letter we get."), None);
    }

    #[test]
    fn tails_are_cut_after_a_sentence_only() {
        let b = Rules::load(None).unwrap();
        let mut t = "Relations are at an all-time high. read more".to_owned();
        assert_eq!(b.cut_tail(&mut t).as_deref(), Some("read_more"));
        assert_eq!(t, "Relations are at an all-time high.");
        let mut t = "You can read more".to_owned();
        assert_eq!(b.cut_tail(&mut t), None);
    }

    #[test]
    fn bad_regex_names_rule_and_line() {
        let text = "[[rule]]\nreason = \"x\"\nregex = [\"(\"]\n";
        let rules: RuleFile = toml::from_str(text).unwrap();
        let e = Rules::from_rules(&rules, "r.toml", text)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("r.toml") && e.contains("`x`") && e.contains("line 3"),
            "{e}"
        );
    }
}
