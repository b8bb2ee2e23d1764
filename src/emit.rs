//! JSON Lines output.
//!
//! Document records (`--granularity document`, the default):
//! passthrough fields first (input order), then `id`, `source`, `encoding`,
//! `encoding_confidence`, `lang`, `lang_score`, the header fields found
//! (`title`, `date`, `url`, `byline`, `publisher`, `links`), `text`,
//! `paragraphs`, `changes`, and `removed` / `edits` when asked for.
//!
//! An input field whose name is one of ours is kept as `input_<name>`, so
//! nothing is lost and no key appears twice.
//!
//! `start`/`end` of a paragraph are Unicode code-point offsets into `text`
//! (Python slice semantics).

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::config::{Granularity, OutputConfig};
use crate::document::{Document, LangTag, Paragraph};

/// Keys that the document record writes itself.
const DOC_KEYS: &[&str] = &[
    "id",
    "source",
    "encoding",
    "encoding_confidence",
    "lang",
    "lang_score",
    "title",
    "date",
    "url",
    "byline",
    "publisher",
    "links",
    "text",
    "paragraphs",
    "changes",
    "removed",
    "edits",
];

/// Keys that a paragraph record writes itself.
const PARA_KEYS: &[&str] = &[
    "doc_id",
    "source",
    "index",
    "text",
    "lang",
    "lang_score",
    "script",
    "boilerplate",
    "stems",
    "latn",
];

/// Rounds a score to 4 decimals so output is stable and short.
fn score(x: f32) -> f64 {
    ((x as f64) * 10_000.0).round() / 10_000.0
}

fn in_text(p: &Paragraph, label_only: bool) -> bool {
    p.is_kept() || (label_only && p.metadata.is_none())
}

/// The output text: kept paragraphs (with `label_only`, removed ones too)
/// joined by a blank line.
pub fn document_text(doc: &Document, label_only: bool) -> String {
    let mut out = String::new();
    for p in doc.paragraphs.iter().filter(|p| in_text(p, label_only)) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&p.text);
    }
    out
}

/// Writes the record(s) for `doc` to `out`, one JSON object per line.
pub fn write_document(doc: &Document, cfg: &OutputConfig, out: &mut Vec<u8>) {
    match cfg.granularity {
        Granularity::Document => {
            write_doc_record(doc, cfg, out);
            out.push(b'\n');
        }
        Granularity::Paragraph => {
            for p in doc.paragraphs.iter().filter(|p| in_text(p, cfg.label_only)) {
                write_para_record(doc, p, out);
                out.push(b'\n');
            }
        }
    }
}

fn passthrough<M: SerializeMap>(
    map: &mut M,
    doc: &Document,
    ours: &[&str],
) -> Result<(), M::Error> {
    for (k, v) in &doc.passthrough {
        if ours.contains(&k.as_str()) {
            map.serialize_entry(&format!("input_{k}"), v)?;
        } else {
            map.serialize_entry(k, v)?;
        }
    }
    Ok(())
}

fn lang_entries<M: SerializeMap>(map: &mut M, lang: Option<LangTag>) -> Result<(), M::Error> {
    let l = lang.unwrap_or(LangTag::UNDETERMINED);
    map.serialize_entry("lang", l.code)?;
    map.serialize_entry("lang_score", &score(l.score))
}

#[derive(Serialize)]
struct ParaSpan<'a> {
    index: usize,
    start: usize,
    end: usize,
    lang: &'static str,
    lang_score: f64,
    script: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    boilerplate: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stems: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latn: Option<&'a str>,
}

#[derive(Serialize)]
struct RemovedEntry<'a> {
    index: usize,
    text: &'a str,
    reason: String,
}

#[derive(Serialize)]
struct EditEntry<'a> {
    stage: &'a str,
    paragraph: usize,
    start: usize,
    end: usize,
    from: &'a str,
    to: &'a str,
}

fn write_doc_record(doc: &Document, cfg: &OutputConfig, out: &mut Vec<u8>) {
    let mut ser = serde_json::Serializer::new(out);
    let r: Result<(), serde_json::Error> = (|| {
        let mut map = ser.serialize_map(None)?;
        passthrough(&mut map, doc, DOC_KEYS)?;
        map.serialize_entry("id", &doc.id)?;
        map.serialize_entry("source", &doc.source)?;
        if let Some(e) = doc.encoding {
            map.serialize_entry("encoding", e)?;
        }
        if let Some(c) = doc.encoding_confidence {
            map.serialize_entry("encoding_confidence", &score(c))?;
        }
        lang_entries(&mut map, doc.lang)?;
        let m = &doc.meta;
        for (k, v) in [
            ("title", &m.title),
            ("date", &m.date),
            ("url", &m.url),
            ("byline", &m.byline),
            ("publisher", &m.publisher),
        ] {
            if let Some(v) = v {
                map.serialize_entry(k, v)?;
            }
        }
        if !m.links.is_empty() {
            map.serialize_entry("links", &m.links)?;
        }
        let mut text = String::new();
        let mut spans = Vec::new();
        let mut pos = 0usize;
        for p in doc.paragraphs.iter().filter(|p| in_text(p, cfg.label_only)) {
            if !text.is_empty() {
                text.push_str("\n\n");
                pos += 2;
            }
            text.push_str(&p.text);
            let len = if p.text.is_ascii() {
                p.text.len()
            } else {
                p.text.chars().count()
            };
            let l = p.lang.unwrap_or(LangTag::UNDETERMINED);
            spans.push(ParaSpan {
                index: p.index,
                start: pos,
                end: pos + len,
                lang: l.code,
                lang_score: score(l.score),
                script: l.script,
                boilerplate: p.removed.as_ref().map(|r| r.reason.as_str()),
                stems: p.stems.as_deref(),
                latn: p.latn.as_deref(),
            });
            pos += len;
        }
        map.serialize_entry("text", &text)?;
        map.serialize_entry("paragraphs", &spans)?;
        map.serialize_entry("changes", &doc.changes)?;
        if cfg.keep_removed {
            let removed: Vec<RemovedEntry> = doc
                .paragraphs
                .iter()
                .filter_map(|p| {
                    let reason = match (&p.removed, p.metadata) {
                        (Some(r), _) => r.reason.clone(),
                        (None, Some(field)) => format!("metadata.{field}"),
                        (None, None) => return None,
                    };
                    Some(RemovedEntry {
                        index: p.index,
                        text: &p.text,
                        reason,
                    })
                })
                .collect();
            map.serialize_entry("removed", &removed)?;
        }
        if cfg.explain {
            let edits: Vec<EditEntry> = doc
                .edits
                .iter()
                .map(|e| EditEntry {
                    stage: e.stage,
                    paragraph: e.paragraph,
                    start: e.start,
                    end: e.end,
                    from: &e.from,
                    to: &e.to,
                })
                .collect();
            map.serialize_entry("edits", &edits)?;
        }
        map.end()
    })();
    r.expect("serializing to a Vec<u8> cannot fail");
}

fn write_para_record(doc: &Document, p: &Paragraph, out: &mut Vec<u8>) {
    let mut ser = serde_json::Serializer::new(out);
    let r: Result<(), serde_json::Error> = (|| {
        let mut map = ser.serialize_map(None)?;
        passthrough(&mut map, doc, PARA_KEYS)?;
        map.serialize_entry("doc_id", &doc.id)?;
        map.serialize_entry("source", &doc.source)?;
        map.serialize_entry("index", &p.index)?;
        map.serialize_entry("text", &p.text)?;
        lang_entries(&mut map, p.lang)?;
        map.serialize_entry("script", p.lang.map(|l| l.script).unwrap_or("none"))?;
        if let Some(r) = &p.removed {
            map.serialize_entry("boilerplate", &r.reason)?;
        }
        if let Some(s) = &p.stems {
            map.serialize_entry("stems", s)?;
        }
        if let Some(s) = &p.latn {
            map.serialize_entry("latn", s)?;
        }
        map.end()
    })();
    r.expect("serializing to a Vec<u8> cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Paragraph;

    fn cfg() -> OutputConfig {
        crate::Config::default().output
    }

    #[test]
    fn spans_are_code_points() {
        let mut doc = Document {
            id: "d".into(),
            ..Document::default()
        };
        doc.paragraphs = vec![Paragraph::new(0, "Київ"), Paragraph::new(1, "Kyiv")];
        doc.paragraphs[1].index = 3;
        let mut out = Vec::new();
        write_document(&doc, &cfg(), &mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["text"], "Київ\n\nKyiv");
        assert_eq!(v["paragraphs"][1]["start"], 6);
        assert_eq!(v["paragraphs"][1]["end"], 10);
        assert_eq!(v["paragraphs"][1]["index"], 3);
    }

    #[test]
    fn passthrough_first_and_collisions_renamed() {
        let mut doc = Document::default();
        doc.passthrough.insert("url".into(), "u".into());
        doc.passthrough.insert("added".into(), 1.into());
        let mut out = Vec::new();
        write_document(&doc, &cfg(), &mut out);
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with(r#"{"input_url":"u","added":1,"id":"#), "{s}");
    }
}
