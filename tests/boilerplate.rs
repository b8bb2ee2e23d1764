//! The boilerplate stage through the command line: label-only output,
//! statistics, user rules and corpus-level repetition.

mod util;

use util::{bin, records, run, scratch, stderr};

const PROSE: &[&str] = &[
    "The talks in Geneva ended without a deal, but both sides said that they would meet again next week to go over the proposals.",
    "Officials from the two countries have been trying for months to find a way out of the standoff, and they are not done yet.",
    "The foreign minister said that his government was ready to listen, but that it would not give up what it sees as its interests.",
];

/// A news page: menu, article with a heading, teaser and footer.
fn page() -> String {
    [
        "Home",
        "World",
        "Business",
        "Sport",
        "Culture",
        "Travel",
        "Weather",
        "Video",
        PROSE[0],
        "Weak diplomacy",
        PROSE[1],
        "Sign up now for unlimited free access to",
        PROSE[2],
        "Most read",
        "Contact us",
        "Privacy policy",
    ]
    .join("\n\n")
}

#[test]
fn removals_carry_reasons_and_label_only_keeps_everything() {
    let out = run(&["--keep-removed"], page().as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let r = &records(&out)[0];
    let text = r["text"].as_str().unwrap();
    assert!(text.starts_with(PROSE[0]), "{text}");
    assert!(
        text.contains("Weak diplomacy"),
        "heading between prose is kept"
    );
    assert!(!text.contains("Sign up now"));
    assert!(!text.contains("Privacy policy"));
    let removed = r["removed"].as_array().unwrap();
    let reason = |i: u64| {
        removed
            .iter()
            .find(|p| p["index"] == i)
            .map(|p| p["reason"].as_str().unwrap().to_owned())
    };
    assert_eq!(reason(0).as_deref(), Some("short_line"));
    assert_eq!(reason(11).as_deref(), Some("sign_up"));
    assert_eq!(reason(15).as_deref(), Some("short_line"));
    assert_eq!(r["changes"]["boilerplate"]["short_line"], 11);
    assert_eq!(r["changes"]["boilerplate"]["sign_up"], 1);

    let out = run(&["--label-only"], page().as_bytes());
    let r = &records(&out)[0];
    let paras = r["paragraphs"].as_array().unwrap();
    assert_eq!(paras.len(), 16, "every paragraph is in the text");
    assert_eq!(paras[11]["boilerplate"], "sign_up");
    assert_eq!(paras[13]["boilerplate"], "short_line");
    assert!(paras[8].get("boilerplate").is_none());
    assert!(r["text"].as_str().unwrap().contains("Privacy policy"));
}

#[test]
fn stats_count_every_reason() {
    let dir = scratch("bp-stats");
    let stats = dir.join("stats.json");
    let out = run(
        &["--stats", stats.to_str().unwrap(), "-o", "/dev/null"],
        page().as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(&stats).unwrap()).unwrap();
    assert_eq!(s["changes"]["boilerplate"]["short_line"], 11);
    assert_eq!(s["changes"]["boilerplate"]["sign_up"], 1);
}

#[test]
fn user_rules_add_reasons() {
    let dir = scratch("bp-rules");
    std::fs::write(
        dir.join("rules.toml"),
        "[[rule]]\nreason = \"podcast_pitch\"\nprefix = [\"listen to our podcast\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "[boilerplate]\nrules_file = \"rules.toml\"\n",
    )
    .unwrap();
    let input = format!(
        "{}\n\nListen to our podcast on your way to work\n\n{}",
        PROSE[0], PROSE[1]
    );
    let out = run(
        &["--config", dir.join("config.toml").to_str().unwrap()],
        input.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let r = &records(&out)[0];
    assert_eq!(r["changes"]["boilerplate"]["podcast_pitch"], 1);
    assert!(!r["text"].as_str().unwrap().contains("podcast"));
}

/// A small corpus in which one newsletter pitch recurs in every document.
fn corpus(dir: &std::path::Path) -> std::path::PathBuf {
    let pitch = "Get the best of our reporting in your inbox every morning, and it costs you nothing at all.";
    let cities = [
        "Geneva", "Vienna", "Paris", "Berlin", "Warsaw", "Kyiv", "Madrid", "Rome", "Oslo",
        "Prague", "Riga", "Lisbon",
    ];
    let mut lines = String::new();
    for (i, city) in cities.iter().enumerate() {
        // The third paragraph recurs in three documents only: below
        // `min_docs`, so it stays.
        let text = format!(
            "In {city}: {}\n\n{pitch}\n\nStory from {}: {}\n\nAnd in {city}, {}",
            PROSE[0],
            cities[i / 3],
            PROSE[1],
            PROSE[2]
        );
        lines.push_str(&serde_json::json!({"id": format!("d{i}"), "text": text}).to_string());
        lines.push('\n');
    }
    let path = dir.join("corpus.jsonl");
    std::fs::write(&path, lines).unwrap();
    path
}

#[test]
fn learnt_repeats_are_removed_and_the_same_for_any_jobs() {
    let dir = scratch("bp-repeats");
    let input = corpus(&dir);
    let mut files = Vec::new();
    for jobs in ["1", "3"] {
        let rep = dir.join(format!("repeats-{jobs}.bin"));
        let out = bin()
            .args(["--jobs", jobs, "-o", "/dev/null", "--learn"])
            .arg(&rep)
            .arg(&input)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        files.push(std::fs::read(&rep).unwrap());
    }
    assert!(files[0] == files[1], "repeats file depends on --jobs");

    let rep = dir.join("repeats-1.bin");
    let mut outputs = Vec::new();
    for jobs in ["1", "3"] {
        let out = bin()
            .args(["--jobs", jobs, "--keep-removed", "--repeats"])
            .arg(&rep)
            .arg(&input)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        outputs.push(out.stdout.clone());
        let recs = records(&out);
        assert_eq!(recs.len(), 12);
        for r in &recs {
            assert_eq!(r["changes"]["boilerplate"]["repeated"], 1, "{r}");
            assert!(!r["text"].as_str().unwrap().contains("inbox"));
            // Prose that recurs only in a few documents stays.
            assert!(r["text"].as_str().unwrap().contains("Story"));
        }
    }
    assert_eq!(outputs[0], outputs[1], "output depends on --jobs");

    // Without the repeats file the pitch, which reads like prose, stays.
    let out = bin().arg(&input).output().unwrap();
    assert!(
        records(&out)
            .iter()
            .all(|r| r["text"].as_str().unwrap().contains("inbox"))
    );
}

#[test]
fn a_bad_repeats_file_is_a_config_error() {
    let dir = scratch("bp-bad-repeats");
    let rep = dir.join("bad.bin");
    std::fs::write(&rep, b"not a sketch").unwrap();
    let out = run(&["--repeats", rep.to_str().unwrap()], b"hello");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("repeats file"), "{}", stderr(&out));
}
