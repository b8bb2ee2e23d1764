//! Runs of ASCII letters and digits, eight bytes at a time.
//!
//! The word loops of langid and the boilerplate classifier spend most of
//! their time finding where a word of ASCII letters ends. Reading a byte at
//! a time costs a mispredicted branch at the end of every word; here eight
//! bytes are classified at once (bit tricks on a `u64`, no `unsafe`), so a
//! word of up to seven letters ends without a branch per letter.

/// The high bit of every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Each byte's value repeated in all eight lanes.
const fn lanes(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// For eight bytes: the high bit of each byte that is an ASCII letter.
#[inline]
fn letters(x: u64) -> u64 {
    // Lower case (bit 5) without the high bit, so the sums below cannot
    // carry into the next byte.
    let l = (x | lanes(0x20)) & !HIGH;
    let from_a = l.wrapping_add(lanes(0x80 - b'a'));
    let past_z = l.wrapping_add(lanes(0x80 - (b'z' + 1)));
    from_a & !past_z & !x & HIGH
}

/// For eight bytes: the high bit of each byte that is an ASCII digit.
#[inline]
fn digits(x: u64) -> u64 {
    let l = x & !HIGH;
    let from_0 = l.wrapping_add(lanes(0x80 - b'0'));
    let past_9 = l.wrapping_add(lanes(0x80 - (b'9' + 1)));
    from_0 & !past_9 & !x & HIGH
}

/// Eight bytes from `b` at `i`, if there are eight.
#[inline]
fn load(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 8)
        .and_then(|s| s.try_into().ok())
        .map(u64::from_le_bytes)
}

/// The length of the run of ASCII letters at the start of `b[i..]`.
#[inline]
pub(crate) fn letter_run(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while let Some(x) = load(b, j) {
        let stop = !letters(x) & HIGH;
        if stop != 0 {
            return j + (stop.trailing_zeros() / 8) as usize - i;
        }
        j += 8;
    }
    while j < b.len() && b[j].is_ascii_alphabetic() {
        j += 1;
    }
    j - i
}

/// The length of the run of ASCII letters and digits at the start of
/// `b[i..]`, and how many of them are digits.
#[inline]
pub(crate) fn alnum_run(b: &[u8], i: usize) -> (usize, usize) {
    let mut j = i;
    let mut n_digits = 0;
    while let Some(x) = load(b, j) {
        let d = digits(x);
        let stop = !(letters(x) | d) & HIGH;
        if stop != 0 {
            let len = (stop.trailing_zeros() / 8) as usize;
            // The digits' high bits below the first byte that stops the run.
            let before = (1u64 << (8 * len)).wrapping_sub(1);
            n_digits += (d & before).count_ones() as usize;
            return (j + len - i, n_digits);
        }
        n_digits += d.count_ones() as usize;
        j += 8;
    }
    while j < b.len() && b[j].is_ascii_alphanumeric() {
        n_digits += usize::from(b[j].is_ascii_digit());
        j += 1;
    }
    (j - i, n_digits)
}

/// The offset of the first byte outside ASCII, eight bytes at a time.
#[inline]
pub(crate) fn first_non_ascii(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(x) = load(b, i) {
        let high = x & HIGH;
        if high != 0 {
            return Some(i + (high.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..].iter().position(|&c| c >= 0x80).map(|k| i + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter_run_by_bytes(b: &[u8], i: usize) -> usize {
        b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count()
    }

    fn alnum_run_by_bytes(b: &[u8], i: usize) -> (usize, usize) {
        let run: Vec<&u8> = b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        (run.len(), run.iter().filter(|c| c.is_ascii_digit()).count())
    }

    #[test]
    fn every_byte_is_classified_as_one_at_a_time() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut x = *b"abcdefghijklmnop";
                x[at] = b;
                for text in [&x[..], &x[..at + 1], &x[at..]] {
                    for i in 0..text.len().min(3) {
                        assert_eq!(
                            letter_run(text, i),
                            letter_run_by_bytes(text, i),
                            "{b:#x} {at} {i}"
                        );
                    }
                }
                let mut y = *b"0123456789abcdeZ";
                y[at] = b;
                for text in [&y[..], &y[..at + 1], &y[at..]] {
                    for i in 0..text.len().min(3) {
                        assert_eq!(
                            alnum_run(text, i),
                            alnum_run_by_bytes(text, i),
                            "{b:#x} {at} {i}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn first_non_ascii_at_every_position() {
        for len in 0..40 {
            for at in 0..=len {
                let mut b = vec![b'a'; len];
                if at < len {
                    b[at] = 0xC3;
                }
                let want = (at < len).then_some(at);
                assert_eq!(first_non_ascii(&b), want, "{len} {at}");
            }
        }
    }

    #[test]
    fn runs_in_text() {
        let t = "Kyiv’s 2024 budget: ABC123def, x".as_bytes();
        for i in 0..t.len() {
            assert_eq!(letter_run(t, i), letter_run_by_bytes(t, i), "{i}");
            assert_eq!(alnum_run(t, i), alnum_run_by_bytes(t, i), "{i}");
        }
        assert_eq!(alnum_run(b"ABC123def456ghi789, x", 0), (18, 9));
    }
}
