"""Scoring retrieval against questions with known answers (the format of ../shared/eval/dev.jsonl).

A question is `{"question", "kind", "answers": [{"doc", "quote"}], "context"?}`; `answers: []`
means the corpus cannot answer it. A hit is a returned passage in the gold document overlapping
at least half of the gold quote's span.
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
    answerable = [o for o in outcomes if o.question.answers]
    unanswerable = [o for o in outcomes if not o.question.answers]
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


def load_questions(path: Path) -> list[Question]:
    questions = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise TypeError(f"a JSON {type(row).__name__}, not an object")
                if not isinstance(row.get("question", ""), str):
                    raise TypeError("its question is not text")
                questions.append(
                    Question(
                        id=str(row.get("id", number)),
                        question=row["question"],
                        kind=row.get("kind", "unknown"),
                        answers=tuple((a["doc"], a["quote"]) for a in row.get("answers", [])),
                        context=row.get("context"),
                    )
                )
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a question record ({error})") from None
    return questions


def gold_spans(
    question: Question, text_of: Callable[[str], str | None]
) -> list[tuple[str, int, int]]:
    spans = []
    for document, quote in question.answers:
        text = text_of(document)
        if text is None:
            continue
        start = text.find(quote)
        if start >= 0:
            spans.append((document, start, start + len(quote)))
    return spans


def first_hit(answer: Answer, spans: list[tuple[str, int, int]], depth: int = 10) -> int | None:
    for rank, passage in enumerate(answer.passages[:depth], 1):
        c = passage.citation
        for document, start, end in spans:
            overlap = min(end, c.end) - max(start, c.start)
            if c.document == document and overlap >= (end - start) / 2:
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
        rank = first_hit(answer, gold_spans(q, text_of)) if answer.answered else None
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
