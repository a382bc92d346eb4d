"""Timed fragments (subtitle cues, speech-to-text segments) merged into paragraphs of speech.

A cue is a screenful, often half a sentence; a reader wants whole sentences and paragraphs. Cues
are joined with spaces; a new paragraph starts when the speaker changes, after a pause of
`pause` seconds or more, or once a paragraph is long and its sentence has ended. Every cue keeps
its start time as a mark, so a passage cut from the middle of a paragraph still has its time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.readers.layout import Block, clock, ends_sentence, one_line

PAUSE_SECONDS = 2.0
MAX_WORDS = 150


@dataclass(frozen=True)
class Cue:
    start: float | None  # seconds
    end: float | None
    text: str
    speaker: str | None = None
    new_turn: bool = False  # `>>` or `- ` in broadcast captions: someone else speaks


def merge_cues(
    cues: Iterable[Cue], pause: float = PAUSE_SECONDS, max_words: int = MAX_WORDS
) -> list[Block]:
    blocks: list[Block] = []
    pieces: list[str] = []
    times: list[tuple[int, str]] = []
    speaker: str | None = None
    block_speaker: str | None = None
    last_end: float | None = None
    previous = ""

    def flush() -> None:
        if pieces:
            blocks.append(Block(" ".join(pieces), block_speaker, times=tuple(times)))
        pieces.clear()
        times.clear()

    for cue in cues:
        text = one_line(cue.text)
        # Rolling captions repeat the previous cue's words before adding new ones.
        if previous and text.startswith(previous):
            text = text[len(previous) :].strip()
        if not text:
            continue
        previous = one_line(cue.text)
        if cue.speaker:
            speaker = cue.speaker
        elif cue.new_turn:
            speaker = None
        paused = cue.start is not None and last_end is not None and cue.start - last_end >= pause
        words = sum(len(p.split()) for p in pieces)
        if pieces and (
            speaker != block_speaker
            or cue.new_turn
            or paused
            or (words >= max_words and ends_sentence(pieces[-1]))
        ):
            flush()
        if not pieces:
            block_speaker = speaker
        offset = sum(len(p) + 1 for p in pieces)
        if cue.start is not None:
            times.append((offset, clock(cue.start)))
        pieces.append(text)
        if cue.end is not None:
            last_end = cue.end
        elif cue.start is not None:
            last_end = cue.start
    flush()
    return blocks
