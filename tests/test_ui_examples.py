"""The UI's example inputs fit the index it serves (`ui/examples.py`)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from assistant.answers import Answer
from ui.examples import ASK, TIMELINE, answered_questions, with_speakers

from .conftest import hashed_assistant, transcript


def fake_ask(answers: set[str], followups: set[str] = frozenset(), broken: str = ""):
    """An `ask(question, history)` answering the questions in `answers`; those in `followups`
    are read as follow-ups (searched joined to the question before them); `broken` raises."""

    def ask(question: str, history: list[str] | None) -> Answer:
        if question == broken:
            raise RuntimeError("index unreadable")
        query = f"{history[-1]} {question}" if history and question in followups else question
        return Answer(question, question in answers, [], None, query)

    return ask


def test_only_the_questions_the_index_answers_are_offered():
    """Questions this index declines are not shown as examples."""
    ask = fake_ask({"A?", "C?"})
    assert answered_questions(ask, ["A?", "B?", "C?"]) == ["A?", "C?"]


def test_a_follow_up_is_offered_only_after_the_question_it_follows():
    """ "And what about X?" is kept where the question before it is kept, and dropped where that
    one is not answered (it would follow nothing)."""
    followup = "And what about a travel ban?"
    kept = answered_questions(fake_ask({"Q?", followup}, {followup}), ["Q?", followup])
    assert kept == ["Q?", followup]
    dropped = answered_questions(fake_ask({followup}, {followup}), ["Q?", followup])
    assert dropped == []


def test_an_example_that_fails_is_left_out_and_the_rest_kept(caplog):
    """A failing example never stops the UI: it is logged and left out."""
    ask = fake_ask({"A?", "B?"}, broken="A?")
    assert answered_questions(ask, ["A?", "B?"]) == ["B?"]
    assert "left out" in caplog.text


def test_timeline_examples_name_only_speakers_the_index_has():
    """An example counting "Chair Powell" is not offered over an archive without him."""
    assert with_speakers(TIMELINE, ["Mr. Earnest"]) == [["Ebola", []]]
    assert len(with_speakers(TIMELINE, ["Chair Powell"])) == len(TIMELINE)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_ui_over_another_archive_offers_nothing_it_cannot_take(tmp_path: Path):
    """Built over a meeting archive (no Powell, no briefings): no example puts a speaker the
    speaker lists lack (Gradio warns, then refuses it when asked), and no example question is
    one the archive declines."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    pytest.importorskip("gradio")
    from ui.app import build_app

    meeting = transcript(
        "Design meeting, 2024-03-05",
        [
            "Grad A: The remote control needs a bigger battery and fewer buttons.",
            "Grad B: Fewer buttons, yes, and a rubber case.",
        ]
        * 3,
    )
    qa = hashed_assistant(tmp_path, {"meeting.txt": meeting})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = build_app(qa)
    assert not [w for w in caught if "not in the list of choices" in str(w.message)]
    config = app.get_config_file()
    samples = [
        c["props"].get("samples")
        for c in config["components"]
        if c.get("type") == "dataset" and c["props"].get("samples")
    ]
    offered = {str(value) for rows in samples for row in rows for value in row}
    assert "Chair Powell" not in " ".join(offered)
    assert not set(ASK) & offered
