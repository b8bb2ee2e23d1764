//! Bounded memory on a huge input line. This test has a binary of its own:
//! the peak RSS it reads (`RUSAGE_CHILDREN`) covers every child process of
//! the test binary, so no other test may start one.

mod util;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use serde_json::Value;
use util::{bin, records, scratch, stderr};

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn count(st: &Value, key: &str) -> u64 {
    st[key]
        .as_u64()
        .unwrap_or_else(|| panic!("no {key} in {st}"))
}

/// Largest resident set of the children waited for so far, in KiB.
fn children_max_rss_kib() -> i64 {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) },
        0
    );
    ru.ru_maxrss
}

#[test]
fn a_200_mb_line_is_skipped_in_bounded_memory() {
    let dir = scratch("hugeline");
    let rejects = dir.join("rejects.jsonl");
    let stats = dir.join("stats.json");
    let mut child = bin()
        .args([
            // What is measured is the reader: the language models' tables
            // (loaded per language on first use, bounded by the allowlist)
            // are left out.
            "--disable",
            "langid",
            "--input-format",
            "jsonl",
            "--rejects",
            s(&rejects),
            "--stats",
            s(&stats),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    const MB: usize = 1 << 20;
    let writer = std::thread::spawn(move || {
        stdin
            .write_all(b"{\"text\":\"before\"}\n{\"text\":\"")
            .unwrap();
        let chunk = vec![b'k'; MB];
        for _ in 0..200 {
            stdin.write_all(&chunk).unwrap();
        }
        stdin.write_all(b"\"}\n{\"text\":\"after\"}\n").unwrap();
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let texts: Vec<Value> = records(&out).iter().map(|r| r["text"].clone()).collect();
    assert_eq!(texts, ["before", "after"]);
    assert!(stderr(&out).contains("stdin:2: line is larger than --max-doc-bytes (67108864 bytes)"));
    assert_eq!(
        std::fs::metadata(&rejects).unwrap().len(),
        200 * MB as u64 + 12
    );
    let st: Value = serde_json::from_slice(&std::fs::read(&stats).unwrap()).unwrap();
    assert_eq!(count(&st, "records_in"), 3);
    let rss_mb = children_max_rss_kib() / 1024;
    assert!(rss_mb < 100, "peak RSS of a child: {rss_mb} MB");
}
