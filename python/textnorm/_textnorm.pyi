"""Type stubs of the native module ``textnorm._textnorm`` (use ``textnorm.Pipeline``)."""

from typing import Any, List, Optional, Union

VERSION: str

class RecordError(ValueError):
    """A record the pipeline refuses; the message is the command line's ``SOURCE: reason``."""

class Native:
    """A built pipeline."""

    def __init__(self, config: Optional[str] = None, **overrides: Any) -> None: ...
    @property
    def granularity(self) -> str:
        """``"document"`` or ``"paragraph"``."""
    @property
    def stages(self) -> List[str]:
        """The stages that run, in order."""
    def process_line(self, line: bytes, source: str) -> bytes:
        """The JSON Lines written for one JSONL line read from ``source``; raises ``RecordError``."""
    def process_lines(self, lines: List[bytes], sources: List[str]) -> List[Union[bytes, str]]:
        """For each line, its output (``bytes``) or the reject message (``str``)."""
    def process_bytes(self, data: bytes, id: str, source: str) -> bytes:
        """The JSON Lines written for a text document given as raw bytes."""
