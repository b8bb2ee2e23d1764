//! Translit suite: `translit/cases.jsonl` (exact match per category, misses
//! and false rewrites) and stage throughput on English news text.

use std::collections::BTreeMap;
use std::path::Path;

use textnorm::stages::translit::{Translit, TranslitConfig};

use crate::common::{Figure, pct, print_table, read_jsonl, throughput};

/// Runs the suite.
pub fn run(dir: &Path) -> anyhow::Result<Vec<Figure>> {
    let stage = Translit::new(
        &TranslitConfig {
            enabled: true,
            table_file: None,
        },
        false,
    )?;
    let cases = read_jsonl(&dir.join("translit/cases.jsonl"))?;
    let mut per_cat: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut missed, mut false_rw, mut exact) = (0, 0, 0);
    let mut failures = Vec::new();
    for c in &cases {
        let input = c["input"].as_str().unwrap_or_default();
        let expected = c["expected"].as_str().unwrap_or_default();
        let cat = c["category"].as_str().unwrap_or("?").to_owned();
        let got = stage
            .rewrite(input)
            .map(|(s, _)| s)
            .unwrap_or_else(|| input.to_owned());
        let e = per_cat.entry(cat).or_default();
        e.1 += 1;
        if got == expected {
            e.0 += 1;
            exact += 1;
        } else {
            if input == expected {
                false_rw += 1;
            } else {
                missed += 1;
            }
            failures.push(vec![c["id"].as_str().unwrap_or("?").to_owned(), got]);
        }
    }
    let rows: Vec<Vec<String>> = per_cat
        .iter()
        .map(|(k, &(ok, n))| vec![k.clone(), format!("{ok}/{n}"), pct(ok, n)])
        .collect();
    print_table(&["category", "exact", "accuracy"], &rows);
    if !failures.is_empty() {
        println!("\nwrong outputs:");
        for f in failures.iter().take(30) {
            println!("  {}: {}", f[0], f[1]);
        }
    }
    // Throughput on English news text: the cases repeated to ~20 MB.
    let mut text = String::new();
    while text.len() < 20_000_000 {
        for c in &cases {
            text.push_str(c["input"].as_str().unwrap_or_default());
            text.push(' ');
        }
    }
    let chunks: Vec<&str> = split_at_spaces(&text, 2000);
    let (n, mbs) = throughput(text.len(), || {
        chunks.iter().filter(|p| stage.rewrite(p).is_some()).count()
    });
    println!(
        "\ncases: {exact}/{} exact ({}), missed rewrites {missed}, false rewrites {false_rw}; throughput {mbs:.0} MB/s ({n} paragraphs changed)",
        cases.len(),
        pct(exact, cases.len())
    );
    Ok(vec![
        Figure::higher("translit.exact", exact as f64 / cases.len().max(1) as f64),
        Figure::lower("translit.missed", missed as f64),
        Figure::lower("translit.false_rewrites", false_rw as f64),
        Figure::higher("translit.mb_per_s", mbs),
    ])
}

/// Splits `text` into pieces of about `size` bytes at spaces.
fn split_at_spaces(text: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while rest.len() > size {
        let end = rest.floor_char_boundary(size);
        let cut = rest[..end].rfind(' ').filter(|&c| c > 0).unwrap_or(end);
        out.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    out.push(rest);
    out
}
