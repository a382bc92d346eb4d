"""What a timeline query gets back: one row per dated transcript, in date order, and the
undated ones apart. Plain frozen dataclasses; `to_dict` is the JSON the CLI and the API give,
`to_csv` the spreadsheet a reader exports."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from assistant.answers import Passage

# what `mode` may ask for: phrase counts, topic passages, both, or "auto" (see `resolve_mode`)
MODES = ("auto", "phrase", "topic", "both")
# "auto" counts the phrase as well when the query is at most this many words
PHRASE_MAX_WORDS = 5


@dataclass(frozen=True)
class TimelineRow:
    """One transcript. `phrase_count`: exact occurrences of the phrase (folded; a single word's
    inflected forms count), by the speaker when one is given; `rate_per_10k`: per 10,000 words
    they spoke there; `topic_passages`: passages about the query that `ask` with this date's
    filter returns, each holding half the query's content (`RetrievalConfig.topic_coverage`).
    None where the mode left it out.
    `quotes`: the best passages of this transcript, verbatim and cited, best first."""

    document: str
    title: str
    date: str | None
    phrase_count: int | None
    rate_per_10k: float | None
    topic_passages: int | None
    quotes: list[Passage] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "title": self.title,
            "date": self.date,
            "phrase_count": self.phrase_count,
            "rate_per_10k": self.rate_per_10k,
            "topic_passages": self.topic_passages,
            "quotes": [q.to_dict() for q in self.quotes],
        }


@dataclass(frozen=True)
class Timeline:
    """`rows`: dated transcripts in date order (then by name); `undated`: the transcripts with
    no date, never placed on the time axis. `mode` is the one used ("phrase", "topic" or
    "both"), `speakers` the speakers' names the `speaker` filter matched."""

    query: str
    speaker: str | list[str] | None
    rows: list[TimelineRow]
    undated: list[TimelineRow] = field(default_factory=list)
    mode: str = "both"
    speakers: tuple[str, ...] = ()

    @property
    def counts_phrase(self) -> bool:
        return self.mode in ("phrase", "both")

    @property
    def counts_topic(self) -> bool:
        return self.mode in ("topic", "both")

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "speaker": self.speaker,
            "rows": [r.to_dict() for r in self.rows],
            "undated": [r.to_dict() for r in self.undated],
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    def to_csv(self) -> str:
        return rows_csv(self.to_dict())


CSV_COLUMNS = [
    "date",
    "document",
    "title",
    "phrase_count",
    "rate_per_10k",
    "topic_passages",
    "top_quote",
    "top_quote_speaker",
    "top_quote_citation",
]


def rows_csv(data: dict[str, Any]) -> str:
    """A timeline's rows (as `Timeline.to_dict` gives them) as CSV: one line per transcript,
    dated ones in date order, then the undated; the best quote verbatim with its citation."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in [*data["rows"], *data["undated"]]:
        quote = row["quotes"][0] if row["quotes"] else None
        cite = quote["citation"] if quote else None
        writer.writerow(
            [
                row["date"] or "",
                row["document"],
                row["title"],
                "" if row["phrase_count"] is None else row["phrase_count"],
                "" if row["rate_per_10k"] is None else row["rate_per_10k"],
                "" if row["topic_passages"] is None else row["topic_passages"],
                quote["text"] if quote else "",
                (cite["speaker"] or "") if cite else "",
                f"{cite['document']} ¶{cite['paragraph']}, characters {cite['start']}–{cite['end']}"
                if cite
                else "",
            ]
        )
    return out.getvalue()


def resolve_mode(query: str, mode: str, words: int) -> str:
    """The mode a query runs in. "auto": a query in double quotes counts the phrase only; one of
    at most PHRASE_MAX_WORDS words counts both; a longer one (a question) looks for the topic
    only, since an exact sentence seldom recurs."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    if mode != "auto":
        return mode
    text = query.strip()
    if len(text) > 1 and text[0] in '"“' and text[-1] in '"”':
        return "phrase"
    return "both" if words <= PHRASE_MAX_WORDS else "topic"
