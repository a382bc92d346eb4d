"""Web pages (`.html`, `.htm`), read with `selectolax`.

Only the article is read: the `<article>` (else `<main>`, else the body) without navigation,
page header and footer, asides, forms, scripts and styles. Its block elements (paragraphs,
headings, list items, quotes, table cells) are the paragraphs, a `<br>` starting a new one; a
pagination footer (`< 1 2 3 ... 12 >`, `Page 2 of 12`, `Next`) is dropped. The title is the
article's first heading, else the page's `<title>`.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.readers.layout import Block, ReadError, Reading, one_line

DROP = (
    "script, style, noscript, template, nav, header, footer, aside, form, button, iframe, svg,"
    " [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true], [hidden]"
)
BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "td",
    "th",
    "dd",
    "dt",
}
_NEWLINE = "\u2029"  # stands for <br> until text is split into paragraphs
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


def paragraphs(html: str) -> tuple[str | None, list[tuple[str, str]]]:
    """(the page's <title>, the article's paragraphs as (tag, single line))."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    head_title = tree.css_first("title")
    page_title = one_line(head_title.text()) if head_title else None
    root = tree.css_first("article") or tree.css_first("main") or tree.css_first("[role=main]")
    root = root or tree.body
    if root is None:
        return page_title, []
    for node in root.css(DROP):
        node.decompose()
    for br in root.css("br"):
        br.replace_with(_NEWLINE)
    selector = ", ".join(sorted(BLOCKS))
    chosen = [
        node
        for node in root.css(selector)
        # the innermost blocks only: a <p> inside an <li> is read once
        if not any(
            child.tag in BLOCKS and child.mem_id != node.mem_id
            for child in node.traverse(include_text=False)
        )
    ]
    texts = [(node.tag, node.text(separator=" ")) for node in chosen]
    out = []
    for tag, text in texts or [(root.tag, root.text(separator=" "))]:
        for part in text.split(_NEWLINE):
            line = one_line(part)
            if line and not _is_pagination(line):
                out.append((tag, line))
    return page_title, out


def read(path: Path, data: bytes) -> Reading:
    try:
        page_title, lines = paragraphs(decode(data))
    except (ValueError, TypeError) as error:
        raise ReadError(f"not readable HTML: {error}") from None
    if not lines:
        raise ReadError("web page holds no article text")
    blocks = tuple(Block(line) for _, line in lines)
    heading_first = lines[0][0] in {"h1", "h2", "h3"}
    return Reading(None if heading_first or not page_title else page_title, blocks)
