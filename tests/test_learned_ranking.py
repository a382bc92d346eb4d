"""The learned ranking (`verbatim tune`), trained on a small fixture corpus's own questions and
answers with the deterministic hashing model."""

from __future__ import annotations

import numpy as np
import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever
from assistant.retrieval.features import FEATURES
from assistant.retrieval.links import Links
from assistant.retrieval.supervision import question_pairs
from assistant.retrieval.tune import fit, training_rows, tune
from assistant.retrieval.view import CorpusView
from embeddings import HashingModel

# One topic per exchange: the reporter's paragraph names it twice (a preamble and the asking
# sentence), the official's answer once, among words of its own.
TOPICS = [
    "widget tariffs", "harbor dredging", "copper mining", "rail freight", "dairy subsidies",
    "wind turbines", "student loans", "border crossings", "water rationing", "bank mergers",
    "satellite launches", "vaccine supplies", "grain exports", "coal plants", "rent control",
    "airport delays", "fishing quotas", "chip factories", "forest fires", "pension reform",
    "steel imports", "toll roads", "cocoa prices", "ferry service", "oil reserves",
    "cotton harvests", "bridge repairs", "solar panels", "truck drivers", "sugar taxes",
    "hospital staffing", "lumber shortages", "ocean shipping", "battery recycling",
    "gold reserves", "tourism visas", "pipeline permits", "wheat futures", "postal rates",
    "drone rules",
]  # fmt: skip
FILLER = [
    "we are monitoring developments carefully and will act as appropriate",
    "the outlook remains uncertain and we will adjust as the data come in",
    "our colleagues have been studying this for some months now",
    "it is early to draw firm conclusions from what we see",
]


def conference(number: int, topics: list[str]) -> str:
    lines = [f"Transcript of Chair Smith's Press Conference, 2022-{number:02d}-15", ""]
    lines += ["CHAIR SMITH: Good afternoon. The Committee met today and kept rates unchanged.", ""]
    for k, topic in enumerate(topics):
        name = f"REPORTER {chr(65 + k)}{number}"
        lines += [
            f"{name}: Thanks. My outlet has reported on {topic} for weeks. "
            f"What is your view on {topic} today?",
            "",
            f"CHAIR SMITH: Well, on {topic}, {FILLER[k % len(FILLER)]}. "
            f"I would add that {FILLER[(k + 1) % len(FILLER)]}.",
            "",
        ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("learned")
    corpus = root / "corpus"
    corpus.mkdir()
    for n in range(8):
        topics = TOPICS[n * 5 : n * 5 + 5]
        (corpus / f"fomc_2022-{n + 1:02d}-15.txt").write_text(conference(n + 1, topics))
    return Assistant.build(corpus, root / "index", model=HashingModel())


def test_the_corpus_questions_become_training_pairs(fixture_index: Assistant) -> None:
    """Each reporter's question with a preamble becomes a pair: its asking sentence as the
    search, the official's reply as the answer."""
    view = CorpusView(fixture_index.index)
    pairs = question_pairs(view)
    assert len(pairs) == len(TOPICS)
    pair = next(p for p in pairs if "harbor dredging" in p.query)
    assert pair.query == "What is your view on harbor dredging today?"
    answer = fixture_index.index.chunks[pair.answers[0]]
    assert answer.speaker == "Chair Smith" and "harbor dredging" in answer.text


def test_training_learns_that_questions_do_not_answer(fixture_index: Assistant) -> None:
    """Fitted on the pairs, the model weighs a reporter's question down and the reply to a
    matching question up: the corpus shows that replies, not questions, answer."""
    view = CorpusView(fixture_index.index)
    links = Links(fixture_index.index.chunks)
    rows = training_rows(view, links, HashingModel(), question_pairs(view))
    ranker = fit(rows)
    weights = dict(zip(FEATURES, ranker.weights, strict=True))
    assert weights["question"] < 0
    assert weights["answer"] > weights["question"]


def test_learned_ranking_puts_the_reply_above_the_question_it_answers(
    fixture_index: Assistant,
) -> None:
    """A search in the reporter's words ranks the reporter's question first by plain fusion;
    the ranking learned from the corpus ranks the official's reply to it first."""
    index = fixture_index.index
    view = CorpusView(index)
    ranker = fit(training_rows(view, Links(index.chunks), HashingModel(), question_pairs(view)))
    question = "My outlet reported on copper mining: what about copper mining?"
    plain = RetrievalConfig(question_lift=0.0, question_penalty=1.0, min_coverage=0.0)
    fused = Retriever(index, HashingModel(), plain, ranker=ranker).ask(question, k=3)
    learned = Retriever(
        index, HashingModel(), RetrievalConfig(ranking="learned", min_coverage=0.0), ranker=ranker
    ).ask(question, k=3)
    assert fused.passages[0].citation.role == "question"
    top = learned.passages[0]
    assert top.citation.role == "answer" and "copper mining" in top.text
    assert top.citation.speaker == "Chair Smith"


def test_tune_measures_the_model_on_held_out_documents(fixture_index: Assistant) -> None:
    """`tune` fits on four fifths of the documents and reports learned vs hand-set ranking on
    the questions of the rest."""
    ranker, report = tune(fixture_index.index, HashingModel())
    assert report.pairs == len(TOPICS)
    held = report.held_out
    assert 0 < held["learned"]["pairs"] < len(TOPICS)
    assert held["learned"]["pairs"] == held["hybrid"]["pairs"]
    assert report.kept == (ranker is not None)
    if ranker is not None:
        assert held["learned"]["mrr@10"] >= held["hybrid"]["mrr@10"]
        assert np.isfinite(ranker.weights).all()


def test_learned_config_without_a_ranker_ranks_as_the_hybrid(fixture_index: Assistant) -> None:
    """An index that was never tuned has no ranker: `ranking="learned"` falls back to the
    hand-set hybrid rather than failing."""
    index = fixture_index.index
    learned = Retriever(index, HashingModel(), RetrievalConfig(ranking="learned"))
    hybrid = Retriever(index, HashingModel(), RetrievalConfig())
    assert learned.ranker is None
    question = "What is your view on solar panels?"
    rows = [p.citation.start for p in learned.ask(question).passages]
    assert rows == [p.citation.start for p in hybrid.ask(question).passages]
