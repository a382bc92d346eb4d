"""Speech-to-text segments: Whisper, WhisperX, whisper-timestamped, faster-whisper and
whisper-ctranslate2 JSON.

    {"text": "...", "language": "en",
     "segments": [{"start": 0.0, "end": 2.0, "text": " Hola, bon dia.", "speaker": "SPEAKER_01",
                   "words": [...]}, ...]}

Segments are fragments of sentences: they are merged into paragraphs like subtitle cues (a new
paragraph where the speaker changes or after a pause). `speaker` (WhisperX, pyannote) is kept
as given: `SPEAKER_00` stays `SPEAKER_00`.
"""

from __future__ import annotations

from assistant.readers.cues import Cue, merge_cues, seconds
from assistant.readers.layout import Block, ReadError
from assistant.readers.words import stated_name


def matches(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("segments"), list)


def read(data: dict) -> list[Block]:
    cues: list[Cue] = []
    for n, item in enumerate(data["segments"], 1):
        where = f"segment {n}"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ReadError(f'{where}: expected an object with a "text" string')
        cues.append(
            Cue(
                seconds(item.get("start"), where),
                seconds(item.get("end"), where),
                item["text"],
                stated_name(item.get("speaker")),
            )
        )
    return merge_cues(cues, rolling=False)
