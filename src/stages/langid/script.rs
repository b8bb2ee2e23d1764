//! Scripts of letters, and the letters per script of a text.

/// A writing system, as far as language identification needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    /// Latin letters (ASCII and the Latin extension blocks).
    Latin,
    /// Cyrillic.
    Cyrillic,
    /// Greek.
    Greek,
    /// Georgian.
    Georgian,
    /// Armenian.
    Armenian,
    /// Hebrew.
    Hebrew,
    /// Arabic.
    Arabic,
    /// Devanagari.
    Devanagari,
    /// Han ideographs.
    Han,
    /// Japanese kana.
    Kana,
    /// Korean Hangul.
    Hangul,
    /// Any other letter.
    Other,
}

/// The scripts that are counted, in a fixed order (ties go to the earlier).
pub(crate) const SCRIPTS: [Script; 12] = [
    Script::Latin,
    Script::Cyrillic,
    Script::Greek,
    Script::Georgian,
    Script::Armenian,
    Script::Hebrew,
    Script::Arabic,
    Script::Devanagari,
    Script::Han,
    Script::Kana,
    Script::Hangul,
    Script::Other,
];

impl Script {
    /// The script of a letter (the caller checks that it is a letter).
    #[inline]
    pub(crate) fn of(c: char) -> Script {
        let u = c as u32;
        match u {
            0..=0x02AF | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => Script::Latin,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
                Script::Cyrillic
            }
            0x0530..=0x058F => Script::Armenian,
            0x0590..=0x05FF => Script::Hebrew,
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => Script::Arabic,
            0x0900..=0x097F => Script::Devanagari,
            0x10A0..=0x10FF | 0x1C90..=0x1CBF => Script::Georgian,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x3040..=0x30FF | 0x31F0..=0x31FF => Script::Kana,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Script::Han,
            _ => Script::Other,
        }
    }

    /// The script's name as written in `lang_script`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Cyrillic => "Cyrillic",
            Script::Greek => "Greek",
            Script::Georgian => "Georgian",
            Script::Armenian => "Armenian",
            Script::Hebrew => "Hebrew",
            Script::Arabic => "Arabic",
            Script::Devanagari => "Devanagari",
            Script::Han => "Han",
            Script::Kana => "Kana",
            Script::Hangul => "Hangul",
            Script::Other => "Other",
        }
    }

    /// Index in [`SCRIPTS`] (the declaration order).
    #[inline]
    pub(crate) fn slot(self) -> usize {
        self as usize
    }
}

/// `char::is_alphabetic`, with the Latin-1, Latin Extended and Cyrillic
/// blocks answered without the general table lookup.
#[inline]
pub(crate) fn is_letter(c: char) -> bool {
    match c as u32 {
        0x00C0..=0x024F => c != '×' && c != '÷',
        0x0400..=0x0481 | 0x048A..=0x052F => true,
        0x0482..=0x0489 => false,
        _ => c.is_alphabetic(),
    }
}

/// Letters per script in a text.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ScriptCounts {
    counts: [usize; SCRIPTS.len()],
}

impl ScriptCounts {
    /// Counts the letters of `text`.
    pub(crate) fn of(text: &str) -> Self {
        let mut s = ScriptCounts::default();
        // ASCII is counted 16 bytes at a time where a block is all ASCII,
        // byte by byte otherwise; the rest is decoded.
        let bytes = text.as_bytes();
        let ascii_letter = |b: u8| usize::from((b | 0x20).wrapping_sub(b'a') < 26);
        let mut ascii = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] < 0x80
                && let Some(block) = bytes.get(i..i + 16)
                && block.is_ascii()
            {
                ascii += block.iter().map(|&b| ascii_letter(b)).sum::<usize>();
                i += 16;
                continue;
            }
            let b = bytes[i];
            if b < 0x80 {
                ascii += ascii_letter(b);
                i += 1;
                continue;
            }
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            if is_letter(c) {
                s.counts[Script::of(c).slot()] += 1;
            }
        }
        s.counts[Script::Latin.slot()] += ascii;
        s
    }

    pub(crate) fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// The script with most letters and its count (`None` without letters).
    /// Japanese text mixes kana and Han; kana anywhere makes Han count as
    /// kana.
    pub(crate) fn dominant(&self) -> Option<(Script, usize)> {
        let mut counts = self.counts;
        let (han, kana) = (Script::Han.slot(), Script::Kana.slot());
        if counts[kana] > 0 {
            counts[kana] += counts[han];
            counts[han] = 0;
        }
        let mut best: Option<(Script, usize)> = None;
        for (i, &n) in counts.iter().enumerate() {
            if n > 0 && best.is_none_or(|(_, b)| n > b) {
                best = Some((SCRIPTS[i], n));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_letter_test_agrees_with_the_standard_library() {
        for u in 0..0x0600u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(is_letter(c), c.is_alphabetic(), "U+{u:04X}");
            }
        }
    }

    #[test]
    fn block_counting_agrees_with_letter_by_letter() {
        let text = "Plain ASCII text [with] symbols @ ` { } and 2022 digits, then «Київ» \
                    and more ASCII after it: the quick brown fox; Zz Aa.";
        for start in 0..20 {
            let t = &text[start..];
            let s = ScriptCounts::of(t);
            let latin = t
                .chars()
                .filter(|&c| is_letter(c) && Script::of(c) == Script::Latin);
            let cyrillic = t
                .chars()
                .filter(|&c| is_letter(c) && Script::of(c) == Script::Cyrillic);
            assert_eq!(s.counts[Script::Latin.slot()], latin.count(), "{t}");
            assert_eq!(s.counts[Script::Cyrillic.slot()], cyrillic.count(), "{t}");
        }
    }

    #[test]
    fn slots_follow_the_table() {
        for (i, s) in SCRIPTS.iter().enumerate() {
            assert_eq!(s.slot(), i);
        }
    }

    #[test]
    fn counts_letters_by_script() {
        let s = ScriptCounts::of("He said «Героям слава», 2022.");
        assert_eq!(s.total(), 6 + 11);
        assert_eq!(s.dominant(), Some((Script::Cyrillic, 11)));
        // A tie goes to the script listed first.
        let s = ScriptCounts::of("Glory to «Україні»");
        assert_eq!(s.dominant(), Some((Script::Latin, 7)));
        assert_eq!(ScriptCounts::of("2022 — 15%").dominant(), None);
        assert_eq!(
            ScriptCounts::of("東京は日本の首都です")
                .dominant()
                .map(|d| d.0),
            Some(Script::Kana)
        );
    }
}
