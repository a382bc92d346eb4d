"""A speaker the question names whose passages the question's other words do not match: a
reporter ("What did Gina Hale ask about inflation?"). Their passages are ranked as a pool of
their own where the corpus-wide candidates hold too few of them (`speaker_pool`), and a named
speaker who answers no one has their questions ranked as answers are (`named_questions`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval.retriever import Retriever

from .conftest import write_corpus

CONFERENCE = """Transcript of Chair Smith's Press Conference, 2022-06-15

CHAIR SMITH: Good afternoon. Inflation remains too high and the Committee raised its policy rate.

ANNA REPORTER: Is inflation going to come down this year, and how fast will inflation fall?

CHAIR SMITH: We expect inflation to come down slowly as supply chains heal.

BEN WRITER: Is inflation in services worrying you more than inflation in goods?

CHAIR SMITH: Services inflation is stickier, and inflation in goods is already easing.

GINA HALE: Will rates fall this year?

CHAIR SMITH: Rate cuts are not something we are thinking about this year.

GINA HALE: And what about the housing market next spring?

CHAIR SMITH: Housing has slowed with higher mortgage rates, and we are watching it.

DANA NEWS: What does inflation mean for wages, and will wage inflation persist?

CHAIR SMITH: Wage growth is still strong, and inflation expectations remain anchored.
"""

# candidates from each retriever: two stand for the hundred of a corpus of thousands of passages
FEW = 2


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root: Path = tmp_path_factory.mktemp("speaker-pool")
    corpus = write_corpus(root / "corpus", {"june.txt": CONFERENCE})
    return Assistant.build(corpus, root / "index", model="hashing-384")


def shown(qa: Assistant, question: str, **config) -> list[tuple[str | None, str]]:
    """(speaker, text) of the passages shown for `question` with `config`'s changes."""
    retriever = Retriever(qa.index, qa.model, RetrievalConfig(**config))
    answer = retriever.ask(question, k=3)
    assert answer.answered
    return [(p.citation.speaker, p.text) for p in answer.passages]


RATES = ("Gina Hale", "Will rates fall this year?")
HOUSING = ("Gina Hale", "And what about the housing market next spring?")


def test_a_named_reporter_the_candidates_miss_is_found_in_their_own_pool(qa) -> None:
    """The inflation passages fill the few candidates, and her question on rates is not among
    them: it is shown only when her passages are also ranked on their own."""
    question = "What did Gina Hale ask about inflation?"
    assert RATES in shown(qa, question, candidates=FEW)
    assert RATES not in shown(qa, question, candidates=FEW, speaker_pool=0)


def test_a_named_reporter_has_her_questions_shown_before_the_answers(qa) -> None:
    """Asked what a reporter asked, her two questions come first; with questions ranked below
    answers as usual, the Chair's answers come before her second one (her questions right
    before his answers also scoring as those would is another rule, off here too:
    `named_beside`)."""
    question = "What did Gina Hale ask about rates and housing?"
    assert set(shown(qa, question)[:2]) == {RATES, HOUSING}
    usual = shown(qa, question, named_questions=False, named_beside=False)
    assert set(usual[:2]) != {RATES, HOUSING}


def test_only_speakers_who_answer_no_one_are_exempt_from_the_question_penalty(qa) -> None:
    """The Chair answers, so a question of hers would rank below answers as usual; the reporters
    answer no one."""
    view = Retriever(qa.index, qa.model).view
    answering = {view.speakers[code] for code in view.answering if code >= 0}
    assert answering == {"Chair Smith"}
