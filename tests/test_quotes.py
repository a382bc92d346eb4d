"""`Assistant.check` on fixture transcripts: each verdict, every occurrence by date, elisions,
attribution, an article of several quotes, a PDF's hyphenation, the report's shape and bad
input. Built with the hashing model (no torch)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.quotes import QuoteCheckReport
from embeddings import HashingModel

from .conftest import WHITEHOUSE_LIKE, write_corpus
from .test_readers import write_pdf

JUNE = """Transcript of Chair Powell's Press Conference, 2022-06-15

CHAIR POWELL: Good afternoon. Inflation is much too high, and we’re moving expeditiously to bring it back down — we will keep at it until the job is done.

The labor market has remained extremely tight, with the unemployment rate near a 50-year low.

MICHELLE SMITH: Howard.

HOWARD SCHNEIDER: Thank you. Will the Committee keep raising rates until inflation comes down for good?

CHAIR POWELL: We will keep raising rates until we see compelling evidence that inflation is coming down.
"""
JULY = """Transcript of Chair Powell's Press Conference, 2022-07-27

CHAIR POWELL: Good afternoon. Inflation is much too high, and over coming months we will be looking for compelling evidence that it is moving down.
"""
MAY = """Transcript of Chair Powell's Press Conference, 2022-05-04

CHAIR POWELL: Good afternoon. Inflation is much too high and we understand the hardship it is causing.
"""
CORPUS = {
    "fomc/a_june.txt": JUNE,
    "fomc/b_july.txt": JULY,
    "fomc/c_may.txt": MAY,  # the earliest date in the last file name: matches sort by date
    "whitehouse/wh_2014-10-29.txt": WHITEHOUSE_LIKE,
}


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("quotes")
    corpus = write_corpus(root / "corpus", CORPUS)
    return Assistant.build(corpus, root / "index", model=HashingModel())


def one(qa: Assistant, text: str, **kwargs):
    report = qa.check(text, **kwargs)
    assert len(report.quotes) == 1
    return report.quotes[0]


def source(qa: Assistant, match) -> str:
    c = match.citation
    return (qa.corpus_root / c.document).read_text(encoding="utf-8")[c.start : c.end]


# ----------------------------------------------------------------------------- verdicts
def test_exact_despite_case_quote_glyphs_dashes_and_spacing(qa):
    """What a transcript has no opinion about does not stop an exact match."""
    q = one(
        qa,
        "INFLATION is much too high,  and we're moving expeditiously to bring it back down -- we will",
    )
    assert q.verdict == "exact"
    (m,) = q.matches
    assert m.citation.document == "fomc/a_june.txt" and m.differences == ()
    assert m.text == source(qa, m)
    assert m.text.startswith("Inflation is much too high, and we’re moving") and "—" in m.text


def test_every_occurrence_ordered_by_date(qa):
    """A quote said several times lists each time, oldest first, each span cited exactly."""
    q = one(qa, "inflation is much too high")
    assert q.verdict == "exact"
    assert [m.citation.date for m in q.matches] == ["2022-05-04", "2022-06-15", "2022-07-27"]
    for m in q.matches:
        assert m.text == source(qa, m) and m.text.lower() == "inflation is much too high"
        assert m.citation.speaker == "Chair Powell" and m.citation.title.startswith("Transcript")


def test_close_lists_each_replaced_word_in_both_texts(qa):
    """A few changed words: `close`, each difference positioned in the quote and the source."""
    quote = "Inflation is far too high, and we're moving quickly to bring it back down"
    q = one(qa, quote)
    assert q.verdict == "close"
    (m,) = q.matches
    text = qa.document_text(m.citation.document)
    changed = [(d.kind, d.quote_text, d.source_text) for d in m.differences]
    assert changed == [("replaced", "far", "much"), ("replaced", "quickly", "expeditiously")]
    for d in m.differences:
        assert quote[d.quote_start : d.quote_end] == d.quote_text
        assert text[d.source_start : d.source_end] == d.source_text
        assert m.citation.start <= d.source_start <= d.source_end <= m.citation.end


def test_close_shows_inserted_and_dropped_words(qa):
    """A word the quote adds is `inserted`; a word it leaves out is `dropped`."""
    q = one(qa, "we will really keep at it until job is done")
    assert q.verdict == "close"
    kinds = {(d.kind, d.quote_text or d.source_text) for d in q.matches[0].differences}
    assert kinds == {("inserted", "really"), ("dropped", "the")}
    inserted = next(d for d in q.matches[0].differences if d.kind == "inserted")
    assert inserted.source_start == inserted.source_end  # a place in the source, no words


def test_not_found_gives_similar_passages_labelled_as_such(qa):
    """Nothing close: no match, at most k passages similar in meaning, never as matches."""
    q = one(qa, "The labor market is extremely tight and unemployment is very low.", k=2)
    assert q.verdict == "not_found" and q.matches == ()
    assert 1 <= len(q.similar) <= 2
    for p in q.similar:
        c = p.citation
        assert qa.document_text(c.document)[c.start : c.end] == p.text
    assert one(qa, "The purple elephant danced across the committee room.", k=0).similar == ()


def test_similar_passages_are_what_the_claimed_speaker_said(qa):
    """A misquote credited to Josh Earnest gets Earnest's nearest words, never a reporter's
    question; credited to no one, or to a name nobody in the index has, anyone's (here
    Powell's, whose words it mostly borrows)."""
    misquote = "Inflation is much too high and the talks will go on next week"
    credited = one(qa, misquote, speaker="Josh Earnest")
    assert credited.verdict == "not_found"
    assert credited.similar
    assert {p.citation.speaker for p in credited.similar} == {"Mr. Earnest"}
    assert credited.similar_from == ("Mr. Earnest",)  # the report says whose they are
    assert all(p.citation.role != "question" for p in credited.similar)
    anyone = one(qa, misquote)
    assert "Chair Powell" in {p.citation.speaker for p in anyone.similar}
    assert anyone.similar_from == ()
    stranger = one(qa, misquote, speaker="Janet Yellen")
    assert [p.citation for p in stranger.similar] == [p.citation for p in anyone.similar]
    assert stranger.similar_from == ()


def test_nearest_ranks_a_text_and_never_declines(qa):
    """`Retriever.nearest` ranks passages for a text as `ask` does, but does not decline one
    that nothing answers: its caller (the quote check) says the passages are only similar."""

    def nearest(text: str, k: int) -> list:
        return qa.retriever.nearest(text, qa.model.encode([text])[0], k)

    near = nearest("inflation is much too high", 2)
    assert len(near) == 2
    assert "Inflation is much too high" in near[0].text
    for p in near:
        c = p.citation
        assert qa.document_text(c.document)[c.start : c.end] == p.text
    nonsense = "The purple elephant danced across the room."
    assert not qa.ask(nonsense).answered
    assert len(nearest(nonsense, 2)) == 2


def test_words_left_out_without_an_ellipsis_are_listed(qa):
    """A quote joining the start and end of a sentence with nothing to mark the cut is close,
    at the whole span, the words left out listed as dropped (not words "replaced" in a window
    that happens to fit)."""
    q = one(qa, "Inflation is much too high, and we will keep at it until the job is done")
    assert q.verdict == "close"
    (m,) = q.matches
    assert m.text == source(qa, m)
    assert m.text.startswith("Inflation is much too high") and m.text.endswith("the job is done")
    (left_out,) = m.differences
    assert left_out.kind == "dropped" and left_out.quote_text == ""
    assert "moving expeditiously to bring it back down" in left_out.source_text


def test_a_short_common_phrase_is_not_close_to_everything(qa):
    """Sharing a few common words is not a close match."""
    assert one(qa, "we will be at the room until it is over").verdict == "not_found"


# ----------------------------------------------------------------------------- elisions
def test_elided_fragments_found_in_order(qa):
    """Fragments around "..." occur in order in one passage: exact, the elided words listed."""
    quote = "Inflation is much too high ... we will keep at it until the job is done"
    q = one(qa, quote)
    assert q.verdict == "exact"
    (m,) = q.matches
    assert m.text == source(qa, m)
    assert m.text.startswith("Inflation is much too high") and m.text.endswith("the job is done")
    (gap,) = m.differences
    assert gap.kind == "elided" and gap.quote_text == "..."
    assert quote[gap.quote_start : gap.quote_end] == "..."
    assert gap.source_text == "and we’re moving expeditiously to bring it back down"


def test_fragments_out_of_order_are_no_exact_match(qa):
    """The same fragments swapped were never said that way."""
    q = one(qa, "we will keep at it until the job is done … Inflation is much too high")
    assert q.verdict != "exact"


def test_an_elision_may_span_adjacent_paragraphs_of_one_speaker(qa):
    """Fragments in two consecutive paragraphs by the same speaker make one quote."""
    q = one(
        qa,
        "we will keep at it until the job is done. [...] The labor market has remained extremely tight",
    )
    assert q.verdict == "exact"
    (m,) = q.matches
    assert m.citation.paragraph == 1 and m.text == source(qa, m)


def test_fragments_of_two_speakers_are_not_one_quote(qa):
    """A reporter's words elided into the answer's are not something one person said."""
    q = one(
        qa,
        "Will the Committee keep raising rates ... compelling evidence that inflation is coming down",
    )
    assert q.verdict != "exact"


# ----------------------------------------------------------------------------- attribution
def test_misattributed_quote_names_the_real_speaker(qa):
    """Credited to someone else: `speaker_matches` is false and the citation says who."""
    q = one(qa, "“We will keep at it until the job is done,” Josh Earnest said.")
    assert q.claimed_speaker == "Josh Earnest" and q.verdict == "exact"
    (m,) = q.matches
    assert m.speaker_matches is False
    assert (m.citation.speaker, m.citation.role) == ("Chair Powell", "statement")


def test_a_reporters_question_is_not_the_officials_answer(qa):
    """A question credited to the official who answered it is flagged, with its asker."""
    q = one(
        qa,
        "Will the Committee keep raising rates until inflation comes down for good?",
        speaker="Powell",
    )
    (m,) = q.matches
    assert m.speaker_matches is False
    assert (m.citation.speaker, m.citation.role) == ("Howard Schneider", "question")


def test_the_right_speaker_is_confirmed(qa):
    """Credited to whoever said it: `speaker_matches` is true; no claim leaves it None."""
    assert one(qa, "the job is done", speaker="Jerome Powell").matches[0].speaker_matches is True
    assert one(qa, "the job is done").matches[0].speaker_matches is None


def test_an_article_with_three_quotes_one_misattributed(qa):
    """Each quoted string is checked with the attribution next to it, in the text's order."""
    article = (
        "Chair Powell did not mince words. “Inflation is much too high,” Powell said on "
        'Wednesday. At the White House, the press secretary told reporters: "The budget talks '
        'will continue next week when members return to Washington." Later, “the President '
        "believes policy should be driven by science,” Powell added."
    )
    report = qa.check(article)
    assert [q.claimed_speaker for q in report.quotes] == ["Powell", "the press secretary", "Powell"]
    assert [q.verdict for q in report.quotes] == ["exact", "exact", "exact"]
    flags = [{m.speaker_matches for m in q.matches} for q in report.quotes]
    assert flags == [{True}, {True}, {False}]
    assert report.quotes[2].matches[0].citation.speaker == "Mr. Earnest"


def test_a_quote_said_at_another_time_than_the_text_says_is_flagged(qa):
    """ "Inflation is much too high and we understand the hardship" was said on 2022-05-04:
    dated June 2022 by the text, its match says it was not said then and when it was; dated
    May 2022, that it was; with no date in the text, nothing is judged."""
    quote = "“Inflation is much too high and we understand the hardship it is causing,”"
    misdated = one(qa, f"{quote} Powell said in June 2022.")
    assert misdated.claimed_date is not None and misdated.claimed_date.text == "June 2022"
    assert (misdated.claimed_date.start, misdated.claimed_date.end) == ("2022-06-01", "2022-06-30")
    (m,) = misdated.matches
    assert m.date_matches is False and m.citation.date == "2022-05-04"
    assert misdated.verdict == "exact" and m.speaker_matches is True  # the rest unchanged
    (right,) = one(qa, f"{quote} Powell said in May 2022.").matches
    assert right.date_matches is True
    undated = one(qa, f"{quote} Powell said.")
    assert undated.claimed_date is None and undated.matches[0].date_matches is None


def test_a_quote_said_several_times_is_judged_at_each(qa):
    """ "Inflation is much too high" was said in May, June and July 2022: dated July 2022,
    only the July occurrence was said then."""
    q = one(qa, "“Inflation is much too high,” Powell said on July 27, 2022.")
    flags = {m.citation.date: m.date_matches for m in q.matches}
    assert flags == {"2022-05-04": False, "2022-06-15": False, "2022-07-27": True}


# ----------------------------------------------------------------------------- PDF
def test_pdf_hyphenation_across_lines_and_pages_folds_away(tmp_path):
    """A word broken at a line's end or a page's end matches the whole word; the page is cited."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_pdf(corpus / "powell.pdf")
    qa = Assistant.build(corpus, tmp_path / "index", model=HashingModel())
    q = one(
        qa,
        "the tightening of credit conditions affects the outlook for the economy over the coming year",
    )
    (m,) = q.matches
    assert q.verdict == "exact" and m.citation.page == 2 and m.citation.role == "question"
    assert m.text == qa.document_text("powell.pdf")[m.citation.start : m.citation.end]
    q = one(qa, "We remain highly attentive to the risks of inflation.", speaker="Powell")
    assert q.verdict == "exact" and q.matches[0].citation.page == 1
    assert q.matches[0].speaker_matches is True


# ----------------------------------------------------------------------------- the report
def test_report_json_has_the_documented_fields(qa):
    """`to_dict` holds exactly the documented fields and round-trips through JSON."""
    report = qa.check("Inflation is far too high, and we're moving quickly", speaker="Powell")
    data = json.loads(report.to_json())
    (q,) = data["quotes"]
    assert set(q) == {
        "quote",
        "verdict",
        "claimed_speaker",
        "claimed_date",
        "matches",
        "similar",
        "similar_from",
    }
    assert set(q["matches"][0]) == {
        "text",
        "citation",
        "differences",
        "speaker_matches",
        "date_matches",
    }
    assert set(q["matches"][0]["citation"]) >= {
        "document",
        "title",
        "date",
        "speaker",
        "role",
        "paragraph",
        "start",
        "end",
        "page",
        "time",
    }
    assert set(q["matches"][0]["differences"][0]) == {
        "kind",
        "quote_text",
        "source_text",
        "quote_start",
        "quote_end",
        "source_start",
        "source_end",
    }
    assert QuoteCheckReport.from_dict(data) == report


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("", {}, "empty"),
        ("  …  !! ", {}, "no words"),
        ("a" * (1 << 20), {}, "1,048,576 characters"),
        ("word " * 450, {}, "more than a quote"),
        ("too high", {"k": -1}, "k must be"),
        ("too high", {"k": "3"}, "k must be"),
    ],
)
def test_bad_input_is_refused_with_a_reason(qa, text, kwargs, message):
    """Empty, wordless, 1 MB and over-long quotes, and a bad k: ValueError saying why."""
    with pytest.raises(ValueError, match=message):
        qa.check(text, **kwargs)


def test_a_transcript_changed_since_indexing_is_left_out(tmp_path):
    """A quote is never cited from a file whose text no longer matches the index."""
    corpus = write_corpus(tmp_path / "corpus", {"fomc/a_june.txt": JUNE, "fomc/b_july.txt": JULY})
    qa = Assistant.build(corpus, tmp_path / "index", model=HashingModel())
    assert [m.citation.document for m in one(qa, "inflation is much too high").matches] == [
        "fomc/a_june.txt",
        "fomc/b_july.txt",
    ]
    path: Path = corpus / "fomc" / "a_june.txt"
    path.write_text(JUNE.replace("much too high", "far too high"), encoding="utf-8")
    assert [m.citation.document for m in one(qa, "inflation is much too high").matches] == [
        "fomc/b_july.txt"
    ]
