//! Encoding suite: `encoding/manifest.jsonl` (597 documents in 13 encodings,
//! 3 sizes). A document counts as right when the decoder's text equals the
//! manifest's `text` exactly, with no replaced bytes (the README's rule:
//! strict decoding, one leading U+FEFF stripped, which the decoder does).
//!
//! Detection is measured with the mojibake step off: a few source sentences
//! hold mojibake of their own (`wÃ¤hrend`), which the expected text keeps.
//! The suite reports separately how many documents the repair step changes.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use textnorm::decode::{DecodeConfig, Decoder};
use textnorm::report::Changes;

use crate::common::{Figure, pct, print_table, read_jsonl, throughput};

/// One document of the manifest.
struct Doc {
    id: String,
    /// The manifest's `variant` (`utf-8-bom`, `koi8-u`, ...).
    encoding: String,
    size: String,
    text: String,
    bytes: Vec<u8>,
}

/// Runs the suite.
pub fn run(dir: &Path) -> anyhow::Result<Vec<Figure>> {
    let dir = dir.join("encoding");
    let decoder = Decoder::new(&DecodeConfig {
        encoding: "auto".into(),
        mojibake: false,
    })?;
    let repairer = Decoder::new(&DecodeConfig {
        encoding: "auto".into(),
        mojibake: true,
    })?;
    let mut docs = Vec::new();
    for m in read_jsonl(&dir.join("manifest.jsonl"))? {
        let file = m["file"]
            .as_str()
            .context("manifest entry without `file`")?;
        docs.push(Doc {
            id: m["id"].as_str().unwrap_or("?").to_owned(),
            encoding: m["variant"].as_str().unwrap_or("?").to_owned(),
            size: m["size"].as_str().unwrap_or("?").to_owned(),
            text: m["text"].as_str().unwrap_or_default().to_owned(),
            bytes: std::fs::read(dir.join(file)).with_context(|| format!("reading {file}"))?,
        });
    }
    let mut per_enc: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut per_size: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut ok_all = 0;
    let mut repaired = Vec::new();
    for d in &docs {
        let mut ch = Changes::default();
        let out = decoder.decode(&d.bytes, &mut ch);
        let ok = out.text == d.text && out.replaced == 0;
        for e in [
            per_enc.entry(d.encoding.as_str()).or_default(),
            per_size.entry(d.size.as_str()).or_default(),
        ] {
            e.1 += 1;
            e.0 += usize::from(ok);
        }
        ok_all += usize::from(ok);
        if !ok {
            wrong.push(format!("{} → {}", d.id, out.encoding.name()));
        }
        // As the pipeline decodes bytes: mojibake step on, from the bytes.
        let mut ch = Changes::default();
        if repairer.decode(&d.bytes, &mut ch).text != out.text {
            repaired.push(format!("{} ({:?})", d.id, ch.stage("decode")));
        }
    }
    let rows = |m: &BTreeMap<&str, (usize, usize)>| -> Vec<Vec<String>> {
        m.iter()
            .map(|(k, &(ok, n))| vec![k.to_string(), format!("{ok}/{n}"), pct(ok, n)])
            .collect()
    };
    print_table(&["variant", "exact", "accuracy"], &rows(&per_enc));
    println!();
    print_table(&["size", "exact", "accuracy"], &rows(&per_size));
    if !wrong.is_empty() {
        println!("\nwrong documents (id → encoding used):");
        for w in wrong.iter().take(60) {
            println!("  {w}");
        }
    }
    println!(
        "\nthe mojibake step (on by default) changes {} of {} decoded documents:",
        repaired.len(),
        docs.len()
    );
    for r in &repaired {
        println!("  {r}");
    }
    // Throughput: the whole set decoded repeatedly (at least ~20 MB), one core.
    let total: usize = docs.iter().map(|d| d.bytes.len()).sum();
    let rounds = (20_000_000 / total.max(1)).max(1);
    let (n, mbs) = throughput(total * rounds, || {
        let mut n = 0usize;
        for _ in 0..rounds {
            for d in &docs {
                let mut ch = Changes::default();
                n += decoder.decode(&d.bytes, &mut ch).text.len();
            }
        }
        n
    });
    println!(
        "\noverall: {ok_all}/{} exact ({}); throughput {mbs:.1} MB/s on one core ({} MB decoded into {} MB of text)",
        docs.len(),
        pct(ok_all, docs.len()),
        total * rounds / 1_000_000,
        n / 1_000_000
    );
    let frac = |&(ok, n): &(usize, usize)| ok as f64 / n.max(1) as f64;
    let mut figs = vec![Figure::higher(
        "encoding.overall",
        ok_all as f64 / docs.len().max(1) as f64,
    )];
    let worst = per_enc.values().map(frac).fold(1.0, f64::min);
    figs.push(Figure::higher("encoding.worst_encoding", worst));
    let unicode = per_enc
        .iter()
        .filter(|(k, _)| k.starts_with("utf-"))
        .map(|(_, v)| frac(v))
        .fold(1.0, f64::min);
    figs.push(Figure::higher("encoding.utf", unicode));
    for (size, v) in &per_size {
        figs.push(Figure::higher(format!("encoding.size_{size}"), frac(v)));
    }
    figs.push(Figure::higher("encoding.mb_per_s", mbs));
    Ok(figs)
}
