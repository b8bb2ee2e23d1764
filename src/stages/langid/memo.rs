//! Answers remembered for short texts. Web text repeats its short lines
//! ("Leave a Reply", share buttons, captions) from page to page, and a model
//! asked about the same text and candidates answers the same.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;

use crate::hash::FnvBuild;

/// Texts up to this many bytes have their answers kept.
const REMEMBER_BYTES: usize = 200;
/// At most this many answers are kept (then the store starts afresh).
const REMEMBER_MAX: usize = 4096;

/// (candidate set, hash of the text) → (text, answer).
type Store<V> = HashMap<(u64, u64), (String, V), FnvBuild>;

/// Answers by candidate set and text.
pub(crate) struct Memo<V> {
    map: Mutex<Store<V>>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            map: Mutex::new(HashMap::default()),
        }
    }
}

impl<V: Clone> Memo<V> {
    /// The answer for `set` and `text`: remembered, or computed (and
    /// remembered when the text is short).
    pub(crate) fn get_or(&self, set: u64, text: &str, compute: impl FnOnce() -> V) -> V {
        if text.len() > REMEMBER_BYTES {
            return compute();
        }
        let key = (set, {
            let mut h = FnvBuild::default().build_hasher();
            h.write(text.as_bytes());
            h.finish()
        });
        if let Some((known, answer)) = self.lock().get(&key)
            && known == text
        {
            return answer.clone();
        }
        let answer = compute();
        let mut map = self.lock();
        if map.len() >= REMEMBER_MAX {
            map.clear();
        }
        map.insert(key, (text.to_owned(), answer.clone()));
        answer
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store<V>> {
        lock(&self.map)
    }
}

/// Locks `m`; a panic elsewhere while it was held leaves nothing half-done
/// here (each guarded value is replaced whole), so the lock is taken anyway.
pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_short_texts_only() {
        let memo = Memo::default();
        let mut calls = 0;
        for _ in 0..3 {
            memo.get_or(1, "Leave a Reply", || {
                calls += 1;
                7
            });
        }
        assert_eq!(calls, 1);
        // Another candidate set is another question.
        assert_eq!(memo.get_or(2, "Leave a Reply", || 8), 8);
        assert_eq!(memo.get_or(1, "Leave a Reply", || 9), 7);
        let long = "word ".repeat(100);
        let mut calls = 0;
        for _ in 0..2 {
            memo.get_or(1, &long, || {
                calls += 1;
                0
            });
        }
        assert_eq!(calls, 2);
    }
}
