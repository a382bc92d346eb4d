"""The "Over time" tab: a phrase or a topic across the dated transcripts, as a chart, a table
and the quotes of the date a reader picks.

`timeline_tab(assistant, exports)` lays the tab out inside `gr.Tabs()` and wires it;
`timeline_api(assistant)` is the named endpoint `/timeline` (`gradio_client`). The chart is
Gradio's native line plot (Vega, bundled with Gradio: nothing is fetched): one point per
transcript for each series, the date and count on hover; brushing a stretch of it, or picking a
date in the list beside it, shows that date's quotes with their citations below. The table holds
the same rows; the CSV button downloads them.
"""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr
import pandas as pd

from assistant.api import Assistant
from assistant.timeline import rows_csv
from ui.examples import TIMELINE, with_speakers
from ui.exports import Exports
from ui.render import passage_html, text_html

log = logging.getLogger(__name__)

SERIES = {"phrase_count": "phrase count", "topic_passages": "topic passages"}
TABLE_HEADERS = ["Date", "Transcript", "Phrase count", "Per 10,000 words", "Topic passages"]
# the date list scrolls beside the chart instead of growing past it
CSS = """
#vb-tl-dates .wrap { max-height: 300px; overflow-y: auto; flex-direction: column; flex-wrap: nowrap; }
#vb-tl-note p { color: var(--body-text-color-subdued); }
"""
# typed like a drawn chart, so the plot reads "series" as categories from the start
EMPTY_CHART = pd.DataFrame(
    {
        "date": pd.to_datetime(pd.Series([], dtype="object")),
        "count": pd.Series([], dtype="int64"),
        "series": pd.Series([], dtype="object"),
        "day": pd.Series([], dtype="object"),
    }
)


def chart_frame(data: dict[str, Any]) -> pd.DataFrame:
    """Long format for the plot: one row per transcript and series (dated rows only)."""
    records = []
    for row in data["rows"]:
        for key, label in SERIES.items():
            if row[key] is not None:
                records.append(
                    {"date": row["date"], "count": row[key], "series": label, "day": row["date"]}
                )
    if not records:
        return EMPTY_CHART
    frame = pd.DataFrame.from_records(records)
    frame["date"] = pd.to_datetime(frame["date"])  # the axis; "day" is what the hover shows
    return frame


def table_rows(data: dict[str, Any]) -> list[list[Any]]:
    out = []
    for row in [*data["rows"], *data["undated"]]:
        out.append(
            [
                row["date"] or "undated",
                row["title"],
                "" if row["phrase_count"] is None else row["phrase_count"],
                "" if row["rate_per_10k"] is None else row["rate_per_10k"],
                "" if row["topic_passages"] is None else row["topic_passages"],
            ]
        )
    return out


def date_choices(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The date list beside the chart: the transcripts where the phrase or the topic occurs,
    their counts in the label; the value indexes rows, then undated."""
    choices = []
    for n, row in enumerate([*data["rows"], *data["undated"]]):
        parts = []
        if row["phrase_count"]:
            parts.append(f"{row['phrase_count']}×")
        if row["topic_passages"]:
            parts.append(f"{row['topic_passages']} about it")
        if parts:
            choices.append((f"{row['date'] or 'undated'} · " + ", ".join(parts), str(n)))
    return choices


def summary_text(data: dict[str, Any], speakers: list[str]) -> str:
    rows = data["rows"]
    who = f" by {', '.join(speakers)}" if speakers else ""
    text = f"“{data['query']}”{who}: {len(rows)} dated transcript{'s' * (len(rows) != 1)}"
    if rows:
        text += f", {rows[0]['date']} to {rows[-1]['date']}"
        phrase = [r["phrase_count"] for r in rows if r["phrase_count"] is not None]
        topic = [r["topic_passages"] for r in rows if r["topic_passages"] is not None]
        if phrase:
            text += f"; the phrase {sum(phrase)} times in {sum(1 for c in phrase if c)}"
        if topic:
            text += f"; passages about it in {sum(1 for c in topic if c)}"
    if data["undated"]:
        text += f". Undated, kept off the axis: {', '.join(r['document'] for r in data['undated'])}"
    return text + "."


def quotes_html(data: dict[str, Any] | None, choice: str | None) -> str:
    """The picked transcript's quotes, cited, or a line saying there are none."""
    if not data or choice in (None, ""):
        return '<div class="vb-answer vb-notice"><p class="vb-summary">Pick a date to read its quotes.</p></div>'
    every = [*data["rows"], *data["undated"]]
    row = every[int(choice)]
    head = f"{row['date'] or 'undated'} · {row['title']}"
    if not row["quotes"]:
        return (
            f'<div class="vb-answer vb-declined"><p class="vb-summary">{text_html(head)}</p>'
            '<p class="vb-note">No quote: the phrase does not occur and no passage is about it.</p></div>'
        )
    from assistant.answers import Answer

    passages = Answer.from_dict({"question": "", "answered": True, "passages": row["quotes"]})
    body = "".join(passage_html(p, i) for i, p in enumerate(passages.passages, 1))
    return (
        f'<div class="vb-answer" id="vb-tl-picked"><p class="vb-summary">{text_html(head)}</p>'
        + body
        + "</div>"
    )


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def timeline_api(assistant: Assistant):
    def timeline(
        query: str,
        speaker: list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        mode: str = "auto",
    ) -> dict[str, Any]:
        """A phrase or topic across the dated transcripts: {query, speaker, rows: [{document,
        title, date, phrase_count, rate_per_10k, topic_passages, quotes}], undated}."""
        try:
            return assistant.timeline(
                query,
                speaker=speaker or None,
                date_from=_clean(date_from),
                date_to=_clean(date_to),
                mode=mode or "auto",
            ).to_dict()
        except ValueError as error:
            raise gr.Error(str(error)) from None

    return timeline


def timeline_tab(assistant: Assistant, exports: Exports) -> None:
    """The tab's components and events; call inside `gr.Tabs()`."""
    with gr.Tab("Over time", id="timeline"):
        state = gr.State(None)
        with gr.Row(equal_height=True):
            query = gr.Textbox(
                show_label=False,
                placeholder="A word, a phrase or a topic: transitory, “soft landing”, tariffs and inflation",
                elem_id="vb-tl-query",
                scale=6,
            )
            run = gr.Button("Show", variant="primary", scale=1, min_width=90, elem_id="vb-tl-run")
        with gr.Row(equal_height=True):
            speakers = gr.Dropdown(
                choices=assistant.speakers,
                value=[],
                multiselect=True,
                label="Speakers",
                info="Empty: everyone",
                elem_id="vb-tl-speakers",
                scale=3,
            )
            date_from = gr.Textbox(
                label="From", placeholder="YYYY-MM-DD", min_width=110, elem_id="vb-tl-from", scale=1
            )
            date_to = gr.Textbox(
                label="To", placeholder="YYYY-MM-DD", min_width=110, elem_id="vb-tl-to", scale=1
            )
            mode = gr.Radio(
                ["auto", "phrase", "topic", "both"],
                value="auto",
                label="Count",
                info="phrase: the exact words; topic: passages about it",
                elem_id="vb-tl-mode",
                scale=2,
            )
        note = gr.Markdown(elem_id="vb-tl-note")
        with gr.Row(equal_height=False):
            chart = gr.LinePlot(
                EMPTY_CHART,
                x="date",
                y="count",
                color="series",
                x_title="date",
                y_title="count",
                color_title="",
                tooltip=["day", "series", "count"],
                height=320,
                show_label=False,
                visible=False,  # drawn when shown: a plot laid out in a hidden tab has no size
                elem_id="vb-tl-chart",
                scale=4,
            )
            dates = gr.Radio(
                choices=[],
                label="Dates",
                info="Where it occurs; pick one to read its quotes",
                elem_id="vb-tl-dates",
                scale=1,
                min_width=230,
            )
        quotes = gr.HTML(quotes_html(None, None), elem_id="vb-tl-quotes")
        with gr.Row():
            csv_button = gr.DownloadButton(
                "Download CSV",
                value=None,
                interactive=False,
                size="md",
                elem_id="vb-tl-csv",
                scale=0,
                min_width=180,
            )
        with gr.Accordion("Table", open=False, elem_id="vb-tl-table-box"):
            table = gr.Dataframe(
                headers=TABLE_HEADERS,
                datatype=["str", "str", "number", "number", "number"],
                interactive=False,
                wrap=True,
                max_height=480,
                elem_id="vb-tl-table",
            )
        examples = with_speakers(TIMELINE, assistant.speakers)
        if examples:
            gr.Examples(examples=examples, inputs=[query, speakers], label="Examples")

        def show(text, chosen, low, high, how, request: gr.Request):
            try:
                timeline = assistant.timeline(
                    text or "",
                    speaker=chosen or None,
                    date_from=_clean(low),
                    date_to=_clean(high),
                    mode=how or "auto",
                )
            except ValueError as error:
                return (
                    None,
                    str(error),
                    EMPTY_CHART,
                    gr.Radio(choices=[], value=None),
                    quotes_html(None, None),
                    [],
                    gr.DownloadButton(value=None, interactive=False),
                )
            except Exception:  # never a traceback in the page
                log.exception("timeline failed for %r", text)
                return (
                    None,
                    "The timeline failed; the error is in the server's log.",
                    EMPTY_CHART,
                    gr.Radio(choices=[], value=None),
                    quotes_html(None, None),
                    [],
                    gr.DownloadButton(value=None, interactive=False),
                )
            data = timeline.to_dict()
            every = [*data["rows"], *data["undated"]]
            counts = [(r["phrase_count"] or 0) + (r["topic_passages"] or 0) for r in every]
            first = str(counts.index(max(counts))) if every and max(counts) > 0 else None
            session = getattr(request, "session_hash", None)
            path = exports.write(session, rows_csv(data), "verbatim-timeline.csv")
            return (
                data,
                summary_text(data, list(timeline.speakers)),
                gr.LinePlot(value=chart_frame(data), visible=True),
                gr.Radio(choices=date_choices(data), value=first),
                quotes_html(data, first),
                table_rows(data),
                gr.DownloadButton(value=str(path), interactive=True),
            )

        def picked_range(data, selection: gr.SelectData):
            """A stretch brushed on the chart: its busiest date."""
            if not data or not isinstance(selection.index, (list, tuple)):
                return gr.Radio(), quotes_html(data, None)
            low, high = (pd.to_datetime(v, unit="ms") for v in selection.index[:2])
            inside = [
                (n, (r["phrase_count"] or 0) + (r["topic_passages"] or 0))
                for n, r in enumerate(data["rows"])
                if low <= pd.to_datetime(r["date"]) <= high
            ]
            if not inside:
                return gr.Radio(), quotes_html(data, None)
            n = str(max(inside, key=lambda x: x[1])[0])
            return gr.Radio(value=n), quotes_html(data, n)

        outputs = [state, note, chart, dates, quotes, table, csv_button]
        inputs = [query, speakers, date_from, date_to, mode]
        for trigger in (run.click, query.submit):
            trigger(show, inputs, outputs, api_visibility="private")
        dates.change(quotes_html, [state, dates], [quotes], api_visibility="private")
        chart.select(picked_range, [state], [dates, quotes], api_visibility="private")
