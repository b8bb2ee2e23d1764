//! textnorm: a multilingual text normalisation pipeline for scraped news and
//! web text.
//!
//! Per document, in order:
//!
//! 1. [`decode`]: bytes in any encoding → Unicode, with mojibake repair;
//! 2. [`segment`]: paragraphs, and header lines → metadata;
//! 3. [`stages::unicode`]: NFC, invisible characters, spaces, link residue;
//! 4. [`stages::langid`]: language of every paragraph and of the document;
//! 5. [`stages::boilerplate`]: web leftovers removed, each with a reason;
//! 6. [`stages::translit`]: transliteration variants → canonical spellings;
//! 7. [`stages::stem`] (optional): Snowball stems per paragraph.
//!
//! ```
//! use textnorm::{Config, Pipeline, pipeline::Body};
//! let pipeline = Pipeline::new(&Config::default()).unwrap();
//! let doc = pipeline.process("a".into(), "stdin".into(), Body::Text("Talks in Kiev.\n\nSign up now for unlimited free access to"));
//! let text = textnorm::emit::document_text(&doc, false);
//! assert_eq!(text, "Talks in Kyiv.");
//! ```
#![deny(missing_docs)]

pub(crate) mod ascii;
pub mod config;
pub mod decode;
pub mod document;
pub mod emit;
pub mod error;
pub(crate) mod hash;
pub mod input;
pub mod io;
pub mod mojibake;
pub mod parquet;
pub mod pipeline;
pub mod report;
pub mod segment;
pub mod stages;

pub use config::Config;
pub use document::{Document, Paragraph};
pub use error::{Error, Result};
pub use pipeline::Pipeline;
