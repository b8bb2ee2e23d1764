//! Native part of the `textnorm` Python package.
//!
//! It runs the library on exactly the path the command line takes for a JSON
//! Lines record (`input::parse_line` → `Pipeline::process_record` →
//! `emit::write_document`) or for a text document (raw bytes), and hands the
//! JSON it writes back as bytes; the Python layer (`textnorm/__init__.py`)
//! turns it into Python objects. The GIL is released while documents are
//! processed, and batches run on a rayon pool.

use std::path::PathBuf;

use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use rayon::prelude::*;

use textnorm::config::{Config, Granularity};
use textnorm::input::{self, Item, Record, RecordBody};
use textnorm::{Pipeline, emit};

create_exception!(
    _textnorm,
    RecordError,
    PyValueError,
    "A record the pipeline refuses; the message is the command line's `SOURCE: reason`."
);

/// The options `Pipeline(**overrides)` accepts, as the command line's flags.
const OPTIONS: &[&str] = &[
    "text_field",
    "id_field",
    "max_doc_bytes",
    "granularity",
    "keep_removed",
    "label_only",
    "explain",
    "encoding",
    "langs",
    "disable",
    "enable",
    "jobs",
];

/// What became of one input.
enum Outcome {
    /// The JSON Lines the command line writes for it.
    Out(Vec<u8>),
    /// The message the command line prints for a rejected record.
    Reject(String),
}

/// A built pipeline (see `textnorm.Pipeline`).
#[pyclass(frozen, module = "textnorm._textnorm")]
struct Native {
    cfg: Config,
    pipeline: Pipeline,
    pool: Option<rayon::ThreadPool>,
}

/// A list of names: a list of strings or one comma-separated string.
fn names(v: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let raw: Vec<String> = match v.extract::<String>() {
        Ok(s) => s.split(',').map(str::to_owned).collect(),
        Err(_) => v.extract()?,
    };
    Ok(raw
        .iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect())
}

fn config_error(e: textnorm::Error) -> PyErr {
    PyValueError::new_err(e.to_string())
}

impl Native {
    fn line(&self, line: &[u8], source: String) -> Outcome {
        let limit = self.cfg.input.max_doc_bytes;
        if line.len() as u64 > limit {
            return Outcome::Reject(format!(
                "{source}: line is larger than --max-doc-bytes ({limit} bytes)"
            ));
        }
        match input::parse_line(line, source, &self.cfg.input) {
            Item::Record(rec) => Outcome::Out(self.record(rec)),
            Item::Reject(r) => Outcome::Reject(format!("{}: {}", r.source, r.reason)),
            Item::Error(e) => Outcome::Reject(e),
        }
    }

    fn record(&self, rec: Record) -> Vec<u8> {
        let size = match &rec.body {
            RecordBody::Bytes(b) => b.len(),
            RecordBody::Text(t) => t.len(),
        };
        let doc = self.pipeline.process_record(rec, None);
        let mut out = Vec::with_capacity(size + 512);
        emit::write_document(&doc, &self.cfg.output, &mut out);
        out
    }

    fn lines(&self, lines: &[Vec<u8>], sources: Vec<String>) -> Vec<Outcome> {
        let work = || {
            lines
                .par_iter()
                .zip(sources)
                .map(|(l, s)| self.line(l, s))
                .collect()
        };
        match &self.pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}

fn outcome(py: Python<'_>, o: Outcome) -> PyResult<Py<PyBytes>> {
    match o {
        Outcome::Out(b) => Ok(PyBytes::new(py, &b).unbind()),
        Outcome::Reject(m) => Err(RecordError::new_err(m)),
    }
}

#[pymethods]
impl Native {
    /// Builds the pipeline: the defaults, then the TOML file `config`, then
    /// the overrides (named as the command line's flags).
    #[new]
    #[pyo3(signature = (config=None, **overrides))]
    fn new(config: Option<PathBuf>, overrides: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let mut cfg = match &config {
            Some(p) => Config::from_file(p).map_err(config_error)?,
            None => Config::default(),
        };
        let mut jobs = None;
        let (mut disable, mut enable) = (Vec::new(), Vec::new());
        for (k, v) in overrides.into_iter().flatten() {
            let key: String = k.extract()?;
            match key.as_str() {
                "text_field" => cfg.input.text_field = v.extract()?,
                "id_field" => cfg.input.id_field = v.extract()?,
                "max_doc_bytes" => cfg.input.max_doc_bytes = v.extract()?,
                "granularity" => {
                    cfg.output.granularity = match v.extract::<String>()?.as_str() {
                        "document" => Granularity::Document,
                        "paragraph" => Granularity::Paragraph,
                        other => {
                            return Err(PyValueError::new_err(format!(
                                "granularity must be `document` or `paragraph`, not `{other}`"
                            )));
                        }
                    }
                }
                "keep_removed" => cfg.output.keep_removed = v.extract()?,
                "label_only" => cfg.output.label_only = v.extract()?,
                "explain" => cfg.output.explain = v.extract()?,
                "encoding" => cfg.decode.encoding = v.extract()?,
                "langs" => cfg.langid.langs = names(&v)?,
                "disable" => disable = names(&v)?,
                "enable" => enable = names(&v)?,
                "jobs" => jobs = v.extract::<Option<usize>>()?,
                other => {
                    return Err(PyTypeError::new_err(format!(
                        "unknown option `{other}` (expected one of: {})",
                        OPTIONS.join(", ")
                    )));
                }
            }
        }
        for s in &disable {
            cfg.set_enabled(s, false).map_err(config_error)?;
        }
        for s in &enable {
            cfg.set_enabled(s, true).map_err(config_error)?;
        }
        let pipeline = Pipeline::new(&cfg).map_err(config_error)?;
        let pool = match jobs {
            Some(n) => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n.max(1))
                    .build()
                    .map_err(|e| PyValueError::new_err(format!("starting worker threads: {e}")))?,
            ),
            None => None,
        };
        Ok(Native {
            cfg,
            pipeline,
            pool,
        })
    }

    /// `document` or `paragraph`.
    #[getter]
    fn granularity(&self) -> &'static str {
        match self.cfg.output.granularity {
            Granularity::Document => "document",
            Granularity::Paragraph => "paragraph",
        }
    }

    /// The stages that run, in order.
    #[getter]
    fn stages(&self) -> Vec<&'static str> {
        self.pipeline.stage_names()
    }

    /// The JSON Lines written for one JSONL line read from `source`.
    fn process_line(&self, py: Python<'_>, line: &[u8], source: String) -> PyResult<Py<PyBytes>> {
        let o = py.allow_threads(|| self.line(line, source));
        outcome(py, o)
    }

    /// For each line: its output (`bytes`) or the reject message (`str`).
    fn process_lines<'py>(
        &self,
        py: Python<'py>,
        lines: Vec<Vec<u8>>,
        sources: Vec<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        if lines.len() != sources.len() {
            return Err(PyValueError::new_err("one source per line is needed"));
        }
        let outs = py.allow_threads(|| self.lines(&lines, sources));
        let items: Vec<Bound<'py, PyAny>> = outs
            .into_iter()
            .map(|o| match o {
                Outcome::Out(b) => PyBytes::new(py, &b).into_any(),
                Outcome::Reject(m) => PyString::new(py, &m).into_any(),
            })
            .collect();
        PyList::new(py, items)
    }

    /// The JSON Lines written for a text document (raw bytes in any encoding).
    fn process_bytes(
        &self,
        py: Python<'_>,
        data: &[u8],
        id: String,
        source: String,
    ) -> PyResult<Py<PyBytes>> {
        let limit = self.cfg.input.max_doc_bytes;
        if data.len() as u64 > limit {
            return Err(RecordError::new_err(format!(
                "{source}: document is larger than --max-doc-bytes ({limit} bytes)"
            )));
        }
        let o = py.allow_threads(|| {
            Outcome::Out(self.record(Record {
                id,
                source,
                body: RecordBody::Bytes(data.to_vec()),
                passthrough: Default::default(),
            }))
        });
        outcome(py, o)
    }
}

/// The native module `textnorm._textnorm`.
#[pymodule]
fn _textnorm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Native>()?;
    m.add("RecordError", m.py().get_type::<RecordError>())?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
