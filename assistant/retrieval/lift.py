"""Transcript-aware adjustments of fused scores: a reporter's question that matches lifts the
official's answer to it; a speaker the question names, or the date an earlier question named,
weighs more, and the named speaker's best passage is shown first."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from assistant.retrieval.config import RetrievalConfig
from assistant.retrieval.links import Links
from assistant.retrieval.query import Query
from assistant.retrieval.view import CorpusView
from assistant.transcripts import ANSWER, QUESTION


def lift_answers(
    view: CorpusView,
    fused: dict[int, float],
    dense_of: dict[int, float],
    vector: np.ndarray,
    mask: np.ndarray | None,
    cfg: RetrievalConfig,
    named: set[int] | frozenset[int] = frozenset(),
) -> None:
    """In place: each matching question passes a share of its score to the passages answering
    it (shorter answers get less), and ranks below answers itself, unless its speaker is one of
    `named` (speaker codes the question names: "What did Paul Kiernan ask?" wants his
    questions)."""
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
    words = {j: view.words(j) for j in answers}
    for i, j in pairs:
        fused[j] += cfg.question_lift * asked[i] * min(1.0, words[j] / cfg.lift_full_words)
    for i in asked:
        if view.chunk_speaker[i] not in named:
            fused[i] *= cfg.question_penalty


def own_words(
    view: CorpusView, ranked: list[tuple[int, float]], tokens: list[str], depth: int
) -> list[tuple[int, float]]:
    """`ranked` (row, score), best first, with the windows of each long answer that has one
    among the first `depth` trading their scores: the best goes to the window whose own words
    hold most of the question's (by IDF), the rest keep their order.

    Every window of an answer is read with the question it answers (`passages.embedding_text`,
    `lexical_text`), so a short window on another topic could outrank the one that answers by
    the reporter's words alone: asked "What did Powell say about tariffs?", the last window of
    an answer to a question on tariffs *and* the balance sheet, about reserves, came first. The
    answer keeps its place in the ranking; which of its windows is shown is the words' choice."""
    weights = {t: float(view.idf[view.vocab[t]]) for t in set(tokens) if t in view.vocab}
    if not weights or not ranked:
        return ranked
    rows = np.fromiter((i for i, _ in ranked), dtype=np.int64, count=len(ranked))
    paragraph = np.asarray(view.index.chunks.column("paragraph"))[rows]
    document = view.chunk_doc[rows]
    answer = view.chunk_role[rows] == ANSWER
    wanted = {(int(document[n]), int(paragraph[n])) for n in np.flatnonzero(answer[:depth])}
    groups: dict[tuple[int, int], list[int]] = {}
    for n in np.flatnonzero(answer).tolist():
        key = (int(document[n]), int(paragraph[n]))
        if key in wanted:
            groups.setdefault(key, []).append(n)
    out = list(ranked)
    for places in groups.values():
        if len(places) < 2:
            continue
        windows = [ranked[n][0] for n in places]
        held = []
        for i in windows:
            words = set(view.tokens(view.index.chunks[i].text))
            held.append(sum(w for t, w in weights.items() if t in words))
        if max(held) == min(held):
            continue
        # places are in ranked order, so a stable sort keeps it among windows holding as much
        order = sorted(range(len(windows)), key=lambda m: -held[m])
        for n, m in zip(places, order, strict=True):
            out[n] = (windows[m], ranked[n][1])
    return out


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
    elif query.earlier_documents:
        earlier = set(query.earlier_documents)
        for i in fused:
            if int(view.chunk_doc[i]) in earlier:
                fused[i] *= 1 + cfg.date_boost


def beside_named(
    view: CorpusView,
    links: Links,
    fused: dict[int, float],
    named_speakers: tuple[str, ...],
    cfg: RetrievalConfig,
    mask: np.ndarray | None,
) -> None:
    """In place: a passage (within `mask`) by a speaker the question names, just before or
    after a passage by another speaker, scores at least what that passage would had the named
    speaker said it (its score with the speaker boost). Asked "How did Kirsty Williams respond
    to the doubt that their action was not enough?" (QMSum), her reply ("Well, first of all,
    ... the figures on their own tell one story") is found by the words of the challenge just
    before it, which her own do not repeat."""
    if not named_speakers or not cfg.named_beside or not fused:
        return
    codes = np.fromiter(view.speaker_codes(named_speakers), dtype=np.int64)
    rows = np.fromiter(fused, dtype=np.int64, count=len(fused))
    scores = np.fromiter(fused.values(), dtype=np.float64, count=len(fused))
    others = ~np.isin(view.chunk_speaker[rows], codes)
    rows, scores = rows[others], scores[others] * (1 + cfg.speaker_boost)
    for side in (links.before, links.after):
        beside = side[rows]
        named = beside >= 0
        named[named] = np.isin(view.chunk_speaker[beside[named]], codes)
        if mask is not None:
            named[named] = mask[beside[named]]
        for j, score in zip(beside[named].tolist(), scores[named].tolist(), strict=True):
            fused[j] = max(fused.get(j, 0.0), score)


def place_named(
    view: CorpusView,
    ranked: list[tuple[int, float]],
    named_speakers: tuple[str, ...],
    place: int,
    on_topic: Callable[[list[int]], np.ndarray] | None = None,
    further: list[tuple[int, float]] | None = None,
) -> list[tuple[int, float]]:
    """`ranked` (row, score), best first, with the best passage by a speaker the question names
    raised to `place` (1-based) when it ranks below: "What was Bethan Owen's comment" shows her
    words among the first, even where others' passages match the topic better.

    With `on_topic` (rows -> the share of the question's content each holds: `Relevance.of`),
    the passage raised is their best one holding any of it: from `ranked`, else from `further`
    (the ranking below it), else their best one as before. Asked what the Chief Justice said
    about emergency rooms, his words on emergency services, not "Thank you, gentlemen. We'll
    take a pause", which matches the question by his label alone."""
    codes = view.speaker_codes(named_speakers)
    theirs = [n for n, (i, _) in enumerate(ranked) if view.chunk_speaker[i] in codes]
    if on_topic is not None and place >= 1:
        held = on_topic([ranked[n][0] for n in theirs]) if theirs else np.zeros(0)
        topical = [n for n, h in zip(theirs, held.tolist(), strict=True) if h > 0]
        if not topical and further:
            seen = {i for i, _ in ranked}
            rows = [i for i, _ in further if i not in seen and view.chunk_speaker[i] in codes]
            held = on_topic(rows) if rows else np.zeros(0)
            found = next((i for i, h in zip(rows, held.tolist(), strict=True) if h > 0), None)
            if found is not None:
                ranked = [*ranked, (found, 0.0)]
                topical = [len(ranked) - 1]
        theirs = topical or theirs
    first = theirs[0] if theirs else None
    if first is None or first < place or place < 1:
        return ranked
    row, _ = ranked[first]
    above = ranked[place - 1][1]
    rest = ranked[:first] + ranked[first + 1 :]
    return [*rest[: place - 1], (row, above), *rest[place - 1 :]]
