"""A follow-up stays in the conversation's transcripts: "Didn't the supervisors see it coming?"
after a question on a bank's failure is about that failure, and the transcripts whose passages
answered the earlier question weigh more (as a date the earlier question named would:
`RetrievalConfig.date_boost`). The hashing model throughout."""

from __future__ import annotations

import dataclasses

import pytest

from assistant import Assistant, RetrievalConfig
from assistant.retrieval import Retriever

from .conftest import hashed_assistant

EARLIER = "What did Chair Smith say went wrong at Harbor Bank?"
FOLLOWUP = "Didn't the supervisors see the risks coming?"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    # 2021: supervisors and risks in general, closer to the follow-up's own words
    general = (
        "Press conference, 2021-04-28\n\n"
        "CHAIR SMITH: Good afternoon.\n\n"
        "ANNA REPORTER: Do supervisors see the risks coming at lenders?\n\n"
        "CHAIR SMITH: Supervisors see the risks coming when lenders manage the risks they take.\n"
    )
    # 2023: the failure, and what the supervisors missed
    failure = (
        "Press conference, 2023-03-22\n\n"
        "CHAIR SMITH: Good afternoon.\n\n"
        "BEN REPORTER: What went wrong at Harbor Bank?\n\n"
        "CHAIR SMITH: Harbor Bank failed because its deposits ran in a day and its managers "
        "went wrong on rates.\n\n"
        "CARL REPORTER: What went wrong with Harbor Bank's deposits?\n\n"
        "CHAIR SMITH: What went wrong at Harbor Bank was a run: Harbor Bank's deposits left "
        "at once.\n\n"
        "DANA REPORTER: Did Harbor Bank's managers go wrong on rates?\n\n"
        "CHAIR SMITH: Harbor Bank's managers went wrong on rates, and Harbor Bank paid for it.\n\n"
        "EVA REPORTER: Will Harbor Bank's depositors be paid?\n\n"
        "CHAIR SMITH: Every depositor of Harbor Bank will be paid, whatever went wrong.\n\n"
        "BEN REPORTER: And the supervision of Harbor Bank?\n\n"
        "CHAIR SMITH: Our supervisors did see the risks at Harbor Bank coming, but they did not "
        "escalate fast enough; we will review that.\n"
    )
    files = {"a_2021-04-28.txt": general, "b_2023-03-22.txt": failure}
    return hashed_assistant(tmp_path_factory.mktemp("followup-docs"), files)


def test_the_earlier_answers_transcript_comes_first(qa: Assistant) -> None:
    """The follow-up's best passage is from the Harbor Bank conference, which answered the
    earlier question, not the 2021 answer its own words match best."""
    assert qa.ask(EARLIER).passages[0].citation.document == "b_2023-03-22.txt"
    answer = qa.ask(FOLLOWUP, history=[EARLIER])
    assert answer.passages[0].citation.document == "b_2023-03-22.txt"


def test_without_it_the_followups_own_words_lead(qa: Assistant) -> None:
    """With the conversation's transcripts weighing nothing more, the 2021 passage comes first:
    the weight is what keeps the follow-up in the conversation."""
    plain = dataclasses.replace(RetrievalConfig(), followup_documents=False)
    answer = Retriever(qa.index, qa.model, plain).ask(FOLLOWUP, history=[EARLIER])
    assert answer.passages[0].citation.document == "a_2021-04-28.txt"


def test_a_question_that_stands_alone_is_not_held_to_them(qa: Assistant) -> None:
    """A question naming its own subject is no follow-up: the earlier answer's transcripts
    weigh nothing more ("Do supervisors see the risks coming in banks?" finds 2021)."""
    answer = qa.ask(
        "What did Chair Smith say about supervisors and risks in 2021?", history=[EARLIER]
    )
    assert answer.passages[0].citation.document == "a_2021-04-28.txt"


def test_a_long_conversation_asks_at_most_two_earlier_questions_again(qa: Assistant) -> None:
    """Each follow-up asks the question before it again, with only the one before that as its
    history: a conversation of many follow-ups costs two more searches, not one per turn."""
    asked: list[str] = []
    retriever = qa.retriever
    original = retriever.ask

    def counting(question, *args, **kwargs):
        asked.append(question)
        return original(question, *args, **kwargs)

    retriever.ask = counting
    try:
        history = [EARLIER, "And why?", "Could they have done more?", "Did anyone warn them?"]
        retriever.ask(FOLLOWUP, history=history)
    finally:
        del retriever.ask
    assert len(asked) <= 3
