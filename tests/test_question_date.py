"""A date in the question ("in 2021") is the conference the asker means, unless no transcript
is from it: the passages of that date are ranked as a pool of their own and weigh a little more
(`RetrievalConfig.question_date_boost`) than the others, which still come after them (the date
may be the topic's: "the 2021 inflation surge", asked of a later conference). The hashing model
throughout."""

from __future__ import annotations

import dataclasses

import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever
from ui.render import filters_line

from .conftest import hashed_assistant

QUESTION = "What did Powell say about the labor market in 2021?"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    # 2024: a reporter asks about the labor market, which lifts the answer above any passage of
    # 2021 (an answer to a matching question gets a share of the question's score)
    later = (
        "Transcript of Chair Powell's Press Conference, 2024-01-31\n\n"
        "CHAIR POWELL: Good afternoon. We held rates today.\n\n"
        "MICHELLE SMITH: Anna.\n\n"
        "ANNA REPORTER: Anna Reporter, Daily Ledger. How is the labor market doing?\n\n"
        "CHAIR POWELL: The labor market is rebalancing, and the labor market is still strong.\n"
    )
    earlier = (
        "Transcript of Chair Powell's Press Conference, 2021-06-16\n\n"
        "CHAIR POWELL: Good afternoon. The labor market is recovering, with strong job gains.\n\n"
        "CHAIR POWELL: We will keep rates low.\n"
    )
    files = {"a_2024.txt": later, "b_2021.txt": earlier}
    return hashed_assistant(tmp_path_factory.mktemp("question-date"), files)


def test_the_years_passage_comes_first(qa: Assistant) -> None:
    """The 2021 passage is shown before the 2024 answer, which the reporter's question lifts."""
    shown = qa.ask(QUESTION, k=2)
    assert shown.filters["date_in_question"] == ["2021-01-01", "2021-12-31"]
    assert [p.citation.date for p in shown.passages] == ["2021-06-16", "2024-01-31"]


def test_without_the_weight_the_other_year_can_come_first(qa: Assistant) -> None:
    """With no extra weight the lifted 2024 answer is shown first: the weight is what puts the
    question's year first."""
    plain = dataclasses.replace(RetrievalConfig(), question_date_boost=0.0)
    shown = Retriever(qa.index, qa.model, plain).ask(QUESTION, k=2)
    assert shown.passages[0].citation.date == "2024-01-31"


def test_other_years_are_still_shown(qa: Assistant) -> None:
    """A date prefers; it does not filter: the 2024 passage is still among those shown."""
    shown = qa.ask(QUESTION, k=3)
    assert "2024-01-31" in {p.citation.date for p in shown.passages}


def test_since_a_year_prefers_every_later_date(qa: Assistant) -> None:
    """ "since 2021" is 2021 on: the 2024 answer is in the dated pool with the 2021 passage, so
    the lifted 2024 answer comes first again, and the answer says the span has no end."""
    shown = qa.ask("What did Powell say about the labor market since 2021?", k=2)
    assert shown.filters["date_in_question"] == ["2021-01-01", None]
    assert shown.passages[0].citation.date == "2024-01-31"
    assert "dated 2021-01-01 or later (from the question)" in filters_line(shown.filters)


def test_before_a_year_prefers_no_later_date(qa: Assistant) -> None:
    """ "before 2022" runs up to the end of 2022 (what came before an event of 2022 may be of its
    year too): the 2021 passage comes first, as for "in 2021", and the 2024 answer after it."""
    shown = qa.ask("What did Powell say about the labor market before 2022?", k=2)
    assert shown.filters["date_in_question"] == [None, "2022-12-31"]
    assert [p.citation.date for p in shown.passages] == ["2021-06-16", "2024-01-31"]
