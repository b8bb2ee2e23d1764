//! The command-line run, streaming end to end:
//!
//! ```text
//! reader thread ──batches──▶ bounded queue ──▶ worker pool (rayon) ──▶ writer (input order)
//! ```
//!
//! The reader thread walks the sources, reads records, and sends them in
//! batches of at most [`BATCH_ITEMS`] items or [`BATCH_BYTES`] bytes through
//! a queue that holds at most [`QUEUE_BATCHES`] batches. With one worker the
//! reader also parses JSON Lines on its own thread; with more, it leaves the
//! lines to the workers, which would otherwise share the cores with it.
//! Each batch is processed in parallel; up to [`IN_FLIGHT`] batches are
//! processed while the oldest one is written, in input order, so the output
//! is byte-identical whatever `--jobs` is, and memory is bounded by a few
//! batches plus the largest document (itself bounded by `--max-doc-bytes`).
//!
//! Every record read ends up in exactly one place: the output, or the
//! rejects (stderr `SOURCE:LINE: reason`, and `--rejects FILE` verbatim);
//! `--stats` reports `records_in = records_out + rejected`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use textnorm::config::{Config, InputConfig};
use textnorm::emit;
use textnorm::input::{self, Item, Pending, Record, RecordBody, Reject, Source};
use textnorm::io::{Compression, Output};
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
    /// Records read: documents, and JSONL lines that were not blank.
    /// Always `records_out + rejected`.
    pub records_in: u64,
    /// Records processed and written.
    pub records_out: u64,
    /// Records rejected (see `--rejects`).
    pub rejected: u64,
    /// Sources (files, folders, links) that could not be read.
    pub errors: u64,
    /// Bytes read from the sources (compressed size for `.gz`/`.zst`).
    pub bytes_read: u64,
    /// Text bytes of the processed records.
    pub bytes_in: u64,
    /// Output bytes (before compression).
    pub bytes_out: u64,
    /// Output lines (one per record, or per kept paragraph).
    pub lines_out: u64,
    /// Paragraphs removed, by `stage.reason`.
    pub removed: BTreeMap<String, u64>,
    /// All counters of the stages, summed.
    pub changes: Changes,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Input megabytes (10^6 bytes read) per wall-clock second.
    pub mb_per_second: f64,
    /// CPU seconds per stage, summed over threads, in pipeline order.
    pub stage_seconds: Vec<(String, f64)>,
}

/// Most items in a batch.
pub const BATCH_ITEMS: usize = 256;
/// A batch is sent once it holds this many bytes of text.
pub const BATCH_BYTES: usize = 256 << 10;
/// Batches being processed while the oldest of them is written: the
/// workers always have the next batch at hand, even while the writer waits
/// for a core or for the slowest record of the oldest batch (with 3, two
/// workers were busy 190% of the time; with 6, 194%, for 3 MB more).
pub const IN_FLIGHT: usize = 6;
/// Batches waiting between the reader and the workers.
pub const QUEUE_BATCHES: usize = 2;

/// What the reader thread sends.
enum Msg {
    /// Items to process (lines to parse among them), in input order.
    Batch(Vec<Pending>),
    /// Bytes of an over-long line, for `--rejects`; its reject follows.
    Spill(Vec<u8>),
}

/// A processed record: its output lines and what it counted.
struct Processed {
    out: Vec<u8>,
    lines: u64,
    changes: Changes,
    removed: Vec<String>,
    timings: Timings,
    input_bytes: u64,
}

/// What became of one item of a batch.
enum Outcome {
    Done(Processed),
    Reject(Reject),
    Error(String),
}

fn body_len(r: &Record) -> usize {
    match &r.body {
        RecordBody::Bytes(b) => b.len(),
        RecordBody::Text(t) => t.len(),
    }
}

/// The bytes an item brings into a batch.
fn pending_len(p: &Pending) -> usize {
    match p {
        Pending::Ready(Item::Record(r)) => body_len(r),
        Pending::Ready(_) => 0,
        Pending::Line(l) => l.raw.len(),
    }
}

/// Processes one record into its output lines.
fn process(pipeline: &Pipeline, cfg: &Config, rec: Record) -> Processed {
    let input_bytes = body_len(&rec) as u64;
    let mut timings = Timings::default();
    let doc = pipeline.process_record(rec, Some(&mut timings));
    let mut out = Vec::with_capacity(input_bytes as usize + 512);
    emit::write_document(&doc, &cfg.output, &mut out);
    let removed = doc
        .paragraphs
        .iter()
        .filter_map(|p| p.removed.as_ref())
        .map(|r| format!("{}.{}", r.stage, r.reason))
        .collect();
    Processed {
        lines: memchr::memchr_iter(b'\n', &out).count() as u64,
        out,
        changes: doc.changes,
        removed,
        timings,
        input_bytes,
    }
}

/// The reader thread: reads every source and sends batches until the end or
/// until the receiving side is gone. With `defer`, JSON Lines lines go out
/// unparsed, for the workers to parse.
fn read_all(
    sources: Vec<Source>,
    icfg: InputConfig,
    count: Arc<AtomicU64>,
    defer: bool,
    tx: SyncSender<Msg>,
) {
    struct State {
        batch: Vec<Pending>,
        bytes: usize,
    }
    let state = std::cell::RefCell::new(State {
        batch: Vec::with_capacity(BATCH_ITEMS),
        bytes: 0,
    });
    let closed = || io::Error::other("the run stopped");
    let send_batch = |st: &mut State| -> io::Result<()> {
        if st.batch.is_empty() {
            return Ok(());
        }
        st.bytes = 0;
        let b = std::mem::replace(&mut st.batch, Vec::with_capacity(BATCH_ITEMS));
        tx.send(Msg::Batch(b)).map_err(|_| closed())
    };
    for src in &sources {
        let mut push = |item: Pending| -> io::Result<()> {
            let mut st = state.borrow_mut();
            st.bytes += pending_len(&item);
            st.batch.push(item);
            if st.batch.len() >= BATCH_ITEMS || st.bytes >= BATCH_BYTES {
                send_batch(&mut st)?;
            }
            Ok(())
        };
        let mut spill = |chunk: &[u8]| -> io::Result<()> {
            let mut st = state.borrow_mut();
            send_batch(&mut st)?;
            if chunk.is_empty() {
                return Ok(());
            }
            tx.send(Msg::Spill(chunk.to_vec())).map_err(|_| closed())
        };
        let count = Some(count.clone());
        let r = if defer {
            input::read_source_lines(src, &icfg, count, &mut push, &mut spill)
        } else {
            let mut ready = |item: Item| push(Pending::Ready(item));
            input::read_source_with(src, &icfg, count, &mut ready, &mut spill)
        };
        if let Err(e) = r {
            let name = match src {
                Source::Stdin => "stdin".to_owned(),
                Source::File(p) => p.display().to_string(),
            };
            if push(Pending::Ready(Item::Error(format!(
                "{name}: read error: {e}"
            ))))
            .is_err()
            {
                return;
            }
        }
    }
    let _ = send_batch(&mut state.borrow_mut());
}

/// Where a write went wrong.
enum Fault {
    /// The output's reader went away: stop quietly.
    Closed,
    /// Any other write error, with what was being written.
    Io(anyhow::Error),
}

fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

struct Writer {
    out: Output,
    out_name: String,
    flush_each_batch: bool,
    rejects: Option<(BufWriter<File>, String)>,
    quiet: bool,
    pending_spill: bool,
    stats: Stats,
    timings: Timings,
    progress: ProgressBar,
}

impl Writer {
    fn write_out(&mut self, bytes: &[u8]) -> Result<(), Fault> {
        self.out.write_all(bytes).map_err(|e| self.out_fault(e))
    }

    fn out_fault(&self, e: io::Error) -> Fault {
        if is_broken_pipe(&e) {
            Fault::Closed
        } else {
            Fault::Io(anyhow::Error::new(e).context(format!("writing {}", self.out_name)))
        }
    }

    fn write_rejects(&mut self, bytes: &[u8]) -> Result<(), Fault> {
        if let Some((w, name)) = &mut self.rejects {
            w.write_all(bytes)
                .map_err(|e| Fault::Io(anyhow::Error::new(e).context(format!("writing {name}"))))?;
        }
        Ok(())
    }

    fn message(&self, msg: &str) {
        self.progress.suspend(|| eprintln!("{msg}"));
    }

    fn outcome(&mut self, o: Outcome) -> Result<(), Fault> {
        match o {
            Outcome::Done(p) => {
                self.stats.records_in += 1;
                self.stats.records_out += 1;
                self.stats.bytes_in += p.input_bytes;
                self.stats.bytes_out += p.out.len() as u64;
                self.stats.lines_out += p.lines;
                self.stats.changes += &p.changes;
                for r in p.removed {
                    *self.stats.removed.entry(r).or_default() += 1;
                }
                self.timings.merge(&p.timings);
                self.write_out(&p.out)
            }
            Outcome::Reject(rej) => self.reject(rej),
            Outcome::Error(msg) => {
                self.stats.errors += 1;
                self.message(&format!("textnorm: {msg}"));
                Ok(())
            }
        }
    }

    fn reject(&mut self, rej: Reject) -> Result<(), Fault> {
        self.stats.records_in += 1;
        self.stats.rejected += 1;
        if !self.quiet || self.rejects.is_none() {
            self.message(&format!("{}: {}", rej.source, rej.reason));
        }
        match &rej.raw {
            Some(raw) => {
                self.write_rejects(raw)?;
                self.write_rejects(b"\n")?;
            }
            None if self.pending_spill => self.write_rejects(b"\n")?,
            None => {}
        }
        self.pending_spill = false;
        Ok(())
    }

    /// Writes a processed batch, in input order, once its workers are done.
    fn write_batch(&mut self, done: Receiver<Vec<Outcome>>) -> Result<(), Fault> {
        // The sender goes away unused only when the batch's task panicked:
        // stop there, as the worker did (the scope passes its panic on).
        let results = done
            .recv()
            .expect("a worker panicked while processing a batch");
        for r in results {
            self.outcome(r)?;
        }
        if self.flush_each_batch {
            self.out.flush().map_err(|e| self.out_fault(e))?;
        }
        Ok(())
    }

    /// Processes the batches as they come and writes them in order: while a
    /// batch is written, the next one is already being processed, so the
    /// workers do not wait for the writer or for the slowest record of a
    /// batch.
    fn run(
        &mut self,
        rx: Receiver<Msg>,
        pool: &rayon::ThreadPool,
        pipeline: &Pipeline,
        cfg: &Config,
        count: &AtomicU64,
    ) -> Result<(), Fault> {
        pool.in_place_scope(|scope| {
            let mut in_flight: std::collections::VecDeque<Receiver<Vec<Outcome>>> =
                std::collections::VecDeque::new();
            for msg in rx {
                match msg {
                    Msg::Batch(batch) => {
                        let (done_tx, done_rx) = sync_channel(1);
                        scope.spawn(move |_| {
                            let results: Vec<Outcome> = batch
                                .into_par_iter()
                                .map(|p| match p.resolve(&cfg.input) {
                                    Item::Record(rec) => Outcome::Done(process(pipeline, cfg, rec)),
                                    Item::Reject(r) => Outcome::Reject(r),
                                    Item::Error(e) => Outcome::Error(e),
                                })
                                .collect();
                            // The writer is gone only after a fault it reports.
                            let _ = done_tx.send(results);
                        });
                        in_flight.push_back(done_rx);
                        while in_flight.len() > IN_FLIGHT {
                            if let Some(done) = in_flight.pop_front() {
                                self.write_batch(done)?;
                            }
                        }
                    }
                    Msg::Spill(chunk) => {
                        // The rejects before it come first.
                        while let Some(done) = in_flight.pop_front() {
                            self.write_batch(done)?;
                        }
                        self.pending_spill = true;
                        self.write_rejects(&chunk)?;
                    }
                }
                self.progress.set_position(count.load(Ordering::Relaxed));
                self.progress
                    .set_message(format!("{} records", self.stats.records_in));
            }
            while let Some(done) = in_flight.pop_front() {
                self.write_batch(done)?;
            }
            Ok(())
        })
    }
}

/// A progress bar on stderr when it is a terminal (and not `--quiet`),
/// else a hidden one.
fn progress_bar(quiet: bool, total: Option<u64>) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let style = match total {
        Some(_) => ProgressStyle::with_template(
            "{bar:30} {bytes}/{total_bytes} {msg} {bytes_per_sec} ETA {eta}",
        ),
        None => ProgressStyle::with_template("{spinner} {bytes} {msg} {bytes_per_sec} {elapsed}"),
    };
    if let Ok(s) = style {
        pb.set_style(s);
    }
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

/// The total input size when every source is a file whose size is known.
fn total_size(sources: &[Source]) -> Option<u64> {
    sources
        .iter()
        .map(|s| match s {
            Source::Stdin => None,
            Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        })
        .sum()
}

fn display(p: &Option<PathBuf>, default: &str) -> String {
    p.as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| default.to_owned())
}

/// Runs the command line. Errors are failures to create or write outputs.
pub fn run(args: &Args, cfg: &Config, pipeline: &Pipeline) -> anyhow::Result<Status> {
    let started = Instant::now();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("textnorm-worker-{i}"))
        .build()
        .context("starting worker threads")?;
    // Parquet output: JSON Lines to a part file, converted at the end.
    let parquet_out = textnorm::parquet::ParquetOutput::for_output(
        args.output.as_deref(),
        args.output_format.unwrap_or_default(),
    )?;
    let out_path = match &parquet_out {
        Some(p) => Some(p.jsonl_path().to_owned()),
        None => args.output.clone(),
    };
    let (out, flush_each_batch) = match &out_path {
        Some(p) => (
            Output::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
            false,
        ),
        None => (
            Output::new(Box::new(io::stdout()), Compression::None)?,
            io::stdout().is_terminal(),
        ),
    };
    let rejects = match &args.rejects {
        Some(p) => Some((
            BufWriter::new(
                File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
            ),
            p.display().to_string(),
        )),
        None => None,
    };
    let (sources, walk_errors) = input::expand(&args.paths);
    let count = Arc::new(AtomicU64::new(0));
    let mut w = Writer {
        out,
        out_name: display(&args.output, "stdout"),
        flush_each_batch,
        rejects,
        quiet: args.quiet,
        pending_spill: false,
        stats: Stats::default(),
        timings: Timings::default(),
        progress: progress_bar(args.quiet, total_size(&sources)),
    };
    for e in walk_errors {
        w.stats.errors += 1;
        w.message(&format!("textnorm: {e}"));
    }
    let (tx, rx) = sync_channel(QUEUE_BATCHES);
    let icfg = cfg.input.clone();
    // With one worker, the reader's own thread parses the lines beside it;
    // with more, the reader would compete with them for the cores, so the
    // workers parse.
    let defer = jobs > 1;
    let reader_count = count.clone();
    let reader = std::thread::Builder::new()
        .name("textnorm-reader".into())
        .spawn(move || read_all(sources, icfg, reader_count, defer, tx))
        .context("starting the reader thread")?;
    let result = w.run(rx, &pool, pipeline, cfg, &count);
    w.progress.finish_and_clear();
    match result {
        // The reader thread may be blocked on stdin: leave it, the process ends.
        Err(Fault::Closed) => return Ok(Status::Ok),
        Err(Fault::Io(e)) => return Err(e),
        Ok(()) => {}
    }
    if reader.join().is_err() {
        anyhow::bail!("the reader thread panicked");
    }
    let Writer {
        out,
        out_name,
        rejects,
        mut stats,
        timings,
        ..
    } = w;
    if let Err(e) = out.finish() {
        if is_broken_pipe(&e) {
            return Ok(Status::Ok);
        }
        return Err(anyhow::Error::new(e).context(format!("writing {out_name}")));
    }
    // Stages that keep state over the run write it now (e.g. `--learn`).
    pipeline.finish().context("finishing the run")?;
    if let Some(p) = parquet_out {
        p.finish()?;
    }
    if let Some((mut r, name)) = rejects {
        r.flush().with_context(|| format!("writing {name}"))?;
    }
    stats.bytes_read = count.load(Ordering::Relaxed);
    stats.seconds = started.elapsed().as_secs_f64();
    stats.mb_per_second = if stats.seconds > 0.0 {
        stats.bytes_read as f64 / 1e6 / stats.seconds
    } else {
        0.0
    };
    stats.stage_seconds = timings
        .0
        .iter()
        .map(|(n, d)| (n.to_string(), d.as_secs_f64()))
        .collect();
    debug_assert_eq!(stats.records_in, stats.records_out + stats.rejected);
    if let Some(p) = &args.stats {
        let mut json = serde_json::to_vec_pretty(&stats)?;
        json.push(b'\n');
        std::fs::write(p, json).with_context(|| format!("{}: cannot write stats", p.display()))?;
    }
    Ok(if stats.errors > 0 {
        Status::IoError
    } else if stats.rejected > 0 {
        Status::Rejected
    } else {
        Status::Ok
    })
}
