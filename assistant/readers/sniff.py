"""Which reader a file needs, found by its content as well as by its extension.

Files travel with the wrong name: captions saved as `.txt`, a speech-to-text response saved
without `.json`, an `.htm` export that is really WebVTT. Content that says what it is wins (a
PDF or zip signature, `WEBVTT`, a SubRip cue, a JSON document, markup); otherwise the extension
decides. Pure functions of the bytes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.readers.encoding import bom_encoding

BY_SUFFIX = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".srt": "srt",
    ".vtt": "vtt",
    ".json": "json",
}
_SRT_CUE = re.compile(r"\d+[ \t]*\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")
_MARKUP = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|article|main|section|table|cite|span|h[1-6]|br)\b",
    re.IGNORECASE,
)
_PAGE = re.compile(r"<(?:!doctype\s+html|html)\b", re.IGNORECASE)
_SNIFF_BYTES = 4096


def _head(data: bytes) -> str:
    """The start of `data` as text (its byte-order mark says how), stripped, `\\n` newlines."""
    head = data[:_SNIFF_BYTES]
    bom = bom_encoding(head)
    encoding, skip = bom if bom else ("utf-8", 0)
    text = head[skip:].decode(encoding, errors="ignore")
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip()


def kind(path: Path, data: bytes) -> str:
    """The reader for `data` read from `path`: text, pdf, docx, html, srt, vtt or json."""
    by_name = BY_SUFFIX.get(path.suffix.lower(), "text")
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if by_name in ("docx", "text") or b"word/" in data[:65536] else by_name
    head = _head(data)
    if head.startswith("WEBVTT"):
        return "vtt"
    if _SRT_CUE.match(head):
        return "srt"
    if head[:1] in "{[" and by_name != "json" and _is_json(data):
        return "json"
    if head.startswith("<") and by_name != "html":
        # (Markdown may open with a little markup; only a whole page makes it HTML)
        markup = _PAGE if path.suffix.lower() in (".md", ".markdown") else _MARKUP
        if markup.search(head):
            return "html"
    return by_name


def _is_json(data: bytes) -> bool:
    from assistant.readers.encoding import decode

    try:
        json.loads(decode(data))
    except (ValueError, RecursionError):
        return False
    return True
