//! Mojibake suite: `mojibake/cyrillic.jsonl` (exact match per kind, negatives
//! changed, throughput on mangled and on clean text) and
//! `mojibake/ftfy_cases.json` (exact match per set, against `fixed-encoding`
//! when present, else `fixed`).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use textnorm::decode::{DecodeConfig, Decoder};
use textnorm::report::Changes;

use crate::common::{Figure, pct, print_table, read_jsonl, throughput};

/// Runs the suite.
pub fn run(dir: &Path) -> anyhow::Result<Vec<Figure>> {
    let dir = dir.join("mojibake");
    let decoder = Decoder::new(&DecodeConfig {
        encoding: "auto".into(),
        mojibake: true,
    })?;
    let fix = |s: &str| decoder.repair(s.to_owned(), &mut Changes::default());
    let mut figs = Vec::new();

    // cyrillic.jsonl
    let cases = read_jsonl(&dir.join("cyrillic.jsonl"))?;
    let mut per_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut negatives_changed = 0;
    for c in &cases {
        let broken = c["broken"].as_str().unwrap_or_default();
        let fixed = c["fixed"].as_str().unwrap_or_default();
        let kind = c["kind"].as_str().unwrap_or("?").to_owned();
        let got = fix(broken);
        let ok = got == fixed;
        if kind == "negative" && got != broken {
            negatives_changed += 1;
        }
        if !ok {
            wrong.push(format!(
                "{} [{kind}]: {}",
                c["id"].as_str().unwrap_or("?"),
                clip(&got, 90)
            ));
        }
        let e = per_kind.entry(kind).or_default();
        e.1 += 1;
        e.0 += usize::from(ok);
    }
    let rows: Vec<Vec<String>> = per_kind
        .iter()
        .map(|(k, &(ok, n))| vec![k.clone(), format!("{ok}/{n}"), pct(ok, n)])
        .collect();
    print_table(&["kind", "exact", "accuracy"], &rows);
    if !wrong.is_empty() {
        println!("\nwrong outputs ({}):", wrong.len());
        for w in wrong.iter().take(30) {
            println!("  {w}");
        }
    }
    println!("\nnegatives changed: {negatives_changed}");
    for (k, &(ok, n)) in &per_kind {
        if k != "negative" {
            figs.push(Figure::higher(
                format!("mojibake.{k}"),
                ok as f64 / n.max(1) as f64,
            ));
        }
    }
    figs.push(Figure::lower(
        "mojibake.negatives_changed",
        negatives_changed as f64,
    ));

    // ftfy's cases.
    let raw =
        std::fs::read_to_string(dir.join("ftfy_cases.json")).context("reading ftfy_cases.json")?;
    let json: serde_json::Value = serde_json::from_str(&raw).context("parsing ftfy_cases.json")?;
    let mut per_set: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut ftfy_wrong = Vec::new();
    let mut ftfy_neg_changed = 0;
    for c in json["cases"].as_array().context("no `cases` array")? {
        let original = c["original"].as_str().unwrap_or_default();
        let expected = c
            .get("fixed-encoding")
            .and_then(|v| v.as_str())
            .or_else(|| c["fixed"].as_str())
            .unwrap_or_default();
        let set = c["set"].as_str().unwrap_or("?").to_owned();
        let got = fix(original);
        let ok = got == expected;
        // A negative case that ftfy expects changed (its "mostly negative"
        // lone `\x85`) is scored by exact match only; this counts the cases
        // that must stay untouched.
        if set == "negative" && expected == original && got != original {
            ftfy_neg_changed += 1;
        }
        if !ok && set != "known-failures" {
            ftfy_wrong.push(format!("[{set}] {}", clip(&got, 90)));
        }
        let e = per_set.entry(set).or_default();
        e.1 += 1;
        e.0 += usize::from(ok);
    }
    println!();
    let rows: Vec<Vec<String>> = per_set
        .iter()
        .map(|(k, &(ok, n))| vec![format!("ftfy {k}"), format!("{ok}/{n}"), pct(ok, n)])
        .collect();
    print_table(&["set", "exact", "accuracy"], &rows);
    if !ftfy_wrong.is_empty() {
        println!("\nftfy cases not matched ({}):", ftfy_wrong.len());
        for w in &ftfy_wrong {
            println!("  {w:?}");
        }
    }
    println!("\nftfy negatives changed: {ftfy_neg_changed}");
    for (k, &(ok, n)) in &per_set {
        figs.push(Figure::higher(
            format!("mojibake.ftfy_{}", k.replace('-', "_")),
            ok as f64 / n.max(1) as f64,
        ));
    }
    figs.push(Figure::lower(
        "mojibake.ftfy_negatives_changed",
        ftfy_neg_changed as f64,
    ));

    // Throughput, one core: mangled text (every non-negative `broken`) and
    // clean text (every `fixed`), each repeated to ~20 MB, in 2 KB paragraphs.
    let mangled: Vec<&str> = cases
        .iter()
        .filter(|c| c["kind"] != "negative")
        .filter_map(|c| c["broken"].as_str())
        .collect();
    let clean: Vec<&str> = cases.iter().filter_map(|c| c["fixed"].as_str()).collect();
    for (name, texts) in [("mangled", mangled), ("clean", clean)] {
        let paras = paragraphs(&texts, 20_000_000, 2000);
        let bytes: usize = paras.iter().map(String::len).sum();
        let (n, mbs) = throughput(bytes, || {
            paras
                .iter()
                .map(|p| decoder.repair(p.clone(), &mut Changes::default()).len())
                .sum::<usize>()
        });
        println!(
            "throughput on {name} text: {mbs:.1} MB/s ({} MB out)",
            n / 1_000_000
        );
        figs.push(Figure::higher(format!("mojibake.{name}_mb_per_s"), mbs));
    }
    Ok(figs)
}

/// Joins `texts` (repeated) into paragraphs of about `size` bytes, `total`
/// bytes in all.
fn paragraphs(texts: &[&str], total: usize, size: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut sum = 0;
    while sum < total && !texts.is_empty() {
        for t in texts {
            cur.push_str(t);
            cur.push(' ');
            if cur.len() >= size {
                sum += cur.len();
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    out
}

/// The first `n` characters of `s`.
fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
