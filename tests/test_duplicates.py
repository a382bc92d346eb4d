"""Dropping passages that say a better one again (`retrieval.diversify.diversify`): by their
vectors and, with `repeat_ratio`, by their texts (`repeats`). A passage's vector reads its
transcript's title and its speaker's label too, so two short turns of one speaker lie close
whatever they say; only a text said again is a repeat."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.retrieval.diversify import diversify, repeats
from embeddings import HashingModel

from .conftest import write_corpus

BRIEFING = """Press briefing, 2024-03-05

Chair: Good afternoon. My colleagues and I remain squarely focused on our goals of maximum employment and stable prices.

Ann: The widget tariff raises what households pay for widgets this spring.

Chair: Parking permits for visitors are issued at the front desk from now on.
"""

LATER = """Press briefing, 2024-04-05

Chair: Good afternoon, everyone. My colleagues and I remain squarely focused on our goals of maximum employment and stable prices.
"""


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("duplicates")
    corpus = write_corpus(root / "corpus", {"march.txt": BRIEFING, "april.txt": LATER})
    return Assistant.build(corpus, root / "index", model=HashingModel())


def rows(qa: Assistant) -> dict[str, int]:
    chunks = qa.index.chunks
    found = {}
    for name, document, words in [
        ("opening", "march.txt", "Good afternoon. My"),
        ("tariff", "march.txt", "widget tariff"),
        ("parking", "march.txt", "Parking permits"),
        ("said again", "april.txt", "Good afternoon, everyone"),
    ]:
        found[name] = next(
            i
            for i in range(len(chunks))
            if chunks[i].document == document and words in chunks[i].text
        )
    return found


def test_a_stock_opening_is_said_again_two_topics_are_not() -> None:
    """The same opening with one word more repeats it; two turns on two topics do not, at any
    ratio short of zero."""
    opening = "Good afternoon. My colleagues and I remain squarely focused on our goals."
    assert repeats("Good afternoon, everyone. " + opening[16:], opening, 70)
    assert not repeats("Parking permits are issued at the front desk.", opening, 70)
    assert repeats("Parking permits are issued at the front desk.", opening, 0)


def test_passages_close_by_vector_are_dropped_only_when_their_text_repeats(qa) -> None:
    """With every pair of passages counted close by vector (cosine threshold -1), the text
    decides: the later transcript's opening, said again, is dropped; the turns on the tariff
    and on parking, which say other things, are kept."""
    r = rows(qa)
    ranked = [(r[name], 1.0 - n / 10) for n, name in enumerate(r)]
    kept = [i for i, _ in diversify(qa.index, ranked, 10, -1.0, repeat_ratio=70)]
    assert kept == [r["opening"], r["tariff"], r["parking"]]


def test_without_a_ratio_the_vectors_alone_decide(qa) -> None:
    """`repeat_ratio` 0 is the vectors' test alone: with every pair close, only the best
    passage is left."""
    r = rows(qa)
    ranked = [(r[name], 1.0 - n / 10) for n, name in enumerate(r)]
    assert diversify(qa.index, ranked, 10, -1.0) == ranked[:1]
