"""Reading a transcript's text into speaker-attributed paragraphs with exact source offsets.

Everything here is a pure function of the text: no file I/O. Formats differ on purpose in the
corpus: inline `CHAIR POWELL:` labels, `MS. SMITH.` labels, bare `Q` questions, a label alone on
its line (`Shen Beili:`) that applies to the paragraphs below it, one paragraph per line, and
page furniture (pagination footers, room names, `12:47 P.M. EDT` time stamps) that is not speech.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from assistant.dates import parse_date

QUESTION, ANSWER, STATEMENT = "question", "answer", "statement"

_TITLES = r"(?:CHAIR(?:MAN|WOMAN)?|MR|MS|MRS|DR|SECRETARY|GOVERNOR|PRESIDENT|VICE PRESIDENT|SENATOR|ADMIRAL|GENERAL|AMBASSADOR)"
# `CHAIR POWELL: text`, `MICHELLE SMITH: text`, `MS. SMITH. text`, `MR. EARNEST: text`.
_CAPS_LABEL = re.compile(
    rf"(?P<label>{_TITLES}\.?\s+[A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+){{0,2}}"
    r"|[A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+){0,3})\s*(?P<sep>[:.])[ \t]+(?=\S)"
)
# `Chair Powell: text` (mixed case needs two words or a title, so `Second: ...` is not a label).
_MIXED_LABEL = re.compile(
    r"(?P<label>(?:Mr|Ms|Mrs|Dr|Chair|Chairman|Governor|Secretary)\.?\s+[A-Z][\w'’\-]+"
    r"|[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){1,3})(?P<sep>:)[ \t]+(?=\S)"
)
# A label alone on its line: `Shen Beili:`, `CHAIR POWELL:`.
_OWN_LINE_LABEL = re.compile(r"(?P<label>[A-Z][\w.'’\- ]{0,48}[\w.])\s*:\s*")
_QA_LABEL = re.compile(
    r"(?P<label>Q)(?:[:.]?[ \t]+(?=\S)|[:.]?$)|(?P<answer>A)[:.](?:[ \t]+(?=\S)|$)"
)
_TIME = re.compile(r"(?:END\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*[AaPp]\.?\s*[Mm]\.?(?:\s+[A-Z]{2,4})?")
_PAGINATION = re.compile(
    # (Unambiguous repetitions: `<` then a long run of digits must not backtrack exponentially.)
    r"<?\s*(?:\d+\s+){2,}\d+\s*>?|<\s*\d+(?:\s+\d+)*\s*>?|(?:Page\s+)?\d+(?:\s+of\s+\d+)?"
)
# Runs of non-blank lines, anchored at line starts and possessive, so a long whitespace-only
# line costs linear time (an unanchored `[^\n]*\S` is quadratic on one).
_BLOCK = re.compile(r"^(?:[^\S\n]*+\S[^\n]*+(?:\n|\Z))+", re.MULTILINE)
_FURNITURE_WORDS = {"END", "###"}
_NOT_SPEAKERS = {"NOTE", "PS", "P.S", "AND", "BUT", "OK", "OKAY", "SO", "NO", "YES", "I", "A"}


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of speech: `text == source[start:end]` (the label is not part of it)."""

    index: int  # 1-based, among the transcript's speech paragraphs
    start: int
    end: int
    text: str
    speaker: str | None  # display name ("Chair Powell"); None for an unnamed question
    role: str  # question | answer | statement
    question: int | None = None  # for answers: index of the question paragraph answered
    page: int | None = None  # page it starts on (PDF, a document read from several files)
    time: str | None = None  # "HH:MM:SS" it starts at (subtitles, JSON with times)


@dataclass(frozen=True)
class Transcript:
    """A whole transcript: its title, date and paragraphs; `times` are stamps found in it."""

    document: str
    title: str
    date: str | None
    paragraphs: tuple[Paragraph, ...]
    times: tuple[str, ...] = field(default=())

    @property
    def speakers(self) -> list[str]:
        return sorted({p.speaker for p in self.paragraphs if p.speaker})


@dataclass(frozen=True)
class _Block:
    start: int
    end: int


def display_name(label: str) -> str:
    """`CHAIR POWELL` -> `Chair Powell`, `MR. EARNEST` -> `Mr. Earnest`, `MICHAEL MCKEE` -> `Michael McKee`."""
    label = " ".join(label.split()).strip(" .:")
    if label != label.upper():
        return label
    words = []
    for word in label.split(" "):
        w = word.capitalize()
        w = re.sub(r"(?<=[-'’])([a-z])", lambda m: m.group(1).upper(), w)
        if re.match(r"Mc[a-z]", w):
            w = "Mc" + w[2:].capitalize()
        words.append(w)
    return " ".join(words)


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line in text[start:end], stripped of surrounding spaces."""
    spans = []
    pos = start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if stripped:
            s = pos + line.index(stripped[0])
            spans.append((s, s + len(stripped)))
        pos += len(line) + 1
    return spans


def _blocks(text: str, start: int) -> list[_Block]:
    """Paragraph candidates: blank-line separated blocks, or single lines where a block holds
    long unwrapped lines (files with one paragraph per line have no blank lines at all)."""
    blocks: list[_Block] = []
    for m in _BLOCK.finditer(text, start):
        lines = _lines(text, m.start(), m.end())
        if not lines:
            continue
        longest = max(e - s for s, e in lines)
        starts_label = sum(1 for s, e in lines if _label_at(text, s, e)[0] is not None)
        if len(lines) > 1 and (longest > 100 or starts_label > 1):
            blocks.extend(_Block(s, e) for s, e in lines)
        else:
            blocks.append(_Block(lines[0][0], lines[-1][1]))
    return blocks


def _label_at(text: str, start: int, end: int) -> tuple[str | None, int]:
    """The speaker label opening text[start:end] (raw) and where the speech after it starts."""
    chunk = text[start:end]
    m = _QA_LABEL.match(chunk)
    if m:
        return m["label"] or m["answer"], start + m.end()
    m = _CAPS_LABEL.match(chunk)
    if m and m["label"].strip(" .").upper() not in _NOT_SPEAKERS:
        label = m["label"]
        # `MS. SMITH.` style needs a title or two words, so a shouted `OK.` is not a speaker.
        if m["sep"] == ":" or re.match(_TITLES, label) or len(label.split()) >= 2:
            return label, start + m.end()
    m = _MIXED_LABEL.match(chunk)
    if m and "\n" not in m["label"]:
        return m["label"], start + m.end()
    m = _OWN_LINE_LABEL.fullmatch(chunk)
    if m and len(m["label"].split()) <= 5:
        return m["label"], end
    return None, start


def _is_furniture(chunk: str) -> bool:
    chunk = chunk.strip()
    return bool(chunk in _FURNITURE_WORDS or _TIME.fullmatch(chunk) or _PAGINATION.fullmatch(chunk))


@dataclass
class _Turn:
    label: str  # raw label, "Q", "A" or "" for unlabelled
    start: int
    end: int


def _turns(text: str, body_start: int) -> tuple[list[_Turn], list[str]]:
    """Speech paragraphs with their raw labels (carried over from an own-line label) and the
    time stamps found; furniture and the front matter before the first speaker are dropped."""
    turns: list[_Turn] = []
    times: list[str] = []
    current = ""
    seen_speech = False
    for block in _blocks(text, body_start):
        chunk = text[block.start : block.end]
        if _is_furniture(chunk):
            stamp = _TIME.search(chunk)
            if stamp:
                times.append(stamp.group(0).removeprefix("END").strip())
            continue
        label, speech_start = _label_at(text, block.start, block.end)
        if label is not None:
            current = label
            seen_speech = True
            if speech_start >= block.end:  # a label alone on its line
                continue
            turns.append(_Turn(label, speech_start, block.end))
            continue
        if not seen_speech:
            # Front matter ("THE WHITE HOUSE", a room name) is short and not a question;
            # an unlabelled question from the floor opens some transcripts.
            if "?" in chunk:
                turns.append(_Turn("Q", block.start, block.end))
                current = "Q"
                seen_speech = True
            elif len(chunk.split()) > 12:
                turns.append(_Turn("", block.start, block.end))
                seen_speech = True
            continue
        turns.append(_Turn(current, block.start, block.end))
    return turns, times


def _roles(turns: list[_Turn]) -> dict[str, str]:
    """Each speaker label's role: who answers, who asks, who moderates.

    Bare `Q` asks and `A` answers. Where questions are bare `Q`s, every named speaker answers.
    Otherwise the speaker with the most words answers (the principal), a speaker of many short
    turns moderates, and the other named speakers are reporters asking.
    """
    words: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for t in turns:
        words[t.label] += t.end - t.start
        count[t.label] += 1
    roles = {"Q": QUESTION, "A": ANSWER, "": STATEMENT}
    named = [label for label in words if label not in roles]
    if "Q" in words or not named:
        roles.update({label: ANSWER for label in named})
        return roles
    principal = max(named, key=lambda label: words[label])
    others = sorted((label for label in named if label != principal), key=lambda x: -count[x])
    moderator = None
    if others:
        busiest, runner_up = others[0], (count[others[1]] if len(others) > 1 else 0)
        # One moderator at most: the speaker calling on reporters ("Howard.") has many short
        # turns, clearly more than any reporter asking follow-ups.
        if (
            count[busiest] >= 4
            and count[busiest] >= 2 * runner_up
            and (words[busiest] / count[busiest] < 200)
        ):
            moderator = busiest
    for label in named:
        if label == principal:
            roles[label] = ANSWER
        elif label == moderator:
            roles[label] = STATEMENT
        else:
            roles[label] = QUESTION
    return roles


def parse_transcript(text: str, document: str = "") -> Transcript:
    """Read a transcript's text. Title is the first non-empty line; paragraphs follow."""
    first = re.search(r"[^\s\ufeff][^\n]*", text)  # a UTF-8 BOM is not part of the title
    if first is None:
        return Transcript(document, "", None, ())
    title = first.group(0).strip()
    turns, times = _turns(text, first.end())
    named = {t.label: None if t.label in ("Q", "A", "") else display_name(t.label) for t in turns}
    return _transcript(text, document, title, turns, named, tuple(times))


@dataclass(frozen=True)
class Turn:
    """A paragraph whose speaker the format states (a JSON field, a `<v>` tag, a `<cite>`):
    `text[start:end]` is its speech, `speaker` the name exactly as stated (None: not known)."""

    start: int
    end: int
    speaker: str | None = None


def transcript_from_turns(
    text: str, turns: list[Turn] | tuple[Turn, ...], document: str = "", title: str = ""
) -> Transcript:
    """A transcript of paragraphs whose spans and speakers a reader took from the format: the
    speakers are kept as stated (never re-read from the text, which may show them as labels
    outside the spans), with the same roles and question links as `parse_transcript`."""
    raw: list[_Turn] = []
    named: dict[str, str | None] = {"": None}
    for turn in turns:
        start, end = turn.start, turn.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        speaker = " ".join(turn.speaker.split()) if turn.speaker else ""
        # (a label key no parsed label can have, so a speaker stated as "Q" is still a name)
        label = f"\0{speaker}" if speaker else ""
        named[label] = speaker or None
        raw.append(_Turn(label, start, end))
    return _transcript(text, document, title.strip(), raw, named, ())


def _transcript(
    text: str,
    document: str,
    title: str,
    turns: list[_Turn],
    named: dict[str, str | None],
    times: tuple[str, ...],
) -> Transcript:
    """Paragraphs of `turns` with their roles and the question each answer follows."""
    roles = _roles(turns)
    paragraphs: list[Paragraph] = []
    last_question: int | None = None
    for t in turns:
        role = roles[t.label]
        index = len(paragraphs) + 1
        answered = None
        if role == QUESTION:
            last_question = index
        elif role == ANSWER:
            if last_question is None:
                role = STATEMENT  # an opening statement precedes every question
            answered = last_question
        paragraphs.append(
            Paragraph(index, t.start, t.end, text[t.start : t.end], named[t.label], role, answered)
        )
    return Transcript(document, title, parse_date(title), tuple(paragraphs), times)
