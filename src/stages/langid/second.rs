//! The second model: lingua, restricted to the candidates the letters left,
//! consulted only where the fast path is unsure.
//!
//! A detector per candidate set is built once and cached (sets are masks over
//! [`LANGS`](super::langs::LANGS)), and so are the answers for short texts:
//! web text repeats its short lines ("Leave a Reply") from page to page.
//!
//! lingua's tables are read-only data inside the executable (or the Python
//! package's library), about 5 MB a language, mapped from the file as they
//! are read. A lookup touches pages all over a language's table, so after a
//! few hundred texts every table asked about would count in full towards
//! the process's resident memory. So after an answer, when the process holds
//! more than [`FILE_PAGES_BUDGET`] of file pages (checked at most every
//! [`RELEASE_GAP`]), that file's read-only pages are handed back to the OS
//! (`madvise(MADV_DONTNEED)`, Linux): they stay in the page cache and are
//! mapped again on the next read. Resident memory is then bounded by the
//! budget and what one answer touches, instead of growing with every
//! language asked about.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use super::langs::LANGS;
use super::memo::{Memo, lock};

type Scores = Vec<(usize, f32)>;

/// `released_at` before the first hand-back.
const NEVER: u64 = u64::MAX;

/// File pages (bytes) the process may hold before the read-only ones are
/// handed back.
const FILE_PAGES_BUDGET: u64 = 16 << 20;
/// The least time between two hand-backs: mapping the pages again costs
/// time, so a run that asks the second model often does not pay it on
/// every answer.
const RELEASE_GAP: std::time::Duration = std::time::Duration::from_millis(25);

/// lingua detectors per candidate set.
pub(crate) struct Second {
    /// lingua's language for each entry of `LANGS`, where this build has one.
    languages: Vec<Option<Language>>,
    /// Languages with a lingua model, as a mask.
    covered: u64,
    /// A detector per candidate set.
    cache: Mutex<HashMap<u64, Arc<LanguageDetector>>>,
    /// Answers for short texts.
    answers: Memo<Scores>,
    /// When the pages were last handed back (ms after `started`), or
    /// [`NEVER`].
    released_at: AtomicU64,
    started: std::time::Instant,
}

impl std::fmt::Debug for Second {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Second")
            .field("covered", &self.covered)
            .finish_non_exhaustive()
    }
}

impl Second {
    /// Maps the table to lingua's languages compiled into this build.
    pub(crate) fn new() -> Self {
        let all = Language::all();
        let languages: Vec<Option<Language>> = LANGS
            .iter()
            .map(|l| {
                all.iter()
                    .find(|x| x.iso_code_639_1().to_string() == l.code)
                    .copied()
            })
            .collect();
        let covered = languages
            .iter()
            .enumerate()
            .filter(|(_, l)| l.is_some())
            .fold(0u64, |m, (i, _)| m | 1 << i);
        Second {
            languages,
            covered,
            cache: Mutex::new(HashMap::new()),
            answers: Memo::default(),
            released_at: AtomicU64::new(NEVER),
            started: std::time::Instant::now(),
        }
    }

    /// True when lingua has a model for every language in `set`.
    pub(crate) fn covers(&self, set: u64) -> bool {
        set & !self.covered == 0
    }

    /// Confidence per candidate (indices into `LANGS`), best first; empty
    /// when lingua finds no answer. `set` must be covered.
    pub(crate) fn scores(&self, set: u64, text: &str) -> Scores {
        self.answers.get_or(set, text, || {
            let out = self.compute(set, text);
            self.release_if_over_budget();
            out
        })
    }

    /// Hands the read-only pages back when the process holds more file
    /// pages than the budget, at most once per [`RELEASE_GAP`].
    fn release_if_over_budget(&self) {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.released_at.load(Ordering::Relaxed);
        if (last != NEVER && now.saturating_sub(last) < RELEASE_GAP.as_millis() as u64)
            || file_pages_resident().is_none_or(|n| n <= FILE_PAGES_BUDGET)
        {
            return;
        }
        // One thread releases; the others go on.
        if self
            .released_at
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
        {
            release_model_pages();
        }
    }

    fn compute(&self, set: u64, text: &str) -> Scores {
        let detector = lock(&self.cache)
            .entry(set)
            .or_insert_with(|| {
                let langs: Vec<Language> = (0..LANGS.len())
                    .filter(|i| set & (1 << i) != 0)
                    .filter_map(|i| self.languages[i])
                    .collect();
                Arc::new(LanguageDetectorBuilder::from_languages(&langs).build())
            })
            .clone();
        let mut out: Scores = detector
            .compute_language_confidence_values(text)
            .into_iter()
            .filter(|(_, c)| *c > 0.0)
            .filter_map(|(lang, c)| {
                let i = self.languages.iter().position(|l| *l == Some(lang))?;
                Some((i, c as f32))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

/// The read-only data mappings (start, length) of the file this code was
/// loaded from (the executable, or the shared library of the Python
/// package), where lingua's tables are: the file's own pages, never
/// written. Mappings with any private (written) page, such as the relocated
/// data, are left out.
#[cfg(target_os = "linux")]
fn readonly_data() -> &'static [(usize, usize)] {
    static RANGES: std::sync::OnceLock<Vec<(usize, usize)>> = std::sync::OnceLock::new();
    RANGES.get_or_init(|| {
        let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else {
            return Vec::new();
        };
        // Each mapping is a header line (`start-end perms offset dev inode
        // path`), then `Key: value` lines, `Anonymous:` among them.
        struct Mapping<'a> {
            start: usize,
            end: usize,
            perms: &'a str,
            path: &'a str,
            written: bool,
        }
        let mut maps: Vec<Mapping> = Vec::new();
        for line in smaps.lines() {
            let mut f = line.split_whitespace();
            let first = f.next().unwrap_or("");
            if let Some((a, b)) = first.split_once('-')
                && let (Ok(start), Ok(end)) =
                    (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16))
            {
                let perms = f.next().unwrap_or("");
                let path = f.nth(3).unwrap_or("");
                maps.push(Mapping {
                    start,
                    end,
                    perms,
                    path,
                    written: true,
                });
            } else if first == "Anonymous:"
                && let Some(m) = maps.last_mut()
            {
                m.written = f.next() != Some("0");
            }
        }
        let here = readonly_data as fn() -> &'static [(usize, usize)] as usize;
        let Some(file) = maps
            .iter()
            .find(|m| (m.start..m.end).contains(&here))
            .map(|m| m.path)
            .filter(|path| !path.is_empty())
        else {
            return Vec::new();
        };
        maps.iter()
            .filter(|m| m.perms == "r--p" && m.path == file && !m.written)
            .map(|m| (m.start, m.end - m.start))
            .collect()
    })
}

/// Hands the pages of the read-only data (where lingua's tables are) back
/// to the OS. They are file pages nothing writes, so the
/// next read maps the same bytes again from the page cache.
#[cfg(target_os = "linux")]
fn release_model_pages() {
    for &(start, len) in readonly_data() {
        // SAFETY: the range is a private, read-only mapping of the code's
        // own file without a single written page (checked in
        // `readonly_data`); dropping it leaves the bytes every reader sees
        // unchanged, as they are read back from the file. A failure only
        // means the pages stay, so the result is ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, len, libc::MADV_DONTNEED);
        }
    }
}

/// Elsewhere the pages stay mapped.
#[cfg(not(target_os = "linux"))]
fn release_model_pages() {}

/// Bytes of file pages the process holds (`/proc/self/statm`: resident
/// pages shared with a file), where the system says.
#[cfg(target_os = "linux")]
fn file_pages_resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let shared: u64 = statm.split_whitespace().nth(2)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
    Some(shared * page)
}

#[cfg(not(target_os = "linux"))]
fn file_pages_resident() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resident_file_kb() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("RssFile:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    #[test]
    fn answers_are_the_same_after_the_pages_are_released() {
        let second = Second::new();
        let set = (1u64 << 0) | (1u64 << 1);
        let text = "Log in or register to post comments";
        let fresh = second.compute(set, text);
        assert!(!fresh.is_empty());
        release_model_pages();
        assert_eq!(second.compute(set, text), fresh);
        // A remembered answer is the computed one.
        assert_eq!(second.scores(set, text), fresh);
        assert_eq!(second.scores(set, text), fresh);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn released_pages_leave_the_resident_set() {
        let ranges = readonly_data();
        assert!(!ranges.is_empty());
        // Read 8 MB of the read-only data, a byte a page.
        let mut sum = 0u64;
        for &(start, len) in ranges {
            for at in (start..start + len.min(8 << 20)).step_by(4096) {
                // SAFETY: inside a readable mapping of the executable.
                sum += u64::from(unsafe { std::ptr::read_volatile(at as *const u8) });
            }
        }
        let Some(before) = resident_file_kb() else {
            return;
        };
        release_model_pages();
        let after = resident_file_kb().unwrap_or(before);
        assert!(after + 4096 < before, "{before} kB -> {after} kB ({sum})");
    }
}
