//! Translit suite: `translit/cases.jsonl` (exact match per category, misses
//! and false rewrites), stage throughput on English news text (the seed
//! documents' paragraphs, repeated), and the romanize stage on the official
//! KMU-2010 examples (`translit/kmu2010_examples.tsv`).

use std::collections::BTreeMap;
use std::path::Path;

use textnorm::stages::romanize::romanize;
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
    // Throughput on English news text: the paragraphs of the seed documents
    // repeated to ~20 MB, one call per paragraph, on one thread. The machine
    // may be shared, so besides the best wall-clock pass the figure is also
    // taken per second of this thread's CPU time (Linux), over passes that
    // add up to at least one CPU second; the floor applies to that one.
    let seeds = seed_paragraphs()?;
    let mut paras: Vec<&str> = Vec::new();
    let mut bytes = 0;
    while bytes < 20_000_000 {
        for p in &seeds {
            paras.push(p);
            bytes += p.len();
        }
    }
    let mut wall_best = (0, 0.0f64);
    let cpu_start = thread_cpu_seconds();
    let mut passes = 0;
    loop {
        let (n, mbs) = throughput(bytes, || {
            paras.iter().filter(|p| stage.rewrite(p).is_some()).count()
        });
        passes += 1;
        if mbs > wall_best.1 {
            wall_best = (n, mbs);
        }
        let cpu = thread_cpu_seconds().zip(cpu_start).map(|(b, a)| b - a);
        if passes >= 3 && cpu.is_none_or(|c| c >= 1.0) || passes >= 50 {
            break;
        }
    }
    let (n, wall) = wall_best;
    let cpu_mbs = thread_cpu_seconds()
        .zip(cpu_start)
        .map(|(b, a)| (passes * bytes) as f64 / 1e6 / (b - a).max(0.01));
    let mbs = cpu_mbs.unwrap_or(wall);
    // The same on the case sentences (dense in variants and traps).
    let mut text = String::new();
    while text.len() < 5_000_000 {
        for c in &cases {
            text.push_str(c["input"].as_str().unwrap_or_default());
            text.push(' ');
        }
    }
    let chunks: Vec<&str> = split_at_spaces(&text, 2000);
    let (_, dense) = throughput(text.len(), || {
        chunks.iter().filter(|p| stage.rewrite(p).is_some()).count()
    });
    println!(
        "\ncases: {exact}/{} exact ({}), missed rewrites {missed}, false rewrites {false_rw}",
        cases.len(),
        pct(exact, cases.len())
    );
    println!(
        "throughput on news text (seed paragraphs, {:.0} MB, {n} paragraphs changed per pass): {} per CPU second over {passes} passes, best wall-clock pass {wall:.0} MB/s; on the case sentences (wall-clock): {dense:.0} MB/s",
        bytes as f64 / 1e6,
        cpu_mbs.map_or("(no CPU clock)".to_owned(), |m| format!("{m:.0} MB/s")),
    );
    let (kmu_ok, kmu_n) = kmu2010(dir)?;
    Ok(vec![
        Figure::higher("translit.exact", exact as f64 / cases.len().max(1) as f64),
        Figure::lower("translit.missed", missed as f64),
        Figure::lower("translit.false_rewrites", false_rw as f64),
        Figure::higher("translit.mb_per_s", mbs),
        Figure::higher("translit.mb_per_s_wall", wall),
        Figure::higher(
            "translit.kmu2010_exact",
            kmu_ok as f64 / kmu_n.max(1) as f64,
        ),
    ])
}

/// CPU time of the calling thread in seconds, from `/proc/thread-self/stat`
/// (user + system time, in the kernel's fixed 100 ticks per second); `None`
/// where that file does not exist.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the `(comm)`: state is the first, utime the 12th, stime the 13th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Romanises the official KMU-2010 examples; prints the table and returns
/// (exact, total).
fn kmu2010(dir: &Path) -> anyhow::Result<(usize, usize)> {
    let path = dir.join("translit/kmu2010_examples.tsv");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    let (mut ok, mut n) = (0, 0);
    let mut wrong = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let Some((uk, latn)) = line.split_once('\t') else {
            anyhow::bail!("{}: no tab in `{line}`", path.display());
        };
        n += 1;
        let got = romanize(uk);
        if got == latn {
            ok += 1;
        } else {
            wrong.push(format!("  {uk}: {got} (expected {latn})"));
        }
    }
    println!("\nKMU-2010 romanisation (romanize stage):\n");
    print_table(
        &["examples", "exact", "accuracy"],
        &[vec![
            "kmu2010_examples.tsv".into(),
            format!("{ok}/{n}"),
            pct(ok, n),
        ]],
    );
    if !wrong.is_empty() {
        println!("\nwrong romanisations:\n{}", wrong.join("\n"));
    }
    Ok((ok, n))
}

/// The paragraphs of the seed documents (`fixtures/seeds/`), news text in
/// English.
fn seed_paragraphs() -> anyhow::Result<Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f)?).into_owned();
        out.extend(
            text.lines()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
        );
    }
    anyhow::ensure!(!out.is_empty(), "no seed paragraphs in {}", dir.display());
    Ok(out)
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
