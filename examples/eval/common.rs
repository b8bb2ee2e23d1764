//! Shared pieces of the evaluation: figures, floors, tables, timing.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;

/// One measured figure, e.g. `encoding.overall` = 0.998.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Dotted key, matched against `eval/floors.toml`.
    pub key: String,
    /// The value.
    pub value: f64,
    /// True when bigger is worse (a count of false rewrites, say): the floor
    /// is then a ceiling.
    pub lower_is_better: bool,
}

impl Figure {
    /// A figure where higher is better.
    pub fn higher(key: impl Into<String>, value: f64) -> Self {
        Figure {
            key: key.into(),
            value,
            lower_is_better: false,
        }
    }

    /// A figure where lower is better (its floor is a ceiling).
    pub fn lower(key: impl Into<String>, value: f64) -> Self {
        Figure {
            key: key.into(),
            value,
            lower_is_better: true,
        }
    }
}

/// Floors from `eval/floors.toml`: a table per suite, `key = value`.
#[derive(Debug, Default)]
pub struct Floors(pub BTreeMap<String, f64>);

impl Floors {
    /// Reads the floors file.
    pub fn load(path: &str) -> anyhow::Result<Floors> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
        let table: toml::Table =
            toml::from_str(&text).with_context(|| format!("parsing {path}"))?;
        let mut out = BTreeMap::new();
        flatten("", &toml::Value::Table(table), &mut out).with_context(|| format!("in {path}"))?;
        Ok(Floors(out))
    }
}

fn flatten(prefix: &str, v: &toml::Value, out: &mut BTreeMap<String, f64>) -> anyhow::Result<()> {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out)?;
            }
        }
        toml::Value::Float(f) => {
            out.insert(prefix.to_owned(), *f);
        }
        toml::Value::Integer(i) => {
            out.insert(prefix.to_owned(), *i as f64);
        }
        other => anyhow::bail!("`{prefix}` must be a number, found {other}"),
    }
    Ok(())
}

/// Compares figures with their floors, prints the verdicts; false if any failed.
pub fn check_floors(figures: &[Figure], floors: &Floors) -> bool {
    let mut ok = true;
    let mut rows = Vec::new();
    for f in figures {
        let Some(&floor) = floors.0.get(&f.key) else {
            continue;
        };
        let pass = if f.lower_is_better {
            f.value <= floor
        } else {
            f.value >= floor
        };
        ok &= pass;
        rows.push(vec![
            f.key.clone(),
            fmt_num(f.value),
            format!(
                "{} {}",
                if f.lower_is_better { "<=" } else { ">=" },
                fmt_num(floor)
            ),
            if pass {
                "ok".into()
            } else {
                "BELOW FLOOR".into()
            },
        ]);
    }
    for key in floors.0.keys() {
        if !figures.iter().any(|f| &f.key == key) {
            rows.push(vec![
                key.clone(),
                "-".into(),
                "-".into(),
                "not measured".into(),
            ]);
        }
    }
    println!("\n## floors\n");
    print_table(&["figure", "value", "floor", "verdict"], &rows);
    ok
}

/// Formats a figure: fractions as given to 4 places, big numbers with 1.
pub fn fmt_num(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.4}")
    }
}

/// A percentage with one decimal.
pub fn pct(num: usize, den: usize) -> String {
    if den == 0 {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * num as f64 / den as f64)
    }
}

/// Prints a markdown table.
pub fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let n = header.len();
    let mut w: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let cells: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<width$}", width = w[i]))
            .collect();
        println!("| {} |", cells.join(" | "));
    };
    line(header.iter().map(|s| s.to_string()).collect());
    println!(
        "|{}|",
        w.iter()
            .map(|x| "-".repeat(x + 2))
            .collect::<Vec<_>>()
            .join("|")
    );
    for r in rows {
        line(r.clone());
    }
}

/// Runs `f` and returns its result and the MB/s over `bytes` input bytes.
pub fn throughput<T>(bytes: usize, f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let r = f();
    let secs = t.elapsed().as_secs_f64().max(1e-9);
    (r, bytes as f64 / 1e6 / secs)
}

/// Reads a JSON Lines file into values.
pub fn read_jsonl(path: &Path) -> anyhow::Result<Vec<serde_json::Value>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{}:{}", path.display(), i + 1))
        })
        .collect()
}
