"""`Assistant.ask` from many threads at once gives exactly the answers it gives one at a time."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.build import build_index
from embeddings import HashingModel

from .conftest import seed_only_corpus

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO / "corpus"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"

QUESTIONS = [
    {
        "question": "Political party officials from other countries have been invited to observe "
        "on the spot"
    },
    {"question": "What do foreign party officials say about the CPC?"},
    {"question": "How do county-level committees hold meetings?", "k": 3},
    {"question": "golden key", "k": 8},
    {"question": "And what about the reporters?", "history": ["What did Shen Beili say?"]},
    {"question": "What did Shen Beili say about officials?", "speaker": "Shen Beili"},
    {"question": "Something about quantum chromodynamics in Zanzibar"},
    {"question": "inflation expectations and the labor market", "k": 10},
    {"question": "What did Powell say about inflation in 2021?"},
    {"question": "coin shortage", "date_from": "2020-01-01", "date_to": "2020-12-31"},
    {"question": "Does he think the economy will recover?", "history": ["Powell on jobs"]},
]


def _ask_all_concurrently(qa: Assistant, threads: int, rounds: int) -> list[tuple[int, dict]]:
    work = [i for _ in range(rounds) for i in range(len(QUESTIONS))]

    def one(i: int) -> tuple[int, dict]:
        return i, qa.ask(**QUESTIONS[i]).to_dict()

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, work))


def _assert_concurrent_equals_serial(qa: Assistant) -> None:
    serial = [qa.ask(**q).to_dict() for q in QUESTIONS]
    assert any(a["answered"] for a in serial), "the questions should find something"
    results = _ask_all_concurrently(qa, threads=16, rounds=8)
    assert len(results) == 8 * len(QUESTIONS)
    for i, got in results:
        assert got == serial[i], f"question {i} answered differently under concurrency"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seed transcript and, where the shared data is present, six FOMC ones."""
    root = tmp_path_factory.mktemp("corpus")
    sources = [SEED_CORPUS / "seed"]
    if SHARED_CORPUS.is_dir():
        sources.append(SHARED_CORPUS / "fomc")
    for folder in sources:
        target = root / folder.name
        target.mkdir()
        for path in sorted(folder.glob("*.txt"))[:6]:
            shutil.copy2(path, target / path.name)  # links leaving a corpus are not followed
    return root


def test_concurrent_asks_equal_serial_ones(corpus, tmp_path):
    """16 threads asking varied questions (filters, follow-ups, abstentions) 8 times each get
    the serial answers, with no errors."""
    build_index(corpus, tmp_path / "index", HashingModel())
    qa = Assistant.load(tmp_path / "index", model=HashingModel())
    assert qa.index.vectors.kind == "flat"
    _assert_concurrent_equals_serial(qa)


def test_concurrent_asks_on_an_ann_index_equal_serial_ones(corpus, tmp_path):
    """The same holds when the vectors are searched through the approximate index."""
    build_index(corpus, tmp_path / "index", HashingModel(), exact_limit=2)
    qa = Assistant.load(tmp_path / "index", model=HashingModel())
    assert qa.index.vectors.kind != "flat"
    _assert_concurrent_equals_serial(qa)


@pytest.mark.model
def test_concurrent_asks_with_the_real_model_equal_serial_ones(tmp_path):
    """With all-MiniLM-L6-v2 (torch and its tokenizer shared by the threads) answers still equal
    the serial ones."""
    from embeddings import load_model

    index_dir = tmp_path / "index"
    qa = Assistant.build(seed_only_corpus(tmp_path / "corpus"), index_dir, model=load_model())
    _assert_concurrent_equals_serial(qa)
