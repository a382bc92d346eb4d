"""Web pages (`.html`, `.htm`, or a fragment of one), read with `selectolax`.

Only the article is read: the `<article>` (else `<main>`, else the body) without navigation,
page header and footer, asides, forms, share buttons, scripts and styles. Paragraphs are the
text between block edges (`<p>`, `<div>`, headings, list items, table cells...) and `<br>`s, as
a browser lays it out; a pagination footer (`< 1 2 3 ... 12 >`, `Page 2 of 12`, `Next`) and
lines without a letter or digit (`-----`) are dropped. The title is the article's heading when
it comes first, else the page's `<title>`, else the file's name (never a paragraph of speech).
A podcast page of `<cite>` turns (see `podcast`) is read with its stated speakers.

The bytes are UTF-8, UTF-16 or UTF-32 by their byte-order mark, else UTF-8, else the charset a
`<meta>` declares, else Windows-1252 (1990s pages). A page nested more than `MAX_DEPTH`
elements deep is refused: the parser's time grows faster than the depth, and no real page
comes near it.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.readers import podcast
from assistant.readers.encoding import decode as decode_bytes
from assistant.readers.layout import Block, ReadError, Reading, one_line
from assistant.readers.subrip import title_from

DROP = (
    "script, style, noscript, template, nav, header, footer, aside, form, button, iframe, svg,"
    " [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true], [hidden],"
    " [class*=social-share], [class*=share-buttons], [class*=sharing]"
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
MAX_DEPTH = 1000
# Tags that a browser closes by itself (`<p>` before `<p>`) or that hold nothing: not nesting.
_FLAT = frozenset(
    [
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "option",
        "optgroup",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "rb",
        "rt",
        "rtc",
        "rp",
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,30})[^<>]*?(/?)>")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def decode(data: bytes) -> str:
    """The page's text: see the module's docstring."""
    declared = _CHARSET.search(data[:4096])
    return decode_bytes(data, declared.group(1).decode("ascii") if declared else None)


def depth(html: str) -> int:
    """How deep the page's elements nest, counted over its tags in one linear pass (comments,
    scripts and styles skipped; self-closing and browser-closed tags do not nest)."""
    lower = html.translate(_ASCII_LOWER)  # (same length: offsets index both)
    deepest = level = 0
    pos = lower.find("<")
    while pos != -1:
        if lower.startswith("<!--", pos):
            end = lower.find("-->", pos + 4)
            if end == -1:
                break
            pos = lower.find("<", end + 3)
            continue
        m = _TAG.match(html, pos)
        if m is None:
            pos = lower.find("<", pos + 1)
            continue
        closing, name, selfclosing = m.groups()
        name = name.lower()
        if closing:
            if name not in _FLAT:
                level = max(level - 1, 0)
        elif name in ("script", "style"):
            end = lower.find(f"</{name}", m.end())
            if end == -1:
                break
            pos = lower.find("<", end + 2)
            continue
        elif not selfclosing and name not in _FLAT:
            level += 1
            deepest = max(deepest, level)
        pos = lower.find("<", m.end())
    return deepest


def _is_pagination(text: str) -> bool:
    return bool(PAGINATION.fullmatch(text.strip()))


def _root(html: str):
    """(the page's <title>, the article's node or None)."""
    from selectolax.lexbor import LexborHTMLParser

    deep = depth(html)
    if deep > MAX_DEPTH:
        raise ReadError(
            f"web page nested {deep:,} elements deep (more than {MAX_DEPTH:,}): not read"
        )
    tree = LexborHTMLParser(html.replace(_BREAK, " "))
    head_title = tree.css_first("title")
    page_title = one_line(head_title.text()) if head_title else None
    root = tree.css_first("article") or tree.css_first("main") or tree.css_first("[role=main]")
    root = root or tree.body
    if root is not None:
        for node in root.css(DROP):
            node.decompose()
    return page_title or None, root


def _lines(root) -> tuple[str | None, list[str]]:
    """(the article's first heading, its paragraphs as lines)."""
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
    return heading_text, [
        line
        for line in lines
        if line and not _is_pagination(line) and _LETTER_OR_DIGIT.search(line)
    ]


def paragraphs(html: str) -> tuple[str | None, str | None, list[str]]:
    """(the page's <title>, the article's first heading, the article's paragraphs as lines)."""
    page_title, root = _root(html)
    if root is None:
        return page_title, None, []
    heading, lines = _lines(root)
    return page_title, heading, lines


def read(path: Path, data: bytes) -> Reading:
    try:
        page_title, root = _root(decode(data))
        if root is not None and podcast.is_podcast(root):
            heading = root.css_first("h1, h2, h3")
            title = page_title or (one_line(heading.text()) if heading else None)
            blocks = podcast.blocks(root)
            if blocks:
                return Reading(title or title_from(path), tuple(blocks), stated=True)
        heading, lines = _lines(root) if root is not None else (None, [])
    except (ValueError, TypeError) as error:
        if isinstance(error, ReadError):
            raise
        raise ReadError(f"not readable HTML: {error}") from None
    if not lines:
        raise ReadError("web page holds no article text")
    # (None: the heading is the first line)
    title = None if lines[0] == heading else page_title or title_from(path)
    return Reading(title, tuple(Block(line) for line in lines))
