//! Stage 2, `segment`: text → paragraphs, and header lines → metadata.
//!
//! Paragraphs are split on blank lines; a document without a blank line is
//! split on line breaks. Among the leading paragraphs (the header, which ends
//! at the first paragraph of body text), these become metadata:
//!
//! | line | field | example |
//! |---|---|---|
//! | outlet and date | `publisher`, `date` | `The Guardian.-07.01.2022` |
//! | a date alone | `date` | `20220122` |
//! | a bare URL | `url` | `https://…` |
//! | a person's name, or `By …` | `byline` | `Patrick Wintour` |
//!
//! The first headline-like header line (one line, no closing full stop) is
//! also recorded as `title`, and stays in the text.
//!
//! Counters (`changes.segment`): `paragraphs`, `metadata.<field>`.

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::document::{Document, Paragraph};
use crate::report::Changes;
use crate::stages::Stage;
use crate::stages::unicode::{NormalForm, Unicode, UnicodeConfig, is_blank_char};

/// Settings of the segment stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentConfig {
    /// When off, the whole text is one paragraph and no header is read.
    pub enabled: bool,
    /// Read header lines into metadata.
    pub header: bool,
    /// How many leading paragraphs may be header lines at most.
    pub max_header_paragraphs: usize,
}

/// The segmenter, with its patterns compiled once.
#[derive(Debug, Clone)]
pub struct Segmenter {
    cfg: SegmentConfig,
    url: Regex,
    date_only: Regex,
    outlet_date: Regex,
    byline: Regex,
    cleaner: Unicode,
}

impl Segmenter {
    /// Builds the segmenter.
    pub fn new(cfg: &SegmentConfig) -> Self {
        let date = r"(\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}-\d{2}-\d{2}|\d{8})";
        Segmenter {
            cfg: cfg.clone(),
            url: Regex::new(r"^<?(https?://[^\s<>]+)>?$").expect("valid regex"),
            date_only: Regex::new(&format!(r"^{date}$")).expect("valid regex"),
            outlet_date: Regex::new(&format!(r"^(\S.{{0,60}}?)[\s.,:|\-–—]+{date}$"))
                .expect("valid regex"),
            byline: Regex::new(
                r"^(?:[Bb]y\s+)?\p{Lu}[\p{L}'’.\-]*(?:\s+\p{Lu}[\p{L}'’.\-]*){1,3}(?:\s+and\s+\p{Lu}[\p{L}'’.\-]*(?:\s+\p{Lu}[\p{L}'’.\-]*){1,3})?$",
            )
            .expect("valid regex"),
            cleaner: Unicode::new(&UnicodeConfig {
                enabled: true,
                form: NormalForm::Nfc,
                markdown_links: true,
            }),
        }
    }

    /// Splits `text` into paragraphs.
    pub fn segment(&self, text: &str, changes: &mut Changes) -> Vec<Paragraph> {
        let paras = if self.cfg.enabled {
            split_paragraphs(text)
        } else if text.trim().is_empty() {
            Vec::new()
        } else {
            vec![Paragraph::new(0, text)]
        };
        changes.add("segment", "paragraphs", paras.len() as u64);
        paras
    }

    /// Reads the header: the leading run of header lines among the kept
    /// paragraphs (and at most one headline among them). It stops at the
    /// first other line, so what it leaves in the text is never read as a
    /// header on a second pass.
    pub fn read_header(&self, doc: &mut Document) {
        let (meta, changes) = (&mut doc.meta, &mut doc.changes);
        let limit = self.cfg.max_header_paragraphs;
        let mut seen_field = false;
        for p in doc
            .paragraphs
            .iter_mut()
            .filter(|p| p.is_kept())
            .take(limit)
        {
            if p.text.trim().contains('\n') {
                break;
            }
            // Match on the line as the unicode stage will leave it, so a second
            // run over the output reads the same header.
            let cleaned = self.cleaner.clean(&p.text, &mut [0; 5]);
            let line = cleaned.as_deref().unwrap_or(&p.text).trim();
            if is_body(line) {
                break;
            }
            let field = if let Some(c) = self.url.captures(line) {
                if meta.url.is_none() {
                    meta.url = Some(c[1].to_owned());
                    "url"
                } else {
                    meta.links.push(c[1].to_owned());
                    "links"
                }
            } else if let Some(d) = self
                .date_only
                .is_match(line)
                .then(|| iso_date(line))
                .flatten()
            {
                meta.date.get_or_insert(d);
                "date"
            } else if let Some((outlet, d)) = self
                .outlet_date
                .captures(line)
                .and_then(|c| {
                    Some((
                        c[1].trim_end_matches(['.', ',', '-']).to_owned(),
                        iso_date(&c[2])?,
                    ))
                })
                .filter(|(outlet, _)| is_outlet(outlet))
            {
                meta.date.get_or_insert(d);
                meta.publisher.get_or_insert(outlet);
                "date"
            } else if meta.byline.is_none()
                && line.len() <= 60
                && self.byline.is_match(line)
                && (seen_field || line.starts_with("By ") || line.starts_with("by "))
            {
                let name = line
                    .strip_prefix("By ")
                    .or_else(|| line.strip_prefix("by "))
                    .unwrap_or(line);
                meta.byline = Some(name.to_owned());
                "byline"
            } else if meta.title.is_none() && is_headline(line) {
                meta.title = Some(line.to_owned());
                changes.add("segment", "metadata.title", 1);
                continue;
            } else {
                break;
            };
            seen_field = true;
            p.metadata = Some(field);
            changes.add("segment", &format!("metadata.{field}"), 1);
        }
    }
}

/// An outlet name: a few capitalised words (connectives allowed).
fn is_outlet(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=6).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || matches!(
                    *w,
                    "of" | "the" | "and" | "&" | "de" | "du" | "la" | "le" | "des"
                )
        })
}

/// Header reading as a stage. It runs after boilerplate and translit, on the
/// paragraphs that are kept: junk above the headline (a browser notice) does
/// not hide the header, and a second run over the output reads the same.
#[derive(Debug, Clone)]
pub struct Header(pub Segmenter);

impl Stage for Header {
    fn name(&self) -> &'static str {
        "segment"
    }

    fn apply(&self, doc: &mut Document) {
        if self.0.cfg.enabled && self.0.cfg.header {
            self.0.read_header(doc);
        }
    }
}

/// Body text ends the header: a long line, or one of several sentences.
fn is_body(line: &str) -> bool {
    line.split_whitespace().count() >= 25
}

/// One line that reads like a headline: not too long, no closing full stop.
fn is_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (3..=30).contains(&words) && !line.ends_with(['.', '!', ':', ';', ','])
}

/// `07.01.2022` (day first), `1/26/2022` (month first when the day would be
/// over 12), `2022-01-07`, `20220107` → `2022-01-07`; `None` if not a real date.
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let (y, m, d): (u32, u32, u32) = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        (
            s[..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..].parse().ok()?,
        )
    } else if let [y, m, d] = s.split('-').collect::<Vec<_>>()[..] {
        (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    } else {
        let parts: Vec<u32> = s
            .split(['.', '/'])
            .map(|x| x.parse().ok())
            .collect::<Option<_>>()?;
        let [a, b, y] = parts[..] else { return None };
        // Slashes: month first (US style) unless that cannot be a month.
        if s.contains('/') && a <= 12 {
            (y, a, b)
        } else {
            (y, b, a)
        }
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1])
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Splits on blank lines, or on line breaks when there is no blank line.
pub fn split_paragraphs(text: &str) -> Vec<Paragraph> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let is_blank = |l: &str| l.chars().all(is_blank_char);
    let nonblank = |l: &&str| !is_blank(l);
    let first = lines.iter().position(&nonblank);
    let last = lines.iter().rposition(&nonblank);
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let body = &lines[first..=last];
    let has_blank = body.iter().any(|l| is_blank(l));
    let mut out = Vec::new();
    if has_blank {
        let mut cur: Vec<&str> = Vec::new();
        for l in body {
            if is_blank(l) {
                if !cur.is_empty() {
                    out.push(Paragraph::new(out.len(), cur.join("\n")));
                    cur.clear();
                }
            } else {
                cur.push(l);
            }
        }
        if !cur.is_empty() {
            out.push(Paragraph::new(out.len(), cur.join("\n")));
        }
    } else {
        for l in body {
            out.push(Paragraph::new(out.len(), *l));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> (crate::document::Meta, Vec<Paragraph>) {
        let s = Segmenter::new(&SegmentConfig {
            enabled: true,
            header: true,
            max_header_paragraphs: 6,
        });
        let mut doc = Document::default();
        doc.paragraphs = s.segment(text, &mut doc.changes);
        Header(s).apply(&mut doc);
        (doc.meta, doc.paragraphs)
    }

    #[test]
    fn blank_lines_split() {
        let (_, p) = seg("\n\na\nb\n\n\n c \n");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].text, "a\nb");
        assert_eq!(p[1].index, 1);
    }

    #[test]
    fn no_blank_line_splits_on_lines() {
        let (_, p) = seg("one\r\ntwo\r\nthree");
        assert_eq!(
            p.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
            ["one", "two", "three"]
        );
    }

    #[test]
    fn header_lines() {
        let (m, p) = seg(
            "The Guardian.-07.01.2022\n\nPatrick Wintour\n\nUS says a diplomatic solution is possible\n\nBody text of the article is here and goes on for a while with many words in it so that it is clearly body text.",
        );
        assert_eq!(m.date.as_deref(), Some("2022-01-07"));
        assert_eq!(m.publisher.as_deref(), Some("The Guardian"));
        assert_eq!(m.byline.as_deref(), Some("Patrick Wintour"));
        assert_eq!(
            m.title.as_deref(),
            Some("US says a diplomatic solution is possible")
        );
        assert_eq!(
            (p[0].metadata, p[1].metadata, p[2].metadata),
            (Some("date"), Some("byline"), None)
        );
    }

    #[test]
    fn date_and_url_lines() {
        let (m, p) = seg("A headline about talks\n20220122\nhttps://example.com/a/b\nBody.");
        assert_eq!(m.date.as_deref(), Some("2022-01-22"));
        assert_eq!(m.url.as_deref(), Some("https://example.com/a/b"));
        assert_eq!(m.title.as_deref(), Some("A headline about talks"));
        assert_eq!(
            p.iter().map(|p| p.metadata).collect::<Vec<_>>(),
            [None, Some("date"), Some("url"), None]
        );
    }

    #[test]
    fn a_name_alone_is_not_a_byline() {
        let (m, p) = seg("Kyiv Ukraine");
        assert_eq!(m.byline, None);
        assert_eq!(p[0].metadata, None);
        let (m, _) = seg("By Jane Doe\n\nBody.");
        assert_eq!(m.byline.as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("07.01.2022").as_deref(), Some("2022-01-07"));
        assert_eq!(iso_date("1/26/2022").as_deref(), Some("2022-01-26"));
        assert_eq!(iso_date("20220230"), None);
        assert_eq!(iso_date("12345678"), None);
    }
}
