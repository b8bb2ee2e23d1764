//! Does a stretch of text look like mojibake? The heuristic of python-ftfy
//! (`ftfy/badness.py`, Apache-2.0, © Robyn Speer), re-expressed here: the few
//! hundred characters that UTF-8 mojibake is made of fall into classes
//! (accented capitals, currency signs, box drawing, C1 controls, ...), and
//! some juxtapositions of those classes are far more likely to be mojibake
//! than meant: a lower-case accented letter followed by a currency sign, a
//! box-drawing character next to a letter, `Ã` before a no-break space.
//!
//! The classes and the rules are ftfy's; they are compiled once into one
//! regular expression.

use std::sync::OnceLock;

use std::collections::HashMap;

use regex::Regex;

use crate::ascii::first_non_ascii;
use crate::hash::FnvBuild;

/// Characters `first..=last`.
fn span(first: char, last: char) -> String {
    (first..=last).collect()
}

/// The character classes, as strings of their members.
struct Classes {
    common: String,
    c1: String,
    bad: String,
    law: String,
    currency: String,
    start: String,
    end: String,
    numeric: String,
    kaomoji: String,
    upper_accented: String,
    lower_accented: String,
    upper_common: String,
    lower_common: String,
    boxes: String,
}

fn classes() -> Classes {
    Classes {
        // Common in many contexts: not mojibake by themselves.
        common: "\u{A0}\u{AD}·´–—―…’".into(),
        // No use outside mojibake any more.
        c1: span('\u{80}', '\u{9F}'),
        // Nearly always mojibake.
        bad: "¦¤¨¬¯¸ƒˆˇ˘˛˜†‡‰⌐◊\u{FFFD}ªº".into(),
        law: "¶§".into(),
        currency: "¢£¥₧€".into(),
        start: "¡«¿©΄΅‘‚“„•‹\u{F8FF}".into(),
        end: "®»˝”›™".into(),
        numeric: "²³¹±¼½¾×µ÷⁄∂∆∏∑√∞∩∫≈≠≡≤≥№".into(),
        // Letters that kaomoji faces are made of.
        kaomoji: span('Ò', 'Ö') + &span('Ù', 'Ü') + &span('ò', 'ö') + &span('ø', 'ü') + "ŐŌŪŲ°",
        upper_accented: span('À', 'Ñ') + "ØÜÝĂĀĄĆČĎĐĘĚĒĖĞĢİĪĶĹĽŁĻŃŇŅŒŘŚŞŠŢŤŮŰŸŹŻŽҐ",
        lower_accented: "ß".to_owned() + &span('à', 'ñ') + "ăąāćčďđęěēėğģįīķĺľłļœŕśşšťüźżžґﬁﬂ",
        upper_common: "Þ".to_owned() + &span('Α', 'Ω') + "ΆΈΉΊΌΎΏΪΫ" + &span('Ё', 'Я'),
        lower_common: span('α', 'ω') + "άέήίΰ" + &span('а', 'џ'),
        boxes: "│┌┐┘├┤┬┼".to_owned() + &span('═', '╬') + "▀▄█▌▐░▒▓",
    }
}

/// A regex character class of the characters in `sets`.
fn class(sets: &[&str]) -> String {
    let mut s = String::from("[");
    for c in sets.iter().flat_map(|set| set.chars()) {
        s.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
    }
    s.push(']');
    s
}

/// The compiled rules, and the characters that let one of them match.
struct Badness {
    regex: Regex,
    /// For U+0080..U+FFFF: whether the character is in some rule's key.
    keys: Vec<u64>,
    /// The same for keys of a single character.
    lone: Vec<u64>,
    /// For a key character of some pair rule: those rules, as bits.
    pair_first: CharBits,
    /// For a character that may follow a pair rule's key: those rules.
    pair_next: CharBits,
    /// Some key lies beyond U+FFFF.
    astral_keys: bool,
}

/// A set of bits per character: a table below U+0800 (ASCII, Latin,
/// Greek, Cyrillic), a map above.
#[derive(Default)]
struct CharBits {
    low: Vec<u64>,
    high: HashMap<char, u64, FnvBuild>,
}

impl CharBits {
    fn add(&mut self, c: char, bits: u64) {
        if self.low.is_empty() {
            self.low = vec![0; 0x800];
        }
        match self.low.get_mut(c as usize) {
            Some(b) => *b |= bits,
            None => *self.high.entry(c).or_default() |= bits,
        }
    }

    #[inline]
    fn get(&self, c: char) -> u64 {
        match self.low.get(c as usize) {
            Some(&b) => b,
            None => self.high.get(&c).copied().unwrap_or(0),
        }
    }
}

/// What a match of a rule must hold: a character of `chars`, followed by
/// one of `next` when there is a `next`.
struct Key {
    chars: String,
    next: Option<String>,
}

/// The rules, each with its key: the members of one of its elements that
/// every match must contain (an element not marked optional, made of
/// characters outside ASCII), and, for a pair, the members of the element
/// right after it. Keys are chosen among the rarer elements, so that
/// ordinary text (curly quotes, dashes, no-break spaces, Cyrillic capitals)
/// rarely has one.
fn rules() -> Vec<(String, Key)> {
    let k = classes();
    let (c1, bad, law, cur) = (&*k.c1, &*k.bad, &*k.law, &*k.currency);
    let (start, end, num, kao) = (&*k.start, &*k.end, &*k.numeric, &*k.kaomoji);
    let (ua, la, uc, lc) = (
        &*k.upper_accented,
        &*k.lower_accented,
        &*k.upper_common,
        &*k.lower_common,
    );
    let (bx, common) = (&*k.boxes, &*k.common);
    let arabic = class(&[common, cur, bad, num, start, "ŸŠ®°µ»"]);
    let key = |sets: &[&str]| Key {
        chars: sets.concat(),
        next: None,
    };
    let pair = |sets: &[&str], next: &[&str]| Key {
        chars: sets.concat(),
        next: Some(next.concat()),
    };
    vec![
        (class(&[c1]), key(&[c1])),
        (
            class(&[bad, la, ua, bx, start, end, cur, num, law]) + &class(&[bad]),
            key(&[bad]),
        ),
        (
            "[a-zA-Z]".to_owned() + &class(&[lc, uc]) + &class(&[bad]),
            key(&[bad]),
        ),
        (
            class(&[bad]) + &class(&[la, ua, bx, start, end, cur, num, law]),
            key(&[bad]),
        ),
        (
            class(&[la, lc, bx, end, cur, num]) + &class(&[ua]),
            key(&[ua]),
        ),
        (
            class(&[bx, end, cur, num]) + &class(&[la]),
            pair(&[bx, end, cur, num], &[la]),
        ),
        (class(&[la, bx, end]) + &class(&[cur]), key(&[cur])),
        (
            r"\s".to_owned() + &class(&[ua]) + &class(&[cur]),
            key(&[cur]),
        ),
        (class(&[ua, bx]) + &class(&[num, law]), key(&[num, law])),
        (
            class(&[la, ua, bx, cur, end]) + &class(&[start]) + &class(&[num]),
            key(&[num]),
        ),
        (
            class(&[la, ua, cur, num, bx, law]) + &class(&[end]) + &class(&[start]),
            pair(&[la, ua, cur, num, bx, law], &[end]),
        ),
        (
            class(&[cur, num, bx]) + &class(&[start]),
            key(&[cur, num, bx]),
        ),
        (
            "[a-z]".to_owned() + &class(&[ua]) + &class(&[start, cur]),
            pair(&[ua], &[start, cur]),
        ),
        (class(&[bx]) + &class(&[kao]), key(&[bx])),
        (
            class(&[la, ua, cur, num, start, end, law]) + &class(&[bx]),
            key(&[bx]),
        ),
        (class(&[bx]) + &class(&[end]), key(&[bx])),
        (
            class(&[la, ua]) + &class(&[start, end]) + r"\w",
            pair(&[la, ua], &[start, end]),
        ),
        // The ligature œ not followed by an unaccented Latin letter.
        ("[Œœ][^A-Za-z]".to_owned(), key(&["Œœ"])),
        (class(&[ua]) + "°", key(&["°"])),
        // Common two-character windows-1252 mojibake.
        (
            class(&["ÂÃÎÐ"]) + &class(&["€œŠš¢£Ÿž\u{A0}\u{AD}®©°·»", start, end, "–—´"]),
            pair(&["ÂÃÎÐ"], &["€œŠš¢£Ÿž\u{A0}\u{AD}®©°·»", start, end, "–—´"]),
        ),
        ("×[²³]".to_owned(), pair(&["×"], &["²³"])),
        // windows-1252 mojibake of Arabic: four characters.
        (format!("[ØÙ]{arabic}[ØÙ]{arabic}"), key(&["ØÙ"])),
        // windows-1252 mojibake of some South Asian scripts.
        ("à[²µ¹¼½¾]".to_owned(), pair(&["à"], &["²µ¹¼½¾"])),
        // Mac OS Roman mojibake.
        ("√[±∂†≠®™´≤≥¥µø]".to_owned(), key(&["√"])),
        ("≈[°¢]".to_owned(), key(&["≈"])),
        (
            "‚Ä[ìîïòôúùû†°¢π]".to_owned(),
            pair(&["Ä"], &["ìîïòôúùû†°¢π"]),
        ),
        ("‚[âó][àä°ê]".to_owned(), pair(&["âó"], &["àä°ê"])),
        // windows-1251 mojibake of punctuation, and of Latin-1 or Cyrillic.
        ("вЂ".to_owned(), key(&["Ђ"])),
        (
            "[ВГРС]".to_owned() + &class(&[c1, bad, start, end, cur, "°µ"]) + "[ВГРС]",
            pair(&["ВГРС"], &[c1, bad, start, end, cur, "°µ"]),
        ),
        ("ГўВЂВ.[A-Za-z ]".to_owned(), key(&["Ђ"])),
        // `à` and `á` (and the no-break space) in windows-1252.
        ("Ã[\u{A0}¡]".to_owned(), pair(&["Ã"], &["\u{A0}¡"])),
        (r"[a-z]\s?[ÃÂ][ ]".to_owned(), pair(&["ÃÂ"], &[" "])),
        ("^[ÃÂ][ ]".to_owned(), pair(&["ÃÂ"], &[" "])),
        (
            format!(
                "[a-z.,?!{}]Â[ {}{}]",
                escape_all(end),
                escape_all(start),
                escape_all(end)
            ),
            pair(&["Â"], &[" ", start, end]),
        ),
        // windows-1253 mojibake.
        ("β€[™\u{A0}Ά\u{AD}®°]".to_owned(), pair(&["β"], &["€"])),
        (
            "[ΒΓΞΟ]".to_owned() + &class(&[c1, bad, start, end, cur, "°"]) + "[ΒΓΞΟ]",
            pair(&["ΒΓΞΟ"], &[c1, bad, start, end, cur, "°"]),
        ),
        // windows-1257 mojibake of punctuation.
        ("ā€".to_owned(), pair(&["ā"], &["€"])),
    ]
}

fn badness() -> &'static Badness {
    static B: OnceLock<Badness> = OnceLock::new();
    B.get_or_init(|| {
        let rules = rules();
        let mut keys = vec![0u64; 0x1_0000 / 64];
        let mut lone = vec![0u64; 0x1_0000 / 64];
        let mut pair_first = CharBits::default();
        let mut pair_next = CharBits::default();
        let mut n_pairs = 0;
        let mut astral_keys = false;
        for (_, key) in &rules {
            for c in key.chars.chars() {
                let u = c as usize;
                if u >= 0x1_0000 {
                    astral_keys = true;
                } else {
                    keys[u / 64] |= 1 << (u % 64);
                    if key.next.is_none() {
                        lone[u / 64] |= 1 << (u % 64);
                    }
                }
            }
            if let Some(next) = &key.next {
                assert!(n_pairs < 64, "at most 64 pair rules");
                let bit = 1u64 << n_pairs;
                n_pairs += 1;
                for c in key.chars.chars() {
                    pair_first.add(c, bit);
                }
                for c in next.chars() {
                    pair_next.add(c, bit);
                }
            }
        }
        let patterns: Vec<&str> = rules.iter().map(|(p, _)| p.as_str()).collect();
        Badness {
            regex: Regex::new(&patterns.join("|")).expect("the badness rules compile"),
            keys,
            lone,
            pair_first,
            pair_next,
            astral_keys,
        }
    })
}

fn badness_regex() -> &'static Regex {
    &badness().regex
}

/// True when `text` from byte `from` on holds the key of some rule.
fn has_key(text: &str, from: usize) -> bool {
    let b = badness();
    let bit = |set: &[u64], u: usize| set[u / 64] & (1 << (u % 64)) != 0;
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or('\0');
        i += c.len_utf8();
        let u = c as usize;
        if u >= 0x1_0000 {
            if b.astral_keys {
                return true;
            }
            continue;
        }
        if !bit(&b.keys, u) {
            continue;
        }
        if bit(&b.lone, u) {
            return true;
        }
        let rules = b.pair_first.get(c);
        if text[i..]
            .chars()
            .next()
            .is_some_and(|n| b.pair_next.get(n) & rules != 0)
        {
            return true;
        }
    }
    false
}

fn escape_all(s: &str) -> String {
    s.chars()
        .map(|c| regex::escape(c.encode_utf8(&mut [0; 4])))
        .collect()
}

/// True when `text` holds a sequence that is likely mojibake.
pub(super) fn is_bad(text: &str) -> bool {
    // Every rule needs a character outside ASCII, with at most two ASCII
    // characters before it (`[a-z]\s?[ÃÂ] `): the search starts there.
    // (Anchors still refer to the whole text.)
    let Some(first) = first_non_ascii(text.as_bytes()) else {
        return false;
    };
    // Every match holds a key character of its rule.
    has_key(text, first) && badness_regex().is_match_at(text, first.saturating_sub(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_bad() {
        for s in [
            "donâ€™t",
            "cafÃ©",
            "\u{84}quoted\u{93}",
            "the Ã\u{A0}",
            "Ã la carte",
            "вЂ“ dash",
            "╨┐╤Ç",
            "r√©gime",
        ] {
            assert!(is_bad(s), "{s:?}");
        }
    }

    #[test]
    fn starting_late_finds_what_the_whole_search_finds() {
        let leads = [
            "",
            "x",
            "ab",
            "word ",
            "1, 2, 3. ",
            "plain words, plain words ",
        ];
        let tails = [
            "Ã la carte",
            "a Ã la",
            "\tÂ »",
            "xÂ »",
            "donâ€™t",
            "café",
            "Zürich ½",
            "Â ",
            "Ã",
            " —",
        ];
        for lead in leads {
            for tail in tails {
                let text = format!("{lead}{tail}");
                assert_eq!(is_bad(&text), badness_regex().is_match(&text), "{text:?}");
            }
        }
        assert_eq!(first_non_ascii("0123456789abcdefé".as_bytes()), Some(16));
        assert_eq!(first_non_ascii(b"ascii only"), None);
    }

    #[test]
    fn every_rule_holds_its_key() {
        for (pattern, key) in rules() {
            assert!(!key.chars.is_empty(), "{pattern}");
            assert!(
                key.chars
                    .chars()
                    .all(|c| !c.is_ascii() && pattern.contains(c)),
                "{pattern}: {}",
                key.chars
            );
            if let Some(next) = &key.next {
                assert!(!next.is_empty(), "{pattern}");
                assert!(
                    next.chars().all(|c| pattern.contains(c)),
                    "{pattern}: {next}"
                );
            }
        }
    }

    #[test]
    fn the_key_check_agrees_with_the_whole_search() {
        // A member or two of every class and every literal of the rules,
        // ASCII around them: every string of up to three of them, and the
        // longer rules' own shapes.
        let alphabet: Vec<char> =
            "\u{85}\u{9C}¦ª¶§¢€¡“‘‚«”»™²×√≈ÒÖ°ÀÑÜàñßΑЯёаџ═▓\u{A0}’—ŒœÂÃÎÐØÙÄâóвЂВГРСβΒΞāaAz .\t"
                .chars()
                .collect();
        let mut texts: Vec<String> = vec![
            "ØaØ“".into(),
            "Ø’Ù—".into(),
            "ГўВЂВ” x".into(),
            "‚Ä†".into(),
            "β€™".into(),
            "Â ".into(),
            "x Â ".into(),
        ];
        for &a in &alphabet {
            for &b in &alphabet {
                texts.push(format!("{a}{b}"));
                for &c in &alphabet {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        let mut bad = 0;
        for t in &texts {
            let whole = badness_regex().is_match(t);
            assert_eq!(is_bad(t), whole, "{t:?}");
            bad += usize::from(whole);
        }
        // The strings exercise the rules, not only the clean side.
        assert!(bad > texts.len() / 10, "{bad} of {}", texts.len());
    }

    #[test]
    fn ordinary_punctuation_is_no_key() {
        for s in ["It’s “quoted” — and… done\u{A0}here – ‘x’", "Київ, столиця"]
        {
            let first = first_non_ascii(s.as_bytes()).unwrap();
            assert!(!has_key(s, first), "{s:?}");
        }
    }

    #[test]
    fn right_text_is_not_bad() {
        for s in [
            "café, naïve, Zürich",
            "Київ — столиця України.",
            "«Ёлки-палки!»",
            "5×£35, ½ cup, 10 Å",
            "(-1/2)! = √π",
            "NESTLÉ® and IKEA™",
        ] {
            assert!(!is_bad(s), "{s:?}");
        }
    }
}
