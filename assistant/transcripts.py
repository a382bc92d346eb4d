"""Reading a transcript's text into speaker-attributed paragraphs with exact source offsets.

Everything here is a pure function of the text: no file I/O. Formats differ on purpose in the
corpus: inline `CHAIR POWELL:` labels, `MS. SMITH.` labels, bare `Q` questions, a label alone on
its line (`Shen Beili:`) that applies to the paragraphs below it, one paragraph per line, and
page furniture (pagination footers, room names, `12:47 P.M. EDT` time stamps) that is not speech.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.dates import transcript_date
from assistant.labels import (
    FileLabels,
    display_name,
    label_at,
    name_key,
    split_paren,
)
from assistant.roles import ANSWER, QUESTION, STATEMENT, UNNAMED, assign_roles
from assistant.speaker_names import said_titles, speaker_names, title_offices
from assistant.tokens import count_words

__all__ = ["ANSWER", "QUESTION", "STATEMENT", "Paragraph", "Transcript", "display_name"]


_TIME = re.compile(r"(?:END\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*[AaPp]\.?\s*[Mm]\.?(?:\s+[A-Z]{2,4})?")
_PAGINATION = re.compile(
    # (Unambiguous repetitions: `<` then a long run of digits must not backtrack exponentially.)
    r"<?\s*(?:\d+\s+){2,}\d+\s*>?|<\s*\d+(?:\s+\d+)*\s*>?|(?:Page\s+)?\d+(?:\s+of\s+\d+)?"
)
# Runs of non-blank lines, anchored at line starts and possessive, so a long whitespace-only
# line costs linear time (an unanchored `[^\n]*\S` is quadratic on one).
_BLOCK = re.compile(r"^(?:[^\S\n]*+\S[^\n]*+(?:\n|\Z))+", re.MULTILINE)
# A transcript of more paragraphs is refused (skipped with this reason), so that one file of a
# million one-word turns cannot take gigabytes: each paragraph becomes at least one passage and
# its vector (the longest QMSum meeting has 1,259 paragraphs, a 50 MB briefing about 17,000).
MAX_PARAGRAPHS = 100_000
# Each non-blank line, from its first non-space character (possessive: linear on long lines).
_LINE = re.compile(r"^[^\S\n]*+(\S[^\n]*+)", re.MULTILINE)
_FURNITURE_WORDS = {"END", "###"}
# A trial's examination: `BY MR. ROOS:` alone on its line names who asks the `Q.` questions
# after it; `GARY WANG, called as a witness ..., having been duly sworn, testified as
# follows:` who answers the `A.`s; `DIRECT EXAMINATION` is a heading.
_EXAMINER = re.compile(
    r"BY\s+(?P<name>(?:MR|MS|MRS|MISS|DR)\.?\s+[A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+){0,2})\s*:"
)
_SWORN = re.compile(
    r"(?P<name>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){1,3}),\s+(?:\w+\s+){0,6}?"
    r"(?:called\s+as\s+a\s+witness|having\s+been\s+(?:first\s+)?duly\s+sworn|duly\s+sworn)",
)
_EXAMINATION = re.compile(
    r"(?:(?:DIRECT|CROSS|REDIRECT|RECROSS)[- ]?)?EXAMINATION(?:\s*\(?CONTINUED\)?)?"
    r"|(?:DIRECT|CROSS|REDIRECT|RECROSS)[- ]EXAMINATION\s+(?:OF|BY)\s+[A-Z .'’\-]+"
)


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
    # (speaker, what a parenthetical after their name said where the file also writes it
    # bare): `("Hon. Deb Schulte", "Minister of Seniors")`, another name they go by
    titles: tuple[tuple[str, str], ...] = field(default=())

    @property
    def speakers(self) -> list[str]:
        return sorted({p.speaker for p in self.paragraphs if p.speaker})


@dataclass(frozen=True)
class _Block:
    start: int
    end: int


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


def _chevroned(text: str, lines: list[tuple[int, int]]) -> list[list[tuple[int, int]]] | None:
    """`lines` split into turns at each line opening with `>>`, television captions' mark of a
    new speaker (C-SPAN, closed captions: `>> SEN. WARREN: ...`, `>> THANK YOU.`), the lines
    after it going on with that turn; None where no line opens so."""
    starts = [n for n, (s, _) in enumerate(lines) if text.startswith(">>", s)]
    if not starts:
        return None
    if starts[0] != 0:
        starts.insert(0, 0)
    return [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def _indent(text: str, start: int) -> int:
    """Columns of white space before `start` on its line (a tab as 4)."""
    return len(text[text.rfind("\n", 0, start) + 1 : start].expandtabs(4))


def _indented(text: str, lines: list[tuple[int, int]]) -> list[list[tuple[int, int]]] | None:
    """`lines` split into paragraphs at each line indented past the others (2 columns or more),
    where they are written that way: the first line indented, and more lines starting
    paragraphs than one, with lines at the margin between them. A hearing as the Government
    Publishing Office prints it wraps each paragraph with no blank line between paragraphs,
    its first line indented. None where the lines are not."""
    if len(lines) < 3:
        return None
    depth = [_indent(text, s) for s, _ in lines]
    margin = min(depth)
    starts = [n for n, d in enumerate(depth) if d >= margin + 2]
    if not starts or starts[0] != 0 or len(starts) < 2 or len(starts) == len(lines):
        return None
    return [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def _blocks(text: str, start: int, labels: FileLabels) -> Iterator[_Block]:
    """Paragraph candidates: blank-line separated blocks, paragraphs within a block marked by
    their indented first lines (`_indented`), or single lines where a block holds long
    unwrapped lines (files with one paragraph per line have no blank lines at all)."""
    for m in _BLOCK.finditer(text, start):
        lines = _lines(text, m.start(), m.end())
        if not lines:
            continue
        paragraphs = _chevroned(text, lines) or _indented(text, lines)
        if paragraphs is not None:
            yield from (_Block(p[0][0], p[-1][1]) for p in paragraphs)
        elif len(lines) > 1 and (
            max(e - s for s, e in lines) > 100
            or sum(1 for s, e in lines if _label_at(text, s, e, labels)[0] is not None) > 1
        ):
            yield from (_Block(s, e) for s, e in lines)
        else:
            yield _Block(lines[0][0], lines[-1][1])


def _label_at(text: str, start: int, end: int, labels: FileLabels) -> tuple[str | None, int]:
    """The speaker label opening text[start:end] (raw) and where the speech after it starts."""
    label, speech = label_at(text[start : min(end, start + 400)], labels)
    if label is None:
        return None, start
    if start + speech >= min(end, start + 400):
        return label, end
    speech += start
    while speech < end and text[speech].isspace():  # the speech on the label's next line
        speech += 1
    return label, speech


def _is_furniture(chunk: str) -> bool:
    """Not speech: `END`, a time stamp, a page number, or a production note in capitals on its
    own (a broadcast's `(SOUNDBITE OF MUSIC)`, `(BEGIN VIDEOTAPE)`, `[APPLAUSE]`)."""
    chunk = chunk.strip()
    return bool(
        chunk in _FURNITURE_WORDS
        or _TIME.fullmatch(chunk)
        or _PAGINATION.fullmatch(chunk)
        or _PRODUCTION_NOTE.fullmatch(chunk)
    )


_PRODUCTION_NOTE = re.compile(
    r"\((?=[^)]*[A-Z]{2})[^a-z()\n]+\)|\[(?=[^\]]*[A-Z]{2})[^a-z\[\]\n]+\]"
)


@dataclass
class _Turn:
    label: str  # raw label, "Q", "A" or "" for unlabelled
    start: int
    end: int


def _turns(
    text: str, body_start: int, labels: FileLabels
) -> tuple[list[_Turn], list[str], set[str]]:
    """Speech paragraphs with their raw labels (carried over from an own-line label), the
    time stamps found, and the labels written with no speech of their own (a list of
    participants: `Tim Cook - CEO`); furniture and the front matter before the first speaker
    are dropped."""
    turns: list[_Turn] = []
    times: list[str] = []
    alone: set[str] = set()
    current = ""
    seen_speech = False
    asking = {"Q": "Q", "A": "A"}  # who a trial's `Q.` and `A.` are, once it says so
    for block in _blocks(text, body_start, labels):
        chunk = text[block.start : block.end]
        if _is_furniture(chunk) or _EXAMINATION.fullmatch(chunk.strip()):
            stamp = _TIME.search(chunk)
            if stamp:
                times.append(stamp.group(0).removeprefix("END").strip())
            continue
        examiner = _EXAMINER.fullmatch(chunk.strip())
        if examiner:
            asking["Q"] = examiner["name"]
            continue
        sworn = _SWORN.match(chunk)
        if sworn:  # the court reporter's note: nobody's speech, but who answers now
            asking["A"] = sworn["name"].rstrip(".")
            turns.append(_Turn("", block.start, block.end))
            current, seen_speech = "", True
            continue
        label, speech_start = _label_at(text, block.start, block.end, labels)
        label = asking.get(label, label) if label is not None else None
        if label is not None:
            current = label
            seen_speech = True
            if speech_start < block.end:  # else a label alone on its line
                turns.append(_Turn(label, speech_start, block.end))
            else:
                alone.add(label)
        elif not seen_speech:
            # Front matter ("THE WHITE HOUSE", a room name) is short and not a question;
            # an unlabelled question from the floor opens some transcripts.
            if "?" in chunk or "？" in chunk:
                turns.append(_Turn("Q", block.start, block.end))
                current = "Q"
                seen_speech = True
            elif count_words(chunk) > 12:
                turns.append(_Turn("", block.start, block.end))
                seen_speech = True
        else:
            turns.append(_Turn(current, block.start, block.end))
        if len(turns) > MAX_PARAGRAPHS:
            raise ValueError(
                f"more than {MAX_PARAGRAPHS:,} paragraphs of speech in one transcript; "
                "split it into several files"
            )
    return turns, times, alone


def _line_spans(text: str, start: int) -> Iterator[tuple[int, int]]:
    return ((m.start(1), m.end(1)) for m in _LINE.finditer(text, start))


def _title(text: str) -> tuple[str, int] | None:
    """The title and where the body after it starts: the first non-empty line, or, below lines
    wholly in square brackets (a publisher's note: the GPO's `[House Hearing, 118 Congress]`),
    the first line in capitals; with the lines directly below a centred title in capitals that
    are centred capitals too (a hearing's name set over two or three lines). Capitals at the
    margin are not joined: a transcript in capitals (old captions) keeps its speech."""
    # the first lines only (a BOM is not part of the title): a file's lines are not all read
    lines = list(itertools.islice(re.finditer(r"[^\s\ufeff][^\n]*", text), _TITLE_LINES))
    if not lines:
        return None
    at = 0
    while at + 1 < len(lines) and _BRACKETED.fullmatch(lines[at].group(0).strip()):
        at += 1
    if not _CAPITALS.fullmatch(lines[at].group(0).strip()):
        at = 0  # no title in capitals below the note: the note is the title
    title, end = lines[at].group(0).strip(), lines[at].end()
    if _CAPITALS.fullmatch(title) and _centred(text, lines[at].start()):
        for line in lines[at + 1 : at + 4]:
            between = text[end : line.start()]
            below = line.group(0).strip()
            if (
                between.count("\n") != 1
                or not _CAPITALS.fullmatch(below)
                or ":" in below
                or not _centred(text, line.start())
            ):
                break  # a blank line ends the title; `MR. GIBBS: ...` is a turn
            title, end = f"{title} {line.group(0).strip()}", line.end()
    return title, end


def _centred(text: str, start: int) -> bool:
    """Whether the line starting at `start` (its first character) is set in from the margin."""
    return _indent(text, start) >= 4


_TITLE_LINES = 16  # bracketed notes and a title's lines among the first 16
_BRACKETED = re.compile(r"\[[^\[\]\n]*\]")
_CAPITALS = re.compile(r"(?=.*[A-Z].*[A-Z])[^a-z\n]{6,}")


def parse_transcript(text: str, document: str = "") -> Transcript:
    """Read a transcript's text. Title is the first non-empty line (see `_title`); paragraphs
    follow."""
    found = _title(text)
    if found is None:
        return Transcript(document, "", None, ())
    title, body = found
    labels = FileLabels.learn(text, _line_spans(text, body))
    turns, times, alone = _turns(text, body, labels)
    spoken = {t.label for t in turns if t.label not in UNNAMED}
    # a participants' list's roles (`Tim Cook - CEO`) are said of those who speak
    keys = {name_key(split_paren(label)[0]) for label in spoken}
    listed = {label for label in alone if name_key(split_paren(label)[0]) in keys}
    names = speaker_names(spoken | listed)
    for t in turns:
        t.label = names.get(t.label, t.label)
    roles = assign_roles([(t.label, text[t.start : t.end]) for t in turns])
    paragraphs = tuple(
        Paragraph(
            index,
            t.start,
            t.end,
            text[t.start : t.end],
            None if t.label in UNNAMED else t.label,
            role,
            answered,
        )
        for index, (t, (role, answered)) in enumerate(zip(turns, roles, strict=True), 1)
    )
    titles = tuple(sorted(set(said_titles(names)) | set(title_offices(title, names))))
    date = transcript_date(title, text[body:], document)
    return Transcript(document, title, date, paragraphs, tuple(times), titles)


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
    kept: list[tuple[int, int, str | None]] = []
    for turn in turns:
        start, end = turn.start, turn.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            kept.append((start, end, " ".join(turn.speaker.split()) if turn.speaker else None))
        if len(kept) > MAX_PARAGRAPHS:
            raise ValueError(
                f"more than {MAX_PARAGRAPHS:,} paragraphs of speech in one transcript; "
                "split it into several files"
            )
    # (label keys no parsed label can have, so a speaker stated as "Q" is still a name)
    roles = assign_roles([(f"\0{s}" if s else "", text[a:b]) for a, b, s in kept])
    paragraphs = tuple(
        Paragraph(index, a, b, text[a:b], speaker, role, answered)
        for index, ((a, b, speaker), (role, answered)) in enumerate(
            zip(kept, roles, strict=True), 1
        )
    )
    return Transcript(document, title.strip(), transcript_date(title, text, document), paragraphs)
