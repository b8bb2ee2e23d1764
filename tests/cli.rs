//! The command line, through the built binary.

mod util;

use std::process::Stdio;

use util::{records, run, scratch, stderr};

#[test]
fn stdin_text_is_one_document() {
    let out = run(
        &[],
        b"Talks in Kiev went on.\n\nSign up now for unlimited free access to\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let r = records(&out);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["id"], "stdin");
    assert_eq!(r[0]["encoding"], "UTF-8");
    assert_eq!(r[0]["text"], "Talks in Kyiv went on.");
    assert_eq!(r[0]["changes"]["boilerplate"]["sign_up"], 1);
    assert_eq!(r[0]["changes"]["translit"]["Kiev→Kyiv"], 1);
}

#[test]
fn stdin_jsonl_is_detected_and_passes_fields_through() {
    let out = run(
        &[],
        "{\"id\":\"a\",\"text\":\"Kiev\",\"meta\":{\"k\":[1,2]},\"added\":\"2024\"}\n{\"id\":7,\"text\":\"Odesa\"}\n".as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let r = records(&out);
    assert_eq!(r.len(), 2);
    assert_eq!(r[0]["meta"]["k"][1], 2);
    assert_eq!(r[0]["added"], "2024");
    assert_eq!(r[0]["id"], "a");
    assert_eq!(r[0]["source"], "stdin:1");
    assert!(r[0].get("encoding").is_none());
    assert_eq!(r[1]["id"], "7");
    let first_key = String::from_utf8(out.stdout).unwrap();
    assert!(
        first_key.starts_with("{\"meta\":"),
        "passthrough comes first"
    );
}

#[test]
fn custom_fields() {
    let out = run(
        &["--text-field", "body", "--id-field", "key"],
        b"{\"key\":\"k1\",\"body\":\"hello world\"}\n",
    );
    let r = records(&out);
    assert_eq!(r[0]["id"], "k1");
    assert_eq!(r[0]["text"], "hello world");
}

#[test]
fn folders_are_walked_in_sorted_order() {
    let dir = scratch("folders");
    std::fs::create_dir_all(dir.join("b")).unwrap();
    std::fs::write(dir.join("b/2.txt"), "second").unwrap();
    std::fs::write(dir.join("a.txt"), "first").unwrap();
    std::fs::write(
        dir.join("c.jsonl"),
        "{\"text\":\"third\"}\n{\"text\":\"fourth\"}\n",
    )
    .unwrap();
    let out = run(&[dir.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    let texts: Vec<String> = records(&out)
        .iter()
        .map(|r| r["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(texts, ["first", "second", "third", "fourth"]);
}

#[test]
fn rejects_are_reported_written_and_exit_3() {
    let dir = scratch("rejects");
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        b"{\"text\":\"ok\"}\n[1,2]\n{\"text\":5}\nnot json\n{\"text\":\"also ok\"}\n",
    )
    .unwrap();
    let rejects = dir.join("rejects.jsonl");
    let out = run(
        &[
            input.to_str().unwrap(),
            "--rejects",
            rejects.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(records(&out).len(), 2);
    let err = stderr(&out);
    let name = input.display().to_string();
    assert!(
        err.contains(&format!("{name}:2: expected a JSON object, found an array")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:3: field `text` is not a string")),
        "{err}"
    );
    assert!(err.contains(&format!("{name}:4: invalid JSON")), "{err}");
    assert_eq!(
        std::fs::read(&rejects).unwrap(),
        b"[1,2]\n{\"text\":5}\nnot json\n"
    );
}

#[test]
fn bad_flags_and_config_exit_2() {
    assert_eq!(run(&["--granularity", "page"], b"").status.code(), Some(2));
    assert_eq!(run(&["--disable", "nope"], b"").status.code(), Some(2));
    let out = run(&["--langs", "en,xx"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("\"xx\""));
    let dir = scratch("badconfig");
    let cfg = dir.join("c.toml");
    std::fs::write(&cfg, "[langid]\nthreshold = 0.1\nlangz = [\"en\"]\n").unwrap();
    let out = run(&["--config", cfg.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("c.toml") && err.contains("langz") && err.contains("line 3"),
        "{err}"
    );
}

#[test]
fn missing_file_exits_1_after_processing_the_rest() {
    let dir = scratch("missing");
    std::fs::write(dir.join("a.txt"), "present").unwrap();
    let out = run(
        &[
            dir.join("nope.txt").to_str().unwrap(),
            dir.join("a.txt").to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(records(&out).len(), 1);
    assert!(stderr(&out).contains("nope.txt"));
}

#[test]
fn closed_stdout_ends_quietly() {
    let mut doc = String::new();
    for i in 0..20000 {
        doc.push_str(&format!(
            "{{\"id\":\"{i}\",\"text\":\"Paragraph number {i} about Kiev.\"}}\n"
        ));
    }
    let mut child = util::bin()
        .args(["--input-format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(doc.as_bytes());
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    use std::io::Read;
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn paragraph_granularity_and_keep_removed() {
    let text = b"First paragraph here.\n\nSign up now for unlimited free access to\n\nSecond one.";
    let r = records(&run(&["--granularity", "paragraph"], text));
    assert_eq!(r.len(), 2);
    assert_eq!(r[1]["doc_id"], "stdin");
    assert_eq!(r[1]["index"], 2);
    let r = records(&run(&["--keep-removed"], text));
    assert_eq!(r[0]["removed"][0]["index"], 1);
    assert_eq!(r[0]["removed"][0]["reason"], "sign_up");
    let r = records(&run(&["--label-only"], text));
    assert_eq!(r[0]["paragraphs"].as_array().unwrap().len(), 3);
    assert_eq!(r[0]["paragraphs"][1]["boilerplate"], "sign_up");
}

#[test]
fn stem_is_optional() {
    let text = b"The negotiations continued in Brussels.";
    let r = records(&run(&[], text));
    assert!(r[0]["paragraphs"][0].get("stems").is_none());
    let r = records(&run(&["--enable", "stem"], text));
    assert_eq!(r[0]["paragraphs"][0]["stems"][1], "negoti");
}

#[test]
fn encoding_can_be_forced() {
    let (bytes, _, _) = encoding_rs::KOI8_U.encode("Київ");
    let r = records(&run(&["--encoding", "koi8-u"], &bytes));
    assert_eq!(r[0]["encoding"], "KOI8-U");
    assert_eq!(r[0]["text"], "Київ");
}
