"""When to say "nothing answers this": key terms the corpus never uses, and top passages that
hold too little of the question's content."""

from __future__ import annotations

import re

from assistant.dates import MONTHS
from assistant.retrieval.config import RetrievalConfig
from assistant.retrieval.query import Query
from assistant.retrieval.relevance import FRAMING_STEMS, FUNCTION_WORDS, Relevance, relevance
from assistant.retrieval.view import CorpusView

__all__ = ["FRAMING_STEMS", "FUNCTION_WORDS", "coverage", "missing_terms"]


def missing_terms(view: CorpusView, question: str) -> list[str]:
    """Key terms of the question (names, acronyms, rare words) found nowhere in the corpus."""
    missing = []
    for m in re.finditer(r"[\w'’.-]+", question):
        word = m.group(0).strip(".'’-")
        low = word.lower().removesuffix("'s").removesuffix("’s")
        if not word or low in view.stopwords or low in MONTHS or word.isdigit():
            continue
        is_name = word[0].isupper() and m.start() > 0
        is_acronym = sum(ch.isupper() for ch in word) >= 2
        if not (is_name or is_acronym):
            continue
        stems = view.tokens(low)
        if stems and all(s not in view.vocab for s in stems):
            missing.append(word)
    return missing


def coverage(
    view: CorpusView,
    question: str,
    query: Query,
    chosen: list[tuple[int, float]],
    cfg: RetrievalConfig,
    measure: Relevance | None = None,
) -> float:
    """Share of the question's content found in the best passage among `chosen` (see
    `relevance`; `measure` is the question's, when computed already). Low coverage means the
    passages are about something else: abstain."""
    measure = measure or relevance(view, question, query, cfg)
    if measure.total == 0 or not chosen:
        return 1.0 if measure.total == 0 else 0.0
    return float(measure.of(view, [i for i, _ in chosen]).max())
