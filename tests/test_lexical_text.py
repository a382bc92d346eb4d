"""What BM25 reads for a passage (`assistant.passages.lexical_text`): its words and the
question it answers, not its speaker's label, which in a meeting is also a topic's words."""

from __future__ import annotations

import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever

from .conftest import hashed_assistant, transcript

TURNS = [
    "Project Manager: Today we settle the look of the remote.",
    "Industrial Designer: Okay, fine by me.",
    "Industrial Designer: I can sketch something by Friday.",
    "Marketing: Our buyers want an industrial design, a metal case with sharp edges.",
    "Industrial Designer: Sure, sounds good to me.",
    "User Interface: The menu needs clear icons for each channel.",
    "Marketing: Young buyers also asked for a lighter remote.",
    "User Interface: Then fewer buttons on the front.",
]


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    meeting = transcript("Design meeting, 2024-03-05", TURNS)
    return hashed_assistant(tmp_path_factory.mktemp("lexical"), {"meeting.txt": meeting})


def test_a_topic_named_like_a_role_finds_the_turn_about_it_not_the_roles_turns(
    qa: Assistant,
) -> None:
    """Asked about the industrial design, BM25 alone ranks Marketing's turn about it first,
    not the Industrial Designer's "Okay, fine by me." (which matched by its label when the
    label was among BM25's words)."""
    lexical = Retriever(qa.index, qa.model, RetrievalConfig(use_dense=False))
    answer = lexical.ask("What was said about an industrial design?", k=3)
    assert answer.passages, answer.reason
    assert answer.passages[0].citation.speaker == "Marketing"
    assert all("fine by me" not in p.text for p in answer.passages)


def test_a_named_speaker_is_still_found_without_their_label_among_bm25s_words(
    qa: Assistant,
) -> None:
    """ "What did the Industrial Designer promise?" still gets the designer's turns: the
    question names the speaker, and the speaker boost finds their turns."""
    answer = qa.ask("What did the Industrial Designer say about sketching?", k=3)
    assert answer.passages, answer.reason
    assert answer.passages[0].citation.speaker == "Industrial Designer"
    assert "sketch" in answer.passages[0].text
