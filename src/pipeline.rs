//! The pipeline: `decode` and `segment` build a [`Document`], then the
//! enabled stages run over it in order.

use std::time::{Duration, Instant};

use crate::config::Config;
use crate::decode::Decoder;
use crate::document::Document;
use crate::error::Result;
use crate::segment::{Header, Segmenter};
use crate::stages::{
    Stage, boilerplate::Boilerplate, langid::Langid, romanize::Romanize, stem::Stem,
    translit::Translit, unicode::Unicode,
};

/// What a document is made from.
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    /// Raw bytes in an unknown encoding (text input).
    Bytes(&'a [u8]),
    /// Text that is already Unicode (a JSONL `text` field).
    Text(&'a str),
}

/// Time spent per stage, for `--stats`.
#[derive(Debug, Clone, Default)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    fn add(&mut self, name: &'static str, d: Duration) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, t)) => *t += d,
            None => self.0.push((name, d)),
        }
    }

    /// Adds another set of timings to this one.
    pub fn merge(&mut self, other: &Timings) {
        for (n, d) in &other.0 {
            self.add(n, *d);
        }
    }
}

/// A built pipeline, shareable across threads.
pub struct Pipeline {
    decoder: Decoder,
    segmenter: Segmenter,
    stages: Vec<Box<dyn Stage>>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("stages", &self.stage_names())
            .finish()
    }
}

impl Pipeline {
    /// Builds every enabled stage from `cfg`, compiling patterns and tables.
    pub fn new(cfg: &Config) -> Result<Self> {
        let mut stages: Vec<Box<dyn Stage>> = Vec::new();
        if cfg.unicode.enabled {
            stages.push(Box::new(Unicode::new(&cfg.unicode)));
        }
        if cfg.langid.enabled {
            stages.push(Box::new(Langid::new(&cfg.langid)?));
        }
        if cfg.boilerplate.enabled {
            stages.push(Box::new(Boilerplate::new(&cfg.boilerplate)?));
        }
        if cfg.translit.enabled {
            stages.push(Box::new(Translit::new(&cfg.translit, cfg.output.explain)?));
        }
        if cfg.romanize.enabled {
            stages.push(Box::new(Romanize::new(&cfg.romanize)));
        }
        let segmenter = Segmenter::new(&cfg.segment);
        stages.push(Box::new(Header(segmenter.clone())));
        if cfg.stem.enabled {
            stages.push(Box::new(Stem::new(&cfg.stem)?));
        }
        Ok(Pipeline {
            decoder: Decoder::new(&cfg.decode)?,
            segmenter,
            stages,
        })
    }

    /// The names of the stages that run, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        let mut v = vec!["decode", "segment"];
        v.extend(self.stages.iter().map(|s| s.name()));
        v.dedup();
        v
    }

    /// Ends a run: lets every stage write what it learnt over the run.
    pub fn finish(&self) -> Result<()> {
        self.stages.iter().try_for_each(|s| s.finish())
    }

    /// Runs the whole pipeline on one document.
    pub fn process(&self, id: String, source: String, body: Body<'_>) -> Document {
        self.process_timed(id, source, body, None)
    }

    /// Like [`process`](Self::process), adding the time of each stage to `timings`.
    pub fn process_timed(
        &self,
        id: String,
        source: String,
        body: Body<'_>,
        mut timings: Option<&mut Timings>,
    ) -> Document {
        let mut doc = Document {
            id,
            source,
            ..Document::default()
        };
        let t = Instant::now();
        let text = match body {
            Body::Bytes(bytes) => {
                let d = self.decoder.decode(bytes, &mut doc.changes);
                doc.encoding = Some(d.encoding.name());
                doc.encoding_confidence = Some(d.confidence);
                d.text
            }
            Body::Text(s) => self.decoder.repair(s.to_owned(), &mut doc.changes),
        };
        if let Some(tm) = timings.as_deref_mut() {
            tm.add("decode", t.elapsed());
        }
        let t = Instant::now();
        doc.paragraphs = self.segmenter.segment(&text, &mut doc.changes);
        drop(text);
        if let Some(tm) = timings.as_deref_mut() {
            tm.add("segment", t.elapsed());
        }
        for stage in &self.stages {
            let t = Instant::now();
            stage.apply(&mut doc);
            if let Some(tm) = timings.as_deref_mut() {
                tm.add(stage.name(), t.elapsed());
            }
        }
        doc
    }
}

impl Pipeline {
    /// Runs the pipeline on a record read by [`crate::input`], keeping its
    /// passthrough fields.
    pub fn process_record(
        &self,
        rec: crate::input::Record,
        timings: Option<&mut Timings>,
    ) -> Document {
        let crate::input::Record {
            id,
            source,
            body,
            passthrough,
        } = rec;
        let mut doc = match &body {
            crate::input::RecordBody::Bytes(b) => {
                self.process_timed(id, source, Body::Bytes(b), timings)
            }
            crate::input::RecordBody::Text(t) => {
                self.process_timed(id, source, Body::Text(t), timings)
            }
        };
        doc.passthrough = passthrough;
        doc
    }
}
