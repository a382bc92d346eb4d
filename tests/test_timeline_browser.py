"""The "Over time" tab in a real browser (headless Debian Chromium via Playwright) and its
`/timeline` endpoint through `gradio_client`, over six FOMC press conferences of the shipped
corpus indexed with the hashing model (the tab shows counts and quotes; no model is needed).
Expected rows come from `Assistant.timeline` on the same index, never hard-coded.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian chromium is not installed at /usr/bin/chromium (`make browser` installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
gradio_client = pytest.importorskip("gradio_client", reason="gradio_client is not installed")

from assistant.api import Assistant  # noqa: E402
from embeddings import HashingModel  # noqa: E402
from ui.app import build_app, free_port, launch  # noqa: E402
from ui.screenshot import CHROMIUM_ARGS  # noqa: E402

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
CONFERENCES = [
    "fomc_2021-01-27.txt",
    "fomc_2021-03-17.txt",
    "fomc_2021-04-28.txt",
    "fomc_2021-06-16.txt",
    "fomc_2021-07-28.txt",
    "fomc_2021-09-22.txt",
]
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    source = ROOT / "corpus" / "fomc"
    if not all((source / name).is_file() for name in CONFERENCES):
        pytest.skip("corpus/ does not ship the FOMC press conferences")
    corpus = tmp_path_factory.mktemp("tl-corpus")
    (corpus / "fomc").mkdir()
    for name in CONFERENCES:
        shutil.copy(source / name, corpus / "fomc" / name)
    index = tmp_path_factory.mktemp("tl-index") / "index"
    return Assistant.build(corpus, index, model=HashingModel())


@pytest.fixture(scope="module")
def server(assistant: Assistant) -> Iterator[str]:
    app = build_app(assistant)
    url = launch(app, host="127.0.0.1", port=free_port(), prevent_thread_lock=True, quiet=True)
    yield url
    app.close()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[sync_api.Page]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1360, "height": 1000}, accept_downloads=True
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto(server)
        page.get_by_role("tab", name="Over time").click()
        page.fill("#vb-tl-query textarea", "transitory")
        page.click("#vb-tl-run")
        page.wait_for_selector("#vb-tl-dates label")
        yield page
        browser.close()


def test_the_chart_is_drawn_for_a_phrase(page, assistant):
    """The chart draws both series (a Vega view with its legend), and the note and the date
    list name the conferences where the phrase occurs."""
    timeline = assistant.timeline("transitory")
    page.wait_for_function(
        "() => { const c = document.querySelector('#vb-tl-chart');"
        " return c && c.querySelector('canvas, svg .mark-line, svg path'); }"
    )
    chart = page.inner_text("#vb-tl-chart")
    assert "phrase count" in chart and "topic passages" in chart
    note = page.inner_text("#vb-tl-note")
    assert f"{len(timeline.rows)} dated transcripts" in note
    listed = page.locator("#vb-tl-dates label").all_inner_texts()
    want = [r.date for r in timeline.rows if r.phrase_count or r.topic_passages]
    assert [text.split(" · ")[0] for text in listed] == want


def test_hovering_a_point_shows_its_date_and_count(page, assistant):
    """The last point of the first series, hovered, shows its date, series and count."""
    timeline = assistant.timeline("transitory")
    x, y = page.evaluate(
        """() => { const p = document.querySelector('#vb-tl-chart svg .mark-line path');
        const q = p.getPointAtLength(p.getTotalLength()); const m = p.getScreenCTM();
        return [q.x * m.a + q.y * m.c + m.e, q.x * m.b + q.y * m.d + m.f]; }"""
    )
    page.mouse.move(x - 3, y)
    page.mouse.move(x, y)
    page.wait_for_selector("#vg-tooltip-element", state="visible")
    tip = page.inner_text("#vg-tooltip-element").split()
    last = timeline.rows[-1]
    assert last.date in tip and "phrase" in tip
    assert tip[tip.index("count") + 1] == str(last.phrase_count)


def test_picking_a_date_shows_its_quotes_with_citations(page, assistant):
    timeline = assistant.timeline("transitory")
    row = [r for r in timeline.rows if r.phrase_count][-1]
    page.locator("#vb-tl-dates label", has_text=row.date).click()
    page.wait_for_function(
        "date => { const q = document.querySelector('#vb-tl-quotes .vb-summary');"
        " return q && q.textContent.startsWith(date); }",
        arg=row.date,
    )
    quotes = page.locator("#vb-tl-quotes .vb-passage")
    assert quotes.count() == len(row.quotes)
    first = quotes.nth(0)
    assert first.locator(".vb-quote").inner_text().split() == row.quotes[0].text.split()
    assert first.locator("mark").first.inner_text().casefold() == "transitory"
    c = row.quotes[0].citation
    assert f"{c.document} · characters {c.start}–{c.end}" in first.inner_text()


def test_the_csv_downloads_one_row_per_conference(page, assistant):
    timeline = assistant.timeline("transitory")
    with page.expect_download() as download:
        page.click("#vb-tl-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["date"] for r in rows] == [r.date for r in timeline.rows]
    assert len(rows) == len(CONFERENCES)
    assert [int(r["phrase_count"]) for r in rows] == [r.phrase_count for r in timeline.rows]


def test_the_timeline_endpoint_returns_the_rows(server, assistant):
    client = gradio_client.Client(server, verbose=False)
    got = client.predict("transitory", [], "", "", "auto", api_name="/timeline")
    want = assistant.timeline("transitory").to_dict()
    assert [(r["date"], r["phrase_count"], r["topic_passages"]) for r in got["rows"]] == [
        (r["date"], r["phrase_count"], r["topic_passages"]) for r in want["rows"]
    ]
    assert got["rows"][1]["quotes"][0]["citation"] == want["rows"][1]["quotes"][0]["citation"]
    with pytest.raises(Exception, match="empty"):
        client.predict("  ", [], "", "", "auto", api_name="/timeline")
