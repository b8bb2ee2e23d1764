"""A datatrove pipeline step that runs textnorm over documents.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from textnorm.datatrove import TextnormStep

    LocalPipelineExecutor(
        pipeline=[JsonlReader("in/"), TextnormStep(langs="en,uk,ru"), JsonlWriter("out/")],
        tasks=4,
    ).run()

It is a datatrove filter (``BaseFilter``): each document's ``text`` is replaced
by the normalised text and ``metadata`` gets

- ``language``, ``language_score``: the document language (as datatrove's
  ``LanguageFilter`` names them);
- ``paragraphs``: one span per kept paragraph, ``{index, start, end, lang,
  lang_score, script}``; ``start``/``end`` are offsets into the new ``text``
  (Python slices);
- ``removed``: ``{reason: count}`` of the paragraphs textnorm removed;
- the header fields found (``title``, ``date``, ``url``, ``byline``,
  ``publisher``, ``links``), when there are any.

A document left without text is dropped with the reason ``empty``, and one
that textnorm refuses (too large) with ``rejected``; datatrove counts them as
``dropped``, ``dropped_empty`` and ``dropped_rejected`` and passes them to the
``exclusion_writer``. Paragraph counters go to the step's stats:
``paragraphs`` (seen), ``paragraphs_kept`` and ``paragraphs_removed_<reason>``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, List, Optional, Tuple, Union

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from . import Pipeline

__all__ = ["TextnormStep"]

_HEADER_FIELDS = ("title", "date", "url", "byline", "publisher", "links")
_SPAN_FIELDS = ("index", "start", "end", "lang", "lang_score", "script")


class TextnormStep(BaseFilter):
    """Normalises ``doc.text`` with textnorm and labels the document.

    Args:
        config: a TOML file laid over textnorm's defaults (``--config``).
        exclusion_writer: a datatrove writer that keeps the dropped documents
            (their ``metadata["filter_reason"]`` says why).
        batch_size: documents handed to textnorm at once; a batch is spread
            over ``jobs`` threads (default: all cores).
        drop_empty: drop documents left without text (reason ``empty``).
        **overrides: textnorm options as in :class:`textnorm.Pipeline`
            (``langs``, ``disable``, ``enable``, ``label_only``, ``jobs``, ...).
            ``granularity`` is always ``document`` here.
    """

    name = "🧹 textnorm"

    def __init__(
        self,
        config: Optional[str] = None,
        exclusion_writer: Optional[DiskWriter] = None,
        batch_size: int = 64,
        drop_empty: bool = True,
        **overrides: Any,
    ) -> None:
        super().__init__(exclusion_writer, batch_size)
        overrides.pop("granularity", None)
        overrides["keep_removed"] = True
        self.config = config
        self.overrides = overrides
        self.drop_empty = drop_empty
        self._pipeline: Optional[Pipeline] = None

    @property
    def pipeline(self) -> Pipeline:
        """The textnorm pipeline, built on first use (in the worker)."""
        if self._pipeline is None:
            self._pipeline = Pipeline(self.config, granularity="document", **self.overrides)
        return self._pipeline

    def __getstate__(self) -> dict:
        # Executors pickle the step into worker processes; the native pipeline
        # is rebuilt there.
        state = self.__dict__.copy()
        state["_pipeline"] = None
        return state

    def filter(self, doc: Document) -> Union[bool, Tuple[bool, str]]:
        """Normalises one document; see the module docs."""
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: List[Document]) -> List[Union[bool, Tuple[bool, str]]]:
        """Normalises a batch of documents in parallel."""
        records = self.pipeline.process_batch(
            [{"id": str(d.id), "text": d.text} for d in batch], source="datatrove", on_error="none"
        )
        return [self._apply(doc, rec) for doc, rec in zip(batch, records)]

    def _apply(self, doc: Document, rec: Optional[dict]) -> Union[bool, Tuple[bool, str]]:
        if rec is None:
            return False, "rejected"
        removed = Counter(
            r["reason"] for r in rec.get("removed", ()) if not r["reason"].startswith("metadata.")
        )
        spans = rec["paragraphs"]
        self.stat_update("paragraphs", value=rec.get("changes", {}).get("segment", {}).get("paragraphs", 0))
        self.stat_update("paragraphs_kept", value=len(spans))
        for reason, n in removed.items():
            self.stat_update(f"paragraphs_removed_{reason}", value=n)
        doc.text = rec["text"]
        meta = doc.metadata
        meta["language"] = rec["lang"]
        meta["language_score"] = rec["lang_score"]
        meta["paragraphs"] = [{k: s[k] for k in _SPAN_FIELDS} for s in spans]
        meta["removed"] = dict(sorted(removed.items()))
        for k in _HEADER_FIELDS:
            if k in rec:
                meta[k] = rec[k]
        if self.drop_empty and not doc.text:
            return False, "empty"
        return True
