//! Seed documents: header metadata, language labels and link residue.

mod util;

fn seed(name: &str) -> serde_json::Value {
    let out = util::bin()
        .current_dir(util::root())
        .arg(format!("fixtures/seeds/{name}"))
        .output()
        .expect("run textnorm");
    assert!(out.status.success(), "{}", util::stderr(&out));
    let r = util::records(&out);
    assert_eq!(r.len(), 1);
    r.into_iter().next().expect("one record")
}

fn para_langs(doc: &serde_json::Value) -> Vec<(u64, String)> {
    doc["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| {
            (
                p["index"].as_u64().expect("index"),
                p["lang"].as_str().expect("lang").to_owned(),
            )
        })
        .collect()
}

#[test]
fn seed_000_header_languages_and_links() {
    let d = seed("000_4f305cfe3bfdb59a.txt");
    assert_eq!(d["date"], "2022-01-07");
    assert_eq!(d["publisher"], "The Guardian");
    assert_eq!(d["byline"], "Patrick Wintour");
    assert_eq!(
        d["title"],
        "US secretary of state says diplomatic solution to Ukraine crisis still possible"
    );
    assert_eq!(
        d["url"],
        "https://www.theguardian.com/world/2022/jan/07/nato-chief-warns-of-real-risk-of-ukraine-conflict-as-russian-buildup-continues"
    );
    assert_eq!(d["lang"], "en");
    // The Ukrainian title and summary are paragraphs 3 and 4; all the rest is English.
    for (index, lang) in para_langs(&d) {
        let want = if index == 3 || index == 4 { "uk" } else { "en" };
        assert_eq!(lang, want, "paragraph {index}");
    }
    let text = d["text"].as_str().expect("text");
    assert!(
        text.contains("resolution to the Ukraine crisis"),
        "markdown link residue is gone"
    );
    assert!(!text.contains("](#)"));
    assert!(
        !text.contains("theguardian.com"),
        "the URL line is metadata"
    );
    assert!(!text.contains("Patrick Wintour"), "the byline is metadata");
}

#[test]
fn seeds_001_and_004_header_lines_are_metadata() {
    for (name, date, url_start, title) in [
        (
            "001_749e5ca1dd3ba9d2.txt",
            "2022-01-22",
            "https://economictimes.indiatimes.com/",
            "US Russia to try more diplomacy amid tensions over Ukraine",
        ),
        (
            "004_306978392cef2e76.txt",
            "2022-01-14",
            "https://www.wqcs.org/2022-01-14/",
            "With Russian troops at Ukraines border talks to avert a conflict end deadlocked",
        ),
    ] {
        let d = seed(name);
        assert_eq!(d["date"], date, "{name}");
        assert!(
            d["url"].as_str().expect("url").starts_with(url_start),
            "{name}"
        );
        assert_eq!(d["title"], title, "{name}");
        let text = d["text"].as_str().expect("text");
        assert!(
            text.starts_with(title),
            "{name}: the headline stays in the text"
        );
        assert!(!text.contains(url_start), "{name}");
        assert!(para_langs(&d).iter().all(|(_, l)| l == "en"), "{name}");
    }
}

#[test]
fn seed_004_keeps_every_transcript_line() {
    let raw = std::fs::read_to_string(util::root().join("fixtures/seeds/004_306978392cef2e76.txt"))
        .expect("seed");
    let d = seed("004_306978392cef2e76.txt");
    let text = d["text"].as_str().expect("text");
    for line in raw.lines().skip(3).filter(|l| !l.trim().is_empty()) {
        assert!(text.contains(line.trim()), "lost: {line}");
    }
}
