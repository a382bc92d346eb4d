"""Transcript-aware adjustments of fused scores: a reporter's question that matches lifts the
official's answer to it; a speaker the question names, or the date an earlier question named,
weighs more, and the named speaker's best passage is shown first."""

from __future__ import annotations

import numpy as np

from assistant.retrieval.config import RetrievalConfig
from assistant.retrieval.query import Query
from assistant.retrieval.view import CorpusView
from assistant.transcripts import QUESTION


def lift_answers(
    view: CorpusView,
    fused: dict[int, float],
    dense_of: dict[int, float],
    vector: np.ndarray,
    mask: np.ndarray | None,
    cfg: RetrievalConfig,
) -> None:
    """In place: each matching question passes a share of its score to the passages answering
    it (shorter answers get less), and ranks below answers itself."""
    chunks = view.index.chunks
    pairs: list[tuple[int, int]] = []  # (question, answer), in the candidates' order
    asked: dict[int, float] = {}  # each question's score before its penalty
    for i in list(fused):
        if view.chunk_role[i] != QUESTION:  # the array: no passage object built for the rest
            continue
        asked[i] = fused[i]
        chunk = chunks[i]
        pairs += [
            (i, j)
            for j in view.answers_to.get((chunk.document, chunk.paragraph), [])
            if mask is None or mask[j]
        ]
    answers = list(dict.fromkeys(j for _, j in pairs))
    new = [j for j in answers if j not in fused]
    if new:  # answers no retriever found: their cosine, in one product
        for j, score in zip(new, view.index.vectors.scores(vector, new), strict=True):
            fused[j] = 0.0
            dense_of[j] = float(score)
    words = {j: len(chunks[j].text.split()) for j in answers}
    for i, j in pairs:
        fused[j] += cfg.question_lift * asked[i] * min(1.0, words[j] / cfg.lift_full_words)
    for i in asked:
        fused[i] *= cfg.question_penalty


def boost_named(
    view: CorpusView,
    fused: dict[int, float],
    query: Query,
    named_speakers: tuple[str, ...],
    cfg: RetrievalConfig,
) -> None:
    """In place: passages by a speaker the question names, and (follow-ups) passages dated as
    the earlier question asked, score more."""
    if named_speakers:
        codes = view.speaker_codes(named_speakers)
        for i in fused:
            if view.chunk_speaker[i] in codes:
                fused[i] *= 1 + cfg.speaker_boost
    if query.date_range and query.date_from_history:
        low, high = query.date_range.start, query.date_range.end
        for i in fused:
            date = view.doc_dates[view.chunk_doc[i]]
            if date is not None and low <= date <= high:
                fused[i] *= 1 + cfg.date_boost


def place_named(
    view: CorpusView, ranked: list[tuple[int, float]], named_speakers: tuple[str, ...], place: int
) -> list[tuple[int, float]]:
    """`ranked` (row, score), best first, with the best passage by a speaker the question names
    raised to `place` (1-based) when it ranks below: "What was Bethan Owen's comment" shows her
    words among the first, even where others' passages match the topic better."""
    codes = view.speaker_codes(named_speakers)
    first = next((n for n, (i, _) in enumerate(ranked) if view.chunk_speaker[i] in codes), None)
    if first is None or first < place or place < 1:
        return ranked
    row, _ = ranked[first]
    above = ranked[place - 1][1]
    rest = ranked[:first] + ranked[first + 1 :]
    return [*rest[: place - 1], (row, above), *rest[place - 1 :]]
