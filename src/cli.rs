//! Command-line flags, and how they override the configuration.

use std::path::PathBuf;

use clap::Parser;

use textnorm::config::{Config, Granularity, InputFormat};

/// Normalise scraped news and web text into clean, labelled JSON Lines.
///
/// Reads documents (files, folders walked recursively, or stdin) as raw bytes
/// in any encoding or as JSON Lines (`.gz` and `.zst` files are decompressed),
/// and writes one JSON object per document to stdout, in input order. A
/// progress bar is shown on stderr when it is a terminal.
///
/// Exit status: 0 success; 1 an I/O error (the rest was processed); 2 bad
/// flags or config; 3 some records were rejected (see --rejects).
#[derive(Debug, Parser)]
#[command(name = "textnorm", version, about, long_about)]
pub struct Args {
    /// Files or folders to read; `-` or nothing reads stdin.
    pub paths: Vec<PathBuf>,

    /// Input format: `auto` reads .jsonl/.json/.ndjson files (and stdin that
    /// starts with `{`) as JSON Lines, .parquet/.pq files as Parquet,
    /// everything else as text documents.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,

    /// JSONL field (or Parquet column) that holds the text [default: text].
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,

    /// JSONL field (or Parquet column) that holds the id [default: id].
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,

    /// A TOML file laid over the built-in defaults.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Switch stages off (comma-separated: segment, unicode, langid,
    /// boilerplate, translit, mojibake).
    #[arg(long, value_delimiter = ',', value_name = "NAME[,NAME]")]
    pub disable: Vec<String>,

    /// Switch optional stages on (comma-separated: stem, romanize).
    #[arg(long, value_delimiter = ',', value_name = "NAME[,NAME]")]
    pub enable: Vec<String>,

    /// One output object per `document` or per kept `paragraph`.
    #[arg(long, value_enum)]
    pub granularity: Option<Granularity>,

    /// List removed paragraphs in each record as `removed`.
    #[arg(long)]
    pub keep_removed: bool,

    /// Keep every paragraph and mark removals (`boilerplate: reason`)
    /// instead of dropping them.
    #[arg(long)]
    pub label_only: bool,

    /// List every rewrite with its offsets as `edits`.
    #[arg(long)]
    pub explain: bool,

    /// Force an encoding for text input (an encoding_rs label such as
    /// `windows-1251`, `koi8-u`, `utf-16le`).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Candidate languages for language identification (comma-separated
    /// codes, e.g. `en,uk,ru`).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub langs: Option<Vec<String>>,

    /// Learn corpus-level repetition: count the paragraphs of this run and
    /// write a repeats file for `--repeats` at the end.
    #[arg(long, value_name = "FILE")]
    pub learn: Option<PathBuf>,

    /// Remove paragraphs that a repeats file (from `--learn`) finds in many
    /// documents (`[boilerplate.repeat] min_docs`).
    #[arg(long, value_name = "FILE")]
    pub repeats: Option<PathBuf>,

    /// Write rejected records here, verbatim, one per line.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,

    /// Write run statistics (JSON) to this file.
    #[arg(long, value_name = "FILE")]
    pub stats: Option<PathBuf>,

    /// Reject documents (and JSONL lines) larger than this many bytes
    /// [default: 67108864].
    #[arg(long, value_name = "BYTES")]
    pub max_doc_bytes: Option<u64>,

    /// Reject documents with a paragraph larger than this many bytes, before
    /// any stage runs [default: 1048576].
    #[arg(long, value_name = "BYTES")]
    pub max_paragraph_bytes: Option<u64>,

    /// Worker threads [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Output format: `auto` writes Parquet when --output ends in `.parquet`
    /// or `.pq`, JSON Lines otherwise.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output_format: Option<textnorm::parquet::OutputFormat>,

    /// Write output to this file instead of stdout (`.gz` and `.zst` are
    /// compressed).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print nothing on stderr but errors (no progress bar; rejects are still
    /// reported unless --rejects is given).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl Args {
    /// The configuration: defaults, then `--config`, then flags.
    pub fn config(&self) -> textnorm::Result<Config> {
        let mut cfg = match &self.config {
            Some(p) => Config::from_file(p)?,
            None => Config::default(),
        };
        if let Some(f) = self.input_format {
            cfg.input.format = f;
        }
        if let Some(f) = &self.text_field {
            cfg.input.text_field = f.clone();
        }
        if let Some(f) = &self.id_field {
            cfg.input.id_field = f.clone();
        }
        if let Some(n) = self.max_doc_bytes {
            cfg.input.max_doc_bytes = n;
        }
        if let Some(n) = self.max_paragraph_bytes {
            cfg.input.max_paragraph_bytes = n;
        }
        if let Some(g) = self.granularity {
            cfg.output.granularity = g;
        }
        cfg.output.keep_removed |= self.keep_removed;
        cfg.output.label_only |= self.label_only;
        cfg.output.explain |= self.explain;
        if let Some(e) = &self.encoding {
            cfg.decode.encoding = e.clone();
        }
        if let Some(l) = &self.langs {
            cfg.langid.langs = l.iter().map(|s| s.trim().to_owned()).collect();
        }
        if let Some(p) = &self.learn {
            cfg.boilerplate.repeat.learn = Some(p.clone());
        }
        if let Some(p) = &self.repeats {
            cfg.boilerplate.repeat.file = Some(p.clone());
        }
        textnorm::parquet::ParquetOutput::for_output(
            self.output.as_deref(),
            self.output_format.unwrap_or_default(),
        )?;
        for s in &self.disable {
            cfg.set_enabled(s.trim(), false)?;
        }
        for s in &self.enable {
            cfg.set_enabled(s.trim(), true)?;
        }
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Args {
        Args::try_parse_from(std::iter::once("textnorm").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn flags_override_config() {
        let c = parse(&[
            "--enable",
            "stem",
            "--disable",
            "translit,boilerplate",
            "--langs",
            "en,uk",
        ])
        .config()
        .unwrap();
        assert!(c.stem.enabled && !c.translit.enabled && !c.boilerplate.enabled);
        assert_eq!(c.langid.langs, ["en", "uk"]);
    }

    #[test]
    fn unknown_stage_is_an_error() {
        assert!(parse(&["--disable", "nope"]).config().is_err());
    }
}
