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
