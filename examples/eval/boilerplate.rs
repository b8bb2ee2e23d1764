//! Boilerplate suite: `boilerplate/{seeds,scrapinghub,cleaneval,readability}.jsonl`
//! (documents given as labelled paragraphs). Each document goes through the
//! whole pipeline as paragraphs joined by a blank line, and is scored by the
//! output's paragraph `index`: precision, recall and F1 of the `boilerplate`
//! class and of the `content` class. A paragraph labelled `metadata` (seeds)
//! counts as content when kept and is not scored when read into a metadata
//! field. Also: how often the rules alone remove a paragraph labelled
//! content, removals per reason, and the stage's throughput on one core.

use std::collections::BTreeMap;
use std::path::Path;

use textnorm::config::Config;
use textnorm::document::Document;
use textnorm::pipeline::{Body, Pipeline};
use textnorm::stages::Stage;
use textnorm::stages::boilerplate::Boilerplate;

use crate::common::{Figure, print_table, read_jsonl};

const SETS: &[&str] = &["seeds", "scrapinghub", "cleaneval", "readability"];

/// jusText 3.0 on the same paragraphs (`peers.md`): boilerplate-F1, content-F1.
const JUSTEXT: &[(&str, f64, f64)] = &[
    ("seeds", 0.667, 0.939),
    ("scrapinghub", 0.884, 0.559),
    ("cleaneval", 0.720, 0.777),
    ("readability", 0.749, 0.595),
];

/// Confusion counts of one class.
#[derive(Default, Clone, Copy)]
struct Prf {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Prf {
    fn p(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn r(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// One labelled document.
struct Labelled {
    text: String,
    labels: Vec<String>,
    id: String,
}

fn load(path: &Path) -> anyhow::Result<Vec<Labelled>> {
    let mut out = Vec::new();
    for v in read_jsonl(path)? {
        let paras = v["paragraphs"].as_array().cloned().unwrap_or_default();
        let texts: Vec<&str> = paras
            .iter()
            .map(|p| p["text"].as_str().unwrap_or_default())
            .collect();
        out.push(Labelled {
            text: texts.join("\n\n"),
            labels: paras
                .iter()
                .map(|p| p["label"].as_str().unwrap_or("content").to_owned())
                .collect(),
            id: v["id"].as_str().unwrap_or("?").to_owned(),
        });
    }
    Ok(out)
}

/// Scores of one dataset.
#[derive(Default)]
struct Scores {
    boiler: Prf,
    content: Prf,
    misaligned: usize,
    content_total: usize,
    /// Per reason: removals, and how many of them are labelled content.
    reasons: BTreeMap<String, (usize, usize)>,
    /// Seeds: content paragraphs removed, boilerplate paragraphs removed / total.
    content_removed: usize,
    /// Content paragraphs removed by the boilerplate stage.
    content_stage_removed: usize,
    boiler_removed: usize,
    boiler_total: usize,
}

fn score(pipeline: &Pipeline, docs: &[Labelled]) -> Scores {
    let mut s = Scores::default();
    for d in docs {
        let doc = pipeline.process(d.id.clone(), d.id.clone(), Body::Text(&d.text));
        if doc.paragraphs.len() != d.labels.len() {
            s.misaligned += 1;
        }
        for p in &doc.paragraphs {
            let Some(label) = d.labels.get(p.index) else {
                continue;
            };
            let label = label.as_str();
            if label == "metadata" && p.metadata.is_some() {
                continue;
            }
            let gold_content = label != "boilerplate";
            let kept = p.is_kept();
            if gold_content {
                s.content_total += 1;
            } else {
                s.boiler_total += 1;
            }
            if let Some(r) = &p.removed {
                let e = s.reasons.entry(r.reason.clone()).or_default();
                e.0 += 1;
                if gold_content {
                    e.1 += 1;
                    s.content_stage_removed += 1;
                }
            }
            match (gold_content, kept) {
                (true, true) => {
                    s.content.tp += 1;
                }
                (true, false) => {
                    s.content.fn_ += 1;
                    s.boiler.fp += 1;
                    s.content_removed += 1;
                }
                (false, true) => {
                    s.content.fp += 1;
                    s.boiler.fn_ += 1;
                }
                (false, false) => {
                    s.boiler.tp += 1;
                    s.boiler_removed += 1;
                }
            }
        }
    }
    s
}

/// Runs the suite.
pub fn run(dir: &Path) -> anyhow::Result<Vec<Figure>> {
    let full = Pipeline::new(&Config::default())?;
    let mut rules_cfg = Config::default();
    rules_cfg.boilerplate.classifier.classify = false;
    let rules_only = Pipeline::new(&rules_cfg)?;

    let mut figures = Vec::new();
    let mut rows = Vec::new();
    let mut reason_rows: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut rule_hits, mut content_all) = (0usize, 0usize);
    let mut data: Vec<Labelled> = Vec::new();
    for set in SETS {
        let docs = load(&dir.join(format!("boilerplate/{set}.jsonl")))?;
        let s = score(&full, &docs);
        let r = score(&rules_only, &docs);
        rule_hits += r.content_stage_removed;
        content_all += r.content_total;
        for (k, (n, c)) in &s.reasons {
            let e = reason_rows.entry(k.clone()).or_default();
            e.0 += n;
            e.1 += c;
        }
        let (jb, jc) = JUSTEXT
            .iter()
            .find(|(n, _, _)| n == set)
            .map(|&(_, b, c)| (b, c))
            .unwrap_or((0.0, 0.0));
        rows.push(vec![
            set.to_string(),
            docs.len().to_string(),
            format!("{:.3}", s.boiler.p()),
            format!("{:.3}", s.boiler.r()),
            format!("**{:.3}**", s.boiler.f1()),
            format!("{:.3}", s.content.p()),
            format!("{:.3}", s.content.r()),
            format!("**{:.3}**", s.content.f1()),
            format!("{jb:.3} / {jc:.3}"),
            format!("{:+.3} / {:+.3}", s.boiler.f1() - jb, s.content.f1() - jc),
            format!(
                "{:.2}%",
                100.0 * ratio(r.content_stage_removed, r.content_total)
            ),
            s.misaligned.to_string(),
        ]);
        figures.push(Figure::higher(
            format!("boilerplate.{set}.boilerplate_f1"),
            s.boiler.f1(),
        ));
        figures.push(Figure::higher(
            format!("boilerplate.{set}.content_f1"),
            s.content.f1(),
        ));
        if *set == "seeds" {
            println!(
                "seeds: content paragraphs removed {} of {}; boilerplate paragraphs removed {} of {}\n",
                s.content_removed, s.content_total, s.boiler_removed, s.boiler_total
            );
            figures.push(Figure::lower(
                "boilerplate.seeds.content_removed",
                s.content_removed as f64,
            ));
            figures.push(Figure::higher(
                "boilerplate.seeds.boilerplate_removed",
                s.boiler_removed as f64,
            ));
        }
        data.extend(docs);
    }
    print_table(
        &[
            "dataset",
            "docs",
            "bp P",
            "bp R",
            "bp F1",
            "content P",
            "content R",
            "content F1",
            "jusText bp/content F1",
            "delta",
            "content removed by rules",
            "misaligned docs",
        ],
        &rows,
    );
    let rule_share = ratio(rule_hits, content_all);
    println!(
        "\nrules alone remove {rule_hits} of {content_all} content paragraphs ({:.3}%)\n",
        100.0 * rule_share
    );
    figures.push(Figure::lower(
        "boilerplate.rules_content_removed",
        rule_share,
    ));
    let rows: Vec<Vec<String>> = reason_rows
        .iter()
        .map(|(k, &(n, c))| {
            vec![
                k.clone(),
                n.to_string(),
                c.to_string(),
                format!("{:.1}%", 100.0 * ratio(n - c, n)),
            ]
        })
        .collect();
    print_table(
        &[
            "reason",
            "removed",
            "of which labelled content",
            "precision",
        ],
        &rows,
    );

    let mbs = throughput(&data)?;
    figures.push(Figure::higher("boilerplate.mb_per_s", mbs));
    Ok(figures)
}

/// MB/s of the boilerplate stage alone on one core, over documents prepared
/// by the stages before it; the better of two runs.
fn throughput(data: &[Labelled]) -> anyhow::Result<f64> {
    let mut cfg = Config::default();
    cfg.boilerplate.enabled = false;
    cfg.translit.enabled = false;
    cfg.segment.header = false;
    let before = Pipeline::new(&cfg)?;
    let stage = Boilerplate::new(&Config::default().boilerplate)?;
    let docs: Vec<Document> = data
        .iter()
        .map(|d| before.process(d.id.clone(), d.id.clone(), Body::Text(&d.text)))
        .collect();
    let bytes: usize = docs
        .iter()
        .flat_map(|d| &d.paragraphs)
        .map(|p| p.text.len())
        .sum();
    let (mut best_wall, mut best_cpu) = (0.0f64, 0.0f64);
    for _ in 0..2 {
        let mut copies = docs.clone();
        let cpu = thread_cpu_ns();
        let t = std::time::Instant::now();
        for d in &mut copies {
            stage.apply(d);
        }
        let secs = t.elapsed().as_secs_f64().max(1e-9);
        best_wall = best_wall.max(bytes as f64 / 1e6 / secs);
        if let (Some(a), Some(b)) = (cpu, thread_cpu_ns()) {
            best_cpu = best_cpu.max(bytes as f64 / 1e6 / ((b - a) as f64 / 1e9).max(1e-9));
        }
    }
    println!(
        "\nstage throughput, best of 2 over {:.1} MB: {best_wall:.1} MB/s wall clock, {best_cpu:.1} MB per CPU second of the thread",
        bytes as f64 / 1e6
    );
    // On a shared machine the wall clock counts other processes' time too;
    // the thread's own CPU time is what one core spends on the stage.
    Ok(if best_cpu > 0.0 { best_cpu } else { best_wall })
}

/// CPU time of the calling thread in nanoseconds (Linux), if known.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
