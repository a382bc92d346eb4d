"""JSON turns: a list of paragraphs each with its speaker, the shape a person or a script writes.

    [{"speaker": "Chair Powell", "text": "Good afternoon.", "start": 12.5, "end": 15.0},
     {"speaker": "Howard Schneider", "text": "Thank you, Mr. Chair."}]

or the same list under `"turns"` in an object that may also give a `"title"`. `text` is
required; `speaker` (a name, or a number shown as `Speaker 2`), `start` and `end` are optional.
Times are seconds or `"HH:MM:SS[.fff]"`; a paragraph's time is its `start`. A turn without a
speaker continues the previous speaker's turn.
"""

from __future__ import annotations

from assistant.readers.cues import seconds
from assistant.readers.layout import Block, ReadError, clock, one_line
from assistant.readers.words import stated_name


def matches(data: object) -> bool:
    items = data.get("turns") if isinstance(data, dict) else data
    return (
        isinstance(items, list)
        and bool(items)
        and all(isinstance(item, dict) for item in items[:50])
        and any("text" in item for item in items[:50])
    )


def read(data: object) -> list[Block]:
    items = data["turns"] if isinstance(data, dict) else data
    assert isinstance(items, list)
    blocks: list[Block] = []
    speaker: str | None = None
    for n, item in enumerate(items, 1):
        where = f"turn {n}"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ReadError(f'{where}: expected an object with a "text" string')
        stated = item.get("speaker", item.get("speaker_name"))
        if stated is not None and stated_name(stated) is None and stated != "":
            raise ReadError(f'{where}: "speaker" must be a name or a number')
        speaker = stated_name(stated) or speaker
        start = seconds(item.get("start"), where)
        seconds(item.get("end"), where)
        text = one_line(item["text"])
        if text:
            times = ((0, clock(start)),) if start is not None else ()
            blocks.append(Block(text, speaker, times=times))
    return blocks
