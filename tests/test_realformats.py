"""The real files of ../shared/realformats (public transcripts as published) are read with
their speakers and pages: the reading half of `benchmarks/formats.py`, without a model."""

from __future__ import annotations

import csv
import re

import pytest

from assistant.dates import transcript_date
from assistant.folding import fold
from assistant.readers import read_paths

from .conftest import SHARED

REALFORMATS = SHARED / "realformats"


def _sources() -> list[dict]:
    if not (REALFORMATS / "SOURCES.tsv").is_file():
        return []
    with open(REALFORMATS / "SOURCES.tsv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


needs_realformats = pytest.mark.skipif(
    not _sources(), reason=f"needs the shared real files ({REALFORMATS} is absent)"
)


@needs_realformats
@pytest.mark.parametrize("source", _sources(), ids=lambda s: s.get("file", "")[:40])
def test_real_file_is_read_with_the_probe_phrases_speaker(source):
    """The paragraph holding the probe phrase is the named speaker's (as the file states it,
    case aside), on the page `SOURCES.tsv` gives; a file naming nobody cites nobody."""
    path = REALFORMATS / source["kind"] / source["file"]
    doc = read_paths([path], f"{source['kind']}/{source['file']}")
    phrase = fold(source["probe_phrase"]).text
    holding = [p for p in doc.transcript.paragraphs if phrase in fold(p.text).text]
    assert holding, f"no paragraph holds {source['probe_phrase']!r}"
    paragraph = holding[0]
    assert doc.text[paragraph.start : paragraph.end] == paragraph.text
    expected = source["probe_speaker"].strip()
    if expected.startswith("("):
        assert paragraph.speaker is None
        return
    name = expected.split(" (", 1)[0]
    assert (paragraph.speaker or "").casefold() == name.casefold()
    page = re.search(r"\(p\.(\d+)", expected)
    if page:  # the page the phrase itself is on
        folded = fold(paragraph.text)
        at = folded.text.index(phrase)
        offset = paragraph.start + folded.span(at, at + len(phrase))[0]
        assert doc.page_at(offset) == int(page[1])


@needs_realformats
@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            "html/the-press-office-2011-05-02-press-briefing-senior-administration-officials-"
            "killing-osama-bin-laden.html",
            "2011-05-02",
        ),
        (
            "html/the-press-office-2016-03-21-remarks-president-obama-and-president-raul-castro-"
            "cuba-joint-press.html",
            "2016-03-21",
        ),
    ],
    ids=["bin-laden-briefing", "castro-remarks"],
)
def test_real_pages_are_dated_where_their_title_is_not(document, expected):
    """The White House pages' titles carry no date; the page's own "For Immediate Release"
    date line does (read below the page's menu, and without the file name's date too), and
    their file names agree, so they take their place over time."""
    read = read_paths([REALFORMATS / document], document)
    assert read.transcript.date == expected
    assert transcript_date(read.transcript.title, read.text, "page.html") == expected


@needs_realformats
def test_real_pdf_words_are_whole_where_layout_splits_them():
    """The 2020-03-15 conference call's PDF places glyphs so that layout mode splits words
    ("tha       t rate", "1½percentage"); its canonical text reads them as printed, so a
    quote copied from the PDF is found exactly, and its title is "Press Conference Call"."""
    document = "pdf/FOMCpresconf20200315.pdf"
    doc = read_paths([REALFORMATS / document], document)
    assert (
        "we reduced the interest rate on discount window loans by 1½ percentage points, "
        "bringing that rate to ¼ percent." in doc.text
    )
    assert doc.transcript.title == "March 15, 2020 Chair Powell’s Press Conference Call FINAL"


@needs_realformats
def test_real_pdf_paragraph_runs_on_past_a_line_that_ends_mid_sentence():
    """The Fed's PDFs are double-spaced and indent each paragraph's first line: a question
    broken after "Chair" on one line and "Powell, I'm wondering" on the next is one paragraph,
    its asker's, not two."""
    document = "pdf/FOMCpresconf20200315.pdf"
    doc = read_paths([REALFORMATS / document], document)
    phrase = "Marketplace. Chair Powell, I’m wondering, are you considering negative interest rates"
    holding = [p for p in doc.transcript.paragraphs if phrase in p.text]
    assert len(holding) == 1
    assert holding[0].speaker.casefold() == "nancy marshall-genzer"
