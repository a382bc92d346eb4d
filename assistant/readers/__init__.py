"""Reading transcripts in the formats they are published in: text, PDF, web pages, Word,
subtitles and JSON, one small module per source shape, chosen by the file's content as well as
its extension (`sniff`).

Each reader lays its document out as canonical text (see `layout`); the index keeps that text,
citations' offsets index it and `Assistant.document_text` returns it. For `.txt`/`.md` it is
the file itself. Where the format states who speaks (subtitles, speech-to-text JSON, Otter
exports, podcast pages, Markdown speaker headings) the paragraphs and their speakers come
straight from the reader (`transcript_from_turns`); elsewhere the text is parsed for labels
(`parse_transcript`), and a speech that labels nothing takes the speaker its page names
(`byline`). Pages (PDF, and the files of a document published over several files) and times
(subtitles, JSON) are kept as offsets into the text, so every paragraph and passage can say
"p. 7" or "00:14:32". A file that cannot be read raises `ReadError` with a one-line reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.readers import byline, furniture, parts
from assistant.readers.encoding import decode
from assistant.readers.layout import Block, Canonical, ReadError, Reading, render
from assistant.readers.sniff import kind
from assistant.transcripts import (
    STATEMENT,
    Transcript,
    parse_transcript,
    transcript_from_turns,
)

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


def read_reading(path: Path, data: bytes | None = None) -> Reading:
    """The blocks of one file that is not plain text, by its content and extension."""
    data = path.read_bytes() if data is None else data
    found = kind(path, data)
    if found == "pdf":
        from assistant.readers import pdf

        return pdf.read(path, data)
    if found == "docx":
        from assistant.readers import word

        return word.read(path, data)
    if not data.strip():
        raise ReadError("empty file")
    if found == "html":
        from assistant.readers import webpage

        return webpage.read(path, data)
    text = decode(data)
    if found == "srt":
        from assistant.readers import subrip

        return subrip.read(path, text)
    if found == "vtt":
        from assistant.readers import vtt

        return vtt.read(path, text)
    if found == "json":
        from assistant.readers import speech_json

        return speech_json.read(path, text)
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
    return Reading(
        first.title,
        tuple(blocks),
        stated=all(r.stated for r in readings),
        dialogue=all(r.dialogue for r in readings),
    )


def as_statements(transcript: Transcript) -> Transcript:
    """Every paragraph a statement, answering nothing (a `dialogue`, see `layout.Reading`)."""
    return replace(
        transcript,
        paragraphs=tuple(replace(p, role=STATEMENT, question=None) for p in transcript.paragraphs),
    )


def read_paths(paths: Sequence[Path], document: str) -> ReadDocument:
    """Read a document (one file, or the files of one document in page order) and parse it.
    Raises ValueError (ReadError) saying why when it is not a usable transcript."""
    datas = [path.read_bytes() for path in paths]
    if len(paths) == 1 and kind(paths[0], datas[0]) == "text":
        from assistant.readers import plain

        canonical = plain.read(datas[0], document)
    else:
        readings = [read_reading(path, data) for path, data in zip(paths, datas, strict=True)]
        canonical = render(readings[0] if len(readings) == 1 else join_parts(readings))
    if canonical.turns is not None:
        transcript = transcript_from_turns(
            canonical.text, canonical.turns, document, canonical.title or ""
        )
    else:
        transcript = byline.attribute(parse_transcript(canonical.text, document), canonical.text)
    transcript = furniture.tidy(
        transcript, markdown=len(paths) == 1 and paths[0].suffix.lower() in (".md", ".markdown")
    )
    if canonical.dialogue:
        transcript = as_statements(transcript)
    if not transcript.paragraphs:
        raise ReadError("no paragraphs of speech found")
    paragraphs = tuple(
        replace(p, page=canonical.page_at(p.start), time=canonical.time_at(p.start))
        for p in transcript.paragraphs
    )
    return ReadDocument(canonical, replace(transcript, paragraphs=paragraphs))
