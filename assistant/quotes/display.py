"""How a quote check reads: the source span cut into pieces said as quoted and pieces that
differ (for the UI's marks), and the whole report as plain text for the terminal. Pure
functions; every sentence that is not a quote or a transcript's words is fixed wording."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from assistant.answers import Citation
from assistant.quotes.report import (
    CLOSE,
    DROPPED,
    ELIDED,
    EXACT,
    INSERTED,
    REPLACED,
    Match,
    QuoteCheck,
    QuoteCheckReport,
)

SAME = "same"
VERDICT_LABELS = {EXACT: "Exact", CLOSE: "Close", "not_found": "Not found"}
KIND_LABELS = {
    REPLACED: "replaced",
    INSERTED: "quoted but not said",
    DROPPED: "said but left out",
    ELIDED: "elided",
}
# wdiff's marks in the terminal: [-said-]{+quoted+}, and elided words in [… …]
LEGEND = "[-said-]{+as quoted+}: a difference · [… …]: words an ellipsis leaves out"


@dataclass(frozen=True)
class Segment:
    """A piece of a match's source span: said as quoted (`same`), or a difference, with the
    words said (`said`, "" for an insertion) and the quote's words instead (`quoted`)."""

    kind: str
    said: str
    quoted: str = ""
    gap: str = ""  # for words quoted but not said: "before" or "after", where a space goes


def segments(match: Match) -> list[Segment]:
    """The match's text in order, cut at its differences."""
    base = match.citation.start
    text = match.text
    out: list[Segment] = []
    cursor = 0
    for d in sorted(match.differences, key=lambda d: (d.source_start, d.source_end)):
        s = min(max(d.source_start - base, cursor), len(text))
        e = min(max(d.source_end - base, s), len(text))
        if s > cursor:
            out.append(Segment(SAME, text[cursor:s]))
        quoted = "" if d.kind in (DROPPED, ELIDED) else d.quote_text
        gap = ""
        if d.kind == INSERTED and s == e:  # between two words: keep them apart
            gap = "before" if s > 0 and not text[s - 1].isspace() else "after"
        out.append(Segment(d.kind, text[s:e], quoted, gap))
        cursor = e
    if cursor < len(text):
        out.append(Segment(SAME, text[cursor:]))
    return out


def marked_text(match: Match) -> str:
    """The source span with its differences marked in wdiff style."""
    pieces = []
    for seg in segments(match):
        if seg.kind == SAME:
            pieces.append(seg.said)
        elif seg.kind == ELIDED:
            pieces.append(f"[… {seg.said} …]")
        else:
            said = f"[-{seg.said}-]" if seg.said else ""
            quoted = f"{{+{seg.quoted}+}}" if seg.quoted else ""
            pieces.append(_spaced(said + quoted, seg.gap))
    return "".join(pieces)


def _spaced(piece: str, gap: str) -> str:
    return " " + piece if gap == "before" else piece + " " if gap == "after" else piece


def speaker_label(citation: Citation) -> str:
    if citation.speaker:
        return citation.speaker
    return "Unnamed questioner" if citation.role == "question" else "Unnamed speaker"


def attribution_note(quote: QuoteCheck, match: Match) -> str | None:
    """Fixed wording on the claimed speaker against who said the span, or None."""
    if quote.claimed_speaker is None or match.speaker_matches is None:
        return None
    if match.speaker_matches:
        return f"said by {quote.claimed_speaker}, as claimed"
    who = speaker_label(match.citation)
    if match.citation.role == "question":
        return f"not {quote.claimed_speaker}: a reporter's question, asked by {who}"
    return f"not {quote.claimed_speaker}: said by {who} ({match.citation.role})"


def claimed(quote: QuoteCheck) -> list[str]:
    """What the text claims of a quote, in fixed wording: "credited to Powell", "dated June
    2022" (either, both or neither)."""
    return [
        *([f"credited to {quote.claimed_speaker}"] if quote.claimed_speaker else []),
        *([f"dated {quote.claimed_date.text}"] if quote.claimed_date else []),
    ]


def date_note(quote: QuoteCheck, match: Match) -> str | None:
    """Fixed wording on when the text says the quote was said against when it was, or None."""
    claimed = quote.claimed_date
    if claimed is None or match.date_matches is None:
        return None
    if match.date_matches:
        return f"said {match.citation.date}: {claimed.text}, as the text says"
    return f"not {claimed.text}: said {match.citation.date}"


def verdict_line(quote: QuoteCheck) -> str:
    n = len(quote.matches)
    if quote.verdict == EXACT:
        return "exact: said as quoted" + (f", {n} times" if n > 1 else "")
    if quote.verdict == CLOSE:
        fewest = min(sum(d.kind != ELIDED for d in m.differences) for m in quote.matches)
        words = f"{fewest} difference{'s' * (fewest != 1)}"
        return f"close: said with {words}" + (f", {n} places" if n > 1 else "")
    return "not found: nothing close to this was said in these transcripts"


def where_line(c: Citation) -> str:
    extra = "".join(f", {x}" for x in (f"p. {c.page}" if c.page else None, c.time) if x)
    return f"{c.document}{extra} ¶{c.paragraph}, characters {c.start}–{c.end}"


def _quoted(text: str) -> str:
    return textwrap.fill(
        " ".join(text.split()), width=96, initial_indent="     > ", subsequent_indent="     > "
    )


def format_report(report: QuoteCheckReport) -> str:
    """Each quote, its verdict, the source with its differences marked, and the citation."""
    n = len(report.quotes)
    out = [f"{n} quote{'s' * (n != 1)} checked"]
    if any(q.verdict == CLOSE for q in report.quotes):
        out.append(LEGEND)
    for i, q in enumerate(report.quotes, 1):
        credited = claimed(q)
        claim = f" ({', '.join(credited)})" if credited else ""
        out.append("")
        out.append(f"[{i}] “{' '.join(q.quote.split())}”{claim}")
        out.append(f"  {verdict_line(q)}")
        for j, m in enumerate(q.matches, 1):
            c = m.citation
            out.append(f"  {j}. {speaker_label(c)} — {c.title} ({c.date or 'undated'})")
            for note in (attribution_note(q, m), date_note(q, m)):
                if note:
                    out.append(f"     {note}")
            out.append(_quoted(marked_text(m) if m.differences else m.text))
            out.append(f"     {where_line(c)}")
        if q.similar:
            said = f", said by {' or '.join(q.similar_from)}" if q.similar_from else ""
            out.append(f"  similar in meaning{said} (not the quote):")
            for j, p in enumerate(q.similar, 1):
                c = p.citation
                out.append(f"  {j}. {speaker_label(c)} — {c.title} ({c.date or 'undated'})")
                out.append(_quoted(p.text))
                out.append(f"     {where_line(c)}")
    return "\n".join(out)
