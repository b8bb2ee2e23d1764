//! Line-level repair of what the token-level repair leaves: the approach of
//! python-ftfy's `fix_encoding` (`ftfy/__init__.py`, `ftfy/fixes.py`,
//! `ftfy/chardata.py`, `ftfy/bad_codecs/utf8_variants.py`; Apache-2.0,
//! © Robyn Speer), re-implemented here.
//!
//! A line that [`is_bad`] is fixed one step at a time, until a step changes
//! nothing:
//!
//! 1. **The whole line re-encoded** with each code page of
//!    [`charmaps`] in turn; the first whose bytes decode as UTF-8 wins. Before
//!    decoding, two kinds of loss are undone: a no-break space that became a
//!    plain space (`voilÃ le travail`: byte 0xA0 restored inside a sequence,
//!    and after `Ã` that stands alone as the word `à`), and, in the sloppy
//!    code pages, a sequence that lost a byte to `�` or `?` (`â€�`), which
//!    becomes one `�`. The decoder accepts CESU-8 (an emoji written as two
//!    UTF-16 surrogates, `í\u{A0}½í¸\u{8D}`) and Java's `C0 80` for NUL.
//! 2. **Mixed text**: stretches that look like UTF-8 sequences in some
//!    Latin-1-like code page and are bad on their own are fixed as in 1, each
//!    by itself (`Ã perturber la réflexion`).
//!
//! [`fix_c1_controls`] reads C1 controls (`\u{84}Handwerk\u{93}`) as the
//! windows-1252 characters of the same byte; the caller decides when.
//!
//! Counters: `mojibake.utf8_as_<code page>` for each step of kind 1, or
//! `mojibake.double_utf8_<code page>` for a line that took two steps of the
//! same code page.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::bytes::Regex;

use super::badness::is_bad;
use super::charmap::{CLUE_PAGES, CP1252, MACROMAN, charmaps};
use super::{allowed, is_letter, is_strong_sequence, script};

/// Steps tried on one stretch before giving up (text mangled three times
/// over takes three).
const MAX_STEPS: usize = 8;

/// Fixes each line of `text` that looks like mojibake; pushes a counter
/// name for every step taken. `None` when nothing changed.
pub(super) fn repair_lines(text: &str, kinds: &mut Vec<&'static str>) -> Option<String> {
    let mut out = String::new();
    let (mut at, mut offset, mut changed) = (0, 0, false);
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.strip_suffix('\n').unwrap_or(line);
        if body.is_ascii() || !is_bad(body) || only_weak_evidence(body) {
            continue;
        }
        let first = kinds.len();
        if let Some(fixed) = fix_encoding(body, kinds) {
            // The same code page twice over is counted as one double repair.
            if let [a, b] = kinds[first..]
                && let Some(d) = double(a).filter(|&d| Some(d) == double(b))
            {
                kinds.truncate(first);
                kinds.push(d);
            }
            out.push_str(&text[at..start]);
            out.push_str(&fixed);
            at = start + body.len();
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// True when the only evidence in `line` is one that right text shows as
/// well, so that it needs other evidence in the same line:
///
/// - `Ã` standing alone before a space (`Ã la`, the word `à` with its
///   no-break space flattened) is also how a sentence about the letter looks
///   (`the letter Ã is`); `Ã` glued to a letter (`voilÃ le`) is evidence of
///   its own;
/// - `Â` or `Ã` ending an upper-case word before a (no-break) space is a
///   letter of all-caps text (`ROMÂ\u{A0}NIA`, `MÃ\u{A0}E`), where inside
///   a word (`CÃ\u{A0}nan`) it is `à`.
fn only_weak_evidence(line: &str) -> bool {
    if !line.contains(['Ã', 'Â']) {
        return false;
    }
    let chars: Vec<char> = line.chars().collect();
    let mut masked = String::with_capacity(line.len());
    let mut weak = false;
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let after = chars.get(i + 2).copied();
        let alone = c == 'Ã' && !prev.is_some_and(char::is_alphanumeric) && next == Some(' ');
        let caps = matches!(c, 'Ã' | 'Â')
            && prev.is_some_and(char::is_uppercase)
            && matches!(next, Some(' ' | '\u{A0}'))
            && !after.is_some_and(char::is_lowercase);
        weak |= alone || caps;
        masked.push(if alone || caps { 'a' } else { c });
    }
    weak && !is_bad(&masked)
}

/// Steps until nothing changes; `None` when the first changes nothing.
fn fix_encoding(text: &str, kinds: &mut Vec<&'static str>) -> Option<String> {
    let mut cur: Option<String> = None;
    for _ in 0..MAX_STEPS {
        let t = cur.as_deref().unwrap_or(text);
        match step(t, kinds) {
            Some(next) if next != t => cur = Some(next),
            _ => break,
        }
    }
    cur
}

/// One step (see the module docs).
fn step(text: &str, kinds: &mut Vec<&'static str>) -> Option<String> {
    if text.is_ascii() || !is_bad(text) {
        return None;
    }
    for (k, m) in charmaps().iter().enumerate() {
        let Some(mut bytes) = m.encode(text) else {
            continue;
        };
        if k != MACROMAN
            && let Some(b) = restore_byte_a0(&bytes)
        {
            bytes = b;
        }
        if m.sloppy
            && let Some(b) = replace_lossy_sequences(&bytes)
        {
            bytes = b;
        }
        if let Some(s) = decode_utf8_variants(&bytes) {
            kinds.push(kind(m.name));
            return Some(s);
        }
    }
    if let Some(fixed) = decode_inconsistent_utf8(text, kinds) {
        return Some(fixed);
    }
    None
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

/// C1 controls read as the windows-1252 characters of the same byte (ftfy's
/// `fix_c1_controls`), the five bytes windows-1252 leaves undefined kept;
/// `None` when nothing changes.
pub(super) fn fix_c1_controls(text: &str) -> Option<String> {
    // In UTF-8 a C1 control is `C2 80`..`C2 9F`.
    let b = text.as_bytes();
    if !memchr::memchr_iter(0xC2, b).any(|i| b.get(i + 1).is_some_and(|&x| x < 0xA0)) {
        return None;
    }
    let w1252 = &charmaps()[CP1252];
    let fixed: String = text
        .chars()
        .map(|c| if is_c1(c) { w1252.chars[c as usize] } else { c })
        .collect();
    (fixed != text).then_some(fixed)
}

fn kind(page: &str) -> &'static str {
    match page {
        "latin1" => "mojibake.utf8_as_latin1",
        "cp1252" => "mojibake.utf8_as_cp1252",
        "cp1251" => "mojibake.utf8_as_cp1251",
        "cp1250" => "mojibake.utf8_as_cp1250",
        "cp1253" => "mojibake.utf8_as_cp1253",
        "cp1254" => "mojibake.utf8_as_cp1254",
        "cp1257" => "mojibake.utf8_as_cp1257",
        "iso8859_2" => "mojibake.utf8_as_iso8859_2",
        "macroman" => "mojibake.utf8_as_macroman",
        _ => "mojibake.utf8_as_cp437",
    }
}

/// The counter for UTF-8 that went through the code page of `kind` twice.
fn double(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "mojibake.utf8_as_latin1" | "mojibake.utf8_as_cp1252" => "mojibake.double_utf8_cp1252",
        "mojibake.utf8_as_cp1251" => "mojibake.double_utf8_cp1251",
        "mojibake.utf8_as_cp1250" => "mojibake.double_utf8_cp1250",
        "mojibake.utf8_as_macroman" => "mojibake.double_utf8_macroman",
        _ => return None,
    })
}

/// Byte patterns that would be UTF-8 if a space were byte 0xA0 (ftfy's
/// `ALTERED_UTF8_RE`): the leads that commonly precede 0xA0, and three- and
/// four-byte sequences from the leads that cover most scripts and emoji.
fn altered_utf8() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?-u)[\xC2\xC3\xC5\xCE\xD0\xD9] |[\xE2\xE3] [\x80-\x84\x86-\x9F\xA1-\xBF]|[\xE0-\xE3][\x80-\x84\x86-\x9F\xA1-\xBF] |\xF0 [\x80-\xBF][\x80-\xBF]|\xF0[\x80-\xBF] [\x80-\xBF]|\xF0[\x80-\xBF][\x80-\xBF] ",
        )
        .expect("a valid pattern")
    })
}

/// UTF-8 sequences that lost a byte to `�` (byte 0x1A in a sloppy code page)
/// or, once per sequence, to `?` (ftfy's `LOSSY_UTF8_RE`).
fn lossy_utf8() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(concat!(
            r"(?-u)[\xC2-\xDF]\x1A",
            r"|[\xC2\xC3]\?",
            r"|\xED[\xA0-\xAF][\x1A?]\xED[\xB0-\xBF][\x1A?\x80-\xBF]",
            r"|\xED[\xA0-\xAF][\x1A?\x80-\xBF]\xED[\xB0-\xBF][\x1A?]",
            r"|[\xE0-\xEF][\x1A?][\x1A\x80-\xBF]",
            r"|[\xE0-\xEF][\x1A\x80-\xBF][\x1A?]",
            r"|[\xF0-\xF4][\x1A?][\x1A\x80-\xBF][\x1A\x80-\xBF]",
            r"|[\xF0-\xF4][\x1A\x80-\xBF][\x1A?][\x1A\x80-\xBF]",
            r"|[\xF0-\xF4][\x1A\x80-\xBF][\x1A\x80-\xBF][\x1A?]",
            r"|\x1A",
        ))
        .expect("a valid pattern")
    })
}

/// Puts back bytes 0xA0 that became spaces (ftfy's `restore_byte_a0`).
/// `Ã` followed by one space is taken as the word `à` (`Ã la` → `à la`),
/// except before the Portuguese `às`, `àquele`, `àquela`, `àquilo`.
fn restore_byte_a0(bytes: &[u8]) -> Option<Vec<u8>> {
    if !altered_utf8().is_match(bytes) {
        return None;
    }
    let mut spaced = Vec::with_capacity(bytes.len() + 4);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0xC3 && bytes.get(i + 1) == Some(&b' ') {
            let rest = &bytes[i + 2..];
            let joined = [&b" "[..], b"quele", b"quela", b"quilo", b"s "]
                .iter()
                .any(|p| rest.starts_with(p));
            if !joined {
                spaced.extend_from_slice(&[0xC3, 0xA0, b' ']);
                i += 2;
                continue;
            }
        }
        spaced.push(bytes[i]);
        i += 1;
    }
    let out = altered_utf8().replace_all(&spaced, |c: &regex::bytes::Captures| {
        c[0].iter()
            .map(|&b| if b == b' ' { 0xA0 } else { b })
            .collect::<Vec<u8>>()
    });
    (out.as_ref() != bytes).then(|| out.into_owned())
}

/// Replaces sequences that lost a byte with the UTF-8 for `�`.
fn replace_lossy_sequences(bytes: &[u8]) -> Option<Vec<u8>> {
    let re = lossy_utf8();
    if !re.is_match(bytes) {
        return None;
    }
    Some(re.replace_all(bytes, "\u{FFFD}".as_bytes()).into_owned())
}

/// UTF-8, also with CESU-8 surrogate pairs and Java's `C0 80` for NUL
/// (ftfy's `utf-8-variants`); `None` when the bytes are none of these.
fn decode_utf8_variants(b: &[u8]) -> Option<String> {
    if !b.contains(&0xED) && !b.contains(&0xC0) {
        return String::from_utf8(b.to_vec()).ok();
    }
    let cont = |x: u8| (0x80..=0xBF).contains(&x);
    let mut out = String::with_capacity(b.len());
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        let surrogates = b[i] == 0xED
            && i + 6 <= b.len()
            && (0xA0..=0xAF).contains(&b[i + 1])
            && cont(b[i + 2])
            && b[i + 3] == 0xED
            && (0xB0..=0xBF).contains(&b[i + 4])
            && cont(b[i + 5]);
        if surrogates {
            out.push_str(std::str::from_utf8(&b[run..i]).ok()?);
            let unit = |j: usize| {
                (u32::from(b[j] & 0x0F) << 12)
                    | (u32::from(b[j + 1] & 0x3F) << 6)
                    | u32::from(b[j + 2] & 0x3F)
            };
            let (hi, lo) = (unit(i), unit(i + 3));
            out.push(char::from_u32(
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
            )?);
            i += 6;
            run = i;
        } else if b[i] == 0xC0 && b.get(i + 1) == Some(&0x80) {
            out.push_str(std::str::from_utf8(&b[run..i]).ok()?);
            out.push('\0');
            i += 2;
            run = i;
        } else {
            i += 1;
        }
    }
    out.push_str(std::str::from_utf8(&b[run..]).ok()?);
    Some(out)
}

/// What a character can be in a UTF-8 sequence misread with a Latin-1-like
/// code page (ftfy's `UTF8_CLUES`), as bits.
const FIRST2: u8 = 1;
const FIRST3: u8 = 2;
const FIRST4: u8 = 4;
const CONT: u8 = 8;
/// A continuation that does not usually stand for itself next to mojibake
/// (not a space, dash, bullet, quotation mark or ellipsis).
const STRICT: u8 = 16;

/// The clue bits of every character (zero for most).
struct Clues {
    /// U+0000..U+05FF.
    low: Vec<u8>,
    /// Above U+05FF (punctuation and a few symbols), sorted.
    high: Vec<(char, u8)>,
}

impl Clues {
    #[inline]
    fn get(&self, c: char) -> u8 {
        match self.low.get(c as usize) {
            Some(&b) => b,
            None => self
                .high
                .binary_search_by(|&(k, _)| k.cmp(&c))
                .map_or(0, |i| self.high[i].1),
        }
    }
}

fn clues() -> &'static Clues {
    static C: OnceLock<Clues> = OnceLock::new();
    C.get_or_init(|| {
        let mut m: HashMap<char, u8> = HashMap::new();
        for &k in &CLUE_PAGES {
            let page = &charmaps()[k];
            for b in 0x80..=0xFFu8 {
                let c = page.chars[b as usize];
                let loose = matches!(
                    c,
                    '–' | '—' | '―' | '‘' | '’' | '‚' | '“' | '”' | '„' | '•' | '…'
                );
                let bits = match b {
                    0x80..=0xBF if loose => CONT,
                    0x80..=0xBF => CONT | STRICT,
                    0xC2..=0xDF => FIRST2,
                    0xE0..=0xEF => FIRST3,
                    0xF0 | 0xF3 => FIRST4,
                    _ => 0,
                };
                *m.entry(c).or_default() |= bits;
            }
        }
        // A space may stand for a no-break space.
        *m.entry(' ').or_default() |= CONT;
        let mut low = vec![0u8; 0x600];
        let mut high = Vec::new();
        for (c, bits) in m {
            match low.get_mut(c as usize) {
                Some(b) => *b = bits,
                None => high.push((c, bits)),
            }
        }
        high.sort_unstable();
        Clues { low, high }
    })
}

/// Fixes stretches of UTF-8 mojibake inside otherwise different text
/// (ftfy's `decode_inconsistent_utf8`): a run of characters that read as
/// complete UTF-8 sequences, not right after a continuation character, and
/// bad by itself, is fixed on its own.
fn decode_inconsistent_utf8(text: &str, kinds: &mut Vec<&'static str>) -> Option<String> {
    let clues = clues();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let bits = |i: usize| chars.get(i).map_or(0, |&(_, c)| clues.get(c));
    let conts = |i: usize, n: usize| (i..i + n).all(|j| bits(j) & CONT != 0);
    let mut out = String::new();
    let (mut at, mut i, mut changed) = (0, 0, false);
    while i < chars.len() {
        if i > 0 && bits(i - 1) & STRICT != 0 {
            i += 1;
            continue;
        }
        let (mut j, mut strong) = (i, false);
        loop {
            let f = bits(j);
            let n = if f & FIRST2 != 0 && conts(j + 1, 1) {
                2
            } else if f & FIRST3 != 0 && conts(j + 1, 2) {
                3
            } else if f & FIRST4 != 0 && conts(j + 1, 3) {
                4
            } else {
                break;
            };
            // (Three bytes or more are strong; a pair is looked at until one is.)
            if !strong && n == 2 {
                let unit = [chars[j].1, chars[j + 1].1];
                // A space standing for a no-break space is weak evidence,
                // except in `Ã ` (`à`, whose no-break space was flattened).
                let spaced = unit[1] == ' ' && unit[0] != 'Ã';
                strong =
                    !spaced && decode_unit(&unit).is_some_and(|c| is_strong_sequence(&unit, c));
            }
            strong |= n > 2;
            j += n;
        }
        if j == i {
            i += 1;
            continue;
        }
        let s = chars[i].0;
        let e = chars.get(j).map_or(text.len(), |&(o, _)| o);
        let sub = &text[s..e];
        // Mojibake in a stretch this short is evidence only when it is
        // strong, and its repair must read as text where it stands: windows-1251
        // text shown as windows-1252 (`Ì³`, `àº`) holds such stretches by chance.
        if strong
            && sub.len() < text.len()
            && is_bad(sub)
            && let Some(fixed) = fix_encoding(sub, kinds)
            && fits(
                &fixed,
                text[..s].chars().next_back(),
                text[e..].chars().next(),
            )
        {
            out.push_str(&text[at..s]);
            out.push_str(&fixed);
            at = e;
            changed = true;
        }
        i = j;
    }
    if !changed {
        return None;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// The one character that `unit` (a lead and its continuations, a space
/// standing for a no-break space) is UTF-8 for, in some clue code page.
fn decode_unit(unit: &[char]) -> Option<char> {
    CLUE_PAGES.iter().find_map(|&k| {
        let page = &charmaps()[k];
        let bytes: Option<Vec<u8>> = unit
            .iter()
            .map(|&c| if c == ' ' { Some(0xA0) } else { page.byte(c) })
            .collect();
        let bytes = bytes?;
        let s = std::str::from_utf8(&bytes).ok()?;
        let mut it = s.chars();
        let c = it.next()?;
        it.next().is_none().then_some(c)
    })
}

/// True when `fixed`, put between `before` and `after`, reads as text: only
/// characters real text uses, and letters next to letters of their script.
fn fits(fixed: &str, before: Option<char>, after: Option<char>) -> bool {
    if !fixed.chars().all(allowed) {
        return false;
    }
    let clash = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) if !a.is_ascii() && !b.is_ascii() && is_letter(a) && is_letter(b) => {
            script(a) != script(b)
        }
        _ => false,
    };
    !clash(before, fixed.chars().next()) && !clash(fixed.chars().next_back(), after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(s: &str) -> String {
        let mut kinds = Vec::new();
        fix_encoding(s, &mut kinds).unwrap_or_else(|| s.to_owned())
    }

    #[test]
    fn cesu8_emoji() {
        // U+1F600 as two surrogates, each in UTF-8, read as windows-1252.
        assert_eq!(fix("Nice one í\u{A0}½í¸\u{80}"), "Nice one 😀");
    }

    #[test]
    fn lossy_sequences_become_one_replacement_character() {
        assert_eq!(fix("â€œquotedâ€�"), "“quoted�");
        assert_eq!(fix("â€œquotedâ€? he said"), "“quoted� he said");
    }

    #[test]
    fn no_break_space_flattened_to_a_space() {
        assert_eq!(fix("dÃ©jÃ vu"), "déjà vu");
        assert_eq!(fix("Ã bientôt"), "à bientôt");
        assert_eq!(fix("Ã s vezes"), "às vezes");
    }

    #[test]
    fn other_code_pages() {
        // UTF-8 read as cp437, ISO-8859-2 and windows-1257.
        assert_eq!(fix("╨╝╨╕╤Ç"), "мир");
        assert_eq!(fix("pĹ\u{99}ĂĄtelĂŠ"), "přátelé");
        assert_eq!(fix("Ä·Ä“de un Å†emt"), "ķēde un ņemt");
    }

    #[test]
    fn mixed_mojibake_and_clean_text() {
        assert_eq!(fix("Ã la rÃ©union, à côté"), "à la réunion, à côté");
    }

    #[test]
    fn c1_controls_as_windows_1252() {
        let s = "\u{84}Guten Tag\u{93}, sagte er\u{81}";
        assert_eq!(fix_c1_controls(s).unwrap(), "„Guten Tag“, sagte er\u{81}");
        assert_eq!(fix_c1_controls("\u{81}"), None);
    }

    #[test]
    fn variants_decoder() {
        assert_eq!(decode_utf8_variants(b"a\xC0\x80b").as_deref(), Some("a\0b"));
        assert_eq!(decode_utf8_variants(b"\xED\xA0\xBD").as_deref(), None);
        assert_eq!(decode_utf8_variants("한".as_bytes()).as_deref(), Some("한"));
    }
}
