//! Stage 1, `decode`: raw bytes → Unicode text.
//!
//! Order of evidence: a byte-order mark (UTF-8, UTF-16LE/BE); UTF-16 without
//! a BOM when its zero bytes make it unmistakable; valid UTF-8 (or UTF-8 with a
//! few broken bytes among many good sequences); otherwise the best-scoring
//! legacy code page ([`detect`]). `--encoding LABEL` skips all of this.
//! Decoding never fails: bytes that are invalid in the chosen encoding become
//! U+FFFD and are counted (`decode.replaced`).
//!
//! Then, unless `mojibake = false`, [`crate::mojibake`] repairs text that was
//! mangled before it reached us.
//!
//! Counters (`changes.decode`): `replaced` (always present), `mojibake.<kind>`
//! for each repaired stretch (kinds listed in [`crate::mojibake`]).

pub mod detect;

use encoding_rs::Encoding;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::report::Changes;

/// Settings of the decode stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecodeConfig {
    /// `auto`, or an encoding label that forces one (`windows-1251`).
    pub encoding: String,
    /// Repair mojibake (UTF-8 that was decoded with the wrong code page).
    pub mojibake: bool,
}

/// The result of decoding one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, without a BOM.
    pub text: String,
    /// The encoding used (encoding_rs's name).
    pub encoding: &'static Encoding,
    /// Confidence in the encoding, 0..=1.
    pub confidence: f32,
    /// Number of U+FFFD written for undecodable bytes.
    pub replaced: u64,
}

/// The decode stage, built from [`DecodeConfig`].
#[derive(Debug, Clone)]
pub struct Decoder {
    forced: Option<&'static Encoding>,
    mojibake: bool,
}

impl Decoder {
    /// Builds the decoder; an unknown forced label is an error.
    pub fn new(cfg: &DecodeConfig) -> Result<Self> {
        let forced = match cfg.encoding.trim() {
            "" | "auto" => None,
            label => Some(
                Encoding::for_label(label.as_bytes())
                    .ok_or_else(|| Error::UnknownEncoding(label.to_owned()))?,
            ),
        };
        Ok(Decoder {
            forced,
            mojibake: cfg.mojibake,
        })
    }

    /// Decodes `bytes` and records what happened in `changes`.
    pub fn decode(&self, bytes: &[u8], changes: &mut Changes) -> Decoded {
        let mut d = match self.forced {
            Some(enc) => decode_with(bytes, enc, 1.0),
            None => detect_and_decode(bytes),
        };
        changes.add("decode", "replaced", d.replaced);
        if self.mojibake {
            d.text = crate::mojibake::repair(d.text, crate::mojibake::Origin::Bytes, changes);
        }
        d
    }

    /// Repairs mojibake in text that is already Unicode (JSONL input).
    pub fn repair(&self, text: String, changes: &mut Changes) -> String {
        if !self.mojibake {
            return text;
        }
        crate::mojibake::repair(text, crate::mojibake::Origin::Unicode, changes)
    }
}

/// Decodes with `enc`, stripping a BOM of that encoding.
fn decode_with(bytes: &[u8], enc: &'static Encoding, confidence: f32) -> Decoded {
    let (text, used, had_errors) = enc.decode(bytes);
    let replaced = if had_errors {
        text.chars().filter(|&c| c == '\u{FFFD}').count() as u64 - count_fffd_in_source(bytes, used)
    } else {
        0
    };
    Decoded {
        text: text.into_owned(),
        encoding: used,
        confidence,
        replaced,
    }
}

/// U+FFFD characters that were literally in a UTF-8 source (not replacements).
fn count_fffd_in_source(bytes: &[u8], enc: &'static Encoding) -> u64 {
    if enc == encoding_rs::UTF_8 {
        memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count() as u64
    } else {
        0
    }
}

/// BOM, UTF-16 without BOM, UTF-8, then the legacy code pages.
fn detect_and_decode(bytes: &[u8]) -> Decoded {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return decode_with(bytes, enc, 1.0);
    }
    if memchr::memchr(0, bytes).is_some()
        && let Some(enc) = detect::utf16_without_bom(bytes)
    {
        return decode_with(bytes, enc, 0.9);
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => return decode_with(bytes, encoding_rs::UTF_8, 1.0),
        Err(_) if mostly_utf8(bytes) => return decode_with(bytes, encoding_rs::UTF_8, 0.8),
        Err(_) => {}
    }
    let g = detect::guess(bytes);
    decode_with(bytes, g.encoding, g.confidence)
}

/// True when `bytes` are UTF-8 with a few broken bytes: at least two valid
/// multi-byte sequences, and four times as many as invalid stretches.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        // Lead bytes count the multi-byte characters.
        good += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        bad += usize::from(!chunk.invalid().is_empty());
        if bad > 8 && good < 4 * bad {
            return false;
        }
    }
    good >= 2 && good >= 4 * bad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> (Decoded, Changes) {
        let d = Decoder::new(&DecodeConfig {
            encoding: "auto".into(),
            mojibake: true,
        })
        .unwrap();
        let mut c = Changes::default();
        (d.decode(bytes, &mut c), c)
    }

    #[test]
    fn utf8_and_bom() {
        let (d, c) = dec("Київ".as_bytes());
        assert_eq!(d.text, "Київ");
        assert_eq!(d.encoding.name(), "UTF-8");
        assert_eq!(c.get("decode", "replaced"), 0);
        let (d, _) = dec(b"\xEF\xBB\xBFabc");
        assert_eq!(d.text, "abc");
    }

    #[test]
    fn utf16_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "Київ".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let (d, _) = dec(&b);
        assert_eq!(d.text, "Київ");
        assert_eq!(d.encoding.name(), "UTF-16LE");
    }

    #[test]
    fn legacy_cyrillic() {
        let text = "Верховна Рада України ухвалила закон про державний бюджет на наступний рік.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let (d, _) = dec(&bytes);
        assert_eq!(d.text, text);
        assert_eq!(d.encoding.name(), "windows-1251");
    }

    #[test]
    fn forced_label() {
        let d = Decoder::new(&DecodeConfig {
            encoding: "koi8-r".into(),
            mojibake: false,
        })
        .unwrap();
        let (bytes, _, _) = encoding_rs::KOI8_R.encode("мир");
        let mut c = Changes::default();
        assert_eq!(d.decode(&bytes, &mut c).text, "мир");
        assert!(
            Decoder::new(&DecodeConfig {
                encoding: "nope".into(),
                mojibake: false
            })
            .is_err()
        );
    }

    #[test]
    fn literal_replacement_char_is_not_counted() {
        let (d, c) = dec("a\u{FFFD}b".as_bytes());
        assert_eq!(d.text, "a\u{FFFD}b");
        assert_eq!(c.get("decode", "replaced"), 0);
    }
}
