"""What a quote check gives back: per quote, a verdict and the exact source spans, or passages
similar in meaning labelled as such. Frozen dataclasses; JSON uses the same field names.

    {"quotes": [{"quote", "verdict", "claimed_speaker", "claimed_date",
                 "matches": [{"text", "citation", "differences", "speaker_matches",
                              "date_matches"}],
                 "similar": [Passage.to_dict(), ...], "similar_from": [speaker, ...]}]}
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.answers import Citation, Passage
from assistant.dates import DateRange

EXACT, CLOSE, NOT_FOUND = "exact", "close", "not_found"
VERDICTS = (EXACT, CLOSE, NOT_FOUND)

# Kinds of difference between a quote and what was said, word by word.
REPLACED = "replaced"  # the quote has other words where the source has these
INSERTED = "inserted"  # the quote has words the source does not
DROPPED = "dropped"  # the source has words the quote leaves out, without an ellipsis
ELIDED = "elided"  # the source words an ellipsis ("...", "[...]", "…") stands for
DIFFERENCE_KINDS = (REPLACED, INSERTED, DROPPED, ELIDED)


@dataclass(frozen=True)
class Difference:
    """One difference, positioned in both texts: `quote_start`/`quote_end` index the checked
    quote (`QuoteCheck.quote`), `source_start`/`source_end` the document's canonical text (as
    citations do). An empty range marks where words are missing: a dropped word's place in the
    quote, an inserted word's place in the source."""

    kind: str
    quote_text: str  # the quote's words as written ("" when dropped or elided)
    source_text: str  # the words as said ("" when inserted)
    quote_start: int
    quote_end: int
    source_start: int
    source_end: int


@dataclass(frozen=True)
class Match:
    """Where the quote was said: `text` is exactly the cited source span (from the first matched
    word to the last, elided words included). `speaker_matches` is None when no speaker was
    claimed or the claim names no one this check can judge; False when the span was said by
    someone else (another speaker, or a reporter's question): `citation.speaker` and
    `citation.role` say who. `date_matches` is None when the text gives no time for the quote
    (or the transcript has no date); False when it was said at another time than the text
    says (`QuoteCheck.claimed_date`): `citation.date` says when."""

    text: str
    citation: Citation
    differences: tuple[Difference, ...] = ()
    speaker_matches: bool | None = None
    date_matches: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "citation": asdict(self.citation),
            "differences": [asdict(d) for d in self.differences],
            "speaker_matches": self.speaker_matches,
            "date_matches": self.date_matches,
        }


@dataclass(frozen=True)
class QuoteCheck:
    """One quote of the checked text and its verdict: `exact` (the words were said, up to case,
    spacing, quote glyphs, dashes, hyphenation and punctuation), `close` (a few words differ:
    each match lists them) or `not_found` (then `similar` holds at most k passages that say
    something similar in meaning; they are not matches). `matches` lists every occurrence found,
    oldest first. `similar_from` names the speakers `similar` was narrowed to: those the quote
    is credited to, where the index has them (empty: anyone's passages). `claimed_date` is
    when the text says it was said (the days it names and its words: "March 2025"), or None;
    each match says whether it was said then (`Match.date_matches`)."""

    quote: str
    verdict: str
    claimed_speaker: str | None = None
    matches: tuple[Match, ...] = ()
    similar: tuple[Passage, ...] = ()
    similar_from: tuple[str, ...] = ()
    claimed_date: DateRange | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "verdict": self.verdict,
            "claimed_speaker": self.claimed_speaker,
            "claimed_date": asdict(self.claimed_date) if self.claimed_date else None,
            "matches": [m.to_dict() for m in self.matches],
            "similar": [p.to_dict() for p in self.similar],
            "similar_from": list(self.similar_from),
        }


@dataclass(frozen=True)
class QuoteCheckReport:
    """One entry per quote found in the checked text, in the order they appear."""

    quotes: tuple[QuoteCheck, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"quotes": [q.to_dict() for q in self.quotes]}

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuoteCheckReport:
        return cls(tuple(_quote_from_dict(q) for q in data.get("quotes", [])))


def _quote_from_dict(data: dict[str, Any]) -> QuoteCheck:
    return QuoteCheck(
        quote=data["quote"],
        verdict=data["verdict"],
        claimed_speaker=data.get("claimed_speaker"),
        matches=tuple(
            Match(
                text=m["text"],
                citation=Citation(**m["citation"]),
                differences=tuple(Difference(**d) for d in m.get("differences", [])),
                speaker_matches=m.get("speaker_matches"),
                date_matches=m.get("date_matches"),
            )
            for m in data.get("matches", [])
        ),
        similar=tuple(Passage.from_dict(p) for p in data.get("similar", [])),
        similar_from=tuple(data.get("similar_from", ())),
        claimed_date=DateRange(**data["claimed_date"]) if data.get("claimed_date") else None,
    )
