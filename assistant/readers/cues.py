"""Timed fragments (subtitle cues, speech-to-text segments) merged into paragraphs of speech.

A cue is a screenful, often half a sentence; a reader wants whole sentences and paragraphs. Cues
are joined with spaces; a new paragraph starts when the speaker changes, after a pause of
`pause` seconds or more, or once a paragraph is long and its sentence has ended. Every cue keeps
its start time as a mark, so a passage cut from the middle of a paragraph still has its time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.readers.layout import Block, ReadError, clock, ends_sentence, one_line

PAUSE_SECONDS = 2.0
MAX_WORDS = 150
HELD_SECONDS = 0.1  # a cue this short that repeats the end of the one before is held on screen
MAX_SECONDS = 1e7  # 115 days: no recording is longer, so a larger time is not a time
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)")
_NUMBER = re.compile(r"-?\d{1,12}(?:\.\d+)?")  # AWS writes "12.34"


def seconds(value: object, where: str, scale: float = 1.0) -> float | None:
    """A time as seconds: a number (times `scale`, 0.001 for milliseconds) or `[H:]MM:SS[.fff]`
    text; None for none. ReadError for anything else, infinite or beyond `MAX_SECONDS`."""
    if value is None:
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value) * scale
        except OverflowError:  # an integer of hundreds of digits
            number = math.inf
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = float(value) * scale
    elif isinstance(value, str):
        m = _CLOCK.fullmatch(value.strip())
        if m:
            hours, minutes, secs = m.groups()
            number = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs.replace(",", "."))
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    if isinstance(value, float) and not math.isfinite(value):
        shown = "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if number is None:
        raise ReadError(f"{where}: a time must be seconds or HH:MM:SS, not {shown}")
    if not (-MAX_SECONDS <= number <= MAX_SECONDS):  # also NaN
        raise ReadError(f"{where}: {shown} is not a time in a recording")
    return max(number, 0.0)  # (a recogniser's -0.02 s is the start)


@dataclass(frozen=True)
class Cue:
    start: float | None  # seconds
    end: float | None
    text: str
    speaker: str | None = None
    new_turn: bool = False  # `>>` or `- ` in broadcast captions: someone else speaks


def _held(cue: Cue) -> bool:
    """A cue too short to be said (0.1 s or less): a caption held on screen, not speech."""
    return cue.start is not None and cue.end is not None and cue.end - cue.start <= HELD_SECONDS


def merge_cues(
    cues: Iterable[Cue],
    pause: float = PAUSE_SECONDS,
    max_words: int = MAX_WORDS,
    rolling: bool = True,
) -> list[Block]:
    """Paragraphs of `cues`. `rolling`: captions may repeat the previous cue's words before new
    ones (auto-captions), read once; speech-to-text output never does (`rolling=False`)."""
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
        whole = text
        repeats = len(previous.split()) >= 2 and len(text) > len(previous)
        if rolling and repeats and text.startswith(previous):
            text = text[len(previous) :].strip()
        elif rolling and _held(cue) and text and previous.endswith(text):
            # YouTube's auto-captions hold the last line on screen for 10 ms before the next
            # cue repeats it: nothing new is said, and the next cue rolls on from this line
            previous = text
            continue
        if not text:
            continue
        previous = whole
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
