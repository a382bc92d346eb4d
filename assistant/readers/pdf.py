"""PDF transcripts (`.pdf`), read with `pypdf` in layout mode (lines in reading order, blank
lines where the page has vertical gaps), each line's words spaced as pypdf's plain mode spaces
them: layout mode places glyphs by position, so a kerned word falls apart ("tha       t rate",
"1½percentage", "we ’ll") where the plain text reads "that rate", "1½ percentage", "we’ll".

Page furniture is removed: a line near the top or bottom of a page that recurs on at least half
the pages (digits aside: `Page 3 of 12`, a dated running header) and bare page numbers. Lines
are joined into paragraphs (a `CAPS NAME.` label starts one, and an indented first line or,
where a document indents none, a blank line); a word hyphenated
across a line or a page break is joined (`infla-` + `tion` -> `inflation`), and a sentence that
runs on to the next page stays one paragraph. Every paragraph knows the page(s) it is on. The
first page's running header, when there is one, is the title line (it names the event).
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from pathlib import Path

from assistant.readers.layout import Block, ReadError, Reading, ends_sentence, one_line

ZONE = 3  # lines at the top and at the bottom of a page where headers and footers sit
PAGE_NUMBER = re.compile(
    r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]", re.IGNORECASE
)
LABEL = re.compile(r"(?:[A-Z][A-Z.'’\-]*\s+){0,3}[A-Z][A-Z'’\-]+[.:]\s|Q[.:]?\s")
HYPHENATED = re.compile(r"[^\W\d_]-$")
INDENT = 3  # spaces past a page's margin that make a line a paragraph's first


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _zone(lines: list[str]) -> list[int]:
    """Indices of the first and last ZONE non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:ZONE] + filled[-ZONE:]))


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())].replace("\t", "    ")


def respace(layout: str, plain: str) -> str:
    """`layout`'s lines with the word spacing of the same characters in `plain`.

    Both are one page's text. A line whose characters (whitespace aside) run the same in
    `plain` is rewritten as `plain` spaces them, whitespace runs as single spaces; a line not
    found there is kept as it is. Blank lines stay, so the layout's paragraph breaks do."""
    flat: list[str] = []
    where: list[int] = []
    for i, char in enumerate(plain):
        if not char.isspace():
            flat.append(char)
            where.append(i)
    text = "".join(flat)
    lines: list[str] = []
    cursor = 0
    for line in layout.split("\n"):
        key = "".join(line.split())
        at = text.find(key, cursor) if key else -1
        if key and at < 0:
            at = text.find(key)
        if at < 0:
            lines.append(line)
            continue
        cursor = at + len(key)
        lines.append(one_line(plain[where[at] : where[cursor - 1] + 1]))
    return "\n".join(lines)


def _spaced_lines(layout: str, plain: str) -> list[str]:
    """A page's layout lines, each with its indentation and the plain text's word spacing."""
    spaced = respace(layout, plain).split("\n")
    return [
        _indent(line) + one_line(words)
        for line, words in zip(layout.split("\n"), spaced, strict=True)
    ]


def strip_furniture(pages: list[list[str]]) -> tuple[list[list[str]], str | None]:
    """Pages without running headers/footers and page numbers, and the first page's header.

    Lines may keep their indentation; it is read past here."""
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_shape(lines[i].strip()) for i in _zone(lines)})
    least = max(2, math.ceil(len(pages) / 2))
    running = {shape for shape, n in counts.items() if n >= least} if len(pages) > 1 else set()
    cleaned: list[list[str]] = []
    header: str | None = None
    for number, lines in enumerate(pages):
        drop = set()
        for i in _zone(lines):
            line = lines[i].strip()
            if PAGE_NUMBER.fullmatch(line):
                drop.add(i)
            elif _shape(line) in running:
                drop.add(i)
                if number == 0 and header is None and i == _zone(lines)[0]:
                    header = line
        cleaned.append([line for i, line in enumerate(lines) if i not in drop])
    return cleaned, header


def join_line(text: str, line: str) -> tuple[str, int]:
    """`text` with `line` appended (hyphenation undone) and the offset where `line` begins."""
    if HYPHENATED.search(text) and line[:1].islower():
        return text[:-1] + line, len(text) - 1
    return f"{text} {line}", len(text) + 1


def _indents(pages: list[list[str]]) -> list[list[bool]] | None:
    """For each line, whether it is indented past its page's margin (the most common
    indentation of the page's lines); None when the document does not mark paragraphs that way
    (fewer than 2 such lines, or under 3% of its lines, speakers' labels aside)."""
    marks: list[list[bool]] = []
    indented = counted = 0
    for lines in pages:
        depth = [len(line) - len(line.lstrip()) for line in lines]
        filled = [d for d, line in zip(depth, lines, strict=True) if line.strip()]
        margin = Counter(filled).most_common(1)[0][0] if filled else 0
        page = [
            bool(line.strip()) and d >= margin + INDENT
            for d, line in zip(depth, lines, strict=True)
        ]
        marks.append(page)
        for line, mark in zip(lines, page, strict=True):
            if line.strip() and not LABEL.match(line.strip()):
                counted += 1
                indented += mark
    return marks if indented >= 2 and indented >= 0.03 * counted else None


def paragraphs(pages: list[list[str]]) -> list[Block]:
    """Lines joined into paragraphs, each with (offset, page) marks where its pages begin.

    A speaker label always starts a paragraph. Where the document indents its paragraphs' first
    lines (as the Federal Reserve's transcripts do, double-spaced, so that every line has a
    blank line after it), an indented line starts one and every other line continues the one
    before, across blank lines and pages. Elsewhere a blank line (or a page break) ends a
    paragraph unless the text plainly runs on: the line before ends mid-sentence or mid-word and
    the next starts in lower case (layout gaps and page breaks fall inside sentences)."""
    indents = _indents(pages)
    blocks: list[tuple[str, list[tuple[int, int]]]] = []
    for page_number, lines in enumerate(pages, 1):
        broken = True  # a blank line or a page break since the last line
        for n, raw in enumerate(lines):
            line = raw.strip()
            if not line:
                broken = True
                continue
            if LABEL.match(line) or not blocks:
                joins = False
            elif indents is not None:
                joins = not indents[page_number - 1][n]
            elif broken:
                previous = blocks[-1][0]
                joins = line[:1].islower() and (
                    bool(HYPHENATED.search(previous)) or not ends_sentence(previous)
                )
            else:
                joins = True
            if joins:
                text, marks = blocks[-1]
                text, offset = join_line(text, line)
                if marks[-1][1] != page_number:
                    marks.append((offset, page_number))
                blocks[-1] = (text, marks)
            else:
                blocks.append((line, [(0, page_number)]))
            broken = False
    return [Block(text, pages=tuple(marks)) for text, marks in blocks]


def read(path: Path, data: bytes | None = None) -> Reading:
    import io

    import pypdf

    from assistant.readers import court, otter, stamped
    from assistant.readers.subrip import title_from

    # pypdf logs every oddity it repairs; the one-line skip message is what a user needs.
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    def texts(**mode: str) -> list[str]:
        try:
            return [page.extract_text(**mode) or "" for page in reader.pages]
        except Exception as error:  # pypdf raises many kinds on damaged files
            raise ReadError(f"not a readable PDF ({type(error).__name__}: {error})") from None

    try:
        reader = pypdf.PdfReader(io.BytesIO(data) if data is not None else str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("PDF is encrypted with a password")
    except ReadError:
        raise
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise ReadError(f"not a readable PDF ({type(error).__name__}: {error})") from None
    raw = texts(extraction_mode="layout")
    if court.is_court(raw):
        reading = court.read(raw)
        if not reading.blocks:
            raise ReadError("court transcript PDF holds no numbered lines of speech")
        return Reading(reading.title or title_from(path), reading.blocks, dialogue=True)
    # the plain text only for its word spacing, which a court transcript's reading needs not
    pages = [_spaced_lines(page, words) for page, words in zip(raw, texts(), strict=True)]
    cleaned, header = strip_furniture(pages)
    lines = [otter.Line(line.strip(), n) for n, page in enumerate(cleaned, 1) for line in page]
    if otter.is_otter(lines):
        title, turns = otter.blocks(lines)
        return Reading(title or header or title_from(path), tuple(turns), stated=True)
    laid_out = stamped.blocks([x.text for x in lines], [x.page or 0 for x in lines])
    if laid_out is not None:
        before, turns = laid_out
        first = header or (before[0] if before else title_from(path))
        return Reading(first, tuple(turns), stated=True)
    blocks = paragraphs(cleaned)
    if not blocks:
        raise ReadError("PDF holds no extractable text (a scan without a text layer?)")
    return Reading(header, tuple(blocks))
