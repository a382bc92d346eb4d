"""Candidate search: BM25 beside FAISS on a second thread gives the candidates of one thread."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.retrieval import candidates
from assistant.retrieval.candidates import top_rows

QUESTIONS = [
    "What did the press secretary say about the budget?",
    "How is inflation expected to develop?",
    "Who talked about foreign affairs work?",
]


@pytest.fixture
def assistant(small_corpus: Path, tmp_path: Path, hashing_model) -> Assistant:
    return Assistant.build(small_corpus, index_dir=tmp_path / "index", model=hashing_model)


def _candidates(assistant: Assistant, question: str) -> candidates.Candidates:
    retriever = assistant.retriever
    query = retriever.resolve(question)
    vector = retriever.query_vector(query)
    return candidates.search(retriever.view, query, vector, None, retriever.config)


def test_parallel_bm25_finds_the_same_candidates_as_one_thread(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large index scores BM25 on another thread while FAISS searches: forced on for a small
    index, every rank and score equals the single-thread search's, and so does every answer."""
    serial = [_candidates(assistant, q) for q in QUESTIONS]
    answers = [assistant.ask(q).to_dict() for q in QUESTIONS]
    assert any(c.lexical_rank for c in serial), "the fixture must give BM25 something to find"
    monkeypatch.setattr(candidates, "PARALLEL_MIN_PASSAGES", 0)
    submitted = []
    real_submit = candidates._LEXICAL.submit
    monkeypatch.setattr(
        candidates._LEXICAL,
        "submit",
        lambda *a, **kw: submitted.append(a) or real_submit(*a, **kw),
    )
    parallel = [_candidates(assistant, q) for q in QUESTIONS]
    assert submitted, "the parallel path was not taken"
    for a, b in zip(parallel, serial, strict=True):
        assert (a.dense_rank, a.dense_of) == (b.dense_rank, b.dense_of)
        assert (a.lexical_rank, a.lexical_of) == (b.lexical_rank, b.lexical_of)
        assert (a.lexical_all == b.lexical_all).all()
    assert [assistant.ask(q).to_dict() for q in QUESTIONS] == answers


def _top_by_sorting(scores: np.ndarray, k: int) -> list[int]:
    rows = sorted((i for i in range(len(scores)) if scores[i] > 0), key=lambda i: (-scores[i], i))
    return rows[:k]


@pytest.mark.parametrize("n", [0, 7, 5_000, 300_000])
def test_top_rows_is_the_best_k_positive_scores_best_first(n):
    """top_rows returns what sorting every score returns: the k highest positive scores, best
    first, ties by row, at sizes below and above the sampled threshold's use, with many zeros
    and repeated scores."""
    rng = np.random.default_rng(n)
    scores = rng.integers(0, 50, size=n).astype(np.float32)
    scores[rng.random(n) < 0.6] = 0
    for k in (1, 100):
        assert top_rows(scores, k).tolist() == _top_by_sorting(scores, k)


def test_top_rows_with_fewer_positive_scores_than_asked():
    """When fewer than k passages score at all, all of them come back and nothing else."""
    scores = np.zeros(2_000_000, dtype=np.float32)
    scores[[5, 1_999_999, 700_000]] = [1.0, 3.0, 2.0]
    assert top_rows(scores, 100).tolist() == [1_999_999, 700_000, 5]


def test_a_narrower_pool_reuses_the_wider_bm25_scores(assistant: Assistant) -> None:
    """The dated pool's BM25 candidates, taken from the whole search's scores within the pool,
    are those a fresh BM25 search within the pool finds."""
    retriever = assistant.retriever
    n = len(assistant.index.chunks)
    pool = np.zeros(n, dtype=bool)
    pool[::2] = True
    for question in QUESTIONS:
        query = retriever.resolve(question)
        vector = retriever.query_vector(query)
        wide = candidates.search(retriever.view, query, vector, None, retriever.config)
        fresh = candidates.search(retriever.view, query, vector, pool, retriever.config)
        reused = candidates.search(
            retriever.view, query, vector, pool, retriever.config, lexical_all=wide.lexical_all
        )
        assert (reused.lexical_rank, reused.lexical_of) == (fresh.lexical_rank, fresh.lexical_of)
        assert (reused.lexical_all == fresh.lexical_all).all()
