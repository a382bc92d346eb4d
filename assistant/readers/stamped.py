"""Text transcripts whose turns each open with a time stamp and the speaker's name on one line,
as Trint, Descript, Sonix and many meeting tools export them::

    [00:00:05] Alice Johnson: Welcome, everyone. The budget is first.
    [00:00:09] Bob Lee: Marketing came in ten percent over plan.

    00:00:15 Alice Johnson: Why was that?

    Alice Johnson: [00:00:15] Why was that?

    Alice Johnson (00:00:15): Why was that?

The speaker is the name as written, the time the stamp's (`MM:SS` or `H:MM:SS`, a fraction of
a second dropped; bracketed or not before the name, bracketed after it or after its colon), the speech the rest of
the line and the lines below it up to the next turn, a paragraph at each blank line. A file is read this way
when at least two lines open turns so, their times never go back and a name opens two of them;
`Name  00:04` on a line of its own above the text is Otter's layout (`otter`). Text files are
read as spans of the file (`spans`); Word documents and PDFs as their lines (`blocks`).
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from assistant.readers import otter
from assistant.readers.cues import seconds
from assistant.readers.layout import Block, clock, one_line
from assistant.transcripts import Turn

_TIME = r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d{1,3})?"
_NAME = r"(?P<name>[^\W\d_][^\n:\[\]()]{0,60}?)"
_OPENINGS = (
    re.compile(rf"[\[(]?{_TIME}[\])]?[ \t]+(?:-[ \t]+)?{_NAME}[ \t]*:[ \t]+(?=\S)"),
    re.compile(rf"{_NAME}[ \t]*:[ \t]*[\[(]{_TIME}[\])][ \t]*(?=\S)"),
    re.compile(rf"{_NAME}[ \t]*[\[(]{_TIME}[\])][ \t]*:[ \t]+(?=\S)"),
)


def opening(line: str) -> tuple[str, float, int] | None:
    """(name, seconds, where the speech starts) of a line opening a turn with a stamped name."""
    for pattern in _OPENINGS:
        m = pattern.match(line)
        if m is None:
            continue
        name = " ".join(m["name"].split())
        if not otter.named(name):
            return None  # "at 10:30 we met: ..." is a sentence
        return name, seconds(m["time"], "stamp") or 0.0, m.end()
    return None


def _heads(lines: list[str]) -> list[tuple[int, tuple[str, float, int]]] | None:
    """The lines opening turns and what they open with, when `lines` are laid out so."""
    heads = [(n, found) for n, line in enumerate(lines) if (found := opening(line))]
    if len(heads) < 2 or any(b[1][1] < a[1][1] for a, b in pairwise(heads)):
        return None
    if Counter(found[0] for _, found in heads).most_common(1)[0][1] < 2:
        return None
    return heads


def blocks(
    lines: list[str], pages: list[int] | None = None
) -> tuple[list[str], list[Block]] | None:
    """For a format read as lines (a Word document's paragraphs, a PDF's lines, each line's
    page in `pages`): the lines before the first turn, and the turns as paragraphs with their
    speakers, times and pages (a line without a stamp continues the turn before it); None when
    not laid out so."""
    lines = [one_line(line) for line in lines]
    heads = _heads(lines)
    if heads is None:
        return None
    out: list[Block] = []
    for (n, (name, start, speech)), following in zip(
        heads, [*(h[0] for h in heads[1:]), len(lines)], strict=True
    ):
        text = ""
        marks: list[tuple[int, int]] = []
        for j in range(n, following):
            part = lines[j][speech:].strip() if j == n else lines[j]
            if not part:
                continue
            at = len(text) + 1 if text else 0
            if pages is not None and (not marks or marks[-1][1] != pages[j]):
                marks.append((at, pages[j]))
            text = f"{text} {part}" if text else part
        out.append(Block(text, name, tuple(marks), ((0, clock(start)),)))
    return [x for x in lines[: heads[0][0]] if x], out


def spans(text: str) -> tuple[list[Turn], list[tuple[int, str]]] | None:
    """The turns of `text` in this layout as spans of it, with the offsets where each turn's
    time begins; None when it is not laid out so."""
    lines: list[tuple[int, str]] = []  # (offset of the first non-space character, stripped)
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos + len(raw) - len(raw.lstrip()), raw.strip()))
        pos += len(raw) + 1
    heads = _heads([line for _, line in lines])
    if heads is None:
        return None
    turns: list[Turn] = []
    times: list[tuple[int, str]] = []
    for (n, (name, start, speech)), following in zip(
        heads, [*(h[0] for h in heads[1:]), len(lines)], strict=True
    ):
        times.append((lines[n][0] + speech, clock(start)))
        begin: int | None = lines[n][0] + speech
        last = n
        for j in [*range(n + 1, following), None]:
            if j is not None and lines[j][1]:
                begin = lines[j][0] if begin is None else begin
                last = j
                continue
            if begin is not None:  # a blank line (or the turn's end) closes a paragraph
                turns.append(Turn(begin, lines[last][0] + len(lines[last][1]), name))
                begin = None
    return turns, times
