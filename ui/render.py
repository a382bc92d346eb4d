"""How an `Answer` looks in the chat and in an exported conversation: pure functions, no Gradio.

Transcript text is data, never markup. Every piece of it goes through `text_html`, which escapes
HTML and also turns Markdown punctuation into character references, so the chat's Markdown
renderer and HTML sanitiser both see plain text: `<script>`, `<img onerror=...>`, `**bold**` and
`[links](...)` show exactly as written. The only markup is ours: block quotes, `<mark>` around the
highlight offsets, citations and the "Context" disclosure. Every sentence shown that is not a quote
is fixed interface wording.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.answers import Answer, Citation, Passage, dates_shown

NO_ANSWER = "Nothing in these transcripts answers that."
EMPTY_QUESTION = "The question is empty. Type a question, or pick one of the examples."
STALE_NOTE = "These transcripts changed since indexing and were left out: "
REINDEX_HINT = "re-index with: verbatim index CORPUS --index INDEX"

# One pass, character by character: HTML's specials as entities, and the characters Markdown (or
# KaTeX, or an autolinker) would read as syntax as numeric references, which renderers show as text.
_INERT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"} | {
    c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~$:=@"
}


def text_html(text: str) -> str:
    """`text` as inert HTML: escaped, Markdown punctuation neutralised, newlines as <br>."""
    out = "".join(_INERT.get(ch, ch) for ch in text.replace("\r\n", "\n"))
    return out.replace("\n", "<br>")


def attr(text: str) -> str:
    """`text` for a double-quoted HTML attribute value."""
    return html.escape(text, quote=True).replace("\n", " ")


def merge_spans(spans: Iterable[Sequence[int]], length: int) -> list[tuple[int, int]]:
    """Highlight spans clipped to [0, length], sorted and with overlaps merged."""
    clipped = sorted(
        (max(0, int(s)), min(length, int(e)))
        for s, e in spans
        if min(length, int(e)) > max(0, int(s))
    )
    merged: list[tuple[int, int]] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlighted_html(text: str, spans: Iterable[Sequence[int]]) -> str:
    """`text` with <mark> around the exact offsets in `spans`; each piece escaped on its own."""
    pieces: list[str] = []
    cursor = 0
    for start, end in merge_spans(spans, len(text)):
        pieces.append(text_html(text[cursor:start]))
        pieces.append(f'<mark class="vb-hl">{text_html(text[start:end])}</mark>')
        cursor = end
    pieces.append(text_html(text[cursor:]))
    return "".join(pieces)


def count_phrase(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_line(answer: Answer) -> str:
    """ "4 passages from 3 transcripts" (fixed wording)."""
    documents = {p.citation.document for p in answer.passages}
    return (
        f"{count_phrase(len(answer.passages), 'passage', 'passages')} from "
        f"{count_phrase(len(documents), 'transcript', 'transcripts')}"
    )


def clock_time(value: str | int | float | None) -> str | None:
    """A time stamp as "00:14:32": seconds or "14:32" / "0:14:32.500" become hours, minutes,
    seconds (fractions dropped); anything else is shown as given."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        if ":" in text:
            parts = [float(p.replace(",", ".")) for p in text.split(":")]
            if len(parts) > 3:
                return text
            seconds = 0.0
            for part in parts:
                seconds = seconds * 60 + part
        else:
            seconds = float(text.replace(",", "."))
    except ValueError:
        return text
    if seconds < 0 or seconds != seconds or seconds == float("inf"):
        return text
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def where_parts(citation: Citation) -> list[str]:
    """ "p. 7" and "00:14:32", where the reader knew the page or the time of the passage."""
    parts = []
    if citation.page is not None:
        parts.append(f"p. {citation.page}")
    shown = clock_time(citation.time)
    if shown:
        parts.append(shown)
    return parts


def citation_text(citation: Citation) -> str:
    """One line to paste into an article or notes: who, where, when, and the exact span."""
    who = citation.speaker or ("Unnamed questioner" if citation.role == "question" else "Unnamed")
    when = citation.date or "undated"
    extra = "".join(f", {part}" for part in where_parts(citation))
    return (
        f'{who}, "{citation.title}", {when}, paragraph {citation.paragraph}{extra} '
        f"({citation.document}, characters {citation.start}–{citation.end})"
    )


def stale_note(answer: Answer, reindex_command: str | None = None) -> str | None:
    """Fixed wording naming the transcripts left out because they changed since indexing."""
    stale = answer.filters.get("stale_documents") or []
    if not stale or not answer.answered:
        return None  # a declined answer already gives this as its reason
    return STALE_NOTE + ", ".join(stale) + "; " + (reindex_command or REINDEX_HINT)


def _speaker_label(speaker: str | None, role: str | None = None) -> str:
    if speaker:
        return speaker
    return "Question (unnamed)" if role == "question" else "Unnamed speaker"


def filters_line(filters: dict[str, Any]) -> str | None:
    """The filters in force, in fixed wording, or None when nothing narrowed the search."""
    parts = []
    if filters.get("document"):
        parts.append("transcripts: " + ", ".join(filters["document"]))
    if filters.get("speaker"):
        parts.append("speakers: " + ", ".join(filters["speaker"]))
    if filters.get("date_from") or filters.get("date_to"):
        parts.append(
            f"dated {filters.get('date_from') or 'any time'} to {filters.get('date_to') or 'now'}"
        )
    if filters.get("date_in_question"):
        parts.append(f"dated {dates_shown(*filters['date_in_question'])} (from the question)")
    if filters.get("speaker_in_question"):
        parts.append("named in the question: " + ", ".join(filters["speaker_in_question"]))
    return "Searched " + "; ".join(parts) if parts else None


def _context_html(passage: Passage) -> str:
    ctx = passage.context
    blocks = []
    if ctx.question:
        label = "Question" + (f" · {ctx.question_speaker}" if ctx.question_speaker else "")
        blocks.append((label, ctx.question))
    if ctx.before and ctx.before != ctx.question:
        blocks.append(("Paragraph before · " + _speaker_label(ctx.before_speaker), ctx.before))
    if ctx.after:
        blocks.append(("Paragraph after · " + _speaker_label(ctx.after_speaker), ctx.after))
    if not blocks:
        return ""
    inner = "".join(
        f'<p class="vb-ctx-label">{text_html(label)}</p>'
        f'<blockquote class="vb-ctx-quote">{text_html(text)}</blockquote>'
        for label, text in blocks
    )
    return f'<details class="vb-context"><summary>Context</summary>{inner}</details>'


def passage_html(
    passage: Passage, number: int, quote_html: str | None = None, note_html: str = ""
) -> str:
    """One quote: the verbatim text with highlights (or `quote_html`, the same text marked
    otherwise), its citation, `note_html` (our own wording), detail line and context."""
    c = passage.citation
    quote = quote_html or highlighted_html(passage.text, passage.highlights)
    where = f"{c.document} · characters {c.start}–{c.end}"
    cite = "".join(
        [
            f'<span class="vb-speaker">{text_html(_speaker_label(c.speaker, c.role))}</span>',
            f'<span class="vb-sep"> · </span><cite class="vb-title">{text_html(c.title)}</cite>',
            f'<span class="vb-sep"> · </span><span class="vb-date">{text_html(c.date or "undated")}</span>',
            f'<span class="vb-sep"> · </span><span class="vb-para">paragraph {c.paragraph}</span>',
        ]
        + [
            f'<span class="vb-sep"> · </span><span class="vb-loc">{text_html(part)}</span>'
            for part in where_parts(c)
        ]
    )
    return (
        '<section class="vb-passage">'
        f'<div class="vb-num">{number}</div>'
        f'<blockquote class="vb-quote">{quote}</blockquote>'
        f'<p class="vb-cite" title="{attr(where)}">{cite}</p>'
        f"{note_html}"
        f'<p class="vb-where">{text_html(where)}</p>'
        f'<div class="vb-tools">'
        f'<button type="button" class="vb-copy" title="Copy this citation">Copy citation</button>'
        f'<span class="vb-citation-text">{text_html(citation_text(c))}</span>'
        f"</div>"
        f"{_context_html(passage)}"
        f"</section>"
    )


def answer_html(answer: Answer, reindex_command: str | None = None) -> str:
    """The whole assistant turn: a summary line, the quotes, or the reason nothing answers.
    `reindex_command` completes the note about transcripts changed since indexing."""
    notes = []
    stale = stale_note(answer, reindex_command)
    if stale:
        notes.append(f'<p class="vb-note vb-stale">{text_html(stale)}</p>')
    if answer.query and answer.query != answer.question:
        notes.append(
            f'<p class="vb-note">Searched together with the earlier question: '
            f"{text_html(answer.query)}</p>"
        )
    line = filters_line(answer.filters)
    if line:
        notes.append(f'<p class="vb-note">{text_html(line)}</p>')
    notes += [f'<p class="vb-note">{text_html(note)}</p>' for note in answer.notes]
    if not answer.answered or not answer.passages:
        reason = answer.reason or NO_ANSWER
        return (
            f'<div class="vb-answer vb-declined"><p class="vb-summary">{text_html(reason)}</p>'
            + "".join(notes)
            + "</div>"
        )
    body = "".join(passage_html(p, i) for i, p in enumerate(answer.passages, 1))
    return (
        f'<div class="vb-answer"><p class="vb-summary">{text_html(summary_line(answer))}</p>'
        + "".join(notes)
        + body
        + "</div>"
    )


def notice_html(message: str) -> str:
    """An interface message (empty question, bad filter): shown as a notice, escaped."""
    return f'<div class="vb-answer vb-notice"><p class="vb-summary">{text_html(message)}</p></div>'


def question_html(question: str) -> str:
    """The user's own question, shown literally."""
    return f'<div class="vb-question">{text_html(question)}</div>'


# ---------------------------------------------------------------- Markdown export
_MD_ESCAPE = re.compile(r"([\\`*_{}\[\]<>()#|~&$!])")
_MD_LIST_MARK = re.compile(r"^(\s*)([-+=])", re.MULTILINE)
_MD_ORDERED = re.compile(r"^(\s*\d+)\.", re.MULTILINE)


def markdown_text(text: str) -> str:
    """`text` backslash-escaped so any Markdown viewer shows it exactly, markup inert."""
    escaped = _MD_ESCAPE.sub(r"\\\1", text)
    escaped = _MD_LIST_MARK.sub(r"\1\\\2", escaped)
    return _MD_ORDERED.sub(r"\1\\.", escaped)


def _md_quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in markdown_text(text).splitlines())


def conversation_markdown(
    turns: Sequence[dict[str, Any]], reindex_command: str | None = None
) -> str:
    """The conversation with every quote and its source, as a Markdown document.

    `turns` holds {"question": str, "answer": Answer.to_dict() | None, "notice": str | None}.
    """
    lines = ["# Verbatim conversation", ""]
    lines.append(
        "Every quote below is verbatim from the transcript cited under it; "
        "characters are offsets into that transcript's text."
    )
    for n, turn in enumerate(turns, 1):
        lines += ["", f"## {n}. {markdown_text(turn['question'])}", ""]
        if turn.get("notice"):
            lines.append(f"*{markdown_text(turn['notice'])}*")
            continue
        answer = Answer.from_dict(turn["answer"])
        if not answer.answered or not answer.passages:
            lines.append(f"*{markdown_text(answer.reason or NO_ANSWER)}*")
            continue
        lines.append(f"*{summary_line(answer)}*")
        line = filters_line(answer.filters)
        if line:
            lines += ["", f"*{markdown_text(line)}*"]
        for note in answer.notes:
            lines += ["", f"*{markdown_text(note)}*"]
        stale = stale_note(answer, reindex_command)
        if stale:
            lines += ["", f"*{markdown_text(stale)}*"]
        for i, passage in enumerate(answer.passages, 1):
            c = passage.citation
            lines += [
                "",
                f"### Passage {i}",
                "",
                _md_quote(passage.text),
                "",
                f"— {markdown_text(citation_text(c))}",
            ]
            if passage.context.question:
                lines += ["", "Question answered:", "", _md_quote(passage.context.question)]
    return "\n".join(lines) + "\n"
