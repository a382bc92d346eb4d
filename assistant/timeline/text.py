"""A timeline as text for the terminal: a sparkline per series and a dated table. Only counts,
the transcripts' titles and their words; fixed wording otherwise."""

from __future__ import annotations

import textwrap

from assistant.timeline.model import Timeline

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[int | float | None]) -> str:
    """One character per value, its height relative to the largest; a space for no value."""
    known = [v for v in values if v is not None]
    top = max(known, default=0)
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif top <= 0 or v <= 0:
            out.append(BARS[0] if v == 0 else " ")
        else:
            out.append(BARS[max(1, min(len(BARS) - 1, round(v / top * (len(BARS) - 1))))])
    return "".join(out)


def format_timeline(timeline: Timeline, *, quotes: bool = True, width: int = 96) -> str:
    """The header, a sparkline per series, one line per dated transcript, the undated ones
    apart, and the best quote of each transcript where the phrase or the topic occurs."""
    rows = timeline.rows
    who = f" by {', '.join(timeline.speakers)}" if timeline.speakers else ""
    lines = [f"“{timeline.query}”{who}: {len(rows)} dated transcript{'s' * (len(rows) != 1)}"]
    if rows:
        lines[0] += f", {rows[0].date} to {rows[-1].date}"
    if timeline.counts_phrase:
        lines.append(f"  phrase  {sparkline([r.phrase_count for r in rows])}")
    if timeline.counts_topic:
        lines.append(f"  topic   {sparkline([r.topic_passages for r in rows])}")
    lines.append("")
    header = f"{'date':<10}  "
    if timeline.counts_phrase:
        header += f"{'phrase':>6}  {'per 10k':>7}  "
    if timeline.counts_topic:
        header += f"{'topic':>5}  "
    lines.append(header + "transcript")
    for row in [*rows, *timeline.undated]:
        line = f"{row.date or 'undated':<10}  "
        if timeline.counts_phrase:
            rate = "" if row.rate_per_10k is None else f"{row.rate_per_10k:.2f}"
            line += f"{row.phrase_count:>6}  {rate:>7}  "
        if timeline.counts_topic:
            line += f"{row.topic_passages:>5}  "
        lines.append((line + row.document)[:width])
    if quotes:
        shown = [r for r in [*rows, *timeline.undated] if r.quotes]
        if shown:
            lines += ["", "Best quotes"]
        for row in shown:
            q = row.quotes[0]
            c = q.citation
            lines.append(f"{row.date or 'undated'}  {c.speaker or 'Unattributed'} — {c.title}")
            lines.append(
                textwrap.fill(q.text, width=width, initial_indent="  > ", subsequent_indent="  > ")
            )
            lines.append(f"  {c.document} ¶{c.paragraph}, characters {c.start}–{c.end}")
    return "\n".join(lines)
