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

use regex::Regex;

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

fn badness_regex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
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
        let rules = [
            class(&[c1]),
            class(&[bad, la, ua, bx, start, end, cur, num, law]) + &class(&[bad]),
            "[a-zA-Z]".to_owned() + &class(&[lc, uc]) + &class(&[bad]),
            class(&[bad]) + &class(&[la, ua, bx, start, end, cur, num, law]),
            class(&[la, lc, bx, end, cur, num]) + &class(&[ua]),
            class(&[bx, end, cur, num]) + &class(&[la]),
            class(&[la, bx, end]) + &class(&[cur]),
            r"\s".to_owned() + &class(&[ua]) + &class(&[cur]),
            class(&[ua, bx]) + &class(&[num, law]),
            class(&[la, ua, bx, cur, end]) + &class(&[start]) + &class(&[num]),
            class(&[la, ua, cur, num, bx, law]) + &class(&[end]) + &class(&[start]),
            class(&[cur, num, bx]) + &class(&[start]),
            "[a-z]".to_owned() + &class(&[ua]) + &class(&[start, cur]),
            class(&[bx]) + &class(&[kao]),
            class(&[la, ua, cur, num, start, end, law]) + &class(&[bx]),
            class(&[bx]) + &class(&[end]),
            class(&[la, ua]) + &class(&[start, end]) + r"\w",
            // The ligature œ not followed by an unaccented Latin letter.
            "[Œœ][^A-Za-z]".to_owned(),
            class(&[ua]) + "°",
            // Common two-character windows-1252 mojibake.
            class(&["ÂÃÎÐ"]) + &class(&["€œŠš¢£Ÿž\u{A0}\u{AD}®©°·»", start, end, "–—´"]),
            "×[²³]".to_owned(),
            // windows-1252 mojibake of Arabic: four characters.
            format!("[ØÙ]{arabic}[ØÙ]{arabic}"),
            // windows-1252 mojibake of some South Asian scripts.
            "à[²µ¹¼½¾]".to_owned(),
            // Mac OS Roman mojibake.
            "√[±∂†≠®™´≤≥¥µø]".to_owned(),
            "≈[°¢]".to_owned(),
            "‚Ä[ìîïòôúùû†°¢π]".to_owned(),
            "‚[âó][àä°ê]".to_owned(),
            // windows-1251 mojibake of punctuation, and of Latin-1 or Cyrillic.
            "вЂ".to_owned(),
            "[ВГРС]".to_owned() + &class(&[c1, bad, start, end, cur, "°µ"]) + "[ВГРС]",
            "ГўВЂВ.[A-Za-z ]".to_owned(),
            // `à` and `á` (and the no-break space) in windows-1252.
            "Ã[\u{A0}¡]".to_owned(),
            r"[a-z]\s?[ÃÂ][ ]".to_owned(),
            "^[ÃÂ][ ]".to_owned(),
            format!(
                "[a-z.,?!{}]Â[ {}{}]",
                escape_all(end),
                escape_all(start),
                escape_all(end)
            ),
            // windows-1253 mojibake.
            "β€[™\u{A0}Ά\u{AD}®°]".to_owned(),
            "[ΒΓΞΟ]".to_owned() + &class(&[c1, bad, start, end, cur, "°"]) + "[ΒΓΞΟ]",
            // windows-1257 mojibake of punctuation.
            "ā€".to_owned(),
        ];
        Regex::new(&rules.join("|")).expect("the badness rules compile")
    })
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
    badness_regex().is_match_at(text, first.saturating_sub(2))
}

/// The offset of the first byte outside ASCII.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    for block in bytes.chunks(16) {
        if block.is_ascii() {
            at += block.len();
        } else {
            return block.iter().position(|b| !b.is_ascii()).map(|i| at + i);
        }
    }
    None
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
