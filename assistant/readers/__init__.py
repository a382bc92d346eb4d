"""Reading transcripts in the formats they are published in: text, PDF, web pages, Word,
subtitles and JSON, one small module per format.

Each reader lays its document out as canonical text (see `layout`), which the one transcript
parser reads; the index keeps that text, citations' offsets index it and
`Assistant.document_text` returns it. For `.txt`/`.md` it is the file itself. Pages (PDF, and
the files of a document published over several files) and times (subtitles, JSON) are kept as
offsets into it, so every paragraph and passage can say "p. 7" or "00:14:32".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.readers import parts
from assistant.readers.layout import Block, Canonical, ReadError, Reading, render
from assistant.transcripts import Transcript, parse_transcript

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".html", ".htm", ".docx", ".srt", ".vtt", ".json")
GROUPED_SUFFIXES = parts.GROUPED_SUFFIXES

__all__ = [
    "SUFFIXES",
    "TEXT_SUFFIXES",
    "Block",
    "Canonical",
    "ReadDocument",
    "ReadError",
    "Reading",
    "read_paths",
]


@dataclass(frozen=True)
class ReadDocument:
    """A document as read: its canonical text, its parsed transcript (paragraphs carry their
    page and time) and where pages and times begin in the text."""

    canonical: Canonical
    transcript: Transcript

    @property
    def text(self) -> str:
        return self.canonical.text

    def page_at(self, offset: int) -> int | None:
        return self.canonical.page_at(offset)

    def time_at(self, offset: int) -> str | None:
        return self.canonical.time_at(offset)


def _decode_subtitles(data: bytes) -> str:
    """UTF-8 (BOM allowed); older SRT files are often Windows-1252."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_reading(path: Path) -> Reading:
    """The blocks of one non-text file, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from assistant.readers import pdf

        return pdf.read(path)
    if suffix == ".docx":
        from assistant.readers import word

        return word.read(path)
    data = path.read_bytes()
    if not data.strip():
        raise ReadError("empty file")
    if suffix in (".html", ".htm"):
        from assistant.readers import webpage

        return webpage.read(path, data)
    if suffix == ".srt":
        from assistant.readers import subrip

        return subrip.read(path, _decode_subtitles(data))
    if suffix == ".vtt":
        from assistant.readers import vtt

        return vtt.read(path, _decode_subtitles(data))
    if suffix == ".json":
        from assistant.readers import turns

        return turns.read(path, _decode_subtitles(data))
    raise ReadError(f"unsupported file type {path.suffix or '(none)'}")


def join_parts(readings: Sequence[Reading]) -> Reading:
    """One document from its files in page order: file n's blocks are on page n (a PDF's pages
    continue the count), and a heading repeated at the top of every file is read once."""
    blocks: list[Block] = []
    first = readings[0]
    last_page = 0
    for n, reading in enumerate(readings):
        own = list(reading.blocks)
        if n and own and own[0].text == first.blocks[0].text:
            own = own[1:]
        base = last_page
        for block in own:
            pages = tuple((o, p + base) for o, p in block.pages) or ((0, base + 1),)
            last_page = max(last_page, *(p for _, p in pages))
            blocks.append(replace(block, pages=pages))
        last_page = max(last_page, base + 1)
    return Reading(first.title, tuple(blocks))


def read_paths(paths: Sequence[Path], document: str) -> ReadDocument:
    """Read a document (one file, or the files of one document in page order) and parse it.
    Raises ValueError (ReadError) saying why when it is not a usable transcript."""
    if len(paths) == 1 and paths[0].suffix.lower() in TEXT_SUFFIXES:
        from assistant.readers import plain

        canonical = plain.read(paths[0].read_bytes(), document)
    else:
        readings = [read_reading(path) for path in paths]
        canonical = render(readings[0] if len(readings) == 1 else join_parts(readings))
    transcript = parse_transcript(canonical.text, document)
    if not transcript.paragraphs:
        raise ReadError("no paragraphs of speech found")
    paragraphs = tuple(
        replace(p, page=canonical.page_at(p.start), time=canonical.time_at(p.start))
        for p in transcript.paragraphs
    )
    return ReadDocument(canonical, replace(transcript, paragraphs=paragraphs))
