//! Langid suite: `langid/sentences/<code>.txt` and `langid/word-pairs/<code>.txt`
//! (1000 lines each, the file name is the gold label), with the allowlist set to
//! the twelve languages of the set.
//!
//! Every line goes through the whole stage as a one-paragraph document
//! (`Stage::apply`), so the labels scored are the ones the pipeline emits and
//! the timing includes everything the stage does. Accuracy counts `und` as
//! wrong. Throughput is measured on the sentences on one core (this thread),
//! after a warm-up pass, as the best of three passes.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use textnorm::document::{Document, Paragraph};
use textnorm::stages::Stage;
use textnorm::stages::langid::{Langid, LangidConfig};

use crate::common::{Figure, pct, print_table, throughput};

/// The languages of the set, in table order.
const LANGS: &[&str] = &[
    "en", "uk", "ru", "be", "bg", "pl", "de", "fr", "es", "sr", "kk", "tr",
];

/// Lower bounds of the score bins of the calibration table.
const BINS: &[f32] = &[0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999];

/// The rows of the confusion table.
const CONFUSED: &[&str] = &["uk", "ru", "be", "bg"];

/// Runs the suite.
pub fn run(dir: &Path) -> anyhow::Result<Vec<Figure>> {
    let mut cfg = textnorm::config::Config::default().langid;
    cfg.langs = LANGS.iter().map(|s| s.to_string()).collect();
    // LANGID_SECOND_MODEL=0 measures the stage without lingua.
    if std::env::var("LANGID_SECOND_MODEL").is_ok_and(|v| v == "0") {
        cfg.second_model = false;
        println!("(second model off)\n");
    }
    let stage = Langid::new(&cfg)?;
    let mut figures = Vec::new();
    for (set, key) in [("sentences", "sentences"), ("word-pairs", "word_pairs")] {
        figures.extend(run_set(&stage, dir, set, key)?);
    }
    figures.push(speed(&cfg, dir)?);
    Ok(figures)
}

/// Reads the lines of one set: `(gold, line)`.
fn read_set(dir: &Path, set: &str) -> anyhow::Result<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    for &lang in LANGS {
        let path = dir.join("langid").join(set).join(format!("{lang}.txt"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        out.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| (lang, l.to_owned())),
        );
    }
    Ok(out)
}

/// One line as a document of one paragraph.
fn doc_of(line: &str) -> Document {
    Document {
        paragraphs: vec![Paragraph::new(0, line)],
        ..Document::default()
    }
}

/// The label the stage gives one line, its score, whether the second model
/// chose it, and whether whatlang did.
fn label(stage: &Langid, line: &str) -> (&'static str, f32, bool, bool) {
    let mut doc = doc_of(line);
    stage.apply(&mut doc);
    (
        doc.paragraphs[0].lang.map(|t| t.code).unwrap_or("und"),
        doc.paragraphs[0].lang.map(|t| t.score).unwrap_or(0.0),
        doc.changes.get("langid", "second_model") > 0,
        doc.changes.get("langid", "fast_model") > 0,
    )
}

fn run_set(stage: &Langid, dir: &Path, set: &str, key: &str) -> anyhow::Result<Vec<Figure>> {
    let lines = read_set(dir, set)?;
    // gold -> predicted -> count
    let mut confusion: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut model_per_lang: BTreeMap<&str, usize> = BTreeMap::new();
    let mut wrong: Vec<(&str, &str, bool, &str)> = Vec::new();
    let (mut by_model, mut wrong_by_model, mut by_fast) = (0, 0, 0);
    // Per score bin: labels, right labels, sum of scores.
    let mut calibration = [(0usize, 0usize, 0f64); BINS.len()];
    for (gold, line) in &lines {
        let (got, score, model, fast) = label(stage, line);
        let bin = BINS.iter().rposition(|b| score >= *b).unwrap_or(0);
        calibration[bin].0 += 1;
        calibration[bin].1 += usize::from(got == *gold);
        calibration[bin].2 += f64::from(score);
        by_fast += usize::from(fast);
        *confusion.entry(gold).or_default().entry(got).or_default() += 1;
        by_model += usize::from(model);
        *model_per_lang.entry(gold).or_default() += usize::from(model);
        if got != *gold {
            wrong_by_model += usize::from(model);
            wrong.push((gold, got, model, line));
        }
    }
    println!("### {set}\n");
    let (mut ok_all, mut n_all, mut und_all) = (0, 0, 0);
    let mut figures = Vec::new();
    let mut rows = Vec::new();
    for &lang in LANGS {
        let row = confusion.get(lang).cloned().unwrap_or_default();
        let n: usize = row.values().sum();
        let ok = row.get(lang).copied().unwrap_or(0);
        let und = row.get("und").copied().unwrap_or(0);
        ok_all += ok;
        n_all += n;
        und_all += und;
        let mut others: Vec<(&str, usize)> = row
            .iter()
            .filter(|(k, _)| **k != lang && **k != "und")
            .map(|(k, v)| (*k, *v))
            .collect();
        others.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let others = others
            .iter()
            .take(3)
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        rows.push(vec![
            lang.to_owned(),
            format!("{ok}/{n}"),
            pct(ok, n),
            und.to_string(),
            pct(model_per_lang.get(lang).copied().unwrap_or(0), n),
            others,
        ]);
        figures.push(Figure::higher(
            format!("langid.{key}_{lang}"),
            ok as f64 / n.max(1) as f64,
        ));
    }
    rows.push(vec![
        "all".into(),
        format!("{ok_all}/{n_all}"),
        pct(ok_all, n_all),
        und_all.to_string(),
        pct(by_model, n_all),
        String::new(),
    ]);
    print_table(
        &[
            "lang",
            "right",
            "accuracy",
            "und",
            "second model",
            "most common wrong labels",
        ],
        &rows,
    );
    println!("\nconfusion (rows: gold, columns: label):\n");
    let mut header = vec!["gold"];
    header.extend(CONFUSED);
    header.extend(["kk", "sr", "und", "other"]);
    let rows: Vec<Vec<String>> = CONFUSED
        .iter()
        .map(|&gold| {
            let row = confusion.get(gold).cloned().unwrap_or_default();
            let mut cells = vec![gold.to_owned()];
            for col in &header[1..header.len() - 1] {
                cells.push(row.get(col).copied().unwrap_or(0).to_string());
            }
            let other: usize = row
                .iter()
                .filter(|(k, _)| !header[1..].contains(k))
                .map(|(_, v)| v)
                .sum();
            cells.push(other.to_string());
            cells
        })
        .collect();
    print_table(&header, &rows);
    println!(
        "\n{set}: {ok_all}/{n_all} right ({}), und {} ({}); decided by whatlang {} ({}); \
         second model consulted on {} ({}), {} of the {} wrong labels are its",
        pct(ok_all, n_all),
        und_all,
        pct(und_all, n_all),
        by_fast,
        pct(by_fast, n_all),
        by_model,
        pct(by_model, n_all),
        wrong_by_model,
        wrong.len(),
    );
    println!(
        "\ncalibration of lang_score (labels per score bin; a calibrated score matches the accuracy):\n"
    );
    let rows: Vec<Vec<String>> = BINS
        .iter()
        .enumerate()
        .filter(|(i, _)| calibration[*i].0 > 0)
        .map(|(i, lo)| {
            let (n, ok, sum) = calibration[i];
            let hi = BINS.get(i + 1).map_or("1".to_owned(), |h| format!("{h}"));
            vec![
                format!("{lo}–{hi}"),
                n.to_string(),
                format!("{:.3}", sum / n as f64),
                pct(ok, n),
            ]
        })
        .collect();
    print_table(&["score", "labels", "mean score", "accuracy"], &rows);
    if std::env::var_os("EVAL_VERBOSE").is_some() {
        println!("\nwrong labels:");
        for (gold, got, model, line) in &wrong {
            let by = if *model { "model" } else { "rules" };
            println!("  {gold}→{got} ({by}): {line}");
        }
    }
    println!();
    figures.push(Figure::higher(
        format!("langid.{key}"),
        ok_all as f64 / n_all.max(1) as f64,
    ));
    figures.push(Figure::lower(
        format!("langid.{key}_und"),
        und_all as f64 / n_all.max(1) as f64,
    ));
    Ok(figures)
}

/// MB/s on the sentences, one core, the whole stage in the loop. Each pass
/// has a stage of its own, so no pass gains from answers the stage
/// remembered from an earlier one; the stage is first warmed on the word
/// pairs, so building the second model's detectors is not timed either.
fn speed(cfg: &LangidConfig, dir: &Path) -> anyhow::Result<Figure> {
    let lines = read_set(dir, "sentences")?;
    let warm_up = read_set(dir, "word-pairs")?;
    let bytes: usize = lines.iter().map(|(_, l)| l.len()).sum();
    let pass = |s: &Langid, lines: &[(&str, String)]| {
        let mut n = 0usize;
        for (_, line) in lines {
            let mut doc = doc_of(line);
            s.apply(&mut doc);
            n += usize::from(doc.lang.is_some_and(|t| t.code != "und"));
        }
        n
    };
    let mut best = 0.0f64;
    let mut labelled = 0;
    for _ in 0..3 {
        let fresh = Langid::new(cfg)?;
        pass(&fresh, &warm_up);
        let (n, mbs) = throughput(bytes, || pass(&fresh, &lines));
        labelled = n;
        best = best.max(mbs);
    }
    // Reference on the same lines and machine: whatlang alone with the
    // allowlist (Kazakh has no whatlang model), the 10 MB/s anchor.
    let wl =
        whatlang::Detector::with_allowlist(LANGS.iter().filter_map(|c| whatlang_of(c)).collect());
    let mut reference = 0.0f64;
    for _ in 0..3 {
        let (_, mbs) = throughput(bytes, || {
            lines.iter().filter(|(_, l)| wl.detect(l).is_some()).count()
        });
        reference = reference.max(mbs);
    }
    println!(
        "throughput on sentences ({:.1} MB, {labelled} labelled), one core, best of 3: {best:.1} MB/s \
         (whatlang alone on the same lines, same run: {reference:.1} MB/s; ratio {:.2})",
        bytes as f64 / 1e6,
        best / reference.max(1e-9)
    );
    Ok(Figure::higher("langid.mb_per_s", best))
}

/// whatlang's language for a code of the set.
fn whatlang_of(code: &str) -> Option<whatlang::Lang> {
    use whatlang::Lang::*;
    Some(match code {
        "en" => Eng,
        "uk" => Ukr,
        "ru" => Rus,
        "be" => Bel,
        "bg" => Bul,
        "pl" => Pol,
        "de" => Deu,
        "fr" => Fra,
        "es" => Spa,
        "sr" => Srp,
        "tr" => Tur,
        _ => return None,
    })
}
