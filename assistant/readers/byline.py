"""The speaker a page names once, for a speech that labels no paragraph.

A speech published on a web page, in a PDF or a text file often has no labels at all: the page
says whose it is above the text (`Remarks by Governor Laurence H. Meyer`, `Testimony of ...`,
`Speech by ...`). When no paragraph of a transcript has a speaker and none asks a question,
that name, found in the title or the lines before the first paragraph, is every paragraph's
speaker, as the page states it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.transcripts import QUESTION, Transcript

_NAME_WORD = r"(?:[A-Z][\w'’\-]*\.?|de|da|van|von|der|den|la|le|du)"
BYLINE = re.compile(
    r"\b(?:Remarks|Speech|Address|Statement|Testimony|Lecture|Keynote|Comments)"
    r"(?:[ \t]+as[ \t]+prepared[ \t]+for[ \t]+delivery)?[ \t]+(?:by|of|from)[ \t]+"
    rf"(?:the[ \t]+)?(?P<name>[A-Z][\w'’\-]*\.?(?:[ \t]+{_NAME_WORD}){{0,5}})"
)
FRONT = 2000  # characters before the first paragraph looked at


def speaker(transcript: Transcript, text: str) -> str | None:
    """The speaker the byline names, when the transcript names none itself."""
    paragraphs = transcript.paragraphs
    if not paragraphs or any(p.speaker or p.role == QUESTION for p in paragraphs):
        return None
    front = text[max(paragraphs[0].start - FRONT, 0) : paragraphs[0].start]
    for where in (front, transcript.title):
        m = BYLINE.search(where)
        if m:
            name = m["name"].strip()
            while name.split()[-1] in ("de", "da", "van", "von", "der", "den", "la", "le", "du"):
                name = name.rsplit(None, 1)[0]
            return name.rstrip(".") if not re.search(r"\b[A-Z]\.$", name) else name
    return None


def attribute(transcript: Transcript, text: str) -> Transcript:
    """`transcript` with its byline's speaker on every paragraph (see the module's docstring)."""
    name = speaker(transcript, text)
    if name is None:
        return transcript
    return replace(
        transcript, paragraphs=tuple(replace(p, speaker=name) for p in transcript.paragraphs)
    )
