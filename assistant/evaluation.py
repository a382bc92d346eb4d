"""Scoring retrieval against questions with known answers (the format of ../shared/eval/dev.jsonl).

A question is `{"question", "kind", "answers": [{"doc", "quote"}], "context"?}`; `answers: []`
means the corpus cannot answer it. A hit is a returned passage in the gold document overlapping
at least half of the gold quote's span.

QMSum-style questions (`load_span_questions`) give their gold as whole character spans of a
document (a stretch of a meeting) instead of quotes; there a hit is a passage lying inside a
span: overlapping it by at least half the passage, or by at least half the span.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answers import Answer


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    kind: str
    answers: tuple[tuple[str, str], ...]  # (document, quote)
    context: str | None = None
    spans: tuple[tuple[str, int, int], ...] = ()  # (document, start, end): gold given as spans
    document: str | None = None  # the document the question was written for (QMSum: its meeting)

    @property
    def answerable(self) -> bool:
        return bool(self.answers or self.spans)


@dataclass
class Outcome:
    question: Question
    answered: bool
    rank: int | None  # 1-based rank of the first hit within the top 10, None if no hit


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def summary(self) -> dict:
        return _summary(self.outcomes)

    def by_kind(self) -> dict[str, dict]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for o in self.outcomes:
            groups[o.question.kind].append(o)
        return {kind: _summary(items) for kind, items in sorted(groups.items())}


def _summary(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if o.question.answerable]
    unanswerable = [o for o in outcomes if not o.question.answerable]
    out: dict = {
        "questions": len(outcomes),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
    }
    if answerable:
        n = len(answerable)
        out["hit@1"] = sum(1 for o in answerable if o.rank == 1) / n
        out["hit@5"] = sum(1 for o in answerable if o.rank and o.rank <= 5) / n
        out["mrr@10"] = sum(1 / o.rank for o in answerable if o.rank) / n
        out["wrongly_declined"] = sum(1 for o in answerable if not o.answered) / n
    if unanswerable:
        out["declined"] = sum(1 for o in unanswerable if not o.answered) / len(unanswerable)
    return out


def _read_records(path: Path, make: Callable[[int, dict], Question]) -> list[Question]:
    """One `make(line number, record)` per non-empty JSON line of `path`; a bad line is a
    ValueError naming the file and line."""
    questions = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                questions.append(make(number, json.loads(line)))
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise ValueError(f"{path}:{number}: not a question record ({error})") from None
    return questions


def load_questions(path: Path) -> list[Question]:
    def make(number: int, row: dict) -> Question:
        if not isinstance(row, dict):
            raise TypeError(f"a JSON {type(row).__name__}, not an object")
        if not isinstance(row.get("question", ""), str):
            raise TypeError("its question is not text")
        return Question(
            id=str(row.get("id", number)),
            question=row["question"],
            kind=row.get("kind", "unknown"),
            answers=tuple((a["doc"], a["quote"]) for a in row.get("answers", [])),
            context=row.get("context"),
        )

    return _read_records(path, make)


def load_span_questions(folder: Path) -> list[Question]:
    """A QMSum-format folder (`questions_meta.jsonl`: `id`, `doc`, `question`, `domain`,
    `gold_span_char_offsets`) as questions whose gold is whole spans of their meeting."""

    def make(number: int, row: dict) -> Question:
        return Question(
            id=str(row.get("id", number)),
            question=row["question"],
            kind=str(row.get("domain", "qmsum")).lower(),
            answers=(),
            spans=tuple((row["doc"], int(s), int(e)) for s, e in row["gold_span_char_offsets"]),
            document=row["doc"],
        )

    return _read_records(Path(folder) / "questions_meta.jsonl", make)


def gold_spans(
    question: Question, text_of: Callable[[str], str | None]
) -> list[tuple[str, int, int]]:
    spans = list(question.spans)
    for document, quote in question.answers:
        text = text_of(document)
        if text is None:
            continue
        start = text.find(quote)
        if start >= 0:
            spans.append((document, start, start + len(quote)))
    return spans


def first_hit(
    answer: Answer, spans: list[tuple[str, int, int]], depth: int = 10, *, inside: bool = False
) -> int | None:
    """1-based rank of the first passage covering half a gold span (or, `inside`, lying inside
    one: overlapping it by half the passage or half the span)."""
    for rank, passage in enumerate(answer.passages[:depth], 1):
        c = passage.citation
        for document, start, end in spans:
            if c.document != document:
                continue
            overlap = min(end, c.end) - max(start, c.start)
            if overlap >= (end - start) / 2 or (
                inside and overlap > 0 and overlap >= (c.end - c.start) / 2
            ):
                return rank
    return None


def evaluate(
    questions: Iterable[Question],
    ask: Callable[[Question], Answer],
    text_of: Callable[[str], str | None],
) -> Report:
    report = Report()
    for q in questions:
        answer = ask(q)
        spans = gold_spans(q, text_of)
        rank = first_hit(answer, spans, inside=bool(q.spans)) if answer.answered else None
        report.outcomes.append(Outcome(q, answer.answered, rank))
    return report


def format_report(report: Report) -> str:
    rows = [("all", report.summary()), *report.by_kind().items()]
    cols = ["questions", "hit@1", "hit@5", "mrr@10", "declined", "wrongly_declined"]
    lines = ["| kind | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, s in rows:
        cells = []
        for c in cols:
            v = s.get(c)
            cells.append("" if v is None else (str(v) if isinstance(v, int) else f"{v:.2f}"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
