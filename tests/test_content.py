"""Passages that say nothing ("Right.", "Yes uh right.") rank below those that say something
(`retrieval.content`). The hashing model throughout: a named speaker's empty turns match a
question by their label alone, as the real model's do in QMSum's meetings."""

from __future__ import annotations

import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever
from assistant.retrieval.content import Empty, content_count, demote_empty

from .conftest import hashed_assistant, transcript

TURNS = [
    "Project Manager: Let us talk about the buttons on the remote.",
    "Marketing: Right.",
    "Marketing: Big rubber buttons would suit the kids who hold the remote.",
    "Industrial Designer: Rubber buttons cost more than plastic ones.",
    "Marketing: Yes uh right .",
    "Marketing: {vocalsound} Okay .",
    "User Interface: The menu needs clear icons for each channel.",
    "Project Manager: The budget review is on Friday, with the finance team.",
    "Industrial Designer: The case could be made of recycled plastic.",
    "User Interface: A scroll wheel would replace the volume keys.",
]


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    meeting = transcript("Design meeting, 2024-03-05", TURNS)
    other = meeting.replace("buttons", "cables").replace("2024-03-05", "2024-03-06")
    files = {"meeting.txt": meeting, "other.txt": other}
    return hashed_assistant(tmp_path_factory.mktemp("content"), files)


def test_fillers_and_markup_are_no_content() -> None:
    """Fillers, stop words and `{vocalsound}` carry no content; the words of a claim do, and
    so does a Chinese clause."""
    assert content_count("Yes uh right .") == 0
    assert content_count("{vocalsound} Okay . [laughter]") == 0
    assert content_count("We can decide.") == 1
    assert content_count("Big rubber buttons would suit the kids.") == 5
    assert content_count("美联储加息。") >= 2  # a clause without spaces: its character pairs


def test_a_form_of_address_is_no_content() -> None:
    """ "Thank you, Mr. Clement." says no more than "Thank you, Steve.": the honorific is not
    a content word, so a judge's courtesy to counsel ranks with the other empty turns, below
    what anyone said on the question."""
    assert content_count("Thank you, Mr. Clement.") == content_count("Thank you, Steve.") == 1
    assert content_count("Thank you, gentlemen.") == 0
    assert content_count("Mr. Clement argued the mandate is unprecedented.") == 4


def test_a_named_speakers_empty_turns_are_not_shown_while_others_say_something(
    qa: Assistant,
) -> None:
    """Asked what Marketing thought, the answer shows Marketing's turn about the buttons and
    no "Right." or "Okay .", which the same ranking without the rule does show."""
    question = "What did Marketing think about the buttons?"
    shown = qa.ask(question, k=5, document="meeting.txt")
    assert shown.answered, shown.reason
    assert all(content_count(p.text) >= 2 for p in shown.passages)
    assert "rubber buttons would suit" in shown.passages[0].text
    before = Retriever(qa.index, qa.model, RetrievalConfig(min_content_words=0))
    old = before.ask(question, k=5, document="meeting.txt")
    assert any(content_count(p.text) < 2 for p in old.passages)


def test_empty_passages_keep_their_order_below_all_others(qa: Assistant) -> None:
    """Demoted, not dropped: the empty passages come after every other one, in their order;
    when every passage is empty nothing moves."""
    empty = Empty(qa.retriever.view, 2)
    rows = {qa.index.chunks[i].text: i for i in range(len(qa.index.chunks))}
    right, okay = rows["Right."], rows["{vocalsound} Okay ."]
    rubber = rows["Big rubber buttons would suit the kids who hold the remote."]
    fused = {right: 0.9, okay: 0.8, rubber: 0.1}
    demote_empty(fused, empty)
    assert sorted(fused, key=fused.get, reverse=True) == [rubber, right, okay]
    only_empty = {right: 0.9, okay: 0.8}
    demote_empty(only_empty, empty)
    assert only_empty == {right: 0.9, okay: 0.8}


def test_a_passages_word_count_is_read_once_and_kept(
    qa: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`CorpusView.words` counts a passage's words as they are split on white space (the
    question lift's and coverage's measure of length); once read, a count no longer needs the
    passage's text."""
    view = qa.retriever.view
    rows = range(len(qa.index.chunks))
    counts = [view.words(row) for row in rows]
    assert counts == [len(qa.index.chunks[row].text.split()) for row in rows]
    monkeypatch.setattr(view, "index", None)  # no text to read any more
    assert [view.words(row) for row in rows] == counts
