"""WebVTT subtitles (`.vtt`), read with `webvtt-py`.

Cue ids are optional and times may leave out the hours (`00:02.000`). `<v Speaker>` voice tags
(closed or not) name the speakers, as do the labels `captions` reads; other cue tags are
dropped. Cues are merged into paragraphs by `cues.merge_cues`; each keeps its start time.
"""

from __future__ import annotations

from pathlib import Path

from assistant.readers import captions
from assistant.readers.cues import merge_cues
from assistant.readers.layout import ReadError, Reading
from assistant.readers.subrip import title_from


def read(path: Path, text: str) -> Reading:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        parsed = webvtt.WebVTT.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError, ValueError, OverflowError) as error:
        raise ReadError(f"not valid WebVTT subtitles: {error}") from None
    lines = [
        line
        for caption in parsed
        for line in captions.caption_lines(
            caption.raw_text,
            caption.start_time.in_milliseconds() / 1000,
            caption.end_time.in_milliseconds() / 1000,
        )
    ]
    cues = captions.cues(lines)
    if not cues:
        raise ReadError("WebVTT file holds no caption text")
    return Reading(title_from(path), tuple(merge_cues(cues)), stated=True)
