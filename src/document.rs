//! The document model every stage works on.
//!
//! `decode` and `segment` build a [`Document`]; the stages after them mark
//! paragraphs (language, removal) and rewrite paragraph text in place. Nothing
//! is deleted: a removed paragraph keeps its text and gets a [`Removal`], and
//! the emitter decides what to print (`--keep-removed`, `--label-only`).

use crate::report::Changes;

/// Language label of a paragraph or document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LangTag {
    /// ISO 639-1 code where one exists (`en`, `uk`), else ISO 639-3; `und`
    /// when the evidence is too thin.
    pub code: &'static str,
    /// Confidence in 0..=1.
    pub score: f32,
    /// Dominant script (`Latin`, `Cyrillic`, ...; `none` without letters).
    pub script: &'static str,
}

impl LangTag {
    /// The label for text with no usable evidence.
    pub const UNDETERMINED: LangTag = LangTag {
        code: "und",
        score: 0.0,
        script: "none",
    };
}

/// Why a paragraph was removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// The stage that removed it.
    pub stage: &'static str,
    /// A stable snake_case reason (`sign_up`, `photo_caption`, ...).
    pub reason: String,
}

/// One paragraph of a document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Paragraph {
    /// Position in the input as segmented (0-based), stable across stages.
    pub index: usize,
    /// The paragraph's current text (cleaned by the stages run so far).
    pub text: String,
    /// Language label, set by `langid`.
    pub lang: Option<LangTag>,
    /// Set when a stage removed the paragraph.
    pub removed: Option<Removal>,
    /// Set when `segment` or `unicode` moved the paragraph into a metadata
    /// field; names the field (`date`, `url`, `byline`, `links`, ...).
    pub metadata: Option<&'static str>,
    /// Stems, set by `stem`.
    pub stems: Option<Vec<String>>,
    /// Latin form of a Ukrainian paragraph, set by `romanize`.
    pub latn: Option<String>,
}

impl Paragraph {
    /// A fresh paragraph at `index` with `text`.
    pub fn new(index: usize, text: impl Into<String>) -> Self {
        Paragraph {
            index,
            text: text.into(),
            ..Paragraph::default()
        }
    }

    /// True when the paragraph is part of the output text (not removed, not
    /// moved into metadata).
    pub fn is_kept(&self) -> bool {
        self.removed.is_none() && self.metadata.is_none()
    }

    /// Marks the paragraph removed by `stage` for `reason`, unless it is
    /// already removed or metadata.
    pub fn remove(&mut self, stage: &'static str, reason: impl Into<String>) -> bool {
        if !self.is_kept() {
            return false;
        }
        self.removed = Some(Removal {
            stage,
            reason: reason.into(),
        });
        true
    }
}

/// Header fields found at the top of a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// Headline.
    pub title: Option<String>,
    /// Publication date, ISO 8601 (`2022-01-07`) where it parses, else as written.
    pub date: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// Author line.
    pub byline: Option<String>,
    /// Outlet named on an outlet+date line (`The Guardian`).
    pub publisher: Option<String>,
    /// Further bare links that stood alone as paragraphs.
    pub links: Vec<String>,
}

/// A rewrite a stage made, for audit output (`--explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The stage that made it.
    pub stage: &'static str,
    /// The paragraph's `index`.
    pub paragraph: usize,
    /// Code-point offset of the replacement in the paragraph's new text.
    pub start: usize,
    /// End (exclusive) of the replacement, in code points.
    pub end: usize,
    /// What stood there before.
    pub from: String,
    /// What stands there now.
    pub to: String,
}

/// A document on its way through the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The input's id, else the file path, else `stdin`.
    pub id: String,
    /// Where the document came from: a path, `path:line` for JSONL, or `stdin`.
    pub source: String,
    /// Fields of a JSONL record other than the text and id, in input order.
    pub passthrough: serde_json::Map<String, serde_json::Value>,
    /// The encoding the bytes were decoded with (encoding_rs's name); `None`
    /// for JSONL input, which is Unicode already.
    pub encoding: Option<&'static str>,
    /// Confidence in the detected encoding, 0..=1.
    pub encoding_confidence: Option<f32>,
    /// Header fields.
    pub meta: Meta,
    /// The paragraphs, in input order, including removed ones.
    pub paragraphs: Vec<Paragraph>,
    /// Document language (the language with most letters), set by `langid`.
    pub lang: Option<LangTag>,
    /// What each stage changed.
    pub changes: Changes,
    /// Audit trail of rewrites, filled only when asked (`--explain`).
    pub edits: Vec<Edit>,
}

impl Document {
    /// The paragraphs that make up the output text.
    pub fn kept(&self) -> impl Iterator<Item = &Paragraph> {
        self.paragraphs.iter().filter(|p| p.is_kept())
    }
}
