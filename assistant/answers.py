"""What a question gets back: verbatim passages with citations, or an honest 'nothing answers'.

Plain frozen dataclasses that serialise to JSON with the same field names.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citation:
    """Where a passage stands: `document` is relative to the corpus root, `paragraph` 1-based,
    and `text[start:end]` of the document (as read, UTF-8) is exactly the passage."""

    document: str
    title: str
    date: str | None
    speaker: str | None
    paragraph: int
    start: int
    end: int
    role: str = "statement"
    page: int | None = None
    time: str | None = None


@dataclass(frozen=True)
class Context:
    """Verbatim surroundings of a passage, so a reader can check it is not cut out of its meaning."""

    question: str | None = None  # the question the passage answers, verbatim
    question_speaker: str | None = None
    before: str | None = None  # the paragraph before, verbatim
    before_speaker: str | None = None
    after: str | None = None  # the paragraph after, verbatim
    after_speaker: str | None = None


@dataclass(frozen=True)
class Passage:
    """A verbatim quote with its citation; `highlights` are (start, end) offsets into `text` of the
    sentences that best answer the question."""

    text: str
    score: float
    citation: Citation
    highlights: list[tuple[int, int]] = field(default_factory=list)
    context: Context = field(default_factory=Context)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlights"] = [list(span) for span in self.highlights]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        return cls(
            text=data["text"],
            score=data["score"],
            citation=Citation(**data["citation"]),
            highlights=[tuple(h) for h in data.get("highlights", [])],
            context=Context(**data.get("context", {})),
        )


def dates_shown(low: str | None, high: str | None) -> str:
    """A span of dates in fixed wording: "2022-06-15", "2021-01-01 to 2023-12-31", "2024-01-01
    or later" ("since 2024": no end), "2010-12-31 or earlier" (no start)."""
    if low and high:
        return low if low == high else f"{low} to {high}"
    if low:
        return f"{low} or later"
    return f"{high} or earlier" if high else "at any date"


@dataclass(frozen=True)
class Answer:
    """The ranked passages for `question`, best first; `answered` is False when nothing in the
    corpus answers it (then `passages` is empty and `reason` says why)."""

    question: str
    answered: bool
    passages: list[Passage] = field(default_factory=list)
    reason: str | None = None
    query: str | None = None  # the question as searched (a follow-up joined to its history)
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def reading(self) -> str | None:
        """How an answered question's words were read in the transcripts' own words (another
        name for a key term, `filters["aliases"]`; a near-synonym of a common word,
        `filters["said_otherwise"]`), in fixed wording (`Read “IRS” as “Internal Revenue
        Service”`), or None when none was."""
        if not self.answered:
            return None
        pairs = [
            *(self.filters.get("aliases") or {}).items(),
            *(self.filters.get("said_otherwise") or {}).items(),
        ]
        if not pairs:
            return None
        return "Read " + ", ".join(f"“{asked}” as “{said}”" for asked, said in pairs)

    @property
    def date_note(self) -> str | None:
        """For an answered question dated to a time no transcript is from
        (`filters["date_not_found"]`), in fixed wording: that no transcript is dated so, that
        every date was searched, and the nearest dates there are; else None."""
        found = self.filters.get("date_not_found")
        if not self.answered or not found:
            return None
        when = dates_shown(*found["dates"])
        nearest = found.get("nearest") or []
        return f"No transcript is dated {when} (from the question), so every date was searched" + (
            f"; the nearest dates: {', '.join(nearest)}" if nearest else ""
        )

    @property
    def notes(self) -> list[str]:
        """How an answered question was read, in fixed wording, for every place that shows the
        answer: a date no transcript is from (`date_note`), then terms read in the corpus's
        words (`reading`)."""
        return [note for note in (self.date_note, self.reading) if note]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passages"] = [p.to_dict() for p in self.passages]
        return data

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        passages = [Passage.from_dict(p) for p in data.get("passages", [])]
        return cls(
            question=data["question"],
            answered=data["answered"],
            passages=passages,
            reason=data.get("reason"),
            query=data.get("query"),
            filters=data.get("filters", {}),
        )
