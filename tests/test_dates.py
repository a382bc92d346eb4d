"""Dates in titles, as ISO `YYYY-MM-DD`, in every spelling the corpus uses."""

from __future__ import annotations

import pytest

from assistant.dates import parse_date
from assistant.transcripts import parse_transcript

from .conftest import SEED_DOCUMENT


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Transcript of Chair Powell's Press Conference, 2022-10-31", "2022-10-31"),
        ("Press conference | October 31, 2022", "2022-10-31"),
        ("Briefing by White House Press Secretary Robert Gibbs, 10/30/09", "2009-10-30"),
        ("Press Briefing by Press Secretary Jay Carney, 11/01/2013", "2013-11-01"),
        ("Press Briefing by Press Secretary Josh Earnest, 7/25/16", "2016-07-25"),
        ("Remarks, 31 October 2022", "2022-10-31"),
        ("Remarks, Oct. 31, 2022", "2022-10-31"),
    ],
    ids=[
        "iso",
        "written",
        "slashed-2-digit-year",
        "slashed-4-digit-year",
        "no-zero-pad",
        "day-first",
        "abbreviated-month",
    ],
)
def test_title_date_forms(title, expected):
    """Each spelling of a date in a title gives the same ISO date."""
    assert parse_date(title) == expected


@pytest.mark.parametrize(
    "title",
    ["A briefing without a date", "Room 12/45/2020", "February 30, 2021", ""],
    ids=["none", "impossible-slashed", "impossible-day", "empty"],
)
def test_titles_without_a_real_date(title):
    """No date, or an impossible one, gives None rather than a wrong date."""
    assert parse_date(title) is None


@pytest.mark.parametrize(
    ("document", "title_end", "expected"),
    [
        (SEED_DOCUMENT, "| October 31, 2022", "2022-10-31"),
        ("fomc/fomc_2022-06-15.txt", ", 2022-06-15", "2022-06-15"),
        ("whitehouse/wh_2009-10-30.txt", ", 10/30/09", "2009-10-30"),
        ("whitehouse/wh_2013-11-01.txt", ", 11/01/2013", "2013-11-01"),
    ],
    ids=["written", "iso", "slashed-09", "slashed-2013"],
)
def test_shared_transcript_dates(shared_corpus, document, title_end, expected):
    """The title is the first line and its date is parsed, for each form in the corpus."""
    t = parse_transcript((shared_corpus / document).read_text(encoding="utf-8"), document)
    assert t.title.endswith(title_end)
    assert t.date == expected
