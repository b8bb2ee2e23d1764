//! Seed acceptance: the built binary over `fixtures/seeds/`, checked against
//! the removals expected in each seed (paragraph indexes as the segmenter
//! numbers them: blank-line paragraphs, or lines when a seed has no blank
//! line).

mod util;

use std::collections::BTreeMap;

use serde_json::Value;
use util::{bin, root};

/// What became of each paragraph of one seed.
struct Seed {
    /// Paragraph index → boilerplate reason, for removed paragraphs.
    removed: BTreeMap<u64, String>,
    /// Indexes in the output text.
    kept: Vec<u64>,
    /// Indexes moved to metadata fields.
    metadata: Vec<u64>,
    /// Output paragraph texts by index.
    texts: BTreeMap<u64, String>,
    /// Paragraph count before any removal.
    total: u64,
}

fn seeds() -> BTreeMap<String, Seed> {
    let out = bin()
        .arg("--keep-removed")
        .arg(root().join("fixtures/seeds"))
        .output()
        .expect("run textnorm");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut map = BTreeMap::new();
    for line in String::from_utf8(out.stdout).expect("UTF-8").lines() {
        let r: Value = serde_json::from_str(line).expect("JSON line");
        let id = r["id"].as_str().expect("id");
        let name = id.rsplit('/').next().expect("file name")[..3].to_owned();
        let text = r["text"].as_str().expect("text");
        let chars: Vec<char> = text.chars().collect();
        let mut seed = Seed {
            removed: BTreeMap::new(),
            kept: Vec::new(),
            metadata: Vec::new(),
            texts: BTreeMap::new(),
            total: r["changes"]["segment"]["paragraphs"]
                .as_u64()
                .expect("count"),
        };
        for p in r["paragraphs"].as_array().expect("paragraphs") {
            let i = p["index"].as_u64().expect("index");
            let (s, e) = (
                p["start"].as_u64().expect("start") as usize,
                p["end"].as_u64().expect("end") as usize,
            );
            seed.kept.push(i);
            seed.texts.insert(i, chars[s..e].iter().collect());
        }
        for p in r["removed"].as_array().expect("removed") {
            let i = p["index"].as_u64().expect("index");
            let reason = p["reason"].as_str().expect("reason");
            if reason.starts_with("metadata.") {
                seed.metadata.push(i);
            } else {
                seed.removed.insert(i, reason.to_owned());
            }
        }
        map.insert(name, seed);
    }
    assert_eq!(map.len(), 5, "five seeds");
    map
}

/// Boilerplate paragraphs of each seed, by index, as read from the seeds.
const BOILERPLATE: &[(&str, &[(u64, &str)])] = &[
    (
        "002",
        &[
            (0, "MSN old-browser notice"),
            (2, "logo line + byline + photo caption with © credit"),
            (
                16,
                "photo caption: howitzer shell, © Sergey Pivovarov/Reuters",
            ),
            (20, "related headline: Here’s what you need to know…"),
            (23, "related headline: In meeting that Italian government…"),
            (26, "© The Washington Post These countries… teaser"),
            (30, "related headline: As Ukraine invasion looms…"),
            (41, "More from The Washington Post"),
            (42, "logo lines + image beacon"),
        ],
    ),
    (
        "003",
        &[
            (5, "Sign up now for unlimited free access to"),
            (8, "See also: Winter Storm Live Updates teaser"),
            (25, "See also: Wisconsin after Paul Chryst teaser"),
            (31, "Sign up now for unlimited free access to (second)"),
            (33, "Our standards: Thomson Reuters Trust Principles."),
            (34, "Leave a Reply"),
            (35, "Your email address will not be published…"),
        ],
    ),
];

fn expected_removed(seed: &str) -> Vec<u64> {
    BOILERPLATE
        .iter()
        .find(|(s, _)| *s == seed)
        .map(|(_, v)| v.iter().map(|(i, _)| *i).collect())
        .unwrap_or_default()
}

#[test]
fn every_content_paragraph_is_kept_and_the_boilerplate_goes() {
    let seeds = seeds();
    let mut removed = 0;
    let mut total_boilerplate = 0;
    for (name, seed) in &seeds {
        let expected = expected_removed(name);
        total_boilerplate += expected.len();
        for i in 0..seed.total {
            let gone = seed.removed.get(&i);
            if expected.contains(&i) {
                if gone.is_some() {
                    removed += 1;
                }
            } else {
                assert!(
                    gone.is_none(),
                    "seed {name} paragraph {i} removed as {gone:?}"
                );
                assert!(
                    seed.kept.contains(&i) || seed.metadata.contains(&i),
                    "seed {name} paragraph {i} lost"
                );
            }
        }
    }
    assert_eq!(total_boilerplate, 16);
    assert!(
        removed >= 15,
        "only {removed} of 16 boilerplate paragraphs removed"
    );
}

#[test]
fn seed_002_removals_have_reasons_and_the_body_is_intact() {
    let seeds = seeds();
    let s = &seeds["002"];
    for (i, what) in BOILERPLATE[0].1 {
        let reason = s.removed.get(i);
        assert!(
            reason.is_some_and(|r| !r.is_empty()),
            "002 paragraph {i} ({what}) not removed"
        );
    }
    // The article body: every paragraph from the dateline to the credits.
    for i in 3..=39 {
        if !expected_removed("002").contains(&i) {
            assert!(s.kept.contains(&i), "002 body paragraph {i} missing");
        }
    }
    assert!(s.texts[&3].starts_with("MOSCOW — The United States on Wednesday"));
}

#[test]
fn seed_003_keeps_bullets_headings_and_the_garbled_line() {
    let seeds = seeds();
    let s = &seeds["003"];
    for i in expected_removed("003") {
        assert!(s.removed.contains_key(&i), "003 paragraph {i} not removed");
    }
    // 1: the key-point bullet block; 12 "Weak diplomacy" and 26 "Weapons
    // built-up": headings; 17: the garbled machine-translated line.
    for (i, start) in [
        (1, "• Moscow says the US response ignores its main concerns"),
        (12, "Weak diplomacy"),
        (26, "Weapons built-up"),
        (17, "Was in Washington Own news For Beijing, Nuland said."),
    ] {
        assert!(
            s.texts.get(&i).is_some_and(|t| t.starts_with(start)),
            "003 paragraph {i} not kept: {:?}",
            s.texts.get(&i)
        );
    }
    // 19 and 23 end in an inline "read more", which is cut.
    for i in [19, 23] {
        let t = &s.texts[&i];
        assert!(!t.to_lowercase().ends_with("read more"), "{t}");
        assert!(t.ends_with('.'), "{t}");
    }
}

#[test]
fn seeds_001_and_004_lose_nothing() {
    let seeds = seeds();
    for name in ["000", "001", "004"] {
        assert!(
            seeds[name].removed.is_empty(),
            "seed {name}: {:?}",
            seeds[name].removed
        );
    }
    // Every transcript line of 004 (3..=20) is in the text.
    let s = &seeds["004"];
    for i in 3..=20 {
        assert!(s.kept.contains(&i), "004 line {i} missing");
    }
    assert!(s.texts[&3].starts_with("MARTIN: So, Charles"));
}
