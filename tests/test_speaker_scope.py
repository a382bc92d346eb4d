"""A speaker the question names is read among the transcripts it is put to: "What did C
think?" names every speaker coded C in the corpus, and only the one in a chosen meeting
(`CorpusView.speaking_within`)."""

from __future__ import annotations

import pytest

from assistant import Assistant

from .conftest import hashed_assistant, transcript

DESIGN = [
    "Professor C: The recording equipment needs a second microphone on the table.",
    "Grad A: We can borrow one from the speech lab for the recording.",
    "Professor C: Then the consent forms come next, before anyone is recorded.",
    "Grad A: The forms are ready; the transcribers start on Monday.",
]
AURORA = [
    "Grad C: The recogniser's error rate on noisy digits fell after the new features.",
    "PhD B: The features still need tuning for the far microphone.",
    "Grad C: The next run adds the spectral subtraction to the front end.",
    "PhD B: And the results go into the report for the Aurora evaluation.",
]
QUESTION = "What did C think about the microphone?"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    files = {
        "design.txt": transcript("Meeting Recorder design, 2001-03-01", DESIGN),
        "aurora.txt": transcript("Aurora project meeting, 2001-03-08", AURORA),
    }
    return hashed_assistant(tmp_path_factory.mktemp("speaker-scope"), files)


def test_a_code_letter_names_every_speaker_coded_so_across_the_corpus(qa: Assistant) -> None:
    """Asked of every transcript, "C" names both speakers coded C."""
    answer = qa.ask(QUESTION)
    assert answer.filters["speaker_in_question"] == ["Grad C", "Professor C"]


def test_put_to_one_meeting_it_names_the_speaker_coded_so_there(qa: Assistant) -> None:
    """Put to the design meeting, "C" is Professor C, whose passage is shown first."""
    answer = qa.ask(QUESTION, document="design.txt")
    assert answer.filters["speaker_in_question"] == ["Professor C"]
    assert answer.passages[0].citation.speaker == "Professor C"


def test_a_speaker_absent_from_the_chosen_meeting_is_still_the_one_named(qa: Assistant) -> None:
    """Naming a speaker who says nothing in the chosen meeting keeps them named (the answer
    may then hold none of their words), rather than naming no one."""
    answer = qa.ask("What did Grad C think about the microphone?", document="design.txt")
    assert answer.filters["speaker_in_question"] == ["Grad C"]
