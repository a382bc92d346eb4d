"""Bytes to text for the formats read as text (subtitles, JSON, web pages).

A byte-order mark says the encoding (UTF-8, UTF-16 or UTF-32, either byte order) and is not part
of the text; without one, UTF-8, else the charset the file declares (a web page's `<meta>`),
else Windows-1252 (what 1990s web pages and older subtitle files are written in; a byte it
lacks makes it UTF-8 with replacements). Line endings become `\\n`.
"""

from __future__ import annotations

import codecs

BOMS = (  # longest first: a UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, length of the mark) when `data` opens with a byte-order mark."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def decode(data: bytes, declared: str | None = None) -> str:
    """The text of `data` (see the module's docstring), with `\\n` line endings."""
    bom = bom_encoding(data)
    if bom is not None:
        encoding, skip = bom
        text = data[skip:].decode(encoding, errors="replace")
    else:
        text = ""
        for encoding in ("utf-8", declared, "cp1252"):
            if not encoding:
                continue
            try:
                text = data.decode(encoding)
                break
            except (LookupError, UnicodeDecodeError):
                continue
        else:
            text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")
