"""The "Check a quote" tab: its HTML from a report (pure), then the tab in a real browser
(headless Debian Chromium through Playwright) and `/check` through `gradio_client`, against a
server running in this process over fixture transcripts indexed with the hashing model.
Expected reports come from `Assistant.check` on the same index, never hard-coded."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant import Assistant
from embeddings import HashingModel
from ui.check_render import check_notice_html, report_html

from .conftest import write_corpus
from .test_quotes import CORPUS

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = (ROOT / "tests" / "fixtures" / "ui" / "hostile_briefing.txt").read_text(encoding="utf-8")
CLOSE_QUOTE = "Inflation is far too high, and we're moving quickly to bring it back down"
MISATTRIBUTED = "“We will keep at it until the job is done,” Josh Earnest said."
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("ui-check")
    corpus = write_corpus(root / "corpus", {**CORPUS, "seed/hostile.txt": HOSTILE})
    return Assistant.build(corpus, root / "index", model=HashingModel())


def html_of(assistant: Assistant, text: str, **kwargs) -> str:
    return report_html(assistant.check(text, **kwargs), assistant.quotes.context)


# ----------------------------------------------------------------------------- render
def test_a_close_quote_marks_each_difference_in_its_own_style(assistant):
    """Said-but-changed words in <del>, the quote's words in <ins>, with screen-reader words."""
    page = html_of(assistant, CLOSE_QUOTE)
    assert "vb-badge-close" in page and "≈ Close" in page
    assert (
        '<del class="vb-said" title="said"><span class="vb-sr">said&#58; </span>much</del>' in page
    )
    assert "quoted as&#58; </span>far</ins>" in page
    assert "vb-legend" in page


def test_elided_words_are_bracketed(assistant):
    """The words an ellipsis stands for show in brackets, labelled as left out."""
    page = html_of(
        assistant, "Inflation is much too high ... we will keep at it until the job is done"
    )
    assert "vb-badge-exact" in page and 'class="vb-diff vb-elided"' in page
    assert "left out&#58; </span>[… and we’re moving expeditiously" in page


def test_a_misattribution_is_stated_in_words(assistant):
    """The wrong speaker is said in fixed wording with the real one, not shown by colour."""
    page = html_of(assistant, MISATTRIBUTED)
    assert "⚠ not Josh Earnest: said by Chair Powell (statement)" in html.unescape(page)


def test_not_found_shows_similar_passages_as_not_the_quote(assistant):
    """No badge of a match, the wording that these are not the quote, their citations."""
    page = html_of(assistant, "The labor market is extremely tight and unemployment is very low.")
    assert "vb-badge-not_found" in page and "which are not the quote" in page
    assert "vb-similar" in page


def test_similar_passages_narrowed_to_the_claimed_speaker_say_whose_they_are(assistant):
    """A quote said nowhere and credited to Josh Earnest: the note names him as the speaker of
    the similar passages; credited to no one, it says only that they are similar."""
    misquote = "Inflation is much too high and the talks will go on next week"
    page = html.unescape(html_of(assistant, f'Josh Earnest said: "{misquote}."'))
    assert "What Mr. Earnest said nearest in meaning, which is not the quote" in page
    anyone = html.unescape(html_of(assistant, misquote))
    assert "Passages similar in meaning, which are not the quote" in anyone
    assert "said nearest in meaning" not in anyone


def test_a_quote_said_at_another_time_is_stated_in_words(assistant):
    """Dated by the text to a month it was not said in: the date claimed under the quote, and
    a warning line with when it was said, as a misattribution has."""
    text = "“Inflation is much too high and we understand the hardship,” Powell said in June 2022."
    page = html.unescape(html_of(assistant, text))
    assert "Credited to Powell; dated June 2022" in page
    assert "⚠ not June 2022: said 2022-05-04" in page
    right = html.unescape(html_of(assistant, text.replace("June", "May")))
    assert "✓ said 2022-05-04: May 2022, as the text says" in right


def test_transcript_markup_is_shown_as_text(assistant):
    """A transcript's <script>, <img onerror> and Markdown come out inert."""
    page = html_of(
        assistant,
        "The press office pasted this line into the record: <script>window.__pwned=1</script>",
    )
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<img" not in html_of(assistant, 'reads <img src=x onerror="window.__pwned=2"> followed')


def test_many_occurrences_fold_behind_a_disclosure(assistant, monkeypatch):
    """Past the first few, occurrences sit in a "more occurrences" disclosure."""
    import ui.check_render as render

    monkeypatch.setattr(render, "SHOWN_MATCHES", 1)
    page = html_of(assistant, "inflation is much too high")
    assert "2 more occurrences</summary>" in page


def test_notice_is_escaped():
    """An interface message is shown as text too."""
    notice = check_notice_html("<b>x</b>")
    assert "<b>" not in notice and "&lt;b&gt;x" in notice


# ----------------------------------------------------------------------------- browser
@pytest.fixture
def page(browser, server: str):
    context = browser.new_context(viewport={"width": 1360, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(server)
    page.get_by_role("tab", name="Check a quote").click()
    page.wait_for_selector("#vb-check-text textarea")
    yield page
    context.close()


def check_in_page(page, text: str, speaker: str = ""):
    page.fill("#vb-check-text textarea", text)
    page.fill("#vb-check-speaker textarea, #vb-check-speaker input", speaker)
    before = page.locator("#vb-check-result .vb-summary").all_inner_texts()
    page.click("#vb-check-button")
    page.wait_for_function(
        "b => { const s = [...document.querySelectorAll('#vb-check-result .vb-summary')]"
        ".map(e => e.innerText); return s.length && JSON.stringify(s) !== b; }",
        arg=json.dumps(before),
    )
    return page.locator("#vb-check-result")


@pytest.mark.browser
def test_paste_a_quote_and_see_the_verdict_and_a_marked_difference(page, assistant):
    """Pasting a changed quote shows the Close badge, the source with the changed words marked,
    and the citation of the span `Assistant.check` found."""
    expected = assistant.check(CLOSE_QUOTE).quotes[0]
    result = check_in_page(page, CLOSE_QUOTE)
    assert "Close" in result.locator(".vb-badge").first.inner_text()
    match = expected.matches[0]
    marked = result.locator("blockquote.vb-quote").first
    said = [t.removeprefix("said: ") for t in marked.locator("del.vb-said").all_text_contents()]
    quoted = [
        t.removeprefix(" quoted as: ") for t in marked.locator("ins.vb-quoted").all_text_contents()
    ]
    assert said == [d.source_text for d in match.differences] == ["much", "expeditiously"]
    assert quoted == [d.quote_text for d in match.differences] == ["far", "quickly"]
    c = match.citation
    assert result.locator(".vb-where").first.inner_text() == (
        f"{c.document} · characters {c.start}–{c.end}"
    )


@pytest.mark.browser
def test_a_misattributed_quote_names_who_said_it(page):
    """An article's quote credited to the wrong person says who really said it."""
    result = check_in_page(page, MISATTRIBUTED)
    assert "Exact" in result.locator(".vb-badge").first.inner_text()
    assert "not Josh Earnest: said by Chair Powell" in result.locator(".vb-attrib-no").inner_text()


@pytest.mark.browser
def test_context_opens_on_the_question_answered(page, assistant):
    """The Context disclosure shows the reporter's question an answer replies to."""
    quote = "We will keep raising rates until we see compelling evidence"
    result = check_in_page(page, quote)
    context = result.locator("details.vb-context").first
    context.locator("summary").click()
    question = assistant.check(quote).quotes[0].matches[0]
    asked = assistant.quotes.context(question.citation).question
    assert asked and asked in context.locator("blockquote.vb-ctx-quote").all_inner_texts()


@pytest.mark.browser
def test_an_empty_paste_says_so_and_a_huge_one_is_refused(page):
    """No crash: an empty box and a 1 MB paste each get a plain message."""
    result = check_in_page(page, "   ")
    assert "The text is empty" in result.inner_text()
    page.evaluate(
        "() => { const t = document.querySelector('#vb-check-text textarea');"
        " t.value = 'a '.repeat(1 << 19); t.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    page.click("#vb-check-button")
    # waits for the message itself: a loaded machine may show Gradio's pending state first,
    # and sending a megabyte through the page takes seconds there
    page.wait_for_function(
        "() => document.querySelector('#vb-check-result').innerText"
        ".includes('1,048,576 characters')",
        timeout=90_000,
    )
    assert "1,048,576 characters" in result.inner_text()


@pytest.mark.browser
def test_check_endpoint_equals_assistant_check(server, assistant):
    """`/check` through gradio_client returns `Assistant.check(...).to_dict()`."""
    gradio_client = pytest.importorskip("gradio_client")
    client = gradio_client.Client(server, verbose=False)
    article = MISATTRIBUTED + " And: “inflation is far too high,” he said."
    got = client.predict(text=article, speaker="", k=2, api_name="/check")
    assert got == assistant.check(article, k=2).to_dict()
    got = client.predict(text=CLOSE_QUOTE, speaker="Powell", k=3, api_name="/check")
    assert got == assistant.check(CLOSE_QUOTE, speaker="Powell").to_dict()
    with pytest.raises(Exception, match="empty"):
        client.predict(text=" ", api_name="/check")
