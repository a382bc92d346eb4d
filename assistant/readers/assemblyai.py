"""AssemblyAI's transcript JSON (`GET /v2/transcript/{id}`), with its speakers and times.

    {"id": "...", "status": "completed", "audio_duration": 25, "text": "...",
     "words": [{"text": "Yeah.", "start": 170, "end": 542, "speaker": "A"}, ...],
     "utterances": [{"speaker": "A", "start": 170, "end": 24950, "text": "...", "words": [...]}]}

Times are whole milliseconds. Speakers are AssemblyAI's letters, shown as AssemblyAI shows them:
`Speaker A`. Read from the utterances (`speaker_labels=true`), else the words, else the text;
an utterance's sentences each keep their time when its words are given.
"""

from __future__ import annotations

from assistant.readers.cues import Cue, merge_cues, seconds
from assistant.readers.layout import Block, ReadError, one_line
from assistant.readers.words import Word, sentence_cues, stated_name

MS = 0.001
_SIGNS = ("audio_duration", "acoustic_model", "language_model", "speaker_labels", "audio_url")


def matches(data: object) -> bool:
    if not isinstance(data, dict) or not any(key in data for key in _SIGNS):
        return False
    return any(isinstance(data.get(key), list) for key in ("utterances", "words")) or isinstance(
        data.get("text"), str
    )


def _speaker(value: object) -> str | None:
    name = stated_name(value)
    if name and isinstance(value, str) and len(name) <= 2 and name.isalnum():
        return f"Speaker {name}"  # "A" -> "Speaker A"
    return name


def _words(items: object, where: str, speaker: str | None = None) -> list[Word]:
    if not isinstance(items, list):
        return []
    words = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ReadError(f'{where} word {n}: expected an object with a "text" string')
        words.append(
            Word(
                item["text"],
                seconds(item.get("start"), f"{where} word {n}", MS),
                seconds(item.get("end"), f"{where} word {n}", MS),
                _speaker(item.get("speaker")) or speaker,
            )
        )
    return words


def read(data: dict) -> list[Block]:
    utterances = data.get("utterances")
    cues: list[Cue] = []
    if isinstance(utterances, list) and utterances:
        for n, item in enumerate(utterances, 1):
            where = f"utterance {n}"
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ReadError(f'{where}: expected an object with a "text" string')
            speaker = _speaker(item.get("speaker"))
            words = [
                Word(w.text, w.start, w.end, speaker) for w in _words(item.get("words"), where)
            ]
            if words and one_line(" ".join(w.text for w in words)) == one_line(item["text"]):
                cues.extend(sentence_cues(words))  # the same text, with a time per sentence
            else:
                cues.append(
                    Cue(
                        seconds(item.get("start"), where, MS),
                        seconds(item.get("end"), where, MS),
                        item["text"],
                        speaker,
                    )
                )
    elif isinstance(data.get("words"), list) and data["words"]:
        cues = sentence_cues(_words(data["words"], "transcript"))
    elif isinstance(data.get("text"), str):
        cues = [Cue(None, None, data["text"])]
    return merge_cues(cues, rolling=False)
