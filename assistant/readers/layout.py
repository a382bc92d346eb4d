"""The canonical text every reader lays its document out as, and where pages and times begin.

A reader turns a PDF, web page, Word file, subtitles or JSON into `Block`s (paragraphs, with a
speaker when the format names one, and page / time marks); `render` writes them out the way the
plain-text parser expects a transcript (title line, blank line, one paragraph per line separated
by blank lines, `Speaker: text` labels) so that one parser reads every format, and citations'
offsets index the rendered text, which the index keeps and shows.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

from assistant.transcripts import display_name, parse_transcript

Mark = tuple[int, int | str]  # (offset, page number or "HH:MM:SS")


class ReadError(ValueError):
    """A file of a known type that cannot be read; the message says why."""


@dataclass(frozen=True)
class Block:
    """One paragraph as read: single-line `text`; `pages`/`times` are (offset into `text`,
    value) where a page or a timed cue begins inside it."""

    text: str
    speaker: str | None = None
    pages: tuple[tuple[int, int], ...] = ()
    times: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Reading:
    """A document as read: `title` is written as its first line; None when the first block
    already is the title (a heading, a PDF's first line)."""

    title: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Canonical:
    """The canonical text of a document and the offsets where its pages and times begin."""

    text: str
    pages: tuple[tuple[int, int], ...] = field(default=())
    times: tuple[tuple[int, str], ...] = field(default=())

    def page_at(self, offset: int) -> int | None:
        return _value_at(self.pages, offset)  # type: ignore[return-value]

    def time_at(self, offset: int) -> str | None:
        return _value_at(self.times, offset)  # type: ignore[return-value]


def _value_at(marks: tuple[Mark, ...], offset: int) -> int | str | None:
    """The value of the last mark at or before `offset`."""
    i = bisect.bisect_right([m[0] for m in marks], offset)
    return marks[i - 1][1] if i else None


def one_line(text: str) -> str:
    """Whitespace runs (newlines, tabs, no-break spaces) as single spaces, ends stripped."""
    return " ".join(text.split())


def clock(seconds: float) -> str:
    """Seconds from the start as `HH:MM:SS` (whole seconds, rounded down)."""
    whole = max(int(seconds), 0)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


_PROBE = "Words spoken here."


@cache
def label_prefix(speaker: str) -> str:
    """What to write before a paragraph so the transcript parser attributes it to `speaker`.

    The parser knows `Chair Powell: …`, a label alone on its line and `ALICE: …`; a name it
    would not read inline (`SPEAKER_00`, a one-word `Alice`) is written in the first of these
    forms it reads back as that name, found by parsing a probe, so the parser and the readers
    cannot drift apart.
    """
    name = one_line(speaker)
    target = display_name(name)
    for prefix in (f"{name}: ", f"{name}:\n\n", f"{name.upper()}: "):
        probe = parse_transcript(f"Title\n\n{prefix}{_PROBE}\n")
        if (
            len(probe.paragraphs) == 1
            and probe.paragraphs[0].speaker == target
            and probe.paragraphs[0].text == _PROBE
        ):
            return prefix
    return f"{name}: "


def render(reading: Reading) -> Canonical:
    """Lay `reading` out as transcript text; a speaker's label is written where the speaker
    changes (a block without a speaker continues the previous speaker's turn)."""
    parts: list[str] = []
    pos = 0
    pages: list[tuple[int, int]] = []
    times: list[tuple[int, str]] = []

    def add(piece: str) -> None:
        nonlocal pos
        parts.append(piece)
        pos += len(piece)

    if reading.title is not None:
        add(one_line(reading.title) + "\n\n")
    current: str | None = None
    for block in reading.blocks:
        if not block.text:
            continue
        if block.speaker and block.speaker != current:
            add(label_prefix(block.speaker))
            current = block.speaker
        pages.extend((pos + o, p) for o, p in block.pages)
        times.extend((pos + o, t) for o, t in block.times)
        add(block.text + "\n\n")
    text = "".join(parts).rstrip("\n") + "\n"
    return Canonical(text, _dedupe(pages), _dedupe(times))


def _dedupe(marks: list) -> tuple:
    """Sorted marks, dropping those that repeat the value before them."""
    out: list = []
    for mark in sorted(marks, key=lambda m: m[0]):
        if not out or out[-1][1] != mark[1]:
            out.append(mark)
    return tuple(out)


_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))
