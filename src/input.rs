//! Reading input: files, folders (walked recursively in sorted order) and
//! stdin, as text documents or JSON Lines records.
//!
//! Reading never stops at a bad record: a JSONL line that is not an object,
//! lacks the text field, is not UTF-8, or is over the size limit becomes an
//! [`Item::Reject`] carrying its raw bytes; a file that cannot be read becomes
//! an [`Item::Error`]. The caller reports, counts and continues.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::config::{InputConfig, InputFormat};

/// What a record's text is.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordBody {
    /// Raw bytes of a text document.
    Bytes(Vec<u8>),
    /// The text field of a JSONL record.
    Text(String),
}

/// One input document.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The id field, else the path (text) or `source:line` (JSONL), or `stdin`.
    pub id: String,
    /// Path, `path:line` for JSONL, `stdin` or `stdin:line`.
    pub source: String,
    /// The text.
    pub body: RecordBody,
    /// Other JSONL fields, in input order.
    pub passthrough: Map<String, Value>,
}

/// A record that was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    /// `path:line` (or the path).
    pub source: String,
    /// Why, for the `SOURCE:LINE: reason` message.
    pub reason: String,
    /// The raw line (without its line break), for `--rejects`. `None` when the
    /// record was too large to keep in memory.
    pub raw: Option<Vec<u8>>,
}

/// One thing read from the input.
#[derive(Debug)]
pub enum Item {
    /// A document to process.
    Record(Record),
    /// A record refused with a reason.
    Reject(Reject),
    /// A source that could not be read (or not read to its end).
    Error(String),
}

/// A place to read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

/// Expands paths: folders are walked recursively, entries in sorted order;
/// `-` is stdin; no path at all is stdin. Problems (a dangling link, a loop,
/// an unreadable folder) come back as messages, and the walk goes on.
pub fn expand(paths: &[PathBuf]) -> (Vec<Source>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    if paths.is_empty() {
        out.push(Source::Stdin);
    }
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Source::Stdin);
            continue;
        }
        let mut seen = HashSet::new();
        walk(p, &mut out, &mut errors, &mut seen);
    }
    (out, errors)
}

fn walk(p: &Path, out: &mut Vec<Source>, errors: &mut Vec<String>, seen: &mut HashSet<PathBuf>) {
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => {
            let what = if std::fs::symlink_metadata(p).is_ok() {
                "dangling or unreadable link"
            } else {
                "cannot open"
            };
            errors.push(format!("{}: {what}: {e}", p.display()));
            return;
        }
    };
    if !meta.is_dir() {
        out.push(Source::File(p.to_owned()));
        return;
    }
    let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
    if !seen.insert(canon) {
        errors.push(format!(
            "{}: folder loop (already visited), skipped",
            p.display()
        ));
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            errors.push(format!("{}: cannot read folder: {e}", p.display()));
            return;
        }
    };
    entries.sort();
    for e in entries {
        walk(&e, out, errors, seen);
    }
}

/// True for file names that auto-detection reads as JSONL.
pub fn is_jsonl_name(p: &Path) -> bool {
    let name = p.to_string_lossy().to_ascii_lowercase();
    [".jsonl", ".json", ".ndjson"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Reads items from one source, calling `f` for each, in order.
pub fn read_source(
    src: &Source,
    cfg: &InputConfig,
    f: &mut dyn FnMut(Item) -> io::Result<()>,
) -> io::Result<()> {
    match src {
        Source::File(p)
            if cfg.format == InputFormat::Parquet
                || (cfg.format == InputFormat::Auto && crate::parquet::is_parquet_name(p)) =>
        {
            return crate::parquet::read_file(p, cfg, f);
        }
        Source::Stdin if cfg.format == InputFormat::Parquet => {
            return f(Item::Error(
                "stdin: Parquet cannot be read from stdin; give the file".into(),
            ));
        }
        _ => {}
    }
    match src {
        Source::Stdin => {
            let stdin = io::stdin();
            let mut r = BufReader::with_capacity(1 << 16, stdin.lock());
            let jsonl = match cfg.format {
                InputFormat::Jsonl => true,
                // Parquet was dispatched above.
                InputFormat::Text | InputFormat::Parquet => false,
                InputFormat::Auto => first_nonblank(&mut r)? == Some(b'{'),
            };
            read_reader(&mut r, "stdin", jsonl, cfg, f)
        }
        Source::File(p) => {
            let name = p.display().to_string();
            let file = match File::open(p) {
                Ok(f) => f,
                Err(e) => return f(Item::Error(format!("{name}: cannot open: {e}"))),
            };
            let jsonl = match cfg.format {
                InputFormat::Jsonl => true,
                // Parquet was dispatched above.
                InputFormat::Text | InputFormat::Parquet => false,
                InputFormat::Auto => is_jsonl_name(p),
            };
            let mut r = BufReader::with_capacity(1 << 16, file);
            read_reader(&mut r, &name, jsonl, cfg, f)
        }
    }
}

/// Peeks at the first byte that is not ASCII white space (or a UTF-8 BOM).
fn first_nonblank<R: BufRead>(r: &mut R) -> io::Result<Option<u8>> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        let skip = buf
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(buf.len());
        if skip < buf.len() {
            let b = buf[skip];
            if buf[skip..].starts_with(b"\xEF\xBB\xBF") {
                return Ok(buf.get(skip + 3).copied().or(Some(b)));
            }
            // Leave the bytes in place: only skipping blank bytes is safe for both formats.
            return Ok(Some(b));
        }
        // A whole buffer of blanks: they are insignificant in either format.
        let n = buf.len();
        r.consume(n);
    }
}

/// Reads one source that is already open.
pub fn read_reader<R: BufRead>(
    r: &mut R,
    name: &str,
    jsonl: bool,
    cfg: &InputConfig,
    f: &mut dyn FnMut(Item) -> io::Result<()>,
) -> io::Result<()> {
    if !jsonl {
        let mut bytes = Vec::new();
        let limit = cfg.max_doc_bytes;
        match r.take(limit + 1).read_to_end(&mut bytes) {
            Ok(_) => {}
            Err(e) => return f(Item::Error(format!("{name}: read error: {e}"))),
        }
        if bytes.len() as u64 > limit {
            return f(Item::Reject(Reject {
                source: name.to_owned(),
                reason: format!("document is larger than --max-doc-bytes ({limit} bytes)"),
                raw: None,
            }));
        }
        return f(Item::Record(Record {
            id: name.to_owned(),
            source: name.to_owned(),
            body: RecordBody::Bytes(bytes),
            passthrough: Map::new(),
        }));
    }
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        line_no += 1;
        let (n, over) = match read_line_bounded(r, &mut buf, cfg.max_doc_bytes) {
            Ok(x) => x,
            Err(e) => return f(Item::Error(format!("{name}:{line_no}: read error: {e}"))),
        };
        if n == 0 {
            return Ok(());
        }
        let source = format!("{name}:{line_no}");
        if over {
            f(Item::Reject(Reject {
                source,
                reason: format!(
                    "line is larger than --max-doc-bytes ({} bytes)",
                    cfg.max_doc_bytes
                ),
                raw: None,
            }))?;
            continue;
        }
        if buf.ends_with(b"\n") {
            buf.pop();
        }
        if buf.ends_with(b"\r") {
            buf.pop();
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        f(parse_line(&buf, source, cfg))?;
    }
}

/// Reads up to and including the next `\n`. Past `limit` bytes the rest of
/// the line is skipped, not stored, and `over` is true. Returns the bytes
/// consumed (0 at the end).
fn read_line_bounded<R: BufRead>(
    r: &mut R,
    out: &mut Vec<u8>,
    limit: u64,
) -> io::Result<(usize, bool)> {
    let mut total = 0usize;
    let mut over = false;
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((total, over));
        }
        let (chunk, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        if !over {
            if (out.len() + chunk.len()) as u64 > limit + 1 {
                over = true;
                out.clear();
            } else {
                out.extend_from_slice(chunk);
            }
        }
        let n = chunk.len();
        total += n;
        r.consume(n);
        if done {
            return Ok((total, over));
        }
    }
}

/// Parses one JSONL line into a record or a reject.
pub fn parse_line(line: &[u8], source: String, cfg: &InputConfig) -> Item {
    let reject = |reason: String| {
        Item::Reject(Reject {
            source: source.clone(),
            reason,
            raw: Some(line.to_vec()),
        })
    };
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => {
            return reject(format!(
                "line is not valid UTF-8 (byte {})",
                e.valid_up_to() + 1
            ));
        }
    };
    let mut map = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => m,
        Ok(other) => {
            let kind = match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => unreachable!("matched above"),
            };
            return reject(format!("expected a JSON object, found {kind}"));
        }
        Err(e) => return reject(format!("invalid JSON: {e}")),
    };
    let body = match map.shift_remove(&cfg.text_field) {
        Some(Value::String(s)) => s,
        Some(_) => return reject(format!("field `{}` is not a string", cfg.text_field)),
        None => return reject(format!("no `{}` field", cfg.text_field)),
    };
    let id = match map.shift_remove(&cfg.id_field) {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            // Keep an id of another type as it is, under its own name.
            map.insert(cfg.id_field.clone(), other);
            source.clone()
        }
        None => source.clone(),
    };
    Item::Record(Record {
        id,
        source,
        body: RecordBody::Text(body),
        passthrough: map,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> InputConfig {
        crate::Config::default().input
    }

    fn items(input: &[u8], jsonl: bool) -> Vec<Item> {
        let mut v = Vec::new();
        read_reader(&mut &input[..], "t", jsonl, &cfg(), &mut |i| {
            v.push(i);
            Ok(())
        })
        .unwrap();
        v
    }

    #[test]
    fn jsonl_records_and_rejects() {
        let v = items(b"{\"id\":\"a\",\"text\":\"x\",\"k\":1}\r\n\n[1]\n{\"text\":2}\n{\"x\":1}\nnull\n{\"text\":\"\xff\"}\n{\"text\":\"y\"}", true);
        assert_eq!(v.len(), 7);
        match &v[0] {
            Item::Record(r) => {
                assert_eq!(r.id, "a");
                assert_eq!(r.source, "t:1");
                assert_eq!(r.passthrough["k"], 1);
            }
            other => panic!("{other:?}"),
        }
        let reasons: Vec<String> = v[1..6]
            .iter()
            .map(|i| match i {
                Item::Reject(r) => format!("{}: {}", r.source, r.reason),
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(reasons[0].starts_with("t:3: expected a JSON object, found an array"));
        assert!(reasons[1].starts_with("t:4: field `text` is not a string"));
        assert!(reasons[2].starts_with("t:5: no `text` field"));
        assert!(reasons[3].starts_with("t:6: expected a JSON object, found null"));
        assert!(reasons[4].starts_with("t:7: line is not valid UTF-8"));
        assert!(matches!(&v[6], Item::Record(r) if r.id == "t:8"));
    }

    #[test]
    fn long_line_is_rejected_without_keeping_it() {
        let mut c = cfg();
        c.max_doc_bytes = 15;
        let mut v = Vec::new();
        read_reader(
            &mut &b"{\"text\":\"0123456789\"}\n{\"text\":\"a\"}\n"[..],
            "t",
            true,
            &c,
            &mut |i| {
                v.push(i);
                Ok(())
            },
        )
        .unwrap();
        assert!(matches!(&v[0], Item::Reject(r) if r.raw.is_none() && r.source == "t:1"));
        assert!(matches!(&v[1], Item::Record(_)));
    }

    #[test]
    fn text_is_one_document() {
        let v = items(b"a\n\nb", false);
        assert!(
            matches!(&v[..], [Item::Record(r)] if r.body == RecordBody::Bytes(b"a\n\nb".to_vec()))
        );
    }
}
