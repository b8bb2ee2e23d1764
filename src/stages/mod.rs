//! Stages 3–7. Each works on a whole [`Document`] in place: it rewrites
//! paragraph text, sets labels, or marks paragraphs removed, and counts what it
//! did in `doc.changes` under its own name.

use crate::document::Document;

pub mod boilerplate;
pub mod langid;
pub mod romanize;
pub mod stem;
pub mod translit;
pub mod unicode;

/// A pipeline stage.
///
/// `apply` is infallible: odd input is something to count, not an error.
pub trait Stage: Send + Sync {
    /// The stage's name, used as its key in `changes` and in `--stats`.
    fn name(&self) -> &'static str;
    /// Processes one document.
    fn apply(&self, doc: &mut Document);
    /// Called once after the last document of a run (a stage that learns
    /// over the run writes what it learnt here).
    fn finish(&self) -> crate::error::Result<()> {
        Ok(())
    }
}
