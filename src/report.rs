//! Counters of what the pipeline changed: per document (`changes` in the
//! output) and summed over a run (`--stats`).
//!
//! Keys are two-level: the stage name, then an event or reason
//! (`boilerplate` → `sign_up`, `translit` → `Kiev→Kyiv`). Maps are ordered, so
//! the JSON is deterministic.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use serde::Serialize;

/// Counts per stage and reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Changes(BTreeMap<&'static str, BTreeMap<String, u64>>);

impl Changes {
    /// Adds `n` to `stage`/`key`. A zero `n` still creates the entry, so a
    /// counter can be reported as explicitly zero (`decode.replaced`).
    pub fn add(&mut self, stage: &'static str, key: &str, n: u64) {
        let inner = self.0.entry(stage).or_default();
        match inner.get_mut(key) {
            Some(v) => *v += n,
            None => {
                inner.insert(key.to_owned(), n);
            }
        }
    }

    /// The count for `stage`/`key` (0 when absent).
    pub fn get(&self, stage: &str, key: &str) -> u64 {
        self.0
            .get(stage)
            .and_then(|m| m.get(key))
            .copied()
            .unwrap_or(0)
    }

    /// The counters of one stage.
    pub fn stage(&self, stage: &str) -> Option<&BTreeMap<String, u64>> {
        self.0.get(stage)
    }

    /// Iterates over `(stage, reason, count)`.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str, u64)> + '_ {
        self.0
            .iter()
            .flat_map(|(s, m)| m.iter().map(move |(k, v)| (*s, k.as_str(), *v)))
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl AddAssign<&Changes> for Changes {
    fn add_assign(&mut self, rhs: &Changes) {
        for (stage, key, n) in rhs.iter() {
            self.add(stage, key, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_and_merge() {
        let mut a = Changes::default();
        a.add("translit", "Kiev→Kyiv", 2);
        a.add("decode", "replaced", 0);
        let mut b = Changes::default();
        b.add("translit", "Kiev→Kyiv", 1);
        b += &a;
        assert_eq!(b.get("translit", "Kiev→Kyiv"), 3);
        assert_eq!(b.get("decode", "replaced"), 0);
        assert!(b.stage("decode").is_some());
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"decode":{"replaced":0},"translit":{"Kiev→Kyiv":3}}"#
        );
    }
}
