"""Who speaks in subtitle captions (SubRip and WebVTT alike).

Captions name speakers in several ways, all taken as stated:

- a WebVTT voice tag, `<v Mayor Ruiz>` (closed or not, with classes: `<v.loud Ruiz>`);
- a label opening a caption line: `[SPEAKER_00]: ` (diarised output), `TRAVIS: `, `Travis: `,
  `Sen. Warren (D-MA): `. A label in mixed case must recur at the start of captions in the file
  (a podcast names the speaker on the first caption of each turn only), so a caption that opens
  with `Second: ` or `Note: ` is not read as a speaker; a guest labelled once (`Jane Doe: `,
  two words or more) is a speaker in a file whose captions are labelled;
- `>>` or `- ` opening a line: someone else speaks (broadcast captions), name unknown unless a
  label follows.

A caption without any of these continues the current speaker's turn.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.readers.cues import Cue
from assistant.readers.layout import one_line

VOICE = re.compile(r"<v(?:\.[\w.-]+)*[ \t]+([^>]+)>")
TAGS = re.compile(r"<[^>]*>|\{\\[^}]*\}")
TURN = re.compile(r"^\s*(?:>>+|-\s)\s*")
_BRACKETED = re.compile(r"\[(?P<name>[^\]\n]{1,60})\][ \t]*(?P<colon>:)?[ \t]*")
_NAME_WORD = r"(?:[^\W\d_][\w.'’\-]*|\d+|\([^()\n]{1,20}\)|#\d+)"
_LABEL = re.compile(rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,4}})[ \t]*:[ \t]+(?=\S)")
_DIARISED = re.compile(r"(?:SPEAKER|Speaker|speaker|SPK|spk)[ _-]?\w{1,3}")
_NOT_NAMES = {"note", "notes", "yes", "no", "so", "well", "okay", "ok", "and", "but", "or", "now"}


@dataclass(frozen=True)
class Line:
    """One line of a caption: its voice (a `<v>` tag), whether it opens with `>>`, its label
    candidate (`name`; `strong` when bracketed with a colon or in capitals) and its text."""

    start: float | None
    end: float | None
    voice: str | None
    turn: bool
    name: str | None
    strong: bool  # bracketed with a colon, or all capitals: a label wherever it stands
    text: str  # after the label, when it is one
    raw: str  # the line's text with the label left in, when it is not


def _candidate(text: str) -> tuple[str | None, bool, str]:
    """(label name, strong, text after it) of a caption line, or (None, False, text)."""
    m = _BRACKETED.match(text)
    if m and (m["colon"] or _DIARISED.fullmatch(m["name"].strip())):
        return one_line(m["name"]), True, text[m.end() :]
    m = _LABEL.match(text)
    if m:
        name = one_line(m["name"])
        letters = [c for c in name if c.isalpha()]
        capitals = bool(letters) and all(c.isupper() for c in letters) and len(letters) > 1
        words = [w for w in name.split() if w[:1].isalpha()]
        titled = bool(words) and all(w[:1].isupper() for w in words)
        if (titled or _DIARISED.fullmatch(name)) and name.lower() not in _NOT_NAMES:
            return name, capitals or bool(_DIARISED.fullmatch(name)), text[m.end() :]
    return None, False, text


def caption_lines(raw: str, start: float | None, end: float | None) -> list[Line]:
    """The lines of one caption's raw text, tags removed, each with its speaker cues."""
    lines: list[Line] = []
    for line in raw.split("\n"):
        voice = VOICE.search(line)
        text = TAGS.sub("", line)
        turn = TURN.match(text)
        if turn:
            text = text[turn.end() :]
        text = text.strip()
        name, strong, rest = _candidate(text)
        if not text:
            continue
        lines.append(
            Line(
                start,
                end,
                one_line(voice.group(1)) if voice else None,
                bool(turn),
                name,
                strong,
                rest,
                text,
            )
        )
    return lines


def cues(lines: Iterable[Line]) -> list[Cue]:
    """Cues with speakers (see the module's docstring): one per speaker within a caption."""
    lines = list(lines)
    counts = Counter(line.name for line in lines if line.name and not line.voice)
    # A file whose captions are labelled also labels a guest who speaks once (`Jane Doe: `).
    labelled = any(n >= 2 for n in counts.values()) or any(line.strong for line in lines)

    def is_label(line: Line) -> bool:
        if not line.name or line.voice:
            return False
        if line.strong or counts[line.name] >= 2:
            return True
        return labelled and len(line.name.split()) >= 2

    out: list[Cue] = []
    previous: tuple[float | None, float | None] | None = None
    for line in lines:
        speaker = line.voice
        text = line.raw
        if is_label(line):
            speaker, text = line.name, line.text
        text = one_line(text)
        if not text:
            continue
        same_caption = previous == (line.start, line.end)
        if out and same_caption and speaker is None and not line.turn:
            last = out[-1]
            out[-1] = Cue(last.start, last.end, f"{last.text} {text}", last.speaker, last.new_turn)
        else:
            out.append(Cue(line.start, line.end, text, speaker, line.turn))
        previous = (line.start, line.end)
    return out
