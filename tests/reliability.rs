//! The guarantees of README "Guarantees": accounting, limits, bad input,
//! output faults, config faults and determinism, through the built binary.

mod util;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{bin, records, run, scratch, stderr};

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Runs with `--stats` and `--rejects` into `dir`, returning the output, the
/// stats and the rejects file.
fn run_accounted(dir: &Path, args: &[&str], stdin: &[u8]) -> (Output, Value, Vec<u8>) {
    let stats = dir.join("stats.json");
    let rejects = dir.join("rejects.jsonl");
    let mut all = vec!["--stats", s(&stats), "--rejects", s(&rejects)];
    all.extend_from_slice(args);
    let out = run(&all, stdin);
    let st: Value = serde_json::from_slice(
        &std::fs::read(&stats).unwrap_or_else(|e| panic!("no stats: {e}; {}", stderr(&out))),
    )
    .expect("stats are JSON");
    let rj = std::fs::read(&rejects).expect("rejects file");
    (out, st, rj)
}

fn count(st: &Value, key: &str) -> u64 {
    st[key]
        .as_u64()
        .unwrap_or_else(|| panic!("no {key} in {st}"))
}

/// `records_in = records_out + rejected`, and the output has `records_out` lines.
fn assert_balanced(out: &Output, st: &Value) {
    assert_eq!(
        count(st, "records_in"),
        count(st, "records_out") + count(st, "rejected"),
        "{st}"
    );
    assert_eq!(records(out).len() as u64, count(st, "records_out"), "{st}");
}

/// The bad lines of a mixed corpus, each with the reason it must get.
const BAD_LINES: &[(&[u8], &str)] = &[
    (b"42", "expected a JSON object, found a number"),
    (b"[1,2,3]", "expected a JSON object, found an array"),
    (b"null", "expected a JSON object, found null"),
    (b"\"text\"", "expected a JSON object, found a string"),
    (b"{\"text\":17}", "field `text` is not a string"),
    (b"{\"text\":null}", "field `text` is not a string"),
    (b"{\"body\":\"no text\"}", "no `text` field"),
    (b"{\"text\":\"caf\xe9\"}", "line is not valid UTF-8"),
    (b"{\"text\":\"a\x00b\"}", "invalid JSON"),
    (
        b"{\"text\":\"a\",\"text\":\"b\"}",
        "invalid JSON: duplicate key `text`",
    ),
    (
        b"{\"text\":\"a\",\"meta\":{\"k\":1,\"k\":2}}",
        "invalid JSON: duplicate key `k`",
    ),
    (b"{\"text\":\"unterminated", "invalid JSON"),
    (b"\x00\x00\x00\x00", "invalid JSON"),
];

fn nested(levels: usize) -> Vec<u8> {
    let mut v = b"{\"text\":\"deep\",\"x\":".to_vec();
    v.extend(std::iter::repeat_n(b'[', levels));
    v.extend(std::iter::repeat_n(b']', levels));
    v.push(b'}');
    v
}

/// A corpus of good lines with every kind of bad line between them.
fn mixed_corpus() -> (Vec<u8>, usize, Vec<(usize, &'static str)>) {
    let mut c = Vec::new();
    let mut good = 0;
    let mut bad = Vec::new();
    let mut line = 0;
    for (i, (raw, reason)) in BAD_LINES.iter().enumerate() {
        c.extend_from_slice(
            format!("{{\"id\":\"g{i}\",\"text\":\"Talks in Kiev, part {i}.\\n\\nSign up now for unlimited free access to\"}}\n")
                .as_bytes(),
        );
        good += 1;
        line += 1;
        c.extend_from_slice(raw);
        c.push(b'\n');
        line += 1;
        bad.push((line, *reason));
    }
    c.extend_from_slice(&nested(10_000));
    c.push(b'\n');
    line += 1;
    bad.push((line, "invalid JSON: recursion limit exceeded"));
    c.extend_from_slice(b"\n  \n{\"text\":\"last, no line break\"}");
    good += 1;
    (c, good, bad)
}

#[test]
fn every_record_is_output_or_rejected() {
    let dir = scratch("accounting");
    let (corpus, good, bad) = mixed_corpus();
    let input = dir.join("mixed.jsonl");
    std::fs::write(&input, &corpus).unwrap();
    std::fs::write(dir.join("doc.txt"), "A text document about Kiev.").unwrap();
    let (out, st, rejects) = run_accounted(&dir, &[s(&input), s(&dir.join("doc.txt"))], b"");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_balanced(&out, &st);
    assert_eq!(count(&st, "records_out"), good as u64 + 1);
    assert_eq!(count(&st, "rejected"), bad.len() as u64);
    assert_eq!(st["removed"]["boilerplate.sign_up"], good as u64 - 1);
    // Each reject is on stderr as SOURCE:LINE: reason ...
    let err = stderr(&out);
    for (line, reason) in &bad {
        let want = format!("{}:{line}: {reason}", input.display());
        assert!(
            err.lines().any(|l| l.starts_with(&want)),
            "{want:?} not in {err}"
        );
    }
    // ... and in the rejects file verbatim, in input order.
    let mut expected: Vec<u8> = Vec::new();
    for (raw, _) in BAD_LINES {
        expected.extend_from_slice(raw);
        expected.push(b'\n');
    }
    expected.extend_from_slice(&nested(10_000));
    expected.push(b'\n');
    assert!(rejects == expected, "rejects differ");
    // The output keeps input order.
    let ids: Vec<String> = records(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids[0], "g0");
    assert_eq!(ids[good - 2], format!("g{}", good - 2));
    assert!(ids[good - 1].ends_with(&format!(":{}", bad.last().unwrap().0 + 3)));
    assert_eq!(ids[good], dir.join("doc.txt").display().to_string());
}

#[test]
fn a_document_over_the_limit_is_rejected_unread() {
    let dir = scratch("doclimit");
    let docs = dir.join("in");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("a.txt"), "small").unwrap();
    std::fs::write(docs.join("b.txt"), "x".repeat(5000)).unwrap();
    std::fs::write(docs.join("c.txt"), "also small").unwrap();
    let (out, st, _) = run_accounted(&dir, &[s(&docs), "--max-doc-bytes", "1000"], b"");
    assert_eq!(out.status.code(), Some(3));
    assert_balanced(&out, &st);
    assert_eq!(count(&st, "rejected"), 1);
    assert_eq!(count(&st, "bytes_read"), 15, "b.txt is not read");
    assert!(stderr(&out).contains(&format!(
        "{}: document is larger than --max-doc-bytes (1000 bytes)",
        docs.join("b.txt").display()
    )));
    // The same through stdin, which cannot be sized in advance.
    let out = run(&["--max-doc-bytes", "1000"], "y".repeat(5000).as_bytes());
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).starts_with("stdin: document is larger"));
    assert!(records(&out).is_empty());
}

#[test]
fn a_line_over_the_limit_goes_to_rejects_whole() {
    let dir = scratch("linelimit");
    let long = format!("{{\"text\":\"{}\"}}", "z".repeat(300_000));
    let input = format!("{{\"text\":\"a\"}}\n{long}\r\n{{\"text\":\"b\"}}\n");
    let (out, st, rejects) = run_accounted(&dir, &["--max-doc-bytes", "1000"], input.as_bytes());
    assert_balanced(&out, &st);
    assert_eq!(count(&st, "rejected"), 1);
    assert!(stderr(&out).contains("stdin:2: line is larger than --max-doc-bytes (1000 bytes)"));
    assert_eq!(rejects, format!("{long}\r\n").into_bytes());
    let texts: Vec<Value> = records(&out).iter().map(|r| r["text"].clone()).collect();
    assert_eq!(texts, ["a", "b"]);
}

#[test]
fn a_paragraph_over_the_limit_is_rejected() {
    let dir = scratch("paralimit");
    let big = "w ".repeat(600);
    let input = format!(
        "{{\"text\":\"ok\\n\\n{big}\"}}\n{{\"text\":\"{}\"}}\n",
        "short line\\n".repeat(300)
    );
    let (out, st, rejects) =
        run_accounted(&dir, &["--max-paragraph-bytes", "1000"], input.as_bytes());
    assert_balanced(&out, &st);
    assert_eq!(count(&st, "rejected"), 1);
    assert!(
        stderr(&out).contains(
            "stdin:1: a paragraph of 1200 bytes is larger than --max-paragraph-bytes (1000 bytes)"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        rejects,
        format!("{}\n", input.lines().next().unwrap()).into_bytes()
    );
    // The second record is 3,300 bytes of short lines: its paragraphs are small.
    assert_eq!(records(&out).len(), 1);
    // A text document too.
    let text = format!("title\n\n{big}");
    let out = run(&["--max-paragraph-bytes", "1000"], text.as_bytes());
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("stdin: a paragraph of 1200 bytes"));
}

#[test]
fn empty_input_and_empty_files() {
    let dir = scratch("empty");
    let (out, st, _) = run_accounted(&dir, &[], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(count(&st, "records_in"), 0);
    let out = run(&["--input-format", "jsonl"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    // A 0-byte file is one empty document; a 0-byte JSONL file holds none.
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("empty.jsonl"), "").unwrap();
    let out = run(
        &[s(&dir.join("empty.txt")), s(&dir.join("empty.jsonl"))],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = records(&out);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["text"], "");
    assert_eq!(r[0]["paragraphs"].as_array().unwrap().len(), 0);
}

#[test]
fn nul_bytes_and_binary_files_give_valid_json() {
    let dir = scratch("binary");
    let mut bin_bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    bin_bytes.extend_from_slice(b"\x00\x00PK\x03\x04\xff\xfe\x00");
    std::fs::write(dir.join("blob.bin"), &bin_bytes).unwrap();
    std::fs::write(dir.join("nul.txt"), b"Kiev\x00talks\x00\n\n\x00\x00\n\nend").unwrap();
    let out = run(&[s(&dir)], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = records(&out);
    assert_eq!(r.len(), 2);
    for rec in &r {
        assert!(rec["text"].is_string());
    }
    assert!(r[1]["text"].as_str().unwrap().contains("talks"), "{}", r[1]);
    assert!(!out.stdout.contains(&0), "NUL is escaped in JSON");
}

#[test]
fn crlf_and_missing_final_newline() {
    let lf = run(
        &["--input-format", "jsonl"],
        b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n",
    );
    let crlf = run(
        &["--input-format", "jsonl"],
        b"{\"text\":\"a\"}\r\n{\"text\":\"b\"}",
    );
    assert_eq!(lf.stdout, crlf.stdout);
    assert_eq!(records(&crlf).len(), 2);
    let t_lf = run(&[], b"Talks in Kiev.\n\nSecond paragraph.\n");
    let t_crlf = run(&[], b"Talks in Kiev.\r\n\r\nSecond paragraph.");
    assert_eq!(records(&t_lf)[0]["text"], records(&t_crlf)[0]["text"]);
    assert_eq!(
        records(&t_crlf)[0]["text"],
        "Talks in Kyiv.\n\nSecond paragraph."
    );
}

/// A Unix socket cannot be opened as a file, even by root.
fn unopenable(p: &Path) -> std::os::unix::net::UnixListener {
    std::os::unix::net::UnixListener::bind(p).expect("bind a socket")
}

#[test]
fn unreadable_files_and_dangling_links_are_reported_and_skipped() {
    let out_dir = scratch("unreadable");
    let dir = out_dir.join("in");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), "first").unwrap();
    let _sock = unopenable(&dir.join("b.txt"));
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("c.txt")).unwrap();
    let locked = dir.join("d.txt");
    std::fs::write(&locked, "locked").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::write(dir.join("e.txt"), "last").unwrap();
    let (out, st, _) = run_accounted(&out_dir, &[s(&dir)], b"");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("b.txt: cannot open"), "{err}");
    assert!(err.contains("c.txt: dangling or unreadable link"), "{err}");
    let texts: Vec<String> = records(&out)
        .iter()
        .map(|r| r["text"].as_str().unwrap().to_owned())
        .collect();
    // Root reads a file whatever its mode; anyone else cannot.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        assert_eq!(texts, ["first", "locked", "last"]);
    } else {
        assert!(err.contains("d.txt: cannot open"), "{err}");
        assert_eq!(texts, ["first", "last"]);
    }
    assert_eq!(count(&st, "errors"), if root { 2 } else { 3 });
    assert_balanced(&out, &st);
}

#[test]
fn symlink_loops_end() {
    let dir = scratch("loops");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/a.txt"), "inside").unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub/up")).unwrap();
    std::os::unix::fs::symlink(dir.join("self"), dir.join("self")).unwrap();
    let started = Instant::now();
    let out = run(&[s(&dir)], b"");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("folder loop"), "{err}");
    assert!(err.contains("self: dangling or unreadable link"), "{err}");
    assert_eq!(records(&out).len(), 1);
}

#[test]
fn a_full_disk_is_a_clear_error() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    let mut child = bin()
        .args(["--input-format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(full())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"text\":\"a\"}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("writing stdout") && err.contains("No space left on device"),
        "{err}"
    );
    let out = run(&["-o", "/dev/full"], b"some text");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("writing /dev/full"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &["--rejects", "/dev/full", "--input-format", "jsonl"],
        b"[1]\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("writing /dev/full"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stdout_closed_before_the_first_write_ends_quietly() {
    let mut child = bin()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Some text about Kiev.");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

fn config_error(dir: &Path, name: &str, text: &str, extra: &[(&str, &str)]) -> String {
    for (f, t) in extra {
        std::fs::write(dir.join(f), t).unwrap();
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let out = run(&["--config", s(&path)], b"x");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    stderr(&out)
}

#[test]
fn config_faults_name_file_key_and_line() {
    let dir = scratch("configfaults");
    let e = config_error(
        &dir,
        "unknown.toml",
        "[unicode]\nform = \"nfc\"\nfrom = \"nfc\"\n",
        &[],
    );
    assert!(
        e.contains("unknown.toml") && e.contains("from") && e.contains("line 3"),
        "{e}"
    );
    let e = config_error(
        &dir,
        "type.toml",
        "\n[langid]\nmin_letters = \"three\"\n",
        &[],
    );
    assert!(
        e.contains("type.toml") && e.contains("min_letters") && e.contains("line 3"),
        "{e}"
    );
    let e = config_error(
        &dir,
        "regex.toml",
        "[boilerplate]\nrules_file = \"rules.toml\"\n",
        &[(
            "rules.toml",
            "[[rule]]\nreason = \"ok\"\nexact = [\"x\"]\n\n[[rule]]\nreason = \"broken\"\nregex = [\"(unclosed\"]\n",
        )],
    );
    assert!(
        e.contains("rules.toml") && e.contains("broken") && e.contains("line 7"),
        "{e}"
    );
    let e = config_error(
        &dir,
        "variant.toml",
        "[translit]\ntable_file = \"table.toml\"\n",
        &[(
            "table.toml",
            "[[variant]]\nfrom = \"Kiev\"\nto = \"Kyiv\"\nkind = \"place\"\n\n[[variant]]\nfrom = \"\"\nto = \"Odesa\"\nkind = \"place\"\n",
        )],
    );
    assert!(
        e.contains("table.toml") && e.contains("Odesa") && e.contains("line 7"),
        "{e}"
    );
}

#[test]
fn a_pathological_regex_finishes_fast() {
    let dir = scratch("redos");
    let rules = dir.join("rules.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nreason = \"redos\"\nregex = ['^(a+)+$', '^(a|aa)+b', '(x+x+)+y']\n",
    )
    .unwrap();
    let cfg = dir.join("c.toml");
    std::fs::write(&cfg, "[boilerplate]\nrules_file = \"rules.toml\"\n").unwrap();
    let mut text = String::new();
    for _ in 0..20 {
        text.push_str(&"a".repeat(20_000));
        text.push_str("!\n\n");
        text.push_str(&"x".repeat(20_000));
        text.push_str("\n\n");
    }
    text.push_str(&"a".repeat(30));
    let started = Instant::now();
    let out = run(&["--config", s(&cfg), "--keep-removed"], text.as_bytes());
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(took < Duration::from_secs(30), "took {took:?}");
    let r = records(&out);
    assert_eq!(r[0]["changes"]["boilerplate"]["redos"], 1);
}

/// The seeds, a mixed JSONL corpus and text documents, in one folder.
fn determinism_corpus(name: &str) -> PathBuf {
    let dir = scratch(name);
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(util::root().join("fixtures/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    for p in &seeds {
        std::fs::copy(p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let mut jsonl = mixed_corpus().0;
    jsonl.push(b'\n');
    for i in 0..200 {
        let seed = std::fs::read_to_string(&seeds[i % seeds.len()]).unwrap();
        let text: String = seed.chars().skip(i * 7 % 500).take(300 + i % 900).collect();
        jsonl.extend_from_slice(
            serde_json::json!({"id": i, "text": text, "n": i})
                .to_string()
                .as_bytes(),
        );
        jsonl.push(b'\n');
    }
    std::fs::write(dir.join("z.jsonl"), jsonl).unwrap();
    dir
}

#[test]
fn output_is_identical_for_every_jobs_value_and_run() {
    let dir = determinism_corpus("determinism");
    let first = run(
        &[s(&dir), "--jobs", "1", "--explain", "--keep-removed"],
        b"",
    );
    assert_eq!(first.status.code(), Some(3), "{}", stderr(&first));
    assert!(records(&first).len() > 200);
    for jobs in ["1", "2", "8"] {
        let again = run(
            &[s(&dir), "--jobs", jobs, "--explain", "--keep-removed"],
            b"",
        );
        assert!(again.stdout == first.stdout, "--jobs {jobs} differs");
        assert_eq!(again.stderr, first.stderr, "--jobs {jobs}");
    }
    let a = run(&[s(&dir), "--granularity", "paragraph", "--jobs", "1"], b"");
    let b = run(&[s(&dir), "--granularity", "paragraph", "--jobs", "4"], b"");
    assert!(a.stdout == b.stdout);
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn gzip_and_zstd_round_trips() {
    let dir = scratch("compressed");
    let corpus = determinism_corpus("compressed-corpus").join("z.jsonl");
    let data = std::fs::read(&corpus).unwrap();
    std::fs::write(dir.join("in.jsonl.gz"), gzip(&data)).unwrap();
    std::fs::write(
        dir.join("in.jsonl.zst"),
        zstd::encode_all(&data[..], 3).unwrap(),
    )
    .unwrap();
    // Text documents too: the format is read from the name inside.
    std::fs::write(dir.join("doc.txt.gz"), gzip("Talks in Kiev.".as_bytes())).unwrap();
    let plain = run(&[s(&corpus)], b"");
    assert_eq!(plain.status.code(), Some(3));
    for (input, output) in [
        ("in.jsonl.gz", "out.jsonl.zst"),
        ("in.jsonl.zst", "out.jsonl.gz"),
        ("in.jsonl.gz", "out.jsonl"),
    ] {
        let o = dir.join(output);
        let out = run(&[s(&dir.join(input)), "-o", s(&o)], b"");
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        assert!(out.stdout.is_empty());
        let raw = std::fs::read(&o).unwrap();
        let back = if output.ends_with(".zst") {
            zstd::decode_all(&raw[..]).unwrap()
        } else if output.ends_with(".gz") {
            let mut v = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..])
                .read_to_end(&mut v)
                .unwrap();
            v
        } else {
            raw
        };
        // Sources name the file read: compare without them.
        let strip = |b: &[u8]| {
            String::from_utf8(b.to_vec())
                .unwrap()
                .replace(s(&dir.join(input)), "IN")
                .replace(s(&corpus), "IN")
        };
        assert_eq!(strip(&back), strip(&plain.stdout), "{input} → {output}");
    }
    let out = run(&[s(&dir.join("doc.txt.gz"))], b"");
    assert_eq!(records(&out)[0]["text"], "Talks in Kyiv.");
    // A corrupt compressed file is an input error; the run goes on.
    std::fs::write(dir.join("bad.jsonl.gz"), b"\x1f\x8b\x08\x00garbage").unwrap();
    let out = run(
        &[s(&dir.join("bad.jsonl.gz")), s(&dir.join("doc.txt.gz"))],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.jsonl.gz"), "{}", stderr(&out));
    assert_eq!(records(&out).len(), 1);
}

#[test]
fn progress_bar_only_on_a_terminal() {
    let dir = scratch("progress");
    let corpus = determinism_corpus("progress-corpus").join("z.jsonl");
    let script = Path::new("/usr/bin/script");
    assert!(
        script.exists(),
        "util-linux `script` runs the pseudo-terminal test"
    );
    let cmd = |extra: &str| {
        format!(
            "{} {} --jobs 1 -o {} {extra}",
            env!("CARGO_BIN_EXE_textnorm"),
            s(&corpus),
            s(&dir.join("out.jsonl"))
        )
    };
    let tty = std::process::Command::new(script)
        .args(["-qec", &cmd(""), "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&tty.stdout);
    assert!(shown.contains("records"), "{shown:?}");
    let quiet = std::process::Command::new(script)
        .args(["-qec", &cmd("--quiet --rejects /dev/null"), "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("records"));
    // Not a terminal: only the reject messages.
    let piped = run(&[s(&corpus), "-o", s(&dir.join("out.jsonl"))], b"");
    assert!(!stderr(&piped).contains("records"));
}

mod properties {
    use proptest::prelude::*;
    use textnorm::input::{self, Item};

    /// JSONL-like lines: good records, every kind of bad line, blanks.
    fn line() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            "[a-zA-Z Київ.]{0,40}"
                .prop_map(|t| serde_json::json!({"text": t}).to_string().into_bytes()),
            "[a-z]{0,12}".prop_map(|t| format!(
                "{{\"id\":\"{t}\",\"text\":\"{t}\",\"k\":[1,{{\"a\":null}}]}}"
            )
            .into_bytes()),
            Just(b"[1,2]".to_vec()),
            Just(b"null".to_vec()),
            Just(b"7".to_vec()),
            Just(b"{\"text\":1}".to_vec()),
            Just(b"{\"text\":\"a\",\"text\":\"b\"}".to_vec()),
            Just(b"   ".to_vec()),
            Just(Vec::new()),
            prop::collection::vec(
                any::<u8>().prop_filter("no line break", |b| *b != b'\n'),
                0..60
            ),
        ]
    }

    fn pipeline() -> &'static (textnorm::Pipeline, textnorm::Config) {
        static P: std::sync::OnceLock<(textnorm::Pipeline, textnorm::Config)> =
            std::sync::OnceLock::new();
        P.get_or_init(|| {
            let mut cfg = textnorm::Config::default();
            cfg.input.max_doc_bytes = 48;
            (textnorm::Pipeline::new(&cfg).expect("pipeline"), cfg)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn one_record_or_one_reject_per_line(lines in prop::collection::vec(line(), 0..12), crlf in any::<bool>(), last_nl in any::<bool>()) {
            let (pipeline, cfg) = pipeline();
            let eol: &[u8] = if crlf { b"\r\n" } else { b"\n" };
            let mut data = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                data.extend_from_slice(l);
                if i + 1 < lines.len() || last_nl {
                    data.extend_from_slice(eol);
                }
            }
            let mut items = Vec::new();
            let mut spilled = Vec::new();
            input::read_reader_with(&mut &data[..], "p", true, &cfg.input, &mut |i| { items.push(i); Ok(()) }, &mut |c| { spilled.extend_from_slice(c); Ok(()) }).unwrap();
            // The lines the reader answers for: not blank, or over the limit.
            let mut expected = Vec::new();
            let mut rest = &data[..];
            while !rest.is_empty() {
                let (l, n) = match rest.iter().position(|&b| b == b'\n') {
                    Some(i) => (&rest[..i], i + 1),
                    None => (rest, rest.len()),
                };
                rest = &rest[n..];
                let bare = l.strip_suffix(b"\r").unwrap_or(l);
                let over = n > 49;
                if over || !bare.iter().all(u8::is_ascii_whitespace) {
                    expected.push((bare.to_vec(), over));
                }
            }
            prop_assert_eq!(items.len(), expected.len());
            for (item, (line, over)) in items.into_iter().zip(expected) {
                match item {
                    Item::Record(r) => {
                        prop_assert!(!over);
                        let doc = pipeline.process_record(r, None);
                        let mut out = Vec::new();
                        textnorm::emit::write_document(&doc, &cfg.output, &mut out);
                        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
                        prop_assert!(v.is_object());
                    }
                    Item::Reject(r) => match r.raw {
                        Some(raw) => prop_assert_eq!(raw, line),
                        None => prop_assert!(over),
                    },
                    Item::Error(e) => prop_assert!(false, "{}", e),
                }
            }
        }
    }
}
