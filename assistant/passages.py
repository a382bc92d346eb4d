"""Cutting paragraphs into passages: verbatim, contiguous, bounded spans of one paragraph.

all-MiniLM-L6-v2 reads only 256 word pieces, and FOMC opening statements run past 1,500 words,
so long paragraphs are split at sentence boundaries into windows of at most `max_words` words,
each window overlapping the previous by one sentence. In scripts written without spaces each
character counts as a word and `。！？` end sentences, so a Chinese paragraph is cut into
windows the model reads whole too. What is embedded may add context (speaker,
title, date, the question answered); `text` is always the exact source span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.tokens import UNIT, has_cjk
from assistant.transcripts import ANSWER, Paragraph, Transcript

MAX_WORDS = 120
CONTEXT_QUESTION_WORDS = 40

_ABBREVIATIONS = {
    "mr",
    "ms",
    "mrs",
    "dr",
    "st",
    "jr",
    "sr",
    "vs",
    "no",
    "sen",
    "rep",
    "gov",
    "gen",
    "lt",
    "col",
    "prof",
    "inc",
    "co",
    "corp",
    "ltd",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "etc",
    "a.m",
    "p.m",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "d.c",
}
# (the look-behind starts a match only at the first mark of a run: linear on "....." runs)
# Chinese and Japanese end sentences with full-width marks and no space after them.
_SENTENCE_END = re.compile(
    r"(?<![.!?…])[.!?…]++[\"”’')\]]*+(?=\s+[\"“‘'(\[]?[A-Z0-9¿¡]|\s*$)"
    r"|(?<![。！？])[。！？]++[」』”’）)\]]*+"
)
_WORD = UNIT  # what a window counts: words, and each character of Chinese or Japanese


@dataclass(frozen=True)
class Chunk:
    """One indexed passage: `text == source[start:end]`, inside paragraph `paragraph`."""

    document: str
    paragraph: int
    start: int
    end: int
    text: str
    speaker: str | None
    role: str
    question: int | None = None
    page: int | None = None  # page the passage starts on, when the format has pages
    time: str | None = None  # "HH:MM:SS" the passage starts at, when the format has times


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `text`, stripped, covering all its words."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        before = text[start : m.start()].rsplit(None, 1)
        last_word = before[-1].lower().strip('"“(') if before else ""
        if m.group(0).startswith(".") and (
            last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())
        ):
            continue  # "Mr. Earnest", "U.S. economy", "J. Powell"
        spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            out.append((s + lead, s + trail))
    return out


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def _windows(text: str, max_words: int) -> list[tuple[int, int]]:
    """Sentence-aligned windows of at most `max_words` words, overlapping by one sentence."""
    sentences: list[tuple[int, int, int]] = []  # start, end, words
    for s, e in split_sentences(text):
        words = _word_spans(text[s:e])
        # A sentence longer than a window is cut at word boundaries.
        for i in range(0, len(words), max_words):
            part = words[i : i + max_words]
            sentences.append((s + part[0][0], s + part[-1][1], len(part)))
    windows: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        j, words = i, 0
        while j < len(sentences) and (words + sentences[j][2] <= max_words or j == i):
            words += sentences[j][2]
            j += 1
        windows.append((sentences[i][0], sentences[j - 1][1]))
        if j >= len(sentences):
            break
        i = j - 1 if j - 1 > i else j  # overlap by the last sentence
    return windows


def chunk_paragraph(paragraph: Paragraph, document: str, max_words: int = MAX_WORDS) -> list[Chunk]:
    """The passages of one paragraph: the whole paragraph when short, else sentence windows."""
    text = paragraph.text
    spans = [(0, len(text))] if len(_WORD.findall(text)) <= max_words else _windows(text, max_words)
    return [
        Chunk(
            document=document,
            paragraph=paragraph.index,
            start=paragraph.start + s,
            end=paragraph.start + e,
            text=text[s:e],
            speaker=paragraph.speaker,
            role=paragraph.role,
            question=paragraph.question,
        )
        for s, e in spans
    ]


def chunk_transcript(transcript: Transcript, max_words: int = MAX_WORDS) -> list[Chunk]:
    return [
        chunk
        for paragraph in transcript.paragraphs
        for chunk in chunk_paragraph(paragraph, transcript.document, max_words)
    ]


def _clip_words(text: str, limit: int) -> str:
    if not has_cjk(text):
        words = text.split()
        return " ".join(words[:limit]) + (" …" if len(words) > limit else "")
    units = list(_WORD.finditer(text))
    if len(units) <= limit:
        return " ".join(text.split())
    return " ".join(text[: units[limit - 1].end()].split()) + " …"


def embedding_text(chunk: Chunk, transcript: Transcript) -> str:
    """What the model reads for a chunk: its context (title, date, speaker, the question it
    answers) before its verbatim text. Only retrieval sees this; users see `chunk.text`."""
    parts = [transcript.title]
    if chunk.speaker:
        parts.append(f"{chunk.speaker}:")
    head = " ".join(parts)
    if chunk.role == ANSWER and chunk.question:
        question = transcript.paragraphs[chunk.question - 1].text
        head += f" (asked: {_clip_words(question, CONTEXT_QUESTION_WORDS)})"
    return f"{head} {chunk.text}"


def lexical_text(chunk: Chunk, transcript: Transcript) -> str:
    """What BM25 reads for a chunk: its text and the question it answers. Not its speaker's
    label: a meeting's labels are also its topics' words ("Industrial Designer", "Marketing",
    "User Interface"), so a question about the design matched every turn of the designer; a
    question naming a speaker finds their turns by the speaker boost."""
    parts = [chunk.text]
    if chunk.role == ANSWER and chunk.question:
        parts.append(transcript.paragraphs[chunk.question - 1].text)
    return " ".join(p for p in parts if p)
