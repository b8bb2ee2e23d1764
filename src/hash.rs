//! The crate's fixed word tables: a small, fast hasher for keys of text,
//! and [`WordMap`], which looks short words up as packed integers in a
//! two-choice table.

use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: fast on short keys. The tables it serves (stopwords, function
/// words) are the crate's own, so there is no untrusted-key flooding concern.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// `BuildHasher` for [`Fnv`].
pub(crate) type FnvBuild = BuildHasherDefault<Fnv>;

/// A word of 1 to 15 bytes as one integer: its UTF-8 bytes, zero-padded,
/// with the length in the last byte (so the packing is one-to-one and never
/// 0). The empty word and longer ones have none: they are kept by text.
#[inline]
fn pack(word: &str) -> Option<u128> {
    pack_bytes(word.as_bytes())
}

/// [`pack`] on bytes, with fixed-size overlapping reads rather than a copy
/// of a variable length.
#[inline]
fn pack_bytes(word: &[u8]) -> Option<u128> {
    let n = word.len();
    let bytes = if n == 0 || n > 15 {
        return None;
    } else if n >= 8 {
        let lo = u64::from_le_bytes(word[..8].try_into().unwrap_or_default());
        let tail = u64::from_le_bytes(word[n - 8..].try_into().unwrap_or_default());
        // `tail` holds bytes n-8..n; bytes 8..n are its top n-8.
        let hi = if n > 8 { tail >> (8 * (16 - n)) } else { 0 };
        u128::from(lo) | (u128::from(hi) << 64)
    } else if n >= 4 {
        let head = u32::from_le_bytes(word[..4].try_into().unwrap_or_default());
        let tail = u32::from_le_bytes(word[n - 4..].try_into().unwrap_or_default());
        u128::from(head) | (u128::from(tail) << (8 * (n - 4)))
    } else {
        u128::from(word[0])
            | (u128::from(word[n / 2]) << (8 * (n / 2)))
            | (u128::from(word[n - 1]) << (8 * (n - 1)))
    };
    Some(bytes | ((n as u128) << 120))
}

/// Bit 5 of every byte.
const LOWER_BITS: u128 = 0x2020_2020_2020_2020_2020_2020_2020_2020;

/// The low `n` bytes of a `u128` (`n` at most 15).
#[inline]
fn low_bytes(n: usize) -> u128 {
    (1u128 << (8 * n)) - 1
}

/// A packed key of the lower case of `text[start..start + len]`, ASCII
/// letters and digits, `len` at most 15. Reads 16 bytes at once where the
/// text has them.
#[inline]
fn pack_ascii_lower(text: &[u8], start: usize, len: usize) -> u128 {
    let bytes = match text.get(start..start + 16) {
        Some(block) => u128::from_le_bytes(block.try_into().unwrap_or_default()) & low_bytes(len),
        None => pack_bytes(&text[start..start + len]).unwrap_or(0) & low_bytes(len),
    };
    // Setting bit 5 lower-cases an ASCII letter and leaves a digit as it is.
    (bytes | (LOWER_BITS & low_bytes(len))) | ((len as u128) << 120)
}

/// The two slots a packed key may take.
#[inline]
fn slots(key: u128, shift: u32) -> (usize, usize) {
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    (
        (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize,
        (folded.wrapping_mul(0xc2b2_ae3d_27d4_eb4f) >> shift) as usize,
    )
}

/// Packed keys in a two-choice (cuckoo) table: a key is in one of its two
/// slots or absent, so a lookup is two compares and no loop.
#[derive(Debug, Clone)]
struct Packed<V> {
    /// 0 marks an empty slot (no word packs to 0).
    keys: Vec<u128>,
    values: Vec<V>,
    /// 64 minus the bits of a slot index.
    shift: u32,
    len: usize,
}

impl<V: Copy + Default> Default for Packed<V> {
    fn default() -> Self {
        Packed {
            keys: vec![0; 16],
            values: vec![V::default(); 16],
            shift: 64 - 4,
            len: 0,
        }
    }
}

impl<V: Copy + Default> Packed<V> {
    #[inline]
    fn slot_of(&self, key: u128) -> Option<usize> {
        let (a, b) = slots(key, self.shift);
        if self.keys[a] == key {
            Some(a)
        } else if self.keys[b] == key {
            Some(b)
        } else {
            None
        }
    }

    #[inline]
    fn get(&self, key: u128) -> Option<&V> {
        self.slot_of(key).map(|i| &self.values[i])
    }

    /// The value, or the default when absent.
    #[inline]
    fn value(&self, key: u128) -> V {
        let (a, b) = slots(key, self.shift);
        let va = if self.keys[a] == key {
            self.values[a]
        } else {
            V::default()
        };
        if self.keys[b] == key {
            self.values[b]
        } else {
            va
        }
    }

    #[inline]
    fn contains(&self, key: u128) -> bool {
        let (a, b) = slots(key, self.shift);
        (self.keys[a] == key) | (self.keys[b] == key)
    }

    fn entry(&mut self, key: u128, make: impl FnOnce() -> V) -> &mut V {
        if self.slot_of(key).is_none() {
            let value = make();
            self.insert(key, value);
        }
        match self.slot_of(key) {
            Some(i) => &mut self.values[i],
            None => unreachable!("a key just inserted is in one of its slots"),
        }
    }

    /// Inserts a key that is not there, moving others between their two
    /// slots, and doubling the table when that does not settle.
    fn insert(&mut self, key: u128, value: V) {
        if 2 * (self.len + 1) > self.keys.len() {
            self.grow();
        }
        let (mut key, mut value) = (key, value);
        let mut at = slots(key, self.shift).0;
        for _ in 0..4 * self.keys.len() {
            if self.keys[at] == 0 {
                self.keys[at] = key;
                self.values[at] = value;
                self.len += 1;
                return;
            }
            std::mem::swap(&mut self.keys[at], &mut key);
            std::mem::swap(&mut self.values[at], &mut value);
            // The evicted key goes to its other slot.
            let (a, b) = slots(key, self.shift);
            at = if a == at { b } else { a };
        }
        self.grow();
        self.insert(key, value);
    }

    fn grow(&mut self) {
        let size = 2 * self.keys.len();
        let keys = std::mem::replace(&mut self.keys, vec![0; size]);
        let values = std::mem::replace(&mut self.values, vec![V::default(); size]);
        self.shift -= 1;
        self.len = 0;
        for (k, v) in keys.into_iter().zip(values) {
            if k != 0 {
                self.insert(k, v);
            }
        }
    }
}

/// A table keyed by words, fast for the short words it mostly holds: a word
/// of up to 15 bytes is looked up as one integer, a longer one by its text.
#[derive(Debug, Clone)]
pub(crate) struct WordMap<V> {
    short: Packed<V>,
    long: std::collections::HashMap<String, V, FnvBuild>,
    /// The longest word, in bytes: longer ones are not looked up.
    max_len: usize,
}

impl<V: Copy + Default> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            short: Packed::default(),
            long: Default::default(),
            max_len: 0,
        }
    }
}

impl<V: Copy + Default> WordMap<V> {
    /// The value for `word`.
    #[inline]
    pub(crate) fn get(&self, word: &str) -> Option<&V> {
        if word.len() > self.max_len {
            return None;
        }
        match pack(word) {
            Some(k) => self.short.get(k),
            None => self.long.get(word),
        }
    }

    /// The value for the lower case of the word `text[start..start + len]`
    /// (ASCII letters and digits), or the default when it is absent: the
    /// same as `get` on the lower-cased word, without a copy or a branch on
    /// the answer.
    #[inline]
    pub(crate) fn value_ascii_lower(&self, text: &[u8], start: usize, len: usize) -> V {
        debug_assert!(
            text[start..start + len]
                .iter()
                .all(u8::is_ascii_alphanumeric)
        );
        if len > self.max_len {
            V::default()
        } else if len > 15 {
            self.get_long_ascii(&text[start..start + len])
                .unwrap_or_default()
        } else {
            self.short.value(pack_ascii_lower(text, start, len))
        }
    }

    /// True when the lower case of `text[start..start + len]` (ASCII
    /// letters and digits) is present.
    #[inline]
    pub(crate) fn contains_ascii_lower(&self, text: &[u8], start: usize, len: usize) -> bool {
        debug_assert!(
            text[start..start + len]
                .iter()
                .all(u8::is_ascii_alphanumeric)
        );
        if len > self.max_len {
            false
        } else if len > 15 {
            self.get_long_ascii(&text[start..start + len]).is_some()
        } else {
            self.short.contains(pack_ascii_lower(text, start, len))
        }
    }

    fn get_long_ascii(&self, word: &[u8]) -> Option<V> {
        let lower = word.to_ascii_lowercase();
        self.long.get(std::str::from_utf8(&lower).ok()?).copied()
    }

    /// The value for `word`, inserted with `make` when missing.
    pub(crate) fn entry(&mut self, word: &str, make: impl FnOnce() -> V) -> &mut V {
        self.max_len = self.max_len.max(word.len());
        match pack(word) {
            Some(k) => self.short.entry(k, make),
            None => self.long.entry(word.to_owned()).or_insert_with(make),
        }
    }

    /// Number of words.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.short.len + self.long.len()
    }

    /// True when `word` is present.
    #[inline]
    pub(crate) fn contains(&self, word: &str) -> bool {
        self.get(word).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_words_are_found() {
        let mut m = WordMap::default();
        let long = "непередбачуваність"; // 36 bytes: kept by its text
        for (i, w) in ["a", "the", "що", "fifteen-bytes-x", long]
            .iter()
            .enumerate()
        {
            *m.entry(w, || 0) += i + 1;
        }
        assert_eq!(m.len(), 5);
        assert_eq!(m.get("the"), Some(&2));
        assert_eq!(m.get("що"), Some(&3));
        assert_eq!(m.get("fifteen-bytes-x"), Some(&4));
        assert_eq!(m.get(long), Some(&5));
        // Prefixes and padding do not collide.
        assert!(!m.contains("th"));
        assert!(!m.contains("the\0"));
        assert!(!m.contains(""));
        assert!(!m.contains("fifteen-bytes-xy"));
    }

    #[test]
    fn ascii_lookup_lower_cases_without_a_copy() {
        let mut m = WordMap::default();
        for (i, w) in ["a", "the", "covid19", "fifteen0bytesxx", "sixteen0bytesxxx"]
            .iter()
            .enumerate()
        {
            *m.entry(w, || 0) += i + 1;
        }
        for w in [
            "A",
            "a",
            "The",
            "THE",
            "tHe",
            "th",
            "thee",
            "COVID19",
            "Covid19",
            "covid1",
            "FIFTEEN0BYTESXX",
            "fifteen0bytesx",
            "Sixteen0BytesXXX",
            "sixteen0bytesxxxx",
            "7",
        ] {
            let want = m.get(&w.to_ascii_lowercase()).copied();
            // Inside a longer text (16 bytes read at once) and at its end.
            for text in [format!("x {w} and more text after it"), format!("x {w}")] {
                let t = text.as_bytes();
                assert_eq!(m.value_ascii_lower(t, 2, w.len()), want.unwrap_or(0), "{w}");
                assert_eq!(m.contains_ascii_lower(t, 2, w.len()), want.is_some(), "{w}");
            }
        }
    }

    #[test]
    fn every_word_inserted_is_found_and_no_other() {
        let mut m = WordMap::default();
        let words: Vec<String> = (0..3000).map(|i| format!("w{i}x")).collect();
        for (i, w) in words.iter().enumerate() {
            *m.entry(w, || 0) += i as u64 + 1;
        }
        // Inserting again finds the same entry.
        *m.entry("w7x", || 99) += 0;
        assert_eq!(m.len(), 3000);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(m.get(w), Some(&(i as u64 + 1)), "{w}");
            let upper = w.to_ascii_uppercase();
            assert_eq!(
                m.value_ascii_lower(upper.as_bytes(), 0, w.len()),
                i as u64 + 1
            );
        }
        for i in 3000..6000 {
            let w = format!("w{i}x");
            assert_eq!(m.get(&w), None);
            assert!(!m.contains_ascii_lower(w.as_bytes(), 0, w.len()));
        }
    }
}
