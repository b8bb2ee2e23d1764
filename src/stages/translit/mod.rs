//! Stage 6, `translit`: transliteration variants → one canonical spelling.
//!
//! The table (`config/transliterations.toml`, embedded; override with
//! `table_file`) maps variants to canonical forms (Kiev → Kyiv, Zhelensky →
//! Zelenskyy). One aho-corasick pass (leftmost-longest, ignoring ASCII case)
//! over each kept Latin-script paragraph finds variants, keep rows,
//! exception phrases and titles of works at once; a keep row, phrase or
//! title that wins a position protects what is inside it (chicken Kiev,
//! Kievan Rus, Donbass Arena, Second Battle of Kharkov).
//!
//! A variant is rewritten only when every guard agrees, precision first:
//!
//! - **whole word**: not glued to letters, digits or `_` (Kievskaya,
//!   `kiev_office_id`); possessives and hyphen, dash and slash compounds
//!   count as whole words (Kiev's, Kiev-based, pro-Kiev, Kiev/Kharkov);
//! - **protected spans**: URLs and host names, e-mail addresses, hashtags,
//!   tz identifiers (Europe/Kiev), paths, backticked code, identifiers and
//!   assignments, call expressions;
//! - **case**: the case of the text is kept (KIEV → KYIV, kiev → kyiv); an
//!   all-capitals variant in mixed-case text is an acronym (ODESSA the
//!   network) and is rewritten only in a capitals headline or a dateline;
//! - **row guards** from the table: `require` (a cue in the sentence:
//!   `city` for Dnepr), `unless` (a cue in the paragraph: `Texas` for
//!   Odessa), `surname` (kept after a given name: Prince Georgy Lvov),
//!   `first_name` (kept before a capitalised word: Odessa Young), `titles`
//!   (kept as published), `head_noun` (the Ukraine → Ukraine, but the
//!   Ukraine war stays);
//! - **namesakes**: a person variant right after a given name that is not
//!   the person's own (`[[person]]` rows) is someone else (Igor Zelensky);
//! - **names of works and vessels**: inside a capitalised run right after a
//!   work noun (`novel The Odessa File`, `aircraft carrier Kiev`);
//! - **mentions of the name itself**: right after a naming cue
//!   (`known as Kirovohrad`, `calls the city Artyomovsk`), or when the
//!   canonical spelling is in the same sentence (`from Kiev to Kyiv`,
//!   `Kyiv, not Kiev`).
//!
//! Counters (`changes.translit`): `<from>→<to>` per rewrite, with the
//! spellings as they were and are in the text (`Kiev→Kyiv`, `KIEV→KYIV`).
//! With `--explain`, each rewrite is listed in `edits` with its code-point
//! offsets in the paragraph's new text.

mod context;
pub mod table;

use std::ops::Range;
use std::path::PathBuf;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use serde::{Deserialize, Serialize};

use crate::document::{Document, Edit};
use crate::error::{Error, Result};
use crate::stages::Stage;
pub use table::{ContextLists, Exceptions, KeepRow, PersonRow, Table, VariantRow};

use context::{Case, case_of, contains_cue, is_name_like, next_word, prev_word};

/// The embedded table.
pub const DEFAULT_TABLE: &str = include_str!("../../../config/transliterations.toml");

/// Settings of the translit stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslitConfig {
    /// Run the stage.
    pub enabled: bool,
    /// A table to use instead of the embedded one.
    pub table_file: Option<PathBuf>,
}

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A variant: index into `Translit::variants`.
    Variant(usize),
    /// A keep row, exception phrase or title: protects its span.
    Protect,
}

/// One variant spelling (rows that differ only in case, merged).
#[derive(Debug, Clone)]
struct Variant {
    from: String,
    to: String,
    /// The canonical form looked for by the contrast guard; `None` for
    /// article rows, whose canonical form is part of the variant.
    canonical: Option<String>,
    require: Vec<String>,
    unless: Vec<String>,
    surname: bool,
    first_name: bool,
    head_noun: bool,
    /// A title of a work is the variant alone (HBO's *Chernobyl*).
    bare_title: bool,
    /// Person rows: the allowed given names (lower case).
    given: Option<Vec<String>>,
}

/// A rewrite made by [`Translit::rewrite`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte start of the replacement in the new text.
    pub start: usize,
    /// Byte end (exclusive) of the replacement in the new text.
    pub end: usize,
    /// Byte range of the replaced variant in the old text.
    pub source: Range<usize>,
}

/// The translit stage.
#[derive(Debug, Clone)]
pub struct Translit {
    variants: Vec<Variant>,
    targets: Vec<Target>,
    matcher: AhoCorasick,
    /// Lower-case words that are not given names: function words, titles,
    /// place nouns.
    not_names: Vec<String>,
    function_words: Vec<String>,
    work_nouns: Vec<String>,
    mention_before: Vec<String>,
    explain: bool,
}

impl Translit {
    /// Builds the stage, reading and checking the table.
    pub fn new(cfg: &TranslitConfig, explain: bool) -> Result<Self> {
        let (table, path, text): (Table, _, _) = crate::config::load_table(
            cfg.table_file.as_deref(),
            DEFAULT_TABLE,
            "config/transliterations.toml",
        )?;
        Self::from_table(table, &path, &text, explain)
    }

    /// Builds the stage from a parsed table; `path`/`text` name it in errors.
    pub fn from_table(table: Table, path: &str, text: &str, explain: bool) -> Result<Self> {
        let line_of = |s: &str| {
            text.lines()
                .position(|l| l.contains(&format!("\"{s}\"")))
                .map(|l| format!(", line {}", l + 1))
                .unwrap_or_default()
        };
        let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        let mut variants: Vec<Variant> = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        let mut protect: Vec<String> = Vec::new();
        for r in &table.variant {
            if r.from.trim().is_empty() || r.to.trim().is_empty() {
                let (key, other) = if r.from.trim().is_empty() {
                    ("from", &r.to)
                } else {
                    ("to", &r.from)
                };
                return Err(Error::config(
                    path,
                    format!(
                        "variant `{}` → `{}`{}: empty `{key}`",
                        r.from,
                        r.to,
                        empty_key_line(text, key, other)
                    ),
                ));
            }
            let bare_title = r.titles.iter().any(|t| t.eq_ignore_ascii_case(&r.from));
            protect.extend(
                r.titles
                    .iter()
                    .filter(|t| !t.eq_ignore_ascii_case(&r.from))
                    .cloned(),
            );
            if let Some(i) = variants
                .iter()
                .position(|v| v.from.eq_ignore_ascii_case(&r.from))
            {
                let v = &mut variants[i];
                if v.to != r.to {
                    return Err(Error::config(
                        path,
                        format!(
                            "variant `{}`{}: maps to both `{}` and `{}`",
                            r.from,
                            line_of(&r.from),
                            v.to,
                            r.to
                        ),
                    ));
                }
                v.require.extend(r.require.iter().cloned());
                v.unless.extend(r.unless.iter().cloned());
                v.surname |= r.surname;
                v.first_name |= r.first_name;
                v.head_noun |= r.head_noun;
                v.bare_title |= bare_title;
                continue;
            }
            let given = (r.kind == "person").then(|| {
                let surname = r.to.trim_end_matches("'s").rsplit(' ').next().unwrap_or("");
                table
                    .person
                    .iter()
                    .filter(|p| p.name == surname)
                    .flat_map(|p| lower(&p.given))
                    .collect()
            });
            let canonical = (!r.head_noun && !r.from.contains(r.to.as_str()))
                .then(|| r.to.trim_end_matches("'s").to_ascii_lowercase());
            patterns.push(r.from.clone());
            targets.push(Target::Variant(variants.len()));
            variants.push(Variant {
                from: r.from.clone(),
                to: r.to.clone(),
                canonical,
                require: r.require.clone(),
                unless: r.unless.clone(),
                surname: r.surname,
                first_name: r.first_name,
                head_noun: r.head_noun,
                bare_title,
                given,
            });
        }
        if table.keep.iter().any(|k| k.word.trim().is_empty()) {
            return Err(Error::config(path, "a [[keep]] row has an empty `word`"));
        }
        protect.extend(table.keep.iter().map(|k| k.word.clone()));
        protect.extend(table.exceptions.phrases.iter().cloned());
        // A protecting pattern matters only when a variant lies inside it; a
        // keep row spelled like a variant is an ambiguous form (the
        // variant's guards decide), so neither goes into the automaton.
        let lowered: Vec<String> = variants
            .iter()
            .map(|v| v.from.to_ascii_lowercase())
            .collect();
        for p in protect {
            let lp = p.to_ascii_lowercase();
            if !lowered.contains(&lp) && lowered.iter().any(|v| lp.contains(v.as_str())) {
                patterns.push(p);
                targets.push(Target::Protect);
            }
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| Error::config(path, e.to_string()))?;
        let c = &table.context;
        let function_words = lower(&c.function_words);
        let mut not_names = function_words.clone();
        not_names.extend(lower(&c.titles));
        not_names.extend(lower(&c.place_nouns));
        Ok(Translit {
            variants,
            targets,
            matcher,
            not_names,
            function_words,
            work_nouns: lower(&c.work_nouns),
            mention_before: lower(&c.mention_before),
            explain,
        })
    }

    /// Rewrites `text`; returns the new text (if changed) and the rewrites.
    pub fn rewrite(&self, text: &str) -> Option<(String, Vec<Hit>)> {
        let mut m = self.matcher.find(text)?;
        let mut out = String::new();
        let mut last = 0;
        let mut hits = Vec::new();
        loop {
            let (s, e) = (m.start(), m.end());
            // A match glued to a longer word may hide a shorter one inside
            // it (`Volodymyr Zelensky` in `Volodymyr Zelenskyi`): search
            // again from the next character. Otherwise go on after it.
            let mut next = e;
            if !context::is_whole_word(text, s, e) {
                next = s + text[s..].chars().next().map_or(1, char::len_utf8);
            } else if let Target::Variant(vi) = self.targets[m.pattern().as_usize()]
                && !context::is_protected(text, s, e)
                && let Some(to) = self.check(&self.variants[vi], text, s, e)
            {
                if out.is_empty() {
                    out.reserve(text.len() + 16);
                }
                out.push_str(&text[last..s]);
                let start = out.len();
                out.push_str(&to);
                hits.push(Hit {
                    start,
                    end: out.len(),
                    source: s..e,
                });
                last = e;
            }
            match self.matcher.find(Input::new(text).span(next..text.len())) {
                Some(n) => m = n,
                None => break,
            }
        }
        if hits.is_empty() {
            return None;
        }
        out.push_str(&text[last..]);
        Some((out, hits))
    }

    /// Runs the guards on the variant `v` found at `text[s..e]`; returns the
    /// replacement when they all agree.
    fn check(&self, v: &Variant, text: &str, s: usize, e: usize) -> Option<String> {
        let matched = &text[s..e];
        // A soft-sign apostrophe at the end may close a quotation instead.
        if matched.ends_with(['\'', '’']) && text[..s].ends_with(['\'', '‘']) {
            return None;
        }
        let sent = context::sentence(text, s, e);
        if case_of(matched) == Case::Upper
            && !context::caps_context(text, sent, s, e)
            && !context::is_dateline(text, s, e)
        {
            return None;
        }
        let to = context::recase(matched, &v.from, &v.to)?;
        if v.head_noun && !self.is_head_noun(text, e) {
            return None;
        }
        let sentence = &text[sent.0..sent.1];
        if !v.require.is_empty() && !v.require.iter().any(|c| contains_cue(sentence, c, None)) {
            return None;
        }
        if v.unless.iter().any(|c| contains_cue(text, c, None)) {
            return None;
        }
        if (v.surname || v.given.is_some())
            && let Some(w) = prev_word(text, s)
            && self.is_given_name(w)
            && !v
                .given
                .as_ref()
                .is_some_and(|g| g.contains(&w.to_lowercase()))
        {
            return None;
        }
        if v.first_name
            && let Some(w) = next_word(text, e)
            && self.is_given_name(w)
        {
            return None;
        }
        if v.bare_title && context::is_quoted(text, s, e) {
            return None;
        }
        if self.in_work_name(text, s) {
            return None;
        }
        let near = text[..s]
            .floor_char_boundary(s.saturating_sub(48))
            .max(sent.0);
        let before = text[near..s]
            .trim_end_matches(|c: char| c.is_whitespace() || "\"'“‘«*_".contains(c))
            .to_lowercase();
        if self.mention_before.iter().any(|c| {
            before.ends_with(c.as_str())
                && context::is_whole_word(&before, before.len() - c.len(), before.len())
        }) {
            return None;
        }
        if let Some(c) = &v.canonical {
            let lower = sentence.to_ascii_lowercase();
            if contains_cue(&lower, c, Some((s - sent.0, e - sent.0))) {
                return None;
            }
        }
        Some(to)
    }

    /// True for a capitalised word that is not a function word, title or
    /// place noun: a given name (or another proper noun).
    fn is_given_name(&self, w: &str) -> bool {
        is_name_like(w) && !self.not_names.contains(&w.to_lowercase())
    }

    /// True when the noun ending at byte `e` is the head of its phrase:
    /// punctuation, the end of the text or a function word follows.
    fn is_head_noun(&self, text: &str, e: usize) -> bool {
        let after = &text[e..];
        match after.chars().next() {
            None => true,
            Some('-' | '–' | '—' | '/') => false,
            Some(c) if c.is_whitespace() => {
                next_word(text, e).is_some_and(|w| self.function_words.contains(&w.to_lowercase()))
            }
            Some(_) => true,
        }
    }

    /// True when byte `s` is inside a capitalised run (with `of`, `from`,
    /// `the`... between) that starts right after a work noun: the name of a
    /// work or a vessel.
    fn in_work_name(&self, text: &str, s: usize) -> bool {
        const LINKS: &[&str] = &[
            "of", "from", "the", "a", "an", "and", "at", "in", "on", "to", "for",
        ];
        if !text[s..].chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        let mut pos = s;
        let mut first_cap = true;
        for _ in 0..8 {
            let Some(w) = prev_word(text, pos) else {
                return false;
            };
            let lw = w.to_lowercase();
            if self.work_nouns.contains(&lw) {
                return first_cap;
            }
            if w.chars().next().is_some_and(char::is_uppercase) {
                first_cap = true;
            } else if LINKS.contains(&lw.as_str()) {
                first_cap = false;
            } else {
                return false;
            }
            pos = text[..pos].trim_end_matches([' ', '\u{a0}']).len() - w.len();
        }
        false
    }
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
            for h in &hits {
                let (from, to) = (&p.text[h.source.clone()], &text[h.start..h.end]);
                doc.changes.add("translit", &format!("{from}→{to}"), 1);
                if self.explain {
                    doc.edits.push(Edit {
                        stage: "translit",
                        paragraph: p.index,
                        start: text[..h.start].chars().count(),
                        end: text[..h.end].chars().count(),
                        from: from.to_owned(),
                        to: to.to_owned(),
                    });
                }
            }
            p.text = text;
        }
    }
}

/// `, line N` for the empty `key` of the `[[variant]]` row whose other value
/// is `other` (the line of the row when the key itself is not written).
fn empty_key_line(text: &str, key: &str, other: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = lines
        .iter()
        .position(|l| l.contains(&format!("\"{other}\"")))
    else {
        return String::new();
    };
    let start = lines[..at]
        .iter()
        .rposition(|l| l.trim_start().starts_with("[["))
        .unwrap_or(0);
    let end = lines[at + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with("[["))
        .map_or(lines.len(), |i| at + 1 + i);
    let found = (start..end).find(|&i| {
        let l = lines[i].trim_start();
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    format!(", line {}", found.unwrap_or(at) + 1)
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
