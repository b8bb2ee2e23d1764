//! The translit and romanize stages: the rule table in
//! `fixtures/translit/rules.tsv`, audit output, counters, custom tables and
//! the `latn` field, through the library and the built binary.

mod util;

use textnorm::Config;
use textnorm::stages::translit::{Translit, TranslitConfig};
use util::{bin, records, root, run, scratch, stderr};

fn stage() -> Translit {
    Translit::new(&Config::default().translit, false).expect("embedded table builds")
}

fn rewrite(t: &Translit, s: &str) -> String {
    t.rewrite(s).map(|(o, _)| o).unwrap_or_else(|| s.to_owned())
}

/// Every row of `rules.tsv`: the input gives the expected text, and the
/// expected text is left as it is (no rewrite applies twice).
#[test]
fn rule_table() {
    let t = stage();
    let table = std::fs::read_to_string(root().join("fixtures/translit/rules.tsv")).unwrap();
    let mut failures = Vec::new();
    for line in table.lines().skip(1).filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "three columns: {line}");
        let (input, expected, rule) = (cols[0], cols[1], cols[2]);
        let got = rewrite(&t, input);
        if got != expected {
            failures.push(format!("{rule}: {input:?} gave {got:?}, want {expected:?}"));
        }
        let again = rewrite(&t, expected);
        if again != expected {
            failures.push(format!("{rule}: not a fixed point: {again:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn hits_give_byte_ranges_in_both_texts() {
    let t = stage();
    let input = "From Kiev to Kharkov’s outskirts.";
    let (out, hits) = t.rewrite(input).expect("two rewrites");
    assert_eq!(out, "From Kyiv to Kharkiv’s outskirts.");
    let pairs: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| (&input[h.source.clone()], &out[h.start..h.end]))
        .collect();
    assert_eq!(pairs, [("Kiev", "Kyiv"), ("Kharkov", "Kharkiv")]);
}

#[test]
fn explain_lists_rewrites_at_code_point_offsets() {
    let path = root().join("fixtures/translit/article.txt");
    let out = bin()
        .arg("--explain")
        .arg(&path)
        .output()
        .expect("run textnorm");
    assert!(out.status.success(), "{}", stderr(&out));
    let r = &records(&out)[0];
    let text: Vec<char> = r["text"].as_str().unwrap().chars().collect();
    let edits = r["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 4, "{edits:?}");
    for e in edits {
        let para = r["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["index"] == e["paragraph"])
            .expect("the edited paragraph is in the text");
        let base = para["start"].as_u64().unwrap() as usize;
        let (s, end) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        let at: String = text[base + s..base + end].iter().collect();
        assert_eq!(at, e["to"].as_str().unwrap(), "{e}");
    }
    let changes = r["changes"]["translit"].as_object().unwrap();
    let mut keys: Vec<&str> = changes.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "Kharkov→Kharkiv",
            "Kiev→Kyiv",
            "Zhelensky→Zelenskyy",
            "the Ukraine→Ukraine"
        ]
    );
    // The dish, the acronym, the URL and the e-mail address stay.
    let text: String = text.into_iter().collect();
    for kept in [
        "Chicken Kiev",
        "ODESSA files",
        "https://example.org/Kiev/statement",
        "desk@kiev.example",
    ] {
        assert!(text.contains(kept), "{kept} kept");
    }
}

#[test]
fn cyrillic_paragraphs_are_not_touched_and_romanize_is_off_by_default() {
    let input = "Київ і Харків зазнали нових обстрілів уночі, повідомили у Львові.\n\nShelling hit Kharkov overnight, officials in the capital said.\n";
    let out = run(&[], input.as_bytes());
    let r = &records(&out)[0];
    let text = r["text"].as_str().unwrap();
    assert!(text.starts_with("Київ і Харків зазнали"));
    assert!(text.contains("hit Kharkiv overnight"));
    assert!(r["paragraphs"][0].get("latn").is_none());
    assert!(r["changes"].get("romanize").is_none());
}

#[test]
fn romanize_adds_latn_to_ukrainian_paragraphs_only() {
    let input = "Київ і Харків зазнали нових обстрілів уночі, повідомили у Львові та в Запоріжжі.\n\nShelling hit Kharkov overnight, officials in the capital said.\n";
    let out = run(&["--enable", "romanize"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let r = &records(&out)[0];
    assert_eq!(r["paragraphs"][0]["lang"], "uk");
    assert_eq!(
        r["paragraphs"][0]["latn"],
        "Kyiv i Kharkiv zaznaly novykh obstriliv unochi, povidomyly u Lvovi ta v Zaporizhzhi."
    );
    assert!(r["paragraphs"][1].get("latn").is_none());
    assert_eq!(r["changes"]["romanize"]["paragraphs"], 1);
}

#[test]
fn output_does_not_depend_on_jobs() {
    let one = bin()
        .args([
            "--jobs",
            "1",
            "--explain",
            "fixtures/translit",
            "fixtures/seeds",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    let three = bin()
        .args([
            "--jobs",
            "3",
            "--explain",
            "fixtures/translit",
            "fixtures/seeds",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(one.status.success(), "{}", stderr(&one));
    assert_eq!(one.stdout, three.stdout);
}

#[test]
fn seeds_change_only_where_they_should() {
    let out = bin()
        .args(["--explain", "fixtures/seeds"])
        .current_dir(root())
        .output()
        .unwrap();
    let edits: Vec<(String, String)> = records(&out)
        .iter()
        .flat_map(|r| r["edits"].as_array().cloned().unwrap_or_default())
        .map(|e| {
            (
                e["from"].as_str().unwrap().into(),
                e["to"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        edits,
        [
            ("Zhelensky".to_owned(), "Zelenskyy".to_owned()),
            ("Kiev".to_owned(), "Kyiv".to_owned())
        ]
    );
}

#[test]
fn a_custom_table_brings_its_own_rows_and_guards() {
    let dir = scratch("translit_custom");
    std::fs::write(
        dir.join("table.toml"),
        "[[variant]]\nfrom = \"Kolomyja\"\nto = \"Kolomyia\"\nkind = \"place\"\nunless = [\"Poland\"]\n\n[[keep]]\nword = \"Kolomyja Fair\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("cfg.toml"),
        "[translit]\ntable_file = \"table.toml\"\n",
    )
    .unwrap();
    let cfg = dir.join("cfg.toml");
    let out = run(
        &["--config", cfg.to_str().unwrap(), "--disable", "boilerplate"],
        b"Trains to Kolomyja ran late. Kiev stays as the table has no row for it.\n\nThe Kolomyja Fair opened.\n\nKolomyja, as Poland's archives call it.\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = records(&out)[0]["text"].as_str().unwrap().to_owned();
    assert_eq!(
        text,
        "Trains to Kolomyia ran late. Kiev stays as the table has no row for it.\n\nThe Kolomyja Fair opened.\n\nKolomyja, as Poland's archives call it."
    );
}

#[test]
fn a_table_mapping_one_variant_two_ways_is_an_error() {
    let dir = scratch("translit_conflict");
    std::fs::write(
        dir.join("table.toml"),
        "[[variant]]\nfrom = \"Kiev\"\nto = \"Kyiv\"\n\n[[variant]]\nfrom = \"KIEV\"\nto = \"Kiew\"\n",
    )
    .unwrap();
    let cfg = TranslitConfig {
        enabled: true,
        table_file: Some(dir.join("table.toml")),
    };
    let e = Translit::new(&cfg, false).unwrap_err().to_string();
    assert!(e.contains("table.toml"), "{e}");
    assert!(e.contains("KIEV") && e.contains("line 6"), "{e}");
}
