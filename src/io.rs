//! Compressed input and output, chosen by file extension, and a byte counter
//! for progress reporting.
//!
//! `.gz` files are read as (possibly multi-member) gzip streams with `flate2`
//! and written as gzip; `.zst` files are read and written with `zstd`. Any
//! other name is plain bytes. Input format detection (`auto`) looks at the
//! name without the compression extension, so `news.jsonl.zst` is JSON Lines.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Size of read and write buffers.
pub const BUF_SIZE: usize = 1 << 17;

/// A compression format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain bytes.
    None,
    /// gzip (`.gz`).
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

impl Compression {
    /// The compression a file name asks for (case-insensitive extension).
    pub fn from_path(p: &Path) -> Compression {
        let ext = p
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

/// The file name with a `.gz` or `.zst` extension removed, for format
/// detection.
pub fn strip_compression(p: &Path) -> PathBuf {
    match Compression::from_path(p) {
        Compression::None => p.to_owned(),
        _ => p.with_extension(""),
    }
}

/// Counts the bytes that pass through a reader (shared, for a progress bar).
#[derive(Debug)]
pub struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> CountingReader<R> {
    /// Wraps `inner`, adding every byte read to `count`.
    pub fn new(inner: R, count: Arc<AtomicU64>) -> Self {
        CountingReader { inner, count }
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Wraps a raw byte stream in the decompressor `c` asks for, buffered.
pub fn decompress<'a, R: Read + 'a>(raw: R, c: Compression) -> io::Result<Box<dyn BufRead + 'a>> {
    Ok(match c {
        Compression::None => Box::new(BufReader::with_capacity(BUF_SIZE, raw)),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            BUF_SIZE,
            flate2::read::MultiGzDecoder::new(BufReader::with_capacity(BUF_SIZE, raw)),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            BUF_SIZE,
            zstd::stream::read::Decoder::new(raw)?,
        )),
    })
}

/// Opens a file for reading, decompressing by extension. `count`, when
/// given, receives the number of (compressed) bytes read from the file.
pub fn open_input(p: &Path, count: Option<Arc<AtomicU64>>) -> io::Result<Box<dyn BufRead>> {
    let f = File::open(p)?;
    let c = Compression::from_path(p);
    match count {
        Some(n) => decompress(CountingReader::new(f, n), c),
        None => decompress(f, c),
    }
}

/// An output stream that may need finishing (compressed trailers).
pub enum Output {
    /// Plain bytes.
    Plain(BufWriter<Box<dyn Write + Send>>),
    /// gzip.
    Gzip(flate2::write::GzEncoder<BufWriter<Box<dyn Write + Send>>>),
    /// Zstandard.
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<Box<dyn Write + Send>>>),
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Output::Plain(_) => "Output::Plain",
            Output::Gzip(_) => "Output::Gzip",
            Output::Zstd(_) => "Output::Zstd",
        })
    }
}

impl Output {
    /// Wraps `w` in the compressor `c` asks for, buffered.
    pub fn new(w: Box<dyn Write + Send>, c: Compression) -> io::Result<Output> {
        let w = BufWriter::with_capacity(BUF_SIZE, w);
        Ok(match c {
            Compression::None => Output::Plain(w),
            Compression::Gzip => Output::Gzip(flate2::write::GzEncoder::new(
                w,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Output::Zstd(zstd::stream::write::Encoder::new(w, 3)?),
        })
    }

    /// Creates (truncates) the file `p`, compressing by its extension.
    pub fn create(p: &Path) -> io::Result<Output> {
        Output::new(Box::new(File::create(p)?), Compression::from_path(p))
    }

    /// Writes the compressed trailer (if any) and flushes everything.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Output::Plain(mut w) => w.flush(),
            Output::Gzip(e) => e.finish()?.flush(),
            Output::Zstd(e) => e.finish()?.flush(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Plain(w) => w.write(buf),
            Output::Gzip(w) => w.write(buf),
            Output::Zstd(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Plain(w) => w.write_all(buf),
            Output::Gzip(w) => w.write_all(buf),
            Output::Zstd(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Plain(w) => w.flush(),
            Output::Gzip(w) => w.flush(),
            Output::Zstd(w) => w.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_by_extension() {
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl.GZ")),
            Compression::Gzip
        );
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl.zst")),
            Compression::Zstd
        );
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl")),
            Compression::None
        );
        assert_eq!(
            strip_compression(Path::new("d/a.jsonl.zst")),
            Path::new("d/a.jsonl")
        );
        assert_eq!(strip_compression(Path::new("a.txt")), Path::new("a.txt"));
    }

    fn round_trip(c: Compression) {
        let data: Vec<u8> = (0..100_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Output::new(Box::new(Shared(buf.clone())), c).unwrap();
        out.write_all(&data).unwrap();
        out.finish().unwrap();
        let packed = buf.lock().unwrap().clone();
        if c != Compression::None {
            assert!(packed.len() < data.len());
        }
        let count = Arc::new(AtomicU64::new(0));
        let mut back = Vec::new();
        decompress(CountingReader::new(&packed[..], count.clone()), c)
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data);
        assert_eq!(count.load(Ordering::Relaxed), packed.len() as u64);
    }

    #[test]
    fn gzip_and_zstd_round_trip() {
        round_trip(Compression::None);
        round_trip(Compression::Gzip);
        round_trip(Compression::Zstd);
    }
}
