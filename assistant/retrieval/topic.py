"""Passages about a question, date by date: for each date where `ask` with that date's filter
answers, the passages it returns that hold at least `topic_coverage` of the question's content
(`relevance`; half of it: the rarest of two words, "human" of "human rights", not "right").

The question is resolved, checked for missing terms, measured and encoded once; each date then
goes through `Retriever.select`, the very ranking `ask` runs once its filters are set. Dates
where no passage can reach `topic_coverage` (by `Relevance.bound`) are not ranked at all:
nothing there could count. A date counts passages by the question's own words: the near-synonyms
`ask` may read a question's common words as (`synonyms`) are not looked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import numpy as np

from assistant.retrieval import abstain
from assistant.retrieval.config import MAX_K
from assistant.retrieval.filters import build_filters
from assistant.retrieval.relevance import relevance
from assistant.retrieval.retriever import Retriever
from assistant.retrieval.view import CorpusView

K = TypeVar("K")


def topic_passages(
    retriever: Retriever,
    question: str,
    groups: Mapping[K, np.ndarray],
    *,
    speaker: str | list[str] | None = None,
    k: int = MAX_K,
) -> dict[K, list[tuple[int, float]]]:
    """Per group of passages (a boolean mask: one date's, see `date_groups`, or a document's),
    the (passage row, score) pairs that `ask(question, k=k, speaker=speaker)` with that group as
    its filter returns holding `topic_coverage` of the question's content, best first; empty
    where it abstains."""
    view, cfg = retriever.view, retriever.config
    question = question.strip()
    found: dict[K, list[tuple[int, float]]] = {key: [] for key in groups}
    filters = build_filters(view, speaker, None, None, None)
    query = retriever.resolve(question)
    if not groups or (
        cfg.missing_terms_abstain and abstain.missing_terms(view, question, cfg.label_words)
    ):
        return found
    named = () if speaker else query.speakers
    measure = relevance(view, question, query, cfg)
    threshold = max(cfg.min_coverage, cfg.topic_coverage)
    able = None
    if threshold > 0:  # a group with no passage able to reach the threshold counts none
        able = measure.bound(view) >= threshold
        if filters.speakers is not None:
            able &= np.isin(view.chunk_speaker, list(filters.speakers))
    live = [key for key, mask in groups.items() if able is None or (able & mask).any()]
    if not live:
        return found
    vector = retriever.query_vector(query)
    for key in live:
        mask = groups[key] if filters.mask is None else (groups[key] & filters.mask)
        if not mask.any():
            continue
        # no near-synonyms: a date counts the passages holding the question's own words
        chosen, _, answered = retriever.select(
            question,
            query,
            vector,
            mask,
            min(k, MAX_K),
            named,
            filters.speakers,
            None,
            measure,
            synonyms=False,
        )
        if not answered:
            continue
        pairs = [(rows[0], score) for rows, score in chosen]  # one window each (windows off)
        shares = measure.of(view, [i for i, _ in pairs])
        found[key] = [pair for pair, share in zip(pairs, shares, strict=True) if share >= threshold]
    return found


def date_groups(view: CorpusView, dates: list[str]) -> dict[str, np.ndarray]:
    """One group per date: the passages of the transcripts of that day (a date filter)."""
    return {date: view.date_mask(date, date) for date in dates}
