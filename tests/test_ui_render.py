"""How answers are rendered for the chat and the Markdown export (pure functions, no browser)."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.answers import Answer, Citation, Context, Passage
from ui.render import (
    NO_ANSWER,
    STALE_NOTE,
    answer_html,
    citation_text,
    clock_time,
    conversation_markdown,
    highlighted_html,
    markdown_text,
    merge_spans,
    summary_line,
    text_html,
)

HOSTILE = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> **b** [l](x)'


def _passage(text: str, document: str = "a.txt", highlights=None, **context) -> Passage:
    citation = Citation(document, "A briefing", "2022-10-31", "Shen Beili", 2, 10, 10 + len(text))
    return Passage(text, 0.5, citation, highlights or [], Context(**context))


def _visible_text(fragment: str) -> str:
    """What a browser shows for an HTML fragment made only of text, entities and tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment.replace("<br>", "\n")))


@given(st.text())
def test_text_html_shows_exactly_the_text(text: str) -> None:
    """Escaped text reads back as the original characters (CRLF as one line break)."""
    assert _visible_text(text_html(text)) == text.replace("\r\n", "\n")


@given(st.text())
def test_text_html_leaves_no_markup_characters(text: str) -> None:
    """Nothing in escaped text is HTML or Markdown syntax: tags, emphasis, links, code, maths."""
    out = re.sub(r"&#?\w+;", "", text_html(text).replace("<br>", ""))
    assert not set(out) & set("<>\"'*_[]`$|~\\#!")


@given(
    st.text(st.characters(blacklist_characters="\r"), min_size=1),
    st.lists(st.tuples(st.integers(-5, 60), st.integers(-5, 60)), max_size=4),
)
def test_highlights_wrap_exact_offsets_and_keep_the_text(text: str, spans) -> None:
    """<mark> pieces are exactly text[start:end] of the merged spans; the text is unchanged."""
    out = highlighted_html(text, spans)
    assert _visible_text(out) == text
    marked = [_visible_text(m) for m in re.findall(r"<mark[^>]*>(.*?)</mark>", out, re.DOTALL)]
    assert marked == [text[s:e] for s, e in merge_spans(spans, len(text))]


def test_merge_spans_clips_sorts_and_joins_overlaps() -> None:
    """Overlapping or touching spans become one; spans outside the text are dropped."""
    assert merge_spans([(8, 12), (0, 3), (2, 5), (12, 14), (30, 40), (-3, 1)], 20) == [
        (0, 5),
        (8, 14),
    ]


def test_summary_counts_passages_and_transcripts() -> None:
    """The summary line is fixed wording with the right plurals."""
    one = Answer("q", True, [_passage("x")])
    many = Answer("q", True, [_passage("x"), _passage("y", "b.txt"), _passage("z", "b.txt")])
    assert summary_line(one) == "1 passage from 1 transcript"
    assert summary_line(many) == "3 passages from 2 transcripts"


def test_declined_answer_shows_its_reason_and_no_quote() -> None:
    """A declined answer shows the reason (or the standard wording) and no block quote."""
    reasoned = answer_html(Answer("q", False, [], "These transcripts never mention “Flint”."))
    bare = answer_html(Answer("q", False, []))
    assert "never mention “Flint”" in _visible_text(reasoned)
    assert _visible_text(bare) == NO_ANSWER
    assert "<blockquote" not in reasoned + bare


def test_answer_html_quotes_hostile_text_as_data() -> None:
    """Transcript markup in a quote, its context and its title never becomes a tag."""
    answer = Answer("q", True, [_passage(HOSTILE, question=HOSTILE, after=HOSTILE)])
    out = answer_html(answer)
    assert "<script" not in out and "<img" not in out
    assert _visible_text(out).count(HOSTILE) == 3


def test_context_does_not_repeat_the_question_as_the_paragraph_before() -> None:
    """When the paragraph before is the question itself, it is shown once."""
    out = answer_html(Answer("q", True, [_passage("x", question="Why?", before="Why?")]))
    assert out.count("Why?") == 1


def test_citation_text_names_speaker_title_date_paragraph_and_span() -> None:
    """The copyable citation carries everything needed to find the quote again."""
    c = _passage("x" * 5).citation
    assert citation_text(c) == (
        'Shen Beili, "A briefing", 2022-10-31, paragraph 2 (a.txt, characters 10–15)'
    )


def test_markdown_export_renders_quotes_literally() -> None:
    """Exported Markdown, rendered by a CommonMark renderer, shows the quotes as written."""
    markdown_it = pytest.importorskip("markdown_it")
    turns = [
        {
            "question": "What was pasted?",
            "answer": Answer("q", True, [_passage(HOSTILE)]).to_dict(),
        },
        {"question": "Bad date", "answer": None, "notice": "date_from must be YYYY-MM-DD"},
    ]
    rendered = markdown_it.MarkdownIt("commonmark").render(conversation_markdown(turns))
    assert "<script" not in rendered and "<img" not in rendered and "<strong>" not in rendered
    assert HOSTILE in html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert "<blockquote>" in rendered


@given(st.text(st.characters(blacklist_characters="\x00")))
def test_markdown_text_is_literal_in_commonmark(text: str) -> None:
    """Any line of text, escaped for Markdown, renders back to exactly that text (NUL aside,
    which CommonMark itself replaces)."""
    markdown_it = pytest.importorskip("markdown_it")
    line = " ".join(text.split())  # one paragraph, as CommonMark collapses whitespace anyway
    rendered = markdown_it.MarkdownIt("commonmark").render(markdown_text(line))
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == line.strip()


def test_citation_line_shows_page_and_time_when_the_reader_knew_them() -> None:
    """A passage of a PDF shows "p. 7", one of a subtitle file "00:14:32", in the chat's citation
    line and in the copyable citation; plain text shows neither."""
    passage = _passage("x" * 5)
    timed = replace(passage, citation=replace(passage.citation, page=7, time="00:14:32"))
    shown = _visible_text(answer_html(Answer("q", True, [timed])))
    assert "paragraph 2 · p. 7 · 00:14:32" in shown
    assert citation_text(timed.citation) == (
        'Shen Beili, "A briefing", 2022-10-31, paragraph 2, p. 7, 00:14:32 '
        "(a.txt, characters 10–15)"
    )
    plain = _visible_text(answer_html(Answer("q", True, [passage])))
    assert "p. " not in plain and "00:" not in plain


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("00:14:32", "00:14:32"),
        ("14:32", "00:14:32"),
        ("1:02:03.750", "01:02:03"),
        (872, "00:14:32"),
    ],
)
def test_clock_time_shows_hours_minutes_seconds(value: object, shown: str) -> None:
    """Times are shown as HH:MM:SS however the reader wrote them (fractions dropped)."""
    assert clock_time(value) == shown


def test_stale_transcripts_are_named_with_the_reindex_command() -> None:
    """When passages of changed transcripts were left out, the turn says which, in fixed wording,
    with the command that re-indexes; the Markdown export says the same."""
    answer = Answer("q", True, [_passage("x")], filters={"stale_documents": ["b.txt", "c d.txt"]})
    command = "re-index with: verbatim index corpus --index .verbatim/index"
    shown = _visible_text(answer_html(answer, command))
    assert STALE_NOTE + "b.txt, c d.txt; " + command in shown
    exported = conversation_markdown([{"question": "q", "answer": answer.to_dict()}], command)
    assert "b.txt, c d.txt" in exported and "verbatim index corpus" in exported


def test_no_stale_note_without_stale_transcripts() -> None:
    """An answer with nothing left out carries no such note."""
    answer = Answer("q", True, [_passage("x")], filters={"stale_documents": []})
    assert "changed since indexing" not in _visible_text(answer_html(answer, "cmd"))


def test_words_read_another_way_are_said_under_the_answer() -> None:
    """An answer found under another name for a key term or a near-synonym of a common word
    says so, in fixed wording, on the page and in the export; a declined one does not."""
    filters = {
        "aliases": {"IRS": "Internal Revenue Service"},
        "said_otherwise": {"uranium": "nuclear"},
    }
    answer = Answer("q", True, [_passage("x")], filters=filters)
    line = "Read “IRS” as “Internal Revenue Service”, “uranium” as “nuclear”"
    assert answer.reading == line
    assert line in _visible_text(answer_html(answer))
    turns = [{"question": "q", "answer": answer.to_dict()}]
    assert line in conversation_markdown(turns)
    assert Answer("q", False, [], filters=filters).reading is None
    assert Answer("q", True, [_passage("x")]).reading is None
