"""Markdown interviews whose speakers are headings or bold labels, read from the file's text.

    # Interview with a business process manager

    ### Interviewer
    How do you decide which processes to automate first?

    ### Business Process Manager
    We start with the ones that fail most often.

Headings of one level are speakers when names recur: fewer distinct headings than half their
count (`### Interviewer` heads many turns; `### Methods`, `### Results` are sections). A turn is
every paragraph under its heading up to the next heading; text before the first speaker
heading, or under another heading, is not speech. `**Interviewer:** text` (or
`**Interviewer**: text`) labels opening paragraphs are read the same way when a name recurs.
The spans index the file's text exactly (the canonical text of a `.md` file is the file).
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.transcripts import Turn

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_BOLD_LABEL = re.compile(r"\*\*(?P<name>[^*\n:]{1,60}?)(?::\*\*|\*\*:)[ \t]*")
_PARAGRAPH = re.compile(r"\S[^\n]*(?:\n[ \t]*\S[^\n]*)*")


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the blank-line separated paragraphs of text[start:end]."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text, start, end)]


def _heading_turns(text: str) -> list[Turn] | None:
    headings = list(_HEADING.finditer(text))
    by_level: dict[int, list[re.Match[str]]] = {}
    for m in headings:
        by_level.setdefault(len(m.group(1)), []).append(m)
    speaker_level = None
    for level, found in sorted(by_level.items()):
        names = Counter(m.group(2).strip() for m in found)
        if len(found) >= 2 and len(names) * 2 <= len(found):
            speaker_level = level
            break
    if speaker_level is None:
        return None
    turns: list[Turn] = []
    for n, m in enumerate(headings):
        if len(m.group(1)) != speaker_level:
            continue
        end = headings[n + 1].start() if n + 1 < len(headings) else len(text)
        name = m.group(2).strip().rstrip(":").strip()
        turns.extend(Turn(s, e, name) for s, e in _paragraphs(text, m.end(), end))
    return turns


def _label_turns(text: str) -> list[Turn] | None:
    spans = _paragraphs(text, 0, len(text))
    labels = [(s, e, _BOLD_LABEL.match(text, s)) for s, e in spans]
    names = Counter(m["name"].strip() for _, _, m in labels if m)
    if not names or names.most_common(1)[0][1] < 2:
        return None
    turns: list[Turn] = []
    speaker: str | None = None
    for start, end, m in labels:
        if m:
            speaker = m["name"].strip()
            start = m.end()
        if speaker is not None and start < end:
            turns.append(Turn(start, end, speaker))
    return turns


def turns(text: str) -> list[Turn] | None:
    """The speaker turns of a Markdown interview, or None when speakers are not laid out as
    headings or bold labels (the text is then parsed as a plain transcript)."""
    return _heading_turns(text) or _label_turns(text)
