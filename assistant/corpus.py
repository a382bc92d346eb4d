"""Finding and reading transcript files under a corpus folder: the I/O edge of parsing.

Unreadable files (empty, binary, not UTF-8, a damaged PDF) are skipped with a reason, never
fatal: one bad file must not stop a newsroom's whole corpus from being indexed. Files of other
types are skipped with one line saying so. The formats read are in `assistant.readers`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.readers import SUFFIXES, ReadDocument, read_paths
from assistant.readers import TEXT_SUFFIXES as TEXT_SUFFIXES
from assistant.readers.parts import group

# Files that describe a corpus folder rather than transcribe anything (the shipped corpus/ keeps
# its sources in SOURCES.md): listed as skipped, never indexed.
NOTES = {"sources.md", "readme.md", "readme.txt"}


class CorpusError(ValueError):
    """The corpus folder itself is unusable (missing, not a folder, holds no transcripts)."""


@dataclass(frozen=True)
class SourceFile:
    """A corpus file as found on disk: path relative to the corpus root and its content hash.

    A document published over several files (`name_1.html`, `name_2.html`: see
    `assistant.readers.parts`) is one source: `parts` are its files in page order, `path` the
    first, and `sha256` covers them all."""

    document: str
    path: Path
    sha256: str
    size: int
    parts: tuple[Path, ...] = ()

    @property
    def paths(self) -> tuple[Path, ...]:
        return self.parts or (self.path,)


@dataclass(frozen=True)
class Skipped:
    document: str
    reason: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_sources(root: Path) -> tuple[list[SourceFile], list[Skipped]]:
    """Transcript files under `root` (sorted, hidden entries and symlink loops skipped); the
    files of a document published over several files are one source."""
    root = Path(root)
    if not root.exists():
        raise CorpusError(f"corpus folder {root} does not exist")
    if not root.is_dir():
        raise CorpusError(f"corpus path {root} is not a folder")
    found: list[SourceFile] = []
    skipped: list[Skipped] = []
    for path in _walk(root):
        document = path.relative_to(root).as_posix()
        if path.name.lower() in NOTES:
            skipped.append(Skipped(document, "notes about the corpus, not a transcript"))
            continue
        if path.suffix.lower() not in SUFFIXES:
            skipped.append(Skipped(document, f"unsupported file type {path.suffix or '(none)'}"))
            continue
        try:
            found.append(SourceFile(document, path, file_sha256(path), path.stat().st_size))
        except OSError as error:
            skipped.append(Skipped(document, f"cannot read: {error.strerror or error}"))
    return _join_parts(found), skipped


def _join_parts(found: list[SourceFile]) -> list[SourceFile]:
    """Sources with the files of each multi-file document replaced by one source."""
    by_name = {s.document: s for s in found}
    first_part: dict[str, SourceFile] = {}
    member: set[str] = set()
    for whole, names in group(list(by_name)).items():
        files = [by_name[n] for n in names]
        digest = hashlib.sha256("\n".join(f.sha256 for f in files).encode()).hexdigest()
        first_part[names[0]] = SourceFile(
            whole, files[0].path, digest, sum(f.size for f in files), tuple(f.path for f in files)
        )
        member.update(names)
    return [
        first_part.get(s.document, s)
        for s in found
        if s.document not in member or s.document in first_part
    ]


def _walk(root: Path) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        try:
            st = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:  # a symlink loop
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(folder) / name
                if path.is_file():
                    yield path


def decode_text(data: bytes, document: str) -> str:
    """UTF-8 text as `Path.read_text(encoding="utf-8")` gives it (universal newlines), so
    offsets into it match what a reader of the file sees. Raises ValueError with the reason."""
    if not data.strip():
        raise ValueError("empty file" if not data else "only whitespace")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("binary file (NUL bytes), not a transcript")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        hint = ""
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = " (it is UTF-16; re-save it as UTF-8)"
        raise ValueError(
            f"not UTF-8 text: byte {data[error.start]:#04x} at offset {error.start}{hint}; "
            "re-save the file as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(source: SourceFile) -> ReadDocument:
    """Read and parse one source in its format: canonical text, transcript, pages and times.
    Raises ValueError saying why it is not a usable transcript."""
    return read_paths(source.paths, source.document)
