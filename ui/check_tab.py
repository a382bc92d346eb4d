"""The "Check a quote" tab and the `/check` endpoint, over one loaded `Assistant`.

`check_tab(assistant)` is called inside the app's `gr.Tabs()`: paste a quote or a whole text,
optionally say who it is credited to, and see each quote with its verdict, the source with the
differences marked, the citation and the context. `gradio_client.Client(url).predict(text,
api_name="/check")` returns `QuoteCheckReport.to_dict()`.
"""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr

from assistant.api import Assistant
from ui.check_render import CSS, check_notice_html, report_html
from ui.examples import CHECK

log = logging.getLogger(__name__)

EMPTY_TEXT = "The text is empty. Paste a quote, or an article or answer with quotes in it."
FAILED = "The check failed; the error is in the server's log."
PLACEHOLDER = (
    "Paste a quote, e.g. Inflation is much too high\n"
    "or a text with quotes: “We will keep at it until the job is done,” Powell said."
)


def check_tab(assistant: Assistant) -> None:
    """The tab's components and events, and the `/check` endpoint."""

    def respond(text: str | None, speaker: str | None) -> str:
        if not (text or "").strip():
            return check_notice_html(EMPTY_TEXT)
        try:
            report = assistant.check(text or "", speaker=(speaker or "").strip() or None)
        except ValueError as error:  # empty, no words, too long: say so; the text stays
            return check_notice_html(str(error))
        except Exception:  # never a traceback in the page
            log.exception("quote check failed")
            return check_notice_html(FAILED)
        return report_html(report, assistant.quotes.context)

    def check(text: str, speaker: str | None = None, k: int = 3) -> dict[str, Any]:
        """Whether, where, when and by whom each quote of `text` was said: the fields of
        `QuoteCheckReport` (per quote: verdict exact / close / not_found, every match with its
        citation, differences and speaker_matches, or passages similar in meaning)."""
        try:
            return assistant.check(
                text, speaker=(speaker or "").strip() or None, k=int(k)
            ).to_dict()
        except ValueError as error:
            raise gr.Error(str(error)) from None

    with gr.Tab("Check a quote", id="check"):
        gr.Markdown(
            "Paste a quote, or an article or a chatbot's answer: each quoted string is looked "
            "up in the transcripts, word for word, with who said it, where and when."
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=4, min_width=420):
                text = gr.Textbox(
                    elem_id="vb-check-text",
                    label="Quote or text",
                    placeholder=PLACEHOLDER,
                    lines=5,
                    max_lines=16,
                )
            with gr.Column(scale=1, min_width=220):
                speaker = gr.Textbox(
                    elem_id="vb-check-speaker",
                    label="Credited to (optional)",
                    placeholder="e.g. Powell",
                    info="For quotes the text credits to no one",
                )
                button = gr.Button("Check", variant="primary", elem_id="vb-check-button")
        gr.Examples(examples=[list(e) for e in CHECK], inputs=[text, speaker], label="Examples")
        result = gr.HTML(elem_id="vb-check-result", css_template=CSS, js_on_load=None)
        for trigger in (button.click, text.submit):
            trigger(respond, [text, speaker], [result], api_visibility="private")
        gr.api(check, api_name="check")
