"""A speaker the question names whose comment on the topic is a short addition to a colleague's
answer ("And, just to add, ..."): their turn beside the colleague's scores at least what the
colleague's would had they said it (`RetrievalConfig.named_beside`, `lift.beside_named`)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import lift
from assistant.retrieval.retriever import Retriever

from .conftest import hashed_assistant, transcript

TURNS = [
    "Lynne Neagle AM: We move on to the universities in the high-risk category of the funding "
    "council's financial monitoring. How many are in the high-risk category now?",
    "Dr David Blaney: Two universities are in the high-risk category. The high-risk category "
    "means monitoring every month, with forecasts and borrowing checked by the funding council.",
    "Bethan Owen: And, just to add, the key bit is keeping Welsh universities attractive to "
    "students from England and abroad.",
    "Lynne Neagle AM: Thank you. Let us turn to part-time students and their fees.",
    "Bethan Owen: Part-time provision fell, so we put another category of grant in place for "
    "part-time study, paid to every institution.",
    "Dr David Blaney: Part-time numbers are recovering slowly across the sector.",
]
ADDED = TURNS[2].removeprefix("Bethan Owen: ")
OTHER = TURNS[4].removeprefix("Bethan Owen: ")
QUESTION = "What was Bethan Owen's comment on the high-risk category?"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    meeting = transcript("Children, Young People and Education Committee, 2019-05-15", TURNS)
    return hashed_assistant(tmp_path_factory.mktemp("named-beside"), {"meeting.txt": meeting})


def first_shown(qa: Assistant, question: str, **config) -> tuple[str | None, str]:
    """(speaker, text) of the first passage shown for `question` with `config`'s changes."""
    answer = Retriever(qa.index, qa.model, RetrievalConfig(**config)).ask(question, k=3)
    assert answer.answered
    first = answer.passages[0]
    return first.citation.speaker, first.text


def test_a_named_speakers_addition_to_a_colleagues_answer_is_shown_first(qa) -> None:
    """Her addition shares no word with the question but follows the answer on the high-risk
    category; it is shown first, where her own words alone put her other turn (on another
    "category") first."""
    assert first_shown(qa, QUESTION) == ("Bethan Owen", ADDED)
    assert first_shown(qa, QUESTION, named_beside=False) == ("Bethan Owen", OTHER)


def test_a_question_naming_no_speaker_is_ranked_as_before(qa) -> None:
    """Without a named speaker nothing is lifted: the colleague's answer comes first."""
    question = "How many universities are in the high-risk category?"
    assert first_shown(qa, question) == first_shown(qa, question, named_beside=False)
    assert first_shown(qa, question)[0] == "Dr David Blaney"


def test_a_passage_outside_the_search_is_not_lifted(qa) -> None:
    """`beside_named` gives the named speaker's neighbouring turn the colleague's boosted
    score, unless the search's mask leaves that turn out."""
    retriever = Retriever(qa.index, qa.model)
    view, cfg = retriever.view, retriever.config
    texts = [qa.index.chunks[i].text for i in range(len(qa.index.chunks))]
    answer, added = texts.index(TURNS[1].removeprefix("Dr David Blaney: ")), texts.index(ADDED)
    fused = {answer: 1.0}
    lift.beside_named(view, retriever.links, fused, ("Bethan Owen",), cfg, None)
    assert fused == {answer: 1.0, added: 1 + cfg.speaker_boost}
    mask = np.ones(len(texts), dtype=bool)
    mask[added] = False
    fused = {answer: 1.0}
    lift.beside_named(view, retriever.links, fused, ("Bethan Owen",), cfg, mask)
    assert fused == {answer: 1.0}
