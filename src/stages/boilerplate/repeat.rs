//! Corpus-level repetition: a paragraph that recurs in many documents of a
//! corpus ("Sign up now for unlimited free access to") is boilerplate.
//!
//! Counting is a count-min sketch of fixed size (`rows` × 2^`bits` one-byte
//! saturating counters), so memory is bounded whatever the corpus size. A
//! learning run (`--learn FILE`) adds each distinct paragraph of each
//! document once; the counts are sums, so the file is the same whatever the
//! number of threads and the order documents are processed in. A later run
//! (`--repeats FILE`) removes paragraphs whose estimated count reaches
//! `repeat_min_docs`. A count-min sketch never under-counts; with a sketch
//! much wider than the number of distinct paragraphs it rarely over-counts.
//!
//! Paragraphs are compared after lower-casing, with every run of characters
//! that are not letters folded to one space and every digit to `0`, so dates
//! and counters inside a repeated line do not hide it.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::error::{Error, Result};

const MAGIC: &[u8; 8] = b"TNREPv1\n";

/// The hash of a paragraph as repetition compares it.
pub fn paragraph_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut push = |b: u8| {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    let mut gap = false;
    let mut started = false;
    let mut utf8 = [0u8; 4];
    for c in text.chars() {
        if c.is_alphabetic() || c.is_numeric() {
            if gap && started {
                push(b' ');
            }
            gap = false;
            started = true;
            if c.is_numeric() {
                push(b'0');
            } else if c.is_ascii() {
                push(c.to_ascii_lowercase() as u8);
            } else {
                for l in c.to_lowercase() {
                    for &b in l.encode_utf8(&mut utf8).as_bytes() {
                        push(b);
                    }
                }
            }
        } else {
            gap = true;
        }
    }
    mix(h)
}

/// splitmix64's finaliser: spreads FNV's bits over the whole word.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A count-min sketch of paragraph hashes.
#[derive(Debug)]
pub struct Sketch {
    bits: u8,
    rows: u8,
    counts: Vec<AtomicU8>,
}

impl Sketch {
    /// An empty sketch of `rows` × 2^`bits` counters.
    pub fn new(bits: u8, rows: u8) -> Result<Sketch> {
        if !(8..=32).contains(&bits) || !(1..=8).contains(&rows) {
            return Err(Error::config(
                "[boilerplate]",
                format!("repeat sketch: bits must be 8..=32 and rows 1..=8 (got {bits}, {rows})"),
            ));
        }
        let n = (rows as usize) << bits;
        Ok(Sketch {
            bits,
            rows,
            counts: (0..n).map(|_| AtomicU8::new(0)).collect(),
        })
    }

    fn slots(&self, hash: u64) -> impl Iterator<Item = usize> + '_ {
        let width = 1usize << self.bits;
        let h1 = hash as u32 as usize;
        let h2 = ((hash >> 32) as usize) | 1;
        (0..self.rows as usize)
            .map(move |r| r * width + (h1.wrapping_add(r.wrapping_mul(h2)) & (width - 1)))
    }

    /// Counts one occurrence of `hash` (saturating at 255).
    pub fn add(&self, hash: u64) {
        for s in self.slots(hash) {
            let _ = self.counts[s]
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| v.checked_add(1));
        }
    }

    /// The estimated count of `hash` (never below the true count).
    pub fn estimate(&self, hash: u64) -> u8 {
        self.slots(hash)
            .map(|s| self.counts[s].load(Ordering::Relaxed))
            .min()
            .unwrap_or(0)
    }

    /// Writes the sketch to `path`.
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let mut f = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
        f.write_all(MAGIC).map_err(io)?;
        f.write_all(&[self.bits, self.rows]).map_err(io)?;
        let bytes: Vec<u8> = self
            .counts
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .collect();
        f.write_all(&bytes).map_err(io)?;
        f.flush().map_err(io)
    }

    /// Reads a sketch written by [`save`](Self::save).
    pub fn load(path: &Path) -> Result<Sketch> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let mut f = std::fs::File::open(path).map_err(io)?;
        let mut head = [0u8; 10];
        f.read_exact(&mut head).map_err(io)?;
        let bad = |m: &str| Error::config(path.display().to_string(), m.to_owned());
        if &head[..8] != MAGIC {
            return Err(bad("not a repeats file (written by `textnorm --learn`)"));
        }
        let sketch = Sketch::new(head[8], head[9])?;
        let mut bytes = Vec::with_capacity(sketch.counts.len());
        f.read_to_end(&mut bytes).map_err(io)?;
        if bytes.len() != sketch.counts.len() {
            return Err(bad("repeats file is truncated"));
        }
        for (c, b) in sketch.counts.iter().zip(bytes) {
            c.store(b, Ordering::Relaxed);
        }
        Ok(sketch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_ignores_case_spacing_and_digits() {
        assert_eq!(
            paragraph_hash("Sign up now for unlimited free access to"),
            paragraph_hash("  SIGN UP now, for unlimited free access to…")
        );
        assert_eq!(
            paragraph_hash("© 2019 Example Media"),
            paragraph_hash("© 2020 Example Media")
        );
        assert_ne!(
            paragraph_hash("Weak diplomacy"),
            paragraph_hash("Weapons built-up")
        );
    }

    #[test]
    fn counts_survive_a_round_trip() {
        let s = Sketch::new(10, 3).unwrap();
        let (a, b) = (paragraph_hash("a b c"), paragraph_hash("d e f"));
        for _ in 0..300 {
            s.add(a);
        }
        s.add(b);
        assert_eq!(s.estimate(a), 255);
        assert_eq!(s.estimate(b), 1);
        let dir = std::env::temp_dir().join(format!("tn-sketch-{}", std::process::id()));
        s.save(&dir).unwrap();
        let t = Sketch::load(&dir).unwrap();
        assert_eq!(t.estimate(a), 255);
        assert_eq!(t.estimate(b), 1);
        std::fs::write(&dir, b"nonsense").unwrap();
        assert!(Sketch::load(&dir).is_err());
        let _ = std::fs::remove_file(&dir);
    }
}
