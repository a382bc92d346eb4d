"""Word timings (speech-to-text output) rebuilt into timed sentences.

Recognisers give one entry per word: `[" word", start, end]` arrays, `{"word", "start", "end",
"speaker"}` objects, Rev.ai elements, AWS items. The text is rebuilt from the words: tokens that
carry their own leading space (Whisper's `" word"`) are concatenated as given; other words are
joined by single spaces, and punctuation tokens (`,`, `.`) attach to the word before. A sentence
(a cue, for `cues.merge_cues`) ends at `.`, `?` or `!`, at a pause of `PAUSE_SECONDS`, or where
the speaker changes; each keeps its first word's time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.readers.cues import Cue, seconds
from assistant.readers.layout import ReadError, ends_sentence

PAUSE_SECONDS = 1.0


@dataclass(frozen=True)
class Word:
    text: str
    start: float | None
    end: float | None
    speaker: str | None = None
    glued: bool = False  # joins the text before it without a space (punctuation)


def _spaced(words: list[Word]) -> bool:
    """Whether the tokens carry their own spaces (`" word"`): then they are concatenated."""
    return sum(1 for w in words if w.text[:1].isspace()) * 2 >= len(words)


def sentence_cues(words: Iterable[Word]) -> list[Cue]:
    """The words as sentence cues (see the module's docstring)."""
    words = [w for w in words if w.text]
    spaced = _spaced(words)
    cues: list[Cue] = []
    text = ""
    start: float | None = None
    end: float | None = None
    speaker: str | None = None

    def flush() -> None:
        nonlocal text, start
        if text.strip():
            cues.append(Cue(start, end, text.strip(), speaker))
        text, start = "", None

    for word in words:
        paused = word.start is not None and end is not None and word.start - end >= PAUSE_SECONDS
        if text and (word.speaker != speaker or (paused and not word.glued)):
            flush()
        if not text:
            speaker = word.speaker
        if start is None and word.text.strip():
            start = word.start
        if spaced or word.glued or not text:
            text += word.text
        else:
            text += " " + word.text
        if word.end is not None:
            end = word.end
        elif word.start is not None:
            end = word.start
        if ends_sentence(word.text):
            flush()
    flush()
    return cues


def from_arrays(items: list, where: str = "word") -> list[Word]:
    """`[[" word", start, end], ...]`, optionally with a fourth item naming the speaker."""
    words = []
    for n, item in enumerate(items, 1):
        if not (isinstance(item, list) and 3 <= len(item) <= 4 and isinstance(item[0], str)):
            raise ReadError(f'{where} {n}: expected [" word", start, end]')
        speaker = item[3] if len(item) == 4 else None
        words.append(
            Word(
                item[0],
                seconds(item[1], f"{where} {n}"),
                seconds(item[2], f"{where} {n}"),
                stated_name(speaker),
            )
        )
    return words


def is_word_arrays(data: object) -> bool:
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(item, list) and item and isinstance(item[0], str) for item in data[:50])
    )


def stated_name(speaker: object, prefix: str = "Speaker") -> str | None:
    """A speaker as a file states it: a name as written, a number as `Speaker 1` (how the
    services that number speakers show them); None when none is given."""
    if speaker is None or isinstance(speaker, bool):
        return None
    if isinstance(speaker, int):
        return f"{prefix} {speaker}" if 0 <= speaker < 10**6 else None
    if isinstance(speaker, float):
        return f"{prefix} {int(speaker)}" if speaker.is_integer() and 0 <= speaker < 1e6 else None
    if isinstance(speaker, str):
        name = " ".join(speaker.split())
        return name or None
    return None
