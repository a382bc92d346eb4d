"""The columnar store of an index version: documents, paragraphs and passages on disk.

Passages and paragraphs are stored as int32 columns (one .npy each, memory-mapped on load),
with strings as codes into the tables of `tables.json`; document texts as one UTF-8 blob with
per-document byte offsets, decoded the first time a document is used. Loading a million
passages then reads a few small files instead of parsing a million JSON rows into objects.

    tables.json             each document's title, date, hash and paragraph offsets; the
                            tables of speakers, roles and times the columns code
    texts.bin               the canonical texts of all documents, UTF-8, one after another
    passages/*.npy          one int32 column per passage field (document, paragraph, start, end,
                            speaker, role, question, page, time)
    paragraphs/*.npy        the same for the paragraphs of all documents
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np

from assistant.files import read_json, write_json
from assistant.passages import Chunk
from assistant.transcripts import Paragraph, Transcript

TABLES = "tables.json"
TEXTS = "texts.bin"
PASSAGES_DIR = "passages"
PARAGRAPHS_DIR = "paragraphs"


@dataclass(frozen=True)
class DocumentRecord:
    """What the index keeps of one document: enough to cite and show context without the file."""

    document: str
    title: str
    date: str | None
    sha256: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    times: tuple[str, ...] = ()
    titles: tuple[tuple[str, str], ...] = ()  # Transcript.titles

    def transcript(self) -> Transcript:
        return Transcript(
            self.document, self.title, self.date, self.paragraphs, self.times, self.titles
        )


def _maker(cls: type) -> Callable[..., object]:
    """A fast constructor for a frozen dataclass without __post_init__: loading a million
    passages through the frozen __init__ (one object.__setattr__ per field) takes seconds;
    filling __dict__ directly builds an equal object about three times faster."""
    fields = [f.name for f in dataclasses.fields(cls)]
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        return cls
    new = object.__new__
    defaults = {
        f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING
    }

    def make(*values: object) -> object:
        if len(values) > len(fields):
            return cls(*values)  # let the dataclass raise its own TypeError
        obj = new(cls)
        state = obj.__dict__
        state.update(defaults)
        state.update(zip(fields, values, strict=False))
        if len(state) != len(fields):
            return cls(*values)
        return obj

    return make


_make_chunk = _maker(Chunk)
_make_paragraph = _maker(Paragraph)


PASSAGE_COLUMNS = (
    "document",
    "paragraph",
    "start",
    "end",
    "speaker",
    "role",
    "question",
    "page",
    "time",
)
PARAGRAPH_COLUMNS = ("index", "start", "end", "speaker", "role", "question", "page", "time")
NONE = -1  # the code of a missing speaker, question, page or time


def _coder(table: list[str]) -> Callable[[str | None], int]:
    codes: dict[str, int] = {}

    def code(value: str | None) -> int:
        if value is None:
            return NONE
        found = codes.get(value)
        if found is None:
            found = codes[value] = len(table)
            table.append(value)
        return found

    return code


def _none_or(value: int | None) -> int:
    return NONE if value is None else value


def write_columns(staging: Path, documents: list[DocumentRecord], chunks: list[Chunk]) -> list[str]:
    """Write the columnar files of `documents` and `chunks`; return their names."""
    speakers: list[str] = []
    roles: list[str] = []
    times: list[str] = []
    speaker, role, time_ = _coder(speakers), _coder(roles), _coder(times)
    doc_code = {d.document: i for i, d in enumerate(documents)}
    blob = bytearray()
    text_offsets = [0]
    para_offsets = [0]
    para_rows: list[tuple[int, ...]] = []
    for d in documents:
        blob += d.text.encode("utf-8")
        text_offsets.append(len(blob))
        para_rows += [
            (
                p.index,
                p.start,
                p.end,
                speaker(p.speaker),
                role(p.role),
                _none_or(p.question),
                _none_or(p.page),
                time_(p.time),
            )
            for p in d.paragraphs
        ]
        para_offsets.append(len(para_rows))
    rows = [
        (
            doc_code[c.document],
            c.paragraph,
            c.start,
            c.end,
            speaker(c.speaker),
            role(c.role),
            _none_or(c.question),
            _none_or(c.page),
            time_(c.time),
        )
        for c in chunks
    ]
    names = []
    for folder, columns, table in (
        (PASSAGES_DIR, PASSAGE_COLUMNS, rows),
        (PARAGRAPHS_DIR, PARAGRAPH_COLUMNS, para_rows),
    ):
        (staging / folder).mkdir()
        matrix = np.array(table, dtype=np.int64).reshape(len(table), len(columns))
        if matrix.size and (matrix.max() > np.iinfo(np.int32).max):
            raise ValueError("an offset does not fit in 32 bits")
        for k, column in enumerate(columns):
            name = f"{folder}/{column}.npy"
            np.save(staging / name, np.ascontiguousarray(matrix[:, k], dtype=np.int32))
            names.append(name)
    (staging / TEXTS).write_bytes(bytes(blob))
    tables = {
        "documents": [
            {
                "document": d.document,
                "title": d.title,
                "date": d.date,
                "sha256": d.sha256,
                "times": list(d.times),
                **({"titles": [list(t) for t in d.titles]} if d.titles else {}),
            }
            for d in documents
        ],
        "text_offsets": text_offsets,
        "paragraph_offsets": para_offsets,
        "speakers": speakers,
        "roles": roles,
        "times": times,
    }
    write_json(staging / TABLES, tables)
    return [TABLES, TEXTS, *names]


class ColumnStore:
    """The columnar files of one version folder, memory-mapped; texts decoded on demand."""

    def __init__(self, version: Path) -> None:
        tables = read_json(version / TABLES)
        if not isinstance(tables, dict):
            raise ValueError(f"{TABLES} holds no tables")
        self.meta: list[dict] = tables["documents"]
        self.names: list[str] = [d["document"] for d in self.meta]
        self.code: dict[str, int] = {name: i for i, name in enumerate(self.names)}
        self.text_offsets: list[int] = tables["text_offsets"]
        self.paragraph_offsets: list[int] = tables["paragraph_offsets"]
        self.speakers: list[str] = tables["speakers"]
        self.roles: list[str] = tables["roles"]
        self.times: list[str] = tables["times"]
        self.blob = (
            np.asarray(np.memmap(version / TEXTS, dtype=np.uint8, mode="r"))  # as _column
            if ((version / TEXTS).stat().st_size)
            else np.zeros(0, dtype=np.uint8)
        )
        self.passages = {c: self._column(version, PASSAGES_DIR, c) for c in PASSAGE_COLUMNS}
        self._passage_columns = [self.passages[c] for c in PASSAGE_COLUMNS]
        self.paragraphs = {c: self._column(version, PARAGRAPHS_DIR, c) for c in PARAGRAPH_COLUMNS}
        n = {len(v) for v in self.passages.values()}
        p = {len(v) for v in self.paragraphs.values()}
        if len(n) != 1 or len(p) != 1:
            raise ValueError("the passage or paragraph columns differ in length")
        if (
            len(self.text_offsets) != len(self.names) + 1
            or len(self.paragraph_offsets) != len(self.names) + 1
            or self.text_offsets[-1] != len(self.blob)
            or self.paragraph_offsets[-1] != p.pop()
        ):
            raise ValueError("the document tables do not match the text and paragraph files")
        self.size = n.pop()
        self._texts: dict[int, str] = {}
        self._paragraphs: dict[int, tuple[Paragraph, ...]] = {}
        # ranking looks at the same few hundred candidates many times per question
        self.chunk = functools.lru_cache(maxsize=1 << 14)(self._chunk)

    @staticmethod
    def _column(version: Path, folder: str, column: str) -> np.ndarray:
        array = np.load(version / folder / f"{column}.npy", mmap_mode="r")
        if array.ndim != 1 or array.dtype != np.int32:
            raise ValueError(f"{folder}/{column}.npy is not a column of int32")
        # still backed by the mapped file, without np.memmap's slow per-item __getitem__
        return array.view(np.ndarray)

    def text(self, code: int) -> str:
        text = self._texts.get(code)
        if text is None:
            low, high = self.text_offsets[code], self.text_offsets[code + 1]
            text = self._texts[code] = bytes(self.blob[low:high]).decode("utf-8")
        return text

    def _decode(self, table: list[str], code: int) -> str | None:
        return None if code == NONE else table[code]

    def paragraphs_of(self, code: int) -> tuple[Paragraph, ...]:
        found = self._paragraphs.get(code)
        if found is None:
            text = self.text(code)
            low, high = self.paragraph_offsets[code], self.paragraph_offsets[code + 1]
            cols = [self.paragraphs[c][low:high].tolist() for c in PARAGRAPH_COLUMNS]
            make = _make_paragraph
            found = tuple(
                make(
                    index,
                    start,
                    end,
                    text[start:end],
                    self._decode(self.speakers, speaker),
                    self.roles[role],
                    None if question == NONE else question,
                    None if page == NONE else page,
                    self._decode(self.times, time_),
                )
                for index, start, end, speaker, role, question, page, time_ in zip(
                    *cols, strict=True
                )
            )
            self._paragraphs[code] = found
        return found

    def _chunk(self, i: int) -> Chunk:
        doc, paragraph, start, end, speaker, role, question, page, time_ = (
            int(column[i]) for column in self._passage_columns
        )
        return _make_chunk(
            self.names[doc],
            paragraph,
            start,
            end,
            self.text(doc)[start:end],
            None if speaker == NONE else self.speakers[speaker],
            self.roles[role],
            None if question == NONE else question,
            None if page == NONE else page,
            None if time_ == NONE else self.times[time_],
        )

    def record(self, code: int) -> DocumentRecord:
        meta = self.meta[code]
        return DocumentRecord(
            document=meta["document"],
            title=meta["title"],
            date=meta["date"],
            sha256=meta["sha256"],
            text=self.text(code),
            paragraphs=self.paragraphs_of(code),
            times=tuple(meta.get("times", ())),
            titles=tuple((name, title) for name, title in meta.get("titles", ())),
        )


class Passages(Sequence[Chunk]):
    """The passages of a loaded index, read-only: `chunks[i]` builds the `Chunk` on demand
    from memory-mapped columns; the columns themselves serve vectorised callers."""

    def __init__(self, store: ColumnStore) -> None:
        self._store = store

    def __len__(self) -> int:
        return self._store.size

    @overload
    def __getitem__(self, i: int) -> Chunk: ...
    @overload
    def __getitem__(self, i: slice) -> list[Chunk]: ...
    def __getitem__(self, i: int | slice) -> Chunk | list[Chunk]:
        if isinstance(i, slice):
            return [self._store.chunk(j) for j in range(*i.indices(len(self)))]
        i = operator.index(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("passage index out of range")
        return self._store.chunk(i)

    def __iter__(self) -> Iterator[Chunk]:
        chunk = self._store.chunk
        return (chunk(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self)} passages>"

    def column(self, name: str) -> np.ndarray:
        """A passage column (int32, memory-mapped): one of PASSAGE_COLUMNS, strings as codes."""
        return self._store.passages[name]

    @property
    def document_names(self) -> list[str]:
        """The names the `document` column's codes stand for."""
        return self._store.names

    @property
    def speaker_names(self) -> list[str]:
        return self._store.speakers

    @property
    def speaker_titles(self) -> dict[str, list[str]]:
        """Speaker -> the other names their labels' parentheticals gave them, over every
        document (`Transcript.titles`)."""
        titles: dict[str, list[str]] = {}
        for meta in self._store.meta:
            for name, title in meta.get("titles", ()):
                if title not in titles.setdefault(name, []):
                    titles[name].append(title)
        return titles

    @property
    def role_names(self) -> list[str]:
        return self._store.roles


class Documents(Mapping[str, DocumentRecord]):
    """Document name -> `DocumentRecord`, read-only; a record (its text decoded, its paragraphs
    built) is made the first time it is asked for. Title, date and hash come without that."""

    def __init__(self, store: ColumnStore) -> None:
        self._store = store
        self._records: dict[int, DocumentRecord] = {}

    def __len__(self) -> int:
        return len(self._store.names)

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.names)

    def __contains__(self, name: object) -> bool:
        return name in self._store.code

    def __getitem__(self, name: str) -> DocumentRecord:
        code = self._store.code[name]
        record = self._records.get(code)
        if record is None:
            record = self._records[code] = self._store.record(code)
        return record

    def __repr__(self) -> str:
        return f"<{len(self)} documents>"

    def date(self, name: str) -> str | None:
        return self._store.meta[self._store.code[name]]["date"]

    def sha256(self, name: str) -> str:
        return self._store.meta[self._store.code[name]]["sha256"]

    def title(self, name: str) -> str:
        return self._store.meta[self._store.code[name]]["title"]

    def text(self, name: str) -> str:
        """A document's canonical text, without building its paragraphs."""
        return self._store.text(self._store.code[name])

    def speakers(self, name: str) -> list[str]:
        """The named speakers of a document's paragraphs, sorted, without decoding its text."""
        store = self._store
        code = store.code[name]
        low, high = store.paragraph_offsets[code], store.paragraph_offsets[code + 1]
        codes = np.unique(store.paragraphs["speaker"][low:high]).tolist()
        return sorted({store.speakers[c] for c in codes if c != NONE and store.speakers[c]})
