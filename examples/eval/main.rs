//! `make eval`: quality (and speed) of each stage against the public
//! benchmark data in `EVAL_DIR` (default `../shared/eval`).
//!
//! Every suite prints its tables and returns named figures; a figure with a
//! floor in `eval/floors.toml` that comes out below it fails the run (exit 1).
//!
//! Usage: `cargo run --release --example eval -- [SUITE...]` (all suites by
//! default).

mod boilerplate;
mod common;
mod encoding;
mod langid;
mod mojibake;
mod translit;

use std::path::PathBuf;
use std::process::ExitCode;

use common::Figure;

/// A suite: its name and the function that runs it.
type Suite = (
    &'static str,
    fn(&std::path::Path) -> anyhow::Result<Vec<Figure>>,
);

/// The suites, in the order they run.
const SUITES: &[Suite] = &[
    ("encoding", encoding::run),
    ("mojibake", mojibake::run),
    ("langid", langid::run),
    ("boilerplate", boilerplate::run),
    ("translit", translit::run),
];

fn main() -> ExitCode {
    let dir = PathBuf::from(std::env::var("EVAL_DIR").unwrap_or_else(|_| "../shared/eval".into()));
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    if !dir.is_dir() {
        eprintln!("eval: {} is not a folder (set EVAL_DIR)", dir.display());
        return ExitCode::from(2);
    }
    let floors =
        match common::Floors::load(concat!(env!("CARGO_MANIFEST_DIR"), "/eval/floors.toml")) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("eval: {e:#}");
                return ExitCode::from(2);
            }
        };
    let mut figures = Vec::new();
    let mut failed = false;
    for (name, run) in SUITES {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == name) {
            continue;
        }
        println!("\n## {name}\n");
        match run(&dir) {
            Ok(f) => figures.extend(f),
            Err(e) => {
                eprintln!("eval: {name}: {e:#}");
                failed = true;
            }
        }
    }
    failed |= !common::check_floors(&figures, &floors);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
