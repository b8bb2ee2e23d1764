//! A small, fast hasher for the crate's fixed tables.

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

/// Hashes a packed word (one `u128`) with one multiply; other keys go
/// through FNV-1a.
#[derive(Default)]
pub(crate) struct Packed(u64);

impl Hasher for Packed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut f = Fnv(self.0);
        f.write(bytes);
        self.0 = f.0;
    }

    fn write_u128(&mut self, n: u128) {
        let folded = (n as u64) ^ ((n >> 64) as u64).rotate_left(29);
        self.0 = (folded ^ self.0)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(26);
    }
}

/// A word of at most 15 bytes as one integer: its UTF-8 bytes, zero-padded,
/// with the length in the last byte (so the packing is one-to-one).
#[inline]
fn pack(word: &str) -> Option<u128> {
    pack_bytes(word.as_bytes())
}

/// [`pack`] on bytes, with fixed-size overlapping reads rather than a copy
/// of a variable length.
#[inline]
fn pack_bytes(word: &[u8]) -> Option<u128> {
    let n = word.len();
    let bytes = if n > 15 {
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
    } else if n > 0 {
        u128::from(word[0])
            | (u128::from(word[n / 2]) << (8 * (n / 2)))
            | (u128::from(word[n - 1]) << (8 * (n - 1)))
    } else {
        0
    };
    Some(bytes | ((n as u128) << 120))
}

/// Bit 5 of every byte.
const LOWER_BITS: u128 = 0x2020_2020_2020_2020_2020_2020_2020_2020;

/// A table keyed by words, fast for the short words it mostly holds: a word
/// of up to 15 bytes is looked up as one integer, a longer one by its text.
#[derive(Debug, Clone)]
pub(crate) struct WordMap<V> {
    short: std::collections::HashMap<u128, V, BuildHasherDefault<Packed>>,
    long: std::collections::HashMap<String, V, FnvBuild>,
    /// The longest word, in bytes: longer ones are not looked up.
    max_len: usize,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            short: Default::default(),
            long: Default::default(),
            max_len: 0,
        }
    }
}

impl<V> WordMap<V> {
    /// The value for `word`.
    #[inline]
    pub(crate) fn get(&self, word: &str) -> Option<&V> {
        if word.len() > self.max_len {
            return None;
        }
        match pack(word) {
            Some(k) => self.short.get(&k),
            None => self.long.get(word),
        }
    }

    /// The value for the lower-cased form of `word`, a run of ASCII letters
    /// and digits (the same as `get` on the lower-cased text, without a copy).
    #[inline]
    pub(crate) fn get_ascii_lower(&self, word: &[u8]) -> Option<&V> {
        debug_assert!(word.iter().all(u8::is_ascii_alphanumeric));
        if word.len() > self.max_len {
            return None;
        }
        match pack_bytes(word) {
            // Setting bit 5 lower-cases an ASCII letter and leaves a digit as
            // it is; the padding stays zero.
            Some(k) => {
                let used = (1u128 << (8 * word.len())) - 1;
                self.short.get(&(k | (LOWER_BITS & used)))
            }
            None => {
                let lower = word.to_ascii_lowercase();
                self.long.get(std::str::from_utf8(&lower).ok()?)
            }
        }
    }

    /// The value for `word`, inserted with `make` when missing.
    pub(crate) fn entry(&mut self, word: &str, make: impl FnOnce() -> V) -> &mut V {
        self.max_len = self.max_len.max(word.len());
        match pack(word) {
            Some(k) => self.short.entry(k).or_insert_with(make),
            None => self.long.entry(word.to_owned()).or_insert_with(make),
        }
    }

    /// Number of words.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.short.len() + self.long.len()
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
            assert_eq!(
                m.get_ascii_lower(w.as_bytes()),
                m.get(&w.to_ascii_lowercase()),
                "{w}"
            );
        }
        assert_eq!(m.get_ascii_lower(b"SIXTEEN0BYTESXXX"), Some(&5));
        assert_eq!(m.get_ascii_lower(b"Covid19"), Some(&3));
    }
}
