"""The chat UI in a real browser (headless Debian Chromium via Playwright) and through
`gradio_client`, against a server running in this process over a real index.

The index holds the shipped seed transcript plus a hostile fixture whose text is markup
(`<script>`, `<img onerror>`, Markdown), embedded with the real all-MiniLM-L6-v2 model so the
seed question retrieves Shen Beili as a user would see it. Expected passages come from
`Assistant.ask` on the same index, never hard-coded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian chromium is not installed at /usr/bin/chromium (`make browser` installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
gradio_client = pytest.importorskip("gradio_client", reason="gradio_client is not installed")

from assistant.api import Assistant  # noqa: E402
from ui.examples import ASK  # noqa: E402
from ui.render import EMPTY_QUESTION, citation_text, markdown_text, summary_line  # noqa: E402

from .conftest import copy_seed_corpus  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[1]
SEED_QUESTION = ASK[0][0]
HOSTILE_QUESTION = "What did the press office paste into the record?"
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    hostile = ROOT / "tests" / "fixtures" / "ui" / "hostile_briefing.txt"
    corpus = copy_seed_corpus(tmp_path_factory.mktemp("ui-corpus"), hostile)
    return Assistant.build(corpus, tmp_path_factory.mktemp("ui-index") / "index")


@pytest.fixture
def page(browser: sync_api.Browser, server: str) -> Iterator[sync_api.Page]:
    context = browser.new_context(viewport={"width": 1360, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(server)
    page.wait_for_selector("#vb-question textarea")
    yield page
    context.close()


def ask(page: sync_api.Page, question: str) -> sync_api.Locator:
    """Type `question`, press Enter, and return the assistant turn it produced."""
    before = page.locator("#vb-chat .vb-answer").count()
    page.fill("#vb-question textarea", question)
    page.press("#vb-question textarea", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#vb-chat .vb-answer').length > n", arg=before
    )
    return page.locator("#vb-chat .vb-answer").nth(before)


def test_seed_question_shows_quoted_shen_beili_passage_with_citation(
    page: sync_api.Page, assistant: Assistant
) -> None:
    """The seed question shows the expected passages verbatim, each with its full citation."""
    expected = assistant.ask(SEED_QUESTION, k=5)
    assert expected.answered and expected.passages[0].citation.speaker == "Shen Beili"
    turn = ask(page, SEED_QUESTION)
    assert turn.locator(".vb-summary").inner_text() == summary_line(expected)
    quotes = turn.locator("blockquote.vb-quote")
    assert quotes.all_inner_texts() == [p.text for p in expected.passages]
    first, c = turn.locator(".vb-passage").first, expected.passages[0].citation
    cite = first.locator(".vb-cite").inner_text()
    for part in ("Shen Beili", c.title, c.date, f"paragraph {c.paragraph}"):
        assert part in cite
    assert first.locator(".vb-where").inner_text() == (
        f"{c.document} · characters {c.start}–{c.end}"
    )


def test_highlights_mark_the_exact_offsets(page: sync_api.Page, assistant: Assistant) -> None:
    """Each <mark> holds exactly the passage text between its highlight offsets."""
    expected = assistant.ask(SEED_QUESTION, k=5)
    turn = ask(page, SEED_QUESTION)
    for i, passage in enumerate(expected.passages):
        marks = turn.locator(".vb-passage").nth(i).locator("mark")
        assert marks.all_inner_texts() == [passage.text[s:e] for s, e in passage.highlights]
    assert any(p.highlights for p in expected.passages)


def test_context_shows_the_question_answered(page: sync_api.Page, assistant: Assistant) -> None:
    """Opening "Context" shows the reporter's question and the next paragraph verbatim."""
    passage = assistant.ask(SEED_QUESTION, k=5).passages[0]
    turn = ask(page, SEED_QUESTION)
    context = turn.locator(".vb-passage").first.locator("details.vb-context")
    context.locator("summary").click()
    shown = context.locator("blockquote.vb-ctx-quote").all_inner_texts()
    assert shown[0] == passage.context.question
    assert passage.context.after in shown


def test_follow_up_is_searched_with_the_earlier_question(
    page: sync_api.Page, assistant: Assistant
) -> None:
    """A follow-up is answered as `Assistant.ask` answers it given the chat's earlier question."""
    follow_up = "And what about the Belt and Road?"
    expected = assistant.ask(follow_up, k=5, history=[SEED_QUESTION])
    assert expected.query != follow_up  # the retriever did treat it as a follow-up
    ask(page, SEED_QUESTION)
    turn = ask(page, follow_up)
    assert "Searched together with the earlier question" in turn.inner_text()
    assert turn.locator("blockquote.vb-quote").all_inner_texts() == [
        p.text for p in expected.passages
    ]


def test_a_date_no_transcript_is_from_is_said_above_the_answer(
    page: sync_api.Page, assistant: Assistant
) -> None:
    """Asked about a month no transcript is dated, the chat says so with the nearest dates, as
    `Answer.date_note` words it, above the passages it still shows."""
    question = "What did Shen Beili say about inter-party exchanges in August 2022?"
    expected = assistant.ask(question, k=5)
    assert expected.answered and expected.date_note
    assert "2022-10-31" in expected.date_note  # the seed conference, the nearest after
    turn = ask(page, question)
    assert expected.date_note in turn.locator(".vb-note").all_inner_texts()
    assert turn.locator("blockquote.vb-quote").all_inner_texts() == [
        p.text for p in expected.passages
    ]


def test_speaker_filter_keeps_only_that_speaker(page: sync_api.Page, assistant: Assistant) -> None:
    """Choosing a speaker in the filter leaves only passages by that speaker."""
    question = "What did the spokesperson say about exchanges and development?"
    unfiltered = {p.citation.speaker for p in assistant.ask(question, k=5).passages}
    assert unfiltered == {"Shen Beili", "Jane Roe"}  # the filter has something to remove
    expected = assistant.ask(question, k=5, speaker=["Shen Beili"])
    speakers = page.locator("#vb-speakers input")
    speakers.click()
    speakers.fill("Shen")
    page.get_by_role("option", name="Shen Beili").click()
    turn = ask(page, question)
    assert set(turn.locator(".vb-speaker").all_inner_texts()) == {"Shen Beili"}
    assert turn.locator("blockquote.vb-quote").all_inner_texts() == [
        p.text for p in expected.passages
    ]
    assert "speakers: Shen Beili" in turn.locator(".vb-note").inner_text()


@pytest.mark.parametrize(
    "question",
    [
        "What did Shen Beili say about the Flint water crisis?",
        "What is the recipe for banana bread?",
    ],
)
def test_unanswerable_question_shows_the_no_answer_wording(
    page: sync_api.Page, assistant: Assistant, question: str
) -> None:
    """A question the corpus cannot answer shows why, and no quote at all."""
    expected = assistant.ask(question)
    assert not expected.answered
    turn = ask(page, question)
    assert turn.locator(".vb-summary").inner_text() == expected.reason
    assert turn.locator("blockquote").count() == 0


def test_hostile_transcript_text_shows_literally_and_runs_nothing(
    page: sync_api.Page, assistant: Assistant
) -> None:
    """Markup inside a transcript is shown as the characters it is, never parsed or run."""
    expected = [p.text for p in assistant.ask(HOSTILE_QUESTION, k=5).passages]
    hostile = [t for t in expected if "<script>" in t or "onerror" in t]
    assert len(hostile) == 2
    turn = ask(page, HOSTILE_QUESTION)
    shown = turn.locator("blockquote.vb-quote").all_inner_texts()
    assert shown == expected
    assert "<script>window.__pwned=1</script>" in "".join(shown)
    assert '<img src=x onerror="window.__pwned=2">' in "".join(shown)
    assert "**bold claims**" in "".join(shown)
    chat = page.locator("#vb-chat")
    assert chat.locator("script, img, a[href^='javascript']").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_bad_date_filter_shows_a_message_not_a_traceback(page: sync_api.Page) -> None:
    """A malformed date in the filter is explained in the chat; the question stays to retry."""
    page.fill("#vb-date-from textarea, #vb-date-from input", "2022/10/31")
    turn = ask(page, SEED_QUESTION)
    text = turn.inner_text()
    assert "YYYY-MM-DD" in text and "2022/10/31" in text
    assert "Traceback" not in page.content()
    assert turn.locator("blockquote").count() == 0
    assert page.input_value("#vb-question textarea") == SEED_QUESTION


def test_empty_question_shows_a_message(page: sync_api.Page) -> None:
    """Asking with an empty box says the question is empty."""
    page.locator("#vb-chat").wait_for()
    page.get_by_role("button", name="Ask", exact=True).click()
    page.wait_for_selector("#vb-chat .vb-notice")
    assert page.locator("#vb-chat .vb-notice").inner_text() == EMPTY_QUESTION


def test_copy_citation_puts_the_citation_on_the_clipboard(
    browser: sync_api.Browser, server: str, assistant: Assistant
) -> None:
    """ "Copy citation" copies who, what, when and the exact span of that passage."""
    expected = assistant.ask(SEED_QUESTION, k=5).passages[1].citation
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(server)
        turn = ask(page, SEED_QUESTION)
        button = turn.locator(".vb-passage").nth(1).locator("button.vb-copy")
        button.click()
        sync_api.expect(button).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == citation_text(expected)
    finally:
        context.close()


def test_export_downloads_the_conversation_as_markdown(
    page: sync_api.Page, assistant: Assistant
) -> None:
    """The export holds each question, every quote and its citation."""
    expected = assistant.ask(SEED_QUESTION, k=5)
    ask(page, SEED_QUESTION)
    export = page.locator("#vb-export")
    sync_api.expect(export).to_be_enabled()
    with page.expect_download() as download:
        export.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert markdown_text(SEED_QUESTION) in text
    for passage in expected.passages:
        assert "> " + markdown_text(passage.text) in text
        assert markdown_text(citation_text(passage.citation)) in text


def test_corpus_panel_lists_the_indexed_transcripts(
    page: sync_api.Page, assistant: Assistant
) -> None:
    """The Corpus tab shows each transcript with its title, date, speakers and passage count."""
    page.get_by_role("tab", name="Corpus").click()
    table = page.locator("#vb-corpus")
    for row in assistant.documents():
        line = table.locator("[role=row]", has_text=row["document"])
        sync_api.expect(line.locator("[role=gridcell]")).to_have_text(
            [
                row["document"],
                row["title"],
                row["date"],
                ", ".join(row["speakers"]),
                str(row["passages"]),
            ]
        )


def test_no_request_leaves_the_machine(browser: sync_api.Browser, server: str) -> None:
    """Loading the page and asking a question requests nothing beyond the local server."""
    hosts: set[str] = set()
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
        page.goto(server)
        ask(page, SEED_QUESTION)
    finally:
        context.close()
    assert hosts == {"127.0.0.1"}


def test_ask_endpoint_returns_the_same_passages_as_the_python_api(
    server: str, assistant: Assistant
) -> None:
    """`gradio_client` gets the structured answer: the passages `Assistant.ask` returns."""
    expected = assistant.ask(SEED_QUESTION, k=3, history=None)
    client = gradio_client.Client(server, verbose=False)
    result = client.predict(question=SEED_QUESTION, k=3, api_name="/ask")
    assert set(result) == set(expected.to_dict())
    assert result["answered"] is True
    got = [(p["text"], p["citation"]) for p in result["passages"]]
    assert got == [(p.text, p.to_dict()["citation"]) for p in expected.passages]


def test_ask_endpoint_reports_bad_filters_as_an_error(server: str) -> None:
    """A malformed filter through the API is an error carrying the reason."""
    client = gradio_client.Client(server, verbose=False)
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        client.predict(question=SEED_QUESTION, date_from="31/10/2022", api_name="/ask")
