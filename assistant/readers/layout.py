"""The canonical text every reader lays its document out as, and where pages and times begin.

A reader turns a PDF, web page, Word file, subtitles or JSON into `Block`s (paragraphs, with
page / time marks); `render` writes them out as a transcript reads (title line, blank line, one
paragraph per line separated by blank lines), and citations' offsets index the rendered text,
which the index keeps and shows.

Two kinds of reading: where the format states who speaks (a JSON `speaker` field, a `<v>` tag, a
`<cite>`, an Otter header line), the reading is `stated` and every block carries its speaker;
`render` then shows each change of speaker as a `Name: ` label before the paragraph, outside the
paragraph's span, and hands the spans and speakers on as `Turn`s, so a name is never parsed
back out of the text. Elsewhere (a PDF, a web page with `CHAIR POWELL:` in its paragraphs) the
text is parsed for labels like a text file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from assistant.transcripts import Turn

Mark = tuple[int, int | str]  # (offset, page number or "HH:MM:SS")


class ReadError(ValueError):
    """A file of a known type that cannot be read; the message says why."""


@dataclass(frozen=True)
class Block:
    """One paragraph as read: single-line `text`; `pages`/`times` are (offset into `text`,
    value) where a page or a timed cue begins inside it; `speaker` as the format states it
    (in a `stated` reading; None there: nobody named)."""

    text: str
    speaker: str | None = None
    pages: tuple[tuple[int, int], ...] = ()
    times: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Reading:
    """A document as read: `title` is written as its first line; None when the first block
    already is the title (a heading, a PDF's first line). `stated`: the blocks' speakers are
    the format's (see the module's docstring); otherwise the text is parsed for labels.
    `dialogue`: nobody's turns are mere questions to be ranked below answers (a court argument:
    a justice's question is as quotable as counsel's reply), so every turn is a statement."""

    title: str | None
    blocks: tuple[Block, ...]
    stated: bool = False
    dialogue: bool = False


@dataclass(frozen=True)
class Canonical:
    """The canonical text of a document and the offsets where its pages and times begin;
    `turns` (None: parse the text for labels) are its paragraphs with their stated speakers."""

    text: str
    pages: tuple[tuple[int, int], ...] = field(default=())
    times: tuple[tuple[int, str], ...] = field(default=())
    turns: tuple[Turn, ...] | None = None
    title: str | None = None  # the title line, when `turns` are given
    dialogue: bool = False  # every turn a statement (see `Reading`)

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


def render(reading: Reading) -> Canonical:
    """Lay `reading` out as transcript text. In a `stated` reading each block is a turn of its
    speaker, whose `Name: ` label is written where the speaker changes (for display only)."""
    parts: list[str] = []
    pos = 0
    pages: list[tuple[int, int]] = []
    times: list[tuple[int, str]] = []
    turns: list[Turn] = []

    def add(piece: str) -> None:
        nonlocal pos
        parts.append(piece)
        pos += len(piece)

    title = one_line(reading.title) if reading.title is not None else None
    if title is not None:
        add(title + "\n\n")
    current: str | None = None
    for block in reading.blocks:
        text = block.text  # one line already: its marks' offsets index it
        if not text.strip():
            continue
        if title is None:
            title = text  # the first block is the title line
        elif reading.stated:
            speaker = one_line(block.speaker or "") or None
            if speaker and speaker != current:
                add(f"{speaker}: ")
            current = speaker
            turns.append(Turn(pos, pos + len(text), speaker))
        pages.extend((pos + o, p) for o, p in block.pages)
        times.extend((pos + o, t) for o, t in block.times)
        add(text + "\n\n")
    text = "".join(parts).rstrip("\n") + "\n"
    if not reading.stated:
        return Canonical(text, _dedupe(pages), _dedupe(times), dialogue=reading.dialogue)
    return Canonical(
        text, _dedupe(pages), _dedupe(times), tuple(turns), title or "", reading.dialogue
    )


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
