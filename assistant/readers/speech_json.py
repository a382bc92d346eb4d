"""JSON transcripts (`.json`, or JSON under another name): which shape, then its reader.

Shapes read, tried in this order (each module's docstring shows its shape):

- Deepgram's response (`deepgram`), Amazon Transcribe's (`aws`), AssemblyAI's (`assemblyai`),
  Rev.ai's (`revai`);
- speech-to-text segments: Whisper, WhisperX, whisper-timestamped (`whisper`);
- a list of turns, `[{"speaker", "text", "start", "end"}]`, or `{"title", "turns": [...]}`
  (`turns`);
- bare word timings, `[[" word", start, end], ...]`, or `{"words": [{"word", "start", "end",
  "speaker"}]}` (also WhisperX's `word_segments`): the text is rebuilt from the words (`words`);
- an object holding only a `"transcript"` or `"text"` string.

Every speaker is the one the file states. A file nested too deeply to read, or with a time that
is no time (`Infinity`, a 400-digit number), is refused with the reason; a `"title"` string
names the document, else its file name.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.readers import assemblyai, aws, deepgram, revai, turns, whisper
from assistant.readers.cues import Cue, merge_cues, seconds
from assistant.readers.layout import Block, ReadError, Reading, one_line
from assistant.readers.subrip import title_from
from assistant.readers.words import Word, from_arrays, is_word_arrays, sentence_cues, stated_name

SHAPES = (deepgram, aws, assemblyai, revai, whisper, turns)
EXPECTED = (
    "JSON transcript of an unknown shape: expected a list of turns "
    '[{"speaker", "text", "start", "end"}], {"turns": [...]} or {"segments": [...]}, '
    "word timings, or a Deepgram, AssemblyAI, Rev.ai or Amazon Transcribe response"
)


def load(text: str) -> object:
    """The JSON document in `text`; ReadError saying why it cannot be read."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ReadError("JSON nested too deeply to read") from None
    except ValueError as error:  # JSONDecodeError, or an integer of thousands of digits
        raise ReadError(f"not valid JSON: {error}") from None


def _word_objects(items: list) -> list[Word]:
    words = []
    for n, item in enumerate(items, 1):
        text = (
            item.get("punctuated_word", item.get("word", item.get("text")))
            if isinstance(item, dict)
            else None
        )
        if not isinstance(text, str):
            raise ReadError(f'word {n}: expected an object with a "word" string')
        words.append(
            Word(
                text,
                seconds(item.get("start"), f"word {n}"),
                seconds(item.get("end"), f"word {n}"),
                stated_name(item.get("speaker")),
            )
        )
    return words


def _word_list(data: object) -> list | None:
    if isinstance(data, dict):
        for key in ("words", "word_segments"):
            items = data.get(key)
            if isinstance(items, list) and items and all(isinstance(i, dict) for i in items[:50]):
                return items
    return None


def blocks(data: object) -> list[Block]:
    """The paragraphs of a parsed JSON transcript, by its shape."""
    for shape in SHAPES:
        if shape.matches(data):
            return shape.read(data)  # type: ignore[attr-defined, arg-type]
    if is_word_arrays(data):
        return merge_cues(sentence_cues(from_arrays(data)), rolling=False)  # type: ignore[arg-type]
    items = _word_list(data)
    if items is not None:
        return merge_cues(sentence_cues(_word_objects(items)), rolling=False)
    if isinstance(data, dict):
        text = data.get("transcript", data.get("text"))
        if isinstance(text, str):
            return merge_cues([Cue(None, None, text)], rolling=False)
    raise ReadError(EXPECTED)


def read(path: Path, text: str) -> Reading:
    data = load(text)
    found = blocks(data)
    if not found:
        raise ReadError("JSON transcript holds no text")
    title = data.get("title") if isinstance(data, dict) else None
    title = one_line(title) if isinstance(title, str) and title.strip() else title_from(path)
    return Reading(title, tuple(found), stated=True)
