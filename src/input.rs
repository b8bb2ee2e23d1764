//! Reading input: files, folders (walked recursively in sorted order) and
//! stdin, as text documents or JSON Lines records.
//!
//! Files ending in `.gz` or `.zst` are decompressed (see [`crate::io`]).
//!
//! Reading never stops at a bad record: a JSONL line that is not an object,
//! has a repeated key, lacks the text field, is not UTF-8, is nested too
//! deeply, or is over a size limit (`max_doc_bytes` for the line or document,
//! `max_paragraph_bytes` for its longest paragraph) becomes an
//! [`Item::Reject`] carrying its raw bytes (a line over `max_doc_bytes` is
//! not kept in memory: its bytes go to the [`Spill`] instead); a file that
//! cannot be read becomes an [`Item::Error`]. The caller reports, counts and
//! continues. An empty stdin holds no document; an empty file is one empty
//! document.

use std::collections::HashSet;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
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

/// A JSON Lines line that was read but not parsed yet: a reader can leave
/// the parsing to the threads that process the records.
#[derive(Debug)]
pub struct Line {
    /// `path:line` or `stdin:line`.
    pub source: String,
    /// The line, without its line break.
    pub raw: Vec<u8>,
}

impl Line {
    /// Parses the line into a record or a reject (see [`parse_line`]).
    pub fn parse(self, cfg: &InputConfig) -> Item {
        parse_line(&self.raw, self.source, cfg)
    }
}

/// What [`read_source_lines`] hands over: an item, or a line to parse.
#[derive(Debug)]
pub enum Pending {
    /// Read and parsed (or refused, or a read error).
    Ready(Item),
    /// A JSON Lines line, to parse with [`Line::parse`].
    Line(Line),
}

impl Pending {
    /// The item: parses a line with `cfg`.
    pub fn resolve(self, cfg: &InputConfig) -> Item {
        match self {
            Pending::Ready(item) => item,
            Pending::Line(line) => line.parse(cfg),
        }
    }
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

/// What the reader does with the bytes of a line too large to keep: it
/// hands them over chunk by chunk (without the line break) before the
/// line's [`Item::Reject`], so `--rejects` can keep them without memory
/// growing with the line.
pub type Spill<'a> = &'a mut dyn FnMut(&[u8]) -> io::Result<()>;

/// Reads items from one source, calling `f` for each, in order.
pub fn read_source(
    src: &Source,
    cfg: &InputConfig,
    f: &mut dyn FnMut(Item) -> io::Result<()>,
) -> io::Result<()> {
    read_source_with(src, cfg, None, f, &mut |_| Ok(()))
}

/// Like [`read_source`], decompressing `.gz`/`.zst` files, adding the bytes
/// read from files to `count`, and handing over-long lines to `spill`.
pub fn read_source_with(
    src: &Source,
    cfg: &InputConfig,
    count: Option<Arc<AtomicU64>>,
    f: &mut dyn FnMut(Item) -> io::Result<()>,
    spill: Spill<'_>,
) -> io::Result<()> {
    let mut each = |p: Pending| f(p.resolve(cfg));
    read_source_pending(src, cfg, count, false, &mut each, spill)
}

/// Like [`read_source_with`], but JSON Lines lines come unparsed, as
/// [`Pending::Line`]: the caller parses them where it likes (each with
/// [`Pending::resolve`]), in order, to get the same items.
pub fn read_source_lines(
    src: &Source,
    cfg: &InputConfig,
    count: Option<Arc<AtomicU64>>,
    f: &mut dyn FnMut(Pending) -> io::Result<()>,
    spill: Spill<'_>,
) -> io::Result<()> {
    read_source_pending(src, cfg, count, true, f, spill)
}

fn read_source_pending(
    src: &Source,
    cfg: &InputConfig,
    count: Option<Arc<AtomicU64>>,
    defer: bool,
    f: &mut dyn FnMut(Pending) -> io::Result<()>,
    spill: Spill<'_>,
) -> io::Result<()> {
    let mut ready = |item: Item| f(Pending::Ready(item));
    match src {
        Source::File(p)
            if cfg.format == InputFormat::Parquet
                || (cfg.format == InputFormat::Auto && crate::parquet::is_parquet_name(p)) =>
        {
            return crate::parquet::read_file(p, cfg, &mut ready);
        }
        Source::Stdin if cfg.format == InputFormat::Parquet => {
            return ready(Item::Error(
                "stdin: Parquet cannot be read from stdin; give the file".into(),
            ));
        }
        _ => {}
    }
    match src {
        Source::Stdin => {
            let stdin = io::stdin();
            let raw: Box<dyn Read> = match count {
                Some(n) => Box::new(crate::io::CountingReader::new(stdin.lock(), n)),
                None => Box::new(stdin.lock()),
            };
            let mut r = BufReader::with_capacity(crate::io::BUF_SIZE, raw);
            if r.fill_buf()?.is_empty() {
                // An empty stream holds no document.
                return Ok(());
            }
            let jsonl = match cfg.format {
                InputFormat::Jsonl => true,
                // Parquet was dispatched above.
                InputFormat::Text | InputFormat::Parquet => false,
                InputFormat::Auto => first_nonblank(&mut r)? == Some(b'{'),
            };
            read_reader_pending(&mut r, "stdin", jsonl, cfg, defer, f, spill)
        }
        Source::File(p) => {
            let name = p.display().to_string();
            let jsonl = match cfg.format {
                InputFormat::Jsonl => true,
                // Parquet was dispatched above.
                InputFormat::Text | InputFormat::Parquet => false,
                InputFormat::Auto => is_jsonl_name(&crate::io::strip_compression(p)),
            };
            let plain = crate::io::Compression::from_path(p) == crate::io::Compression::None;
            if !jsonl && plain {
                // A plain text document over the limit is refused unread.
                if let Ok(m) = std::fs::metadata(p)
                    && m.is_file()
                    && m.len() > cfg.max_doc_bytes
                {
                    return ready(Item::Reject(Reject {
                        source: name,
                        reason: too_large("document", cfg.max_doc_bytes),
                        raw: None,
                    }));
                }
            }
            let mut r = match crate::io::open_input(p, count) {
                Ok(r) => r,
                Err(e) => return ready(Item::Error(format!("{name}: cannot open: {e}"))),
            };
            read_reader_pending(&mut r, &name, jsonl, cfg, defer, f, spill)
        }
    }
}

fn too_large(what: &str, limit: u64) -> String {
    format!("{what} is larger than --max-doc-bytes ({limit} bytes)")
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
    read_reader_with(r, name, jsonl, cfg, f, &mut |_| Ok(()))
}

/// Like [`read_reader`], handing the bytes of over-long lines to `spill`.
pub fn read_reader_with<R: BufRead + ?Sized>(
    r: &mut R,
    name: &str,
    jsonl: bool,
    cfg: &InputConfig,
    f: &mut dyn FnMut(Item) -> io::Result<()>,
    spill: Spill<'_>,
) -> io::Result<()> {
    let mut each = |p: Pending| f(p.resolve(cfg));
    read_reader_pending(r, name, jsonl, cfg, false, &mut each, spill)
}

/// [`read_reader_with`]; with `defer`, JSON Lines lines come unparsed.
fn read_reader_pending<R: BufRead + ?Sized>(
    r: &mut R,
    name: &str,
    jsonl: bool,
    cfg: &InputConfig,
    defer: bool,
    f: &mut dyn FnMut(Pending) -> io::Result<()>,
    spill: Spill<'_>,
) -> io::Result<()> {
    if !jsonl {
        let mut bytes = Vec::new();
        let limit = cfg.max_doc_bytes;
        match r.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
            Ok(_) => {}
            Err(e) => {
                return f(Pending::Ready(Item::Error(format!(
                    "{name}: read error: {e}"
                ))));
            }
        }
        if bytes.len() as u64 > limit {
            return f(Pending::Ready(Item::Reject(Reject {
                source: name.to_owned(),
                reason: too_large("document", limit),
                raw: None,
            })));
        }
        if let Some(reason) = paragraph_over_limit(&bytes, cfg) {
            return f(Pending::Ready(Item::Reject(Reject {
                source: name.to_owned(),
                reason,
                raw: None,
            })));
        }
        return f(Pending::Ready(Item::Record(Record {
            id: name.to_owned(),
            source: name.to_owned(),
            body: RecordBody::Bytes(bytes),
            passthrough: Map::new(),
        })));
    }
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    let mut parking = Parking::default();
    loop {
        if buf.capacity() > SPILL_PIECE {
            // Do not keep a large line's memory for the small ones after it.
            buf = Vec::new();
        }
        buf.clear();
        line_no += 1;
        let (n, over) = match read_line_bounded(r, &mut buf, cfg.max_doc_bytes, spill, &mut parking)
        {
            Ok(x) => x,
            Err(e) => {
                return f(Pending::Ready(Item::Error(format!(
                    "{name}:{line_no}: read error: {e}"
                ))));
            }
        };
        if n == 0 {
            return Ok(());
        }
        let source = format!("{name}:{line_no}");
        if over {
            f(Pending::Ready(Item::Reject(Reject {
                source,
                reason: too_large("line", cfg.max_doc_bytes),
                raw: None,
            })))?;
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
        if defer {
            let raw = std::mem::take(&mut buf);
            f(Pending::Line(Line { source, raw }))?;
        } else {
            f(Pending::Ready(parse_line(&buf, source, cfg)))?;
        }
    }
}

/// The largest piece of an over-long line handed to the spill at once.
const SPILL_PIECE: usize = 1 << 20;

/// A line is held in memory up to this many bytes; the rest of a longer line
/// waits in a temporary file until its end shows whether it is within the
/// limit. A line over the limit so never takes more memory than this.
const HOLD_BYTES: usize = 8 << 20;

/// The temporary file for the middle of long lines (made on first need,
/// emptied after each line).
#[derive(Default)]
struct Parking {
    file: Option<std::fs::File>,
    /// Bytes of the current line in the file.
    len: u64,
    /// No file to park in (it could not be made or written): long lines
    /// stay in memory.
    unavailable: bool,
}

impl Parking {
    /// Parks `chunk`; false when there is no file to park it in (it could
    /// not be made, or a write failed: a full disk), and from then on.
    fn park(&mut self, chunk: &[u8]) -> bool {
        use std::io::Write;
        if self.unavailable {
            return false;
        }
        if self.file.is_none() {
            match tempfile::tempfile() {
                Ok(f) => self.file = Some(f),
                Err(_) => self.unavailable = true,
            }
        }
        let written = self.file.as_mut().map(|f| f.write_all(chunk));
        if let Some(Ok(())) = written {
            self.len += chunk.len() as u64;
            return true;
        }
        self.unavailable = true;
        false
    }

    /// Hands the parked bytes to `to`, in pieces, and empties the file.
    fn drain(&mut self, to: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        use std::io::{Seek, SeekFrom};
        let Some(f) = self.file.as_mut() else {
            return Ok(());
        };
        if self.len > 0 {
            f.seek(SeekFrom::Start(0))?;
            let mut piece = vec![0u8; SPILL_PIECE.min(self.len as usize)];
            let mut left = self.len;
            while left > 0 {
                let n = piece.len().min(left as usize);
                f.read_exact(&mut piece[..n])?;
                to(&piece[..n])?;
                left -= n as u64;
            }
        }
        f.seek(SeekFrom::Start(0))?;
        f.set_len(0)?;
        self.len = 0;
        Ok(())
    }
}

/// Reads up to and including the next `\n`. The first [`HOLD_BYTES`] are
/// stored in `out`, the rest parked in a temporary file until the line ends,
/// then appended to `out`. Past `limit` bytes the line is handed to `spill`
/// (what was stored and parked, then the rest as it comes, without the line
/// break) instead, and `over` is true. Returns the bytes consumed (0 at the
/// end).
fn read_line_bounded<R: BufRead + ?Sized>(
    r: &mut R,
    out: &mut Vec<u8>,
    limit: u64,
    spill: Spill<'_>,
    parking: &mut Parking,
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
            break;
        }
        let (chunk, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let held = out.len() as u64 + parking.len;
        if !over && held + chunk.len() as u64 > limit.saturating_add(1) {
            over = true;
            for piece in out.chunks(SPILL_PIECE) {
                spill(piece)?;
            }
            // Give the memory back: the next lines are likely small.
            *out = Vec::new();
            parking.drain(spill)?;
        }
        if over {
            spill(chunk.strip_suffix(b"\n").unwrap_or(chunk))?;
        } else if parking.len > 0 || out.len() + chunk.len() > HOLD_BYTES {
            if !parking.park(chunk) {
                // No room to park: the line stays in memory, what was
                // parked first.
                parking.drain(&mut |piece| {
                    out.extend_from_slice(piece);
                    Ok(())
                })?;
                out.extend_from_slice(chunk);
            }
        } else {
            out.extend_from_slice(chunk);
        }
        let n = chunk.len();
        total += n;
        r.consume(n);
        if done {
            break;
        }
    }
    if parking.len > 0 {
        // Within the limit: the line is a document to process.
        out.reserve(parking.len as usize);
        parking.drain(&mut |piece| {
            out.extend_from_slice(piece);
            Ok(())
        })?;
    }
    Ok((total, over))
}

/// The length in bytes of the longest paragraph that `segment` will make of
/// `text`: blocks between blank lines, or lines when there is no blank line.
/// Bytes that are not UTF-8 (text in another encoding) count as non-blank
/// unless they are ASCII white space.
pub fn longest_paragraph(text: &[u8]) -> usize {
    let is_blank = |l: &[u8]| match l.first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        _ => match std::str::from_utf8(l) {
            Ok(s) => s.chars().all(crate::stages::unicode::is_blank_char),
            Err(_) => l.iter().all(u8::is_ascii_whitespace),
        },
    };
    let (mut longest_line, mut longest_block, mut block) = (0usize, 0usize, 0usize);
    let (mut seen_text, mut pending_blank, mut has_blank) = (false, false, false);
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if is_blank(line) {
            if seen_text {
                pending_blank = true;
            }
            block = 0;
            continue;
        }
        if pending_blank {
            has_blank = true;
            pending_blank = false;
        }
        seen_text = true;
        longest_line = longest_line.max(line.len());
        block += if block == 0 {
            line.len()
        } else {
            line.len() + 1
        };
        longest_block = longest_block.max(block);
    }
    if has_blank {
        longest_block
    } else {
        longest_line
    }
}

/// The reason to refuse `text` when one of its paragraphs is over the limit.
fn paragraph_over_limit(text: &[u8], cfg: &InputConfig) -> Option<String> {
    let limit = cfg.max_paragraph_bytes;
    if (text.len() as u64) <= limit {
        return None;
    }
    let n = longest_paragraph(text) as u64;
    (n > limit).then(|| {
        format!("a paragraph of {n} bytes is larger than --max-paragraph-bytes ({limit} bytes)")
    })
}

/// A JSON value read so that a repeated key in any object is an error
/// instead of a silent overwrite.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Strict(x)) = seq.next_element()? {
            v.push(x);
        }
        Ok(Value::Array(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if m.contains_key(&k) {
                return Err(de::Error::custom(format_args!("duplicate key `{k}`")));
            }
            let Strict(v) = map.next_value()?;
            m.insert(k, v);
        }
        Ok(Value::Object(m))
    }
}

/// Parses one JSONL line into a record or a reject.
///
/// The line must be UTF-8 and one JSON object with no repeated key (at any
/// depth; nesting is limited to 128 levels) whose text field is a string.
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
    let mut map = match serde_json::from_str::<Strict>(text) {
        Ok(Strict(Value::Object(m))) => m,
        Ok(Strict(other)) => {
            let kind = match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
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
    if let Some(reason) = paragraph_over_limit(body.as_bytes(), cfg) {
        return reject(reason);
    }
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
    fn lines_left_unparsed_parse_to_the_same_items_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(
            &path,
            b"{\"id\":\"a\",\"text\":\"x\",\"k\":1}\r\n\n[1]\n{\"text\":2}\n{\"text\":\"\xff\"}\n{\"text\":\"y\"}",
        )
        .unwrap();
        let src = Source::File(path);
        let mut now = Vec::new();
        read_source(&src, &cfg(), &mut |i| {
            now.push(format!("{i:?}"));
            Ok(())
        })
        .unwrap();
        let mut later = Vec::new();
        let mut lines = 0;
        read_source_lines(
            &src,
            &cfg(),
            None,
            &mut |p| {
                lines += usize::from(matches!(p, Pending::Line(_)));
                later.push(format!("{:?}", p.resolve(&cfg())));
                Ok(())
            },
            &mut |_| Ok(()),
        )
        .unwrap();
        assert_eq!(now.len(), 5);
        assert_eq!(lines, 5);
        assert_eq!(later, now);
        // A missing file is an error item either way.
        let gone = Source::File(dir.path().join("gone.jsonl"));
        let mut got = Vec::new();
        read_source_lines(
            &gone,
            &cfg(),
            None,
            &mut |p| {
                got.push(p);
                Ok(())
            },
            &mut |_| Ok(()),
        )
        .unwrap();
        assert!(matches!(&got[..], [Pending::Ready(Item::Error(e))] if e.contains("cannot open")));
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

    /// A JSONL line whose text is `n` bytes of letters.
    fn big_line(n: usize) -> Vec<u8> {
        let text: String = (0..n).map(|i| (b'a' + (i % 26) as u8) as char).collect();
        format!("{{\"text\":\"{text}\"}}\n").into_bytes()
    }

    #[test]
    fn lines_longer_than_the_hold_are_parked_and_come_back_whole() {
        let line = big_line(HOLD_BYTES + 3 * SPILL_PIECE + 17);
        let mut input = line.clone();
        input.extend_from_slice(b"{\"text\":\"after\"}\n");
        // Within the limit: the record is the whole line.
        let mut c = cfg();
        c.max_doc_bytes = line.len() as u64;
        c.max_paragraph_bytes = c.max_doc_bytes;
        let mut v = Vec::new();
        read_reader(&mut &input[..], "t", true, &c, &mut |i| {
            v.push(i);
            Ok(())
        })
        .unwrap();
        match &v[..] {
            [Item::Record(r), Item::Record(after)] => {
                let RecordBody::Text(text) = &r.body else {
                    panic!("{:?}", r.body);
                };
                assert_eq!(text.len(), line.len() - 12);
                assert_eq!(format!("{{\"text\":\"{text}\"}}\n").as_bytes(), &line[..]);
                assert_eq!(after.source, "t:2");
            }
            other => panic!("{} items", other.len()),
        }
        // Over the limit: every byte goes to the spill, in order, and the
        // line after it is read as usual.
        c.max_doc_bytes = (HOLD_BYTES + SPILL_PIECE) as u64;
        let mut spilled = Vec::new();
        let mut v = Vec::new();
        read_reader_with(
            &mut &input[..],
            "t",
            true,
            &c,
            &mut |i| {
                v.push(i);
                Ok(())
            },
            &mut |piece| {
                spilled.extend_from_slice(piece);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(spilled, line[..line.len() - 1]);
        assert!(matches!(&v[0], Item::Reject(r) if r.source == "t:1"));
        assert!(matches!(&v[1], Item::Record(r) if r.source == "t:2"));
    }

    #[test]
    fn without_room_to_park_a_long_line_stays_in_memory_whole() {
        let line = big_line(HOLD_BYTES + 2 * SPILL_PIECE);
        let mut out = Vec::new();
        let mut parking = Parking {
            unavailable: true,
            ..Parking::default()
        };
        let (n, over) = read_line_bounded(
            &mut &line[..],
            &mut out,
            line.len() as u64,
            &mut |_| Ok(()),
            &mut parking,
        )
        .unwrap();
        assert_eq!((n, over), (line.len(), false));
        assert_eq!(out, line);
    }

    #[test]
    fn text_is_one_document() {
        let v = items(b"a\n\nb", false);
        assert!(
            matches!(&v[..], [Item::Record(r)] if r.body == RecordBody::Bytes(b"a\n\nb".to_vec()))
        );
    }
}
