"""How a quote check looks in the "Check a quote" tab: pure functions, no Gradio.

Every piece of transcript or pasted text goes through `ui.render.text_html` (escaped, Markdown
and template punctuation made inert). The marks are ours: a verdict badge with a symbol and a
word (never colour alone), and in the source span `<del>` for words said but not quoted,
`<ins>` for words quoted but not said, both for a replacement, and a bracketed, italic stretch
for words an ellipsis leaves out; each carries words for screen readers.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.answers import Citation, Context, Passage
from assistant.quotes.display import (
    SAME,
    VERDICT_LABELS,
    attribution_note,
    claimed,
    date_note,
    segments,
    verdict_line,
)
from assistant.quotes.report import (
    CLOSE,
    DROPPED,
    ELIDED,
    EXACT,
    INSERTED,
    Match,
    QuoteCheck,
    QuoteCheckReport,
)
from ui.render import attr, count_phrase, passage_html, text_html

SHOWN_MATCHES = 3  # occurrences shown open; the others behind a disclosure
BADGE_SYMBOLS = {EXACT: "✓", CLOSE: "≈", "not_found": "✗"}
LEGEND = (
    '<p class="vb-legend">In the source: <del class="vb-said">struck through</del> was said '
    'but is not in the quote; <ins class="vb-quoted">underlined</ins> is in the quote but was '
    'not said; <span class="vb-elided">[… in brackets …]</span> is what an ellipsis leaves out.</p>'
)
SIMILAR_NOTE = (
    "Nothing close to this quote was said. Passages similar in meaning, which are not the quote:"
)
NOTHING_SIMILAR = "Nothing close to this quote was said, and nothing similar in meaning."


def similar_note(quote: QuoteCheck) -> str:
    """The line above a quote's similar passages: whose words they are when they were narrowed
    to the speaker the quote is credited to (`QuoteCheck.similar_from`)."""
    if not quote.similar:
        return NOTHING_SIMILAR
    if quote.similar_from:
        who = " or ".join(quote.similar_from)
        return (
            f"Nothing close to this quote was said. What {who} said nearest in meaning, which "
            "is not the quote:"
        )
    return SIMILAR_NOTE


CSS = """
.vb-check .vb-qc { margin: 0.9rem 0 1.4rem 0; padding-top: 0.6rem;
  border-top: 1px solid var(--border-color-primary); }
.vb-check .vb-qc:first-of-type { border-top: none; }
.vb-check .vb-qc-head { display: flex; gap: 0.6rem; align-items: baseline; flex-wrap: wrap; }
.vb-check .vb-qc-quote { font-family: Georgia, "Times New Roman", serif; font-size: 1.05em; }
.vb-check .vb-badge { display: inline-block; padding: 0.1rem 0.55rem; border-radius: 999px;
  font-weight: 700; font-size: 0.85em; border: 2px solid currentColor; white-space: nowrap; }
.vb-check .vb-badge-exact { color: #11643a; background: #e3f5ea; }
.vb-check .vb-badge-close { color: #7a4d00; background: #fff1d6; border-style: dashed; }
.vb-check .vb-badge-not_found { color: #9b1c1c; background: #fde8e8; border-style: dotted; }
.vb-check del.vb-said { text-decoration: line-through 2px; background: rgba(220, 38, 38, 0.12);
  color: inherit; }
.vb-check ins.vb-quoted { text-decoration: underline 2px; text-underline-offset: 3px;
  font-weight: 650; background: rgba(22, 163, 74, 0.12); color: inherit; }
.vb-check .vb-elided { font-style: italic; color: var(--body-text-color-subdued);
  background: rgba(100, 116, 139, 0.12); }
.vb-check del.vb-said + ins.vb-quoted { margin-left: 0.2em; }
.vb-check .vb-more > summary { cursor: pointer; color: var(--color-accent); font-weight: 600; }
.vb-check .vb-sr { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.vb-check .vb-attrib { font-size: 0.9em; margin: 0.2rem 0 !important; }
.vb-check .vb-attrib-no { font-weight: 650; }
.vb-check .vb-legend { font-size: 0.85em; color: var(--body-text-color-subdued); }
"""


def _sr(text: str) -> str:
    """Words only screen readers read, for what the styles show."""
    return f'<span class="vb-sr">{text_html(text)}</span>'


def marked_html(match: Match) -> str:
    """The match's source span, its differences marked."""
    out = []
    for seg in segments(match):
        if seg.kind == SAME:
            out.append(text_html(seg.said))
        elif seg.kind == ELIDED:
            out.append(
                f'<span class="vb-diff vb-elided" title="left out at an ellipsis">'
                f"{_sr('left out: ')}[… {text_html(seg.said)} …]</span>"
            )
        else:
            said = (
                f'<del class="vb-said" title="said">{_sr("said: ")}{text_html(seg.said)}</del>'
                if seg.said
                else ""
            )
            quoted = (
                f'<ins class="vb-quoted" title="as quoted">{_sr(" quoted as: ")}'
                f"{text_html(seg.quoted)}</ins>"
                if seg.quoted
                else ""
            )
            kind = {INSERTED: "inserted", DROPPED: "dropped"}.get(seg.kind, "replaced")
            piece = f'<span class="vb-diff vb-{kind}">{said}{quoted}</span>'
            out.append(
                " " + piece if seg.gap == "before" else piece + " " if seg.gap == "after" else piece
            )
    return "".join(out)


def badge_html(verdict: str) -> str:
    label = VERDICT_LABELS.get(verdict, verdict)
    return (
        f'<span class="vb-badge vb-badge-{attr(verdict)}">'
        f"{BADGE_SYMBOLS.get(verdict, '')} {text_html(label)}</span>"
    )


def _attribution_html(quote: QuoteCheck, match: Match) -> str:
    """Who said it and when, against what the text claims: a line each, in words."""
    lines = []
    for note, ok in (
        (attribution_note(quote, match), match.speaker_matches),
        (date_note(quote, match), match.date_matches),
    ):
        if note is not None:
            mark = "✓ " if ok else "⚠ "
            lines.append(
                f'<p class="vb-attrib vb-attrib-{"yes" if ok else "no"}">{mark}{text_html(note)}</p>'
            )
    return "".join(lines)


def quote_html(quote: QuoteCheck, number: int, context_of: Callable[[Citation], Context]) -> str:
    """One checked quote: badge, the quote as pasted, its verdict, then every occurrence (the
    source marked, the citation, the attribution, the context) or the similar passages."""
    credited = "; ".join(claimed(quote))
    claim = (
        f'<p class="vb-note">{text_html(credited[:1].upper() + credited[1:])}</p>'
        if credited
        else ""
    )
    parts = [
        f'<section class="vb-qc vb-qc-{attr(quote.verdict)}">',
        f'<div class="vb-qc-head">{badge_html(quote.verdict)}'
        f'<span class="vb-qc-quote">“{text_html(quote.quote)}”</span></div>',
        claim,
        f'<p class="vb-note vb-verdict">{text_html(verdict_line(quote).capitalize())}</p>',
    ]
    if quote.verdict == CLOSE:
        parts.append(LEGEND)
    shown = [
        passage_html(
            Passage(match.text, 0.0, match.citation, [], context_of(match.citation)),
            i,
            quote_html=marked_html(match),
            note_html=_attribution_html(quote, match),
        )
        for i, match in enumerate(quote.matches, 1)
    ]
    parts += shown[:SHOWN_MATCHES]
    if len(shown) > SHOWN_MATCHES:
        more = len(shown) - SHOWN_MATCHES
        parts.append(
            f'<details class="vb-more"><summary>{count_phrase(more, "more occurrence", "more occurrences")}'
            f"</summary>{''.join(shown[SHOWN_MATCHES:])}</details>"
        )
    if not quote.matches:
        parts.append(f'<p class="vb-note">{text_html(similar_note(quote))}</p>')
        parts += [
            f'<div class="vb-similar">{passage_html(p, i)}</div>'
            for i, p in enumerate(quote.similar, 1)
        ]
    parts.append("</section>")
    return "".join(parts)


def report_html(report: QuoteCheckReport, context_of: Callable[[Citation], Context]) -> str:
    """The whole check: how many quotes, then each."""
    n = len(report.quotes)
    counts = ", ".join(
        f"{sum(q.verdict == v for q in report.quotes)} {VERDICT_LABELS[v].lower()}"
        for v in VERDICT_LABELS
        if any(q.verdict == v for q in report.quotes)
    )
    head = f"{count_phrase(n, 'quote', 'quotes')} checked" + (f": {counts}" if n > 1 else "")
    body = "".join(quote_html(q, i, context_of) for i, q in enumerate(report.quotes, 1))
    return (
        f'<div class="vb-answer vb-check"><p class="vb-summary">{text_html(head)}</p>{body}</div>'
    )


def check_notice_html(message: str) -> str:
    """An interface message (empty text, nothing to check, too long), escaped."""
    return f'<div class="vb-answer vb-check vb-notice"><p class="vb-summary">{text_html(message)}</p></div>'
