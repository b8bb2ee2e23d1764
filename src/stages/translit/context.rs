//! Text helpers for the context guards: word boundaries, sentences,
//! neighbouring words, cue search, case, protected spans.

use std::sync::LazyLock;

use regex::Regex;

/// True for characters that continue a word (`Kiev` in `Kievskaya`,
/// `kiev_office_id`).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when `text[s..e]` is not part of a longer word.
pub(crate) fn is_whole_word(text: &str, s: usize, e: usize) -> bool {
    !text[..s].chars().next_back().is_some_and(is_word_char)
        && !text[e..].chars().next().is_some_and(is_word_char)
}

/// Byte range of the sentence around `s..e`: from just after the last
/// `.`, `!` or `?` followed by white space before `s`, to the first such
/// mark after `e` (inclusive), or the ends of the text.
pub(crate) fn sentence(text: &str, s: usize, e: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let is_end = |i: usize| {
        matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
    };
    let start = (0..s).rev().find(|&i| is_end(i)).map_or(0, |i| i + 1);
    let end = (e..bytes.len())
        .find(|&i| is_end(i))
        .map_or(bytes.len(), |i| i + 1);
    (start, end)
}

/// The word right before byte `s`, separated from it by spaces only (at
/// least one): letters and inner hyphens, e.g. `Georgy` in `Georgy Lvov`.
pub(crate) fn prev_word(text: &str, s: usize) -> Option<&str> {
    let before = &text[..s];
    let trimmed = before.trim_end_matches([' ', '\u{a0}']);
    if trimmed.len() == before.len() {
        return None;
    }
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphabetic() || c == '-')
        .last()
        .map(|(i, _)| i)?;
    Some(&trimmed[start..])
}

/// The word right after byte `e`, separated from it by spaces only.
pub(crate) fn next_word(text: &str, e: usize) -> Option<&str> {
    let after = &text[e..];
    let trimmed = after.trim_start_matches([' ', '\u{a0}']);
    if trimmed.len() == after.len() {
        return None;
    }
    let end = trimmed
        .char_indices()
        .take_while(|&(_, c)| c.is_alphabetic() || c == '-')
        .last()
        .map(|(i, c)| i + c.len_utf8())?;
    Some(&trimmed[..end])
}

/// True for a capitalised word of letters only (`Igor`, `Young`), the shape
/// of a given name or surname.
pub(crate) fn is_name_like(word: &str) -> bool {
    let mut cs = word.chars();
    cs.next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 2
        && cs.all(|c| c.is_lowercase())
}

/// True when `cue` occurs in `hay` as whole words (its word-character edges
/// not glued to other word characters), outside the byte range `skip`.
/// Case-sensitive: lowercase both to compare ignoring case.
pub(crate) fn contains_cue(hay: &str, cue: &str, skip: Option<(usize, usize)>) -> bool {
    if cue.is_empty() {
        return false;
    }
    let first_word = cue.chars().next().is_some_and(is_word_char);
    let last_word = cue.chars().next_back().is_some_and(is_word_char);
    hay.match_indices(cue).any(|(i, m)| {
        let j = i + m.len();
        if skip.is_some_and(|(a, b)| i < b && j > a) {
            return false;
        }
        (!first_word || !hay[..i].chars().next_back().is_some_and(is_word_char))
            && (!last_word || !hay[j..].chars().next().is_some_and(is_word_char))
    })
}

/// Letter case of a matched variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// Two or more letters, all capitals (`KIEV`).
    Upper,
    /// No capitals (`kiev`).
    Lower,
    /// Anything else (`Kiev`, `the Ukraine`).
    Mixed,
}

/// The case of `s`.
pub(crate) fn case_of(s: &str) -> Case {
    let (mut up, mut low) = (0, 0);
    for c in s.chars() {
        if c.is_uppercase() {
            up += 1;
        } else if c.is_lowercase() {
            low += 1;
        }
    }
    if low == 0 && up >= 2 {
        Case::Upper
    } else if up == 0 {
        Case::Lower
    } else {
        Case::Mixed
    }
}

/// The replacement for `matched` (a case form of `from`) by `to`, keeping
/// the case of the text: capitals stay capitals, lower case stays lower
/// case, a changed initial is carried over. `None` for odd mixtures
/// (`KIev`), which are left alone.
pub(crate) fn recase(matched: &str, from: &str, to: &str) -> Option<String> {
    match case_of(matched) {
        Case::Upper => return Some(to.to_uppercase()),
        Case::Lower => return Some(to.to_lowercase()),
        Case::Mixed => {}
    }
    if matched == from {
        return Some(to.to_owned());
    }
    let mut m = matched.chars();
    let mut f = from.chars();
    let (mc, fc) = (m.next()?, f.next()?);
    if m.as_str() != f.as_str() || !mc.eq_ignore_ascii_case(&fc) {
        return None;
    }
    let mut t = to.chars();
    let tc = t.next()?;
    let tc: String = if mc.is_uppercase() {
        tc.to_uppercase().collect()
    } else {
        tc.to_lowercase().collect()
    };
    Some(tc + t.as_str())
}

/// True when the text around an all-capitals match is in capitals too (a
/// headline): at least four capitals for every lower-case letter in the
/// sentence outside the match.
pub(crate) fn caps_context(text: &str, (ss, se): (usize, usize), s: usize, e: usize) -> bool {
    let (mut up, mut low) = (0usize, 0usize);
    for c in text[ss..s].chars().chain(text[e..se].chars()) {
        if c.is_uppercase() {
            up += 1;
        } else if c.is_lowercase() {
            low += 1;
        }
    }
    up >= 4 * low
}

/// A dateline: the match opens the paragraph and is followed by an optional
/// `, Place`, an optional `(Agency)` and a dash (`KIEV, Ukraine (AP) —`).
pub(crate) fn is_dateline(text: &str, s: usize, e: usize) -> bool {
    static TAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:['’][sS])?(?:,[^,()\n—–]{1,40})?\s*(?:\([^()\n]{1,30}\)\s*)?[—–-]")
            .expect("valid regex")
    });
    text[..s].trim().is_empty() && TAIL.is_match(&text[e..])
}

/// True when `text[s..e]` lies in a span the stage never touches:
/// backticked code, URLs and bare host names, e-mail addresses, hashtags and
/// handles, tz identifiers, paths, tokens with `_` or `=` (identifiers,
/// assignments) and call expressions (`getCity("Odessa")`).
///
/// Only the white-space-delimited token around the match is searched (none
/// of these spans holds a space), plus a count of backticks before it, so
/// the cost does not grow with the paragraph.
pub(crate) fn is_protected(text: &str, s: usize, e: usize) -> bool {
    static PROTECTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?x)
              (?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s<>"“”]+
            | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
            | [\#@]\w+
            | (?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[\w+-]+(?:/[\w+-]+)*
            | /?\w+(?:/\w+){2,}
            | [\w-]+(?:\.[\w-]+)*\.[a-z][\w-]*(?:/[^\s<>"“”]*)?
            | [^\s"'“”‘’()\[\]<>,;]*\w[_=][^\s"'“”‘’()\[\]<>,;]*
            | [A-Za-z_][\w.]*\([^()\s]*\)
            "#,
        )
        .expect("valid regex")
    });
    let before = &text[..s];
    let ticks = memchr::memchr_iter(b'`', before.as_bytes()).count();
    if ticks % 2 == 1 && text[e..].contains('`') {
        return true;
    }
    let ts = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let te = text[e..]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(text.len(), |(i, _)| e + i);
    let token = &text[ts..te];
    PROTECTED.find_iter(token).any(|m| {
        // A match glued to letters on its left (`xwww.`) is no span start.
        let glued = token[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric())
            && !token[m.start()..].starts_with(['#', '@']);
        !glued && ts + m.start() < e && ts + m.end() > s
    })
}

/// True when `text[s..e]` is the whole of a quoted or emphasised span
/// (`'Chernobyl'`, `“Donbass”`, `*Chernobyl*`).
pub(crate) fn is_quoted(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    matches!(
        (before, after),
        (Some('"'), Some('"'))
            | (Some('“'), Some('”'))
            | (Some('‘'), Some('’'))
            | (Some('\''), Some('\''))
            | (Some('«'), Some('»'))
            | (Some('*'), Some('*'))
            | (Some('_'), Some('_'))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_around() {
        let t = "Prince Georgy Lvov led";
        let s = t.find("Lvov").unwrap();
        assert_eq!(prev_word(t, s), Some("Georgy"));
        assert_eq!(next_word(t, s + 4), Some("led"));
        assert_eq!(prev_word("(Lvov", 1), None);
        assert_eq!(next_word("Lvov's", 4), None);
    }

    #[test]
    fn sentences() {
        let t = "One. Two Kiev here! Three.";
        let s = t.find("Kiev").unwrap();
        assert_eq!(
            &t[sentence(t, s, s + 4).0..sentence(t, s, s + 4).1],
            " Two Kiev here!"
        );
    }

    #[test]
    fn cases() {
        assert_eq!(recase("KIEV", "Kiev", "Kyiv").as_deref(), Some("KYIV"));
        assert_eq!(recase("kiev", "Kiev", "Kyiv").as_deref(), Some("kyiv"));
        assert_eq!(
            recase("The Ukraine", "the Ukraine", "Ukraine").as_deref(),
            Some("Ukraine")
        );
        assert_eq!(recase("KIev", "Kiev", "Kyiv"), None);
    }

    #[test]
    fn cues_are_whole_words() {
        assert!(contains_cue("near Odessa, Tex. today", "Tex.", None));
        assert!(!contains_cue("the Texan said", "Texas", None));
        assert!(!contains_cue("Texasville", "Texas", None));
    }

    #[test]
    fn datelines() {
        let t = "KIEV, Ukraine (AP) — Sirens.";
        assert!(is_dateline(t, 0, 4));
        assert!(is_dateline("KHARKOV —  Bombs", 0, 7));
        assert!(!is_dateline("Doubt that ODESSA, the network", 11, 17));
    }

    #[test]
    fn protected() {
        let t = "see www.kiev.example and TZ=Europe/Kiev and `a Kiev b` and getCity(\"Odessa\") and Kiev/Kharkov and Kiev.";
        let at = |w: &str, inner: &str| {
            let i = t.find(w).unwrap() + w.find(inner).unwrap();
            is_protected(t, i, i + inner.len())
        };
        assert!(at("www.kiev.example", "kiev"));
        assert!(at("Europe/Kiev", "Kiev"));
        assert!(at("`a Kiev b`", "Kiev"));
        assert!(at("getCity(\"Odessa\")", "Odessa"));
        assert!(!at("Kiev/Kharkov", "Kiev"));
        assert!(!at("Kiev/Kharkov", "Kharkov"));
        assert!(!at("Kiev.", "Kiev"));
    }
}
