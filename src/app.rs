//! The command-line run: read, process in parallel batches, write in order.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use textnorm::config::Config;
use textnorm::emit;
use textnorm::input::{self, Item, Reject};
use textnorm::pipeline::{Pipeline, Timings};
use textnorm::report::Changes;

use crate::cli::Args;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything went through.
    Ok,
    /// An input could not be read (the rest was processed).
    IoError,
    /// Some records were rejected.
    Rejected,
}

/// Run totals, written by `--stats`.
#[derive(Debug, Default, Serialize)]
pub struct Stats {
    /// Records read (documents, and JSONL lines that were not blank).
    pub records_in: u64,
    /// Records processed and written.
    pub records_out: u64,
    /// Records rejected.
    pub rejected: u64,
    /// Sources that could not be read.
    pub errors: u64,
    /// Input bytes of processed records.
    pub bytes_in: u64,
    /// Output bytes.
    pub bytes_out: u64,
    /// Paragraphs removed, by stage and reason, and other counters.
    pub changes: Changes,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// CPU seconds per stage, summed over threads.
    pub stage_seconds: Vec<(String, f64)>,
}

/// Items per parallel batch, and the byte budget of a batch.
const BATCH_ITEMS: usize = 256;
const BATCH_BYTES: usize = 8 << 20;

/// A processed record: its output lines and what it counted.
struct Processed {
    out: Vec<u8>,
    changes: Changes,
    timings: Timings,
    input_bytes: u64,
}

/// What became of one item of a batch.
enum Outcome {
    Done(Processed),
    Reject(Reject),
    Error(String),
}

struct Runner<'a> {
    cfg: &'a Config,
    pipeline: &'a Pipeline,
    pool: rayon::ThreadPool,
    out: Box<dyn Write + 'a>,
    rejects: Option<BufWriter<File>>,
    rejects_path: String,
    quiet: bool,
    stats: Stats,
    timings: Timings,
    batch: Vec<Item>,
    batch_bytes: usize,
    /// Set when stdout was closed by the reader: stop quietly.
    closed: bool,
}

fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

impl Runner<'_> {
    fn push(&mut self, item: Item) -> io::Result<()> {
        if let Item::Record(r) = &item {
            self.batch_bytes += match &r.body {
                input::RecordBody::Bytes(b) => b.len(),
                input::RecordBody::Text(t) => t.len(),
            };
        }
        self.batch.push(item);
        if self.batch.len() >= BATCH_ITEMS || self.batch_bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        let batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        let pipeline = self.pipeline;
        let ocfg = &self.cfg.output;
        let results: Vec<Outcome> = self.pool.install(|| {
            batch
                .into_par_iter()
                .map(|item| match item {
                    Item::Record(rec) => {
                        let input_bytes = match &rec.body {
                            input::RecordBody::Bytes(b) => b.len(),
                            input::RecordBody::Text(t) => t.len(),
                        } as u64;
                        let mut timings = Timings::default();
                        let doc = pipeline.process_record(rec, Some(&mut timings));
                        let mut out = Vec::with_capacity(input_bytes as usize + 512);
                        emit::write_document(&doc, ocfg, &mut out);
                        Outcome::Done(Processed {
                            out,
                            changes: doc.changes,
                            timings,
                            input_bytes,
                        })
                    }
                    Item::Reject(r) => Outcome::Reject(r),
                    Item::Error(e) => Outcome::Error(e),
                })
                .collect()
        });
        for r in results {
            match r {
                Outcome::Done(p) => {
                    self.stats.records_in += 1;
                    self.stats.records_out += 1;
                    self.stats.bytes_in += p.input_bytes;
                    self.stats.bytes_out += p.out.len() as u64;
                    self.stats.changes += &p.changes;
                    self.timings.merge(&p.timings);
                    if let Err(e) = self.out.write_all(&p.out) {
                        if is_broken_pipe(&e) {
                            self.closed = true;
                        }
                        return Err(e);
                    }
                }
                Outcome::Reject(rej) => self.reject(rej)?,
                Outcome::Error(msg) => {
                    self.stats.errors += 1;
                    eprintln!("textnorm: {msg}");
                }
            }
        }
        Ok(())
    }

    fn reject(&mut self, rej: Reject) -> io::Result<()> {
        self.stats.records_in += 1;
        self.stats.rejected += 1;
        if !self.quiet || self.rejects.is_none() {
            eprintln!("{}: {}", rej.source, rej.reason);
        }
        if let Some(w) = &mut self.rejects {
            let r = match &rej.raw {
                Some(raw) => w.write_all(raw).and_then(|_| w.write_all(b"\n")),
                None => Ok(()),
            };
            r.map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", self.rejects_path)))?;
        }
        Ok(())
    }
}

/// Runs the command line. Errors are I/O failures on output.
pub fn run(args: &Args, cfg: &Config, pipeline: &Pipeline) -> anyhow::Result<Status> {
    let started = Instant::now();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("starting worker threads")?;
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(BufWriter::with_capacity(
            1 << 16,
            File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
    };
    let rejects = match &args.rejects {
        Some(p) => {
            Some(BufWriter::new(File::create(p).with_context(|| {
                format!("{}: cannot create", p.display())
            })?))
        }
        None => None,
    };
    let mut runner = Runner {
        cfg,
        pipeline,
        pool,
        out,
        rejects,
        rejects_path: args
            .rejects
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        quiet: args.quiet,
        stats: Stats::default(),
        timings: Timings::default(),
        batch: Vec::new(),
        batch_bytes: 0,
        closed: false,
    };
    let (sources, walk_errors) = input::expand(&args.paths);
    for e in walk_errors {
        runner.stats.errors += 1;
        eprintln!("textnorm: {e}");
    }
    let result: io::Result<()> = (|| {
        for src in &sources {
            input::read_source(src, &cfg.input, &mut |item| runner.push(item))?;
        }
        runner.flush()?;
        runner.out.flush()?;
        pipeline.finish().map_err(io::Error::other)?;
        if let Some(w) = &mut runner.rejects {
            w.flush()?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        if runner.closed || is_broken_pipe(&e) {
            return Ok(Status::Ok);
        }
        let target = args
            .output
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "stdout".into());
        return Err(anyhow::Error::new(e).context(format!("writing {target}")));
    }
    runner.stats.seconds = started.elapsed().as_secs_f64();
    runner.stats.stage_seconds = runner
        .timings
        .0
        .iter()
        .map(|(n, d)| (n.to_string(), d.as_secs_f64()))
        .collect();
    if let Some(p) = &args.stats {
        let json = serde_json::to_vec_pretty(&runner.stats)?;
        std::fs::write(p, json).with_context(|| format!("{}: cannot write stats", p.display()))?;
    }
    Ok(if runner.stats.errors > 0 {
        Status::IoError
    } else if runner.stats.rejected > 0 {
        Status::Rejected
    } else {
        Status::Ok
    })
}
