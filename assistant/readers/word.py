"""Word documents (`.docx`), read with `python-docx`.

The body's paragraphs in order (page headers and footers are not part of the body); a line
break inside a Word paragraph starts a new paragraph, so `Speaker:` on its own line works as in
text files. Table rows become paragraphs too: a two-column `speaker | words` row reads as
`speaker: words`. The document's Title property, when set, is the title line.
"""

from __future__ import annotations

from pathlib import Path

from assistant.readers.layout import Block, ReadError, Reading, one_line


def _row_text(cells: list[str]) -> str:
    unique = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
    if len(unique) == 2 and len(unique[0].split()) <= 5 and not unique[0].endswith(":"):
        return f"{unique[0]}: {unique[1]}"
    return " ".join(unique)


def read(path: Path) -> Reading:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises zip, XML and package errors alike
        raise ReadError(
            f"not a readable Word .docx file ({type(error).__name__}: {error})"
        ) from None
    lines: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                lines.append(_row_text([one_line(cell.text) for cell in row.cells]))
        else:
            lines.extend(one_line(part) for part in item.text.split("\n"))
    blocks = tuple(Block(line) for line in lines if line)
    if not blocks:
        raise ReadError("Word document holds no text")
    title = one_line(document.core_properties.title or "")
    return Reading(title if title and title != blocks[0].text else None, blocks)
