"""Save a screenshot of a real answered page (the README's picture).

    python -m ui.screenshot [--index DIR] [--out docs/screenshot.png]

Without --index it indexes `corpus/` into a temporary folder first. Needs Debian's chromium
(`make browser`) and the `playwright` package; it never downloads a browser.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.api import Assistant
from ui.app import build_app, free_port, launch
from ui.examples import ASK

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def served_page(assistant: Assistant, height: int) -> Iterator[Any]:
    """A Playwright page on the app served over `assistant`, closed with the server after."""
    from playwright.sync_api import sync_playwright

    app = build_app(assistant)
    url = launch(app, port=free_port(), prevent_thread_lock=True, quiet=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(
                viewport={"width": 1360, "height": height}, device_scale_factor=1
            )
            page.set_default_timeout(120_000)
            page.goto(url)
            yield page
            browser.close()
    finally:
        app.close()


def _save(page: Any, out: Path) -> Path:
    page.mouse.move(0, 0)
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out))
    return out


def capture(assistant: Assistant, out: Path, question: str = ASK[0][0]) -> Path:
    """Ask `question` in the UI and save the page, the answer's first quotes in view."""
    with served_page(assistant, 980) as page:
        page.fill("#vb-question textarea", question)
        page.press("#vb-question textarea", "Enter")
        page.wait_for_selector("#vb-chat .vb-passage")
        page.evaluate(
            """() => document.querySelectorAll('#vb-chat *').forEach(el => {
                if (el.scrollHeight > el.clientHeight) el.scrollTop = 0; })"""
        )
        return _save(page, out)


def capture_timeline(
    assistant: Assistant, out: Path, query: str = "transitory", speaker: str = "Chair Powell"
) -> Path:
    """Draw `query` by `speaker` in the "Over time" tab and save the page: the chart, the date
    list and the busiest date's quotes."""
    with served_page(assistant, 1100) as page:
        page.get_by_role("tab", name="Over time").click()
        page.fill("#vb-tl-query textarea", query)
        if speaker:
            page.click("#vb-tl-speakers input")
            page.keyboard.type(speaker)
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
        page.click("#vb-tl-run")
        page.wait_for_selector("#vb-tl-quotes .vb-passage")
        page.wait_for_selector("#vb-tl-chart svg .mark-line path")
        page.wait_for_timeout(1500)  # the chart's transition
        return _save(page, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="an index built by `verbatim index` (default: corpus/)")
    parser.add_argument("--out", default="docs/screenshot.png")
    parser.add_argument("--tab", choices=["ask", "timeline"], default="ask")
    args = parser.parse_args(argv)
    take = capture if args.tab == "ask" else capture_timeline
    if args.index:
        assistant = Assistant.load(args.index)
        print(take(assistant, Path(args.out)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant.build("corpus", Path(tmp) / "index")
        print(take(assistant, Path(args.out)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
