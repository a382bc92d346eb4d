"""Plain text and Markdown (`.txt`, `.md`, `.markdown`): the canonical text is the file itself,
exactly as `Path.read_text(encoding="utf-8")` gives it."""

from __future__ import annotations

from assistant.readers.layout import Canonical


def read(data: bytes, document: str) -> Canonical:
    from assistant.corpus import decode_text  # corpus imports this package

    return Canonical(decode_text(data, document))
