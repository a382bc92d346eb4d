"""Candidate search: the top passages by meaning (FAISS) and by words (bm25s), within a mask.

In a large index the two searches run at once: FAISS and numpy release the GIL, so BM25's
scoring of every passage runs on a second core while FAISS scans its lists (at a million
passages each takes about as long as the other).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from assistant.retrieval.config import RetrievalConfig
from assistant.retrieval.query import Query
from assistant.retrieval.view import CorpusView


@dataclass
class Candidates:
    """Each retriever's 0-based ranks and raw scores, by passage row; `dense_of` is completed
    with an exact cosine for every candidate (abstention and de-duplication use it);
    `lexical_all` is the BM25 score of every passage (None when BM25 was not asked)."""

    dense_rank: dict[int, int] = field(default_factory=dict)
    dense_of: dict[int, float] = field(default_factory=dict)
    lexical_rank: dict[int, int] = field(default_factory=dict)
    lexical_of: dict[int, float] = field(default_factory=dict)
    lexical_all: np.ndarray | None = None

    @property
    def ids(self) -> np.ndarray:
        return np.array(sorted(set(self.dense_rank) | set(self.lexical_rank)), dtype=np.int64)


# Below this many passages both searches take well under a millisecond: a thread's hand-off
# would cost more than it saves.
PARALLEL_MIN_PASSAGES = 50_000
_LEXICAL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="verbatim-bm25")


def query_tokens(view: CorpusView, query: Query, cfg: RetrievalConfig) -> list[str]:
    """The BM25 query: the question's stems (and its aliases' words), and for a follow-up the
    question twice and the one before once. The name of a speaker the question names is left
    out: the speaker boost finds their passages, and as a word it matches the label of every one
    of their turns ("Marketing: Yeah."), the shorter the better."""
    named = set(view.tokens(" ".join(query.speakers))) if cfg.bm25_without_speakers else set()
    tokens = [t for t in view.tokens(query.searched) if t in view.vocab and t not in named]
    if query.previous:
        tokens = tokens * 2 + [t for t in view.tokens(query.previous) if t in view.vocab]
    return tokens


def search(
    view: CorpusView,
    query: Query,
    vector: np.ndarray,
    mask: np.ndarray | None,
    cfg: RetrievalConfig,
    *,
    dense: tuple[np.ndarray, np.ndarray] | None = None,
) -> Candidates:
    """The top `cfg.candidates` of each retriever within `mask`; `dense` is this query's
    (scores, ids) row when already searched in a batch."""
    index = view.index
    n = len(index.chunks)
    allowed = None if mask is None else np.flatnonzero(mask)
    found = Candidates()
    tokens = query_tokens(view, query, cfg) if cfg.use_lexical else []
    lexical: Future | None = None
    if tokens and cfg.use_dense and dense is None and n >= PARALLEL_MIN_PASSAGES:
        lexical = _LEXICAL.submit(lexical_scores, view, tokens, mask)
    if cfg.use_dense:
        if dense is None:
            scores, ids = index.vectors.search(vector, cfg.candidates, allowed)
            dense = scores[0], ids[0]
        for r, (i, s) in enumerate(zip(dense[1], dense[0], strict=True)):
            if i >= 0:
                found.dense_rank[int(i)] = r
                found.dense_of[int(i)] = float(s)
    if tokens:
        weights = lexical.result() if lexical else lexical_scores(view, tokens, mask)
        found.lexical_all = weights
        top = np.argpartition(-weights, min(cfg.candidates, n) - 1)[: cfg.candidates]
        top = top[np.argsort(-weights[top])]
        for r, i in enumerate(top):
            if weights[i] > 0:
                found.lexical_rank[int(i)] = r
                found.lexical_of[int(i)] = float(weights[i])
    ids = found.ids
    if len(ids):
        for i, s in zip(ids, index.vectors.scores(vector, ids), strict=True):
            found.dense_of[int(i)] = float(s)
    return found


def lexical_scores(view: CorpusView, tokens: list[str], mask: np.ndarray | None) -> np.ndarray:
    """BM25's score of every passage for `tokens` (0 outside `mask`)."""
    weights = view.index.bm25.get_scores(  # type: ignore[attr-defined]
        [view.vocab[t] for t in tokens], weight_mask=None if mask is None else mask
    )
    return weights if mask is None else np.where(mask, weights, 0.0)
