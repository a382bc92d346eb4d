"""Documents published over several files, read as one.

Files in one folder with the same type whose names differ only by a trailing page number,
`NAME_1.html`, `NAME_2.html`, ... (also `NAME-1`, `NAME_p1`, `NAME_page1`, `NAME part 1`),
numbered from 1 without gaps, are one document called `NAME.html`, read in page order. Each
file's text is one page (its number is the page cited). Only page-like formats are grouped
(web pages, PDF, Word); text, subtitle and JSON files are always read one by one, and nothing
is grouped when a file named `NAME.html` exists beside the parts.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

GROUPED_SUFFIXES = (".html", ".htm", ".pdf", ".docx")
PART = re.compile(
    r"(?P<stem>.*?[^ _\-])(?:[ _\-]+(?:p|page|part)?[ _\-]?|(?:p|page|part)[ _\-]?)(?P<number>\d{1,3})",
    re.IGNORECASE,
)


def part_of(document: str) -> tuple[str, int] | None:
    """(the whole document's name, page number) when `document` looks like one page of many."""
    path = PurePosixPath(document)
    if path.suffix.lower() not in GROUPED_SUFFIXES:
        return None
    m = PART.fullmatch(path.stem)
    if m is None:
        return None
    whole = path.with_name(m["stem"] + path.suffix)
    return whole.as_posix(), int(m["number"])


def group(documents: list[str]) -> dict[str, list[str]]:
    """Whole-document name -> its parts in page order, for every complete run of pages 1..N
    (N >= 2); documents not in such a run are left out."""
    runs: dict[str, dict[int, str]] = {}
    for document in documents:
        part = part_of(document)
        if part:
            runs.setdefault(part[0], {})[part[1]] = document
    present = set(documents)
    return {
        whole: [pages[n] for n in sorted(pages)]
        for whole, pages in runs.items()
        if len(pages) >= 2
        and sorted(pages) == list(range(1, len(pages) + 1))
        and whole not in present
    }


def order_key(path: Path) -> int:
    part = part_of(path.name)
    return part[1] if part else 0
