"""Each passage's sentences searched on their own (`retrieval/sentences.py`), a third voter in
the fusion. The deterministic hashing model throughout: texts sharing words are close."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever
from assistant.retrieval.fusion import fuse
from assistant.retrieval.sentences import (
    SENTENCES_FILE,
    Sentences,
    build_sentences,
    has_sentences,
    sentence_texts,
    sentences_of,
)
from assistant.retrieval.tune import tune_index
from embeddings import HashingModel

from .conftest import write_corpus

# One long turn settles the canal question in one sentence and talks of other things around it;
# shorter turns share more of the question's words without answering it.
LONG = (
    "We spent the morning on the budget for next year and the staffing plan. "
    "The library roof needs repairs before the winter rains arrive. "
    "The canal lock reopens to barges after the repairs, on the first of May. "
    "Parking permits for visitors are issued at the front desk from now on. "
    "The canteen menu changes next month, with more soup and fewer pastries. "
    "The quarterly newsletter needs two more short articles from each team. "
    "Fire drill is scheduled for Thursday at eleven, so please be on time. "
    "New laptops arrive next week and will be set up one desk at a time."
)
SHORT = [
    "The canal path reopens after the floods in March.",
    "The lock on the barges' store needs repairs after the winter.",
    "When does the canal market reopen to the town?",
    "Barges and the canal lock need repairs, says the keeper.",
]
MEETING = "\n\n".join(["Town meeting, 2024-03-05", LONG, *SHORT])
QUESTION = "When does the canal lock reopen to barges after the repairs?"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("sentences")
    corpus = write_corpus(root / "corpus", {"town.txt": MEETING + "\n"})
    built = Assistant.build(corpus, root / "index", model=HashingModel())
    build_sentences(built.index, built.model)
    return built


def rank_of_answer(qa: Assistant, share: float) -> int:
    """1-based rank of the long answer, by dense votes alone (no BM25), at `share`."""
    config = RetrievalConfig(sentence_share=share, use_lexical=False, spread_factor=1.0)
    answer = Retriever(qa.index, qa.model, config).ask(QUESTION, k=6)
    return next(n for n, p in enumerate(answer.passages, 1) if "canal lock reopens" in p.text)


def test_sentences_are_split_at_full_stops_and_short_ones_left_out() -> None:
    """A sentence of fewer than four words ("Yes.") is read with its passage only; a text with
    no sentence that long is its own sentence; Chinese splits at its full stop."""
    text = "Yes. The canal lock reopens in May. Thank you. Barges wait at the gates until then!"
    assert sentences_of(text) == [
        "The canal lock reopens in May.",
        "Barges wait at the gates until then!",
    ]
    assert sentences_of("Right, the disks.") == ["Right, the disks."]
    assert sentences_of("我们坚持改革开放的方针。我们加强对外交流合作。") == [
        "我们坚持改革开放的方针。",
        "我们加强对外交流合作。",
    ]


def test_each_sentence_points_at_its_passage(qa: Assistant) -> None:
    texts, rows = sentence_texts(qa.index)
    at = texts.index("The canal lock reopens to barges after the repairs, on the first of May.")
    assert "canal lock reopens" in qa.index.chunks[int(rows[at])].text
    assert len(texts) == len(rows) and list(rows) == sorted(rows)


def test_the_passage_holding_the_answering_sentence_ranks_first_by_its_sentences(qa) -> None:
    """By sentences alone the long answer comes first; by its mean vector shorter turns sharing
    the question's words come before it."""
    sentences = Sentences.load(qa.index)
    assert sentences is not None
    vector = qa.model.encode([QUESTION])[0]
    ranks = sentences.ranks(vector, 3)
    first = min(ranks, key=ranks.get)
    assert "canal lock reopens" in qa.index.chunks[first].text
    assert rank_of_answer(qa, 0.0) > 1


def test_the_sentence_voter_raises_the_answer_in_the_ranking(qa: Assistant) -> None:
    """With a share of the dense vote to each passage's best sentence, the long answer ranks
    higher than with the passages' vectors alone, and first when the sentences have it all."""
    assert rank_of_answer(qa, 0.3) < rank_of_answer(qa, 0.0)
    assert rank_of_answer(qa, 1.0) == 1


def test_fusion_without_sentence_ranks_is_unchanged() -> None:
    """No sentence ranks (an index not tuned with them): the dense vote is whole, as before."""
    ids = np.array([1, 2])
    config = RetrievalConfig()
    dense, lexical = {1: 0, 2: 1}, {2: 0}
    plain = fuse(ids, dense, {}, lexical, {}, dataclasses.replace(config, sentence_share=0.0))
    assert fuse(ids, dense, {}, lexical, {}, config) == plain
    assert fuse(ids, dense, {}, lexical, {}, config, {}) == plain
    split = fuse(ids, dense, {}, lexical, {}, config, {2: 0})
    assert split[1] == pytest.approx(0.7 / 21) and split[2] > plain[2]


def test_tune_embeds_the_sentences_of_an_index_tuned_before_them(
    qa: Assistant, tmp_path: Path
) -> None:
    """`verbatim tune` on an index without its sentences' vectors embeds them, and only them
    when the rest was tuned already; then it is tuned."""
    corpus = write_corpus(tmp_path / "corpus", {"town.txt": MEETING + "\n"})
    built = Assistant.build(corpus, tmp_path / "index", model=HashingModel())
    assert not has_sentences(built.index)
    first = tune_index(tmp_path / "index", built.model)
    assert first is not None and first.sentences == len(sentence_texts(built.index)[0])
    (Path(built.index.path) / SENTENCES_FILE).unlink()
    again = tune_index(tmp_path / "index", built.model)
    assert again is not None and again.reason == "sentences only"
    assert tune_index(tmp_path / "index", built.model) is None


def test_an_assistant_tuned_from_python_answers_with_its_sentences(tmp_path: Path) -> None:
    """`Assistant.tune()` is `verbatim tune` from Python: the sentences it embeds are read at
    once, and a second call finds the index tuned."""
    corpus = write_corpus(tmp_path / "corpus", {"town.txt": MEETING + "\n"})
    qa = Assistant.build(corpus, tmp_path / "index", model=HashingModel())
    assert qa.retriever.sentences is None
    report = qa.tune()
    assert report is not None and report.sentences > 0
    assert qa.retriever.sentences is not None
    assert qa.tune() is None
