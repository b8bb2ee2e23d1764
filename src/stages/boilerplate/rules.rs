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

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, MatchKind, packed};
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

/// `text.to_lowercase()`, borrowed when nothing changes.
fn lower_case(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    } else if text.chars().any(changes_in_lower_case) {
        Cow::Owned(to_lower(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// `text.to_lowercase()`, with ASCII and the basic Cyrillic block mapped
/// without the Unicode tables.
fn to_lower(text: &str) -> String {
    if text.contains('Σ') {
        // A final sigma depends on what follows it.
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let u = c as u32;
        match u {
            0x41..=0x5A => out.push(char::from(c as u8 + 0x20)),
            0..=0x7F | 0x430..=0x45F => out.push(c),
            0x410..=0x42F => out.push(char::from_u32(u + 0x20).unwrap_or(c)),
            0x400..=0x40F => out.push(char::from_u32(u + 0x50).unwrap_or(c)),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// True when `c` is not its own lower case.
#[inline]
fn changes_in_lower_case(c: char) -> bool {
    match c as u32 {
        0x41..=0x5A | 0x400..=0x42F => true,
        0..=0x7F | 0x430..=0x45F => false,
        _ => {
            let mut l = c.to_lowercase();
            l.next() != Some(c) || l.next().is_some()
        }
    }
}

/// Compiled rules. Patterns are lower-cased and matched in the lower-cased
/// paragraph. When several rules match, the match that ends first wins (a
/// start rule on a tie), then the first regex rule.
#[derive(Debug, Clone)]
pub struct Rules {
    reasons: Vec<String>,
    /// `exact` and `prefix` patterns: (pattern, whole paragraph, rule index).
    starts: Vec<(String, bool, usize)>,
    /// `contains` patterns, and the rule index of each.
    contains: Option<AhoCorasick>,
    contains_rule: Vec<usize>,
    /// A vectorised search for the first `contains` match, where the CPU
    /// and the pattern count allow one; the automaton then reads on from
    /// there.
    contains_fast: Option<packed::Searcher>,
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
        let mut starts = Vec::new();
        let mut contains = Vec::new();
        let mut contains_rule = Vec::new();
        let mut regex_src = Vec::new();
        let mut regex_rule = Vec::new();
        for (i, r) in rules.rule.iter().enumerate() {
            if r.reason.trim().is_empty() {
                return Err(Error::config(
                    path,
                    format!("rule {} has an empty `reason`", i + 1),
                ));
            }
            for (whole, list) in [
                (Some(true), &r.exact),
                (Some(false), &r.prefix),
                (None, &r.contains),
            ] {
                for s in list {
                    let s = s.trim().to_lowercase();
                    if s.is_empty() {
                        return Err(Error::config(
                            path,
                            format!("rule `{}` has an empty pattern", r.reason),
                        ));
                    }
                    match whole {
                        Some(whole) => starts.push((s, whole, i)),
                        None => {
                            contains.push(s);
                            contains_rule.push(i);
                        }
                    }
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
        let (contains_ac, contains_fast) = if contains.is_empty() {
            (None, None)
        } else {
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&contains)
                .map_err(|e| Error::config(path, e.to_string()))?;
            (Some(ac), packed::Searcher::new(&contains))
        };
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
            starts,
            contains: contains_ac,
            contains_rule,
            contains_fast,
            regexes,
            regex_rule,
            tails,
        })
    }

    /// The reason a paragraph matches a rule, if any.
    pub fn rule_reason(&self, text: &str) -> Option<&str> {
        let lower = lower_case(text.trim());
        let lower = lower.as_ref();
        // (end of the match, rule)
        let mut best: Option<(usize, usize)> = None;
        for (p, whole, rule) in &self.starts {
            let hit = if *whole {
                lower == p
            } else {
                lower.starts_with(p.as_str())
            };
            if hit && best.is_none_or(|b| p.len() < b.0) {
                best = Some((p.len(), *rule));
            }
        }
        if let Some(ac) = &self.contains {
            // No match can end before the leftmost one starts.
            let from = match &self.contains_fast {
                Some(fast) => fast.find(lower).map(|m| m.start()),
                None => Some(0),
            };
            if let Some(from) = from
                && let Some(m) = ac.find_overlapping_iter(&lower.as_bytes()[from..]).next()
            {
                let end = from + m.end();
                if best.is_none_or(|b| end < b.0) {
                    best = Some((end, self.contains_rule[m.pattern().as_usize()]));
                }
            }
        }
        if let Some((_, rule)) = best {
            return Some(&self.reasons[rule]);
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
    fn the_match_that_ends_first_wins_with_or_without_the_fast_search() {
        let text = r#"
[[rule]]
reason = "long_contains"
contains = ["subscribe to our newsletter today"]
[[rule]]
reason = "short_contains"
contains = ["newsletter"]
[[rule]]
reason = "start"
prefix = ["subscribe"]
[[rule]]
reason = "whole"
exact = ["newsletter"]
[[rule]]
reason = "sign"
contains = ["©"]
[[rule]]
reason = "see_also"
regex = ['^see also\b']
"#;
        let rules: RuleFile = toml::from_str(text).unwrap();
        let fast = Rules::from_rules(&rules, "r.toml", text).unwrap();
        let mut slow = fast.clone();
        slow.contains_fast = None;
        for (t, want) in [
            ("Subscribe to our newsletter today", Some("start")),
            (
                "Please subscribe to our NEWSLETTER today",
                Some("short_contains"),
            ),
            ("NEWSLETTER", Some("whole")),
            ("  Newsletter\n", Some("whole")),
            ("Text © 2024, newsletter", Some("sign")),
            ("ТЕКСТ © 2024", Some("sign")),
            ("See also: the archive", Some("see_also")),
            ("Nothing to see here", None),
            ("", None),
        ] {
            assert_eq!(fast.rule_reason(t), want, "{t}");
            assert_eq!(slow.rule_reason(t), want, "{t}");
        }
    }

    #[test]
    fn lower_case_is_borrowed_or_copied_only_as_needed() {
        for t in [
            "plain text",
            "Plain Text",
            "naïve ’quote’",
            "ÉCLAIR",
            "ΣΟΦΟΣ",
            "Straße",
            "İstanbul",
            "ЁЛКИ-ПАЛКИ, Київ і ЇЖАК; Ђурђевдан, Ѓорѓи",
            "Ǆemal ǅemal ⅣⅤ Ⓐ",
        ] {
            assert_eq!(lower_case(t), t.to_lowercase(), "{t}");
        }
        // Every character of the planes in use, in a word and alone.
        let all: String = (0..0x3_0000u32)
            .filter_map(char::from_u32)
            .filter(|&c| c != 'Σ')
            .collect();
        assert_eq!(to_lower(&all), all.to_lowercase());
        assert_eq!(to_lower("ΟΔΟΣ ΣΟΦΟΣ"), "ΟΔΟΣ ΣΟΦΟΣ".to_lowercase());
        for c in (0..0x3_0000u32).filter_map(char::from_u32) {
            let one = c.to_string();
            assert_eq!(changes_in_lower_case(c), one.to_lowercase() != one, "{c:?}");
        }
        assert!(matches!(lower_case("naïve ’quote’"), Cow::Borrowed(_)));
        assert!(matches!(lower_case("київ і львів"), Cow::Borrowed(_)));
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
