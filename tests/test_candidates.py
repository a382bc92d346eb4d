"""Candidate search: BM25 beside FAISS on a second thread gives the candidates of one thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.retrieval import candidates

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
