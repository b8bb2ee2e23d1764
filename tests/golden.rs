//! Golden tests: the five seed documents through the whole pipeline.
//!
//! `fixtures/seeds/<name>.txt` → `fixtures/expected/<name>.jsonl` (default
//! flags), and `fixtures/expected/<name>.explain.jsonl` (`--keep-removed
//! --explain`). `BLESS=1 cargo test --test golden` (or `make bless`) rewrites
//! the expected files; review the diff line by line before committing it.

mod util;

use std::path::Path;

fn check(seed: &str, args: &[&str], suffix: &str) {
    let root = util::root();
    let input = format!("fixtures/seeds/{seed}.txt");
    let out = util::bin()
        .current_dir(&root)
        .args(args)
        .arg(&input)
        .output()
        .expect("run textnorm");
    assert!(out.status.success(), "{}", util::stderr(&out));
    let expected_path = root.join(format!("fixtures/expected/{seed}{suffix}.jsonl"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(expected_path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&expected_path, &out.stdout).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `make bless`)", expected_path.display()));
    let got = String::from_utf8(out.stdout).expect("UTF-8 output");
    if got != expected {
        let a: serde_json::Value = serde_json::from_str(&expected).expect("expected is JSON");
        let b: serde_json::Value = serde_json::from_str(&got).expect("output is JSON");
        let diff: Vec<String> = a
            .as_object()
            .expect("object")
            .iter()
            .filter(|(k, v)| b.get(k.as_str()) != Some(v))
            .map(|(k, v)| {
                format!(
                    "{k}:\n  expected {v}\n  got      {}",
                    b.get(k.as_str()).unwrap_or(&serde_json::Value::Null)
                )
            })
            .collect();
        panic!(
            "{} differs (BLESS=1 to accept):\n{}",
            expected_path.display(),
            diff.join("\n")
        );
    }
}

fn seeds() -> Vec<String> {
    let dir = util::root().join("fixtures/seeds");
    let mut v: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/seeds")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let stem = Path::new(p.file_stem()?).display().to_string();
            (p.extension()? == "txt").then_some(stem)
        })
        .collect();
    v.sort();
    assert_eq!(v.len(), 5, "five seed documents");
    v
}

#[test]
fn seeds_default() {
    for s in seeds() {
        check(&s, &[], "");
    }
}

#[test]
fn seeds_keep_removed_explain() {
    for s in seeds() {
        check(&s, &["--keep-removed", "--explain"], ".explain");
    }
}
