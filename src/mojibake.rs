//! Mojibake repair inside `decode`: text whose UTF-8 bytes were once decoded
//! with a single-byte code page (`â€™` for `’`, `Ð”ÐµÑ€` for `Дер`).
//!
//! A stretch is repaired only when re-encoding it with the suspected code page
//! gives valid UTF-8 that contains at least one multi-byte sequence, so text
//! that is right (real accented Latin, real Cyrillic) is never changed.
//!
//! Counters: `decode` → `mojibake.utf8_as_cp1252`.

use crate::report::Changes;

/// Characters that start a UTF-8 lead byte read as windows-1252/latin-1.
fn is_suspect(c: char) -> bool {
    matches!(c, '\u{00C2}'..='\u{00F4}')
}

/// The windows-1252 byte for `c`, keeping the five undefined bytes as C1
/// controls (the way browsers and ftfy's sloppy codec do).
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 || (0xA0..=0xFF).contains(&u) || matches!(u, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D) {
        return Some(u as u8);
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    (!unmappable && bytes.len() == 1).then(|| bytes[0])
}

/// Repairs UTF-8-as-windows-1252 mojibake in `text`, counting repairs.
pub fn repair(text: String, changes: &mut Changes) -> String {
    if text.is_ascii() || !text.chars().any(is_suspect) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut fixed = 0u64;
    // Work on runs of characters that all map to single cp1252 bytes and
    // contain a suspect lead; other text is copied as it is.
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String, fixed: &mut u64| {
        if run.is_empty() {
            return;
        }
        match fix_run(run) {
            Some(f) => {
                out.push_str(&f);
                *fixed += 1;
            }
            None => out.push_str(run),
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii() || cp1252_byte(c).is_none() {
            flush(&mut run, &mut out, &mut fixed);
            out.push(c);
        } else {
            run.push(c);
        }
    }
    flush(&mut run, &mut out, &mut fixed);
    if fixed > 0 {
        changes.add("decode", "mojibake.utf8_as_cp1252", fixed);
        out
    } else {
        text
    }
}

/// Re-encodes a run of non-ASCII characters as cp1252 and decodes it as UTF-8;
/// `Some` only when that is valid and yields fewer characters.
fn fix_run(run: &str) -> Option<String> {
    if !run.chars().any(is_suspect) {
        return None;
    }
    let bytes: Vec<u8> = run.chars().map(cp1252_byte).collect::<Option<_>>()?;
    let s = String::from_utf8(bytes).ok()?;
    (s.chars().count() < run.chars().count()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let mut c = Changes::default();
        assert_eq!(repair(input.to_owned(), &mut c), expected);
    }

    #[test]
    fn cp1252_quote_in_clean_text() {
        check("It‚Äôs fine, donâ€™t worry", "It‚Äôs fine, don’t worry");
    }

    #[test]
    fn cyrillic_as_cp1252() {
        let right = "Держсекретар США";
        let (broken, _, _) = encoding_rs::WINDOWS_1252.decode(right.as_bytes());
        assert_ne!(broken, right);
        check(&broken, right);
    }

    #[test]
    fn right_text_untouched() {
        for s in ["café naïve", "SÃO PAULO", "Київ ВІКІ", "the letter Ã is"] {
            check(s, s);
        }
    }
}
