//! Stage 3, `unicode`: one canonical form for every paragraph.
//!
//! - markdown link residue `[Ukraine](#)` / `[text](https://…)` → the link text;
//! - control characters (but line breaks) and invisible format characters
//!   (zero-width space, word joiner, BOM, soft hyphen, bidi marks) removed;
//!   ZWJ and ZWNJ are kept, since scripts and emoji need them;
//! - NBSP, tabs and other spaces → a space; runs of spaces collapsed; lines
//!   trimmed; empty lines inside a paragraph dropped;
//! - NFC (or NFKC, `form = "nfkc"`);
//! - a paragraph that is only a link (`<https://…>`) moves into metadata: `url`
//!   if the document has none yet, else `links`.
//!
//! Typographic quotes, apostrophes and dashes are kept.
//!
//! Counters (`changes.unicode`): `markdown_link`, `control`, `invisible`,
//! `space`, `normalized`, `link_paragraph`.

use regex::Regex;
use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick, is_nfkc_quick};

use crate::document::Document;
use crate::stages::Stage;

/// Settings of the unicode stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnicodeConfig {
    /// Run the stage.
    pub enabled: bool,
    /// `nfc` or `nfkc`.
    pub form: NormalForm,
    /// Replace markdown link residue by its text.
    pub markdown_links: bool,
}

/// Unicode normalisation form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NormalForm {
    /// Canonical composition (default).
    Nfc,
    /// Compatibility composition (folds ligatures, full-width forms, ...).
    Nfkc,
}

/// The unicode stage.
#[derive(Debug, Clone)]
pub struct Unicode {
    cfg: UnicodeConfig,
    md_link: Regex,
    link_only: Regex,
}

impl Unicode {
    /// Builds the stage.
    pub fn new(cfg: &UnicodeConfig) -> Self {
        Unicode {
            cfg: cfg.clone(),
            md_link: Regex::new(r"\[([^\[\]\n]+)\]\((?:#[^)\s]*|https?://[^)\s]*|/[^)\s]*)\)")
                .expect("valid regex"),
            link_only: Regex::new(r"^<?(https?://[^\s<>]+)>?$").expect("valid regex"),
        }
    }

    /// Cleans one string, counting into `counts` (markdown, control,
    /// invisible, space, normalized). Returns `None` when nothing changed.
    pub fn clean(&self, text: &str, counts: &mut [u64; 5]) -> Option<String> {
        let mut cur: Option<String> = None;
        if self.cfg.markdown_links && text.contains("](") {
            let n = self.md_link.find_iter(text).count();
            if n > 0 {
                counts[0] += n as u64;
                cur = Some(self.md_link.replace_all(text, "$1").into_owned());
            }
        }
        let s = cur.as_deref().unwrap_or(text);
        if needs_char_pass(s) {
            let (out, ctl, inv, sp) = char_pass(s);
            counts[1] += ctl;
            counts[2] += inv;
            counts[3] += sp;
            if out != s {
                cur = Some(out);
            }
        }
        let s = cur.as_deref().unwrap_or(text);
        if !s.is_ascii() {
            let normalized = match self.cfg.form {
                NormalForm::Nfc if is_nfc_quick(s.chars()) != IsNormalized::Yes => {
                    Some(s.nfc().collect::<String>())
                }
                NormalForm::Nfkc if is_nfkc_quick(s.chars()) != IsNormalized::Yes => {
                    Some(s.nfkc().collect::<String>())
                }
                _ => None,
            };
            if let Some(n) = normalized.filter(|n| n != s) {
                counts[4] += 1;
                // Compatibility forms can yield new spaces; clean them too.
                let n = if needs_char_pass(&n) {
                    char_pass(&n).0
                } else {
                    n
                };
                cur = Some(n);
            }
        }
        cur
    }
}

/// True for characters the stage removes or turns into a space: a line made
/// only of these is blank.
pub fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || c.is_control() || is_invisible(c)
}

/// Characters the pass removes.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{200E}' | '\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{180E}'
    )
}

fn is_space(c: char) -> bool {
    c != '\n' && c.is_whitespace()
}

/// True when `b` holds an ASCII control other than the line break: 16 bytes
/// at a time, without a branch inside a block.
fn has_ascii_control(b: &[u8]) -> bool {
    let is_control = |c: u8| (c < 0x20 && c != b'\n') || c == 0x7F;
    let mut blocks = b.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(false, |acc, &c| acc | is_control(c)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&c| is_control(c))
}

/// Cheap check: does the text need the character pass at all?
fn needs_char_pass(s: &str) -> bool {
    static PAIRS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 4]> =
        std::sync::OnceLock::new();
    let b = s.as_bytes();
    if matches!(b.first(), Some(b' ' | b'\n')) || matches!(b.last(), Some(b' ' | b'\n')) {
        return true;
    }
    // ASCII controls, and spaces or line breaks the pass would collapse
    // (bytes of other characters are all 0x80 and above).
    let pairs =
        PAIRS.get_or_init(|| [b"  ", b" \n", b"\n ", b"\n\n"].map(memchr::memmem::Finder::new));
    if has_ascii_control(b) || pairs.iter().any(|f| f.find(b).is_some()) {
        return true;
    }
    // Other characters the pass maps or removes: other spaces, C1
    // controls, invisibles.
    !s.is_ascii()
        && s.chars()
            .any(|c| !c.is_ascii() && (c.is_whitespace() || c.is_control() || is_invisible(c)))
}

/// Removes controls and invisibles, maps spaces, collapses and trims lines.
/// Returns the text and counts of controls, invisibles and changed spaces.
fn char_pass(s: &str) -> (String, u64, u64, u64) {
    let (mut ctl, mut inv, mut sp) = (0, 0, 0);
    let mut out = String::with_capacity(s.len());
    let mut line = String::new();
    let mut pending_space = false;
    let mut first_line = true;
    let flush = |line: &mut String, out: &mut String, first: &mut bool| {
        if !line.is_empty() {
            if !*first {
                out.push('\n');
            }
            out.push_str(line);
            *first = false;
            line.clear();
        }
    };
    for c in s.chars() {
        if c == '\n' {
            pending_space = false;
            flush(&mut line, &mut out, &mut first_line);
        } else if c == '\r' {
            sp += 1;
        } else if is_space(c) {
            if c != ' ' {
                sp += 1;
            }
            pending_space = true;
        } else if c.is_control() {
            ctl += 1;
        } else if is_invisible(c) {
            inv += 1;
        } else {
            if pending_space && !line.is_empty() {
                line.push(' ');
            }
            pending_space = false;
            line.push(c);
        }
    }
    flush(&mut line, &mut out, &mut first_line);
    (out, ctl, inv, sp)
}

impl Stage for Unicode {
    fn name(&self) -> &'static str {
        "unicode"
    }

    fn apply(&self, doc: &mut Document) {
        let mut counts = [0u64; 5];
        let mut links = 0;
        for p in doc.paragraphs.iter_mut().filter(|p| p.removed.is_none()) {
            if let Some(t) = self.clean(&p.text, &mut counts) {
                p.text = t;
            }
            if p.text.is_empty() {
                p.remove("unicode", "empty");
                doc.changes.add("unicode", "empty", 1);
                continue;
            }
            if p.metadata.is_some() {
                continue;
            }
            if let Some(c) = self.link_only.captures(&p.text) {
                let url = c[1].to_owned();
                if doc.meta.url.is_none() {
                    doc.meta.url = Some(url);
                    p.metadata = Some("url");
                } else {
                    doc.meta.links.push(url);
                    p.metadata = Some("links");
                }
                links += 1;
            }
        }
        for (key, n) in [
            "markdown_link",
            "control",
            "invisible",
            "space",
            "normalized",
        ]
        .into_iter()
        .zip(counts)
        .chain([("link_paragraph", links)])
        {
            if n > 0 {
                doc.changes.add("unicode", key, n);
            }
        }
        for field in [&mut doc.meta.title, &mut doc.meta.byline]
            .into_iter()
            .flatten()
        {
            if let Some(t) = self.clean(field, &mut [0; 5]) {
                *field = t;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_the_cheap_check_passes_is_left_as_it_is_by_the_pass() {
        let alphabet = [
            ' ',
            '\n',
            '\t',
            'a',
            'é',
            '’',
            '\u{A0}',
            '\u{200B}',
            '\u{85}',
            '\u{7F}',
            'д',
            '\u{3000}',
            '\u{FEFF}',
            '😀',
            '\u{E0001}',
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        for t in &texts {
            if !needs_char_pass(t) {
                assert_eq!(char_pass(t).0, *t, "{t:?}");
            }
        }
    }

    #[test]
    fn plain_text_needs_no_character_pass() {
        for t in [
            "Kyiv’s mayor said “no”.\nДержсекретар США — 😀 ok",
            "a b\nc",
            "é",
        ] {
            assert!(!needs_char_pass(t), "{t:?}");
        }
        for t in [
            "a  b",
            "a\n\nb",
            "a \nb",
            "a\n b",
            "a\u{A0}b",
            "a\u{2028}b",
            "a\u{1}b",
            " a",
            "a\n",
        ] {
            assert!(needs_char_pass(t), "{t:?}");
        }
    }

    fn check(input: &str, expected: &str) {
        let u = Unicode::new(&UnicodeConfig {
            enabled: true,
            form: NormalForm::Nfc,
            markdown_links: true,
        });
        let out = u
            .clean(input, &mut [0; 5])
            .unwrap_or_else(|| input.to_owned());
        assert_eq!(out, expected);
        let again = u.clean(&out, &mut [0; 5]);
        assert!(
            again.is_none() || again.as_deref() == Some(expected),
            "not idempotent: {again:?}"
        );
    }

    #[test]
    fn markdown_links() {
        check("the [Ukraine](#) crisis", "the Ukraine crisis");
        check(
            "see [the report](https://x.org/a) now",
            "see the report now",
        );
        check("a [bracket] (not a link)", "a [bracket] (not a link)");
    }

    #[test]
    fn spaces_and_controls() {
        check("See also\u{a0} Winter", "See also Winter");
        check("  a\tb \u{200b}c\u{7}  \n\n  d  ", "a b c\nd");
        check("zero\u{200d}joiner kept", "zero\u{200d}joiner kept");
    }

    #[test]
    fn nfc_and_quotes() {
        check("Cafe\u{301} “quoted” — dash", "Café “quoted” — dash");
    }

    #[test]
    fn link_paragraph_becomes_url() {
        let u = Unicode::new(&UnicodeConfig {
            enabled: true,
            form: NormalForm::Nfc,
            markdown_links: true,
        });
        let mut doc = Document {
            paragraphs: vec![
                crate::document::Paragraph::new(0, "<https://example.com/a>"),
                crate::document::Paragraph::new(1, "https://example.com/b"),
            ],
            ..Document::default()
        };
        u.apply(&mut doc);
        assert_eq!(doc.meta.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(doc.meta.links, ["https://example.com/b"]);
        assert!(doc.kept().next().is_none());
    }
}
