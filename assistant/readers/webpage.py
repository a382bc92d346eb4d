"""Web pages (`.html`, `.htm`), read with `selectolax`.

Only the article is read: the `<article>` (else `<main>`, else the body) without navigation,
page header and footer, asides, forms, scripts and styles. Paragraphs are the text between
block edges (`<p>`, `<div>`, headings, list items, table cells...) and `<br>`s, as a browser
lays it out; a pagination footer (`< 1 2 3 ... 12 >`, `Page 2 of 12`, `Next`) is dropped. The
title is the article's heading when it comes first, else the page's `<title>`.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.readers.layout import Block, ReadError, Reading, one_line

DROP = (
    "script, style, noscript, template, nav, header, footer, aside, form, button, iframe, svg,"
    " [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true], [hidden]"
)
# Elements a browser starts on a new line: their edges (and <br>) separate paragraphs.
BLOCKS = (
    "p, div, section, article, main, li, ul, ol, dl, dd, dt, h1, h2, h3, h4, h5, h6, blockquote,"
    " pre, table, tr, td, th, figure, figcaption, address, hr"
)
_BREAK = "\u2029"  # a paragraph separator, which HTML text does not otherwise hold
PAGINATION = re.compile(
    r"(?:[<‹«]|prev(?:ious)?|first)?\s*(?:(?:\d+|\.{2,}|…)\s*){2,}(?:[>›»]|next|last)?"
    r"|(?:page\s+)?\d+\s+(?:of|/)\s+\d+"
    r"|[<‹«]?\s*(?:prev(?:ious)?|next|first|last)(?:\s+page)?\s*[>›»]?",
    re.IGNORECASE,
)
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else the charset a <meta> tag declares, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    for encoding in (declared.group(1).decode("ascii") if declared else None, "cp1252"):
        if encoding:
            try:
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    return data.decode("utf-8", errors="replace")


def _is_pagination(text: str) -> bool:
    return bool(PAGINATION.fullmatch(text.strip()))


def paragraphs(html: str) -> tuple[str | None, str | None, list[str]]:
    """(the page's <title>, the article's first heading, the article's paragraphs as lines)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html.replace(_BREAK, " "))
    head_title = tree.css_first("title")
    page_title = one_line(head_title.text()) if head_title else None
    root = tree.css_first("article") or tree.css_first("main") or tree.css_first("[role=main]")
    root = root or tree.body
    if root is None:
        return page_title, None, []
    for node in root.css(DROP):
        node.decompose()
    heading = root.css_first("h1, h2, h3")
    heading_text = one_line(heading.text()) if heading else None
    for node in root.css(BLOCKS):
        if node.mem_id != root.mem_id:
            node.insert_before(_BREAK)
            node.insert_after(_BREAK)
    for br in root.css("br"):
        br.replace_with(_BREAK)
    # Inline elements join their neighbours as written (`<b>Shen</b> Beili`): no separator.
    lines = (one_line(part) for part in root.text(separator="").split(_BREAK))
    return page_title, heading_text, [line for line in lines if line and not _is_pagination(line)]


def read(path: Path, data: bytes) -> Reading:
    try:
        page_title, heading, lines = paragraphs(decode(data))
    except (ValueError, TypeError) as error:
        raise ReadError(f"not readable HTML: {error}") from None
    if not lines:
        raise ReadError("web page holds no article text")
    title = None if lines[0] == heading or not page_title else page_title
    return Reading(title, tuple(Block(line) for line in lines))
