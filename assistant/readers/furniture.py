"""Notes of the record that are not speech, taken out of paragraphs after they are read.

A transcript of interpreted speech opens turns with `(As interpreted.)` (also `(Through an
interpreter.)`, `(As translated.)`): a note on how the words reached the record, not words
anyone said, so a paragraph's span starts after it (the note stays in the canonical text). A
paragraph with no letter or digit (`-----`, `* * *`) is a separator, not a paragraph, and in
Markdown a heading (`## Outlook`) is a section's name, not speech.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.transcripts import Paragraph, Transcript

NOTE = re.compile(
    r"\((?:as\s+interpreted|as\s+translated|interpreted|translated|"
    r"(?:through|via)\s+(?:an?\s+)?(?:interpreter|translator|interpretation))\.?\)\.?\s*",
    re.IGNORECASE,
)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_HEADING = re.compile(r"#{1,6}[ \t]")


def _trimmed(paragraph: Paragraph, markdown: bool) -> Paragraph | None:
    """The paragraph without its opening notes; None when nothing of speech is left."""
    if markdown and _HEADING.match(paragraph.text):
        return None
    skip = 0
    while m := NOTE.match(paragraph.text, skip):
        skip = m.end()
    text = paragraph.text[skip:]
    if not _LETTER_OR_DIGIT.search(text):
        return None
    if not skip:
        return paragraph
    return replace(paragraph, start=paragraph.start + skip, text=text)


def tidy(transcript: Transcript, markdown: bool = False) -> Transcript:
    """`transcript` without the notes above; paragraphs renumbered, answers still pointing at
    the questions they follow."""
    kept = [(p.index, t) for p in transcript.paragraphs if (t := _trimmed(p, markdown)) is not None]
    if len(kept) == len(transcript.paragraphs) and all(
        a is b for (_, a), b in zip(kept, transcript.paragraphs, strict=True)
    ):
        return transcript
    number = {old: new for new, (old, _) in enumerate(kept, 1)}
    paragraphs = tuple(
        replace(p, index=number[old], question=number.get(p.question) if p.question else None)
        for old, p in kept
    )
    return replace(transcript, paragraphs=paragraphs)
