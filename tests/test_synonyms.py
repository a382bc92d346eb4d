"""Coverage reads a question's common words in other words (retrieval/synonyms.py): a question
in everyday words for what a transcript says in its own is answered, not declined, while names
still have to be there. A fake model that embeds chosen words as their synonyms stands in for
MiniLM's word similarities."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval.synonyms import WordVectors, common_words, content_words, said_otherwise
from assistant.retrieval.view import CorpusView
from embeddings import HashingModel

SAME = {"automobile": "car", "factory": "plant", "restarting": "reopen", "obama": "president"}


class SynonymModel(HashingModel):
    """The hashing model with each word of `SAME` embedded as its synonym: two different words
    are close only when they are synonyms here, as a real model's words are (barring a bucket
    collision, rare among the few words these tests compare)."""

    word_similarity = True

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        def swap(text: str) -> str:
            return re.sub(r"\w+", lambda m: SAME.get(m.group(0).lower(), m.group(0)), text)

        return super().encode([swap(t) for t in texts], batch_size=batch_size)


BRIEFING = """Press Briefing by Press Secretary Jane Doe, 10/30/09

MS. DOE: The car plant in Ohio will reopen next spring, and the workers are coming back.

Q What about the governors?

MS. DOE: The governors asked for money to repair the bridges.
"""

OTHER = """Press Briefing by Press Secretary Jane Doe, 11/02/09

MS. DOE: Obama met the farmers on Tuesday to talk about the harvest.
"""


@pytest.fixture
def corpus(make_corpus: Callable[..., Path]) -> Path:
    return make_corpus({"wh/wh_2009-10-30.txt": BRIEFING, "wh/wh_2009-11-02.txt": OTHER})


def test_a_question_in_other_words_is_answered(corpus: Path, tmp_path: Path) -> None:
    """The passage says "car plant ... reopen", the question "automobile factory restarting":
    no content word in common, so word-for-word coverage declines it; read with near-synonyms
    it is answered, that passage among those shown."""
    qa = Assistant.build(corpus, tmp_path / "index", model=SynonymModel())
    question = "Is the automobile factory restarting?"
    answer = qa.ask(question)
    assert answer.answered, answer.reason
    assert any("car plant in Ohio will reopen" in p.text for p in answer.passages)
    assert answer.filters["said_otherwise"]["automobile"] == "car"
    strict = Assistant.load(
        tmp_path / "index", model=SynonymModel(), config=RetrievalConfig(synonym_cosine=0.0)
    )
    assert not strict.ask(question).answered


def test_names_are_not_read_as_synonyms(corpus: Path) -> None:
    """Only common words are read in other words: "Obama" and "IRS" are key terms the passages
    must hold themselves (or under an alias), whatever their nearest word is."""
    qa = Assistant.build(corpus, corpus.parent / "index", model=SynonymModel())
    view = CorpusView(qa.index)
    stems = set(view.tokens("obama irs automobile factory"))
    words = common_words(view, "Did Obama tell the IRS about the automobile factory?", stems)
    assert sorted(words.values()) == ["automobile", "factory"]


def test_said_otherwise_finds_only_close_words() -> None:
    """A question word counts as said otherwise when a passage word is at the cosine or closer:
    "automobile" by "car", not "factory" by "bridge"; each found with the word that says it."""
    vectors = WordVectors(SynonymModel())
    found = said_otherwise(
        {"automobil": "automobile", "factori": "factory"}, ["car", "bridge"], vectors, 0.7
    )
    assert found == {"automobil": "car"}


def test_content_words_leave_out_function_words_and_numbers() -> None:
    """What a passage can say a question's word with: its distinct meaningful words."""
    assert content_words(["The car plant of 2009 will reopen", "the CAR"]) == [
        "car",
        "plant",
        "reopen",
    ]


def test_words_a_passage_writes_only_capitalised_are_names_not_synonyms() -> None:
    """ "Japanese" and "Iraq" are names: never a common word of a question said otherwise
    ("yen" is not "Japanese"); a word also written in lower case ("Inflation" opening a
    sentence, "inflation" inside one) still is."""
    words = content_words(["Inflation hit the Japanese economy and Iraq", "inflation rose"])
    assert words == ["economy", "hit", "inflation", "rose"]


def test_word_vectors_embed_each_word_once() -> None:
    """A word already embedded is taken from the cache, not encoded again."""
    calls: list[list[str]] = []

    class Counting(HashingModel):
        def encode(self, texts, *, batch_size=32, show_progress=False):  # type: ignore[override]
            calls.append(list(texts))
            return super().encode(texts)

    vectors = WordVectors(Counting())
    first = vectors.of(["car", "plant"])
    again = vectors.of(["plant", "car", "bridge"])
    assert calls == [["car", "plant"], ["bridge"]]
    assert np.allclose(again[1], first[0]) and np.allclose(again[0], first[1])


def test_a_model_without_word_meanings_reads_no_synonyms() -> None:
    """The hashing fake's single-word cosines are bucket collisions: with it, nothing is said
    otherwise, however close two words' vectors happen to be."""
    vectors = WordVectors(HashingModel())
    assert not vectors.meaningful
    assert said_otherwise({"automobil": "automobile"}, ["automobile"], vectors, 0.7) == {}


def test_a_capitalised_first_word_is_a_name() -> None:
    """ "Ebola quarantine": the opening word, capitalised, is a key term, not a common word."""

    class View:
        def tokens(self, text: str) -> list[str]:
            return text.split()

    assert common_words(View(), "Ebola quarantine", {"ebola", "quarantine"}) == {  # type: ignore[arg-type]
        "quarantine": "quarantine"
    }


def test_unspaced_chinese_is_not_read_as_words() -> None:
    """A run of Chinese characters is a clause, not a word: never compared as a synonym."""
    assert content_words(["美联储加息 plant"]) == ["plant"]
