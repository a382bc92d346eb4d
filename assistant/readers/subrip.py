"""SubRip subtitles (`.srt`), read with the `srt` library.

Cue text loses its styling tags (`<i>`, `{\\an8}`); speakers are found as `captions` says (a
`<v Name>` tag, a `[SPEAKER_00]: ` or `Travis: ` label, `>>` for a change of speaker) and taken
as stated. Cues are merged into paragraphs by `cues.merge_cues`; each keeps its start time.
"""

from __future__ import annotations

from pathlib import Path

from assistant.readers import captions
from assistant.readers.cues import merge_cues
from assistant.readers.layout import ReadError, Reading, one_line


def title_from(path: Path) -> str:
    return one_line(path.stem.replace("_", " "))


def read(path: Path, text: str) -> Reading:
    import srt

    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, ValueError, OverflowError) as error:
        raise ReadError(f"not valid SRT subtitles: {error}") from None
    lines = [
        line
        for sub in subtitles
        for line in captions.caption_lines(
            sub.content, sub.start.total_seconds(), sub.end.total_seconds()
        )
    ]
    cues = captions.cues(lines)
    if not cues:
        raise ReadError("SRT file holds no subtitle text")
    return Reading(title_from(path), tuple(merge_cues(cues)), stated=True)
