"""Court transcripts (PDF): the court reporter's numbered page, read as paragraphs of speech.

Every page numbers its lines 1-25 in the margin, between a running header and footer
(`Official - Subject to Final Review`, `Alderson Reporting Company`) and the page number; a
speaker's turn (`CHIEF JUSTICE ROBERTS:`, `GENERAL VERRILLI:`) or a new paragraph is indented
deeper than the lines that continue it. Read here: only the numbered lines, without their
numbers, joined into paragraphs at the deeper indents (a word hyphenated at a line's end is
joined); the cover and contents before `P R O C E E D I N G S`, the argument headings (`ORAL
ARGUMENT OF ...`, `ON BEHALF OF ...`), the reporter's time notes (`(10:00 a.m.)`,
`(Whereupon, ...)`) and the word index at the end (`broccoli 12:15 ...`) are not speech. The
title is the case caption from the cover with the date of the argument.

An argument is a dialogue, not a press conference: a justice's question is as much the record
as counsel's reply (and as quoted), so every turn is a statement (`Reading.dialogue`), none
ranked below another as a mere question.
"""

from __future__ import annotations

import re
from itertools import pairwise

from assistant.readers.layout import Block, Reading, one_line
from assistant.readers.pdf import join_line

LINES_PER_PAGE = 25
_NUMBERED = re.compile(r"^([ \t]*)(\d{1,2})([ \t]+)(\S.*?)\s*$|^[ \t]*(\d{1,2})[ \t]*$")
_INDENT = 5  # columns deeper than the page's text margin: a new paragraph
_PROCEEDINGS = re.compile(r"P\s?R\s?O\s?C\s?E\s?E\s?D\s?I\s?N\s?G\s?S")
_HEADING = re.compile(
    r"(?:(?:ORAL|REBUTTAL)\s+)?ARGUMENT\s+OF\b.*|ON\s+BEHALF\s+OF\b.*|"
    r"\(\d{1,2}:\d{2}\s*[ap]\.?\s*m\.?\)|\(Whereupon,?.*|C O N T E N T S|PAGE"
)
_INDEX_ENTRY = re.compile(r"\b\d{1,3}:\d{1,2}\b")
_DATE_LINE = re.compile(
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s+)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+\d{4}"
)


def _numbered(page: str) -> list[tuple[int, int | None, str]]:
    """(line number, text column, text) of the page's numbered lines (text "" when blank)."""
    out: list[tuple[int, int | None, str]] = []
    for line in page.split("\n"):
        m = _NUMBERED.match(line)
        if not m:
            continue
        if m.group(5):
            entry: tuple[int, int | None, str] = (int(m.group(5)), None, "")
        else:
            column = len(m.group(1)) + len(m.group(2)) + len(m.group(3))
            entry = (int(m.group(2)), column, m.group(4))
        if not 1 <= entry[0] <= LINES_PER_PAGE or (out and entry[0] <= out[-1][0]):
            continue  # the page number at the foot, or a number in the text
        out.append(entry)
    return out


def _is_numbered(lines: list[tuple[int, int | None, str]]) -> bool:
    """Whether a page's margin counts its lines 1, 2, 3 ... (most of the 25)."""
    numbers = [n for n, _, _ in lines]
    in_order = sum(1 for a, b in pairwise(numbers) if b == a + 1)
    return len(numbers) >= 15 and in_order >= 12


def is_court(pages: list[str]) -> bool:
    """Most pages' lines numbered in the margin: the court reporter's layout."""
    numbered = sum(1 for page in pages if _is_numbered(_numbered(page)))
    return len(pages) >= 2 and numbered * 2 >= len(pages)


def _caption(lines: list[str]) -> str | None:
    """The case caption of a cover page (`A, Petitioners v. B`) with the argument's date."""
    parts: list[str] = []
    inside = False
    for line in lines:
        if re.fullmatch(r"[-\s]{5,}x?", line):
            if inside:
                break
            inside = True
            continue
        if inside:
            left = line.split(":")[0].strip()
            if left:
                parts.append(left)
    date = next((m.group(0) for line in lines if (m := _DATE_LINE.search(line))), None)
    caption = one_line(" ".join(parts))
    if not caption:
        return date
    return f"{caption} ({date})" if date else caption


def read(pages: list[str], cover: bool = True) -> Reading:
    """The court transcript's paragraphs, each with the pages it is on; the title is None when
    the cover names no case. `cover=False`: no cover, every numbered line is speech."""
    numbered = [_numbered(page) for page in pages]
    last = max(i for i, lines in enumerate(numbered) if _is_numbered(lines))
    blocks: list[tuple[str, list[tuple[int, int]]]] = []
    front: list[str] = []
    started = not cover
    note = False
    for number, lines in enumerate(numbered, 1):
        if not _is_numbered(lines):
            text = pages[number - 1]
            if number - 1 > last or len(_INDEX_ENTRY.findall(text)) >= 20:
                continue  # the word index at the end
            lines = [(0, 0, one_line(line)) for line in text.split("\n") if line.strip()]
        columns = [c for _, c, t in lines if t and c is not None]
        margin = min(columns) if columns else 0
        for _, column, text in lines:
            text = one_line(text)
            if not text:
                continue
            if not started:
                front.append(text)
                if _PROCEEDINGS.fullmatch(text):
                    started = True
                continue
            if note:  # inside the reporter's parenthesised note
                note = not text.endswith(")")
                continue
            if _HEADING.fullmatch(text):
                blocks.append(("", []))  # ends the paragraph before it
                note = text.startswith("(") and not text.endswith(")")
                continue
            indented = column is not None and column >= margin + _INDENT
            if blocks and blocks[-1][0] and not indented:
                joined, offset = join_line(blocks[-1][0], text)
                marks = blocks[-1][1]
                if marks[-1][1] != number:
                    marks.append((offset, number))
                blocks[-1] = (joined, marks)
            else:
                blocks.append((text, [(0, number)]))
    if not started:  # no `PROCEEDINGS` line: the whole transcript is speech
        return read(pages, cover=False)
    title = _caption(front) if cover else None
    return Reading(title, tuple(Block(t, pages=tuple(m)) for t, m in blocks if t), dialogue=True)
