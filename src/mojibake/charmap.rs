//! The single-byte code pages that UTF-8 is misread with, in the order the
//! line-level repair ([`super::reencode`]) tries them. The order and the
//! "sloppy" variants follow python-ftfy (`ftfy/chardata.py`,
//! `ftfy/bad_codecs/sloppy.py`; Apache-2.0, © Robyn Speer).
//!
//! A *sloppy* Windows code page decodes the bytes its standard leaves
//! undefined as the latin-1 characters of the same number (C1 controls),
//! so that every byte round-trips, and maps byte 0x1A to U+FFFD: a `�` that
//! some earlier lossy decoding left in the text encodes to 0x1A, which
//! [`super::reencode`] can then recognise inside a UTF-8 sequence.

use std::sync::OnceLock;

use encoding_rs::Encoding;

/// One code page: byte → character, and back.
pub(super) struct Charmap {
    /// The counter suffix (`utf8_as_<name>`).
    pub name: &'static str,
    /// Undefined bytes decode to C1 controls and 0x1A stands for U+FFFD.
    pub sloppy: bool,
    /// Byte → character.
    pub chars: [char; 256],
    /// Character → byte for the characters at or above U+0080, sorted.
    encode: Vec<(char, u8)>,
}

impl Charmap {
    fn from_chars(name: &'static str, sloppy: bool, mut chars: [char; 256]) -> Charmap {
        if sloppy {
            chars[0x1A] = '\u{FFFD}';
        }
        let mut encode: Vec<(char, u8)> = (0..=255u8)
            .filter(|&b| b >= 0x80 || chars[b as usize] != char::from(b))
            .map(|b| (chars[b as usize], b))
            .collect();
        encode.sort_unstable();
        encode.dedup_by_key(|e| e.0);
        Charmap {
            name,
            sloppy,
            chars,
            encode,
        }
    }

    /// A code page encoding_rs knows; undefined bytes decode to C1 controls.
    fn from_encoding(name: &'static str, enc: &'static Encoding, sloppy: bool) -> Charmap {
        let mut chars = ['\0'; 256];
        for b in 0..=255u8 {
            let one = [b];
            let (s, had_errors) = enc.decode_without_bom_handling(&one);
            chars[b as usize] = match s.chars().next() {
                Some(c) if !had_errors => c,
                _ => char::from(b),
            };
        }
        Charmap::from_chars(name, sloppy, chars)
    }

    /// The byte for `c`, if this code page has one.
    #[inline]
    pub fn byte(&self, c: char) -> Option<u8> {
        if (c as u32) < 0x80 {
            // In a sloppy code page, 0x1A stands for U+FFFD, not for itself.
            return (!(self.sloppy && c == '\u{1A}')).then_some(c as u8);
        }
        self.encode
            .binary_search_by(|&(k, _)| k.cmp(&c))
            .ok()
            .map(|i| self.encode[i].1)
    }

    /// `text` encoded in this code page, or `None` when a character has no byte.
    pub fn encode(&self, text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            out.push(self.byte(c)?);
        }
        Some(out)
    }
}

/// IBM code page 437 (the DOS console), bytes 0x80..=0xFF. encoding_rs does
/// not have it; the mapping is IBM's, as Python's `cp437` codec has it.
const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»\
░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}";

fn cp437() -> Charmap {
    let mut chars = ['\0'; 256];
    for (b, c) in chars.iter_mut().enumerate().take(0x80) {
        *c = char::from(b as u8);
    }
    for (i, c) in CP437_HIGH.chars().enumerate() {
        chars[0x80 + i] = c;
    }
    Charmap::from_chars("cp437", false, chars)
}

fn latin1() -> Charmap {
    let mut chars = ['\0'; 256];
    for (b, c) in chars.iter_mut().enumerate() {
        *c = char::from(b as u8);
    }
    Charmap::from_chars("latin1", false, chars)
}

/// The code pages, in the order they are tried.
pub(super) fn charmaps() -> &'static [Charmap] {
    static M: OnceLock<Vec<Charmap>> = OnceLock::new();
    M.get_or_init(|| {
        use encoding_rs::*;
        vec![
            latin1(),
            Charmap::from_encoding("cp1252", WINDOWS_1252, true),
            Charmap::from_encoding("cp1251", WINDOWS_1251, true),
            Charmap::from_encoding("cp1250", WINDOWS_1250, true),
            Charmap::from_encoding("cp1253", WINDOWS_1253, true),
            Charmap::from_encoding("cp1254", WINDOWS_1254, true),
            Charmap::from_encoding("cp1257", WINDOWS_1257, true),
            Charmap::from_encoding("iso8859_2", ISO_8859_2, false),
            Charmap::from_encoding("macroman", MACINTOSH, false),
            cp437(),
        ]
    })
}

/// Indexes into [`charmaps`].
pub(super) const CP1252: usize = 1;
pub(super) const MACROMAN: usize = 8;

/// The Latin-1-like code pages whose bytes make up the clues of mixed
/// mojibake (ftfy's `UTF8_CLUES`): latin-1 and windows-1250..1254, 1257.
pub(super) const CLUE_PAGES: [usize; 7] = [0, 1, 2, 3, 4, 5, 6];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp437_reads_box_drawing_mojibake() {
        let m = cp437();
        assert_eq!(CP437_HIGH.chars().count(), 128);
        // `пр` in UTF-8 is D0 BF D1 80.
        assert_eq!(m.encode("╨┐╤Ç").unwrap(), [0xD0, 0xBF, 0xD1, 0x80]);
    }

    #[test]
    fn sloppy_pages_round_trip_every_byte() {
        for m in charmaps() {
            let all: Vec<u8> = (0..=255).collect();
            let text: String = all.iter().map(|&b| m.chars[b as usize]).collect();
            assert_eq!(m.encode(&text).as_deref(), Some(&all[..]), "{}", m.name);
        }
        let w1252 = &charmaps()[CP1252];
        assert_eq!(w1252.byte('\u{FFFD}'), Some(0x1A));
        assert_eq!(w1252.byte('\u{1A}'), None);
        assert_eq!(w1252.byte('\u{81}'), Some(0x81));
        assert_eq!(charmaps()[0].byte('\u{1A}'), Some(0x1A));
    }
}
