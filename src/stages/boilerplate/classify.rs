//! The paragraph classifier, on text alone, in the spirit of jusText.
//!
//! 1. Features per paragraph: words, stopword density for the paragraph's
//!    language, closing punctuation (sentence shape), title-like
//!    capitalisation, digit share, URL residue and symbol share.
//! 2. A class per paragraph: `Good` (prose: enough words, enough stopwords,
//!    and a closing full stop or many words), `Near` (enough words, fewer
//!    stopwords) or `Bad` (short lines, menus, residue).
//! 3. Context: the main text is the run of paragraphs with the highest sum of
//!    gains (a `Good` paragraph gains its word count, capped; a `Near` one
//!    nothing; a `Bad` one loses a fixed penalty). Short lines between prose
//!    paragraphs (headings, list items) fall inside the run and are kept;
//!    menus, teasers and footers around it are removed. A short lead before
//!    the run (headline, date, URL, byline) is kept for header reading.
//! 4. Inside the main text, two kinds of paragraph are still removed: URL or
//!    symbol residue, and a headline-like line (no closing punctuation, many
//!    words, no inner sentence break) inserted between two prose paragraphs
//!    (a related-article teaser).
//!
//! A document without any `Good` paragraph has no main text, and the
//! classifier removes nothing from it; nor from a document of fewer than
//! `min_paragraphs` paragraphs.

use serde::{Deserialize, Serialize};

use super::stopwords::{self, Stopwords, WordSet};

/// Reason: a short line outside the main text (menu item, label, teaser).
pub const SHORT_LINE: &str = "short_line";
/// Reason: a longer paragraph outside the main text that is not prose
/// (few stopwords, title-like or digit-heavy).
pub const NOT_PROSE: &str = "not_prose";
/// Reason: prose outside the main text (comments, teasers, footers).
pub const OFF_MAIN_TEXT: &str = "off_main_text";
/// Reason: a headline-like line inserted between two prose paragraphs.
pub const INSERTED_HEADLINE: &str = "inserted_headline";
/// Reason: URL or symbol residue.
pub const RESIDUE: &str = "residue";

/// Phrases of the credit lines that close a news story; they are kept after
/// the main text as metadata for the reader.
const CREDIT_MARKERS: &[&str] = &[
    "reporting by",
    "reported from",
    "written by",
    "edited by",
    "editing by",
    "contributed to this report",
    "contributed reporting",
];

fn credit_markers() -> &'static aho_corasick::AhoCorasick {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(CREDIT_MARKERS)
            .expect("the credit markers are valid literals")
    })
}

/// The length of a marker's first word (up to its first space).
const fn first_word_len(marker: &str) -> usize {
    let b = marker.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i] != b' ' {
        i += 1;
    }
    i
}

/// The length of the shortest first word of a credit marker, worked out
/// when the crate is compiled.
const OPENER_MIN_LEN: usize = {
    let mut min = usize::MAX;
    let mut m = 0;
    while m < CREDIT_MARKERS.len() {
        let len = first_word_len(CREDIT_MARKERS[m]);
        if len < min {
            min = len;
        }
        m += 1;
    }
    min
};

/// The bytes (in either case) that the first words of the credit markers
/// end with, worked out when the crate is compiled.
const OPENER_ENDS: [bool; 256] = {
    let mut ends = [false; 256];
    let mut m = 0;
    while m < CREDIT_MARKERS.len() {
        let len = first_word_len(CREDIT_MARKERS[m]);
        if len > 0 {
            let last = CREDIT_MARKERS[m].as_bytes()[len - 1];
            ends[last.to_ascii_lowercase() as usize] = true;
            ends[last.to_ascii_uppercase() as usize] = true;
        }
        m += 1;
    }
    ends
};

/// True when a word may open a credit phrase: it ends with the first word
/// of a marker (which a space follows in every marker), in any case.
#[inline]
fn opens_credit(word: &[u8]) -> bool {
    if word.len() < OPENER_MIN_LEN {
        return false;
    }
    let Some(&end) = word.last() else {
        return false;
    };
    OPENER_ENDS[usize::from(end)]
        && CREDIT_MARKERS.iter().any(|m| {
            let first = &m.as_bytes()[..first_word_len(m)];
            word.len() >= first.len()
                && word[word.len() - first.len()..].eq_ignore_ascii_case(first)
        })
}

/// Words and stopwords counted by [`Features::of`].
#[derive(Default)]
struct Tally {
    words: usize,
    stops: usize,
    /// A word that may open a credit phrase: only then is the text
    /// searched for one.
    may_credit: bool,
}

impl Tally {
    /// Counts a lower-cased word.
    #[inline]
    fn word(&mut self, w: &str, list: Option<&WordSet>) {
        self.words += 1;
        if list.is_some_and(|l| l.contains(w)) {
            self.stops += 1;
        }
        self.may_credit |= opens_credit(w.as_bytes());
    }

    /// Counts the word `text[start..start + len]` of ASCII letters and
    /// digits as written; the same as [`word`](Self::word) on its lower
    /// case.
    #[inline]
    fn ascii_word(&mut self, text: &[u8], start: usize, len: usize, list: Option<&WordSet>) {
        self.words += 1;
        if let Some(l) = list {
            self.stops += usize::from(l.contains_ascii_lower(text, start, len));
        }
        self.may_credit |= opens_credit(&text[start..start + len]);
    }
}

/// True when a word of ASCII letters and digits ends before `rest`: at the
/// end, at ASCII other than an apostrophe, or at a character that is
/// whitespace or a symbol other than `’` (the counting loop would close the
/// word there).
#[inline]
fn ascii_word_ends(rest: &str) -> bool {
    match rest.as_bytes().first() {
        None => true,
        Some(&b) if b < 0x80 => b != b'\'',
        Some(_) => rest.chars().next().is_none_or(|c| {
            c.is_whitespace() || (letter(c).is_none() && !c.is_alphanumeric() && c != '’')
        }),
    }
}

/// For the letters of the basic Cyrillic block (the common case after
/// ASCII): whether it is upper case, and its lower case. Other characters
/// go to the Unicode tables.
#[inline]
fn letter(c: char) -> Option<(bool, char)> {
    let u = c as u32;
    let lower = match u {
        0x0410..=0x042F => u + 0x20,
        0x0400..=0x040F => u + 0x50,
        0x0430..=0x045F => return Some((false, c)),
        _ => return None,
    };
    char::from_u32(lower).map(|l| (true, l))
}

/// Classifier settings (the `[boilerplate]` keys that tune it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClassifierConfig {
    /// Run the classifier (off: rules and repetition only).
    pub classify: bool,
    /// Documents with fewer kept paragraphs are left to the rules.
    pub min_paragraphs: usize,
    /// A paragraph needs at least this many words to be prose.
    pub min_words: usize,
    /// Stopword density (stopwords / words) of prose.
    pub stopword_density: f32,
    /// Stopword density below which a long paragraph is not prose at all.
    pub near_stopword_density: f32,
    /// From this many words a paragraph is prose without closing punctuation.
    pub long_words: usize,
    /// Largest gain of one paragraph when the main text is searched.
    pub max_gain: usize,
    /// What a non-prose paragraph costs the main text around it.
    pub penalty: usize,
    /// A lead of at most this many paragraphs before the main text is kept.
    pub lead_paragraphs: usize,
    /// Inserted headlines have at least this many words (0: never removed).
    pub inserted_headline_words: usize,
}

impl Default for ClassifierConfig {
    fn default() -> Self {
        ClassifierConfig {
            classify: true,
            min_paragraphs: 3,
            min_words: 10,
            stopword_density: 0.25,
            near_stopword_density: 0.15,
            long_words: 30,
            max_gain: 60,
            penalty: 5,
            lead_paragraphs: 6,
            inserted_headline_words: 8,
        }
    }
}

/// The class of one paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Prose.
    Good,
    /// Long enough, but with few stopwords or no sentence shape.
    Near,
    /// Short, or not prose.
    Bad,
}

/// What the classifier measures of one paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Features {
    /// Words (runs of letters and digits; each CJK character is one).
    pub words: usize,
    /// Stopwords among them.
    pub stopwords: usize,
    /// True when the stopword list of the paragraph's language was used.
    pub has_list: bool,
    /// Ends with sentence punctuation (or a closing quote or bracket).
    pub ends_sentence: bool,
    /// Has a sentence break (`.`, `:` or `;` followed by a space) inside.
    pub inner_break: bool,
    /// Spans several lines.
    pub multiline: bool,
    /// Share of words that start with a capital letter.
    pub capitalised: f32,
    /// Share of letters and digits that are digits.
    pub digits: f32,
    /// Share of non-space characters inside URLs.
    pub url: f32,
    /// Share of non-space characters that are neither letters nor digits.
    pub symbols: f32,
    /// Starts with an upper-case letter.
    pub starts_upper: bool,
    /// Plain words only: no digits, brackets, `|`, `@` or `/`.
    pub plain: bool,
    /// Ends with `:` (it introduces what follows).
    pub ends_colon: bool,
    /// Looks like a reporting or editing credit ("Reporting by …").
    pub credit: bool,
    /// A bare URL or a bare numeric date: a header field.
    pub bare_field: bool,
}

impl Features {
    /// Measures `text`, counting stopwords of `lang`.
    pub fn of(text: &str, lang: Option<&str>, stopwords: &Stopwords) -> Features {
        let text = text.trim();
        let list = lang.and_then(|l| stopwords.list(l));
        let has_list = list.is_some();
        // One pass: words (runs of letters, digits and inner apostrophes;
        // each CJK character is a word), stopwords, and the character shares.
        // ASCII takes a byte at a time; other characters are decoded.
        let mut tally = Tally::default();
        let mut buf = String::with_capacity(32);
        let flush = |buf: &mut String, tally: &mut Tally| {
            if !buf.is_empty() {
                tally.word(buf, list);
                buf.clear();
            }
        };
        let mut odd = false;
        // A closing quote or bracket ends a sentence when punctuation precedes it.
        let core = text.trim_end_matches(['"', '”', '»', ')', '\'', '’']);
        let ends_sentence = core.ends_with(['.', '!', '?', '…', ':', ';', '。', '！', '？']);
        let (mut alnum, mut digits, mut nonspace, mut symbols) = (0usize, 0usize, 0usize, 0usize);
        let (mut cap_words, mut all_words) = (0usize, 0usize);
        let mut prev_space = true;
        let mut inner_break = false;
        let mut prev = ' ';
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                // A run of ASCII letters and digits at once.
                let start = i;
                if prev_space {
                    all_words += 1;
                    cap_words += usize::from(b.is_ascii_uppercase());
                }
                let (len, run_digits) = crate::ascii::alnum_run(bytes, start);
                i += len;
                digits += run_digits;
                alnum += i - start;
                nonspace += i - start;
                prev_space = false;
                prev = bytes[i - 1] as char;
                if buf.is_empty() && ascii_word_ends(&text[i..]) {
                    // The whole word, without a copy.
                    tally.ascii_word(bytes, start, i - start, list);
                    continue;
                }
                let from = buf.len();
                buf.push_str(&text[start..i]);
                buf[from..].make_ascii_lowercase();
                continue;
            }
            let c = if b < 0x80 {
                i += 1;
                b as char
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                i += c.len_utf8();
                c
            };
            if c.is_whitespace() {
                flush(&mut buf, &mut tally);
                if matches!(prev, '.' | ':' | ';' | '!' | '?') {
                    inner_break = true;
                }
                prev_space = true;
                prev = c;
                continue;
            }
            nonspace += 1;
            if let Some((upper, lower)) = letter(c) {
                alnum += 1;
                if prev_space {
                    all_words += 1;
                    cap_words += usize::from(upper);
                }
                buf.push(lower);
            } else if b >= 0x80 && !matches!(c, '\u{2000}'..='\u{206F}') && c.is_alphanumeric() {
                alnum += 1;
                if c.is_numeric() {
                    digits += 1;
                }
                if prev_space {
                    all_words += 1;
                    if c.is_uppercase() {
                        cap_words += 1;
                    }
                }
                if stopwords::is_cjk(c) {
                    flush(&mut buf, &mut tally);
                    buf.push(c);
                    flush(&mut buf, &mut tally);
                } else {
                    buf.extend(c.to_lowercase());
                }
            } else {
                symbols += 1;
                odd |= matches!(c, '(' | ')' | '[' | ']' | '|' | '@' | '/');
                if (c == '\'' || c == '’') && !buf.is_empty() {
                    buf.push('\'');
                } else {
                    flush(&mut buf, &mut tally);
                }
            }
            prev_space = false;
            prev = c;
        }
        flush(&mut buf, &mut tally);
        let plain = digits == 0 && !odd;
        // Credit lines are short; longer paragraphs are not searched.
        let Tally {
            words,
            stops,
            may_credit,
        } = tally;
        let credit = may_credit && text.len() <= 1000 && credit_markers().is_match(text);
        let mut url_chars = 0;
        if text.contains("http") || text.contains("www.") {
            for w in text.split_whitespace() {
                let w = w.trim_start_matches(['<', '(', '[']);
                if w.starts_with("http://") || w.starts_with("https://") || w.starts_with("www.") {
                    url_chars += w.chars().count();
                }
            }
        }
        let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f32 / b as f32 };
        Features {
            words,
            stopwords: stops,
            has_list,
            ends_sentence,
            inner_break,
            multiline: text.contains('\n'),
            capitalised: share(cap_words, all_words),
            digits: share(digits, alnum),
            url: share(url_chars, nonspace),
            symbols: share(symbols, nonspace),
            starts_upper: text.chars().next().is_some_and(char::is_uppercase),
            plain,
            ends_colon: text.ends_with(':'),
            credit,
            bare_field: share(url_chars, nonspace) > 0.9
                || (digits >= 6 && digits == alnum && words <= 3),
        }
    }

    /// Stopwords per word (1.0 when there is no list to count with).
    pub fn density(&self) -> f32 {
        if !self.has_list {
            1.0
        } else if self.words == 0 {
            0.0
        } else {
            self.stopwords as f32 / self.words as f32
        }
    }

    /// Could be a header line (headline, date, URL, byline): more than one
    /// word besides stopwords, or a date or link; a lone word ("News", "the
    /// Ukraine") is a menu item. Stopwords do not count, so the line is judged
    /// the same before and after a rewrite drops an article.
    pub fn header_like(&self) -> bool {
        self.words.saturating_sub(self.stopwords) >= 2 || self.digits > 0.0 || self.url > 0.0
    }

    /// URL or symbol residue: nothing a reader would miss.
    pub fn is_residue(&self) -> bool {
        self.url > 0.5 || (self.symbols > 0.6 && self.words < 5)
    }

    /// The paragraph's class under `cfg`.
    pub fn class(&self, cfg: &ClassifierConfig) -> Class {
        if self.is_residue() || self.words < cfg.min_words {
            return Class::Bad;
        }
        let d = self.density();
        // Menus of capitalised items and tables of figures are not prose,
        // however long.
        let listy = self.has_list && self.capitalised > 0.8 && d < cfg.stopword_density;
        if listy || self.digits > 0.5 {
            return Class::Bad;
        }
        if d >= cfg.stopword_density && (self.ends_sentence || self.words >= cfg.long_words) {
            Class::Good
        } else if d >= cfg.near_stopword_density {
            Class::Near
        } else {
            Class::Bad
        }
    }
}

/// One paragraph as the context pass sees it.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    /// Measured features.
    pub features: Features,
    /// False when an earlier rule or stage removed it already.
    pub kept: bool,
}

/// Decides, for each item, the reason to remove it (`None`: keep).
pub fn decide(items: &[Item], cfg: &ClassifierConfig) -> Vec<Option<&'static str>> {
    let mut out = vec![None; items.len()];
    // Context needs paragraphs around: a document of one or two paragraphs
    // is left alone.
    if !cfg.classify || items.iter().filter(|it| it.kept).count() < cfg.min_paragraphs {
        return out;
    }
    let classes: Vec<Class> = items
        .iter()
        .map(|it| {
            if it.kept {
                it.features.class(cfg)
            } else {
                Class::Bad
            }
        })
        .collect();
    // The main text: the run with the largest sum of gains.
    let (mut best, mut cur, mut start) = (0i64, 0i64, 0usize);
    let mut main: Option<(usize, usize)> = None;
    for (i, (c, it)) in classes.iter().zip(items).enumerate() {
        if cur <= 0 {
            cur = 0;
            start = i;
        }
        cur += match c {
            Class::Good => it.features.words.min(cfg.max_gain) as i64,
            Class::Near => 0,
            Class::Bad => -(cfg.penalty as i64),
        };
        if cur > best {
            best = cur;
            main = Some((start, i));
        }
    }
    let Some((a, b)) = main else {
        return out;
    };
    let lead = items[..a].iter().filter(|it| it.kept).count();
    // Credit lines shortly after the main text are kept.
    let tail_end = (b + 1..items.len())
        .filter(|&j| items[j].kept)
        .nth(cfg.lead_paragraphs)
        .unwrap_or(items.len());
    let keep_lead = lead <= cfg.lead_paragraphs;
    // Bare date and URL lines just above the main text are header fields
    // even after a long menu.
    let field_start = (0..a).rev().filter(|&j| items[j].kept).nth(2).unwrap_or(0);
    let good_neighbour = |i: usize| {
        let f = &items[i].features;
        items[i].kept
            && classes[i] == Class::Good
            && f.ends_sentence
            && !f.ends_colon
            && f.words >= 2 * cfg.inserted_headline_words
    };
    for (i, it) in items.iter().enumerate() {
        if !it.kept {
            continue;
        }
        let f = &it.features;
        let inside = (a..=b).contains(&i)
            || (i < a && keep_lead && f.header_like())
            || (i < a && i >= field_start && f.bare_field)
            || (i > b && i < tail_end && f.credit);
        out[i] = if inside {
            if f.is_residue() && (a..=b).contains(&i) {
                Some(RESIDUE)
            } else if is_inserted_headline(f, cfg)
                && (a + 1..b).contains(&i)
                && prev_kept(items, i).is_some_and(good_neighbour)
                && next_kept(items, i).is_some_and(good_neighbour)
            {
                Some(INSERTED_HEADLINE)
            } else {
                None
            }
        } else {
            Some(match classes[i] {
                Class::Good | Class::Near => OFF_MAIN_TEXT,
                Class::Bad if f.words < cfg.min_words => SHORT_LINE,
                Class::Bad if f.is_residue() => RESIDUE,
                Class::Bad => NOT_PROSE,
            })
        };
    }
    out
}

fn is_inserted_headline(f: &Features, cfg: &ClassifierConfig) -> bool {
    cfg.inserted_headline_words > 0
        && f.words >= cfg.inserted_headline_words
        && f.words <= 3 * cfg.inserted_headline_words
        && !f.ends_sentence
        && !f.inner_break
        && !f.multiline
        && f.starts_upper
        && f.plain
        // Sentence case: title-cased lines are the article's own headings.
        && f.capitalised < 0.5
}

fn prev_kept(items: &[Item], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| items[j].kept)
}

fn next_kept(items: &[Item], i: usize) -> Option<usize> {
    (i + 1..items.len()).find(|&j| items[j].kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_and_stopwords() {
        let sw = Stopwords::load(None).unwrap();
        let count = |t: &str, l: Option<&str>| {
            let f = Features::of(t, l, &sw);
            (f.words, f.stopwords)
        };
        assert_eq!(count("The cat sat on the mat.", Some("en")), (6, 3));
        assert_eq!(count("The cat sat on the mat.", None), (6, 0));
        assert_eq!(count("Він сказав, що це можливо.", Some("uk")), (5, 3));
        assert_eq!(count("They don’t know", Some("en")), (3, 2));
        assert_eq!(count("東京都", Some("ja")), (3, 0));
    }

    #[test]
    fn every_credit_marker_opens_with_a_word_then_a_space() {
        for m in CREDIT_MARKERS {
            let (first, _) = m.split_once(' ').expect("a space in every marker");
            assert!(
                opens_credit(first.as_bytes()) && opens_credit(first.to_uppercase().as_bytes())
            );
            assert!(
                !first.is_empty() && first.bytes().all(|b| b.is_ascii_lowercase()),
                "{m}"
            );
        }
        assert!(!opens_credit(b"by") && !opens_credit(b"report"));
        assert_eq!(OPENER_MIN_LEN, 6);
    }

    #[test]
    fn ascii_words_count_as_their_lower_case() {
        let sw = Stopwords::load(None).unwrap();
        let en = sw.list("en").unwrap();
        let text =
            "THE Cat’s AND the dog's—BY Reuters; 2024: ABOUT Éclairs über alles. REPORTING BY Jane";
        let words = [
            "the",
            "cat's",
            "and",
            "the",
            "dog's",
            "by",
            "reuters",
            "2024",
            "about",
            "éclairs",
            "über",
            "alles",
            "reporting",
            "by",
            "jane",
        ];
        let f = Features::of(text, Some("en"), &sw);
        assert_eq!(f.words, words.len());
        let stops = words.iter().filter(|w| en.contains(w)).count();
        assert!(stops >= 5, "{stops}");
        assert_eq!(f.stopwords, stops);
        // "REPORTING BY" is a credit phrase in any case.
        assert!(f.credit);
        assert!(Features::of("Additional reporting by Jane Doe.", Some("en"), &sw).credit);
        assert!(Features::of("Rewritten by AI.", Some("en"), &sw).credit);
        assert!(Features::of("Misreported from Kyiv", Some("en"), &sw).credit);
        assert!(!Features::of("The REPORT is out.", Some("en"), &sw).credit);
    }

    fn run(paras: &[&str]) -> Vec<Option<&'static str>> {
        let sw = Stopwords::load(None).unwrap();
        let items: Vec<Item> = paras
            .iter()
            .map(|t| Item {
                features: Features::of(t, Some("en"), &sw),
                kept: true,
            })
            .collect();
        decide(&items, &ClassifierConfig::default())
    }

    const PROSE: &str = "The talks in Geneva ended without a deal, but both sides said that they would meet again next week to go over the proposals.";
    const PROSE2: &str = "Officials from the two countries have been trying for months to find a way out of the standoff, and they are not done yet.";

    #[test]
    fn classes() {
        let sw = Stopwords::load(None).unwrap();
        let c = |t: &str| Features::of(t, Some("en"), &sw).class(&ClassifierConfig::default());
        assert_eq!(c(PROSE), Class::Good);
        assert_eq!(c("Home"), Class::Bad);
        assert_eq!(
            c("Home News Sport Business Culture Travel Weather Video Audio Sounds Bitesize"),
            Class::Bad
        );
        assert_eq!(
            c("https://example.com/a/very/long/path/to/somewhere"),
            Class::Bad
        );
    }

    #[test]
    fn menus_around_the_article_go_and_headings_inside_stay() {
        let got = run(&[
            "Home",
            "News",
            "Sport",
            "Weather",
            "Business",
            "Culture",
            "Travel",
            PROSE,
            "Weak diplomacy",
            PROSE2,
            "Share this",
            "Most read",
            "About us",
            "Contact",
        ]);
        assert_eq!(got[..7], [Some(SHORT_LINE); 7]);
        assert_eq!(got[7..10], [None, None, None]);
        assert_eq!(got[10..], [Some(SHORT_LINE); 4]);
    }

    #[test]
    fn short_lead_is_kept_for_the_header() {
        let got = run(&[
            "Talks end without a deal",
            "20220122",
            "https://example.com/news/talks",
            PROSE,
            PROSE2,
        ]);
        assert_eq!(got, [None; 5]);
    }

    #[test]
    fn bare_date_and_url_above_the_article_stay_after_a_long_menu() {
        let got = run(&[
            "Home",
            "News",
            "Sport",
            "Weather",
            "Business",
            "Culture",
            "Travel",
            "Video",
            "22.01.2022",
            "https://example.com/news/talks",
            PROSE,
            PROSE2,
        ]);
        assert_eq!(got[..8], [Some(SHORT_LINE); 8]);
        assert_eq!(got[8..], [None; 4]);
    }

    #[test]
    fn inserted_headline_between_prose_goes() {
        let got = run(&[
            PROSE,
            "Here is what you need to know about the military buildup on the border",
            PROSE2,
            PROSE,
        ]);
        assert_eq!(got, [None, Some(INSERTED_HEADLINE), None, None]);
    }

    #[test]
    fn no_prose_no_removal() {
        assert_eq!(
            run(&["Kiev", "hello world", "Home", "Contact us"]),
            [None; 4]
        );
    }
}
