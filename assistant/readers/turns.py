"""JSON transcripts (`.json`): speaker turns, or speech-to-text segments.

Two shapes are read (UTF-8 JSON):

1. A list of turns, each one paragraph::

       [{"speaker": "Chair Powell", "text": "Good afternoon.", "start": 12.5, "end": 15.0},
        {"speaker": "Howard Schneider", "text": "Thank you, Mr. Chair."}]

   or the same list under `"turns"` in an object that may also give a `"title"`:
   `{"title": "Press conference, May 3, 2023", "turns": [...]}`.

2. The speech-to-text shape (Whisper, WhisperX and similar), whose segments are fragments that
   are merged into paragraphs like subtitle cues (new paragraph on a change of speaker or a
   pause)::

       {"title": "...", "segments": [{"speaker": "SPEAKER_00", "text": " So,", "start": 0.0,
                                      "end": 0.8}, ...]}

`text` is required; `speaker`, `start` and `end` are optional. Times are seconds (numbers) or
`"HH:MM:SS[.fff]"` strings; a paragraph's time is its first turn's `start`. A turn without a
speaker continues the previous speaker's turn. Without a `"title"` the file name is the title.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.readers.cues import Cue, merge_cues
from assistant.readers.layout import Block, ReadError, Reading, clock, one_line
from assistant.readers.subrip import title_from

_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)")


def seconds(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ReadError(f"{where}: a time must be seconds or HH:MM:SS, not {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        m = _CLOCK.fullmatch(value.strip())
        if m:
            hours, minutes, secs = m.groups()
            return int(hours or 0) * 3600 + int(minutes) * 60 + float(secs.replace(",", "."))
    raise ReadError(f"{where}: a time must be seconds or HH:MM:SS, not {value!r}")


def _items(data: object) -> tuple[str | None, list, bool]:
    """(title, items, are_segments) of either shape; ReadError for anything else."""
    if isinstance(data, list):
        return None, data, False
    if isinstance(data, dict):
        title = data.get("title")
        title = one_line(title) if isinstance(title, str) and title.strip() else None
        if isinstance(data.get("turns"), list):
            return title, data["turns"], False
        if isinstance(data.get("segments"), list):
            return title, data["segments"], True
    raise ReadError(
        'JSON transcript must be a list of {"speaker", "text", "start", "end"} turns, '
        'or an object with a "turns" or "segments" list'
    )


def read(path: Path, text: str) -> Reading:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(f"not valid JSON: {error}") from None
    title, items, segments = _items(data)
    cues: list[Cue] = []
    for n, item in enumerate(items, 1):
        where = f"turn {n}"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ReadError(f'{where}: expected an object with a "text" string')
        speaker = item.get("speaker")
        if speaker is not None and not isinstance(speaker, str):
            raise ReadError(f'{where}: "speaker" must be a string')
        cues.append(
            Cue(
                seconds(item.get("start"), where),
                seconds(item.get("end"), where),
                item["text"],
                one_line(speaker) or None if speaker else None,
            )
        )
    if segments:
        blocks = merge_cues(cues)
    else:
        blocks = [
            Block(
                one_line(c.text),
                c.speaker,
                times=((0, clock(c.start)),) if c.start is not None else (),
            )
            for c in cues
            if c.text.strip()
        ]
    if not blocks:
        raise ReadError("JSON transcript holds no text")
    return Reading(title or title_from(path), tuple(blocks))
