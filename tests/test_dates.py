"""Dates in titles, as ISO `YYYY-MM-DD`, in every spelling the corpus uses; dates in
questions, as ranges."""

from __future__ import annotations

import pytest

from assistant.dates import (
    date_alone,
    date_in_name,
    date_range_in,
    parse_date,
    question_dates,
)
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
    ("line", "expected"),
    [
        ("May 02, 2011", "2011-05-02"),
        ("Monday, May 2nd, 2011", "2011-05-02"),
        ("2011-05-02", "2011-05-02"),
        ("Updated: May 2, 2011", None),
        ("On May 2, 2011 we met the press.", None),
        ("May 2011", None),
    ],
    ids=["written", "weekday-ordinal", "iso", "labelled", "in-a-sentence", "no-day"],
)
def test_a_line_is_a_date_only_when_it_holds_nothing_else(line, expected):
    """A date line near a transcript's top dates it; a date said in a sentence, or labelled
    ("Updated:"), is not the transcript's date."""
    assert date_alone(line) == expected


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("html/the-press-office-2011-05-02-press-briefing.html", "2011-05-02"),
        ("pdf/FOMCpresconf20110427.pdf", "2011-04-27"),
        ("minutes/2019_03_12.txt", "2019-03-12"),
        ("Bmr012.txt", None),
        ("case-123420110427.txt", None),
        ("20191301.txt", None),
    ],
    ids=["iso", "compact", "underscored", "none", "inside-a-number", "impossible"],
)
def test_the_date_in_a_file_name(document, expected):
    """A file's name dates it when it holds a valid date that is not part of a longer number."""
    assert date_in_name(document) == expected


def test_an_undated_title_is_dated_by_a_date_line_then_by_the_file_name():
    """The title's date first; else a line that is a date alone near the top (a press office
    page's "May 02, 2011" under "For Immediate Release"); else the file's name."""
    page = (
        "Press Briefing by Senior Administration Officials\n\nFor Immediate Release\n\n"
        "May 02, 2011\n\nSENIOR ADMINISTRATION OFFICIAL: Good evening. On May 1, 2011 we...\n"
    )
    assert parse_transcript(page, "briefing.html").date == "2011-05-02"
    assert parse_transcript(page, "briefing-2011-05-03.html").date == "2011-05-02"
    no_line = page.replace("May 02, 2011\n\n", "")
    assert parse_transcript(no_line, "briefing-2011-05-03.html").date == "2011-05-03"
    assert parse_transcript(no_line, "briefing.html").date is None
    titled = "Briefing, 10/30/09\n\n" + page.split("\n\n", 1)[1]
    assert parse_transcript(titled, "briefing-2011-05-03.html").date == "2009-10-30"


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


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("What did Powell say in June 2022 about rates?", "2022-06-01", "2022-06-30"),
        ("Why was inflation expected to jump in spring 2021?", "2021-03-01", "2021-05-31"),
        ("What did he hear in the fall of 2023?", "2023-09-01", "2023-11-30"),
        ("What did he hear in the autumn of 2023?", "2023-09-01", "2023-11-30"),
        ("How worried was the Fed in early 2022?", "2022-01-01", "2022-04-30"),
        ("What was the outlook in mid-2022?", "2022-05-01", "2022-08-31"),
        ("At the end of 2020, when did they expect it?", "2020-09-01", "2020-12-31"),
        ("What did he say in the first half of 2021?", "2021-01-01", "2021-06-30"),
        ("What was said over the winter of 2021?", "2020-12-01", "2021-02-28"),
        ("What did he say in late June 2022?", "2022-06-01", "2022-06-30"),
        ("What did Powell say in 2025?", "2025-01-01", "2025-12-31"),
    ],
)
def test_a_question_names_a_month_a_part_of_a_year_or_a_year(question, start, end):
    """The most specific span a question names: a month before a part of a year ("late June
    2022" is June), a part of a year before the year ("the fall of 2023" is September to
    November); winter runs from the December before."""
    found = date_range_in(question)
    assert found is not None
    assert (found.start, found.end) == (start, end)


def test_a_year_not_tied_to_a_part_is_the_whole_year():
    """ "an end to 2020's policy" or "the start of the 2020 pandemic" name 2020, not its end or
    start; a decade ("the mid-2000s") names no date."""
    assert date_range_in("Did he call for an end to 2020 policy?").start == "2020-01-01"
    assert date_range_in("What did he say at the start of the 2020 pandemic?").end == "2020-12-31"
    assert date_range_in("Was it like the mid-2000s housing boom?") is None


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("What has Powell said about AI since 2024?", "2024-01-01", None),
        ("Are banks ready to borrow after the spring 2023 bank failures?", "2023-03-01", None),
        ("Has he met Trump since he returned to the White House in 2025?", "2025-01-01", None),
        ("What did Powell say about rates from 2023 on?", "2023-01-01", None),
        ("What did Gibbs say before the 2010 midterms?", None, "2010-12-31"),
        ("What did Powell say until June 2022?", None, "2022-06-30"),
        ("What did Powell say about inflation between 2021 and 2023?", "2021-01-01", "2023-12-31"),
        ("What did he say from June 2021 to March 2022?", "2021-06-01", "2022-03-31"),
        ("What did Powell say in 2021 and 2022 about supply chains?", "2021-01-01", "2022-12-31"),
        ("What did Powell say in 2021-22 about inflation?", "2021-01-01", "2022-12-31"),
        ("What did Powell say in 2021–2023?", "2021-01-01", "2023-12-31"),
    ],
)
def test_a_question_opens_or_joins_its_dates(question, start, end):
    """Words before a date in its clause open its range on one side ("since", "after": from
    its start on; "before", "until": up to its end), and two dates joined by "and", "to" or a
    dash are one span; an open end is None in `bounds`."""
    found = question_dates(question)
    assert found is not None
    assert found.bounds == (start, end)


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("What did Powell say in June 2022 about rates?", "2022-06-01", "2022-06-30"),
        ("Since the pandemic began, what did Powell say in 2023?", "2023-01-01", "2023-12-31"),
        ("How is this taper different from the one back in 2013?", "2013-01-01", "2013-12-31"),
        ("Right after the November 2024 election, would he resign?", "2024-11-01", "2024-11-30"),
        ("What did Gibbs say days before the 2010 midterms?", "2010-01-01", "2010-12-31"),
        ("What did he say at the start of the 2020 pandemic?", "2020-01-01", "2020-12-31"),
    ],
)
def test_a_date_without_such_words_is_read_as_before(question, start, end):
    """An opener in another clause ("Since the pandemic began, ...") or none at all leaves the
    date as `date_range_in` reads it, and so does a time close to it ("right after", "days
    before": near the date, not everything since or before it)."""
    found = question_dates(question)
    assert found is not None and (found.start, found.end) == (start, end)
    assert found == date_range_in(question)


def test_a_question_without_a_date_has_none():
    """No year, month or day: no span, whatever the words ("since the crisis")."""
    assert question_dates("What has Powell said since the crisis?") is None
