"""The pure parts of the quote check: finding quotes and attributions, elisions, aligning words
with rapidfuzz, judging a claimed speaker, and marking differences for display."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.answers import Citation
from assistant.folding import word_columns, words
from assistant.quotes.align import Coder, cut_placements, exact_windows, place
from assistant.quotes.claims import parse_claim, speaker_matches
from assistant.quotes.display import marked_text, segments
from assistant.quotes.extract import (
    MAX_QUOTE_CHARS,
    MAX_TEXT_CHARS,
    elision_fragments,
    find_quotes,
    quotes_to_check,
)
from assistant.quotes.report import Difference, Match


def quoted(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in find_quotes(text)]


# ----------------------------------------------------------------------------- extraction
def test_every_quotation_glyph_delimits_a_quote():
    """Curly, straight, low-high and angle quotation marks all mark quotes, in order."""
    text = '“First one here.” Then "second one here" and „dritte hier“ and « quatrième ici ».'
    assert [q for q, _ in quoted(text)] == [
        "First one here.",
        "second one here",
        "dritte hier",
        "quatrième ici",
    ]


def test_offsets_point_into_the_text():
    """Each quote's start and end index the checked text."""
    text = 'He said "we will not stop now" twice.'
    (q,) = find_quotes(text)
    assert text[q.start : q.end] == q.text == "we will not stop now"


def test_single_quotes_only_when_clearly_a_quotation():
    """'…' of three words or more is a quote; apostrophes and short scare quotes are not."""
    text = (
        "Powell's view: 'we are not there yet' — it's the 'soft landing' the workers' union wants."
    )
    assert [q for q, _ in quoted(text)] == ["we are not there yet"]


def test_a_single_quoted_word_is_not_a_quote():
    """A one-word scare quote in an article is not checked."""
    assert quoted('The so-called "transitory" view and “a soft landing” held.') == [
        ("a soft landing", None)
    ]


def test_a_quote_never_runs_over_a_blank_line():
    """An unclosed mark does not swallow the next paragraph and its quotes."""
    text = 'He began "and never closed it.\n\nLater: "this one is closed" she said.'
    assert [q for q, _ in quoted(text)] == ["this one is closed"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“Inflation is much too high,” Powell said on Wednesday.", "Powell"),
        ("“Inflation is much too high,” said the press secretary.", "the press secretary"),
        ("“Inflation is much too high.” — Josh Earnest", "Josh Earnest"),
        ('"Inflation is much too high", according to the press secretary.', "the press secretary"),
        ('Mr. Earnest told reporters: "Inflation is much too high."', "Mr. Earnest"),
        (
            "According to Fed Chair Jerome H. Powell, “inflation is much too high.”",
            "Fed Chair Jerome H. Powell",
        ),
        ('As Powell put it, "inflation is much too high."', "Powell"),
        ('"Inflation is much too high" (Powell)', "Powell"),
        ("“Is inflation much too high?” a reporter asked.", "a reporter"),
        ("“Inflation is much too high.”", None),
        # an aside between the name and its verb is not the speaker ("reporters" was)
        (
            'Josh Earnest, the White House press secretary, told reporters: "Inflation is much '
            'too high."',
            "Josh Earnest",
        ),
        ('Powell, who became chair in 2018, said "inflation is much too high."', "Powell"),
        ("“Inflation is much too high,” Powell, the Fed chair, said.", "Powell"),
        ('In June, the chair said, "inflation is much too high."', "the chair"),
    ],
)
def test_the_attribution_next_to_a_quote(text, speaker):
    """Each way an article credits a quote gives its claimed speaker, as written."""
    (q,) = find_quotes(text)
    assert q.text.lower().startswith(("inflation is much too high", "is inflation"))
    assert q.speaker == speaker


def test_he_said_carries_the_speaker_before():
    """A pronoun credits the quote to whoever the text credited last."""
    text = "“We are moving quickly,” Powell said. “We will not stop there,” he added."
    assert [s for _, s in quoted(text)] == ["Powell", "Powell"]


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ('"Inflation is much too high," Powell said on May 4, 2022.', "May 4, 2022"),
        ('In June 2022, the chair warned "inflation is much too high" again.', "June 2022"),
        (
            'At his March 2025 press conference, Powell said: "Inflation is much too high."',
            "March 2025",
        ),
        ('"Inflation is much too high," Powell told reporters in December 2024.', "December 2024"),
        ('At a press conference in 2021, Powell said: "Inflation is much too high."', "2021"),
        ('Powell said a cut in 2025 is likely: "inflation is much too high."', None),
        ('Powell, who became chair in 2018, said "inflation is much too high."', None),
        ('"Inflation is much too high," Powell said.', None),
    ],
)
def test_when_the_text_says_a_quote_was_said(text, when):
    """A date written beside a quote as a time it was said ("on", "in", "at" opening a clause
    or after the verb of saying, or before an occasion) is its claimed date; a date inside
    what is reported ("a cut in 2025") or in a clause about something else is not."""
    (q,) = find_quotes(text)
    assert (q.when.text if q.when else None) == when


def test_he_added_carries_the_date_before_unless_given():
    """A pronoun's quote goes on at the time the quote before was said, unless it gives its
    own; a named speaker's quote does not take another's date."""
    text = (
        'On May 4, 2022, Powell said: "We are moving quickly." "We will not stop there," he '
        'added. "Hardship is real," he said in June 2022. "The talks go on," Earnest said.'
    )
    assert [q.when.text if q.when else None for q in find_quotes(text)] == [
        "May 4, 2022",
        "May 4, 2022",
        "June 2022",
        None,
    ]


def test_a_full_stop_ends_the_quote_sentence():
    """After “….” the next sentence's "He said" belongs to the next quote, not this one."""
    text = "“The first thing is done.” He said it's over. “Another thing came,” Smith said."
    assert [s for _, s in quoted(text)] == [None, "Smith"]


def test_a_text_without_quotation_marks_is_one_quote():
    """A bare quote is checked whole, its own quotation marks and trailing comma dropped."""
    (q,) = quotes_to_check("  “Inflation is much too high,”  ")
    assert q.text == "Inflation is much too high"


def test_elisions_split_a_quote_into_fragments():
    """ "...", ". . .", "…", "[...]" and "[…]" all elide; empty fragments are dropped."""
    quote = "We are ... moving . . . quickly … to [...] bring [ … ] it down..."
    parts = [quote[s:e].strip() for s, e in elision_fragments(quote)]
    assert parts == ["We are", "moving", "quickly", "to", "bring", "it down"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("!!! ??? …", "no words"),
        ("x" * (MAX_TEXT_CHARS + 1), "characters long"),
        ("word " * (MAX_QUOTE_CHARS // 5 + 1), "more than a quote"),
    ],
)
def test_bad_texts_are_refused_with_a_reason(text, message):
    """Empty, wordless, over-long texts and over-long quotes raise ValueError saying why."""
    with pytest.raises(ValueError, match=message):
        quotes_to_check(text)


def test_a_long_quote_inside_an_article_is_named_by_its_place():
    """The refusal of an over-long quoted string says where it starts."""
    text = 'Short intro. "' + "word " * 500 + '" and “a fine quote here.”'
    with pytest.raises(ValueError, match="the quote at character 14"):
        quotes_to_check(text)


def test_a_megabyte_of_quotes_is_refused_quickly():
    """A 1 MB paste is refused before any quote is looked for."""
    with pytest.raises(ValueError, match="1,048,576 characters"):
        quotes_to_check('"a b c" ' * (1 << 17))


# ----------------------------------------------------------------------------- folding
@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            [*"abc XYZ,.-\n\t'’ʼ‘“”—–", "\u00ad", "ß", "İ", "沈", "é", "Σ", "ﬁ"]
        ),
        max_size=60,
    )
)
def test_word_columns_equal_words(text):
    """The fast word cutter gives exactly what `words` gives, offsets included."""
    w = words(text)
    assert word_columns(text) == ([x.text for x in w], [x.start for x in w], [x.end for x in w])


# ----------------------------------------------------------------------------- alignment
def code(quote: str, source: str) -> tuple[Coder, str]:
    coder = Coder(word_columns(quote)[0])
    return coder, coder.source(word_columns(source)[0])


def test_an_exact_occurrence_is_found_everywhere():
    """Every occurrence of the quote's words in order is a window, however it is spelt."""
    coder, source = code("too high", "It is TOO high. Far too—high!")
    assert exact_windows([coder.quote], source) == [((2, 4),), ((5, 7),)]


def test_fragments_must_come_in_order_and_close():
    """Elided fragments are found in order; a fragment only found before the first is no match."""
    coder, source = code("alpha beta gamma", "gamma delta alpha beta zeta")
    a, b = coder.quote[:2], coder.quote[2:]
    assert exact_windows([a, b], source) == []
    coder, source = code("alpha beta gamma", "alpha beta delta epsilon gamma")
    assert exact_windows([coder.quote[:2], coder.quote[2:]], source) == [((0, 2), (4, 5))]


def test_a_replaced_word_is_one_replacement():
    """A changed last word reads as replaced, not as dropped and inserted."""
    coder, source = code(
        "inflation is much too high and we are moving quickly",
        "good afternoon inflation is much too high and we are moving expeditiously to bring it down",
    )
    p = place([coder.quote], source)
    assert p.distance == 1 and p.matched == 9
    assert [(e.tag, e.q1, e.q2, e.s1, e.s2) for e in p.edits[0] if e.tag != "equal"] == [
        ("replace", 9, 10, 11, 12)
    ]


def test_adjacent_edits_merge_into_one_replacement():
    """ "gave" for "has given" is one replacement of two words by one."""
    coder, source = code(
        "goals that congress gave us", "the goals that congress has given us today"
    )
    p = place([coder.quote], source)
    assert [(e.tag, e.s2 - e.s1) for e in p.edits[0] if e.tag != "equal"] == [("replace", 2)]


def test_inserted_and_dropped_words():
    """A word the quote adds is a 'delete' edit; a word it leaves out is an 'insert'."""
    coder, source = code(
        "we will very much keep at it until done", "we will keep at it until the job is done"
    )
    p = place([coder.quote], source)
    tags = [e.tag for e in p.edits[0] if e.tag != "equal"]
    assert "delete" in tags and ("insert" in tags or "replace" in tags)


def test_words_cut_from_the_middle_are_one_stretch_said_and_not_quoted():
    """Every quote word said in order but a stretch of the source between: one window, the
    stretch an "insert" edit (said, not quoted), the shortest such stretch."""
    coder, source = code(
        "inflation is much too high and we are moving expeditiously",
        "inflation is much too high and we understand the hardship it is causing and we are "
        "moving expeditiously",
    )
    (p,) = cut_placements(coder.quote, source, 4, 60)
    assert p.windows == ((0, 18),) and p.matched == 10
    (left_out,) = [e for e in p.edits[0] if e.tag != "equal"]
    assert left_out.tag == "insert" and left_out.q1 == left_out.q2
    assert left_out.s2 - left_out.s1 == p.distance == 8


def test_a_cut_needs_both_sides_long_enough_and_close():
    """Three quoted words on a side, or a stretch past the limit, is no cut."""
    coder, source = code(
        "alpha beta gamma delta epsilon zeta", "alpha beta gamma x delta epsilon zeta"
    )
    assert cut_placements(coder.quote, source, 4, 60) == []
    assert len(cut_placements(coder.quote, source, 3, 60)) == 1
    coder, source = code(
        "alpha beta gamma delta epsilon zeta eta theta",
        "alpha beta gamma delta " + "x " * 61 + "epsilon zeta eta theta",
    )
    assert cut_placements(coder.quote, source, 4, 60) == []
    assert len(cut_placements(coder.quote, source, 4, 61)) == 1


# ----------------------------------------------------------------------------- claims
POWELL = Citation(
    "fomc/a.txt",
    "Transcript of Chair Powell's Press Conference",
    "2022-06-15",
    "Chair Powell",
    1,
    0,
    10,
    "statement",
)
EARNEST = Citation(
    "wh/b.txt",
    "Press Briefing by Press Secretary Josh Earnest",
    "2014-10-29",
    "Mr. Earnest",
    3,
    0,
    10,
    "answer",
)
QUESTION = Citation(
    "wh/b.txt",
    "Press Briefing by Press Secretary Josh Earnest",
    "2014-10-29",
    None,
    2,
    0,
    10,
    "question",
)


@pytest.mark.parametrize(
    ("claim", "citation", "expected"),
    [
        ("Powell", POWELL, True),
        ("Fed Chair Jerome Powell", POWELL, True),
        ("the Fed chair", POWELL, True),
        ("Josh Earnest", POWELL, False),
        ("Josh Earnest", EARNEST, True),
        ("the press secretary", EARNEST, True),
        ("the press secretary", POWELL, False),
        ("Michelle Smith", Citation("f", "t", None, "Howard Smith", 1, 0, 1, "question"), False),
        ("Earnest", QUESTION, False),
        ("a reporter", QUESTION, True),
        ("a reporter", EARNEST, False),
        ("a senior official", EARNEST, None),
        (None, EARNEST, None),
    ],
)
def test_claimed_speaker_against_who_said_it(claim, citation, expected):
    """Names by their parts, roles by the label or the title, reporters by the question."""
    assert speaker_matches(parse_claim(claim), citation) is expected


# ----------------------------------------------------------------------------- display
def test_segments_cover_the_source_span_once():
    """The marked pieces put together are the source span, each difference in its place."""
    text = "Inflation is much too high and we are moving expeditiously"
    c = Citation("d", "t", None, "Chair Powell", 1, 100, 100 + len(text), "statement")
    at, much = 100 + text.index("expeditiously"), 100 + text.index("much")
    diffs = (
        Difference("replaced", "quickly", "expeditiously", 40, 47, at, at + 13),
        Difference("dropped", "", "much", 13, 13, much, much + 4),
    )
    m = Match(text, c, diffs, None)
    assert "".join(s.said for s in segments(m)) == text
    assert marked_text(m) == (
        "Inflation is [-much-] too high and we are moving [-expeditiously-]{+quickly+}"
    )


def test_an_inserted_word_is_shown_between_its_neighbours():
    """A word quoted but not said sits between two words said, spaced as text."""
    text = "until the job is done"
    c = Citation("d", "t", None, "Chair Powell", 1, 0, len(text), "answer")
    at = text.index(" done")
    m = Match(text, c, (Difference("inserted", "really", "", 17, 23, at, at),), None)
    assert marked_text(m) == "until the job is {+really+} done"
