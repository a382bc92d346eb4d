"""SubRip subtitles (`.srt`), read with the `srt` library.

Cue text loses its styling tags (`<i>`, `{\\an8}`); a WebVTT-style `<v Name>` voice tag or a
leading capitalised `NAME:` names the speaker, and a leading `>>` or `- ` marks a change of
speaker. Cues are merged into paragraphs by `cues.merge_cues`; each keeps its start time.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.readers.cues import Cue, merge_cues
from assistant.readers.layout import ReadError, Reading, one_line

VOICE = re.compile(r"<v(?:\.[\w.-]+)*\s+([^>]+)>")
TAGS = re.compile(r"<[^>]*>|\{\\[^}]*\}")
TURN = re.compile(r"^\s*(?:>>+|-\s)\s*")
CAPS_LABEL = re.compile(r"^([A-Z][A-Z.'’\- ]{1,40}[A-Z.]):\s+")


def caption_cues(raw: str, start: float | None, end: float | None) -> list[Cue]:
    """One cue per voice in a caption's raw text (a caption may hold two speakers' lines)."""
    cues: list[Cue] = []
    for line in raw.split("\n"):
        speaker = None
        voice = VOICE.search(line)
        if voice:
            speaker = one_line(voice.group(1))
        text = TAGS.sub("", line)
        turn = TURN.match(text)
        if turn:
            text = text[turn.end() :]
        label = CAPS_LABEL.match(text)
        if label and not speaker:
            speaker, text = label.group(1).strip(), text[label.end() :]
        text = one_line(text)
        if not text:
            continue
        if cues and speaker is None and not turn:
            cues[-1] = Cue(
                start, end, f"{cues[-1].text} {text}", cues[-1].speaker, cues[-1].new_turn
            )
        else:
            cues.append(Cue(start, end, text, speaker, bool(turn)))
    return cues


def title_from(path: Path) -> str:
    return one_line(path.stem.replace("_", " "))


def read(path: Path, text: str) -> Reading:
    import srt

    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as error:
        raise ReadError(f"not valid SRT subtitles: {error}") from None
    cues = [
        cue
        for sub in subtitles
        for cue in caption_cues(sub.content, sub.start.total_seconds(), sub.end.total_seconds())
    ]
    if not cues:
        raise ReadError("SRT file holds no subtitle text")
    return Reading(title_from(path), tuple(merge_cues(cues)))
