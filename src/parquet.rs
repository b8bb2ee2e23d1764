//! Parquet input and output for the command line (cargo feature `parquet`,
//! on by default).
//!
//! **Input.** A Parquet file (`.parquet`/`.pq`, or any file with
//! `--input-format parquet`) is read row by row; each row becomes the JSON
//! object a JSONL line would hold (column → value; nested columns become
//! objects and arrays) and goes through the same checks as a JSONL line, so
//! the text column is `--text-field` and the id column `--id-field`. A row's
//! source is `PATH:ROW` (1-based). Parquet cannot be read from stdin.
//!
//! **Output.** With `-o FILE.parquet` (or `--output-format parquet`) the
//! records are first written as JSON Lines next to the destination
//! (`FILE.parquet.jsonl.part`), then converted: one optional column per
//! top-level key, in first-seen order, typed from all its values (strings →
//! UTF-8 strings, integers → INT64, other numbers → DOUBLE, booleans →
//! BOOLEAN; objects, arrays and columns of mixed types → their JSON text).
//! The names of the JSON-text columns are stored in the file's key-value
//! metadata under `textnorm.json_columns`, and reading such a file turns them
//! back into values. Snappy compression.

use std::io;
use std::path::{Path, PathBuf};

use crate::config::InputConfig;
use crate::input::Item;

/// Key-value metadata key listing the columns that hold JSON text.
pub const JSON_COLUMNS_KEY: &str = "textnorm.json_columns";

/// Output format of the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// Parquet when `--output` ends in `.parquet`/`.pq`, else JSON Lines.
    #[default]
    Auto,
    /// JSON Lines.
    Jsonl,
    /// Parquet (needs `--output`).
    Parquet,
}

/// True for file names that auto-detection reads as Parquet.
pub fn is_parquet_name(p: &Path) -> bool {
    let name = p.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".parquet") || name.ends_with(".pq")
}

/// Reads one Parquet file, calling `f` with an item per row, in order. A file
/// that cannot be read (or not to its end) gives an [`Item::Error`].
pub fn read_file(
    path: &Path,
    cfg: &InputConfig,
    f: &mut dyn FnMut(Item) -> io::Result<()>,
) -> io::Result<()> {
    let name = path.display().to_string();
    imp::read_file(path, &name, cfg, f)
}

/// The item for one row given as a JSON object.
#[cfg(feature = "parquet")]
fn row_item(row: serde_json::Value, source: String, cfg: &InputConfig) -> Item {
    let line = serde_json::to_vec(&row).expect("a JSON value always serializes");
    if line.len() as u64 > cfg.max_doc_bytes {
        return Item::Reject(crate::input::Reject {
            source,
            reason: format!(
                "row is larger than --max-doc-bytes ({} bytes)",
                cfg.max_doc_bytes
            ),
            raw: None,
        });
    }
    crate::input::parse_line(&line, source, cfg)
}

/// Where the records go when the output is Parquet: JSON Lines are written to
/// [`jsonl_path`](Self::jsonl_path) and [`finish`](Self::finish) converts them.
#[derive(Debug)]
pub struct ParquetOutput {
    dest: PathBuf,
    part: PathBuf,
}

impl ParquetOutput {
    /// `Some` when `format` (or, for `Auto`, the name of `output`) asks for
    /// Parquet; an error when Parquet is asked for without an output file.
    pub fn for_output(
        output: Option<&Path>,
        format: OutputFormat,
    ) -> crate::Result<Option<ParquetOutput>> {
        let dest = match (format, output) {
            (OutputFormat::Jsonl, _) | (OutputFormat::Auto, None) => return Ok(None),
            (OutputFormat::Auto, Some(p)) if !is_parquet_name(p) => return Ok(None),
            (OutputFormat::Parquet, None) => {
                return Err(crate::Error::config(
                    "--output-format",
                    "Parquet output needs --output FILE",
                ));
            }
            (_, Some(p)) => p.to_owned(),
        };
        let mut part = dest.clone().into_os_string();
        part.push(".jsonl.part");
        Ok(Some(ParquetOutput {
            dest,
            part: part.into(),
        }))
    }

    /// The JSON Lines file to write the records to.
    pub fn jsonl_path(&self) -> &Path {
        &self.part
    }

    /// Converts the JSON Lines to the Parquet file and removes them.
    pub fn finish(self) -> crate::Result<u64> {
        let n = jsonl_to_parquet(&self.part, &self.dest);
        // The part file is scratch space, on success and on failure alike.
        let _ = std::fs::remove_file(&self.part);
        n
    }
}

/// Converts a JSON Lines file of objects to Parquet (see the module docs);
/// returns the number of rows.
pub fn jsonl_to_parquet(src: &Path, dest: &Path) -> crate::Result<u64> {
    imp::jsonl_to_parquet(src, dest)
}

/// Reads a Parquet file into JSON objects, one per row, as the input side
/// sees them.
pub fn read_values(path: &Path) -> crate::Result<Vec<serde_json::Value>> {
    imp::read_values(path)
}

#[cfg(feature = "parquet")]
mod imp {
    use std::collections::HashMap;
    use std::fs::File;
    use std::io::{self, BufRead, BufReader};
    use std::path::Path;
    use std::sync::Arc;

    use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
    use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
    use parquet::file::metadata::KeyValue;
    use parquet::file::properties::WriterProperties;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::types::Type;
    use serde_json::{Map, Value};

    use super::{JSON_COLUMNS_KEY, row_item};
    use crate::config::InputConfig;
    use crate::input::Item;

    fn err(path: &Path, e: impl std::fmt::Display) -> crate::Error {
        crate::Error::Io {
            path: path.to_owned(),
            source: io::Error::other(e.to_string()),
        }
    }

    /// Rows per row group.
    const GROUP_ROWS: usize = 4096;

    /// Names of the columns the file marks as JSON text.
    fn json_columns(reader: &SerializedFileReader<File>) -> Vec<String> {
        reader
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .into_iter()
            .flatten()
            .filter(|kv| kv.key == JSON_COLUMNS_KEY)
            .filter_map(|kv| kv.value.as_deref())
            .filter_map(|v| serde_json::from_str::<Vec<String>>(v).ok())
            .flatten()
            .collect()
    }

    /// Turns JSON-text columns back into values.
    fn decode(mut row: Value, json: &[String]) -> Value {
        if let Value::Object(m) = &mut row {
            for k in json {
                if let Some(slot) = m.get_mut(k)
                    && let Value::String(s) = slot
                    && let Ok(v) = serde_json::from_str(s)
                {
                    *slot = v;
                }
            }
        }
        row
    }

    fn open(path: &Path) -> Result<SerializedFileReader<File>, String> {
        let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
        SerializedFileReader::new(file).map_err(|e| format!("not a readable Parquet file: {e}"))
    }

    pub(super) fn read_file(
        path: &Path,
        name: &str,
        cfg: &InputConfig,
        f: &mut dyn FnMut(Item) -> io::Result<()>,
    ) -> io::Result<()> {
        let reader = match open(path) {
            Ok(r) => r,
            Err(e) => return f(Item::Error(format!("{name}: {e}"))),
        };
        let json = json_columns(&reader);
        let rows = match reader.get_row_iter(None) {
            Ok(r) => r,
            Err(e) => return f(Item::Error(format!("{name}: read error: {e}"))),
        };
        for (i, row) in rows.enumerate() {
            let source = format!("{name}:{}", i + 1);
            match row {
                Ok(row) => f(row_item(decode(row.to_json_value(), &json), source, cfg))?,
                Err(e) => return f(Item::Error(format!("{source}: read error: {e}"))),
            }
        }
        Ok(())
    }

    pub(super) fn read_values(path: &Path) -> crate::Result<Vec<Value>> {
        let reader = open(path).map_err(|e| err(path, e))?;
        let json = json_columns(&reader);
        reader
            .get_row_iter(None)
            .map_err(|e| err(path, e))?
            .map(|r| {
                r.map(|r| decode(r.to_json_value(), &json))
                    .map_err(|e| err(path, e))
            })
            .collect()
    }

    /// A column's type, widened as values are seen.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Kind {
        Null,
        Bool,
        Int,
        Float,
        Str,
        Json,
    }

    fn kind_of(v: &Value) -> Kind {
        match v {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(n) if n.is_i64() => Kind::Int,
            Value::Number(_) => Kind::Float,
            Value::String(_) => Kind::Str,
            _ => Kind::Json,
        }
    }

    fn widen(a: Kind, b: Kind) -> Kind {
        match (a, b) {
            (x, y) if x == y => x,
            (Kind::Null, x) | (x, Kind::Null) => x,
            (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
            _ => Kind::Json,
        }
    }

    fn lines(
        path: &Path,
        mut f: impl FnMut(Map<String, Value>) -> crate::Result<()>,
    ) -> crate::Result<()> {
        let file = File::open(path).map_err(|e| err(path, e))?;
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| err(path, e))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(&line) {
                Ok(Value::Object(m)) => f(m)?,
                _ => return Err(err(path, format!("line {}: not a JSON object", i + 1))),
            }
        }
        Ok(())
    }

    pub(super) fn jsonl_to_parquet(src: &Path, dest: &Path) -> crate::Result<u64> {
        // Pass 1: the columns and their types.
        let mut cols: Vec<(String, Kind)> = Vec::new();
        let mut pos: HashMap<String, usize> = HashMap::new();
        lines(src, |m| {
            for (k, v) in &m {
                let kind = kind_of(v);
                match pos.get(k) {
                    Some(&i) => cols[i].1 = widen(cols[i].1, kind),
                    None => {
                        pos.insert(k.clone(), cols.len());
                        cols.push((k.clone(), kind));
                    }
                }
            }
            Ok(())
        })?;
        let fields = cols
            .iter()
            .map(|(name, kind)| {
                let (physical, logical) = match kind {
                    Kind::Bool => (PhysicalType::BOOLEAN, None),
                    Kind::Int => (PhysicalType::INT64, None),
                    Kind::Float => (PhysicalType::DOUBLE, None),
                    Kind::Null | Kind::Str | Kind::Json => {
                        (PhysicalType::BYTE_ARRAY, Some(LogicalType::String))
                    }
                };
                Type::primitive_type_builder(name, physical)
                    .with_repetition(Repetition::OPTIONAL)
                    .with_logical_type(logical)
                    .build()
                    .map(Arc::new)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| err(dest, e))?;
        let schema = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
            .map_err(|e| err(dest, e))?;
        let json: Vec<&str> = cols
            .iter()
            .filter(|(_, k)| *k == Kind::Json)
            .map(|(n, _)| n.as_str())
            .collect();
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_key_value_metadata(Some(vec![KeyValue::new(
                JSON_COLUMNS_KEY.to_owned(),
                serde_json::to_string(&json).expect("strings serialize"),
            )]))
            .build();
        let file = File::create(dest).map_err(|e| err(dest, e))?;
        let mut writer = SerializedFileWriter::new(file, Arc::new(schema), Arc::new(props))
            .map_err(|e| err(dest, e))?;
        // Pass 2: the rows, a row group at a time.
        let mut group: Vec<Map<String, Value>> = Vec::with_capacity(GROUP_ROWS);
        let mut rows = 0u64;
        let write_group = |group: &mut Vec<Map<String, Value>>,
                           writer: &mut SerializedFileWriter<File>|
         -> crate::Result<()> {
            if group.is_empty() {
                return Ok(());
            }
            let mut rg = writer.next_row_group().map_err(|e| err(dest, e))?;
            for (name, kind) in &cols {
                let mut col = rg
                    .next_column()
                    .map_err(|e| err(dest, e))?
                    .expect("one column writer per schema column");
                let values = group.iter().map(|m| m.get(name).filter(|v| !v.is_null()));
                let defs: Vec<i16> = values.clone().map(|v| i16::from(v.is_some())).collect();
                let r = match kind {
                    Kind::Bool => {
                        let v: Vec<bool> = values
                            .flatten()
                            .map(|v| v.as_bool() == Some(true))
                            .collect();
                        col.typed::<BoolType>().write_batch(&v, Some(&defs), None)
                    }
                    Kind::Int => {
                        let v: Vec<i64> =
                            values.flatten().map(|v| v.as_i64().unwrap_or(0)).collect();
                        col.typed::<Int64Type>().write_batch(&v, Some(&defs), None)
                    }
                    Kind::Float => {
                        let v: Vec<f64> = values
                            .flatten()
                            .map(|v| v.as_f64().unwrap_or(0.0))
                            .collect();
                        col.typed::<DoubleType>().write_batch(&v, Some(&defs), None)
                    }
                    Kind::Null | Kind::Str | Kind::Json => {
                        let v: Vec<ByteArray> = values
                            .flatten()
                            .map(|v| match v {
                                Value::String(s) if *kind != Kind::Json => {
                                    ByteArray::from(s.as_str())
                                }
                                other => ByteArray::from(other.to_string().into_bytes()),
                            })
                            .collect();
                        col.typed::<ByteArrayType>()
                            .write_batch(&v, Some(&defs), None)
                    }
                };
                r.map_err(|e| err(dest, e))?;
                col.close().map_err(|e| err(dest, e))?;
            }
            rg.close().map_err(|e| err(dest, e))?;
            group.clear();
            Ok(())
        };
        lines(src, |m| {
            group.push(m);
            rows += 1;
            if group.len() >= GROUP_ROWS {
                write_group(&mut group, &mut writer)?;
            }
            Ok(())
        })?;
        write_group(&mut group, &mut writer)?;
        writer.close().map_err(|e| err(dest, e))?;
        Ok(rows)
    }
}

#[cfg(not(feature = "parquet"))]
mod imp {
    use std::io;
    use std::path::Path;

    use crate::config::InputConfig;
    use crate::input::Item;

    const OFF: &str = "this textnorm was built without Parquet support (cargo feature `parquet`)";

    pub(super) fn read_file(
        _path: &Path,
        name: &str,
        _cfg: &InputConfig,
        f: &mut dyn FnMut(Item) -> io::Result<()>,
    ) -> io::Result<()> {
        f(Item::Error(format!("{name}: {OFF}")))
    }

    pub(super) fn read_values(path: &Path) -> crate::Result<Vec<serde_json::Value>> {
        Err(crate::Error::Io {
            path: path.to_owned(),
            source: io::Error::other(OFF),
        })
    }

    pub(super) fn jsonl_to_parquet(_src: &Path, dest: &Path) -> crate::Result<u64> {
        read_values(dest).map(|_| 0)
    }
}

#[cfg(all(test, feature = "parquet"))]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("textnorm-parquet-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn jsonl_round_trips_through_parquet() {
        let d = scratch("rt");
        let src = d.join("in.jsonl");
        std::fs::write(
            &src,
            "{\"id\":\"a\",\"n\":1,\"x\":1.5,\"ok\":true,\"meta\":{\"k\":[1,2]},\"text\":\"Kiev\"}\n\n\
             {\"id\":\"b\",\"n\":2,\"x\":2,\"mixed\":\"s\",\"text\":\"Київ\",\"none\":null}\n\
             {\"id\":\"c\",\"mixed\":3,\"text\":\"\"}\n",
        )
        .unwrap();
        let dest = d.join("out.parquet");
        assert_eq!(jsonl_to_parquet(&src, &dest).unwrap(), 3);
        let rows = read_values(&dest).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["meta"]["k"][1], 2);
        assert_eq!(rows[0]["n"], 1);
        assert_eq!(rows[1]["x"], 2.0);
        assert_eq!(rows[0]["ok"], true);
        assert_eq!(rows[1]["text"], "Київ");
        assert_eq!(rows[1]["mixed"], "s");
        assert_eq!(rows[2]["mixed"], 3);
        assert!(rows[2]["n"].is_null() && rows[0]["none"].is_null());
        let mut items = Vec::new();
        let cfg = crate::Config::default().input;
        read_file(&dest, &cfg, &mut |i| {
            items.push(i);
            Ok(())
        })
        .unwrap();
        match &items[1] {
            Item::Record(r) => {
                assert_eq!(r.id, "b");
                assert_eq!(r.source, format!("{}:2", dest.display()));
                assert_eq!(r.passthrough["mixed"], "s");
            }
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn output_format_choice() {
        let p = Path::new("x.parquet");
        assert!(
            ParquetOutput::for_output(Some(p), OutputFormat::Auto)
                .unwrap()
                .is_some()
        );
        assert!(
            ParquetOutput::for_output(Some(Path::new("x.jsonl")), OutputFormat::Auto)
                .unwrap()
                .is_none()
        );
        assert!(ParquetOutput::for_output(None, OutputFormat::Parquet).is_err());
        assert!(
            ParquetOutput::for_output(Some(p), OutputFormat::Jsonl)
                .unwrap()
                .is_none()
        );
    }
}
