"""Rev.ai's transcript JSON (`Accept: application/vnd.rev.transcript.v1.0+json`).

    {"monologues": [{"speaker": 0, "speaker_name": "Jane",
                     "elements": [{"type": "text", "value": "Hello", "ts": 0.5, "end_ts": 0.9},
                                  {"type": "punct", "value": ","}, {"type": "punct", "value": " "}]}]}

Each monologue is one speaker's turn: its elements' values, concatenated, are the text (the
spaces are elements too); `speaker_name` when given, else `Speaker 0`.
"""

from __future__ import annotations

from assistant.readers.cues import merge_cues, seconds
from assistant.readers.layout import Block, ReadError
from assistant.readers.words import Word, sentence_cues, stated_name


def matches(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("monologues"), list)


def read(data: dict) -> list[Block]:
    words: list[Word] = []
    for n, monologue in enumerate(data["monologues"], 1):
        where = f"monologue {n}"
        elements = monologue.get("elements") if isinstance(monologue, dict) else None
        if not isinstance(elements, list):
            raise ReadError(f'{where}: expected an object with "elements"')
        speaker = stated_name(monologue.get("speaker_name")) or stated_name(
            monologue.get("speaker")
        )
        for element in elements:
            if not isinstance(element, dict) or not isinstance(element.get("value"), str):
                raise ReadError(f'{where}: an element without a "value" string')
            words.append(
                Word(
                    element["value"],
                    seconds(element.get("ts"), where),
                    seconds(element.get("end_ts"), where),
                    speaker,
                    glued=True,
                )
            )
    return merge_cues(sentence_cues(words), rolling=False)
