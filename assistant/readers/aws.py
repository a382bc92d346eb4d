"""Amazon Transcribe's output JSON.

    {"jobName": "...", "results": {"transcripts": [{"transcript": "..."}],
     "items": [{"type": "pronunciation", "start_time": "0.5", "end_time": "0.9",
                "alternatives": [{"content": "Hello"}], "speaker_label": "spk_0"},
               {"type": "punctuation", "alternatives": [{"content": ","}]}],
     "speaker_labels": {"segments": [{"speaker_label": "spk_0", "items": [...]}]}}}

Words are the items' first alternatives (punctuation attaches to the word before); speakers are
Transcribe's labels as given (`spk_0`), from each item or, in older output, from the speaker
segments by start time.
"""

from __future__ import annotations

from assistant.readers.cues import Cue, merge_cues, seconds
from assistant.readers.layout import Block, ReadError
from assistant.readers.words import Word, sentence_cues, stated_name


def matches(data: object) -> bool:
    results = data.get("results") if isinstance(data, dict) else None
    return isinstance(results, dict) and (
        isinstance(results.get("items"), list) or isinstance(results.get("transcripts"), list)
    )


def _labels_by_start(results: dict) -> dict[str, str]:
    segments = (results.get("speaker_labels") or {}).get("segments")
    labels: dict[str, str] = {}
    for segment in segments if isinstance(segments, list) else []:
        for item in segment.get("items", []) if isinstance(segment, dict) else []:
            if isinstance(item, dict) and isinstance(item.get("start_time"), str):
                label = item.get("speaker_label", segment.get("speaker_label"))
                if isinstance(label, str):
                    labels[item["start_time"]] = label
    return labels


def read(data: dict) -> list[Block]:
    results = data["results"]
    items = results.get("items")
    if not isinstance(items, list) or not items:
        transcripts = results.get("transcripts") or []
        text = " ".join(
            t["transcript"]
            for t in transcripts
            if isinstance(t, dict) and isinstance(t.get("transcript"), str)
        )
        return merge_cues([Cue(None, None, text)], rolling=False)
    labels = _labels_by_start(results)
    words: list[Word] = []
    speaker: str | None = None
    for n, item in enumerate(items, 1):
        where = f"item {n}"
        alternatives = item.get("alternatives") if isinstance(item, dict) else None
        if not alternatives or not isinstance(alternatives[0], dict):
            raise ReadError(f'{where}: expected an object with "alternatives"')
        content = alternatives[0].get("content")
        if not isinstance(content, str):
            raise ReadError(f'{where}: an alternative without "content"')
        punctuation = item.get("type") == "punctuation"
        if not punctuation:
            label = item.get("speaker_label") or labels.get(str(item.get("start_time")))
            speaker = stated_name(label) or speaker
        words.append(
            Word(
                content,
                seconds(item.get("start_time"), where),
                seconds(item.get("end_time"), where),
                speaker,
                glued=punctuation,
            )
        )
    return merge_cues(sentence_cues(words), rolling=False)
