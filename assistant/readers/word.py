"""Word documents (`.docx`), read with `python-docx`.

The body's paragraphs in order (page headers and footers are not part of the body); a line
break inside a Word paragraph starts a new paragraph, so `Speaker:` on its own line works as in
text files. Table rows become paragraphs too: a two-column `speaker | words` row reads as
`speaker: words`. An Otter.ai export (`Name  00:04` header lines, see `otter`), or one whose
paragraphs open with a time and a name (`[00:00:05] Alice Johnson: ...`, see `stamped`), is
read with its stated speakers and times. The title is the document's Title property, else a first paragraph
styled as a title or heading, else a short first line that
is not a labelled turn, else the file's name.

A .docx is a zip: before anything is unpacked, the sizes its entries declare (which the zip
reader enforces) must stay under `MAX_UNPACKED` in all and `MAX_PART` for one part, so a zip
bomb is refused instead of filling memory.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from assistant.readers import otter, stamped
from assistant.readers.layout import Block, ReadError, Reading, one_line
from assistant.readers.subrip import title_from

MAX_UNPACKED = 256 * 2**20
MAX_PART = 64 * 2**20
MAX_ENTRIES = 10_000
TITLE_WORDS = 15
_LABELLED = re.compile(r"[^\W\d_][^:\n]{0,40}:\s+\S")  # `Reporter Lee: When ...`: speech


def _row_text(cells: list[str]) -> str:
    unique = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
    if len(unique) == 2 and len(unique[0].split()) <= 5 and not unique[0].endswith(":"):
        return f"{unique[0]}: {unique[1]}"
    return " ".join(unique)


def check_size(data: bytes) -> None:
    """ReadError when the zip would unpack to more than the limits (see the module's
    docstring); a file that is not a zip is left to python-docx to report."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    total = sum(e.file_size for e in entries)
    largest = max((e.file_size for e in entries), default=0)
    if len(entries) > MAX_ENTRIES or total > MAX_UNPACKED or largest > MAX_PART:
        raise ReadError(
            f"Word file would unpack to {total / 2**20:,.0f} MB in {len(entries):,} parts "
            f"(limits: {MAX_UNPACKED // 2**20} MB, {MAX_PART // 2**20} MB a part): "
            "not unpacked (a zip bomb?)"
        )


def read(path: Path, data: bytes | None = None) -> Reading:
    import docx
    from docx.table import Table

    data = path.read_bytes() if data is None else data
    check_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises zip, XML and package errors alike
        raise ReadError(
            f"not a readable Word .docx file ({type(error).__name__}: {error})"
        ) from None
    lines: list[str] = []
    first_style = ""
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                lines.append(_row_text([one_line(cell.text) for cell in row.cells]))
        else:
            if not lines and item.text.strip():
                first_style = (item.style.name if item.style is not None else "") or ""
            lines.extend(one_line(part) for part in item.text.split("\n"))
    lines = [line for line in lines if line]
    if not lines:
        raise ReadError("Word document holds no text")
    title = one_line(document.core_properties.title or "")
    as_lines = [otter.Line(text) for line in lines for text in (line, "")]
    if otter.is_otter(as_lines):
        first, turns = otter.blocks(as_lines)
        return Reading(title or first or title_from(path), tuple(turns), stated=True)
    laid_out = stamped.blocks(lines)
    if laid_out is not None:
        before, turns = laid_out
        return Reading(
            title or (before[0] if before else title_from(path)), tuple(turns), stated=True
        )
    blocks = tuple(Block(line) for line in lines)
    if title:
        return Reading(title if title != lines[0] else None, blocks)
    styled = first_style.lower().startswith(("title", "heading"))
    speech = _LABELLED.match(lines[0]) or len(lines[0].split()) > TITLE_WORDS
    if styled or not speech:
        return Reading(None, blocks)  # the first paragraph is the title
    return Reading(title_from(path), blocks)
