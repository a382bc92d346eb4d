"""A question dated to a time no transcript is from is still searched at every date (the date
may be the topic's: "the August 2024 selloff"), and the answer says no transcript is dated so,
naming the nearest dates, wherever the answer is shown. The hashing model throughout."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.cli import format_answer
from ui.mcp_server import answer_text
from ui.render import answer_html, text_html

from .conftest import hashed_assistant


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    july = "Press conference, 2024-07-31\n\nChair Powell: The labor market has cooled.\n"
    september = "Press conference, 2024-09-18\n\nChair Powell: We cut rates by half a point.\n"
    files = {"july.txt": july, "september.txt": september}
    return hashed_assistant(tmp_path_factory.mktemp("dated"), files)


def test_a_month_without_transcripts_is_said_with_the_nearest_dates(qa: Assistant) -> None:
    """August 2024 has no conference: the answer still quotes the labor market passage and
    says that no transcript is dated August 2024, the nearest being July 31 and September 18."""
    shown = qa.ask("What did Powell say about the labor market in August 2024?")
    assert shown.answered, shown.reason
    assert "date_in_question" not in shown.filters
    assert shown.filters["date_not_found"] == {
        "dates": ["2024-08-01", "2024-08-31"],
        "nearest": ["2024-07-31", "2024-09-18"],
    }
    assert "labor market" in shown.passages[0].text
    note = (
        "No transcript is dated 2024-08-01 to 2024-08-31 (from the question), so every date "
        "was searched; the nearest dates: 2024-07-31, 2024-09-18"
    )
    assert shown.date_note == note
    assert note in format_answer(shown)  # the command line's answer
    assert text_html(note) in answer_html(shown)  # the chat's, escaped as HTML
    assert note in answer_text(shown)  # what an assistant reads through MCP


def test_a_month_with_a_transcript_is_its_pool_and_no_note(qa: Assistant) -> None:
    """September 2024 has one: it is the question's date, with no note."""
    shown = qa.ask("What did Powell say about rates in September 2024?")
    assert shown.filters["date_in_question"] == ["2024-09-01", "2024-09-30"]
    assert "date_not_found" not in shown.filters
    assert shown.date_note is None


def test_only_one_side_is_named_past_the_archive(qa: Assistant) -> None:
    """Before every transcript there is no earlier date to name."""
    shown = qa.ask("What did Powell say about the labor market in March 2019?")
    assert shown.filters["date_not_found"]["nearest"] == ["2024-07-31"]


def test_a_span_with_no_end_is_said_so(qa: Assistant) -> None:
    """ "since 2025": no transcript is that late, and the note says the span has no end."""
    shown = qa.ask("What did Powell say about the labor market since 2025?")
    assert shown.answered, shown.reason
    assert shown.filters["date_not_found"] == {
        "dates": ["2025-01-01", None],
        "nearest": ["2024-09-18"],
    }
    assert shown.date_note.startswith(
        "No transcript is dated 2025-01-01 or later (from the question)"
    )
