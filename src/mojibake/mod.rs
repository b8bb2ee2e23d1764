//! Mojibake repair inside `decode`: text that was mangled before it reached
//! us, repaired without touching text that is right.
//!
//! Four kinds of damage are undone, in this order:
//!
//! - **Lines that are mojibake as a whole** (`reencode`, after
//!   python-ftfy's `fix_encoding`): a line that the badness heuristic
//!   (`badness`) flags is encoded back with each of latin-1, windows-1252,
//!   -1251, -1250, -1253, -1254, -1257, ISO-8859-2, Mac OS Roman and cp437
//!   (`charmap`) and decoded as UTF-8 (also CESU-8 emoji, `í\u{A0}½í¸\u{8D}`),
//!   with no-break spaces that became spaces (`voilÃ le`) and bytes lost to
//!   `�` or `?` (`â€�`) accounted for; failing that, stretches of it that
//!   are strong evidence on their own and read as text where they stand
//!   (`Ã perturber la réflexion`). Going first keeps a line that decodes
//!   consistently from being taken apart token by token.
//! - **UTF-8 read with a single-byte code page** (windows-1252 or latin-1,
//!   windows-1251, KOI8-R, Mac OS Roman, windows-1250), once or more
//!   (double-encoded):
//!   `Ð”ÐµÑ€Ð¶`, `Р”РµСЂР¶`, `п■п╣я─п╤`, `donâ€™t`, `g√¢teaux`. Each whitespace-separated token
//!   is encoded back with the code page; where the bytes form UTF-8
//!   sequences, they are decoded (up to three times over). The repair of a
//!   token is kept only when every decoded character is one real text uses,
//!   a decoded letter sits next to a letter of its own script (no lone
//!   `Д` between quotes, no lone Hebrew letter between digits), its case fits
//!   its neighbours, and the evidence is strong: a sequence of three or more
//!   bytes, or one whose characters include a control or a symbol (`Ã©`,
//!   `Р°`). Weaker tokens (`РІ` for `в`, made only of letters) are repaired
//!   only when the whole token is mojibake and the same text has strong
//!   evidence for the same code page (a line repaired above counts). A piece
//!   of a garble (a sequence right after a stray continuation byte) is left
//!   whole. So `ВІКІ`, `the letter Ã` and `“Ð”` stay as they are.
//! - **windows-1251 bytes shown as windows-1252** (legacy Cyrillic text,
//!   not UTF-8): `Öüîãî ðîêó`. A run of at least two words (or one long
//!   word) made only of accented Latin letters, with no ASCII letter, and at
//!   least six letters in all, is read back as windows-1251.
//! - **C1 controls** in text that arrived as Unicode ([`Origin::Unicode`]):
//!   `\u{84}Handwerk\u{93}` → `„Handwerk“`, windows-1252 read as latin-1.
//!
//! Clean text takes a fast path: one pass over the characters looking for a
//! pair that could start a mojibake sequence, and the badness heuristic.
//!
//! Counters (`decode` → `mojibake.<kind>`, one per repaired token, run or
//! line step): `utf8_as_cp1252`, `utf8_as_latin1`, `utf8_as_cp1251`,
//! `utf8_as_koi8r`, `utf8_as_macroman`, `utf8_as_cp1250`, `utf8_as_cp1253`,
//! `utf8_as_cp1254`, `utf8_as_cp1257`, `utf8_as_iso8859_2`, `utf8_as_cp437`,
//! `double_utf8_cp1252`, `double_utf8_cp1251`, `double_utf8_koi8r`,
//! `double_utf8_macroman`, `double_utf8_cp1250`, `cp1251_as_cp1252`,
//! `c1_controls`.

mod badness;
mod charmap;
mod reencode;

use std::sync::OnceLock;

use encoding_rs::Encoding;

use crate::report::Changes;

/// Where the text came from, which decides what a lone C1 control means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Decoded here from bytes. A C1 control is what the bytes say (UTF-8
    /// `C2 92`, or a byte of an ISO-8859 code page) and is kept unless it is
    /// part of a repaired sequence.
    Bytes,
    /// Already Unicode (a JSON string). A lone C1 control there is the mark
    /// of windows-1252 bytes decoded as latin-1 on the way (which is why
    /// browsers read `latin-1` as windows-1252), and is read as windows-1252.
    Unicode,
}

/// A code page that UTF-8 is commonly misread with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Codec {
    /// windows-1252, with the C1 controls of latin-1 accepted as well.
    W1252 = 0,
    /// windows-1251 (0x98, undefined, as U+0098).
    W1251 = 1,
    /// KOI8-R.
    Koi8R = 2,
    /// Mac OS Roman (`g√¢teaux`).
    MacRoman = 3,
    /// windows-1250 (`LiĂ¨ge`).
    W1250 = 4,
}

const CODECS: [Codec; 5] = [
    Codec::W1252,
    Codec::W1251,
    Codec::Koi8R,
    Codec::MacRoman,
    Codec::W1250,
];

/// Byte ↔ character tables of one code page.
struct Table {
    /// Character → byte for U+0000..U+04FF (0 = not encodable, except NUL).
    low: Vec<u8>,
    /// Character → byte above U+04FF, sorted.
    high: Vec<(char, u8)>,
    /// Byte → character.
    chars: [char; 256],
}

impl Table {
    fn new(enc: &'static Encoding, sloppy: &[u8]) -> Table {
        let mut chars = ['\u{FFFD}'; 256];
        let mut low = vec![0u8; 0x500];
        let mut high = Vec::new();
        for b in 0..=255u8 {
            let one = [b];
            let (s, had_errors) = enc.decode_without_bom_handling(&one);
            let c = if had_errors {
                char::from(b)
            } else {
                s.chars().next().unwrap_or('\u{FFFD}')
            };
            chars[b as usize] = c;
            if (c as usize) < low.len() {
                low[c as usize] = b;
            } else {
                high.push((c, b));
            }
        }
        // C1 controls also encode to their own byte (latin-1, sloppy decoders).
        for &b in sloppy {
            low[b as usize] = b;
        }
        high.sort_unstable();
        Table { low, high, chars }
    }

    /// The byte for `c`, if the code page has one.
    fn byte(&self, c: char) -> Option<u8> {
        let u = c as usize;
        if u < 0x80 {
            return Some(u as u8);
        }
        if u < self.low.len() {
            let b = self.low[u];
            return (b != 0).then_some(b);
        }
        self.high
            .binary_search_by(|&(k, _)| k.cmp(&c))
            .ok()
            .map(|i| self.high[i].1)
    }
}

fn tables() -> &'static [Table; 5] {
    static T: OnceLock<[Table; 5]> = OnceLock::new();
    T.get_or_init(|| {
        let c1: Vec<u8> = (0x80..=0x9F).collect();
        [
            Table::new(encoding_rs::WINDOWS_1252, &c1),
            Table::new(encoding_rs::WINDOWS_1251, &[0x98]),
            Table::new(encoding_rs::KOI8_R, &[]),
            Table::new(encoding_rs::MACINTOSH, &[]),
            Table::new(encoding_rs::WINDOWS_1250, &[0x81, 0x83, 0x88, 0x90, 0x98]),
        ]
    })
}

/// Per character below U+0500 and for the punctuation and box-drawing
/// blocks, four 5-bit codec sets (bit `k` for codec `k`): bits 0..5, codecs
/// in which the character is a continuation byte; bits 5..10, 10..15 and
/// 15..20, codecs in which it leads a 2-, 3- or 4-byte UTF-8 sequence.
fn masks() -> &'static Masks {
    static M: OnceLock<Masks> = OnceLock::new();
    M.get_or_init(Masks::new)
}

struct Masks {
    /// U+0000..U+04FF.
    low: Vec<u32>,
    /// U+2000..U+25FF.
    punct: Vec<u32>,
    /// No ASCII character has a mask (no code page maps a high byte to
    /// ASCII), so a token of ASCII holds no sequence.
    ascii_inert: bool,
}

const PUNCT_START: u32 = 0x2000;

impl Masks {
    fn new() -> Masks {
        let mut low = vec![0u32; 0x500];
        let mut punct = vec![0u32; 0x600];
        for (k, t) in tables().iter().enumerate() {
            for b in 0x80..=0xFFu8 {
                let shift = match b {
                    0x80..=0xBF => 0,
                    0xC2..=0xDF => 5,
                    0xE0..=0xEF => 10,
                    0xF0..=0xF4 => 15,
                    _ => continue,
                };
                let bits = 1u32 << (shift + k);
                let mut cs = vec![t.chars[b as usize]];
                if k == 0 && (0x80..0xA0).contains(&b) {
                    cs.push(char::from(b));
                }
                for c in cs {
                    let u = c as u32;
                    if (u as usize) < low.len() {
                        low[u as usize] |= bits;
                    } else if (PUNCT_START..PUNCT_START + 0x600).contains(&u) {
                        punct[(u - PUNCT_START) as usize] |= bits;
                    }
                }
            }
        }
        let ascii_inert = low[..0x80].iter().all(|&m| m == 0);
        Masks {
            low,
            punct,
            ascii_inert,
        }
    }

    fn get(&self, c: char) -> u32 {
        let u = c as u32;
        if (u as usize) < self.low.len() {
            self.low[u as usize]
        } else if (PUNCT_START..PUNCT_START + 0x600).contains(&u) {
            self.punct[(u - PUNCT_START) as usize]
        } else {
            0
        }
    }
}

/// Follows, per codec, whether the characters so far end in a complete
/// UTF-8 sequence (a lead and all the continuations it asks for), with one
/// codec set per number of continuations still needed.
#[derive(Default)]
struct Sequences {
    need1: u32,
    need2: u32,
    need3: u32,
}

impl Sequences {
    /// Feeds one character's mask; returns the codecs whose sequence it completes.
    #[inline]
    fn step(&mut self, info: u32) -> u8 {
        let cont = info & 31;
        let done = self.need1 & cont;
        self.need1 = (self.need2 & cont) | ((info >> 5) & 31);
        self.need2 = (self.need3 & cont) | ((info >> 10) & 31);
        self.need3 = (info >> 15) & 31;
        done as u8
    }

    fn reset(&mut self) {
        *self = Sequences::default();
    }
}

/// `char::is_alphabetic`, with the scripts seen here answered from ranges.
fn is_letter(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        0x80..=0xBF => matches!(c, 'ª' | 'µ' | 'º'),
        0xC0..=0x24F => c != '×' && c != '÷',
        0x410..=0x44F => true,
        0x2000..=0x2BFF => false,
        _ => c.is_alphabetic(),
    }
}

/// True for the characters windows-1251 letters show as when read as
/// windows-1252: `À`..`ÿ` (with `×` and `÷` for `Ч` and `ч`), and the signs
/// that stand for `Ё ё Є є І і Ї ї Ґ ґ Ў ў` (`¨ ¸ ª º ² ³ ¯ ¿ ¥ ´ ¡ ¢`).
fn is_legacy_letter(c: char) -> bool {
    matches!(
        c,
        '\u{C0}'
            ..='\u{FF}' | '¨' | '¸' | 'ª' | 'º' | '²' | '³' | '¯' | '¿' | '¥' | '´' | '¡' | '¢'
    )
}

/// What the fast scan found.
#[derive(Debug, Default, PartialEq)]
struct Scan {
    /// A complete UTF-8 sequence in some codec.
    pairs: bool,
    /// A token of three or more accented Latin letters and no ASCII letter.
    legacy: bool,
}

fn scan(text: &str) -> Scan {
    scan_with(text, true)
}

/// The scan; with `blocks`, 16 ASCII bytes are taken at once where they
/// come (the same result, faster on mostly-ASCII text).
fn scan_with(text: &str, blocks: bool) -> Scan {
    let m = masks();
    let mut s = Scan::default();
    let mut seq = Sequences::default();
    let (mut legacy_letters, mut ascii_letters) = (0u32, false);
    let mut chars = text.chars();
    // Blocks are tried inside runs of ASCII only (after an ASCII character),
    // not at each space between words of another script.
    let mut after_ascii = false;
    loop {
        // A block of 16 ASCII bytes: it ends any sequence, and its spaces
        // and letters count as they would one by one.
        let rest = chars.as_str();
        if blocks
            && after_ascii
            && let Some(block) = rest.as_bytes().get(..16)
            && block.is_ascii()
        {
            match block.iter().position(u8::is_ascii_whitespace) {
                Some(first) => {
                    // The first space closes the token before it; the
                    // letters after the last one start the next.
                    let letters_before =
                        ascii_letters || block[..first].iter().any(u8::is_ascii_alphabetic);
                    s.legacy |= legacy_letters >= 3 && !letters_before;
                    legacy_letters = 0;
                    let last = block
                        .iter()
                        .rposition(u8::is_ascii_whitespace)
                        .unwrap_or(first);
                    ascii_letters = block[last + 1..].iter().any(u8::is_ascii_alphabetic);
                }
                None => ascii_letters |= block.iter().any(u8::is_ascii_alphabetic),
            }
            seq.reset();
            chars = rest[16..].chars();
            continue;
        }
        let Some(c) = chars.next() else {
            break;
        };
        after_ascii = c.is_ascii();
        if c.is_ascii() {
            if c.is_ascii_whitespace() {
                s.legacy |= legacy_letters >= 3 && !ascii_letters;
                legacy_letters = 0;
                ascii_letters = false;
            } else {
                ascii_letters |= c.is_ascii_alphabetic();
            }
            seq.reset();
            continue;
        }
        if seq.step(m.get(c)) != 0 {
            // The token-by-token repair looks at everything, legacy included.
            s.pairs = true;
            return s;
        }
        legacy_letters += u32::from(is_legacy_letter(c));
    }
    s.legacy |= legacy_letters >= 3 && !ascii_letters;
    s
}

/// Repairs mojibake in `text`, counting each repair in `changes`.
pub fn repair(text: String, origin: Origin, changes: &mut Changes) -> String {
    if text.is_ascii() {
        return text;
    }
    let mut out = text;
    // Lines that are mojibake as a whole first, so that the token repair
    // does not take apart a line that decodes consistently.
    let mut support = [false; 5];
    if badness::is_bad(&out) {
        let mut kinds = Vec::new();
        if let Some(fixed) = reencode::repair_lines(&out, &mut kinds) {
            out = fixed;
        }
        for k in kinds {
            // What is left of the same damage counts as supported (a
            // double-encoded line whose first layer came off whole).
            if let Some(i) = support_for(k) {
                support[i] = true;
            }
            changes.add("decode", k, 1);
        }
    }
    let s = scan(&out);
    if s.pairs || s.legacy {
        let mut legacy = s.legacy;
        if s.pairs {
            // What looked like legacy text may have been UTF-8 mojibake
            // (`Ð¦ÑŒ`): only the tokens left as they were count.
            // (The scan stops at the first sequence, so its own legacy flag
            // is not complete: the repair's is.)
            let (fixed, legacy_left) = repair_utf8(out, support, changes);
            out = fixed;
            legacy = legacy_left;
        }
        if legacy {
            out = repair_legacy(out, changes);
        }
    }
    // Last, as the last resort it is: sequences that hold C1 controls are
    // decoded above (`â\u{80}\u{9C}`).
    if origin == Origin::Unicode
        && let Some(fixed) = reencode::fix_c1_controls(&out)
    {
        out = fixed;
        changes.add("decode", "mojibake.c1_controls", 1);
    }
    out
}

/// The token-repair codec that a line-level repair of kind `kind` is
/// evidence for.
fn support_for(kind: &str) -> Option<usize> {
    let codec = match kind {
        "mojibake.utf8_as_latin1" | "mojibake.utf8_as_cp1252" | "mojibake.double_utf8_cp1252" => {
            Codec::W1252
        }
        "mojibake.utf8_as_cp1251" | "mojibake.double_utf8_cp1251" => Codec::W1251,
        "mojibake.utf8_as_macroman" | "mojibake.double_utf8_macroman" => Codec::MacRoman,
        "mojibake.utf8_as_cp1250" | "mojibake.double_utf8_cp1250" => Codec::W1250,
        _ => return None,
    };
    Some(codec as usize)
}

/// A token's repair under one codec.
struct Fix {
    text: String,
    /// Evidence strong enough on its own.
    strong: bool,
    /// Every non-ASCII character of the token was part of a sequence.
    full: bool,
    kind: &'static str,
}

/// One round of decoding: the token's characters encoded with `t`, valid
/// UTF-8 sequences decoded, other characters kept. `decoded` marks the
/// characters that came out of a sequence (in this round or an earlier one).
struct Round {
    text: Vec<char>,
    decoded: Vec<bool>,
    strong: bool,
    /// Some sequence ends in something other than a common letter (`Ñ–`).
    medium: bool,
    /// Every sequence decoded to a letter.
    letters: bool,
    /// A non-ASCII letter was left out of every sequence (`С` and `Ф` in
    /// `СФРЈ`, whose `РЈ` is UTF-8 for `У`).
    stray_letter: bool,
    /// A sequence follows a continuation byte that was left out of every
    /// sequence (`ã†â€™`): a piece of a larger garble that does not decode
    /// (the look-behind of ftfy's `UTF8_DETECTOR_RE`), which is better left
    /// whole than decoded in places.
    garbled: bool,
    /// Some sequence is three or four bytes long.
    long: bool,
    full: bool,
    c1: bool,
}

/// `decoded_in` may be empty (nothing decoded yet); `bytes` is scratch space.
fn decode_round(
    chars: &[char],
    decoded_in: &[bool],
    t: &Table,
    bytes: &mut Vec<u8>,
) -> Option<Round> {
    bytes.clear();
    for &c in chars {
        bytes.push(t.byte(c)?);
    }
    let was_decoded = |i: usize| decoded_in.get(i).copied().unwrap_or(false);
    let mut r = Round {
        text: Vec::with_capacity(chars.len()),
        decoded: Vec::with_capacity(chars.len()),
        strong: false,
        medium: false,
        letters: true,
        stray_letter: false,
        garbled: false,
        long: false,
        full: true,
        c1: false,
    };
    let mut hits = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let len = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 1,
        };
        if len > 1
            && i + len <= bytes.len()
            && let Ok(s) = std::str::from_utf8(&bytes[i..i + len])
        {
            hits += 1;
            r.garbled |= i > 0
                && (0x80..=0xBF).contains(&bytes[i - 1])
                && r.decoded.last() == Some(&false)
                && !is_quote_or_dash(chars[i - 1]);
            let orig = &chars[i..i + len];
            let c = s.chars().next().unwrap_or('\u{FFFD}');
            r.c1 |= orig.iter().any(|c| matches!(c, '\u{80}'..='\u{9F}'));
            r.strong |= is_strong_sequence(orig, c);
            r.medium |= len >= 3 || orig[1..].iter().any(|&c| !is_common_letter(c));
            // Cyrillic letters glued to lower-case ASCII letters (`naГЇve`,
            // `OrbГЎn`; not the mixed-script abbreviation `РІSА`).
            let ascii_letter = |j: Option<&char>| j.is_some_and(|c| c.is_ascii_lowercase());
            if orig.iter().all(|&c| script(c) == Some(Script::Cyrillic))
                && (ascii_letter(i.checked_sub(1).and_then(|j| chars.get(j)))
                    || ascii_letter(chars.get(i + len)))
            {
                r.strong = true;
                r.medium = true;
            }
            r.letters &= is_letter(c);
            r.long |= len >= 3;
            r.text.push(c);
            r.decoded.push(true);
            i += len;
            continue;
        }
        if b >= 0x80 {
            r.full = false;
            r.stray_letter |= is_letter(chars[i]);
        }
        r.text.push(chars[i]);
        r.decoded.push(was_decoded(i));
        i += 1;
    }
    (hits > 0).then_some(r)
}

/// True when `orig`, the characters of one UTF-8 sequence misread with a
/// code page, is evidence of mojibake by itself (`c` is what it decodes to):
/// a sequence of three or more bytes, or a pair whose continuation
/// [`is_strong_continuation`].
fn is_strong_sequence(orig: &[char], c: char) -> bool {
    // A two-byte sequence that decodes to a symbol is strong only behind the
    // lead every code page shows it with (`Â«`, `В«`, `б╚`); `¬´` is more
    // likely meant as it is.
    // Nor is a letter followed by a closing quote or a dash: `«ТАСС»` holds
    // `С»`, which is UTF-8 for `ћ`.
    let len = orig.len();
    let symbol_ok = len > 2 || is_letter(c) || matches!(orig[0], 'Â' | 'В' | 'б');
    // (`Ã‘` for `Ñ` stays strong; `Ã’s` may be meant.)
    let quote =
        len == 2 && is_quote_or_dash(orig[1]) && (!matches!(orig[0], 'Ã' | 'Â') || orig[1] == '’');
    len >= 3
        || symbol_ok
            && !quote
            && orig[1..]
                .iter()
                .any(|&c| is_strong_continuation(orig[0], c))
}

/// A continuation character that gives a sequence away as mojibake: a
/// control, a symbol that real text does not put right after a letter, or a
/// letter no Latin-1 or Cyrillic alphabet here uses (`œ`, `Š`, `ѓ`, `Ђ`).
/// The letters and the punctuation that do follow letters (`’`, `…`,
/// dashes) are weak evidence; so is a no-break space, except after `Â` or
/// `Ã` (`Â\u{A0}`, `Ã\u{A0}` for `à`).
fn is_strong_continuation(lead: char, c: char) -> bool {
    // A no-break space, `™` and `®` follow words in real text too (`IKEA™`,
    // `NICIODATĂ™`), but not `Â` or `Ã` (`Ã™` for `Ù`).
    if matches!(c, '\u{A0}' | '™' | '®') {
        return matches!(lead, 'Â' | 'Ã');
    }
    !is_common_letter(c) && !matches!(c, '\u{AD}' | '’' | '–' | '—' | '…' | '¥' | '¹' | '²' | '³')
}

/// Quotation marks, dashes and the like, which real text puts right after a
/// letter.
fn is_quote_or_dash(c: char) -> bool {
    matches!(
        c,
        '«' | '»'
            | '‘'
            | '’'
            | '‚'
            | '“'
            | '”'
            | '„'
            | '‹'
            | '›'
            | '…'
            | '–'
            | '—'
            | '•'
    )
}

/// Letters of the Latin-1 and Cyrillic alphabets used here.
fn is_common_letter(c: char) -> bool {
    matches!(c as u32, 0xC0..=0xFF | 0x410..=0x44F)
        || matches!(
            c,
            'Ё' | 'ё' | 'Є' | 'є' | 'І' | 'і' | 'Ї' | 'ї' | 'Ґ' | 'ґ' | 'Ў' | 'ў'
        )
}

/// Tries to repair `tok` with codec `k`, up to three rounds deep.
fn fix_token(chars: &[char], k: usize, bytes: &mut Vec<u8>) -> Option<Fix> {
    let t = &tables()[k];
    let first = decode_round(chars, &[], t, bytes)?;
    // Real words that happen to hold a UTF-8 pair keep their other letters
    // outside any sequence; mojibake leaves no letter out (`l’Ã©valuation`
    // leaves only the quote).
    if first.stray_letter && !first.long {
        return None;
    }
    let (strong, full, c1, garbled) = (first.strong, first.full, first.c1, first.garbled);
    let mut rounds = vec![first];
    while rounds.len() < 3 {
        let last = &rounds[rounds.len() - 1];
        // A further round needs the whole token and evidence of its own, or
        // letters only after a strong or whole first round (`Р\u{A0}В†` →
        // `РІ` → `в`);
        // `ВІ` must not become `²` because it happens to be UTF-8.
        match decode_round(&last.text, &last.decoded, t, bytes) {
            Some(r) if r.full && (r.medium || ((strong || full) && r.letters)) => rounds.push(r),
            _ => break,
        }
    }
    // A piece of a garble is left whole unless a further round decodes all
    // of it (`â\u{80}â\u{80}\u{9C}`: `â\u{80}“` is `–` twice over).
    if garbled && rounds.len() == 1 {
        return None;
    }
    // The deepest round that reads as real text.
    while let Some(r) = rounds.pop() {
        let v = plausible(&r.text, &r.decoded);
        if v != Verdict::Bad {
            let depth = rounds.len() + 1;
            return Some(Fix {
                text: r.text.into_iter().collect(),
                strong: (strong || depth > 1) && v == Verdict::Good,
                full,
                kind: kind(k, depth, c1),
            });
        }
    }
    None
}

fn kind(k: usize, depth: usize, c1: bool) -> &'static str {
    match (CODECS[k], depth > 1) {
        (Codec::W1252, false) if c1 => "mojibake.utf8_as_latin1",
        (Codec::W1252, false) => "mojibake.utf8_as_cp1252",
        (Codec::W1252, true) => "mojibake.double_utf8_cp1252",
        (Codec::W1251, false) => "mojibake.utf8_as_cp1251",
        (Codec::W1251, true) => "mojibake.double_utf8_cp1251",
        (Codec::Koi8R, false) => "mojibake.utf8_as_koi8r",
        (Codec::Koi8R, true) => "mojibake.double_utf8_koi8r",
        (Codec::MacRoman, false) => "mojibake.utf8_as_macroman",
        (Codec::MacRoman, true) => "mojibake.double_utf8_macroman",
        (Codec::W1250, false) => "mojibake.utf8_as_cp1250",
        (Codec::W1250, true) => "mojibake.double_utf8_cp1250",
    }
}

/// Script of a letter, for the neighbour checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Hebrew,
    Arabic,
    Thai,
    Cjk,
    Hangul,
}

fn script(c: char) -> Option<Script> {
    let u = c as u32;
    Some(match u {
        _ if c.is_ascii_alphabetic() => Script::Latin,
        0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x370..=0x3FF => Script::Greek,
        0x400..=0x4FF => Script::Cyrillic,
        0x5D0..=0x5EA => Script::Hebrew,
        0x620..=0x64A => Script::Arabic,
        0xE01..=0xE5B => Script::Thai,
        0x3040..=0x30FF | 0x4E00..=0x9FFF => Script::Cjk,
        0xAC00..=0xD7A3 => Script::Hangul,
        _ => return None,
    })
}

/// Characters a repair may produce: letters of the scripts real text here
/// uses, and ordinary punctuation and symbols. Not: controls, IPA and
/// modifier letters, archaic or rare Cyrillic, private use.
fn allowed(c: char) -> bool {
    matches!(
        c as u32,
        0x00..=0x7F
            | 0xA0..=0x17F
            | 0x1A0
            | 0x1A1
            | 0x1AF
            | 0x1B0
            | 0x218..=0x21B
            | 0x300..=0x36F
            | 0x384..=0x3CE
            | 0x400..=0x45F
            | 0x490..=0x493
            | 0x49A
            | 0x49B
            | 0x4A2
            | 0x4A3
            | 0x4AE..=0x4B1
            | 0x4BA
            | 0x4BB
            | 0x4D8
            | 0x4D9
            | 0x4E8
            | 0x4E9
            | 0x5D0..=0x5EA
            | 0x621..=0x64A
            | 0xE01..=0xE5B
            | 0x1EA0..=0x1EF9
            | 0x2010..=0x2027
            | 0x2030..=0x205E
            | 0x20A0..=0x20BF
            | 0x2100..=0x214F
            | 0x2190..=0x23FF
            | 0x2500..=0x27BF
            | 0x3000..=0x30FF
            | 0x4E00..=0x9FFF
            | 0xAC00..=0xD7A3
            | 0xFF01..=0xFF5E
            | 0x1F300..=0x1FAFF
    )
}

/// What the neighbour checks say about a repaired token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Reads as real text.
    Good,
    /// Reads as real text only if the rest of the text has strong evidence
    /// of the same damage (a one-letter word such as `з` or `і`).
    NeedsSupport,
    /// Not real text.
    Bad,
}

/// Checks the decoded characters of a repaired token against their
/// neighbours (see the module docs).
fn plausible(f: &[char], decoded: &[bool]) -> Verdict {
    let mut verdict = Verdict::Good;
    for (i, &c) in f.iter().enumerate() {
        if !decoded[i] {
            continue;
        }
        if !allowed(c) {
            return Verdict::Bad;
        }
        let Some(sc) = script(c) else {
            continue;
        };
        if !is_letter(c) {
            continue;
        }
        let prev = i.checked_sub(1).map(|j| f[j]);
        let next = f.get(i + 1).copied();
        let letter = |x: Option<char>| x.filter(|&c| is_letter(c));
        let (pl, nl) = (letter(prev), letter(next));
        // A decoded letter next to a non-ASCII letter of another script
        // (ASCII neighbours are left alone by any repair, and sources do mix
        // Latin `i` into Ukrainian words).
        let lenient = matches!(sc, Script::Latin | Script::Cyrillic);
        for n in [pl, nl]
            .into_iter()
            .flatten()
            .filter(|c| !(lenient && c.is_ascii()))
        {
            if script(n) != Some(sc) {
                return Verdict::Bad;
            }
        }
        // A lone decoded letter: a one-letter word (`з`, `à`), or not text.
        if pl.is_none() && nl.is_none() {
            verdict = Verdict::NeedsSupport;
        }
        // Lower case inside upper case: `AHř`, `MģÄM` (Cyrillic has
        // `ПАЗе`, `ВУЗі`: abbreviations with case endings).
        if c.is_lowercase() && sc == Script::Latin {
            let up = |x: Option<char>| x.is_some_and(|c| c.is_uppercase());
            let prev2 = i.checked_sub(2).map(|j| f[j]);
            if up(pl) && (up(prev2) || up(nl)) {
                return Verdict::Bad;
            }
        }
    }
    verdict
}

/// Repairs UTF-8 mojibake token by token (see the module docs). Also says
/// whether a token left unrepaired looks like legacy text (see [`scan`]).
fn repair_utf8(text: String, mut support: [bool; 5], changes: &mut Changes) -> (String, bool) {
    let m = masks();
    // First pass: candidate fixes, and which codecs have strong evidence
    // (`support` comes in with what the line-level repair found).
    let mut fixes: Vec<(usize, usize, Fix, bool)> = Vec::new();
    let mut legacy_left = false;
    // Scratch space, reused from token to token.
    let (mut chars, mut bytes) = (Vec::new(), Vec::new());
    // ASCII tokens hold no sequence and no legacy letter: where no code
    // page maps a high byte to ASCII, only the others are read.
    let candidates: Box<dyn Iterator<Item = (usize, &str)>> = if m.ascii_inert {
        Box::new(non_ascii_tokens(&text))
    } else {
        Box::new(tokens(&text))
    };
    for (start, tok) in candidates {
        // Only tokens with a complete sequence in some codec.
        let mut seq = Sequences::default();
        let mut codecs = 0u8;
        let (mut legacy_letters, mut ascii_letters) = (0u32, false);
        for c in tok.chars() {
            codecs |= seq.step(m.get(c));
            legacy_letters += u32::from(is_legacy_letter(c));
            ascii_letters |= c.is_ascii_alphabetic();
        }
        let legacy = legacy_letters >= 3 && !ascii_letters;
        if codecs == 0 {
            legacy_left |= legacy;
            continue;
        }
        let mut best: Option<(usize, Fix)> = None;
        chars.clear();
        chars.extend(tok.chars());
        for k in 0..CODECS.len() {
            if codecs & (1 << k) == 0 {
                continue;
            }
            if let Some(f) = fix_token(&chars, k, &mut bytes) {
                let better = match &best {
                    None => true,
                    Some((_, b)) => f.strong && !b.strong,
                };
                if better {
                    best = Some((k, f));
                }
            }
        }
        match best {
            Some((k, f)) => {
                support[k] |= f.strong;
                fixes.push((start, k, f, legacy));
            }
            None => legacy_left |= legacy,
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, k, f, legacy) in fixes {
        if !(f.strong || (f.full && support[k])) {
            legacy_left |= legacy;
            continue;
        }
        let tok_len = token_len(&text[start..]);
        out.push_str(&text[at..start]);
        out.push_str(&f.text);
        at = start + tok_len;
        changes.add("decode", f.kind, 1);
    }
    if at == 0 {
        return (text, legacy_left);
    }
    out.push_str(&text[at..]);
    (out, legacy_left)
}

/// Tokens: maximal runs without ASCII whitespace, with their byte offsets.
/// (Split on bytes: an ASCII byte is always a whole character.)
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.as_bytes()
        .split(u8::is_ascii_whitespace)
        .filter(|t| !t.is_empty())
        .map(move |t| {
            let start = t.as_ptr() as usize - text.as_ptr() as usize;
            (start, &text[start..start + t.len()])
        })
}

/// The tokens (as [`tokens`]) that hold a byte outside ASCII, found by
/// skipping ASCII eight bytes at a time.
fn non_ascii_tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        let at = pos + crate::ascii::first_non_ascii(&b[pos..])?;
        let start = b[..at]
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(0, |k| k + 1);
        let end = b[at..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(b.len(), |k| at + k);
        pos = end;
        Some((start, &text[start..end]))
    })
}

fn token_len(s: &str) -> usize {
    s.find(|c: char| c.is_ascii_whitespace()).unwrap_or(s.len())
}

/// A token, as far as the legacy check is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Legacy {
    /// Made of windows-1251 letters shown as windows-1252 (`ðîêó`; a few
    /// ASCII letters allowed, as Latin `i` in Ukrainian text: `âií`), with
    /// its count of legacy letters and of lower-case ones.
    Word(usize, usize),
    /// No letters (`—`, `1922`).
    Neutral,
    /// Anything else ends a run.
    Other,
}

fn legacy_class(tok: &str, w1252: &Table) -> Legacy {
    let (mut legacy, mut lower, mut ascii) = (0usize, 0usize, 0usize);
    for c in tok.chars() {
        if c.is_ascii_alphabetic() {
            ascii += 1;
        } else if is_legacy_letter(c) {
            legacy += 1;
            lower += usize::from(!matches!(
                c,
                '\u{C0}'..='\u{DF}' | '¨' | 'ª' | '²' | '¯' | '¥' | '¡'
            ));
        } else if is_letter(c) || w1252.byte(c).is_none() {
            return Legacy::Other;
        }
    }
    match (legacy, ascii) {
        (0, 0) => Legacy::Neutral,
        (l, 0) => Legacy::Word(l, lower),
        (l, a) if l >= 2 && l >= 2 * a => Legacy::Word(l, lower),
        _ => Legacy::Other,
    }
}

/// Reads runs of windows-1251 text shown as windows-1252 back as windows-1251.
///
/// A run is a stretch of legacy and neutral tokens on one line. It is read
/// back when it has two words and six letters, or one word of five letters
/// (real Latin-script words are not made of accented letters only). Shorter
/// runs (`º` for `є`) are read back too when some run in the text qualified
/// and the words either side of them are not Latin-script words.
fn repair_legacy(text: String, changes: &mut Changes) -> String {
    let w1252 = &tables()[0];
    let toks: Vec<(usize, &str)> = tokens(&text).collect();
    let classes: Vec<Legacy> = toks.iter().map(|t| legacy_class(t.1, w1252)).collect();
    // Runs: (first token, last word token, words, letters, lower case).
    let mut runs: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !matches!(classes[i], Legacy::Word(..)) {
            i += 1;
            continue;
        }
        let (mut words, mut letters, mut lower, mut end) = (0, 0, 0, i);
        let mut j = i;
        while j < toks.len() {
            if j > i && text[toks[j - 1].0..toks[j].0].contains('\n') {
                break;
            }
            match classes[j] {
                Legacy::Word(n, l) => {
                    words += 1;
                    letters += n;
                    lower += l;
                    end = j;
                }
                Legacy::Neutral => {}
                Legacy::Other => break,
            }
            j += 1;
        }
        runs.push((i, end, words, letters, lower));
        i = end + 1;
    }
    // Legacy text is mostly lower case (`ðîêó`); all-caps accented Latin
    // (`SÖÄ£ ÑÝÄ`) is something else.
    let qualifies = |&(_, _, words, letters, lower): &(usize, usize, usize, usize, usize)| {
        ((words >= 2 && letters >= 6) || letters >= 5) && 3 * lower >= letters
    };
    let support = runs.iter().any(qualifies);
    if !support {
        return text;
    }
    // A Latin-script word: ASCII letters and no legacy letters.
    let latin_word = |k: usize| {
        classes[k] == Legacy::Other && toks[k].1.chars().any(|c| c.is_ascii_alphabetic())
    };
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for run in &runs {
        let (first, last, ..) = *run;
        if !qualifies(run) {
            let before = (0..first).rev().find(|&k| classes[k] != Legacy::Neutral);
            let after = (last + 1..toks.len()).find(|&k| classes[k] != Legacy::Neutral);
            if before.is_some_and(latin_word) || after.is_some_and(latin_word) {
                continue;
            }
        }
        let s = toks[first].0;
        let e = toks[last].0 + toks[last].1.len();
        let bytes: Option<Vec<u8>> = text[s..e].chars().map(|c| w1252.byte(c)).collect();
        let Some(bytes) = bytes else { continue };
        let (fixed, had_errors) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(&bytes);
        if had_errors {
            continue;
        }
        out.push_str(&text[at..s]);
        out.push_str(&fixed);
        at = e;
        changes.add("decode", "mojibake.cp1251_as_cp1252", 1);
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_tokens_hold_no_sequence_and_split_on_bytes_as_on_characters() {
        assert!(masks().ascii_inert);
        let text = "Ð¦ÑŒ\tword  naïve\n\u{A0}x\r\nâ€™s ";
        let by_chars: Vec<(usize, &str)> = text
            .split(|c: char| c.is_ascii_whitespace())
            .filter(|t| !t.is_empty())
            .map(|t| (t.as_ptr() as usize - text.as_ptr() as usize, t))
            .collect();
        assert_eq!(tokens(text).collect::<Vec<_>>(), by_chars);
        let with_high: Vec<(usize, &str)> = by_chars
            .iter()
            .copied()
            .filter(|(_, t)| !t.is_ascii())
            .collect();
        assert_eq!(non_ascii_tokens(text).collect::<Vec<_>>(), with_high);
        for t in ["", "ascii only", "é", " é ", "aé b cé\td", "x\u{A0}y"] {
            let want: Vec<_> = tokens(t).filter(|(_, t)| !t.is_ascii()).collect();
            assert_eq!(non_ascii_tokens(t).collect::<Vec<_>>(), want, "{t:?}");
        }
    }

    #[test]
    fn block_scan_agrees_with_the_scan_by_character() {
        let pieces = [
            "Öüîãî ðîêó",
            "plain words here",
            "x",
            "   ",
            "Ð”Ðµ",
            "éèà",
            "abc\tdef ghi jkl mno pqr",
            "ÖüîãîÖüîãî",
            "donâ€™t",
        ];
        for a in pieces {
            for b in pieces {
                for pad in 0..17 {
                    let t = format!("{}{a} {b}", "y".repeat(pad));
                    assert_eq!(scan(&t), scan_with(&t, false), "{t:?}");
                    let t = format!("{a}{}{b}", " ".repeat(pad));
                    assert_eq!(scan(&t), scan_with(&t, false), "{t:?}");
                }
            }
        }
    }

    fn check(input: &str, expected: &str) {
        let mut c = Changes::default();
        assert_eq!(
            repair(input.to_owned(), Origin::Unicode, &mut c),
            expected,
            "input: {input:?}"
        );
    }

    fn mangle(s: &str, enc: &'static Encoding) -> String {
        let (t, _) = enc.decode_without_bom_handling(s.as_bytes());
        t.into_owned()
    }

    #[test]
    fn cp1252_quote_in_clean_text() {
        check("It‚Äôs fine, donâ€™t worry", "It’s fine, don’t worry");
    }

    #[test]
    fn utf8_read_as_code_pages() {
        let right = "Держсекретар США прибув до Києва у п’ятницю.";
        for enc in [
            encoding_rs::WINDOWS_1252,
            encoding_rs::WINDOWS_1251,
            encoding_rs::KOI8_R,
        ] {
            let broken = mangle(right, enc);
            assert_ne!(broken, right);
            check(&broken, right);
        }
    }

    #[test]
    fn double_encoded() {
        let right = "Верховна Рада ухвалила закон.";
        for enc in [encoding_rs::WINDOWS_1252, encoding_rs::WINDOWS_1251] {
            let twice = mangle(&mangle(right, enc), enc);
            check(&twice, right);
        }
    }

    #[test]
    fn legacy_cp1251_shown_as_cp1252() {
        let right = "Цього року відбудеться фестиваль";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(right);
        let (broken, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
        check(&broken, right);
    }

    #[test]
    fn lone_c1_controls_depend_on_the_origin() {
        // In text that arrived as Unicode they are windows-1252 read as
        // latin-1; in bytes decoded here they are what the bytes say.
        let s = "qu\u{92}il \u{84}Handwerk\u{93}";
        check(s, "qu’il „Handwerk“");
        let mut c = Changes::default();
        assert_eq!(repair(s.to_owned(), Origin::Bytes, &mut c), s);
        assert!(c.is_empty());
    }

    #[test]
    fn line_level_repair_keeps_the_token_repair_in_support() {
        // Twice over: the line comes off whole once, and what is left is a
        // weak pair (`Е„`) that the first layer supports.
        let once = mangle("Gdańsk", encoding_rs::WINDOWS_1251);
        let twice = format!("In {} today", mangle(&once, encoding_rs::WINDOWS_1251));
        check(&twice, "In Gdańsk today");
    }

    #[test]
    fn right_text_untouched() {
        for s in [
            "café naïve",
            "SÃO PAULO",
            "Київ ВІКІ",
            "the letter Ã is",
            "He wrote “Ð” for eth",
            "ÐÞÆÖ eru íslenskir stafir",
            "гігієна і Сірий кіт",
            "Offering 5×£35 pin ups",
            "AHÅ™, the new sofa",
            "Broken text is full of Ã’s and similar pairs",
            "We read Emily Brontë all summer…”",
        ] {
            check(s, s);
        }
    }
}
