"""Plain text and Markdown (`.txt`, `.md`, `.markdown`): the canonical text is the file itself,
exactly as `Path.read_text(encoding="utf-8")` gives it.

Speakers are parsed from its labels like any transcript, except where the file lays its turns
out another way: a Markdown interview with `### Speaker` headings or `**Speaker:**` labels
(`markdown`), an Otter.ai text export with `Name  00:04` header lines (`otter`), or lines that
open with a time stamp and a name (`[00:00:05] Alice Johnson: ...`: `stamped`); those turns
are spans of the file with their stated speakers (and times).
"""

from __future__ import annotations

import re

from assistant.readers import markdown, otter, stamped
from assistant.readers.layout import Canonical

MARKDOWN = (".md", ".markdown")
_FIRST_LINE = re.compile(r"[^\s\ufeff][^\n]*")


def read(data: bytes, document: str) -> Canonical:
    from assistant.corpus import decode_text  # corpus imports this package

    text = decode_text(data, document)
    first = _FIRST_LINE.search(text)
    title = first.group(0).strip().lstrip("#").strip() if first else ""
    if document.lower().endswith(MARKDOWN):
        turns = markdown.turns(text)
        if turns:
            return Canonical(
                text, turns=tuple(t for t in turns if t.start >= first.end()), title=title
            )  # type: ignore[union-attr]
    laid_out = otter.spans(text) or stamped.spans(text)
    if laid_out is not None:
        turns, times = laid_out
        return Canonical(text, times=tuple(times), turns=tuple(turns), title=title)
    return Canonical(text)
