"""A question naming a speaker shows that speaker's words first (`lift.place_named`), even where
other speakers' passages match its topic better. The hashing model: word overlap only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever
from assistant.retrieval.lift import place_named

from .conftest import hashed_assistant, transcript

TURNS = [
    "Dr David Blaney: The high-risk category holds the universities with weak forecasts.",
    "Dr David Blaney: High-risk institutions file forecasts in the high-risk category twice a year.",
    "Dr David Blaney: We publish numbers for the high-risk category, not names.",
    "Bethan Owen: The material uncertainty is a note in the accounts about going concern.",
    "Chair: Thank you. Next item on the agenda is the estates budget.",
]


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    hearing = transcript("Finance committee, 2024-03-05", TURNS)
    other = hearing.replace("2024-03-05", "2024-03-06").replace("high-risk", "low-risk")
    files = {"hearing.txt": hearing, "other.txt": other}
    return hashed_assistant(tmp_path_factory.mktemp("place"), files)


def test_the_named_speakers_best_passage_comes_first(qa: Assistant) -> None:
    """Asked for Bethan Owen's comment on the high-risk category, her turn is shown first,
    where without the rule Dr Blaney's turns, which say "high-risk category", rank above it
    (her turn right after his also scoring as his would is another rule, off here too:
    `named_beside`)."""
    question = "What was Bethan Owen's comment on the high-risk category and its forecasts?"
    shown = qa.ask(question, k=3, document="hearing.txt")
    assert shown.answered, shown.reason
    assert shown.filters["speaker_in_question"] == ["Bethan Owen"]
    assert shown.passages[0].citation.speaker == "Bethan Owen"
    before = Retriever(qa.index, qa.model, RetrievalConfig(speaker_place=0, named_beside=False))
    old = before.ask(question, k=3, document="hearing.txt")
    assert old.passages[0].citation.speaker != "Bethan Owen"


def test_placing_moves_only_a_passage_ranked_below_the_place(qa: Assistant) -> None:
    """The named speaker's best passage moves up to the place, the others keep their order;
    already at or above it, or absent, nothing moves."""
    view = qa.retriever.view
    rows = {qa.index.chunks[i].text: i for i in range(len(qa.index.chunks))}
    owen = next(i for t, i in rows.items() if t.startswith("The material uncertainty"))
    others = [i for t, i in rows.items() if "high-risk" in t][:3]
    ranked = [(others[0], 0.9), (others[1], 0.8), (others[2], 0.7), (owen, 0.1)]
    moved = place_named(view, ranked, ("Bethan Owen",), 2)
    assert [i for i, _ in moved] == [others[0], owen, others[1], others[2]]
    assert moved[1][1] == 0.8  # the score of the place it took
    assert place_named(view, ranked, ("Bethan Owen",), 5) == ranked
    assert place_named(view, ranked, ("Nobody Here",), 1) == ranked


HEARING = [
    "Chair: Good morning. We turn to the estates budget.",
    "Dr David Blaney: The estates budget pays for roofs and boilers this year.",
    "Chair: Thank you, Dr Blaney. We'll take a pause for a minute or so.",
    "Dr David Blaney: Boilers in three colleges fail every winter.",
    "Chair: The estates budget has grown every year since the boilers failed.",
]


def test_the_passage_raised_is_the_named_speakers_best_on_the_topic(
    tmp_path: Path,
) -> None:
    """With what each passage holds of the question (`on_topic`), the named speaker's best
    passage holding any of it is raised, not a courtesy ranked above it by their label alone;
    found further down the ranking (`further`) when none shown holds any; with none anywhere,
    their best passage as before."""
    qa = hashed_assistant(tmp_path, {"hearing.txt": transcript("Estates, 2024-03-05", HEARING)})
    view = qa.retriever.view
    row = {qa.index.chunks[i].text.split(".")[0]: i for i in range(len(qa.index.chunks))}
    courtesy, on_topic = (
        row["Thank you, Dr Blaney"],
        row["The estates budget has grown every year since the boilers failed"],
    )
    blaney = [
        row["The estates budget pays for roofs and boilers this year"],
        row["Boilers in three colleges fail every winter"],
    ]
    assert (
        view.chunk_speaker[courtesy]
        == view.chunk_speaker[on_topic]
        != view.chunk_speaker[blaney[0]]
    )
    ranked = [(blaney[0], 0.9), (courtesy, 0.8), (blaney[1], 0.7)]
    further = [*ranked, (on_topic, 0.2)]

    def holds(these: set[int]):
        return lambda rows: np.array([1.0 if r in these else 0.0 for r in rows])

    moved = place_named(view, ranked, ("Chair",), 1, holds({on_topic}), further)
    assert [i for i, _ in moved] == [on_topic, blaney[0], courtesy, blaney[1]]
    assert moved[0][1] == 0.9  # the score of the place it took
    unmoved = place_named(view, ranked, ("Chair",), 1, holds(set()), further)
    assert [i for i, _ in unmoved] == [courtesy, blaney[0], blaney[1]]
