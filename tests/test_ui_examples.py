"""The UI's example inputs fit the index it serves (`ui/examples.py`)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from ui.examples import ASK, TIMELINE, with_documents, with_speakers

from .conftest import SHARED, hashed_assistant, transcript


def test_only_questions_about_transcripts_the_index_holds_are_offered():
    """An example question is offered where the index holds the transcript it is drawn from,
    found by file name wherever it lies in the corpus folder."""
    examples = [("Q1?", "a.txt"), ("Q2?", "b.txt"), ("And Q3?", "b.txt")]
    assert with_documents(examples, ["x/b.txt", "c.txt"]) == ["Q2?", "And Q3?"]
    assert with_documents(examples, ["a.txt"]) == ["Q1?"]
    assert with_documents(examples, []) == []


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason=f"needs {SHARED / 'corpus'}")
def test_every_example_question_is_drawn_from_a_shipped_transcript():
    """Over the shipped archive every example is offered: each names a transcript it holds."""
    names = {p.name for p in (SHARED / "corpus").rglob("*.txt")}
    assert all(source in names for _, source in ASK)


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
    assert not {question for question, _ in ASK} & offered
