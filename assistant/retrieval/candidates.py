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
from assistant.retrieval.sentences import Sentences
from assistant.retrieval.view import CorpusView


@dataclass
class Candidates:
    """Each retriever's 0-based ranks and raw scores, by passage row (`sentence_rank`: the
    passages' ranks by their best sentence, `retrieval/sentences.py`); `dense_of` is completed
    with an exact cosine for every candidate (abstention and de-duplication use it);
    `lexical_all` is the BM25 score of every passage (None when BM25 was not asked)."""

    dense_rank: dict[int, int] = field(default_factory=dict)
    dense_of: dict[int, float] = field(default_factory=dict)
    lexical_rank: dict[int, int] = field(default_factory=dict)
    lexical_of: dict[int, float] = field(default_factory=dict)
    lexical_all: np.ndarray | None = None
    sentence_rank: dict[int, int] = field(default_factory=dict)  # by their best sentence

    @property
    def ids(self) -> np.ndarray:
        found = set(self.dense_rank) | set(self.lexical_rank) | set(self.sentence_rank)
        return np.array(sorted(found), dtype=np.int64)


# Below this many passages both searches take well under a millisecond: a thread's hand-off
# would cost more than it saves.
PARALLEL_MIN_PASSAGES = 50_000
_LEXICAL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="verbatim-bm25")


def query_tokens(view: CorpusView, query: Query, cfg: RetrievalConfig) -> list[str]:
    """The BM25 query: the question's stems (and its aliases' words), and for a follow-up the
    question twice and the one before once. The name of a speaker the question names, and the
    office that named them ("the Minister of Health"), are left out: the speaker boost finds
    their passages, and as a word a name matched the label of every one of their turns
    ("Marketing: Yeah.") while BM25 read labels; left in since, it still costs QMSum
    (docs/quality.md), and an office matched the chair's "The Minister has the floor"."""
    named = (
        set(view.tokens(view.names.naming_words(query.speakers)))
        if cfg.bm25_without_speakers
        else set()
    )
    tokens = [t for t in view.tokens(query.searched) if t in view.vocab and t not in named]
    if query.previous:
        tokens = tokens * 2 + [t for t in view.tokens(query.previous) if t in view.vocab]
    return tokens


def start_lexical(
    view: CorpusView, query: Query, mask: np.ndarray | None, cfg: RetrievalConfig
) -> Future | None:
    """BM25 for `query` within `mask` started on the second thread, when the index is large
    enough for that to pay (None otherwise): begun before the question is encoded, it runs
    while the model and then FAISS work. Pass it to `search` with the same query and mask."""
    if not (cfg.use_lexical and _in_parallel(view, cfg)):
        return None
    tokens = query_tokens(view, query, cfg)
    return _LEXICAL.submit(lexical_search, view, tokens, mask, cfg.candidates) if tokens else None


def _in_parallel(view: CorpusView, cfg: RetrievalConfig) -> bool:
    """Whether BM25 runs on the second thread beside FAISS: both asked, the index large."""
    return cfg.use_dense and len(view.index.chunks) >= PARALLEL_MIN_PASSAGES


def search(
    view: CorpusView,
    query: Query,
    vector: np.ndarray,
    mask: np.ndarray | None,
    cfg: RetrievalConfig,
    *,
    dense: tuple[np.ndarray, np.ndarray] | None = None,
    lexical: Future | None = None,
    lexical_all: np.ndarray | None = None,
    sentences: Sentences | None = None,
) -> Candidates:
    """The top `cfg.candidates` of each retriever within `mask`; `dense` is this query's
    (scores, ids) row when already searched in a batch; `lexical` its BM25 search already
    started (`start_lexical`); `lexical_all` the BM25 score of every passage for this query
    under a wider mask, when known (narrowing it is cheaper than scoring again); `sentences`
    the index's sentence vectors, searched too when `cfg.sentence_share` is above 0."""
    index = view.index
    allowed = None if mask is None else np.flatnonzero(mask)
    found = Candidates()
    tokens = query_tokens(view, query, cfg) if cfg.use_lexical else []
    known = None
    if lexical_all is not None and tokens:
        narrowed = lexical_all if mask is None else lexical_all * mask
        known = narrowed, top_rows(narrowed, cfg.candidates)
    elif lexical is None and tokens and dense is None and _in_parallel(view, cfg):
        lexical = _LEXICAL.submit(lexical_search, view, tokens, mask, cfg.candidates)
    if cfg.use_dense:
        if dense is None:
            scores, ids = index.vectors.search(vector, cfg.candidates, allowed)
            dense = scores[0], ids[0]
        for r, (i, s) in enumerate(zip(dense[1], dense[0], strict=True)):
            if i >= 0:
                found.dense_rank[int(i)] = r
                found.dense_of[int(i)] = float(s)
        if sentences is not None and cfg.sentence_share > 0:
            found.sentence_rank = sentences.ranks(vector, cfg.candidates, mask)
    if tokens:
        weights, top = known or (
            lexical.result() if lexical else lexical_search(view, tokens, mask, cfg.candidates)
        )
        found.lexical_all = weights
        for r, i in enumerate(top):
            found.lexical_rank[int(i)] = r
            found.lexical_of[int(i)] = float(weights[i])
    ids = found.ids
    if len(ids):
        for i, s in zip(ids, index.vectors.scores(vector, ids), strict=True):
            found.dense_of[int(i)] = float(s)
    return found


def lexical_scores(view: CorpusView, tokens: list[str], mask: np.ndarray | None) -> np.ndarray:
    """BM25's score of every passage for `tokens` (0 outside `mask`: bm25s multiplies by it)."""
    return view.index.bm25.get_scores(  # type: ignore[attr-defined]
        [view.vocab[t] for t in tokens], weight_mask=mask
    )


def lexical_search(
    view: CorpusView, tokens: list[str], mask: np.ndarray | None, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """BM25's score of every passage and the rows of its top `k` (scoring above 0)."""
    weights = lexical_scores(view, tokens, mask)
    return weights, top_rows(weights, k)


# top_rows samples one score in this many to guess the k-th best score
_SAMPLE_STEP = 64


def top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Rows of the `k` highest positive scores, best first (ties by row).

    Exact, without partitioning every score: a sample's quantile gives a threshold that about
    four times k scores reach; when at least k do, the top k are all among them (the k-th best
    score is at or above it), else every score is partitioned. At a million passages that is
    0.5 ms instead of 4 ms for numpy's argpartition over all of them."""
    n = len(scores)
    k = min(k, n)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    pool: np.ndarray | None = None
    if n > 16 * k * _SAMPLE_STEP:
        sample = scores[::_SAMPLE_STEP]
        rank = len(sample) - 4 * k * len(sample) // n - 1
        threshold = np.partition(sample, rank)[rank]
        pool = np.flatnonzero(scores >= threshold) if threshold > 0 else None
        if pool is not None and len(pool) < k:
            pool = None
    if pool is None:
        pool = np.flatnonzero(scores > 0)
    # every score in the pool is positive (at or above a positive threshold), in row order
    if len(pool) > k:
        kth = -np.partition(-scores[pool], k - 1)[k - 1]
        above = pool[scores[pool] > kth]
        pool = np.concatenate([above, pool[scores[pool] == kth][: k - len(above)]])
    return pool[np.lexsort((pool, -scores[pool]))]
