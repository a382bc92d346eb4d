"""Finding and reading transcript files under a corpus folder: the I/O edge of parsing.

Unreadable files (empty, binary, not UTF-8, a damaged PDF) are skipped with a reason, never
fatal: one bad file must not stop a newsroom's whole corpus from being indexed. So are files of
other types, files whose names are not UTF-8, paths too long for the system, named pipes and
devices, folders that cannot be read, broken links, and symbolic links that leave the corpus
folder (unless `follow_links`): each with one line saying why. The walk is iterative, so any
depth of folders is fine. The formats read are in `assistant.readers`.

A file's content hash is taken between two `stat`s that must agree, and a file is parsed only
while its `stat` still matches that hash (`read_verified`): a file caught half-written is recorded
under the hash of what was read, so the next `verbatim index` reads it again once it is whole.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.readers import SUFFIXES, ReadDocument, read_paths
from assistant.readers import TEXT_SUFFIXES as TEXT_SUFFIXES
from assistant.readers.parts import group

# Reading a file that changes meanwhile is retried this many times before it is skipped for this
# run (and read again by the next).
READ_ATTEMPTS = 3
CHANGING = (
    "the file kept changing while it was read (still being written?); "
    "the next `verbatim index` reads it again"
)
INDEX_POINTER = "CURRENT"  # the file that marks a Verbatim index folder (assistant.index.CURRENT)
# Files that describe a corpus folder rather than transcribe anything (the shipped corpus/ keeps
# its sources in SOURCES.md): listed as skipped, never indexed.
NOTES = {"sources.md", "readme.md", "readme.txt"}


class CorpusError(ValueError):
    """The corpus folder itself is unusable (missing, not a folder, holds no transcripts)."""


@dataclass(frozen=True)
class FileState:
    """One file as hashed: its content hash and the `stat` taken around the hashing."""

    path: Path
    sha256: str
    size: int
    mtime_ns: int
    key: tuple[int, ...]  # device, inode, size, mtime, ctime: any write changes it

    def unchanged(self) -> bool:
        """Whether the file on disk still has the `stat` it had when hashed."""
        try:
            return _stat_key(os.stat(self.path)) == self.key
        except OSError:
            return False


@dataclass(frozen=True)
class SourceFile:
    """A corpus file as found on disk: path relative to the corpus root and its content hash.

    A document published over several files (`name_1.html`, `name_2.html`: see
    `assistant.readers.parts`) is one source: `parts` are its files in page order, `path` the
    first, and `sha256` covers them all. `states` are its files as hashed."""

    document: str
    path: Path
    sha256: str
    size: int
    parts: tuple[Path, ...] = ()
    states: tuple[FileState, ...] = ()

    @property
    def paths(self) -> tuple[Path, ...]:
        return self.parts or (self.path,)


@dataclass(frozen=True)
class Skipped:
    """A file (or folder, named with a trailing `/`) not indexed, and why. `sha256` is the hash
    of the content that failed to read, when known: an unchanged failure is not read again."""

    document: str
    reason: str
    sha256: str | None = None


class FileChangedError(ValueError):
    """A file kept changing while it was read (it is being written)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stat_key(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def file_state(path: Path) -> FileState:
    """Hash `path` between two `stat`s that agree; FileChangedError when it keeps changing."""
    for _ in range(READ_ATTEMPTS):
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise ValueError(f"not a regular file ({_kind(before.st_mode)})")
        sha256 = file_sha256(path)
        if _stat_key(os.stat(path)) == _stat_key(before):
            return FileState(path, sha256, before.st_size, before.st_mtime_ns, _stat_key(before))
    raise FileChangedError(CHANGING)


def shown(name: str) -> str:
    """A file name as text that can be printed and stored: bytes that are not UTF-8 (kept by
    Python as surrogates) written as `\\xff`."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def check_corpus_root(root: Path) -> None:
    """CorpusError unless `root` is a folder."""
    if not root.exists():
        raise CorpusError(f"corpus folder {root} does not exist")
    if not root.is_dir():
        raise CorpusError(f"corpus path {root} is not a folder")


def find_sources(
    root: Path, *, follow_links: bool = False, exclude: Iterable[Path] = ()
) -> tuple[list[SourceFile], list[Skipped]]:
    """Transcript files under `root` (sorted, hidden entries skipped) and what was skipped, with
    why; the files of a document published over several files are one source.

    Symbolic links are followed while they stay inside `root`; links that leave it are skipped
    and reported unless `follow_links`. Folders in `exclude` (the index being built) and other
    Verbatim index folders are not walked."""
    root = Path(root)
    check_corpus_root(root)
    found: list[SourceFile] = []
    skipped: list[Skipped] = []
    excluded = set()
    for folder in exclude:
        try:
            st = os.stat(folder)
            excluded.add((st.st_dev, st.st_ino))
        except OSError:
            pass  # not there yet: nothing to leave out
    for item in _walk(root, follow_links, excluded):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        document, path = item
        if path.name.lower() in NOTES:
            skipped.append(Skipped(document, "notes about the corpus, not a transcript"))
            continue
        if path.suffix.lower() not in SUFFIXES:
            skipped.append(Skipped(document, f"unsupported file type {path.suffix or '(none)'}"))
            continue
        try:
            state = file_state(path)
        except OSError as error:
            skipped.append(Skipped(document, f"cannot read: {error.strerror or error}"))
            continue
        except ValueError as error:
            skipped.append(Skipped(document, str(error)))
            continue
        found.append(SourceFile(document, path, state.sha256, state.size, states=(state,)))
    return _join_parts(found), skipped


def _join_parts(found: list[SourceFile]) -> list[SourceFile]:
    """Sources with the files of each multi-file document replaced by one source."""
    by_name = {s.document: s for s in found}
    first_part: dict[str, SourceFile] = {}
    member: set[str] = set()
    for whole, names in group(list(by_name)).items():
        files = [by_name[n] for n in names]
        first_part[names[0]] = SourceFile(
            whole,
            files[0].path,
            _joint_sha256([f.sha256 for f in files]),
            sum(f.size for f in files),
            tuple(f.path for f in files),
            tuple(s for f in files for s in f.states),
        )
        member.update(names)
    return [
        first_part.get(s.document, s)
        for s in found
        if s.document not in member or s.document in first_part
    ]


def _joint_sha256(hashes: list[str]) -> str:
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def rehash(source: SourceFile) -> SourceFile:
    """`source` with its files hashed again as they are now."""
    states = tuple(file_state(path) for path in source.paths)
    sha256 = states[0].sha256 if not source.parts else _joint_sha256([s.sha256 for s in states])
    return replace(source, sha256=sha256, size=sum(s.size for s in states), states=states)


def read_verified(source: SourceFile) -> tuple[SourceFile, ReadDocument] | Skipped:
    """Read and parse `source`; returns it as it was read (its hash is that of the bytes
    parsed: the files' `stat` is the same after parsing as when they were hashed, and a file
    written meanwhile is hashed and read again), or `Skipped` saying why it is not a usable
    transcript, with the hash of what failed (None when the file kept changing)."""
    try:
        if not source.states:
            source = rehash(source)
        for _ in range(READ_ATTEMPTS):
            try:
                read: ReadDocument | str = read_document(source)
            except (OSError, ValueError) as error:
                read = (error.strerror or str(error)) if isinstance(error, OSError) else str(error)
            if all(state.unchanged() for state in source.states):
                if isinstance(read, str):
                    return Skipped(source.document, read, source.sha256)
                return source, read
            source = rehash(source)
    except FileChangedError:
        pass
    except OSError as error:
        return Skipped(source.document, f"cannot read: {error.strerror or error}")
    except ValueError as error:
        return Skipped(source.document, str(error))
    return Skipped(source.document, CHANGING)


# ------------------------------------------------------------------------------ the walk
def _path_max(root: Path) -> int:
    try:
        return os.pathconf(root, "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):
        return 4096


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _is_index(folder: Path) -> bool:
    """Whether `folder` is a Verbatim index (its `CURRENT` names a version with a manifest)."""
    try:
        name = (folder / INDEX_POINTER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return bool(name) and "/" not in name and (folder / name / "manifest.json").is_file()


def _walk(
    root: Path, follow_links: bool, excluded: set[str]
) -> Iterator[tuple[str, Path] | Skipped]:
    """(document, path) of every regular file under `root` in sorted order, and a `Skipped` for
    everything that cannot be walked or read. Iterative: no depth of folders exhausts a stack."""
    real_root = os.path.realpath(root)
    path_max = _path_max(root)
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        folder, relative = stack.pop()
        label = relative + "/" if relative else "./"
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen:  # a link back to a folder already walked
                continue
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            yield Skipped(
                label, f"cannot read this folder ({_reason(error)}); its files are left out"
            )
            continue
        subfolders: list[tuple[Path, str]] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            document = f"{relative}/{name}" if relative else name
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                yield Skipped(
                    shown(document),
                    "its name is not valid UTF-8 text; rename it (e.g. with `convmv`) to index it",
                )
                continue
            path = folder / name
            if len(os.fsencode(path)) >= path_max:
                yield Skipped(
                    document,
                    f"its path is too long for this system ({len(os.fsencode(path))} bytes; "
                    f"the limit is {path_max - 1}); move it higher up to index it",
                )
                continue
            link = entry.is_symlink()
            try:
                st = os.stat(path)
            except OSError as error:
                if not link:
                    yield Skipped(document, f"cannot read: {_reason(error)}")
                elif error.errno == errno.ELOOP:
                    yield Skipped(document, f"a loop of symbolic links ({_reason(error)})")
                else:
                    yield Skipped(document, f"a broken symbolic link ({_reason(error)})")
                continue
            if link and not follow_links:
                target = os.path.realpath(path)
                if not _within(target, real_root):
                    yield Skipped(
                        document,
                        f"symbolic link to {shown(target)}, outside the corpus folder; not "
                        "followed (index with --follow-links to include what it points to)",
                    )
                    continue
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) in excluded:
                    continue  # the index being built
                if _is_index(path):
                    yield Skipped(document + "/", "a Verbatim index folder, not transcripts")
                    continue
                subfolders.append((path, document))
            elif stat.S_ISREG(st.st_mode):
                yield document, path
            else:
                yield Skipped(document, f"{_kind(st.st_mode)}, not a file")
        stack.extend(reversed(subfolders))


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
