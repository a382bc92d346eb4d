"""The on-disk index of a corpus: passages, their vectors (FAISS), BM25, and a manifest.

Layout of an index folder (plain files, bm25s style):

    CURRENT                 name of the live version folder, replaced atomically
    v-<time>/manifest.json  format version, model, corpus root, per-file hashes, counts, checksums
    v-<time>/tables.json    each document's title, date, hash, text and paragraph offsets; the
                            tables of speakers, roles and times the columns code
    v-<time>/texts.bin      the canonical texts of all documents, UTF-8, one after another
    v-<time>/passages/*.npy one int32 column per passage field (document, paragraph, start, end,
                            speaker, role, question, page, time), memory-mapped on load
    v-<time>/paragraphs/*.npy the same for the paragraphs of all documents
    v-<time>/hashes.json    content hash of each passage's embedded text, row-aligned with vectors
    v-<time>/vectors.npy    float32 unit vectors (memory-mapped on load); ivf.faiss when large
    v-<time>/bm25/          the bm25s index and its vocabulary

Passages and documents are built into objects only when used, so a million passages load in
about the time it takes to map the files.

A build writes a new version folder, then points CURRENT at it: a build killed at any moment
leaves the previous version whole and loadable.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import operator
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import overload

import numpy as np

from assistant.corpus import Skipped, SourceFile, file_sha256, find_sources, read_document
from assistant.passages import Chunk, chunk_transcript, embedding_text, lexical_text
from assistant.readers import SUFFIXES
from assistant.transcripts import Paragraph, Transcript
from embeddings import EmbeddingModel, VectorIndex, content_hash

FORMAT_VERSION = 2
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
TABLES = "tables.json"
TEXTS = "texts.bin"
PASSAGES_DIR = "passages"
PARAGRAPHS_DIR = "paragraphs"
HASHES = "hashes.json"
BM25_DIR = "bm25"


class IndexError_(RuntimeError):
    """Base class for index problems; the message says what to run."""


class IndexNotFoundError(IndexError_):
    pass


class IndexMismatchError(IndexError_):
    """Another format version or embedding model than this program uses."""


class IndexCorruptError(IndexError_):
    """A file of the index is missing, truncated or edited."""


class IndexWriteError(IndexError_):
    """The index folder cannot be written (not a folder, read-only, disk full); the previous
    index, if any, is left as it was."""


def rebuild_hint(index_dir: Path, corpus_root: str | None = None) -> str:
    corpus = corpus_root or "CORPUS_DIR"
    return f"rebuild it with: verbatim index {corpus} --index {index_dir}"


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

    def transcript(self) -> Transcript:
        return Transcript(self.document, self.title, self.date, self.paragraphs, self.times)


@dataclass
class BuildReport:
    """What a build did, for the CLI to print."""

    documents: int = 0
    passages: int = 0
    embedded: int = 0
    reused: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    up_to_date: bool = False
    seconds: float = 0.0


# Files at least this big are not re-hashed on load while their inode, size, mtime and ctime
# are those recorded when the build hashed them: hashing the vectors of a million passages
# (~3 GB with the IVF file) takes longer than the whole rest of the load. Any write to the file
# changes its ctime, which no tool can set back, so an edited or replaced file is still hashed.
# Small files are always hashed (timestamps can be too coarse to tell a quick edit apart).
TRUST_STAT_BYTES = 64 << 20


def _stat_key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _unchanged_since_build(path: Path, expected: dict) -> bool:
    return expected.get("size", 0) >= TRUST_STAT_BYTES and expected.get("stat") == _stat_key(path)


def _write_json(path: Path, data: object) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))


def _read_json(path: Path) -> object:
    # orjson (already installed with gradio) parses the passages of a million-passage index
    # about five times faster than json; both raise ValueError on bad input.
    try:
        import orjson
    except ImportError:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    return orjson.loads(path.read_bytes())


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


def live_version(index_dir: Path) -> Path | None:
    """The live version folder of an index, or None if there is no index there."""
    pointer = Path(index_dir) / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise IndexCorruptError(
            f"index file {pointer} cannot be read ({error}); {rebuild_hint(Path(index_dir))}"
        ) from None
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise IndexCorruptError(
            f"index file {pointer} does not name a version folder; {rebuild_hint(Path(index_dir))}"
        )
    return Path(index_dir) / name


def read_manifest(index_dir: Path) -> dict | None:
    try:
        version = live_version(index_dir)
    except IndexCorruptError:
        return None
    if version is None:
        return None
    try:
        return _read_json(version / MANIFEST)  # type: ignore[return-value]
    except (OSError, ValueError):
        return None


class CorpusIndex:
    """A loaded index: documents, passages, vectors and BM25, read-only and thread-safe."""

    def __init__(
        self,
        path: Path,
        manifest: dict,
        documents: Documents,
        chunks: Passages,
        vectors: VectorIndex,
        bm25: object,
        tokenizer: object,
    ) -> None:
        self.path = path
        self.manifest = manifest
        self.documents = documents
        self.chunks = chunks
        self.vectors = vectors
        self.bm25 = bm25
        self.tokenizer = tokenizer
        self._hash_checks: dict[tuple[str, int, int], bool] = {}  # (path, size, mtime) -> same

    @property
    def corpus_root(self) -> Path:
        return Path(self.manifest["corpus_root"])

    @property
    def model_name(self) -> str:
        return self.manifest["model"]["name"]

    def stale_documents(self, documents: list[str] | None = None) -> list[str]:
        """Indexed documents whose file changed or disappeared since indexing (all of them, or
        those in `documents`): their stored text and offsets no longer match the file.

        A file whose size and modification time are as indexed is taken as unchanged; otherwise
        its content hash decides (a touched but identical file is not stale). When the corpus
        folder itself is gone the index is used on its own and nothing is reported stale.
        """
        root = self.corpus_root
        if not root.is_dir():
            return []
        files = self.manifest.get("files", {})
        stale = []
        for document in sorted(set(documents) if documents is not None else self.documents):
            if document not in self.documents:
                continue
            sha256 = self.documents.sha256(document)
            recorded = files.get(document, {})
            parts = recorded.get("parts")
            if parts:  # a document read from several files (name_1.html, name_2.html, ...)
                fresh = all(self._file_matches(root / p["path"], p["sha256"], p) for p in parts)
            else:
                fresh = self._file_matches(root / document, sha256, recorded)
            if not fresh:
                stale.append(document)
        return stale

    def _file_matches(self, path: Path, sha256: str, recorded: dict) -> bool:
        """Whether the file at `path` still holds the content hashed `sha256` (cached per stat)."""
        try:
            st = path.stat()
        except OSError:
            return False
        if recorded.get("size") == st.st_size and recorded.get("mtime_ns") == st.st_mtime_ns:
            return True
        key = (str(path), st.st_size, st.st_mtime_ns)
        if key not in self._hash_checks:
            try:
                self._hash_checks[key] = file_sha256(path) == sha256
            except OSError:
                return False
        return self._hash_checks[key]

    # ---------------------------------------------------------------- load
    @classmethod
    def load(
        cls, index_dir: Path, *, model_name: str | None = None, verify: bool = True
    ) -> CorpusIndex:
        index_dir = Path(index_dir)
        version = live_version(index_dir)
        if version is None:
            raise IndexNotFoundError(
                f"no index at {index_dir}; build one with: verbatim index CORPUS_DIR --index {index_dir}"
            )
        manifest_path = version / MANIFEST
        try:
            manifest = _read_json(manifest_path)
        except FileNotFoundError:
            raise IndexCorruptError(
                f"index file {manifest_path} is missing; {rebuild_hint(index_dir)}"
            ) from None
        except ValueError as error:
            raise IndexCorruptError(
                f"index file {manifest_path} is not valid JSON ({error}); {rebuild_hint(index_dir)}"
            ) from None
        assert isinstance(manifest, dict)
        hint = rebuild_hint(index_dir, manifest.get("corpus_root"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexMismatchError(
                f"index at {index_dir} has format version {manifest.get('format_version')}, "
                f"this Verbatim reads version {FORMAT_VERSION}; {hint}"
            )
        built_with = manifest.get("model", {}).get("name")
        if model_name is not None and built_with != model_name:
            raise IndexMismatchError(
                f"index at {index_dir} was built with the embedding model {built_with!r}, "
                f"not {model_name!r}; {hint}"
            )
        _verify_checksums(version, manifest, hint, full=verify)
        try:
            store = _Store(version)
            documents, chunks = Documents(store), Passages(store)
            vectors = VectorIndex.load(version)
            bm25, tokenizer = _load_bm25(version / BM25_DIR)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexCorruptError(
                f"index at {version} cannot be read ({type(error).__name__}: {error}); {hint}"
            ) from None
        if len(vectors) != len(chunks):
            raise IndexCorruptError(
                f"index at {version} has {len(vectors)} vectors for {len(chunks)} passages; {hint}"
            )
        return cls(version, manifest, documents, chunks, vectors, bm25, tokenizer)


def _verify_checksums(version: Path, manifest: dict, hint: str, *, full: bool = True) -> None:
    """Raise IndexCorruptError naming the first index file that is missing, of the wrong size
    or (when `full`) of the wrong content hash."""
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict) or not checksums:
        raise IndexCorruptError(f"index file {version / MANIFEST} lists no checksums; {hint}")
    for name, expected in checksums.items():
        path = version / name
        if not path.is_file():
            raise IndexCorruptError(f"index file {path} is missing; {hint}")
        if path.stat().st_size != expected["size"]:
            raise IndexCorruptError(
                f"index file {path} has {path.stat().st_size} bytes, expected "
                f"{expected['size']} (truncated or edited); {hint}"
            )
        if (
            full
            and not _unchanged_since_build(path, expected)
            and file_sha256(path) != expected["sha256"]
        ):
            raise IndexCorruptError(
                f"index file {path} fails its checksum (edited or damaged); {hint}"
            )


# -------------------------------------------------------------------- bm25
def _tokenizer() -> object:
    import bm25s.tokenization
    import Stemmer

    return bm25s.tokenization.Tokenizer(stemmer=Stemmer.Stemmer("english"), stopwords="english")


def _build_bm25(texts: list[str]) -> tuple[object, object]:
    import bm25s

    tokenizer = _tokenizer()
    tokens = tokenizer.tokenize(texts, update_vocab=True, return_as="tuple", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    return retriever, tokenizer


def _save_bm25(directory: Path, retriever: object, tokenizer: object) -> None:
    directory.mkdir()
    retriever.save(str(directory), show_progress=False)  # type: ignore[attr-defined]
    tokenizer.save_vocab(str(directory))  # type: ignore[attr-defined]
    tokenizer.save_stopwords(str(directory))  # type: ignore[attr-defined]


def _load_bm25(directory: Path) -> tuple[object, object]:
    import bm25s

    # memory-mapped: at a million passages its arrays are ~600 MB, read on demand
    retriever = bm25s.BM25.load(str(directory), mmap=True, show_progress=False)
    tokenizer = _tokenizer()
    tokenizer.load_vocab(str(directory))  # type: ignore[attr-defined]
    tokenizer.load_stopwords(str(directory))  # type: ignore[attr-defined]
    return retriever, tokenizer


# ------------------------------------------------------------------- build
def _previous_vectors(index_dir: Path) -> dict[str, np.ndarray]:
    """Content hash -> vector of the live index, so unchanged text is not embedded again."""
    manifest = read_manifest(index_dir)
    version = live_version(index_dir)
    if version is None or manifest is None:
        return {}
    try:
        # a damaged index must not pass its damage on to the next one
        _verify_checksums(version, manifest, "")
        hashes = _read_json(version / HASHES)
        vectors = np.load(version / "vectors.npy", mmap_mode="r")
        if not isinstance(hashes, list) or len(hashes) != len(vectors):
            return {}
        return {h: vectors[i] for i, h in enumerate(hashes)}
    except (OSError, ValueError, IndexError_):
        return {}


def build_index(
    corpus_root: Path,
    index_dir: Path,
    model: EmbeddingModel,
    *,
    batch_size: int = 32,
    show_progress: bool = False,
    log: Callable[[str], None] | None = None,
    exact_limit: int | None = None,
) -> BuildReport:
    """Index every transcript under `corpus_root` into `index_dir`, re-embedding only passages
    whose text changed. Returns what was done; an unchanged corpus is a quick no-op."""
    started = time.perf_counter()
    say = log or (lambda message: None)
    corpus_root = Path(corpus_root).resolve()
    index_dir = Path(index_dir)
    sources, skipped = find_sources(corpus_root)
    _check_writable(index_dir)  # before minutes of embedding, not after
    report = BuildReport(skipped=list(skipped))
    old = read_manifest(index_dir)
    old_files: dict[str, dict] = (old or {}).get("files", {})
    if (
        old
        and old.get("format_version") == FORMAT_VERSION
        and old.get("model", {}).get("name") == model.name
        and old.get("corpus_root") == str(corpus_root)
        and {s.document: s.sha256 for s in sources}
        == {d: f["sha256"] for d, f in {**old_files, **old.get("unreadable", {})}.items()}
        and [s.document for s in skipped] == old.get("skipped_documents", [])
    ):
        try:
            # verified in full: `verbatim index` is the command that repairs a damaged index
            CorpusIndex.load(index_dir, model_name=model.name, verify=True)
        except IndexError_:
            pass  # damaged: rebuild below
        else:
            report.up_to_date = True
            report.skipped += [
                Skipped(d, f["reason"]) for d, f in old.get("unreadable", {}).items()
            ]
            report.documents = len(old_files)
            report.passages = old.get("counts", {}).get("passages", 0)
            report.seconds = time.perf_counter() - started
            return report

    documents: list[DocumentRecord] = []
    chunks: list[Chunk] = []
    embed_texts: list[str] = []
    lex_texts: list[str] = []
    stats: dict[str, tuple[int, int]] = {}
    parts: dict[str, list[dict]] = {}  # the files of multi-file documents, for staleness checks
    unreadable: dict[str, dict] = {}  # failed to read: not re-read until they change
    for source in sources:
        try:
            # stat before reading: a file written meanwhile then looks changed, never fresh
            st = source.path.stat()
            stats[source.document] = (st.st_size, st.st_mtime_ns)
            if source.parts:
                parts[source.document] = [_part_record(corpus_root, path) for path in source.parts]
            read = read_document(source)
        except (OSError, ValueError) as error:
            report.skipped.append(Skipped(source.document, str(error)))
            unreadable[source.document] = {"sha256": source.sha256, "reason": str(error)}
            continue
        text, transcript = read.text, read.transcript
        documents.append(_record(source, text, transcript))
        for chunk in chunk_transcript(transcript):
            chunk = replace(chunk, page=read.page_at(chunk.start), time=read.time_at(chunk.start))
            chunks.append(chunk)
            embed_texts.append(embedding_text(chunk, transcript))
            lex_texts.append(lexical_text(chunk, transcript))
        previous = old_files.get(source.document)
        if previous is None:
            report.added.append(source.document)
        elif previous["sha256"] != source.sha256:
            report.changed.append(source.document)
    present = {d.document for d in documents}
    report.removed = sorted(set(old_files) - present)
    for item in report.skipped:
        say(f"skipped {item.document}: {item.reason}")
    if not documents:
        from assistant.corpus import CorpusError

        raise CorpusError(
            f"no transcripts to index under {corpus_root}"
            + (f" ({len(report.skipped)} files skipped)" if report.skipped else "")
            + f"; transcripts are {', '.join(SUFFIXES)} files"
        )

    hashes = [content_hash(model.name, t) for t in embed_texts]
    cache = (
        _previous_vectors(index_dir)
        if old and old.get("model", {}).get("name") == model.name
        else {}
    )
    missing = sorted(
        {h: i for i, h in enumerate(hashes) if h not in cache}.items(), key=lambda x: x[1]
    )
    say(
        f"{len(documents)} documents, {len(chunks)} passages; embedding {len(missing)} new "
        f"({len(chunks) - len(missing)} unchanged)"
    )
    fresh: dict[str, np.ndarray] = {}
    if missing:
        vectors = model.encode(
            [embed_texts[i] for _, i in missing], batch_size=batch_size, show_progress=show_progress
        )
        fresh = {h: vectors[n] for n, (h, _) in enumerate(missing)}
    matrix = np.zeros((len(chunks), model.dimension), dtype=np.float32)
    for row, h in enumerate(hashes):
        matrix[row] = fresh[h] if h in fresh else cache[h]
    report.embedded = len(missing)
    report.reused = len(chunks) - len(missing)

    vector_index = (
        VectorIndex.build(matrix)
        if exact_limit is None
        else VectorIndex.build(matrix, exact_limit=exact_limit)
    )
    bm25, tokenizer = _build_bm25(lex_texts)
    per_document = Counter(c.document for c in chunks)
    manifest = {
        "format_version": FORMAT_VERSION,
        "model": {"name": model.name, "dimension": model.dimension},
        "corpus_root": str(corpus_root),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": {
            d.document: {
                "sha256": d.sha256,
                "size": stats[d.document][0],
                "mtime_ns": stats[d.document][1],
                "passages": per_document[d.document],
                **({"parts": parts[d.document]} if d.document in parts else {}),
            }
            for d in documents
        },
        "unreadable": unreadable,
        "skipped_documents": [s.document for s in skipped],
        "counts": {"documents": len(documents), "passages": len(chunks)},
        "vector_index": vector_index.params,
    }
    _write_version(index_dir, manifest, documents, chunks, hashes, vector_index, bm25, tokenizer)
    report.documents = len(documents)
    report.passages = len(chunks)
    report.seconds = time.perf_counter() - started
    return report


def _check_writable(index_dir: Path) -> None:
    """Fail early, with a plain message, when the index cannot be written where asked."""
    for parent in [index_dir, *index_dir.parents]:
        if parent.exists():
            if not parent.is_dir():
                what = "the index folder" if parent == index_dir else f"{parent}, above it,"
                raise IndexWriteError(
                    f"cannot write the index at {index_dir}: {what} is a file, not a folder; "
                    "choose another --index folder or move the file"
                )
            if not os.access(parent, os.W_OK):
                raise IndexWriteError(
                    f"cannot write the index at {index_dir}: {parent} is not writable"
                )
            return


def _part_record(corpus_root: Path, path: Path) -> dict:
    st = path.stat()  # before hashing: a file written meanwhile then looks changed
    return {
        "path": path.relative_to(corpus_root).as_posix(),
        "sha256": file_sha256(path),
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
    }


def _record(source: SourceFile, text: str, transcript: Transcript) -> DocumentRecord:
    return DocumentRecord(
        source.document,
        transcript.title,
        transcript.date,
        source.sha256,
        text,
        transcript.paragraphs,
        transcript.times,
    )


def _write_version(
    index_dir: Path,
    manifest: dict,
    documents: list[DocumentRecord],
    chunks: list[Chunk],
    hashes: list[str],
    vector_index: VectorIndex,
    bm25: object,
    tokenizer: object,
) -> None:
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=index_dir))
    except OSError as error:
        raise IndexWriteError(
            f"cannot write the index at {index_dir} ({error.strerror or error})"
        ) from error
    version_dir: Path | None = None
    pointer: Path | None = None
    try:
        _write_json(staging / HASHES, hashes)
        names = [*_write_store(staging, documents, chunks), HASHES, *vector_index.save(staging)]
        _save_bm25(staging / BM25_DIR, bm25, tokenizer)
        names += [f"{BM25_DIR}/{p.name}" for p in sorted((staging / BM25_DIR).iterdir())]
        _fsync_tree(staging)
        manifest["checksums"] = {
            name: {
                "sha256": file_sha256(staging / name),
                "size": (staging / name).stat().st_size,
                "stat": _stat_key(staging / name),
            }
            for name in names
        }
        _write_json(staging / MANIFEST, manifest)
        _fsync(staging / MANIFEST)
        _fsync(staging)
        version = f"v-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
        version_dir = index_dir / version
        staging.rename(version_dir)
        pointer = index_dir / f".{CURRENT}.tmp-{os.getpid()}"
        pointer.write_text(version + "\n", encoding="utf-8")
        _fsync(pointer)
        os.replace(pointer, index_dir / CURRENT)
        _fsync(index_dir)
    except OSError as error:
        _discard(staging, version_dir, pointer, index_dir)
        raise IndexWriteError(
            f"cannot write the index at {index_dir} ({error.strerror or error}); "
            "the previous index, if any, is unchanged"
        ) from error
    except BaseException:
        _discard(staging, version_dir, pointer, index_dir)
        raise
    _remove_old_versions(index_dir, keep=version)


def _discard(
    staging: Path, version_dir: Path | None, pointer: Path | None, index_dir: Path
) -> None:
    """Remove what a failed write left, never the live version (on a full disk, space matters)."""
    shutil.rmtree(staging, ignore_errors=True)
    if pointer is not None:
        pointer.unlink(missing_ok=True)
    try:
        live = live_version(index_dir)
    except IndexCorruptError:
        live = None
    if version_dir is not None and live != version_dir:
        shutil.rmtree(version_dir, ignore_errors=True)


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for folder, _, files in os.walk(root):
        for name in files:
            _fsync(Path(folder) / name)
        _fsync(Path(folder))


def _remove_old_versions(index_dir: Path, keep: str) -> None:
    """Old versions and leftovers of killed builds; never the live one."""
    for entry in index_dir.iterdir():
        if entry.name == keep or not entry.is_dir():
            continue
        if entry.name.startswith(("v-", ".building-")):
            shutil.rmtree(entry, ignore_errors=True)
    for entry in index_dir.glob(f".{CURRENT}.tmp-*"):
        entry.unlink(missing_ok=True)


# ------------------------------------------------------------- columnar store
# Passages and paragraphs are stored as int32 columns (one .npy each, memory-mapped on load),
# with strings as codes into the tables of TABLES; document texts as one UTF-8 blob with
# per-document byte offsets, decoded the first time a document is used. Loading a million
# passages then reads a few small files instead of parsing a million JSON rows into objects.
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


def _write_store(staging: Path, documents: list[DocumentRecord], chunks: list[Chunk]) -> list[str]:
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
            }
            for d in documents
        ],
        "text_offsets": text_offsets,
        "paragraph_offsets": para_offsets,
        "speakers": speakers,
        "roles": roles,
        "times": times,
    }
    _write_json(staging / TABLES, tables)
    return [TABLES, TEXTS, *names]


class _Store:
    """The columnar files of one version folder, memory-mapped; texts decoded on demand."""

    def __init__(self, version: Path) -> None:
        tables = _read_json(version / TABLES)
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
            np.memmap(version / TEXTS, dtype=np.uint8, mode="r")
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
        )


class Passages(Sequence[Chunk]):
    """The passages of a loaded index, read-only: `chunks[i]` builds the `Chunk` on demand
    from memory-mapped columns; the columns themselves serve vectorised callers."""

    def __init__(self, store: _Store) -> None:
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
    def role_names(self) -> list[str]:
        return self._store.roles


class Documents(Mapping[str, DocumentRecord]):
    """Document name -> `DocumentRecord`, read-only; a record (its text decoded, its paragraphs
    built) is made the first time it is asked for. Title, date and hash come without that."""

    def __init__(self, store: _Store) -> None:
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

    def speakers(self, name: str) -> list[str]:
        """The named speakers of a document's paragraphs, sorted, without decoding its text."""
        store = self._store
        code = store.code[name]
        low, high = store.paragraph_offsets[code], store.paragraph_offsets[code + 1]
        codes = np.unique(store.paragraphs["speaker"][low:high]).tolist()
        return sorted({store.speakers[c] for c in codes if c != NONE and store.speakers[c]})


def log_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
