"""textnorm: multilingual normalisation of scraped news and web text.

The Python face of the Rust library behind the ``textnorm`` command. A
:class:`Pipeline` turns one input record (a ``dict`` as read from a JSON Lines
line) into exactly the record the command line writes for that line: the same
fields in the same order, with the same values.

    >>> import textnorm
    >>> p = textnorm.Pipeline()
    >>> p.process({"id": "a", "text": "Talks in Kiev.\\n\\nSign up now for unlimited free access to"})["text"]
    'Talks in Kyiv.'

The work runs in Rust with the GIL released; :meth:`Pipeline.process_batch`
spreads a batch over threads.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, List, Optional, Union

from ._textnorm import VERSION, Native, RecordError

__all__ = ["Pipeline", "RecordError", "__version__"]
__version__ = VERSION

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_loads = json.loads


class Pipeline:
    """A built textnorm pipeline.

    ``config`` is a TOML file laid over the built-in defaults, as the command
    line's ``--config``. Keyword overrides mirror the command line's flags:
    ``text_field``, ``id_field``, ``max_doc_bytes``, ``granularity``
    (``"document"`` or ``"paragraph"``), ``keep_removed``, ``label_only``,
    ``explain``, ``encoding``, ``langs``, ``disable`` and ``enable`` (lists of
    names or comma-separated strings), and ``jobs`` (threads used by
    :meth:`process_batch`; default: all cores).

    A bad configuration raises ``ValueError`` with the message the command
    line prints; an unknown keyword raises ``TypeError``.
    """

    def __init__(self, config: Optional[Union[str, os.PathLike]] = None, **overrides: Any) -> None:
        self._native = Native(os.fspath(config) if config is not None else None, **overrides)
        self._paragraphs = self._native.granularity == "paragraph"

    @property
    def granularity(self) -> str:
        """``"document"`` or ``"paragraph"``."""
        return self._native.granularity

    @property
    def stages(self) -> List[str]:
        """The stages that run, in order."""
        return list(self._native.stages)

    def _records(self, out: bytes) -> Union[dict, List[dict]]:
        if self._paragraphs:
            return [_loads(line) for line in out.splitlines()]
        return _loads(out)

    def process(self, doc: dict, source: str = "python") -> Union[dict, List[dict]]:
        """Normalises one record.

        ``doc`` is what a JSONL line holds: a ``dict`` with the text field
        (``text`` unless ``text_field`` says otherwise), optionally the id
        field, and any other fields, which are passed through. ``source`` is
        written as the record's ``source`` (and is its id when it has none);
        the command line writes ``PATH:LINE`` there.

        Returns the record the command line writes: a ``dict`` with document
        granularity, a list of paragraph records with paragraph granularity.
        A record the command line would reject raises :class:`RecordError`
        with the message it prints (``SOURCE: reason``).
        """
        return self._records(self._native.process_line(_dumps(doc).encode(), source))

    def process_json(self, line: Union[str, bytes], source: str = "python") -> str:
        """Like :meth:`process` for a JSONL line, returning the JSON Lines text
        the command line writes for it, byte for byte (with its newline)."""
        if isinstance(line, str):
            line = line.encode()
        return self._native.process_line(line, source).decode()

    def process_batch(
        self,
        docs: Iterable[dict],
        source: str = "python",
        first_line: int = 1,
        on_error: str = "raise",
        sources: Optional[List[str]] = None,
    ) -> List[Any]:
        """Normalises many records in parallel; same result as
        ``[process(d) for d in docs]``, in input order.

        Record ``i`` gets the source ``f"{source}:{first_line + i}"``, as line
        ``first_line + i`` of a JSONL file named ``source`` would on the
        command line; ``sources`` gives every record its own instead.
        ``on_error="raise"`` raises :class:`RecordError` for the first refused
        record; ``on_error="none"`` puts ``None`` in its place.
        """
        if on_error not in ("raise", "none"):
            raise ValueError('on_error must be "raise" or "none"')
        lines = [_dumps(d).encode() for d in docs]
        outs = self._native.process_lines(lines, _sources(source, first_line, len(lines), sources))
        return [self._result(o, on_error) for o in outs]

    def process_batch_json(
        self,
        lines: Iterable[Union[str, bytes]],
        source: str = "python",
        first_line: int = 1,
        on_error: str = "raise",
        sources: Optional[List[str]] = None,
    ) -> List[Optional[str]]:
        """Like :meth:`process_batch` for JSONL lines, returning for each the
        JSON Lines text the command line writes (``None`` for a refused one
        with ``on_error="none"``)."""
        if on_error not in ("raise", "none"):
            raise ValueError('on_error must be "raise" or "none"')
        raw = [line.encode() if isinstance(line, str) else bytes(line) for line in lines]
        outs = self._native.process_lines(raw, _sources(source, first_line, len(raw), sources))
        result: List[Optional[str]] = []
        for o in outs:
            if isinstance(o, str):
                if on_error == "raise":
                    raise RecordError(o)
                result.append(None)
            else:
                result.append(o.decode())
        return result

    def process_bytes(
        self, data: bytes, id: Optional[str] = None, source: Optional[str] = None
    ) -> Union[dict, List[dict]]:
        """Normalises a text document given as raw bytes in any encoding, as
        the command line does for a text file: the encoding is detected (or
        forced with ``encoding``) and reported. ``id`` and ``source`` default
        to each other, then to ``"python"``; the command line uses the path for
        both."""
        source = source if source is not None else (id if id is not None else "python")
        id = id if id is not None else source
        return self._records(self._native.process_bytes(bytes(data), id, source))

    def _result(self, o: Union[bytes, str], on_error: str) -> Any:
        if isinstance(o, str):
            if on_error == "raise":
                raise RecordError(o)
            return None
        return self._records(o)

    def __repr__(self) -> str:
        return f"textnorm.Pipeline(stages={self.stages!r}, granularity={self.granularity!r})"


def _sources(source: str, first_line: int, n: int, given: Optional[List[str]]) -> List[str]:
    if given is not None:
        if len(given) != n:
            raise ValueError(f"{len(given)} sources for {n} records")
        return list(given)
    return [f"{source}:{first_line + i}" for i in range(n)]
