"""Otter.ai exports (DOCX, PDF, TXT) and the like: each turn opens with a header line naming
its speaker and its time, the turn's text below::

    Interview with the harbour master
    Tue, 6/8 9:00AM • 32:14
    SUMMARY KEYWORDS
    harbour, dredging, tides
    SPEAKERS
    Jane Doe, Speaker 1

    Jane Doe  00:04
    Thanks for coming in. ...

    Speaker 1  01:12
    ...

    Transcribed by https://otter.ai

The speaker is the header's name as written, the time the header's (`MM:SS` or `H:MM:SS`;
Rev-style `Name (00:01:12):` too). The title is the first line; the preamble (date, keywords,
speakers) and the `Transcribed by https://otter.ai` footer are not speech. A file is read this
way when at least two header lines open turns, their times never go back, and it carries
Otter's marks (`SPEAKERS`, `SUMMARY KEYWORDS`, the footer) or a name heads several turns.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from assistant.readers.cues import seconds
from assistant.readers.layout import Block, clock, one_line
from assistant.transcripts import Turn

HEADER = re.compile(
    # (no `/`, `•`, `|` or `:` in a name: `Tue, 6/8 9:00AM • 32:14` is Otter's date line)
    r"(?P<name>[^\W\d_][^\n/•|:]{0,60}?)\s*:?\s+[(\[]?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)[)\]]?:?"
)
_FOOTER = re.compile(r"Transcribed by\s+(?:https?://)?otter\.ai\S*", re.IGNORECASE)
_PARTICLES = {"de", "da", "del", "della", "di", "du", "dos", "van", "von", "der", "den", "la", "le"}
_PREAMBLE = {"SUMMARY KEYWORDS", "SPEAKERS", "KEYWORDS", "SUMMARY"}


@dataclass(frozen=True)
class Line:
    """A line of the document (one_line'd; "" for a paragraph break) and its page."""

    text: str
    page: int | None = None


def _header(text: str, listed: frozenset[str] = frozenset()) -> tuple[str, float] | None:
    """(name, seconds) of a header line; a name in the `SPEAKERS` list may be in any case."""
    m = HEADER.fullmatch(text)
    if not m:
        return None
    name = m["name"].strip()
    if name not in listed and not named(name):
        return None
    return name, seconds(m["time"], "header") or 0.0


def named(name: str) -> bool:
    """Whether the words before a turn's time are written as a speaker's name: six words at
    most, capitalised but for particles (`Ana de la Cruz`), not ending as a sentence does ("we
    met at 10:30" is a sentence, not a header)."""
    words = name.split()
    if len(words) > 6 or name[-1] in ".,;!?":
        return False
    return not any(w[:1].islower() and w not in _PARTICLES for w in words)


def _listed(lines: Sequence[Line]) -> frozenset[str]:
    """The names of the `SPEAKERS` preamble line (`Jane Doe, Speaker 1`), if any."""
    for i, line in enumerate(lines[:-1]):
        if line.text.upper() == "SPEAKERS":
            following = next((x.text for x in lines[i + 1 :] if x.text), "")
            return frozenset(n.strip() for n in following.split(",") if n.strip())
    return frozenset()


def _headers(lines: Sequence[Line]) -> list[int]:
    """Indices of the lines that open turns (a header line with text after it)."""
    listed = _listed(lines)
    out = []
    for i, line in enumerate(lines):
        if _header(line.text, listed) is None:
            continue
        following = next((x.text for x in lines[i + 1 :] if x.text), "")
        if following and _header(following, listed) is None:
            out.append(i)
    return out


def is_otter(lines: Sequence[Line]) -> bool:
    """Whether `lines` are laid out as header-opened turns (see the module's docstring)."""
    heads = _headers(lines)
    if len(heads) < 2:
        return False
    listed = _listed(lines)
    times = [_header(lines[i].text, listed)[1] for i in heads]  # type: ignore[index]
    if any(b < a for a, b in pairwise(times)):
        return False
    marked = any(line.text.upper() in _PREAMBLE or _FOOTER.search(line.text) for line in lines)
    names = Counter(_header(lines[i].text, listed)[0] for i in heads)  # type: ignore[index]
    return marked or (len(heads) >= 3 and names.most_common(1)[0][1] >= 2)


def blocks(lines: Sequence[Line]) -> tuple[str | None, list[Block]]:
    """(the title, the turns' paragraphs with speakers, times and pages) of an Otter layout."""
    heads = _headers(lines)
    listed = _listed(lines)
    title = next((one_line(x.text) for x in lines[: heads[0]] if x.text), None)
    out: list[Block] = []
    for n, i in enumerate(heads):
        name, start = _header(lines[i].text, listed)  # type: ignore[misc]
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        time: str | None = clock(start)
        text = ""
        pages: list[tuple[int, int]] = []
        for line in [*lines[i + 1 : end], Line("")]:
            if line.text and not _FOOTER.fullmatch(line.text):
                if line.page is not None and (not pages or pages[-1][1] != line.page):
                    pages.append((len(text) + 1 if text else 0, line.page))
                text = f"{text} {line.text}" if text else line.text
            elif text:
                out.append(Block(text, name, tuple(pages), ((0, time),) if time else ()))
                text, pages, time = "", [], None
    return title, out


def spans(text: str) -> tuple[list[Turn], list[tuple[int, str]]] | None:
    """The turns of a text file in this layout (Otter's TXT export) as spans of `text`, with
    the offsets where each turn's time begins; None when it is not laid out so."""
    offsets: list[int] = []
    lines: list[Line] = []
    raws = text.split("\n")
    pos = 0
    for raw in raws:
        offsets.append(pos + len(raw) - len(raw.lstrip()))
        lines.append(Line(one_line(raw)))
        pos += len(raw) + 1
    if not is_otter(lines):
        return None
    heads = _headers(lines)
    listed = _listed(lines)
    turns: list[Turn] = []
    times: list[tuple[int, str]] = []
    for n, i in enumerate(heads):
        name, start = _header(lines[i].text, listed)  # type: ignore[misc]
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        first = True
        paragraph: list[int] = []  # line indices of the paragraph being read
        for j in [*range(i + 1, end), None]:
            if j is not None and lines[j].text and not _FOOTER.fullmatch(lines[j].text):
                paragraph.append(j)
                continue
            if paragraph:
                last = paragraph[-1]
                begin = offsets[paragraph[0]]
                finish = offsets[last] + len(raws[last].strip())
                if first:
                    times.append((begin, clock(start)))
                    first = False
                turns.append(Turn(begin, finish, name))
                paragraph = []
    return turns, times
