"""Deepgram's response (`/v1/listen` JSON, any model), with its speakers and times.

    {"metadata": {...},
     "results": {"channels": [{"alternatives": [{"transcript": "...", "words": [...],
                                                 "paragraphs": {"paragraphs": [...]}}]}],
                 "utterances": [{"start": 3.04, "speaker": 0, "transcript": "..."}]}}

The same words stand in up to four places; they are read once, from the richest there is:
Deepgram's own paragraphs (`paragraphs=true`: a speaker per paragraph, a time per sentence),
else the utterances (`utterances=true`), else the words (`punctuated_word` when present), else
the bare transcript. Speakers are Deepgram's numbers, shown as Deepgram shows them: `Speaker 0`.
A file of several channels names each: `Channel 1`, or `Channel 1 Speaker 0` when diarised too.
"""

from __future__ import annotations

from assistant.readers.cues import Cue, merge_cues, seconds
from assistant.readers.layout import Block, ReadError, clock, one_line
from assistant.readers.words import Word, sentence_cues, stated_name


def matches(data: object) -> bool:
    results = data.get("results") if isinstance(data, dict) else None
    return isinstance(results, dict) and isinstance(results.get("channels"), list)


def _name(speaker: object, channel: int | None) -> str | None:
    name = stated_name(speaker)
    if channel is None:
        return name
    return f"Channel {channel + 1}" + (f" {name}" if name else "")


def _alternative(channel: object, n: int) -> dict:
    alternatives = channel.get("alternatives") if isinstance(channel, dict) else None
    if not isinstance(alternatives, list) or not alternatives:
        raise ReadError(f"channel {n + 1}: no alternatives")
    if not isinstance(alternatives[0], dict):
        raise ReadError(f"channel {n + 1}: the alternative is not an object")
    return alternatives[0]


def _paragraph_blocks(paragraphs: list, channel: int | None) -> list[tuple[float, Block]]:
    blocks = []
    for n, paragraph in enumerate(paragraphs, 1):
        where = f"paragraph {n}"
        sentences = paragraph.get("sentences") if isinstance(paragraph, dict) else None
        if not isinstance(sentences, list):
            raise ReadError(f'{where}: expected an object with "sentences"')
        pieces: list[str] = []
        times: list[tuple[int, str]] = []
        offset = 0
        first: float | None = None
        for sentence in sentences:
            if not isinstance(sentence, dict) or not isinstance(sentence.get("text"), str):
                raise ReadError(f'{where}: a sentence without "text"')
            text = one_line(sentence["text"])
            if not text:
                continue
            start = seconds(sentence.get("start"), where)
            if start is not None:
                times.append((offset, clock(start)))
                first = start if first is None else first
            pieces.append(text)
            offset += len(text) + 1
        if pieces:
            speaker = _name(paragraph.get("speaker"), channel)
            blocks.append((first or 0.0, Block(" ".join(pieces), speaker, times=tuple(times))))
    return blocks


def _utterance_cues(utterances: list, several: bool) -> list[Cue]:
    cues = []
    for n, item in enumerate(utterances, 1):
        where = f"utterance {n}"
        if not isinstance(item, dict) or not isinstance(item.get("transcript"), str):
            raise ReadError(f'{where}: expected an object with a "transcript" string')
        channel = item.get("channel") if several and isinstance(item.get("channel"), int) else None
        cues.append(
            Cue(
                seconds(item.get("start"), where),
                seconds(item.get("end"), where),
                item["transcript"],
                _name(item.get("speaker"), channel),
            )
        )
    return sorted(cues, key=lambda c: c.start or 0.0)


def _word_cues(words: list, channel: int | None) -> list[Cue]:
    out = []
    for n, item in enumerate(words, 1):
        where = f"word {n}"
        if not isinstance(item, dict):
            raise ReadError(f"{where}: expected an object")
        text = item.get("punctuated_word", item.get("word"))
        if not isinstance(text, str):
            raise ReadError(f'{where}: no "word"')
        out.append(
            Word(
                text,
                seconds(item.get("start"), where),
                seconds(item.get("end"), where),
                _name(item.get("speaker"), channel),
            )
        )
    return sentence_cues(out)


def read(data: dict) -> list[Block]:
    results = data["results"]
    channels = results["channels"]
    several = len(channels) > 1
    alternatives = [_alternative(channel, n) for n, channel in enumerate(channels)]
    paragraphs = [
        (a.get("paragraphs") or {}).get("paragraphs")
        if isinstance(a.get("paragraphs"), dict)
        else None
        for a in alternatives
    ]
    if all(isinstance(p, list) and p for p in paragraphs):
        timed = [
            item
            for n, p in enumerate(paragraphs)
            for item in _paragraph_blocks(p, n if several else None)  # type: ignore[arg-type]
        ]
        return [block for _, block in sorted(timed, key=lambda item: item[0])]
    utterances = results.get("utterances")
    if isinstance(utterances, list) and utterances:
        return merge_cues(_utterance_cues(utterances, several), rolling=False)
    cues: list[Cue] = []
    for n, alternative in enumerate(alternatives):
        channel = n if several else None
        words = alternative.get("words")
        if isinstance(words, list) and words:
            cues.extend(_word_cues(words, channel))
        elif isinstance(alternative.get("transcript"), str):
            cues.append(Cue(None, None, alternative["transcript"], _name(None, channel)))
    return merge_cues(sorted(cues, key=lambda c: c.start or 0.0), rolling=False)
