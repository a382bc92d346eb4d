"""Spreading the passages shown over a transcript (`retrieval.diversify.spread`).

The hashing model ranks by shared words, so the fixture meeting's ranking is known: two
neighbouring turns on the widget tariff at its start, one more much later."""

from __future__ import annotations

import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever
from assistant.retrieval.diversify import spread
from embeddings import HashingModel

from .conftest import write_corpus

FILLER = [
    "Then we looked at the staffing rota for the spring term and the holiday cover.",
    "The canteen menu changes next month, with more soup and fewer pastries.",
    "Parking permits for visitors are issued at the front desk from now on.",
    "The printer on the second floor is out of toner again, sorry.",
    "We agreed to move the summer party to the last Friday in June.",
    "Please file expenses by the end of the month so finance can close the books.",
    "The lift will be serviced on Tuesday morning, so use the stairs.",
    "New laptops arrive next week; IT will set them up one desk at a time.",
    "The garden committee wants volunteers for the planting day.",
    "Security asks everyone to wear badges inside the building.",
    "The quarterly newsletter needs two more short articles.",
    "Fire drill is scheduled for Thursday at eleven.",
]


def meeting() -> str:
    turns = [
        "Chair: The widget tariff raises our widget costs, and the widget tariff hits imports.",
        "Ann: Yes, the widget tariff on imported widgets means widget prices go up.",
        *[f"{'Ben' if n % 2 else 'Cara'}: {line}" for n, line in enumerate(FILLER)],
        "Ann: One last word on the widget tariff: imports of widgets may fall.",
    ]
    return "Staff meeting, 2024-03-05\n\n" + "\n\n".join(turns) + "\n"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("spread")
    corpus = write_corpus(root / "corpus", {"meeting.txt": meeting(), "other.txt": meeting()})
    return Assistant.build(corpus, root / "index", model=HashingModel())


def row_of(qa: Assistant, document: str, first_words: str) -> int:
    chunks = qa.index.chunks
    return next(
        i
        for i in range(len(chunks))
        if chunks[i].document == document and first_words in chunks[i].text
    )


@pytest.fixture(scope="module")
def turns(qa: Assistant) -> dict[str, int]:
    """Rows of the meeting's first two turns, its last one, and the other file's second turn."""
    return {
        "first": row_of(qa, "meeting.txt", "raises our widget costs"),
        "second": row_of(qa, "meeting.txt", "means widget prices"),
        "last": row_of(qa, "meeting.txt", "One last word"),
        "twin": row_of(qa, "other.txt", "means widget prices"),
    }


def order(
    qa: Assistant, turns: dict[str, int], scored: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """`spread` (k 3, 5 paragraphs, factor 0.8) of named turns, by name."""
    names = {row: name for name, row in turns.items()}
    got = spread(qa.index, [(turns[n], s) for n, s in scored], 3, 5, 0.8)
    return [(names[i], s) for i, s in got]


def test_a_neighbour_of_a_passage_shown_comes_after_a_passage_from_elsewhere(qa, turns):
    """The second turn, next to the first, is scaled by the factor and falls below the last."""
    got = order(qa, turns, [("first", 1.0), ("second", 0.95), ("last", 0.9)])
    assert [n for n, _ in got] == ["first", "last", "second"]
    assert [s for _, s in got] == pytest.approx([1.0, 0.9, 0.76])


def test_a_neighbour_that_scores_clearly_higher_still_comes_first(qa, turns):
    """Scaled, the neighbour's 0.95 is 0.76, still above a distant passage's 0.7."""
    got = order(qa, turns, [("first", 1.0), ("second", 0.95), ("last", 0.7)])
    assert [n for n, _ in got] == ["first", "second", "last"]


def test_the_same_paragraph_number_in_another_transcript_is_not_a_neighbour(qa, turns):
    """Only passages of the same transcript are spread apart."""
    got = order(qa, turns, [("first", 1.0), ("twin", 0.95), ("last", 0.9)])
    assert [n for n, _ in got] == ["first", "twin", "last"]


def test_factor_one_keeps_the_order_and_k_cuts_it(qa):
    """With factor 1 nothing moves; k is the most returned, and nothing in gives nothing out."""
    ranked = [(i, 1.0 - i / 100) for i in range(6)]
    assert spread(qa.index, ranked, 4, 5, 1.0) == ranked[:4]
    assert len(spread(qa.index, ranked, 4, 5, 0.8)) == 4
    assert spread(qa.index, [], 4, 5, 0.8) == []


def test_ask_shows_the_later_mention_second_and_reads_coverage_as_ranked(qa):
    """End to end: the answer's second passage is the meeting's later mention, not the turn
    next to the first; whether it answers, and its coverage, are those of the ranking as is."""
    question = "What was said about the widget tariff on imports?"
    plain = Retriever(qa.index, qa.model, RetrievalConfig(spread_factor=1.0))
    before = plain.ask(question, k=2, document="meeting.txt")
    after = qa.ask(question, k=2, document="meeting.txt")
    assert before.answered and after.answered
    assert before.filters["coverage"] == after.filters["coverage"]
    assert before.passages[0].text == after.passages[0].text
    assert "means widget prices" in before.passages[1].text
    assert "One last word" in after.passages[1].text
    for p in after.passages:  # still the exact source span
        assert (
            p.text
            == qa.index.documents.get(p.citation.document).text[p.citation.start : p.citation.end]
        )
