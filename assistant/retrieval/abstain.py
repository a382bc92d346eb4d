"""When to say "nothing answers this": key terms the corpus never uses (under any name it uses
for them: `aliases`), and top passages that hold too little of the question's content.

Coverage reads a short passage with its neighbours, up to about a paragraph's worth of words
(`RetrievalConfig.coverage_context`): a meeting's turns are short ("Grad B: the disks, yeah"),
and a topic there spans several of them. A question the best passages do not cover word for
word is read again with its common words' near-synonyms among theirs (`synonyms`): a question in
everyday words for what a transcript says in its own is not declined for that alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.dates import MONTHS
from assistant.retrieval.config import RetrievalConfig
from assistant.retrieval.links import Links
from assistant.retrieval.query import Query
from assistant.retrieval.relevance import (
    FRAMING_STEMS,
    FUNCTION_WORDS,
    Relevance,
    passage_words,
    relevance,
)
from assistant.retrieval.synonyms import WordVectors, common_words, content_words, said_otherwise
from assistant.retrieval.view import CorpusView
from assistant.tokens import is_acronym

__all__ = ["FRAMING_STEMS", "FUNCTION_WORDS", "Coverage", "coverage", "missing_terms"]


@dataclass(frozen=True)
class Coverage:
    """How much of a question the best passages hold (0..1), and the question's words read in
    their words (question word, passage word), when it took near-synonyms to reach that."""

    share: float
    otherwise: tuple[tuple[str, str], ...] = ()


def missing_terms(view: CorpusView, question: str, labels: bool = True) -> list[str]:
    """Key terms of the question (names, acronyms, rare words) found nowhere in the corpus, as
    the question writes them less a possessive ("Baghdad's" is the term "Baghdad"). With
    `labels`, a speaker's label and a document's title are in the corpus too
    (`CorpusView.label_stems`): "Meyer", who gave a speech no line of which names him, is not a
    term it never mentions."""
    known = view.label_stems if labels else frozenset()
    missing = []
    for m in re.finditer(r"[\w'’.-]+", question):
        word = m.group(0).strip(".'’-").removesuffix("'s").removesuffix("’s")
        low = word.lower()
        if not word or low in view.stopwords or low in MONTHS or word.isdigit():
            continue
        is_name = word[0].isupper() and m.start() > 0
        if not (is_name or is_acronym(word)):
            continue
        stems = view.tokens(low)
        if stems and all(s not in view.vocab and s not in known for s in stems):
            missing.append(word)
    return missing


def coverage(
    view: CorpusView,
    question: str,
    query: Query,
    chosen: list[tuple[int, float]],
    cfg: RetrievalConfig,
    measure: Relevance | None = None,
    links: Links | None = None,
    scope: np.ndarray | None = None,
    words: WordVectors | None = None,
) -> Coverage:
    """Share of the question's content found in the best passage among `chosen` (see
    `relevance`; `measure` is the question's, when computed already), each read with its
    neighbours when short (`links`). Low coverage means the passages are about something
    else: abstain.

    Below `min_coverage`, and with `words` (the model's word vectors), a common word of the
    question counts as held by a passage that holds a near-synonym of it (cosine at least
    `synonym_cosine`: `synonyms.said_otherwise`).

    A question put to chosen transcripts (`scope`, a document filter) reads its top passages
    together, as those transcripts' best material on it. A question with fewer content words
    than `coverage_min_terms` is not judged: one word the top passages lack says too little
    about what it asks ("What was the general discussion of the meeting?")."""
    measure = measure or relevance(view, question, query, cfg, scope)
    if measure.total == 0 or len(measure.weights) < cfg.coverage_min_terms:
        return Coverage(1.0)
    if not chosen:
        return Coverage(0.0)
    rows = [i for i, _ in chosen]
    if links is None or not cfg.coverage_context:
        groups = [[i] for i in rows]
    else:
        groups = [[i, *around(view, links, i, cfg.coverage_context)] for i in rows]
    if scope is not None and cfg.scoped_coverage:
        groups = [[i for g in groups for i in g]]
    covered = Coverage(max(_held(view, measure, g) for g in groups))
    if covered.share >= cfg.min_coverage or words is None or cfg.synonym_cosine <= 0:
        return covered
    read = (_held_otherwise(view, question, measure, g, cfg, words) for g in groups)
    return max([covered, *read], key=lambda c: c.share)


def _held_otherwise(
    view: CorpusView,
    question: str,
    measure: Relevance,
    rows: list[int],
    cfg: RetrievalConfig,
    words: WordVectors,
) -> Coverage:
    """The share of the question's content the passages `rows` hold, in its words or, for its
    common words, in near-synonyms of them."""
    held = {s for s in measure.weights if measure.of_stem(view, s, rows)}
    share = sum(measure.weights[s] for s in held) / measure.total
    asked = {
        s: w for s, w in common_words(view, question, measure.weights).items() if s not in held
    }
    if share + sum(measure.weights[s] for s in asked) / measure.total < cfg.min_coverage:
        return Coverage(share)  # even every common word said otherwise would not reach it
    found = said_otherwise(
        asked, content_words(passage_words(view, i) for i in rows), words, cfg.synonym_cosine
    )
    return Coverage(
        share + sum(measure.weights[s] for s in found) / measure.total,
        tuple((asked[s], word) for s, word in found.items()),
    )


def _held(view: CorpusView, measure: Relevance, rows: list[int]) -> float:
    """The share of the question's content held by the passages `rows` together."""
    shares = measure.of(view, rows) if len(rows) == 1 else None
    if shares is not None:
        return float(shares[0])
    held = 0.0
    for stem, weight in measure.weights.items():
        if measure.of_stem(view, stem, rows):
            held += weight
    return held / measure.total


def around(view: CorpusView, links: Links, row: int, words: int) -> list[int]:
    """The passages next to `row` in its document (after, before, alternately) until their
    words and the passage's reach about `words`."""
    out: list[int] = []
    words -= view.words(row)
    before, after = int(links.before[row]), int(links.after[row])
    while words > 0 and (before >= 0 or after >= 0):
        for step in ("after", "before"):
            at = after if step == "after" else before
            if at < 0 or words <= 0:
                continue
            out.append(at)
            words -= view.words(at)
            if step == "after":
                after = int(links.after[at])
            else:
                before = int(links.before[at])
    return out


def scope_share(
    view: CorpusView, vector: np.ndarray, scope: np.ndarray, wider: np.ndarray | None
) -> tuple[float, int | None]:
    """How well the transcripts a question was put to (`scope`) match it against the corpus
    under the same other filters (`wider`; None: all of it): the cosine of the scope's best
    passage over that of the wider set's best, and that best passage's row (None when it lies
    in the scope).

    A question about a transcript's topic finds its best passage there about as close to it as
    any in the corpus (the lowest share of QMSum val's questions put to their own meeting: 0.62
    with the int8 encoder, 0.56 with PyTorch's; of the dev questions put to their own
    transcript: 0.75). Put to a transcript that never discusses it, while others do, its best
    passage there is much further (QMSum's questions put to a meeting of another domain: under
    half for more than half of them). `RetrievalConfig.scope_share` declines below half. The
    best passage, not the mean of a few: in a short transcript the few include passages about
    anything."""
    vectors = view.index.vectors
    inside, _ = vectors.search(vector, 1, np.flatnonzero(scope))
    outside, best = vectors.search(vector, 1, None if wider is None else np.flatnonzero(wider))
    high, top, row = float(inside[0][0]), float(outside[0][0]), int(best[0][0])
    if not (np.isfinite(high) and np.isfinite(top)) or top <= 0 or row < 0:
        return 1.0, None
    return high / top, (None if scope[row] else row)
