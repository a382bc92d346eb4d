"""WebVTT subtitles (`.vtt`), read with `webvtt-py`.

`<v Speaker>` voice tags name the speakers (each line of a cue may have its own); other cue
tags are dropped. Cues are merged into paragraphs by `cues.merge_cues`; each keeps its start
time.
"""

from __future__ import annotations

from pathlib import Path

from assistant.readers.cues import merge_cues
from assistant.readers.layout import ReadError, Reading
from assistant.readers.subrip import caption_cues, title_from


def read(path: Path, text: str) -> Reading:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        captions = webvtt.WebVTT.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError, ValueError) as error:
        raise ReadError(f"not valid WebVTT subtitles: {error}") from None
    cues = [
        cue
        for caption in captions
        for cue in caption_cues(
            caption.raw_text,
            caption.start_time.in_milliseconds() / 1000,
            caption.end_time.in_milliseconds() / 1000,
        )
    ]
    if not cues:
        raise ReadError("WebVTT file holds no caption text")
    return Reading(title_from(path), tuple(merge_cues(cues)))
